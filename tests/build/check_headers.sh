#!/bin/sh
# Every public header must compile on its own, as strict C11 and as C++.
# usage: check_headers.sh CC CXX SRC_INCLUDE_DIR BUILD_INCLUDE_DIR
set -eu
cc=$1 cxx=$2 src_inc=$3 build_inc=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for h in "$src_inc"/kairos/*.h "$build_inc"/kairos/version.h; do
    name=$(basename "$h")
    printf '#include <kairos/%s>\n#include <kairos/%s>\nint main(void) { return 0; }\n' \
        "$name" "$name" > "$tmp/t.c"
    if ! $cc -std=c11 -pedantic -Wall -Wextra -Werror -I"$src_inc" -I"$build_inc" \
            -c "$tmp/t.c" -o "$tmp/t.o"; then
        echo "not ok: $name does not compile alone as C11"; status=1
    fi
    if [ "$cxx" != "none" ]; then
        cp "$tmp/t.c" "$tmp/t.cpp"
        if ! $cxx -std=c++11 -pedantic -Wall -Wextra -Werror -I"$src_inc" -I"$build_inc" \
                -c "$tmp/t.cpp" -o "$tmp/t.o"; then
            echo "not ok: $name does not compile alone as C++"; status=1
        fi
    fi
    echo "checked $name"
done
exit $status
