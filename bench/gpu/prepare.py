#!/usr/bin/env python3
"""Compile the GEMM kernels of the GPU benchmark ahead of time.

The GPU machine gets the source tree only (no fp8-mlir build), so the kernels
run.py measures are compiled here, with fp8-opt, once per chip, into

    bench/gpu/kernels/<chip>/<M>x<N>x<K>-<recipe>/
        gemm.mlir        the one fp8.scaled_matmul compiled
        manifest.json    the kernel manifest (grid, block, TMA specs, ...)
        <kernel>.ptx.gz  its PTX, gzipped
      or rejected.txt    the compiler's diagnostic when it has no kernel
    bench/gpu/kernels/<chip>/index.json   the chip's cases, their status,
                                          the commit and when fp8-opt was built

run.py runs the set of the chip of the GPU it finds (sm_90a: Hopper,
sm_100a: Blackwell B200).

Usage:
    bench/gpu/prepare.py [--chip sm_90a|sm_100a|all] [--fp8-opt build/bin/fp8-opt]
    bench/gpu/prepare.py --check   # exit 1 when the kernels are stale
"""

import argparse
import datetime
import json
import math
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
RECIPES = ["tensorwise", "rowwise", "blockwise", "mxfp8"]
#: The recipes compiled per chip. sm_90a runs MX by promoting wgmma partial
#: sums with the decoded E8M0 scales; sm_100a has no `[1, 128] x [128, 128]`
#: GEMM, so its `blockwise` cases record the compiler's diagnostic.
CHIP_RECIPES = {"sm_90a": RECIPES, "sm_100a": RECIPES}
CHIPS = list(CHIP_RECIPES)
#: Element type of the decode scales per recipe (MX scales are E8M0).
RECIPE_SCALE_TYPES = {"tensorwise": "f32", "rowwise": "f32",
                      "blockwise": "f32", "mxfp8": "f8E8M0FNU"}
KERNEL_DIR = HERE / "kernels"
#: Kernels compiled with non-default pipeline options besides the default
#: one, to measure what a choice of the heuristic buys: name -> (options,
#: recipes, smallest M*N*K). sm_90a: the 2-CTA clusters (TMA multicast),
#: the fast accumulation of E4M3 x E4M3 GEMMs, and persistent CTAs (off by
#: default until measured).
CHIP_VARIANTS = {
    "sm_90a": {
        "nocluster": ("gemm-cluster=1x1", ("tensorwise", "blockwise"),
                      4096 ** 3),
        "splitacc": ("gemm-accumulate=split", ("tensorwise",), 4096 ** 3),
        "persistent": ("gemm-persistent=on", ("tensorwise", "blockwise"),
                       4096 ** 3),
    },
    "sm_100a": {},
}


def case_name(shape, recipe, variant=None):
    name = "x".join(str(d) for d in shape) + "-" + recipe
    return name + "-" + variant if variant else name


def chip_cases(chip):
    """(shape, recipe, variant or None) of every case of `chip`."""
    for shape in SHAPES:
        for recipe in CHIP_RECIPES[chip]:
            yield shape, recipe, None
            for variant, (_, recipes, least) in CHIP_VARIANTS[chip].items():
                if recipe in recipes and math.prod(shape) >= least:
                    yield shape, recipe, variant


def case_ir(shape, recipe):
    """The benchmark GEMM: E4M3 x E4M3 -> bf16, B K-major, the recipe's
    scalings and scale type (what torch._scaled_mm computes with the same
    inputs)."""
    m, n, k = shape
    a_scaling, b_scaling = RECIPE_SCALINGS[recipe]
    return gemm_ir(m, n, k, "f8E4M3FN", "f8E4M3FN", "bf16", a_scaling,
                   b_scaling, scale_type=RECIPE_SCALE_TYPES[recipe])


def chip_dir(kernel_dir, chip):
    """The folder of one chip's kernel set."""
    return Path(kernel_dir) / chip


def find_fp8_opt(explicit):
    if explicit:
        return explicit
    build = Path(os.environ.get("FP8_BUILD_DIR", REPO / "build"))
    return str(build / "bin" / "fp8-opt")


def compile_case(fp8_opt, chip, shape, recipe, target, variant=None):
    """Compiles one case for `chip` into `target`; returns its index entry."""
    ir = case_ir(shape, recipe)
    options = f"chip={chip} format=isa"
    if variant:
        options += " " + CHIP_VARIANTS[chip][variant][0]
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / "gemm.mlir").write_text(ir)
    # Run in `target` on a relative name: locations say "gemm.mlir":3:8.
    done = subprocess.run(
        [os.path.abspath(fp8_opt), "gemm.mlir",
         f"--fp8-gpu-pipeline={options}"],
        capture_output=True, text=True, cwd=target)
    entry = {"name": case_name(shape, recipe, variant), "m": shape[0],
             "n": shape[1], "k": shape[2], "recipe": recipe}
    if variant:
        entry.update(variant=variant, options=CHIP_VARIANTS[chip][variant][0])
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


def prepare(fp8_opt, kernel_dir, chip):
    """Compiles every case of `chip` into kernel_dir/<chip>/ (replacing the
    folder); returns its index."""
    out_dir = chip_dir(kernel_dir, chip)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    entries = []
    for shape, recipe, variant in chip_cases(chip):
        entry = compile_case(fp8_opt, chip, shape, recipe,
                             out_dir / case_name(shape, recipe, variant),
                             variant)
        entries.append(entry)
        print(f"{chip} {entry['name']:38} {entry['status']:9} "
              f"{entry.get('kernel') or entry.get('reason')}")
    built = datetime.datetime.fromtimestamp(os.path.getmtime(fp8_opt),
                                            datetime.timezone.utc)
    index = {"chip": chip, "commit": git_commit(),
             "fp8_opt_built": built.isoformat(timespec="seconds"),
             "cases": entries}
    with open(out_dir / "index.json", "w", encoding="utf-8") as f:
        json.dump(index, f, indent=2)
        f.write("\n")
    return index


def stale_cases(fp8_opt, kernel_dir=KERNEL_DIR, chips=CHIPS):
    """Names ("<chip>/<case>") of the cases whose prepared kernels differ
    from what fp8-opt makes now (manifest, PTX or rejection), or that the
    chip's index.json does not list as they are."""
    stale = []
    with tempfile.TemporaryDirectory() as scratch:
        for chip in chips:
            prepared = chip_dir(kernel_dir, chip)
            try:
                index = json.loads((prepared / "index.json").read_text())
                listed = {e["name"]: e for e in index["cases"]}
            except (OSError, ValueError, KeyError):
                index, listed = {}, {}
            names = set()
            for shape, recipe, variant in chip_cases(chip):
                name = case_name(shape, recipe, variant)
                names.add(name)
                fresh = Path(scratch) / chip / name
                entry = compile_case(fp8_opt, chip, shape, recipe, fresh,
                                     variant)
                if (index.get("chip") != chip
                        or listed.get(name) != entry
                        or not _same_case(prepared / name, fresh)):
                    stale.append(f"{chip}/{name}")
            stale += [f"{chip}/{name} (no longer a case)"
                      for name in listed if name not in names]
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
    parser.add_argument("--chip", choices=CHIPS + ["all"], default="all",
                        help="the kernel set to compile (default: all)")
    parser.add_argument("--out", default=str(KERNEL_DIR),
                        help="kernel sets go to OUT/<chip>/")
    parser.add_argument("--check", action="store_true",
                        help="compare with the prepared kernels; change nothing")
    args = parser.parse_args(argv)
    fp8_opt = find_fp8_opt(args.fp8_opt)
    if not os.access(fp8_opt, os.X_OK):
        print(f"prepare.py: no fp8-opt at {fp8_opt} (scripts/build.sh)",
              file=sys.stderr)
        return 2
    chips = CHIPS if args.chip == "all" else [args.chip]
    if args.check:
        stale = stale_cases(fp8_opt, Path(args.out), chips)
        for name in stale:
            print(f"stale: {name}")
        if stale:
            print("rerun bench/gpu/prepare.py", file=sys.stderr)
        return 1 if stale else 0
    for chip in chips:
        prepare(fp8_opt, Path(args.out), chip)
    return 0


if __name__ == "__main__":
    sys.exit(main())
