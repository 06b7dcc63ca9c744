#!/usr/bin/env bash
# Configure and build fp8-mlir into build/ (tools in build/bin).
# Usage: scripts/build.sh [extra cmake args...]
# Env:   BUILD_DIR (default: build), BUILD_TYPE (default: Release)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
llvm=/usr/lib/llvm-22

launcher=()
# Paths relative to the checkout in ccache's hash: build directories (build/,
# pip's build/pip, ...) share one cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}"
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi

if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" \
    -DCMAKE_C_COMPILER="$llvm/bin/clang" \
    -DCMAKE_CXX_COMPILER="$llvm/bin/clang++" \
    -DMLIR_DIR="$llvm/lib/cmake/mlir" \
    -DLLVM_EXTERNAL_LIT="$llvm/bin/lit" \
    -DFP8_PYTHON="${FP8_VENV:-$root/build/venv}/bin/python" \
    "${launcher[@]}" "$@"
fi
cmake --build "$build"
