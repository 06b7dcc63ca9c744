#!/usr/bin/env python3
"""Do fp8_mlir calls from several Python threads run in parallel?

The extension releases the GIL while MLIR compiles and the JIT-compiled code
runs. For each workload this times N calls made one after the other
(serial) against the same N calls made at once from N threads, and reports
the ratio threads / serial: 1.0 means the threads serialize, 1/cores is
perfect scaling. Workloads:

  run      fp8_mlir.run of the README matmul quantized with tensorwise
           (256x512 x 512x128): --fp8-cpu-pipeline, JIT compile, execution;
  compile  fp8_mlir.compile of examples/mlp.mlir with
           fp8-quantize-pipeline{recipe=blockwise} then fp8-cpu-pipeline;
  sha256   calibration: hashlib.sha256 of 32 MiB, which releases the GIL
           too: its ratio is the best the machine's free cores allow (the
           cores may be shared with other work).

Each measurement is the fastest of --repeat tries. "cores used" is the
process's CPU time over the wall time: about 1 for a serial run and up to
the core count for the threads when the machine is free. On a shared machine
a serial run gets less than a core, and the ratio then measures how the
scheduler shares the cores (4 threads get more than 1), not parallelism;
the script says so (and records the load average before and after). The
threads' results are checked to be identical to the serial ones.

Usage: PYTHONPATH=build/python_packages build/venv/bin/python \\
           bench/threads/run.py [--calls 4] [--repeat 5] [--output PATH]
"""

import argparse
import hashlib
import json
import os
import platform
import threading
import time
from pathlib import Path

import numpy as np

import fp8_mlir

ROOT = Path(__file__).resolve().parents[2]
TARGET_RATIO = 0.7
#: A serial run that used less of a core than this shared it with others.
BUSY_BELOW = 0.85


def run_workload():
    """A call of fp8_mlir.run: (function, description)."""
    ir = (ROOT / "examples/matmul.mlir").read_text()
    rng = np.random.default_rng(0)
    a = rng.standard_normal((256, 512), np.float32)
    b = rng.standard_normal((512, 128), np.float32)
    fp8_ir = fp8_mlir.compile(ir, "fp8-quantize-pipeline{recipe=tensorwise}")
    return lambda: fp8_mlir.run(fp8_ir, "matmul", a, b)[0].tobytes()


def compile_workload():
    """A call of fp8_mlir.compile."""
    ir = (ROOT / "examples/mlp.mlir").read_text()
    pipeline = "fp8-quantize-pipeline{recipe=blockwise},fp8-cpu-pipeline"
    return lambda: fp8_mlir.compile(ir, pipeline)


def sha256_workload():
    """Calibration: hashlib releases the GIL while it hashes 32 MiB, so its
    ratio is what the machine's free cores allow at the time."""
    data = os.urandom(32 << 20)
    return lambda: hashlib.sha256(data).digest()


WORKLOADS = {"run": run_workload, "compile": compile_workload,
             "sha256": sha256_workload}


def serial(call, count):
    """(seconds, results) of `count` calls one after the other."""
    start = time.perf_counter()
    results = [call() for _ in range(count)]
    return time.perf_counter() - start, results


def threaded(call, count):
    """(seconds, results) of `count` calls from `count` threads at once."""
    results = [None] * count
    errors = []
    barrier = threading.Barrier(count + 1)

    def work(index):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # reported after the join
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return elapsed, results


def cpu_seconds():
    times = os.times()
    return times.user + times.system


def measure(name, make, calls, repeat):
    call = make()
    expected = call()  # warm-up, and the reference result
    best = {}
    identical = True
    for mode, timer in (("serial", serial), ("threads", threaded)):
        walls, cpus = [], []
        for _ in range(repeat):
            cpu = cpu_seconds()
            wall, results = timer(call, calls)
            cpus.append(cpu_seconds() - cpu)
            walls.append(wall)
            identical &= all(result == expected for result in results)
        fastest = min(range(repeat), key=walls.__getitem__)
        best[mode] = {"wall_s": walls[fastest], "cpu_s": cpus[fastest],
                      "cores_used": cpus[fastest] / walls[fastest],
                      "all_wall_s": walls}
    ratio = best["threads"]["wall_s"] / best["serial"]["wall_s"]
    return {"workload": name, "calls": calls, **best, "ratio": ratio,
            "identical_results": identical}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--output", type=Path,
                        default=Path(__file__).with_name("results.json"))
    args = parser.parse_args()

    load_before = os.getloadavg()
    rows = [measure(name, WORKLOADS[name], args.calls, args.repeat)
            for name in args.workloads.split(",")]
    load_after = os.getloadavg()

    print(f"{args.calls} calls, fastest of {args.repeat}; {os.cpu_count()} "
          f"cores; load average {load_before[0]:.2f} -> {load_after[0]:.2f}")
    header = (f"{'workload':<9} {'serial s':>9} {'threads s':>10} "
              f"{'ratio':>6}  {'cores used':>10} (serial, threads)  "
              "identical")
    print(header)
    print("-" * len(header))
    for row in rows:
        serial, threads = row["serial"], row["threads"]
        print(f"{row['workload']:<9} {serial['wall_s']:>9.3f} "
              f"{threads['wall_s']:>10.3f} {row['ratio']:>6.2f}  "
              f"{serial['cores_used']:>10.2f}, {threads['cores_used']:.2f}"
              f"{'':>12}{row['identical_results']}")
    print(f"target: threads / serial < {TARGET_RATIO}")
    busy = [row["workload"] for row in rows
            if row["serial"]["cores_used"] < BUSY_BELOW]
    if busy:
        print(f"warning: the serial {', '.join(busy)} got less than "
              f"{BUSY_BELOW} of a core: the machine is busy and the ratios "
              "measure the scheduler's shares, not parallelism")

    report = {
        "what": "wall time of N fp8_mlir calls, serial vs N threads "
                "(fastest of the repeats)",
        "cores": os.cpu_count(), "machine": platform.machine(),
        "python": platform.python_version(),
        "load_average_before": load_before, "load_average_after": load_after,
        "target_ratio": TARGET_RATIO, "busy": busy, "results": rows,
    }
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
