#!/usr/bin/env python3
"""Compile the GEMM kernels of the GPU benchmark ahead of time.

The GPU machine gets the source tree only (no fp8-mlir build), so the kernels
run.py measures are compiled here, with fp8-opt, into

    bench/gpu/kernels/<M>x<N>x<K>-<recipe>/
        gemm.mlir        the one fp8.scaled_matmul compiled
        manifest.json    the kernel manifest (grid, block, TMA specs, ...)
        <kernel>.ptx.gz  its PTX, gzipped
      or rejected.txt    the compiler's diagnostic when it has no kernel
    bench/gpu/kernels/index.json   the cases, their status, the commit and
                                   when fp8-opt was built

Usage:
    bench/gpu/prepare.py [--fp8-opt build/bin/fp8-opt]
    bench/gpu/prepare.py --check   # exit 1 when the kernels are stale
"""

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "python" / "package"))

from fp8_mlir import ptx  # noqa: E402  (pure Python: no extension needed)
from fp8_mlir.gpu.gemm import RECIPE_SCALINGS, gemm_ir  # noqa: E402

#: (M, N, K): square sizes, then LLM projections (Llama-3-70B-like MLP up
#: projection 8192x28672x4096 and a 16384-token 8192x8192 projection).
SHAPES = [(1024, 1024, 1024), (2048, 2048, 2048), (4096, 4096, 4096),
          (8192, 8192, 8192), (8192, 28672, 4096), (16384, 8192, 8192)]
RECIPES = ["tensorwise", "rowwise", "blockwise"]
CHIP = "sm_90a"
KERNEL_DIR = HERE / "kernels"


def case_name(shape, recipe):
    return "x".join(str(d) for d in shape) + "-" + recipe


def case_ir(shape, recipe):
    """The benchmark GEMM: E4M3 x E4M3 -> bf16, B K-major, the recipe's
    scalings (what torch._scaled_mm computes with the same inputs)."""
    m, n, k = shape
    a_scaling, b_scaling = RECIPE_SCALINGS[recipe]
    return gemm_ir(m, n, k, "f8E4M3FN", "f8E4M3FN", "bf16", a_scaling,
                   b_scaling)


def find_fp8_opt(explicit):
    if explicit:
        return explicit
    build = Path(os.environ.get("FP8_BUILD_DIR", REPO / "build"))
    return str(build / "bin" / "fp8-opt")


def compile_case(fp8_opt, shape, recipe, target):
    """Compiles one case into `target`; returns its index entry."""
    ir = case_ir(shape, recipe)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / "gemm.mlir").write_text(ir)
    # Run in `target` on a relative name: locations say "gemm.mlir":3:8.
    done = subprocess.run(
        [os.path.abspath(fp8_opt), "gemm.mlir",
         f"--fp8-gpu-pipeline=chip={CHIP} format=isa"],
        capture_output=True, text=True, cwd=target)
    entry = {"name": case_name(shape, recipe), "m": shape[0], "n": shape[1],
             "k": shape[2], "recipe": recipe}
    if done.returncode != 0:
        diagnostic = done.stderr.strip()
        (target / "rejected.txt").write_text(diagnostic + "\n")
        entry.update(status="rejected", reason=diagnostic.splitlines()[0])
        return entry
    ptx.write(done.stdout, str(target), compress=True)
    _, manifest = ptx.read(str(target))
    (kernel,) = manifest["kernels"]
    entry.update(status="compiled", kernel=kernel["name"],
                 grid=kernel["grid"], block=kernel["block"],
                 dynamic_shared_memory=kernel["dynamic_shared_memory"])
    return entry


def git_commit():
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"],
                              capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain",
                                "--", "lib", "include"],
                               capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def prepare(fp8_opt, out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for shape in SHAPES:
        for recipe in RECIPES:
            entry = compile_case(fp8_opt, shape, recipe,
                                 out_dir / case_name(shape, recipe))
            entries.append(entry)
            print(f"{entry['name']:28} {entry['status']:9} "
                  f"{entry.get('kernel') or entry.get('reason')}")
    built = datetime.datetime.fromtimestamp(os.path.getmtime(fp8_opt),
                                            datetime.timezone.utc)
    index = {"chip": CHIP, "commit": git_commit(),
             "fp8_opt_built": built.isoformat(timespec="seconds"),
             "cases": entries}
    with open(out_dir / "index.json", "w", encoding="utf-8") as f:
        json.dump(index, f, indent=2)
        f.write("\n")
    return index


def stale_cases(fp8_opt, kernel_dir=KERNEL_DIR):
    """Names of the cases whose prepared kernels differ from what fp8-opt
    makes now (manifest, PTX or rejection)."""
    stale = []
    with tempfile.TemporaryDirectory() as scratch:
        for shape in SHAPES:
            for recipe in RECIPES:
                name = case_name(shape, recipe)
                fresh = Path(scratch) / name
                compile_case(fp8_opt, shape, recipe, fresh)
                if not _same_case(kernel_dir / name, fresh):
                    stale.append(name)
    return stale


def _same_case(old, new):
    if (old / "rejected.txt").exists() or (new / "rejected.txt").exists():
        return ((old / "rejected.txt").exists() and (new / "rejected.txt").exists()
                and (old / "rejected.txt").read_text() == (new / "rejected.txt").read_text())
    try:
        return ptx.read(str(old)) == ptx.read(str(new))
    except ptx.ExtractError:
        return False


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fp8-opt", help="default: $FP8_BUILD_DIR/bin/fp8-opt "
                        "or build/bin/fp8-opt")
    parser.add_argument("--out", default=str(KERNEL_DIR))
    parser.add_argument("--check", action="store_true",
                        help="compare with the prepared kernels; change nothing")
    args = parser.parse_args(argv)
    fp8_opt = find_fp8_opt(args.fp8_opt)
    if not os.access(fp8_opt, os.X_OK):
        print(f"prepare.py: no fp8-opt at {fp8_opt} (scripts/build.sh)",
              file=sys.stderr)
        return 2
    if args.check:
        stale = stale_cases(fp8_opt, Path(args.out))
        for name in stale:
            print(f"stale: {name}")
        if stale:
            print("rerun bench/gpu/prepare.py", file=sys.stderr)
        return 1 if stale else 0
    prepare(fp8_opt, Path(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
