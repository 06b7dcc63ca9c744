#!/usr/bin/env bash
# The main job on the bundled examples: set up, build, then
#   1. parse, verify and print examples/fp8-linear.mlir (every fp8 op);
#   2. quantize the f32 model examples/mlp.mlir to FP8 with each recipe
#      (--fp8-quantize-pipeline) and run it on the CPU (fp8-run), printing the
#      error against numpy, then the numerics report of the tensorwise
#      program (fp8-run --report) and its five worst tensors;
#   3. compile it to PTX for Hopper (sm_90a) and Blackwell (sm_100a)
#      (--fp8-gpu-pipeline) with a kernel manifest.
# Stages whose pipeline is not built yet say so and are skipped.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
venv="${FP8_VENV:-$root/build/venv}"

"$root/scripts/setup.sh" >/dev/null
"$root/scripts/build.sh" >/dev/null
export PATH="$build/bin:$PATH"
out="$build/demo"
mkdir -p "$out"

echo "== 1. The fp8 dialect: examples/fp8-linear.mlir, verified and printed"
fp8-opt "$root/examples/fp8-linear.mlir"

echo
exec "$venv/bin/python" "$root/scripts/demo_model.py" \
  --model "$root/examples/mlp.mlir" --entry mlp --build "$build" --out "$out"
