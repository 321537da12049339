#!/bin/sh
# run.sh BUILDDIR [SEED] — differential tests of the sprig-extra modules
# against Go itself: Go's regexp, time (Format, String, ParseInLocation,
# ParseDuration, Duration.String) and Masterminds/semver v3.4.0 (the version
# helm v4.1.4 uses). Random cases from gen.py; Go's output and the C
# harness's output must be identical. Needs go, and the semver module in the
# module cache (go mod download github.com/Masterminds/semver/v3@v3.4.0).
# Not part of `make check`.
set -e
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: run.sh BUILDDIR [SEED]}" && pwd)
seed=${2:-1}
src=$here/../../..
libs="$(pkg-config --libs libpcre2-8 openssl yaml-0.1 libcurl libarchive zlib 2>/dev/null) -lcrypt -lm"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for t in regex semver time duration; do
    mkdir -p "$work/$t/c"
    cp "$here/$t/main.go" "$here/$t/gen.py" "$work/$t/"
    cp "$here/$t/harness.c" "$work/$t/c/"
    cd "$work/$t"
    printf 'module %sdiff\ngo 1.22\n' "$t" > go.mod
    [ $t = semver ] && echo 'require github.com/Masterminds/semver/v3 v3.4.0' >> go.mod
    python3 gen.py "$seed"
    gcc -std=gnu11 -I"$src/core" -I"$src/renderer" -I"$src/tests/unit" c/harness.c "$build/.libs/libcapstan.a" $libs -o harness
    GOFLAGS=-mod=mod GOPROXY=off TZ=America/New_York go run . > go.out
    TZ=America/New_York ./harness > c.out
    n=$(wc -l < go.out)
    if cmp -s go.out c.out; then
        echo "$t: $n cases, identical"
    else
        echo "$t: $n cases, $(diff go.out c.out | grep -c '^<') differ:"
        diff go.out c.out | head -10
        status=1
    fi
done
exit $status
