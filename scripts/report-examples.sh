#!/usr/bin/env bash
# Regenerates the committed numerics reports in docs/report/ (docs/report.md):
# examples/mlp.mlir on Gaussian data and with 0.1% outliers of 1e4 in x, and
# the Llama block of python/tests/fixtures/linalg, each quantized with
# --fp8-quantize-pipeline (locations kept with --mlir-print-debuginfo), run
# by fp8-run --report, and plotted by python -m fp8_mlir.report_plot, which
# prints the five tensors with the lowest FP8 SQNR.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
python="${FP8_VENV:-$build/venv}/bin/python"
export PYTHONPATH="$build/python_packages${PYTHONPATH:+:$PYTHONPATH}"
out="$root/docs/report"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
cd "$root"  # locations relative to the repository

"$python" - "$work" <<'PY'
import sys
import numpy as np
work = sys.argv[1]
rng = np.random.default_rng(0)
x = rng.standard_normal((256, 512)).astype(np.float32)
np.save(f"{work}/x.npy", x)
outliers = x.copy()
outliers.flat[rng.choice(x.size, x.size // 1000, replace=False)] = 1e4
np.save(f"{work}/x-outliers.npy", outliers)
for name, shape, fan_in in (("w1", (2048, 512), 512), ("w2", (512, 2048), 2048)):
    np.save(f"{work}/{name}.npy",
            (rng.standard_normal(shape) / np.sqrt(fan_in)).astype(np.float32))
for name, size in (("b1", 2048), ("b2", 512)):
    np.save(f"{work}/{name}.npy", (0.1 * rng.standard_normal(size)).astype(np.float32))
np.save(f"{work}/block-x.npy", rng.standard_normal((4, 32)).astype(np.float32))
PY

# report NAME MODEL ENTRY RECIPE INPUT...
report() {
  local name="$1" model="$2" entry="$3" recipe="$4"
  shift 4
  "$build/bin/fp8-opt" "$model" --mlir-print-debuginfo \
    --fp8-quantize-pipeline="recipe=$recipe" -o "$work/$name.mlir"
  local inputs=()
  for input in "$@"; do inputs+=(--input "$work/$input.npy"); done
  "$build/bin/fp8-run" "$work/$name.mlir" --entry "$entry" "${inputs[@]}" \
    --report "$out/$name.json"
  echo "== $name: the five tensors with the lowest FP8 SQNR"
  "$python" -m fp8_mlir.report_plot "$out/$name.json" "$out/$name.png"
}

report mlp-tensorwise examples/mlp.mlir mlp tensorwise x w1 b1 w2 b2
report mlp-outliers-tensorwise examples/mlp.mlir mlp tensorwise x-outliers w1 b1 w2 b2
report mlp-outliers-blockwise examples/mlp.mlir mlp blockwise x-outliers w1 b1 w2 b2
report llama-block-tensorwise python/tests/fixtures/linalg/llama_block.mlir \
  llama_block tensorwise block-x
report llama-block-mxfp8 python/tests/fixtures/linalg/llama_block.mlir \
  llama_block mxfp8 block-x
