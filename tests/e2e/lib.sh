# lib.sh — shared by the installer's end-to-end tests (sourced; run from the
# repository root by tests/e2e/run with KUBECONFIG and KUBECTL set).
set -euo pipefail

CAPSTAN=${CAPSTAN:-${CAPSTAN_BUILDDIR:-.}/capstan}
[ -x "$CAPSTAN" ] || { echo "no capstan binary at $CAPSTAN (build first)"; exit 1; }
[ -n "${HELM:-}" ] || HELM=$(tests/tools/fetch-helm | sed -n 's/^helm4=//p')
[ -n "${KUBECTL:-}" ] || KUBECTL=$(tests/tools/fetch-helm | sed -n 's/^kubectl=//p')
export CAPSTAN HELM KUBECTL

e2e_fail() { echo "FAIL: $*" >&2; exit 1; }
e2e_ok() { echo "ok: $*"; }

# A fresh namespace for one test, in $ns, deleted when the test exits.
# (Call it directly, not in $(...): the trap belongs to the test's shell.)
e2e_ns() {
  ns="e2e-$1-$$"
  "$KUBECTL" create namespace "$ns" >/dev/null
  trap '"$KUBECTL" delete namespace '"$ns"' --wait=false >/dev/null 2>&1 || true' EXIT
}

# The field of one object, through kubectl's jsonpath.
e2e_get() { "$KUBECTL" get "$@"; }
