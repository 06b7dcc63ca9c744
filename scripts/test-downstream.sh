#!/usr/bin/env bash
# Install fp8-mlir into build/install, then configure, build and test the
# downstream example (examples/downstream-opt) against the installed package
# only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
prefix="$build/install"
downstream="$build/downstream-opt"
llvm=/usr/lib/llvm-22

rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
if [ ! -f "$downstream/build.ninja" ]; then
  cmake -G Ninja -S "$root/examples/downstream-opt" -B "$downstream" \
    -DFP8MLIR_DIR="$prefix/lib/cmake/fp8mlir" \
    -DCMAKE_C_COMPILER="$llvm/bin/clang" -DCMAKE_CXX_COMPILER="$llvm/bin/clang++" \
    >/dev/null
fi
cmake --build "$downstream"
"$llvm/bin/lit" -v "$downstream/test"
