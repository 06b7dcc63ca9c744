#!/usr/bin/env bash
# Generate what a GPU machine needs and cannot make itself (it gets the
# source tree, no fp8-mlir build): run where fp8-mlir is built, before the
# tree goes to the GPU machine. Writes (git ignores them; carry them along):
#   bench/gpu/kernels/<chip>/   the benchmark's GEMM kernels (prepare.py)
#   bench/gpu/recipes.json      the compiler's recipe table run.py reads
#   python/tests/gpu_kernels/   the GPU tests' kernels (gpu_cases.py; the
#                               sm_100a ones run only on a Blackwell GPU)
#
#   bench/gpu/prepare-device.sh        # then, there: bench/gpu/device-run.sh
#
# Env: BUILD_DIR (default build/), FP8_VENV (default $BUILD_DIR/venv).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${BUILD_DIR:-$root/build}"
python="${FP8_VENV:-$build/venv}/bin/python"

"$python" "$root/bench/gpu/prepare.py" --fp8-opt "$build/bin/fp8-opt"
(cd "$root/python" && PYTHONPATH="$build/python_packages" \
   "$python" tests/gpu_cases.py --output-dir tests/gpu_kernels)
echo "prepared bench/gpu/kernels, bench/gpu/recipes.json," \
     "and python/tests/gpu_kernels for a" \
     "device run"
