"""Sensitivity calibration: which matmuls to keep in high precision, chosen
by their effect on the program's outputs (docs/quantize-pipeline.md,
"Calibrated high precision").

A matmul's own FP8 error (the numerics report) can be small while it wrecks
an output further on (docs/recipes-accuracy.md, "What no recipe fixes"), so
`calibrate` runs the program: the model as given (f32, the reference), the
model quantized, and the model quantized with each candidate matmul kept in
high precision; it greedily keeps the matmul that lowers the worst output
error most, until every output is under `max_output_error`.

    python -m fp8_mlir.calibration model.mlir --entry mlp \\
        --inputs x.npy w1.npy w2.npy dy.npy --recipe tensorwise -o keep.json
    fp8-opt model.mlir \\
        --fp8-quantize-pipeline="recipe=tensorwise calibration-report=keep.json"
"""

import json
import os
import tempfile

import numpy as np

from . import compile, report, run

#: The source name fp8_mlir.compile gives the IR it parses (its locations).
_SOURCE_NAME = "<ir>"


def _relative_error(result, reference):
    result = np.asarray(result, np.float64)
    reference = np.asarray(reference, np.float64)
    norm = np.linalg.norm(reference)
    difference = np.linalg.norm(result - reference)
    if norm == 0:
        return 0.0 if difference == 0 else float("inf")
    return float(difference / norm)


def _write_keep(path, entry, recipe, locs):
    with open(path, "w") as out:
        json.dump({"schema_version": 1, "entry": entry, "recipe": recipe,
                   "keep": [{"loc": loc} for loc in locs]}, out, indent=1)


def calibrate(ir: str, entry: str, *arrays, recipe: str = "tensorwise",
              options: str = "", max_output_error: float = 0.1,
              max_kept: int = None, output: str = None,
              source_name: str = None) -> dict:
    """Choose the fewest matmuls of `ir` to keep in high precision so that
    every output of @entry on `arrays`, quantized with `recipe` (plus the
    pipeline `options`, e.g. "static-ranges=off"), is within
    `max_output_error` of the unquantized program's (||R - E||_F / ||E||_F).

    The candidates are the matmuls the quantizer quantizes (those of
    ``report(ir, ..., recipe=)``, by location). Greedy: each round runs the
    program once per remaining candidate with the kept ones plus that one in
    high precision and keeps the one whose worst output error is lowest; it
    stops when every output is under the threshold, no candidate lowers the
    worst error, or `max_kept` are kept.

    Returns {"keep": [locations], "steps": [{"keep": [...], "errors":
    [per output], "worst": float}, ...] (the first step keeps nothing),
    "runs": programs run, "candidates": [locations]}. With `output` it also
    writes the calibration file that
    ``--fp8-quantize-pipeline="recipe=R calibration-report=FILE"`` reads
    (docs/report.md, "keep"); its locations name `source_name` (e.g. the
    model's file, matched by base name) instead of fp8_mlir's "<ir>"."""
    if recipe.split(",")[0].strip() == "delayed":
        raise ValueError("calibrate: the delayed recipe adds amax-history "
                         "arguments to the entry; calibrate with tensorwise "
                         "(the same scales once the histories are filled)")
    pipeline = "fp8-quantize-pipeline{recipe=%s %s" % (recipe, options)
    reference = run(ir, entry, *arrays)
    candidates = [m["loc"] for m in
                  report(ir, entry, *arrays, recipe=f"{recipe} {options}")[
                      "matmuls"]]
    runs = 2
    with tempfile.TemporaryDirectory() as scratch:
        keep_file = os.path.join(scratch, "keep.json")

        def errors_keeping(locs):
            _write_keep(keep_file, entry, recipe, locs)
            stage = pipeline + (f" calibration-report={keep_file}}}"
                                if locs else "}")
            results = run(compile(ir, stage), entry, *arrays)
            return [_relative_error(r, e) for r, e in zip(results, reference)]

        kept = []
        errors = errors_keeping(kept)
        steps = [{"keep": [], "errors": errors, "worst": max(errors)}]
        while (max(errors) > max_output_error and
               (max_kept is None or len(kept) < max_kept)):
            best = None
            for loc in candidates:
                if loc in kept:
                    continue
                trial = errors_keeping(kept + [loc])
                runs += 1
                if best is None or max(trial) < max(best[1]):
                    best = (loc, trial)
            if best is None or max(best[1]) >= max(errors):
                break
            kept.append(best[0])
            errors = best[1]
            steps.append({"keep": list(kept), "errors": errors,
                          "worst": max(errors)})

    def named(loc):
        if source_name and loc.startswith(_SOURCE_NAME + ":"):
            return os.path.basename(source_name) + loc[len(_SOURCE_NAME):]
        return loc

    for step in steps:
        step["keep"] = [named(loc) for loc in step["keep"]]
    result = {"keep": [named(loc) for loc in kept], "steps": steps,
              "runs": runs, "candidates": [named(c) for c in candidates],
              "max_output_error": max_output_error}
    if output is not None:
        _write_keep(output, entry, recipe, result["keep"])
    return result


def main(argv=None):
    import argparse
    import time

    parser = argparse.ArgumentParser(
        prog="python -m fp8_mlir.calibration",
        description="Choose the matmuls to keep in high precision by their "
                    "effect on the outputs; writes a calibration file for "
                    "--fp8-quantize-pipeline=\"calibration-report=FILE\".")
    parser.add_argument("model")
    parser.add_argument("--entry", required=True)
    parser.add_argument("--inputs", nargs="+", default=[],
                        help=".npy files, one per argument of the entry")
    parser.add_argument("--recipe", default="tensorwise")
    parser.add_argument("--options", default="",
                        help="more fp8-quantize-pipeline options")
    parser.add_argument("--max-output-error", type=float, default=0.1)
    parser.add_argument("--max-kept", type=int, default=None)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args(argv)
    with open(args.model) as source:
        ir = source.read()
    arrays = [np.load(path) for path in args.inputs]
    start = time.perf_counter()
    result = calibrate(ir, args.entry, *arrays, recipe=args.recipe,
                       options=args.options,
                       max_output_error=args.max_output_error,
                       max_kept=args.max_kept, output=args.output,
                       source_name=args.model)
    for step in result["steps"]:
        print("keep %-40s worst output error %.4g  (%s)" % (
            step["keep"] or "nothing", step["worst"],
            ", ".join("%.4g" % e for e in step["errors"])))
    print("%d programs run in %.1f s; wrote %s" % (
        result["runs"], time.perf_counter() - start, args.output))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
