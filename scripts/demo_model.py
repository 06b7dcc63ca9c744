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
    mms = re.findall(r"fp8\.scaled_matmul .*? : (.*?) -> (tensor<[^>]*>)", ir)
    kinds = []
    for types, _ in mms:
        elems = re.findall(r"tensor<[0-9x?]*x(f8\w+|f4\w+|f6\w+)>", types)
        kinds.append(" x ".join(elems[:2]) if elems else "?")
    return len(mms), ir.count("fp8.amax "), ir.count("fp8.quantize "), kinds


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
                n, amaxes, quants, kinds = summarize_fp8_ops(ir)
                y, secs = fp8_run(args.build, qpath, args.entry, inputs, tmp)
                rows.append((recipe, f"{n} scaled_matmul, {amaxes} amax",
                             ", ".join(sorted(set(kinds))), rel_err(y, ref), secs))
    print(f"   {'program':24} {'fp8 ops':28} {'operand formats':28} "
          f"{'rel. error':>10} {'run s':>7}")
    for name, ops, kinds, err, secs in rows:
        print(f"   {name:24} {ops:28} {kinds:28} {err:10.2e} {secs:7.3f}")

    print()
    print("== 3. PTX for Hopper and Blackwell (--fp8-gpu-pipeline)")
    if not has_option(fp8_opt, "--fp8-gpu-pipeline"):
        print("   (--fp8-gpu-pipeline is not built yet: skipped)")
        return 0
    extract = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "extract-ptx.py")
    for chip in ("sm_90a", "sm_100a"):
        for recipe in ("tensorwise", "mxfp8") if chip == "sm_100a" else ("tensorwise",):
            qpath = os.path.join(args.out, f"mlp.{recipe}.mlir")
            gpu_ir = os.path.join(args.out, f"mlp.{recipe}.{chip}.mlir")
            proc = subprocess.run([fp8_opt, qpath,
                                   f"--fp8-gpu-pipeline=chip={chip}", "-o", gpu_ir],
                                  text=True, capture_output=True)
            if proc.returncode != 0:
                print(f"   {chip} {recipe}: not supported yet:")
                print("     " + proc.stderr.strip().splitlines()[0])
                continue
            kdir = os.path.join(args.out, f"kernels.{recipe}.{chip}")
            run([sys.executable, extract, gpu_ir, "--out", kdir])
            with open(os.path.join(kdir, "manifest.json")) as f:
                manifest = json.load(f)
            print(f"   {chip} {recipe}: {len(manifest['kernels'])} kernels -> {kdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
