#!/usr/bin/env bash
# Every test: the normal build's whole suite (unit, golden, fuzz corpora, CLI, examples,
# build hygiene), then the C and CLI suites again under AddressSanitizer + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
scripts/build.sh build
meson test -C build --print-errorlogs || status=1
scripts/build.sh build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
meson test -C build-asan --print-errorlogs --suite unit --suite fuzz --suite golden --suite cli \
    --suite examples || status=1

python3 - build build-asan <<'PY'
import json, sys
passed = failed = skipped = 0
for d in sys.argv[1:]:
    for line in open(f"{d}/meson-logs/testlog.json"):
        r = json.loads(line)["result"]
        passed += r in ("OK", "EXPECTEDFAIL")
        skipped += r == "SKIP"
        failed += r not in ("OK", "EXPECTEDFAIL", "SKIP")
print(f"libkairos: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
