# lib.sh — helpers shared by tests/golden/package-check (no helm) and
# tests/tools/package-compare (with helm). Source it; bash.
#
# What is compared for `package`: a copy of the chart whose files all have one fixed
# mtime is packaged; then
#   - the member listing: for each member in archive order, its type and mode, uid/gid,
#     size and name (`tar -tv`, date column fixed by the copy), and the sha256 of its content;
#   - the sha256 of the whole decompressed tar stream (every header byte: USTAR fields,
#     checksums, padding, the two end blocks).
# The gzip layer is not compared: helm's deflate (Go's compress/flate) and zlib's produce
# different bytes for the same input; the gzip header (Extra, comment "Helm", OS 255) is
# the same and is checked by tests/tools/package-compare.

PKG_MTIME=1600000000   # 2020-09-13 12:26:40 UTC

# pkg_prepare SRC DST: copy the chart SRC to DST with every mtime set to PKG_MTIME.
pkg_prepare() {
  rm -rf "$2" && mkdir -p "${2%/*}" && cp -RL "$1" "$2" && find "$2" -exec touch -h -d "@$PKG_MTIME" {} +
}

# pkg_listing ARCHIVE: the listing described above, on stdout.
pkg_listing() {
  local a=$1 n
  TZ=UTC LC_ALL=C tar --numeric-owner -tvzf "$a" | sed -E 's/^([^ ]+) +([^ ]+) +([0-9]+) [^ ]+ [^ ]+ /\1 \2 \3 /'
  while IFS= read -r n; do
    printf 'sha256 %s %s\n' "$(tar -xOzf "$a" -- "$n" | sha256sum | cut -c1-64)" "$n"
  done < <(LC_ALL=C tar -tzf "$a")
  printf 'tar-sha256 %s\n' "$(gzip -dc "$a" | sha256sum | cut -c1-64)"
}

# pkg_charts SRCDIR [all]: the chart directories the package tests use, as "KEY DIR"
# lines (KEY = golden-NAME for tests/golden/charts, charts-NAME for charts/, pkg-NAME
# for tests/golden/package/charts). Without "all": only charts whose content is
# fixed test data (not charts/, which changes with the product, nor the golden
# charts that link to it) — the ones tests/golden/package-check has listings for.
pkg_charts() {
  local d
  for d in "$1"/tests/golden/charts/*/; do d=${d%/}
    [ "${2:-}" = all ] || [ ! -L "$d" ] && echo "golden-${d##*/} $d"; done
  if [ "${2:-}" = all ]; then
    for d in "$1"/charts/*/; do d=${d%/}; echo "charts-${d##*/} $d"; done
  fi
  for d in "$1"/tests/golden/package/charts/*/; do d=${d%/}; echo "pkg-${d##*/} $d"; done
}

# pkg_args DIR: the extra `package` flags for the chart DIR (from DIR.args), one per line.
pkg_args() {
  [ -f "$1.args" ] && tr ' ' '\n' <"$1.args" | grep -v '^$'
  return 0
}
