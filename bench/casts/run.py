#!/usr/bin/env python3
"""Throughput of fp8-expand-casts against --convert-arith-to-apfloat.

For each cast below, one MLIR module holds a kernel that casts a memref
element by element (scf.for, load, [clamp,] cast, store) and a main that
fills the input, runs the kernel once to warm up, then times `--repeat`
calls with rtclock() and prints each time and a checksum of the output. The
time difference is an llvm.fsub: --convert-arith-to-apfloat would turn an
arith.subf into a (here broken, f64) APFloat call too.
The same module is lowered two ways and run with mlir-runner -O3:

  expanded: fp8-opt --fp8-cpu-pipeline (fp8-expand-casts: integer code)
  apfloat:  fp8-opt --convert-arith-to-apfloat, then --fp8-cpu-pipeline
            (one call into libmlir_apfloat_wrappers.so per element)

The table gives values/s from the fastest repeat of each, and whether the
checksums of the two lowerings agree (README.md explains where APFloat's
semantics differ from ml_dtypes', which fp8-expand-casts follows).
Results also go to bench/casts/results.json. See bench/casts/README.md.

Usage: build/venv/bin/python bench/casts/run.py [--n N] [--repeat R]
"""

import argparse
import json
import os
import pathlib
import platform
import re
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
LLVM = pathlib.Path("/usr/lib/llvm-22")

# (name, source type, target type, saturate)
CASES = [
    ("f32->f8E4M3FN", "f32", "f8E4M3FN", False),
    ("f32->f8E4M3FN sat", "f32", "f8E4M3FN", True),
    ("f32->f8E5M2", "f32", "f8E5M2", False),
    ("f8E4M3FN->f32", "f8E4M3FN", "f32", False),
    ("f32->f8E8M0FNU", "f32", "f8E8M0FNU", False),
    ("f32->f4E2M1FN", "f32", "f4E2M1FN", False),
]
MAX = {"f8E4M3FN": "448.0", "f8E5M2": "57344.0"}
BITS = {"f8E4M3FN": 8, "f8E5M2": 8, "f8E8M0FNU": 8, "f4E2M1FN": 4, "f32": 32}

# Fills element i of the f32 input with a scrambled value whose exponent
# spans 2^-20 .. 2^19 (subnormal, normal and overflowing for E4M3FN), or the
# byte i & 0xFF for a narrow input.
FILL_F32 = """
    %h = arith.muli %i32, %c_golden : i32
    %sign_mant = arith.andi %h, %c_sign_mant : i32
    %e0 = arith.shrui %h, %c23 : i32
    %e1 = arith.remui %e0, %c40 : i32
    %e2 = arith.addi %e1, %c107 : i32
    %e = arith.shli %e2, %c23 : i32
    %bits = arith.ori %sign_mant, %e : i32
    %v = arith.bitcast %bits : i32 to f32
"""


def module_text(source, target, saturate, n, repeat):
    narrow_in = source != "f32"
    elem_bits = BITS[target] if target != "f32" else 32
    int_t = f"i{elem_bits}"
    if narrow_in:
        fill = f"""
    %byte = arith.trunci %i32 : i32 to i{BITS[source]}
    %v = arith.bitcast %byte : i{BITS[source]} to {source}
"""
    else:
        fill = FILL_F32
    clamp = ""
    value = "%x"
    if saturate:
        clamp = f"""
      %lo = arith.maximumf %x, %neg_max : f32
      %x2 = arith.minimumf %lo, %max : f32"""
        value = "%x2"
    consts = f"""
    %max = arith.constant {MAX.get(target, '0.0')} : f32
    %neg_max = arith.constant -{MAX.get(target, '0.0')} : f32""" if saturate else ""
    op = "arith.extf" if narrow_in else "arith.truncf"
    # Checksum: sum of the output bit patterns as i64.
    to_bits = (f"%ob = arith.bitcast %o : {target} to {int_t}\n"
               f"      %ow = arith.extui %ob : {int_t} to i64")
    return f"""
func.func private @rtclock() -> f64
func.func private @printF64(f64)
func.func private @printI64(i64)
func.func private @printNewline()

func.func @kernel(%in: memref<?x{source}>, %out: memref<?x{target}>) {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = memref.dim %in, %c0 : memref<?x{source}>{consts}
  scf.for %i = %c0 to %n step %c1 {{
    %x = memref.load %in[%i] : memref<?x{source}>{clamp}
    %q = {op} {value} : {source if not saturate else 'f32'} to {target}
    memref.store %q, %out[%i] : memref<?x{target}>
  }}
  return
}}

func.func @main() {{
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant {n} : index
  %repeat = arith.constant {repeat} : index
  %c_golden = arith.constant -1640531535 : i32
  %c_sign_mant = arith.constant -2139095041 : i32
  %c23 = arith.constant 23 : i32
  %c40 = arith.constant 40 : i32
  %c107 = arith.constant 107 : i32
  %in = memref.alloc(%n) : memref<?x{source}>
  %out = memref.alloc(%n) : memref<?x{target}>
  scf.for %i = %c0 to %n step %c1 {{
    %i32 = arith.index_cast %i : index to i32
{fill}
    memref.store %v, %in[%i] : memref<?x{source}>
  }}
  func.call @kernel(%in, %out) : (memref<?x{source}>, memref<?x{target}>) -> ()
  scf.for %r = %c0 to %repeat step %c1 {{
    %t0 = func.call @rtclock() : () -> f64
    func.call @kernel(%in, %out) : (memref<?x{source}>, memref<?x{target}>) -> ()
    %t1 = func.call @rtclock() : () -> f64
    %dt = llvm.fsub %t1, %t0 : f64
    func.call @printF64(%dt) : (f64) -> ()
    func.call @printNewline() : () -> ()
  }}
  %zero = arith.constant 0 : i64
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> i64 {{
    %o = memref.load %out[%i] : memref<?x{target}>
      {to_bits}
    %next = arith.addi %acc, %ow : i64
    scf.yield %next : i64
  }}
  func.call @printI64(%sum) : (i64) -> ()
  func.call @printNewline() : () -> ()
  memref.dealloc %in : memref<?x{source}>
  memref.dealloc %out : memref<?x{target}>
  return
}}
"""


def run(cmd, **kwargs):
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode != 0:
        sys.exit(f"command failed: {' '.join(map(str, cmd))}\n{proc.stderr}")
    return proc.stdout


def measure(fp8_opt, mlir_file, lowering):
    lib = LLVM / "lib"
    libs = ",".join(str(lib / name) for name in (
        "libmlir_c_runner_utils.so", "libmlir_runner_utils.so",
        "libmlir_apfloat_wrappers.so"))
    text = mlir_file.read_text()
    if lowering == "apfloat":
        text = run([fp8_opt, "-", "--convert-arith-to-apfloat"], input=text)
    llvm_dialect = run([fp8_opt, "-", "--fp8-cpu-pipeline"], input=text)
    output = run([LLVM / "bin" / "mlir-runner", "-O3", "-e", "main",
                  "-entry-point-result=void", f"-shared-libs={libs}"],
                 input=llvm_dialect)
    numbers = output.split()
    times = [float(t) for t in numbers[:-1]]
    return min(times), int(numbers[-1])


def cpu_name():
    try:
        text = pathlib.Path("/proc/cpuinfo").read_text()
        match = re.search(r"model name\s*:\s*(.*)", text)
        return match.group(1) if match else platform.processor()
    except OSError:
        return platform.processor()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1 << 22,
                        help="elements per kernel call (default 2^22)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="timed kernel calls per lowering (default 5)")
    parser.add_argument("--fp8-opt", default=os.environ.get(
        "FP8_OPT", str(REPO / "build" / "bin" / "fp8-opt")))
    args = parser.parse_args()
    if not os.access(args.fp8_opt, os.X_OK):
        sys.exit(f"fp8-opt not found at {args.fp8_opt} (set FP8_OPT or --fp8-opt)")

    out_dir = HERE / "out"
    out_dir.mkdir(exist_ok=True)
    results = []
    print(f"{'cast':<20} {'expanded Mval/s':>16} {'apfloat Mval/s':>15} "
          f"{'speedup':>8}  checksums")
    for name, source, target, saturate in CASES:
        mlir_file = out_dir / (re.sub(r"[^A-Za-z0-9]+", "_", name) + ".mlir")
        mlir_file.write_text(module_text(source, target, saturate, args.n,
                                         args.repeat))
        expanded_s, expanded_sum = measure(args.fp8_opt, mlir_file, "expanded")
        apfloat_s, apfloat_sum = measure(args.fp8_opt, mlir_file, "apfloat")
        expanded_rate, apfloat_rate = args.n / expanded_s, args.n / apfloat_s
        agree = "agree" if expanded_sum == apfloat_sum else "DIFFER"
        print(f"{name:<20} {expanded_rate / 1e6:>16.1f} {apfloat_rate / 1e6:>15.1f}"
              f" {expanded_rate / apfloat_rate:>7.1f}x  {agree}")
        results.append({
            "cast": name, "source": source, "target": target,
            "saturate": saturate,
            "expanded_values_per_s": expanded_rate,
            "apfloat_values_per_s": apfloat_rate,
            "speedup": expanded_rate / apfloat_rate,
            "expanded_checksum": expanded_sum, "apfloat_checksum": apfloat_sum,
        })
    report = {
        "what": "fp8-expand-casts vs --convert-arith-to-apfloat, values/s "
                "(fastest of the repeats), mlir-runner -O3, one thread",
        "elements": args.n, "repeat": args.repeat, "cpu": cpu_name(),
        "cores": os.cpu_count(), "results": results,
    }
    (HERE / "results.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
