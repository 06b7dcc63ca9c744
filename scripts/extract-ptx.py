#!/usr/bin/env python3
"""Write the kernels of an fp8-opt --fp8-gpu-pipeline output to files.

Reads the MLIR that `fp8-opt --fp8-gpu-pipeline="chip=sm_90a"` prints and
writes, into --output-dir:

  <kernel>.ptx     the PTX of each gpu.binary (format=isa), or
  <kernel>.cubin   its cubin (format=bin)
  manifest.json    the kernel manifest recorded by convert-fp8-to-gpu: per
                   kernel its name, grid, block, cluster, dynamic shared
                   memory and parameters (buffers, TMA descriptor specs),
                   plus the file holding its code.

Usage:
  fp8-opt in.mlir --fp8-gpu-pipeline="chip=sm_90a" | extract-ptx.py -o out/
  extract-ptx.py lowered.mlir -o out/

A command line over python/package/fp8_mlir/ptx.py (`fp8_mlir.ptx`), loaded
from its file so that only the Python standard library is needed.
"""

import argparse
import importlib.util
import os
import sys

_PTX_MODULE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           os.pardir, "python", "package", "fp8_mlir", "ptx.py")


def load_ptx_module():
    """fp8_mlir.ptx without importing the fp8_mlir package (whose compiled
    extension this script does not need)."""
    spec = importlib.util.spec_from_file_location("fp8_mlir_ptx", _PTX_MODULE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", nargs="?", default="-",
                        help="fp8-opt output (default: stdin)")
    parser.add_argument("-o", "--output-dir", required=True)
    parser.add_argument("--gzip", action="store_true",
                        help="write <kernel>.ptx.gz (the manifest names them)")
    args = parser.parse_args(argv)

    ptx = load_ptx_module()
    if args.input == "-":
        text = sys.stdin.read()
    else:
        with open(args.input, encoding="utf-8") as f:
            text = f.read()
    try:
        paths = ptx.write(text, args.output_dir, compress=args.gzip)
    except ptx.ExtractError as error:
        print(f"extract-ptx.py: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
