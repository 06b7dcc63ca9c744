"""Plots of a numerics report (docs/report.md), from its JSON alone.

    python -m fp8_mlir.report_plot report.json report.png [--worst N]

draws, per tensor, the histogram of log2|x| with the ranges the FP8 format
covers at the tensor's scales (normal, subnormal, the saturation point) and
the INT8 step and top at the per-tensor INT8 scale; below, the SQNR of each
tensor in FP8 and in INT8 (per tensor, per channel, the FP8 groups).
`worst(report, n)` lists the n tensors with the lowest FP8 SQNR.
"""

import argparse
import json
import math
import sys

__all__ = ["plot", "worst", "main"]


def _sqnr(figures):
    value = figures.get("sqnr_db")
    return math.inf if value is None else value  # null: exact


def worst(report, count=5):
    """The `count` tensors of `report` with the lowest FP8 SQNR, worst
    first."""
    return sorted(report["tensors"], key=lambda t: _sqnr(t["fp8"]))[:count]


def _label(tensor):
    return f"#{tensor['id']} {tensor['role']} {tensor['loc'].split('/')[-1]}"


def _draw_histogram(axes, tensor):
    histogram = tensor["histogram"]
    counts = histogram["counts"]
    if counts:
        first = histogram["first_exponent"]
        axes.bar([first + i + 0.5 for i in range(len(counts))], counts,
                 width=1.0, color="0.35", label="log2|x|")
    fp8 = tensor["fp8"]
    low, high = fp8["scale_min"], fp8["scale_max"]
    if low and high:
        top = math.log2(high * tensor["format_max"])
        normal = math.log2(low * tensor["format_min_normal"])
        subnormal = math.log2(low * tensor["format_min_subnormal"])
        axes.axvspan(normal, top, color="tab:green", alpha=0.15,
                     label=f"{tensor['format']} normal")
        axes.axvspan(subnormal, normal, color="tab:orange", alpha=0.25,
                     label="subnormal")
        axes.axvline(top, color="tab:red", label="saturates")
        axes.axvline(subnormal - 1, color="tab:red", linestyle=":",
                     label="flushes to 0")
    int8 = tensor["int8"]["tensor"]
    if int8["scale_max"]:
        axes.axvline(math.log2(int8["scale_max"] / 2), color="tab:blue",
                     linestyle=":", label="INT8 flushes to 0")
        axes.axvline(math.log2(int8["scale_max"] * 127), color="tab:blue",
                     linestyle="--", label="INT8 top")
    axes.set_title(f"{_label(tensor)}\n{tensor['format']} {tensor['scaling']}"
                   f", SQNR {_sqnr(fp8):.1f} dB", fontsize=7)
    axes.tick_params(labelsize=6)
    axes.set_xlabel("log2|x|", fontsize=6)


def _draw_sqnr(axes, tensors):
    names = ["fp8", "int8 tensor", "int8 channel", "int8 fp8 groups"]
    width = 0.8 / len(names)
    for index, name in enumerate(names):
        values = []
        for tensor in tensors:
            figures = (tensor["fp8"] if name == "fp8"
                       else tensor["int8"][name[5:].replace(" ", "_")])
            value = _sqnr(figures)
            values.append(value if math.isfinite(value) else 0)
        axes.bar([i + (index - 1.5) * width for i in range(len(tensors))],
                 values, width=width, label=name)
    axes.set_xticks(range(len(tensors)))
    axes.set_xticklabels([_label(t) for t in tensors], rotation=60,
                         ha="right", fontsize=6)
    axes.set_ylabel("SQNR (dB)")
    axes.legend(fontsize=7, ncol=4)
    axes.grid(axis="y", alpha=0.3)


def plot(report, path, max_histograms=16):
    """Writes the PNG of `report` (a dict) to `path`: the histograms of the
    `max_histograms` worst tensors by FP8 SQNR, and the SQNR of all."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tensors = report["tensors"]
    shown = worst(report, max_histograms)
    columns = min(4, max(1, len(shown)))
    rows = math.ceil(len(shown) / columns)
    figure = plt.figure(figsize=(3.2 * columns, 2.4 * rows + 3.5))
    grid = figure.add_gridspec(rows + 1, columns,
                               height_ratios=[2.4] * rows + [3.5])
    for index, tensor in enumerate(shown):
        axes = figure.add_subplot(grid[index // columns, index % columns])
        _draw_histogram(axes, tensor)
        if index == 0:
            axes.legend(fontsize=5, loc="upper left")
    _draw_sqnr(figure.add_subplot(grid[rows, :]), tensors)
    figure.suptitle(f"@{report['entry']} {report.get('recipe') or ''}: "
                    f"{len(tensors)} quantized tensors", fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report", help="report JSON (fp8-run --report)")
    parser.add_argument("png", help="the PNG to write")
    parser.add_argument("--worst", type=int, default=5,
                        help="print the N tensors with the lowest FP8 SQNR")
    args = parser.parse_args(argv)
    with open(args.report) as file:
        report = json.load(file)
    if report.get("schema_version") != 1:
        sys.exit(f"{args.report}: not a version 1 numerics report")
    plot(report, args.png)
    for tensor in worst(report, args.worst):
        print(f"{_label(tensor):45s} {tensor['format']:9s} "
              f"{tensor['scaling']:16s} FP8 {_sqnr(tensor['fp8']):6.1f} dB  "
              f"INT8 {_sqnr(tensor['int8']['fp8_groups']):6.1f} dB  "
              f"flushed {tensor['fp8']['flushed_pct']:.2f}%  "
              f"saturated {tensor['fp8']['saturated_pct']:.2f}%")


if __name__ == "__main__":
    main()
