#!/usr/bin/env python3
"""Write the kernels of an fp8-opt --fp8-gpu-pipeline output to files.

  fp8-opt in.mlir --fp8-gpu-pipeline="chip=sm_90a" | extract-ptx.py -o out/
  extract-ptx.py lowered.mlir -o out/ [--gzip]

writes <kernel>.ptx (or .cubin) per kernel and manifest.json. The same as
`python -m fp8_mlir.ptx` with the package built in $FP8_BUILD_DIR (default
build/) on the path: the compiled extension reads the kernels through the C
API.
"""

import os
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = os.environ.get("FP8_BUILD_DIR", os.path.join(root, "build"))
sys.path.insert(0, os.path.join(build, "python_packages"))

from fp8_mlir import ptx  # noqa: E402

if __name__ == "__main__":
    sys.exit(ptx.main())
