#!/usr/bin/env bash
# Build the Python binding from source in a fresh venv and run its pytest suite.
#
#   bindings/python/run-tests.sh [pytest args...]
#
# Environment:
#   PYTHON         interpreter to build the venv with (default: python3)
#   KAIROS_BIN     the `kairos` CLI the results are compared with (default:
#                  build/src/cli/kairos of this repository; the parity tests skip without one)
#   KAIROS_PY_VENV keep the venv here (default: a temporary directory, removed afterwards)
#   PIP_FLAGS      extra flags for pip install (e.g. --no-build-isolation for offline use)
#   KAIROS_DIST_TESTS=1  also install dask[distributed], pyspark and pyarrow, so that
#                  tests/test_dist.py runs on a Dask LocalCluster and Spark local[2] (needs
#                  Java 17 for pyspark); without it those tests skip
#
# Needs: a C compiler, SWIG 4, pkg-config, libyaml, OpenBLAS and LAPACKE development files
# (what the C library needs, see scripts/), and PyPI for meson-python, meson, ninja, numpy,
# pytest and pandas.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"

tmp="$(mktemp -d)"
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
venv="${KAIROS_PY_VENV:-$tmp/venv}"

start=$(date +%s)
"$python" -m venv "$venv"
# pip >= 21.3 builds a local directory in place: subprojects/libkairos (a symlink to the
# repository root) is never copied.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check ${PIP_FLAGS:-} \
    "$here" pytest numpy pandas
built=$(date +%s)
echo "run-tests.sh: venv + pip install took $((built - start)) s"

if [ "${KAIROS_DIST_TESTS:-0}" = "1" ]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check ${PIP_FLAGS:-} \
        "dask[dataframe,distributed]" pyspark pyarrow pandas
    dist_built=$(date +%s)
    echo "run-tests.sh: dask + pyspark install took $((dist_built - built)) s"
    built=$dist_built
fi

if [ -z "${KAIROS_BIN:-}" ] && [ -x "$repo/build/src/cli/kairos" ]; then
    export KAIROS_BIN="$repo/build/src/cli/kairos"
fi

# Run from outside the source tree so `import kairos` is the installed package.
cd "$tmp"
set +e
"$venv/bin/python" -m pytest -p no:cacheprovider -q "$here/tests" "$@"
status=$?
set -e
echo "run-tests.sh: tests took $(( $(date +%s) - built )) s"
exit $status
