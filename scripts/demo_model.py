#!/usr/bin/env python3
"""Stages 2 and 3 of scripts/demo.sh: quantize the example model with each
recipe, run it on the CPU against numpy, and compile it to PTX.

The numpy reference of the model (a 2-layer MLP with tanh-GELU) is written
here from the model's definition, independently of the compiler.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

RECIPES = ["tensorwise", "rowwise", "blockwise", "mxfp8"]


def gelu(z):
    return 0.5 * z * (1.0 + np.tanh(0.7978845608 * (z + 0.044715 * z**3)))


def mlp_reference(x, w1, b1, w2, b2):
    x, w1, b1, w2, b2 = (a.astype(np.float64) for a in (x, w1, b1, w2, b2))
    return gelu(x @ w1.T + b1) @ w2.T + b2


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def has_option(tool, option):
    return option in run([tool, "--help"]).stdout


def fp8_run(build, model, entry, inputs, workdir):
    paths = []
    for i, a in enumerate(inputs):
        p = os.path.join(workdir, f"in{i}.npy")
        np.save(p, a)
        paths.append(p)
    outdir = os.path.join(workdir, "out")
    cmd = [os.path.join(build, "bin", "fp8-run"), model, "--entry", entry,
           "--output-dir", outdir, "--time"]
    for p in paths:
        cmd += ["--input", p]
    proc = run(cmd)
    seconds = re.search(r"run ([0-9.]+) s", proc.stderr)
    return np.load(os.path.join(outdir, "result0.npy")), float(seconds.group(1))


def rel_err(got, ref):
    return float(np.linalg.norm(got - ref) / np.linalg.norm(ref))


def summarize_fp8_ops(ir):
    """(#scaled_matmul, #amax, operand formats "A x B" of each matmul)."""
    kinds = []
    for types in re.findall(r"fp8\.scaled_matmul .*?\} : (.*?) ->", ir):
        elements = re.findall(r"tensor<(?:[0-9?]+x)*(\w+)>", types)
        # Operand types: A, A scale, B, B scale [, bias, out_scale].
        kinds.append(f"{elements[0]} x {elements[2]}" if len(elements) >= 4 else "?")
    return len(kinds), ir.count("fp8.amax "), kinds


def find_ptxas():
    for root in (os.environ.get("CUDA_HOME"), os.environ.get("CUDA_PATH"),
                 "/usr/local/cuda"):
        if root and os.access(os.path.join(root, "bin", "ptxas"), os.X_OK):
            return os.path.join(root, "bin", "ptxas")
    return shutil.which("ptxas")


def ptxas_summary(ptxas, chip, path):
    """(registers, static shared memory bytes, spilled bytes), ptxas -v."""
    out = subprocess.run([ptxas, f"-arch={chip}", "-v", path, "-o", os.devnull],
                         text=True, capture_output=True)
    if out.returncode != 0:
        return None
    log = out.stderr
    regs = max((int(r) for r in re.findall(r"Used (\d+) registers", log)), default=0)
    smem = sum(int(b) for b in re.findall(r"(\d+) bytes smem", log))
    spills = sum(int(b) for b in re.findall(r"(\d+) bytes spill (?:stores|loads)", log))
    return regs, smem, spills


def numerics_report(args, fp8_opt, inputs):
    """Stage 2b: the numerics report (docs/report.md) of the tensorwise
    program, its plot, and the five tensors with the lowest FP8 SQNR."""
    fp8_run_tool = os.path.join(args.build, "bin", "fp8-run")
    qpath = os.path.join(args.out, "mlp.tensorwise.mlir")
    if not os.path.exists(qpath) or not has_option(fp8_run_tool, "--report"):
        return
    print()
    print("== 2b. Numerics report of the tensorwise program (fp8-run --report)")
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [fp8_run_tool, qpath, "--entry", args.entry, "--report",
               os.path.join(args.out, "report.json")]
        for i, array in enumerate(inputs):
            np.save(os.path.join(tmp, f"in{i}.npy"), array)
            cmd += ["--input", os.path.join(tmp, f"in{i}.npy")]
        run(cmd)
    env = dict(os.environ, PYTHONPATH=os.path.join(args.build, "python_packages"))
    plot = run([sys.executable, "-m", "fp8_mlir.report_plot",
                os.path.join(args.out, "report.json"),
                os.path.join(args.out, "report.png")], env=env)
    print(f"   report.json and report.png in {os.path.relpath(args.out)}; "
          "the five tensors with the lowest FP8 SQNR:")
    for line in plot.stdout.splitlines():
        print("   " + line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--entry", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    fp8_opt = os.path.join(args.build, "bin", "fp8-opt")

    rng = np.random.default_rng(2026)
    x = rng.standard_normal((256, 512)).astype(np.float32)
    w1 = (rng.standard_normal((2048, 512)) / np.sqrt(512)).astype(np.float32)
    b1 = (0.1 * rng.standard_normal(2048)).astype(np.float32)
    w2 = (rng.standard_normal((512, 2048)) / np.sqrt(2048)).astype(np.float32)
    b2 = (0.1 * rng.standard_normal(512)).astype(np.float32)
    inputs = [x, w1, b1, w2, b2]
    ref = mlp_reference(*inputs)

    print("== 2. examples/mlp.mlir on the CPU (fp8-run) against numpy (f64)")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        y, secs = fp8_run(args.build, args.model, args.entry, inputs, tmp)
        rows.append(("f32 (no quantization)", "-", "-", rel_err(y, ref), secs))
        if not has_option(fp8_opt, "--fp8-quantize-pipeline"):
            print("   (--fp8-quantize-pipeline is not built yet: FP8 recipes skipped)")
        else:
            for recipe in RECIPES:
                qpath = os.path.join(args.out, f"mlp.{recipe}.mlir")
                ir = run([fp8_opt, args.model,
                          f"--fp8-quantize-pipeline=recipe={recipe}"]).stdout
                with open(qpath, "w") as f:
                    f.write(ir)
                n, amaxes, kinds = summarize_fp8_ops(ir)
                y, secs = fp8_run(args.build, qpath, args.entry, inputs, tmp)
                biases = len(re.findall(r"fp8\.scaled_matmul [^\n]* bias\(", ir))
                rows.append((recipe, f"{n} scaled_matmul ({biases} +bias), {amaxes} amax",
                             ", ".join(sorted(set(kinds))), rel_err(y, ref), secs))
    print(f"   {'program':24} {'fp8 ops':36} {'operand formats':22} "
          f"{'rel. error':>10} {'run s':>7}")
    for name, ops, kinds, err, secs in rows:
        print(f"   {name:24} {ops:36} {kinds:22} {err:10.2e} {secs:7.3f}")
    numerics_report(args, fp8_opt, inputs)

    print()
    print("== 3. PTX for Hopper and Blackwell (--fp8-gpu-pipeline)")
    if not has_option(fp8_opt, "--fp8-gpu-pipeline"):
        print("   (--fp8-gpu-pipeline is not built yet: skipped)")
        return 0
    extract = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "extract-ptx.py")
    ptxas = find_ptxas()
    if not ptxas:
        print("   (ptxas not found: kernels are not assembled)")
    for chip, recipes in (("sm_90a", ("tensorwise", "blockwise")),
                          ("sm_100a", ("tensorwise", "mxfp8"))):
        for recipe in recipes:
            qpath = os.path.join(args.out, f"mlp.{recipe}.mlir")
            gpu_ir = os.path.join(args.out, f"mlp.{recipe}.{chip}.mlir")
            proc = subprocess.run([fp8_opt, qpath,
                                   f"--fp8-gpu-pipeline=chip={chip}", "-o", gpu_ir],
                                  text=True, capture_output=True)
            if proc.returncode != 0:
                print(f"   {chip} {recipe}: not supported:")
                print("     " + proc.stderr.strip().splitlines()[0])
                continue
            kdir = os.path.join(args.out, f"kernels.{recipe}.{chip}")
            run([sys.executable, extract, gpu_ir, "--output-dir", kdir])
            with open(os.path.join(kdir, "manifest.json")) as f:
                manifest = json.load(f)
            print(f"   {chip} {recipe}: {len(manifest['kernels'])} kernels, PTX and "
                  f"manifest.json in {os.path.relpath(kdir)}")
            for kernel in manifest["kernels"]:
                cluster = tuple(kernel.get("cluster", (1, 1, 1)))
                line = (f"     {kernel['op']:22} grid {tuple(kernel['grid'])!s:16} "
                        f"block {tuple(kernel['block'])!s:14} "
                        f"cluster {cluster!s:10}")
                if ptxas:
                    stats = ptxas_summary(ptxas, chip, os.path.join(kdir, kernel["file"]))
                    smem = stats and stats[1] + kernel["dynamic_shared_memory"]
                    line += ("  ptxas FAILED" if stats is None else
                             f"  {stats[0]:3} regs, {smem:6} B smem, {stats[2]} B spilled")
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
