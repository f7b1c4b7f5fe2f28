#!/usr/bin/env bash
# Every test: the normal build's whole suite (unit, golden, fuzz corpora, CLI, examples,
# build hygiene), the C and CLI suites again under AddressSanitizer + UBSan, then the Go
# binding (with its scaler and the Prometheus integration test) and the Python binding (with
# its Dask LocalCluster and Spark local[2] tests).
# Ends with one line: "libkairos: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export OPENBLAS_NUM_THREADS=1
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
status=0

scripts/build.sh build
meson test -C build --print-errorlogs || status=1
scripts/build.sh build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized
meson test -C build-asan --print-errorlogs --suite unit --suite fuzz --suite golden --suite cli \
    --suite examples || status=1

# The bindings print their own "N passed, N failed, N skipped" line; keep it for the total.
bindings/go/run-tests.sh build 2>&1 | tee "$logs/go.log" || status=1
KAIROS_DIST_TESTS=1 bindings/python/run-tests.sh 2>&1 | tee "$logs/python.log" || status=1

python3 - build build-asan "$logs" <<'PY'
import json, pathlib, re, sys
passed = failed = skipped = 0
for d in sys.argv[1:3]:
    for line in open(f"{d}/meson-logs/testlog.json"):
        r = json.loads(line)["result"]
        passed += r in ("OK", "EXPECTEDFAIL")
        skipped += r == "SKIP"
        failed += r not in ("OK", "EXPECTEDFAIL", "SKIP")
for log in sorted(pathlib.Path(sys.argv[3]).glob("*.log")):
    text = log.read_text()
    counts = {k: int(v) for v, k in re.findall(r"(\d+) (passed|failed|skipped)", text)}
    if not counts:
        failed += 1          # a binding suite that printed no summary did not run properly
    passed += counts.get("passed", 0)
    failed += counts.get("failed", 0)
    skipped += counts.get("skipped", 0)
print(f"libkairos: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
