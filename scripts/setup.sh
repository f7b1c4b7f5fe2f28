#!/usr/bin/env bash
# Install what building and testing libkairos needs on a Debian/Ubuntu machine.
# Safe to run repeatedly: it installs only what is missing.
set -euo pipefail

# Build: compilers, meson, BLAS/LAPACKE, libyaml, cmocka; the CLI's optional libcurl (for
# Prometheus sources in `kairos run`). Tests: chromium renders the run report to a PNG.
debs=(meson ninja-build pkg-config gcc g++ clang libclang-rt-14-dev binutils
      libopenblas-dev liblapacke-dev libyaml-dev libcmocka-dev libcurl4-openssl-dev locales
      chromium)
missing=()
for p in "${debs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The Python used for tests is whatever python3 is on PATH (a pyenv or venv Python does
# not see Debian's Python modules), so test tools come from PyPI.
python3 -c 'import pytest' 2>/dev/null || python3 -m pip install -q 'pytest>=7'
