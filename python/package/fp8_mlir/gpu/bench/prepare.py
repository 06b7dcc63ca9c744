"""Compiling the GPU benchmark's GEMM kernels ahead of time, with fp8-opt,
once per chip, into

    <kernel dir>/<chip>/<M>x<N>x<K>-<recipe>/
        gemm.mlir        the one fp8.scaled_matmul compiled
        manifest.json    the kernel manifest (grid, block, TMA specs, ...)
        <kernel>.ptx.gz  its PTX, gzipped
      or rejected.txt    the compiler's diagnostic when it has no kernel
    <kernel dir>/<chip>/index.json   the chip's cases, their status, the
                                     commit and when fp8-opt was built

and the recipe table (a JSON file) that the GPU machine reads instead of
asking a compiler (`write_recipes`). Needs fp8-opt and the compiled extension (the recipe
table, the kernels out of fp8-opt's output).
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

from ... import ptx
from ..gemm import gemm_ir, recipe_scalings, scale_shape, scaling_attr
from .cases import (CHIP_VARIANTS, CHIPS, FP4_RECIPES, RECIPES, case_name,
                    chip_cases, chip_dir, is_fp4)


def recipe_table(recipes=RECIPES + FP4_RECIPES):
    """recipe -> {"a": scaling, "b": scaling, "scale_type": MLIR type}: how
    the compiler quantizes the benchmark's A (activation) and B (weight)."""
    table = {}
    for recipe in recipes:
        a, b, scale_type = recipe_scalings(recipe)
        table[recipe] = {"a": a, "b": b, "scale_type": scale_type}
    return table


def write_recipes(path):
    """Writes the recipe table to `path` (JSON)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(recipe_table(), indent=2) + "\n")
    return path


def case_ir(shape, recipe):
    """The benchmark GEMM: E4M3 x E4M3 -> bf16, B K-major, the recipe's
    scalings and scale type (what torch._scaled_mm computes with the same
    inputs)."""
    m, n, k = shape
    a_scaling, b_scaling, scale_type = recipe_scalings(recipe)
    if is_fp4(recipe):
        return fp4_case_ir(shape, a_scaling, b_scaling, scale_type)
    return gemm_ir(m, n, k, "f8E4M3FN", "f8E4M3FN", "bf16", a_scaling,
                   b_scaling, scale_type=scale_type)


def fp4_case_ir(shape, a_scaling, b_scaling, scale_type):
    """The FP4 benchmark GEMM: E2M1 x E2M1 -> bf16, B K-major, the recipe's
    block scalings; NVFP4 (E4M3 scales) with the f32 per-tensor scales
    a_global and b_global (cuBLASLt's VEC16_UE4M3 GEMM takes their product
    as alpha)."""
    m, n, k = shape
    a, b = f"tensor<{m}x{k}xf4E2M1FN>", f"tensor<{n}x{k}xf4E2M1FN>"
    sa = "tensor<{}x{}x{}>".format(*scale_shape(a_scaling, m, k), scale_type)
    sb = "tensor<{}x{}x{}>".format(*scale_shape(b_scaling, n, k), scale_type)
    d = f"tensor<{m}x{n}xbf16>"
    args = f"%a: {a}, %sa: {sa}, %b: {b}, %sb: {sb}"
    globals_ = ""
    if scale_type == "f8E4M3FN":
        args += ", %ga: tensor<f32>, %gb: tensor<f32>"
        globals_ = " a_global(%ga : tensor<f32>) b_global(%gb : tensor<f32>)"
    return (
        f"func.func @gemm({args}) -> ({d}) {{\n"
        f"  %d = fp8.scaled_matmul %a, %sa, %b, %sb{globals_}\n"
        f"      {{a_scaling = {scaling_attr(a_scaling)}, "
        f"b_scaling = {scaling_attr(b_scaling)}, transpose_b}}\n"
        f"      : {a}, {sa}, {b}, {sb} -> {d}\n"
        f"  return %d : {d}\n"
        f"}}\n")


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


def git_commit(repo):
    """HEAD of `repo`, "+dirty" when lib/ or include/ have changes."""
    if repo is None:
        return "unknown"
    try:
        head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"],
                              capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain",
                                "--", "lib", "include"],
                               capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def prepare(fp8_opt, kernel_dir, chip, repo=None, shapes=None, quiet=False):
    """Compiles every case of `chip` (of `shapes` only, when given) into
    kernel_dir/<chip>/ (replacing the folder); returns its index."""
    out_dir = chip_dir(kernel_dir, chip)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    entries = []
    for shape, recipe, variant in chip_cases(chip, shapes):
        entry = compile_case(fp8_opt, chip, shape, recipe,
                             out_dir / case_name(shape, recipe, variant),
                             variant)
        entries.append(entry)
        if not quiet:
            print(f"{chip} {entry['name']:38} {entry['status']:9} "
                  f"{entry.get('kernel') or entry.get('reason')}")
    built = datetime.datetime.fromtimestamp(os.path.getmtime(fp8_opt),
                                            datetime.timezone.utc)
    index = {"chip": chip, "commit": git_commit(repo),
             "fp8_opt_built": built.isoformat(timespec="seconds"),
             "cases": entries}
    with open(out_dir / "index.json", "w", encoding="utf-8") as f:
        json.dump(index, f, indent=2)
        f.write("\n")
    return index


def stale_cases(fp8_opt, kernel_dir, chips=CHIPS, shapes=None):
    """Names ("<chip>/<case>") of the cases (of `shapes` only, when given)
    whose prepared kernels differ from what fp8-opt makes now (manifest, PTX
    or rejection), or that the chip's index.json does not list as they
    are."""
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
            for shape, recipe, variant in chip_cases(chip, shapes):
                name = case_name(shape, recipe, variant)
                names.add(name)
                fresh = Path(scratch) / chip / name
                entry = compile_case(fp8_opt, chip, shape, recipe, fresh,
                                     variant)
                if (index.get("chip") != chip
                        or listed.get(name) != entry
                        or not _same_case(prepared / name, fresh)):
                    stale.append(f"{chip}/{name}")
            if shapes is None:
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


def main(argv=None, kernel_dir=None, recipe_table=None, fp8_opt=None,
         repo=None):
    """The command line of bench/gpu/prepare.py; `kernel_dir`,
    `recipe_table` and `fp8_opt` are the defaults of --out, --recipe-table
    and --fp8-opt, `repo`
    the checkout whose commit index.json records."""
    parser = argparse.ArgumentParser(
        description="Compile the GEMM kernels of the GPU benchmark ahead of "
                    "time.")
    parser.add_argument("--fp8-opt", default=fp8_opt,
                        help=f"the fp8-opt to compile with (default: {fp8_opt})")
    parser.add_argument("--chip", choices=CHIPS + ["all"], default="all",
                        help="the kernel set to compile (default: all)")
    parser.add_argument("--out", default=kernel_dir, required=kernel_dir is None,
                        help=f"kernel sets go to OUT/<chip>/ (default: {kernel_dir})")
    parser.add_argument("--recipe-table", default=recipe_table,
                        required=recipe_table is None,
                        help="the recipe table (JSON) the GPU machine reads "
                        f"(default: {recipe_table})")
    parser.add_argument("--check", action="store_true",
                        help="compare with the prepared kernels; change nothing")
    args = parser.parse_args(argv)
    if not args.fp8_opt or not os.access(args.fp8_opt, os.X_OK):
        print(f"prepare.py: no fp8-opt at {args.fp8_opt} (scripts/build.sh)",
              file=sys.stderr)
        return 2
    chips = CHIPS if args.chip == "all" else [args.chip]
    if args.check:
        stale = stale_cases(args.fp8_opt, Path(args.out), chips)
        for name in stale:
            print(f"stale: {name}")
        if stale:
            print("rerun bench/gpu/prepare.py", file=sys.stderr)
        return 1 if stale else 0
    for chip in chips:
        prepare(args.fp8_opt, Path(args.out), chip, repo)
    write_recipes(args.recipe_table)
    return 0
