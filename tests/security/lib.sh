# lib.sh — shared by tests/security/t_* (sourced; run from the repository root).
set -euo pipefail

CAPSTAN=${CAPSTAN:-${CAPSTAN_BUILDDIR:-.}/capstan}
CAPSTAN_NET=${CAPSTAN_NET:-${CAPSTAN_BUILDDIR:-.}/capstan-net}
[ -x "$CAPSTAN" ] || { echo "no capstan binary at $CAPSTAN (build first)"; exit 1; }
export CAPSTAN CAPSTAN_NET

sec_fail() { echo "FAIL: $*" >&2; exit 1; }
sec_ok() { echo "ok: $*"; }

# A scratch directory for this test, removed (with every process started here)
# when the test's shell exits.
sec_tmp=$(mktemp -d "${TMPDIR:-/tmp}/capstan-sec.XXXXXX")
sec_pids=()
sec_cleanup() {
	local p
	for p in "${sec_pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${sec_pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$sec_tmp"
}
trap sec_cleanup EXIT
export HELM_CONFIG_HOME=$sec_tmp/helm-config HELM_CACHE_HOME=$sec_tmp/helm-cache HELM_DATA_HOME=$sec_tmp/helm-data
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

# sec_run LIMIT_MB LIMIT_S CMD... — run CMD with an address-space limit and a
# time limit; sets $sec_rc (124 on time-out, >128 on a signal), $sec_out and
# $sec_err (files holding stdout and stderr).
sec_run() {
	local mb=$1 s=$2; shift 2
	sec_out=$sec_tmp/out.$RANDOM sec_err=$sec_tmp/err.$RANDOM
	set +e
	( ulimit -v $((mb * 1024)); exec timeout -s KILL "$s" "$@" ) >"$sec_out" 2>"$sec_err"
	sec_rc=$?
	set -e
}

# sec_no_crash — fail when the last sec_run died of a signal or timed out.
sec_no_crash() {
	[ "$sec_rc" -lt 124 ] || { cat "$sec_err" >&2; sec_fail "${1:-command} exited with $sec_rc (crash, kill or time-out)"; }
}

# sec_free_port — a free TCP port on 127.0.0.1.
sec_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
