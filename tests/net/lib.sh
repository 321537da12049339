# lib.sh — shared by the network tests in tests/net/ (sourced; run from the
# repository root by tests/net/run). Real servers on loopback, started and
# stopped by the tests: a chart repository over HTTP (python3 -m http.server)
# and OCI registries (Debian's docker-registry, the distribution registry v2).
# Nothing here reaches beyond 127.0.0.0/8.
set -euo pipefail

CAPSTAN=${CAPSTAN:-${CAPSTAN_BUILDDIR:-.}/capstan}
[ -x "$CAPSTAN" ] || { echo "no capstan binary at $CAPSTAN (build first)"; exit 1; }
[ -n "${HELM:-}" ] || HELM=$(tests/tools/fetch-helm | sed -n 's/^helm4=//p')
export CAPSTAN HELM

net_fail() { echo "FAIL: $*" >&2; exit 1; }
net_ok() { echo "ok: $*"; }

# A scratch directory for this test, removed (with every server started here)
# when the test's shell exits.
net_tmp=$(mktemp -d "${TMPDIR:-/tmp}/capstan-net.XXXXXX")
net_pids=()
net_cleanup() {
  local p
  for p in "${net_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${net_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$net_tmp"
}
trap net_cleanup EXIT
# Keep helm's own configuration and caches inside the scratch directory.
export HELM_CONFIG_HOME=$net_tmp/helm-config HELM_CACHE_HOME=$net_tmp/helm-cache HELM_DATA_HOME=$net_tmp/helm-data
export XDG_CONFIG_HOME=$net_tmp/xdg-config XDG_CACHE_HOME=$net_tmp/xdg-cache
# No proxy may capture loopback traffic.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

# A free TCP port on HOST (default 127.0.0.1).
net_free_port() {
  python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1]); s.close()' "${1:-127.0.0.1}"
}

# Wait until HOST:PORT accepts connections (10 s at most).
net_wait_port() {
  local i
  for i in $(seq 1 100); do
    if python3 -c 'import socket,sys; socket.create_connection((sys.argv[1],int(sys.argv[2])),0.2).close()' "$1" "$2" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  net_fail "nothing listens on $1:$2"
}

# net_http_serve DIR [HOST] — serve DIR over plain HTTP; sets $http_url
# (http://HOST:PORT) and $http_pid.
net_http_serve() {
  local dir=$1 host=${2:-127.0.0.1} port
  port=$(net_free_port "$host")
  python3 -m http.server --bind "$host" --directory "$dir" "$port" >"$net_tmp/http-$port.log" 2>&1 &
  http_pid=$!
  net_pids+=("$http_pid")
  net_wait_port "$host" "$port"
  http_url="http://$host:$port"
}

# net_registry_start [USER:PASSWORD] [HOST] — start a distribution registry
# (v2) on HOST (default 127.0.0.1), with htpasswd basic auth when a user is
# given; sets $registry (HOST:PORT), $registry_pid and $registry_dir.
net_registry_start() {
  local cred=${1:-} host=${2:-127.0.0.1} port dir auth=""
  command -v docker-registry >/dev/null || net_fail "docker-registry is not installed (autotools/setup-debian)"
  port=$(net_free_port "$host")
  dir=$net_tmp/registry-$port
  mkdir -p "$dir/storage"
  if [ -n "$cred" ]; then
    command -v htpasswd >/dev/null || net_fail "htpasswd is not installed (apache2-utils)"
    htpasswd -Bbn "${cred%%:*}" "${cred#*:}" >"$dir/htpasswd" 2>/dev/null
    auth="auth:
  htpasswd:
    realm: capstan-test
    path: $dir/htpasswd"
  fi
  cat >"$dir/config.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: $host:$port
$auth
YML
  docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
  registry_pid=$!
  net_pids+=("$registry_pid")
  net_wait_port "$host" "$port"
  registry="$host:$port"
  registry_dir=$dir
}

# net_stop PID — stop one server started above (to make it unreachable).
net_stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
