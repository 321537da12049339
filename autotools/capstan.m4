# CAPSTAN_REQUIRE_PKG(VARIABLE-PREFIX, PKG-CONFIG-NAME, DEBIAN-PACKAGE)
# Find a library through pkg-config; stop with a message naming the Debian package.
AC_DEFUN([CAPSTAN_REQUIRE_PKG], [
  PKG_CHECK_MODULES([$1], [$2], [],
    [AC_MSG_ERROR([$2 not found through pkg-config: install the Debian package $3 (or run: bash autotools/setup-debian)])])
])
