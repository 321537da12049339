# archives_lib.sh — shared by tests/security/t_archive_*, t_http_*, t_watch_*
# (sourced after lib.sh): absolute binaries (the tests change directory), a
# tarball maker and loopback servers started in the background.
CAPSTAN=$(realpath "$CAPSTAN")
[ -x "$CAPSTAN_NET" ] && CAPSTAN_NET=$(realpath "$CAPSTAN_NET")
export CAPSTAN CAPSTAN_NET
arch_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# arch_tgz OUT MEMBER... — see archives_tgz.py.
arch_tgz() { python3 "$arch_dir/archives_tgz.py" "$@"; }

# arch_wait_port PORT — until something listens on 127.0.0.1:PORT (10 s at most).
arch_wait_port() {
	local i
	for i in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	sec_fail "no server came up on port $1"
}

# arch_serve DIR — serve DIR over http on loopback; sets $arch_url.
arch_serve() {
	local port
	port=$(sec_free_port)
	python3 -m http.server "$port" --bind 127.0.0.1 --directory "$1" >/dev/null 2>&1 &
	sec_pids+=($!)
	arch_wait_port "$port"
	arch_url=http://127.0.0.1:$port
}

# arch_listing DIR — every path below DIR, sorted, one a line.
arch_listing() { (cd "$1" && find . -mindepth 1 | LC_ALL=C sort); }

# arch_kubefake MODE — start archives_kubefake.py in MODE and point
# $KUBECONFIG at it.
arch_kubefake() {
	local port
	port=$(sec_free_port)
	python3 "$arch_dir/archives_kubefake.py" "$port" "$1" &
	sec_pids+=($!)
	arch_wait_port "$port"
	export KUBECONFIG=$sec_tmp/kubeconfig
	cat >"$KUBECONFIG" <<-YAML
	apiVersion: v1
	kind: Config
	clusters: [{name: fake, cluster: {server: "http://127.0.0.1:$port"}}]
	users: [{name: fake, user: {token: fake}}]
	contexts: [{name: fake, context: {cluster: fake, user: fake, namespace: default}}]
	current-context: fake
	YAML
}
