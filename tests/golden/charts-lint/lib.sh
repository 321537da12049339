# lib.sh — shared by tests/golden/lint-check (no helm) and tests/tools/lint-compare.
#
# A lint case is a chart directory tests/golden/charts-lint/NAME/ (linted as
# `lint NAME`) or a file NAME.args holding the arguments (for several charts or flags).
# Both tools run in tests/golden/charts-lint, so paths print as given. What is
# compared, byte for byte (lint_outcome): the exit status, all of stdout, and the
# "Error..." and "level=..." lines of stderr (the log helm writes while rendering,
# e.g. `level=WARN msg="missing required value" message="need x"`). The absolute
# path of the cases directory (in the dependency rule's messages) is written @DIR@.

# lint_cases DIR: the case names
lint_cases() {
  local d
  { for d in "$1"/*/; do d=${d%/}; echo "${d##*/}"; done
    for d in "$1"/*.args; do [ -e "$d" ] && { d=${d%.args}; echo "${d##*/}"; }; done; } | LC_ALL=C sort -u | grep -v '^expected$'
}

# lint_args DIR NAME: the arguments of case NAME, one per line (a chart without a
# .args file gets the flags in $LINT_FLAGS, e.g. "--with-subcharts --strict")
lint_args() {
  if [ -f "$1/$2.args" ]; then tr ' ' '\n' <"$1/$2.args" | grep -v '^$'
  else for f in ${LINT_FLAGS:-}; do echo "$f"; done; echo "$2"; fi
}

# lint_outcome DIR TOOL NAME: run TOOL lint on case NAME in DIR, print the outcome
lint_outcome() {
  local dir=$1 tool=$2 name=$3 out err rc
  out=$(mktemp) err=$(mktemp)
  mapfile -t args < <(lint_args "$dir" "$name")
  (cd "$dir" && "$tool" lint "${args[@]}" >"$out" 2>"$err"); rc=$?
  local abs; abs=$(cd "$dir" && pwd)
  echo "exit $rc"
  echo "--- stdout"
  sed "s|$abs|@DIR@|g" "$out"
  echo "--- stderr"
  grep '^Error\|^level=' "$err" | sed "s|$abs|@DIR@|g"
  rm -f "$out" "$err"
}
