#!/usr/bin/env bash
# Build libkairos and run the Go binding's tests: go vet, then go test -race on the binding,
# the scaler and the integration test (real Prometheus on loopback), then the Go example.
#
#   bindings/go/run-tests.sh [BUILD_DIR]     default BUILD_DIR: build-go (created if needed)
#
# As root it installs the Debian packages the tests use when they are missing
# (prometheus, pkg-config); without them the integration test skips with the reason.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-build-go}"
case "$build" in /*) ;; *) build="$root/$build" ;; esac
started=$(date +%s)

if ! command -v go >/dev/null; then
    echo "run-tests.sh: Go is not installed (the binding needs Go >= 1.24: https://go.dev/dl)" >&2
    exit 2
fi
if [ "$(id -u)" -eq 0 ]; then
    missing=()
    command -v prometheus >/dev/null && command -v promtool >/dev/null || missing+=(prometheus)
    command -v pkg-config >/dev/null || missing+=(pkg-config)
    if ((${#missing[@]})); then
        echo "run-tests.sh: installing ${missing[*]}" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
    fi
fi

# The C library and the kairos program, in their own meson build directory.
echo "== libkairos: meson + ninja in $build"
if [ ! -f "$build/build.ninja" ]; then
    setup_log="$(mktemp)"
    meson setup "$build" "$root" >"$setup_log" 2>&1 || { cat "$setup_log"; rm -f "$setup_log"; exit 1; }
    rm -f "$setup_log"
fi
ninja -C "$build" >/dev/null || { ninja -C "$build" 2>&1 | tail -30; exit 1; }

# shellcheck source=env.sh
. "$here/env.sh" "$build"
# Prometheus's lookups and the scaler's build need no credentials; keep Go's caches local.
export GOFLAGS="${GOFLAGS:-} -count=1"

cd "$here"
echo "== go vet (binding, scaler, integration)"
go vet ./...
echo "== go test -race"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
go test -race -v ./... >"$log" 2>&1 || status=1
grep -E '^(ok|FAIL|---|\?)|^\s+--- (FAIL|SKIP)|^\s+\S+_test\.go:[0-9]+:' "$log" | grep -v -- '--- PASS' || true
if [ $status -ne 0 ]; then cat "$log" | tail -50; fi
passed=$(grep -cE '^\s*--- PASS' "$log" || true)
failed=$(grep -cE '^\s*--- FAIL' "$log" || true)
skipped=$(grep -cE '^\s*--- SKIP' "$log" || true)

echo "== example: examples/go/forecast"
(cd "$root/examples/go" && go vet ./... && go run ./forecast "$root/examples/data/web-requests.csv" >/dev/null) ||
    { echo "example failed" >&2; status=1; }
echo "== example config: examples/go/scaler.yaml"
go run ./cmd/kairos-scaler -config "$root/examples/go/scaler.yaml" -check || status=1

echo "go binding: $passed passed, $failed failed, $skipped skipped (tests and subtests) in $(( $(date +%s) - started ))s"
exit $status
