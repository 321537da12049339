#!/usr/bin/env bash
# Push and pull timings, capstan vs helm v4.1.4, on a loopback docker-registry:
#   tests/net/oci/bench.sh [CHART_DIR] [RUNS]     (from the repository root; default charts/jenkins, 10)
# Each push goes to a fresh repository (every blob uploaded); each pull into
# an empty directory. Prints the median wall time per operation and the ratio.
. tests/net/lib.sh
chart=${1:-charts/jenkins} runs=${2:-10}
CAPSTAN=$(realpath "$CAPSTAN")
"$HELM" package "$chart" -d "$net_tmp" >/dev/null
tgz=$(ls "$net_tmp"/*.tgz)
name=$(basename "$tgz" .tgz)
ver=${name##*-}
chart_name=${name%-*}
net_registry_start
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; e=$(date +%s%N); echo $(((e - s) / 1000)); }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'; }
for tool in helm capstan; do
  bin=$HELM; [ $tool = capstan ] && bin=$CAPSTAN
  for i in $(seq 1 "$runs"); do ms "$bin" push "$tgz" "oci://$registry/$tool$i" --plain-http; done >"$net_tmp/push.$tool"
  for i in $(seq 1 "$runs"); do
    rm -rf "$net_tmp/d" && mkdir "$net_tmp/d"
    ms "$bin" pull "oci://$registry/$tool$i/$chart_name" --version "$ver" --plain-http -d "$net_tmp/d"
  done >"$net_tmp/pull.$tool"
done
printf '%s (%s bytes), %s runs, median ms:\n' "$(basename "$tgz")" "$(stat -c %s "$tgz")" "$runs"
for op in push pull; do
  h=$(median <"$net_tmp/$op.helm") c=$(median <"$net_tmp/$op.capstan")
  printf '  %-4s helm %7s  capstan %7s  helm/capstan %.1fx\n' "$op" "$h" "$c" "$(echo "$h / $c" | bc -l)"
done
