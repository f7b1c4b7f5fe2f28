# Source this to build and test the binding against an uninstalled libkairos build:
#   . bindings/go/env.sh [BUILD_DIR]        (default: build-go at the repository root)
_kairos_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
_kairos_build="${1:-$_kairos_root/build-go}"
case "$_kairos_build" in /*) ;; *) _kairos_build="$_kairos_root/$_kairos_build" ;; esac
export PKG_CONFIG_PATH="$_kairos_build/meson-uninstalled${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export LD_LIBRARY_PATH="$_kairos_build/src${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export KAIROS_CLI="$_kairos_build/src/cli/kairos"
unset _kairos_root _kairos_build
