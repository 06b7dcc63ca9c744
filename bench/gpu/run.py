#!/usr/bin/env python3
"""FP8 GEMM throughput on the GPU: fp8-mlir's sm_90a / sm_100a kernel
against cuBLASLt (torch._scaled_mm, same FP8 inputs and scales) and bf16
torch.matmul.

Runs on the GPU machine from the source tree and the kernels prepared by
bench/gpu/prepare-device.sh (bench/gpu/kernels/<chip>/ and
bench/gpu/recipes.json); the body is fp8_mlir.gpu.bench.run, pure Python.

    python3 bench/gpu/run.py --out $OUT        # see bench/gpu/README.md
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "python" / "package"))
sys.path.insert(0, str(REPO / "python"))  # fp8_mlir_ref, the CPU reference

from fp8_mlir.gpu.bench import run  # noqa: E402

if __name__ == "__main__":
    sys.exit(run.main(out_dir=str(HERE / "results"),
                      kernel_dir=str(HERE / "kernels"),
                      recipe_table=str(HERE / "recipes.json")))
