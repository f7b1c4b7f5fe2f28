#!/usr/bin/env bash
# The main job on bundled data: history -> forecast (one day ahead, 80 % and 95 % intervals).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build
exec build/src/cli/kairos forecast examples/data/web-requests.csv --horizon 48 --levels 80,95
