#!/usr/bin/env python3
"""Compile the GEMM kernels of the GPU benchmark ahead of time.

The GPU machine gets the source tree and the prepared kernels only (no
fp8-mlir build), so the kernels run.py measures are compiled here, with
fp8-opt, once per chip, into bench/gpu/kernels/<chip>/, and the compiler's
recipe table into bench/gpu/recipes.json (fp8_mlir.gpu.bench.prepare says
what each file holds). Needs the built package: $FP8_BUILD_DIR (default
build/, or the build holding --fp8-opt)/python_packages.

Usage:
    bench/gpu/prepare.py [--chip sm_90a|sm_100a|all] [--fp8-opt build/bin/fp8-opt]
                         [--out DIR] [--recipe-table FILE]
    bench/gpu/prepare.py --check   # exit 1 when the prepared kernels are stale
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def build_dir(argv):
    """The build whose package and fp8-opt to use: that of --fp8-opt, else
    $FP8_BUILD_DIR, else build/."""
    for i, arg in enumerate(argv):
        if arg.startswith("--fp8-opt="):
            return Path(arg.split("=", 1)[1]).resolve().parents[1]
        if arg == "--fp8-opt" and i + 1 < len(argv):
            return Path(argv[i + 1]).resolve().parents[1]
    return Path(os.environ.get("FP8_BUILD_DIR", REPO / "build"))


if __name__ == "__main__":
    build = build_dir(sys.argv[1:])
    sys.path.insert(0, str(build / "python_packages"))
    import fp8_mlir
    from fp8_mlir.gpu.bench import prepare

    if not fp8_mlir.has_compiler():
        sys.exit(f"prepare.py: no fp8_mlir extension in {build}/python_packages "
                 "(scripts/build.sh)")
    sys.exit(prepare.main(kernel_dir=str(HERE / "kernels"),
                          recipe_table=str(HERE / "recipes.json"),
                          fp8_opt=str(build / "bin" / "fp8-opt"), repo=REPO))
