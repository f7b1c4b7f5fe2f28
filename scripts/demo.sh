#!/usr/bin/env bash
# The main job on bundled data: for each of three workloads, history -> forecast -> replica
# plan -> cost -> decision -> KEDA ScaledObject, written to kairos-run/ (open
# kairos-run/index.html), with a summary table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build
exec build/src/cli/kairos run examples/run/kairos.yaml --out kairos-run
