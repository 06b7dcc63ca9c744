#!/usr/bin/env python3
"""Compile-time benchmark of the FP8 quantization pipeline.

Generates the IR of a training step (forward and backward) through L
transformer blocks in linalg on tensors -- attention projections,
batch-matmul attention with a softmax, an MLP with bias and GELU -- and
times, on the same module,

  fp8-opt --fp8-quantize-pipeline="recipe=tensorwise"
  fp8-opt --fp8-quantize-pipeline="recipe=blockwise"
  mlir-opt --allow-unregistered-dialect --canonicalize --cse   (baseline)

for L = 1, 8, 64, 256. Reports wall time and peak RSS of each run (from
os.wait4 on the child), the time per layer, and whether the growth with L is
linear, as a table and as bench/compile_time/results.json.

Usage: bench/compile_time/run.py [--layers 1,8,64,256] [--dtype bf16|f32]
                                 [--repeat N] [--fp8-opt PATH] [--mlir-opt PATH]
"""

import argparse
import json
import re
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Block dimensions: T tokens (batch * sequence), model width D, H heads of
# width DH, MLP width F.
T, D, H, DH, F = 128, 256, 4, 64, 1024


class Emitter:
    """Writes the body of one func.func with fresh SSA names."""

    def __init__(self, dtype):
        self.dtype = dtype
        self.lines = []
        self.count = 0

    def fresh(self, hint="v"):
        self.count += 1
        return f"%{hint}{self.count}"

    def ty(self, *shape):
        return "tensor<" + "x".join(str(d) for d in shape) + f"x{self.dtype}>"

    def op(self, text, hint="v"):
        name = self.fresh(hint)
        self.lines.append(f"  {name} = {text}")
        return name

    def empty(self, *shape):
        return self.op(f"tensor.empty() : {self.ty(*shape)}", "e")

    def zeros(self, *shape):
        e = self.empty(*shape)
        return self.op(f"linalg.fill ins(%zero : {self.dtype}) outs({e} : "
                       f"{self.ty(*shape)}) -> {self.ty(*shape)}", "z")

    def splat(self, value, *shape):
        return self.op(f"arith.constant dense<{value}> : {self.ty(*shape)}", "c")

    def matmul_nt(self, x, w, m, n, k):
        """x [m, k] times w [n, k] transposed (Y = X W^T, indexing maps)."""
        z = self.zeros(m, n)
        return self.op(
            "linalg.matmul indexing_maps = [#mk, #nk, #mn] "
            f"ins({x}, {w} : {self.ty(m, k)}, {self.ty(n, k)}) "
            f"outs({z} : {self.ty(m, n)}) -> {self.ty(m, n)}", "mm")

    def matmul(self, a, b, m, n, k):
        """a [m, k] times b [k, n]."""
        z = self.zeros(m, n)
        return self.op(
            f"linalg.matmul ins({a}, {b} : {self.ty(m, k)}, {self.ty(k, n)}) "
            f"outs({z} : {self.ty(m, n)}) -> {self.ty(m, n)}", "mm")

    def batch_matmul(self, a, b, batch, m, n, k):
        z = self.zeros(batch, m, n)
        return self.op(
            f"linalg.batch_matmul ins({a}, {b} : {self.ty(batch, m, k)}, "
            f"{self.ty(batch, k, n)}) outs({z} : {self.ty(batch, m, n)}) -> "
            f"{self.ty(batch, m, n)}", "bmm")

    def transpose(self, x, shape, perm):
        out = [shape[p] for p in perm]
        e = self.empty(*out)
        perm_text = ", ".join(str(p) for p in perm)
        return self.op(f"linalg.transpose ins({x} : {self.ty(*shape)}) "
                       f"outs({e} : {self.ty(*out)}) permutation = [{perm_text}]",
                       "t")

    def binary(self, name, a, b, *shape):
        return self.op(f"arith.{name} {a}, {b} : {self.ty(*shape)}")

    def unary(self, name, a, *shape):
        return self.op(f"math.{name} {a} : {self.ty(*shape)}")

    def reduce_last(self, x, *shape):
        """Sum over the last dim."""
        out = shape[:-1]
        z = self.zeros(*out)
        return self.op(
            f"linalg.reduce ins({x} : {self.ty(*shape)}) outs({z} : "
            f"{self.ty(*out)}) dimensions = [{len(shape) - 1}]\n"
            f"    (%in: {self.dtype}, %acc: {self.dtype}) {{\n"
            f"      %s = arith.addf %in, %acc : {self.dtype}\n"
            f"      linalg.yield %s : {self.dtype}\n    }}", "r")

    def reduce_first(self, x, rows, cols):
        """Sum of a [rows, cols] tensor over its rows (a bias gradient)."""
        z = self.zeros(cols)
        return self.op(
            f"linalg.reduce ins({x} : {self.ty(rows, cols)}) outs({z} : "
            f"{self.ty(cols)}) dimensions = [0]\n"
            f"    (%in: {self.dtype}, %acc: {self.dtype}) {{\n"
            f"      %s = arith.addf %in, %acc : {self.dtype}\n"
            f"      linalg.yield %s : {self.dtype}\n    }}", "db")

    def broadcast(self, x, in_shape, out_shape, dims):
        e = self.empty(*out_shape)
        dims_text = ", ".join(str(d) for d in dims)
        return self.op(f"linalg.broadcast ins({x} : {self.ty(*in_shape)}) "
                       f"outs({e} : {self.ty(*out_shape)}) dimensions = "
                       f"[{dims_text}]", "b")

    def split_heads(self, x):
        """[T, D] -> [H, T, DH]."""
        x3 = self.op(f"tensor.expand_shape {x} [[0], [1, 2]] output_shape "
                     f"[{T}, {H}, {DH}] : {self.ty(T, D)} into "
                     f"{self.ty(T, H, DH)}", "x3")
        return self.transpose(x3, (T, H, DH), (1, 0, 2))

    def merge_heads(self, x):
        """[H, T, DH] -> [T, D]."""
        xt = self.transpose(x, (H, T, DH), (1, 0, 2))
        return self.op(f"tensor.collapse_shape {xt} [[0], [1, 2]] : "
                       f"{self.ty(T, H, DH)} into {self.ty(T, D)}", "x2")

    def gelu(self, h, *shape):
        """tanh-approximated GELU: 0.5 h (1 + tanh(c (h + 0.044715 h^3)))."""
        h2 = self.binary("mulf", h, h, *shape)
        h3 = self.binary("mulf", h2, h, *shape)
        a = self.binary("mulf", h3, self.splat("0.044715", *shape), *shape)
        inner = self.binary("addf", h, a, *shape)
        scaled = self.binary("mulf", inner, self.splat("0.7978846", *shape),
                             *shape)
        th = self.unary("tanh", scaled, *shape)
        one_plus = self.binary("addf", th, self.splat("1.0", *shape), *shape)
        half = self.binary("mulf", h, self.splat("0.5", *shape), *shape)
        return self.binary("mulf", half, one_plus, *shape), th

    def softmax(self, s):
        """Softmax over the last dim of [H, T, T] scores."""
        e = self.unary("exp", s, H, T, T)
        total = self.reduce_last(e, H, T, T)
        b = self.broadcast(total, (H, T), (H, T, T), (2,))
        return self.binary("divf", e, b, H, T, T)


def generate(layers, dtype):
    """The MLIR text of one training step through `layers` blocks."""
    em = Emitter(dtype)
    args, results, result_types = [], [], []
    weight_attr = "{fp8.role = #fp8.role<weight>}"

    def weight(name, *shape):
        args.append(f"%{name}: {em.ty(*shape)} {weight_attr}")
        return f"%{name}"

    args.append(f"%x0: {em.ty(T, D)}")
    x = "%x0"
    saved = []
    # Forward.
    for l in range(layers):
        w = {n: weight(f"{n}_{l}", D, D) for n in ("wq", "wk", "wv", "wo")}
        w1 = weight(f"w1_{l}", F, D)
        b1 = weight(f"b1_{l}", F)
        w2 = weight(f"w2_{l}", D, F)
        b2 = weight(f"b2_{l}", D)
        q = em.matmul_nt(x, w["wq"], T, D, D)
        k = em.matmul_nt(x, w["wk"], T, D, D)
        v = em.matmul_nt(x, w["wv"], T, D, D)
        qh, kh, vh = em.split_heads(q), em.split_heads(k), em.split_heads(v)
        kt = em.transpose(kh, (H, T, DH), (0, 2, 1))
        s = em.batch_matmul(qh, kt, H, T, T, DH)
        p = em.softmax(s)
        o = em.batch_matmul(p, vh, H, T, DH, T)
        o2 = em.merge_heads(o)
        attn = em.matmul_nt(o2, w["wo"], T, D, D)
        x1 = em.binary("addf", x, attn, T, D)
        h = em.binary("addf", em.matmul_nt(x1, w1, T, F, D),
                      em.broadcast(b1, (F,), (T, F), (0,)), T, F)
        g, th = em.gelu(h, T, F)
        y = em.binary("addf", em.matmul_nt(g, w2, T, D, F),
                      em.broadcast(b2, (D,), (T, D), (0,)), T, D)
        x2 = em.binary("addf", x1, y, T, D)
        saved.append(dict(x=x, w=w, w1=w1, w2=w2, qh=qh, kh=kh, vh=vh, p=p,
                          o2=o2, x1=x1, h=h, g=g, th=th))
        x = x2
    results.append(x)
    result_types.append(em.ty(T, D))

    # Backward, from the gradient of the output.
    args.append(f"%dy: {em.ty(T, D)} {{fp8.role = #fp8.role<gradient>}}")
    dx = "%dy"
    for l in reversed(range(layers)):
        f = saved[l]
        grads = []
        # MLP: y = g W2^T + b2, h = x1 W1^T + b1, g = gelu(h).
        dg = em.matmul(dx, f["w2"], T, F, D)
        dw2 = em.matmul(em.transpose(dx, (T, D), (1, 0)), f["g"], D, F, T)
        db2 = em.reduce_first(dx, T, D)
        # GELU derivative, approximated by 0.5 (1 + tanh) for the benchmark.
        dgelu = em.binary("mulf", em.binary("addf", f["th"],
                                            em.splat("1.0", T, F), T, F),
                          em.splat("0.5", T, F), T, F)
        dh = em.binary("mulf", dg, dgelu, T, F)
        dw1 = em.matmul(em.transpose(dh, (T, F), (1, 0)), f["x1"], F, D, T)
        db1 = em.reduce_first(dh, T, F)
        dx1 = em.binary("addf", dx, em.matmul(dh, f["w1"], T, D, F), T, D)
        grads += [dw2, db2, dw1, db1]
        # Attention output projection.
        do2 = em.matmul(dx1, f["w"]["wo"], T, D, D)
        dwo = em.matmul(em.transpose(dx1, (T, D), (1, 0)), f["o2"], D, D, T)
        do = em.split_heads(do2)
        # o = p v: dp = do v^T, dv = p^T do.
        vt = em.transpose(f["vh"], (H, T, DH), (0, 2, 1))
        dp = em.batch_matmul(do, vt, H, T, T, DH)
        pt = em.transpose(f["p"], (H, T, T), (0, 2, 1))
        dv = em.batch_matmul(pt, do, H, T, DH, T)
        # Softmax backward, simplified to ds = dp * p.
        ds = em.binary("mulf", dp, f["p"], H, T, T)
        # s = q k^T: dq = ds k, dk = ds^T q.
        dq = em.batch_matmul(ds, f["kh"], H, T, DH, T)
        dst = em.transpose(ds, (H, T, T), (0, 2, 1))
        dk = em.batch_matmul(dst, f["qh"], H, T, DH, T)
        dx_total = dx1
        for name, dproj in (("wq", dq), ("wk", dk), ("wv", dv)):
            d2 = em.merge_heads(dproj)
            grads.append(em.matmul(em.transpose(d2, (T, D), (1, 0)), f["x"],
                                   D, D, T))
            dx_total = em.binary("addf", dx_total,
                                 em.matmul(d2, f["w"][name], T, D, D), T, D)
        grads.append(dwo)
        results += grads
        result_types += [em.ty(D, F), em.ty(D), em.ty(F, D), em.ty(F),
                         em.ty(D, D), em.ty(D, D), em.ty(D, D), em.ty(D, D)]
        dx = dx_total
    results.append(dx)
    result_types.append(em.ty(T, D))

    header = (
        "#mk = affine_map<(m, n, k) -> (m, k)>\n"
        "#nk = affine_map<(m, n, k) -> (n, k)>\n"
        "#mn = affine_map<(m, n, k) -> (m, n)>\n"
        f"func.func @train_step({', '.join(args)})\n"
        f"    -> ({', '.join(result_types)}) {{\n"
        f"  %zero = arith.constant 0.0 : {dtype}\n")
    footer = (f"  return {', '.join(results)} : {', '.join(result_types)}\n"
              "}\n")
    return header + "\n".join(em.lines) + "\n" + footer


def run_once(cmd):
    """Runs `cmd` (output discarded); returns (wall seconds, peak RSS MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    # wait4 gives the rusage of this child alone (RUSAGE_CHILDREN would be
    # the maximum over every child so far).
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"error: {' '.join(cmd)} failed:\n{stderr}")
    return wall, usage.ru_maxrss / 1024.0


def find_tool(explicit, candidates):
    for path in [explicit] + candidates:
        if path and Path(path).is_file() and os.access(path, os.X_OK):
            return str(path)
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layers", default="1,8,64,256",
                        help="comma-separated layer counts (default 1,8,64,256)")
    parser.add_argument("--dtype", default="bf16", choices=["bf16", "f32"])
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per measurement; the fastest is kept")
    parser.add_argument("--fp8-opt", default=None)
    parser.add_argument("--mlir-opt", default=None)
    parser.add_argument("--output", default=str(Path(__file__).parent /
                                                "results.json"))
    parser.add_argument("--keep-ir", default=None,
                        help="directory to keep the generated .mlir files in")
    args = parser.parse_args()

    fp8_opt = find_tool(args.fp8_opt, [ROOT / "build/bin/fp8-opt",
                                       shutil.which("fp8-opt")])
    mlir_opt = find_tool(args.mlir_opt, ["/usr/lib/llvm-22/bin/mlir-opt",
                                         shutil.which("mlir-opt")])
    if not fp8_opt or not mlir_opt:
        sys.exit("error: fp8-opt (build/bin or --fp8-opt) and mlir-opt "
                 "(/usr/lib/llvm-22/bin or --mlir-opt) are needed")

    configs = {
        "tensorwise": [fp8_opt, "--fp8-quantize-pipeline=recipe=tensorwise"],
        "blockwise": [fp8_opt, "--fp8-quantize-pipeline=recipe=blockwise"],
        "baseline": [mlir_opt, "--allow-unregistered-dialect", "--canonicalize",
                     "--cse"],
    }
    layer_counts = [int(n) for n in args.layers.split(",")]
    workdir = Path(args.keep_ir or tempfile.mkdtemp(prefix="fp8-compile-"))
    workdir.mkdir(parents=True, exist_ok=True)

    # The pipelines must quantize every matmul of the step, or the timings
    # would measure something else.
    # They also report how many runtime amax ops static ranges replaced by
    # compile-time bounds (static-ranges=on, the default; per-tensor
    # scalings only, so none under blockwise).
    check = workdir / "check.mlir"
    check.write_text(generate(1, args.dtype))
    static_ranges = {}
    for name in ("tensorwise", "blockwise"):
        out = subprocess.run(configs[name] + [str(check)], capture_output=True,
                             text=True)
        count = out.stdout.count("fp8.scaled_matmul")
        if out.returncode != 0 or count != 24:
            sys.exit(f"error: {name}: expected 24 fp8.scaled_matmul in one "
                     f"layer, found {count}\n{out.stderr}")
        removed = re.search(r"static ranges removed (\d+) of (\d+) amax ops",
                            out.stderr)
        static_ranges[name] = {
            "amax_removed_per_layer": int(removed.group(1)) if removed else 0,
            "amax_left_per_layer": out.stdout.count("fp8.amax "),
        }
        print(f"{name}: static ranges removed "
              f"{static_ranges[name]['amax_removed_per_layer']} amax ops per "
              f"layer, {static_ranges[name]['amax_left_per_layer']} left",
              flush=True)

    rows = []
    for layers in layer_counts:
        path = workdir / f"train_step_L{layers}_{args.dtype}.mlir"
        path.write_text(generate(layers, args.dtype))
        size_kib = path.stat().st_size / 1024.0
        row = {"layers": layers, "ir_kib": round(size_kib, 1)}
        for name, cmd in configs.items():
            best = min((run_once(cmd + [str(path), "-o", os.devnull])
                        for _ in range(args.repeat)), key=lambda r: r[0])
            row[name] = {"seconds": round(best[0], 4),
                         "peak_rss_mib": round(best[1], 1),
                         "ms_per_layer": round(1000.0 * best[0] / layers, 3)}
        rows.append(row)
        print(f"L={layers:4d}  IR {size_kib:9.1f} KiB  " + "  ".join(
            f"{n}: {row[n]['seconds']:8.3f} s {row[n]['peak_rss_mib']:7.1f} MiB"
            for n in configs), flush=True)
    if not args.keep_ir:
        shutil.rmtree(workdir, ignore_errors=True)

    # Linearity: the marginal time per layer between the two largest layer
    # counts against the one between the two before. A pass quadratic in the
    # number of ops shows a marginal cost growing with L (about 4x from
    # 8..64 to 64..256). Memory and cache effects make even the parser and
    # the upstream baseline grow a little faster than linearly on large
    # modules, so the quantize pipelines are judged against the baseline's
    # growth: linear when their ratio is within 1.5x of it.
    linearity = {}
    if len(rows) >= 3:
        ratios = {}
        for name in configs:
            def marginal(a, b):
                return ((b[name]["seconds"] - a[name]["seconds"]) /
                        (b["layers"] - a["layers"]))
            low, high = marginal(rows[-3], rows[-2]), marginal(rows[-2], rows[-1])
            ratios[name] = high / low if low > 0 else float("inf")
            linearity[name] = {
                "marginal_ms_per_layer_low": round(1000 * low, 3),
                "marginal_ms_per_layer_high": round(1000 * high, 3),
                "ratio": round(ratios[name], 2),
            }
        for name in configs:
            relative = ratios[name] / ratios["baseline"]
            linearity[name]["ratio_vs_baseline"] = round(relative, 2)
            linearity[name]["linear"] = relative < 1.5

    print()
    header = f"{'layers':>6} {'IR KiB':>9}"
    for name in configs:
        header += f" | {name + ' s':>14} {'MiB':>7} {'ms/layer':>9}"
    print(header)
    print("-" * len(header))
    for row in rows:
        line = f"{row['layers']:>6} {row['ir_kib']:>9.1f}"
        for name in configs:
            r = row[name]
            line += (f" | {r['seconds']:>14.3f} {r['peak_rss_mib']:>7.1f} "
                     f"{r['ms_per_layer']:>9.2f}")
        print(line)
    if linearity:
        print("\nmarginal time per layer between the last three layer counts "
              "(linear: growth ratio within 1.5x of the baseline's):")
        for name, lin in linearity.items():
            print(f"  {name:10s} {lin['marginal_ms_per_layer_low']:8.2f} -> "
                  f"{lin['marginal_ms_per_layer_high']:8.2f} ms/layer, "
                  f"ratio {lin['ratio']:.2f} ({lin['ratio_vs_baseline']:.2f}x "
                  f"the baseline's): "
                  f"{'linear' if lin['linear'] else 'SUPERLINEAR'}")

    report = {
        "description": "wall time and peak RSS of the quantize pipeline vs "
                       "mlir-opt --canonicalize --cse on a generated "
                       "transformer training step",
        "block": {"tokens": T, "width": D, "heads": H, "head_width": DH,
                  "mlp_width": F, "dtype": args.dtype,
                  "matmuls_per_layer": {"forward": 8, "backward": 16}},
        "host": {"machine": platform.machine(), "cpus": os.cpu_count(),
                 "python": platform.python_version()},
        "tools": {"fp8-opt": fp8_opt, "mlir-opt": mlir_opt},
        "repeat": args.repeat,
        "results": rows,
        "linearity": linearity,
        "static_ranges": static_ranges,
    }
    Path(args.output).write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {args.output}")
    bad = [name for name, lin in linearity.items() if not lin["linear"]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
