#!/bin/sh
# The shared library exports the public API and nothing else.
# usage: check_exports.sh LIBRARY
set -eu
lib=$1
syms=$(nm -D --defined-only "$lib" | awk '{ print $NF }')
[ -n "$syms" ] || { echo "no exported symbols in $lib"; exit 1; }
bad=$(printf '%s\n' "$syms" | grep -v '^kairos_' || true)
internal=$(printf '%s\n' "$syms" | grep '^kairos__' || true)
if [ -n "$bad$internal" ]; then
    echo "symbols exported beyond the public API:"; printf '%s\n' $bad $internal
    exit 1
fi
for must in kairos_strerror kairos_last_error kairos_series_parse_csv kairos_model_fit; do
    printf '%s\n' "$syms" | grep -qx "$must" || { echo "missing export: $must"; exit 1; }
done
echo "$(printf '%s\n' "$syms" | wc -l) symbols exported, all kairos_*"
