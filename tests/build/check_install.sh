#!/bin/sh
# Install into a staging directory, then build and run an example against the *installed*
# library through pkg-config, as a user would.
# usage: check_install.sh BUILD_DIR EXAMPLE_SOURCE DATA_CSV CC
set -eu
build=$1 example=$2 data=$3 cc=$4
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
meson install -C "$build" --destdir "$stage" --no-rebuild --quiet >/dev/null
pc=$(find "$stage" -name kairos.pc | head -n 1)
[ -n "$pc" ] || { echo "kairos.pc was not installed"; exit 1; }
lib=$(find "$stage" -name 'libkairos.so.*.*.*' | head -n 1)
soname=$(readelf -d "$lib" | sed -n 's/.*SONAME.*\[\(.*\)\].*/\1/p')
case "$soname" in libkairos.so.[0-9]*) ;; *) echo "bad soname '$soname'"; exit 1 ;; esac
test -f "$(dirname "$pc")/../../../include/kairos/kairos.h" ||
    test -n "$(find "$stage" -path '*include/kairos/version.h')" ||
    { echo "headers not installed"; exit 1; }
export PKG_CONFIG_SYSROOT_DIR="$stage" PKG_CONFIG_PATH="$(dirname "$pc")"
flags=$(pkg-config --cflags --libs kairos)
$cc -std=c11 -Wall -Wextra -Werror "$example" -o "$stage/example" $flags
LD_LIBRARY_PATH=$(dirname "$lib") "$stage/example" "$data" > "$stage/out.txt"
grep -q 'step' "$stage/out.txt" || { echo "example printed no forecast"; cat "$stage/out.txt"; exit 1; }
echo "installed $soname; example built with: pkg-config --cflags --libs kairos -> $flags"
