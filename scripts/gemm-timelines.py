#!/usr/bin/env python3
"""Draws the timeline pictures of the GEMM schedules in docs/gpu-pipeline.md.

Each picture has one lane per role of a CTA (the TMA producer, the consumer
warpgroups or the MMA warp, the epilogue) and shows, for a few tiles, what
each role does when: which work overlaps which. The durations are
illustrative (a K loop of 4 stages, an epilogue about half a main loop),
not measured; the pictures show the structure of each schedule, the bench
(bench/gpu) measures its speed.

    scripts/gemm-timelines.py            # writes docs/gpu-pipeline/*.png
    scripts/gemm-timelines.py --check    # fails when a PNG is missing or
                                         # was drawn from other timelines
    scripts/gemm-timelines.py --out DIR  # writes DIR/*.png

--check compares a digest of each schedule's segments, written into the PNG's
metadata, with the script's; rendering details (fonts, matplotlib version)
do not count.
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "gpu-pipeline"

# Colors per kind of work.
COLORS = {
    "tma": "#4c72b0",  # TMA loads of a tile's K steps
    "mma": "#dd8452",  # wgmma / tcgen05.mma of a tile
    "epi": "#55a868",  # epilogue math and stores from registers
    "smem": "#8172b3",  # epilogue into the shared-memory D tile
    "store": "#64b5cd",  # TMA store of D in flight
    "wait": "#dddddd",  # waiting (barrier, turn, accumulator)
}
LEGEND = {
    "tma": "TMA loads (K steps of tile i)",
    "mma": "MMAs of tile i",
    "epi": "epilogue from registers",
    "smem": "epilogue -> shared-memory D tile",
    "store": "TMA store of D (async)",
    "wait": "waiting",
}

K = 4.0  # one tile's main loop
E = 2.0  # one tile's epilogue from registers
TILES = 4


def seg(start, length, kind, tile=None):
    return {"start": start, "length": length, "kind": kind, "tile": tile}


def producer(mma_starts, lead):
    """The TMA lane: tile i's loads start up to `lead` before its MMAs (the
    ring's depth runs ahead), after tile i - 1's, and end with its MMAs
    (the consumers release the stages as they go)."""
    segments, end = [], 0.0
    for i, start in enumerate(mma_starts):
        begin = max(end, start - lead)
        end = start + K - 0.5
        segments.append(seg(begin, end - begin, "tma", i))
    return segments


def sm90_default():
    """One tile per CTA: load, MMA, epilogue, then the next CTA."""
    lanes = {"producer (thread 0)": [], "consumer WG0 (rows 0-63)": [],
             "consumer WG1 (rows 64-127)": []}
    t = 0.0
    for i in range(2):
        lanes["producer (thread 0)"].append(seg(t, K, "tma", i))
        for wg in ("consumer WG0 (rows 0-63)", "consumer WG1 (rows 64-127)"):
            lanes[wg].append(seg(t, 0.5, "wait"))
            lanes[wg].append(seg(t + 0.5, K, "mma", i))
            lanes[wg].append(seg(t + 0.5 + K, E, "epi", i))
        # The next CTA on this SM starts once this one exits.
        t += 0.5 + K + E + 0.5
    return ("sm_90a default: one tile per CTA (CTA launch between tiles)",
            lanes)


def sm90_cooperative():
    """Persistent cooperative: the producer runs ahead into the next tile,
    both consumers leave the main loop together and store together."""
    lanes = {"producer (thread 0)": [], "consumer WG0 (rows 0-63)": [],
             "consumer WG1 (rows 64-127)": []}
    t = 0.5
    starts = []
    for i in range(TILES):
        starts.append(t)
        for wg in ("consumer WG0 (rows 0-63)", "consumer WG1 (rows 64-127)"):
            lanes[wg].append(seg(t, K, "mma", i))
            lanes[wg].append(seg(t + K, E, "epi", i))
        t += K + E
    lanes["producer (thread 0)"] = producer(starts, 0.5 + E)
    return ("sm_90a persistent cooperative (gemm-persistent=on): tensor "
            "cores idle during each epilogue", lanes)


def pingpong_consumers(k, e, ordered_epilogues, names):
    """The two ping-pong consumers (lanes `names`) over TILES tiles with a
    main loop of `k` and an epilogue of `e`: consumer w takes tiles w,
    w + 2, ...; a main loop starts when its consumer is free and the other
    consumer's main loop of the tile before is issued (order[0]); with
    ordered epilogues an epilogue also waits for the other consumer's
    epilogue of the tile before (order[1]). Returns the lanes and the
    main loops' starts."""
    lanes = {name: [] for name in names}
    free = [0.5, 0.0]
    mma_end = epi_end = 0.5
    starts = []
    for i in range(TILES):
        w = i % 2
        lane = lanes[names[w]]
        start = max(free[w], mma_end if i else 0.5)
        if start > free[w]:
            lane.append(seg(free[w], start - free[w], "wait"))
        starts.append(start)
        lane.append(seg(start, k, "mma", i))
        mma_end = start + k
        epi_start = max(mma_end, epi_end) if ordered_epilogues else mma_end
        if epi_start > mma_end:
            lane.append(seg(mma_end, epi_start - mma_end, "wait"))
        lane.append(seg(epi_start, e, "epi", i))
        epi_end = free[w] = epi_start + e
    # No wait after a consumer's last tile.
    for name in names:
        if lanes[name] and lanes[name][-1]["kind"] == "wait":
            lanes[name].pop()
    return lanes, starts


def sm90_pingpong():
    """Ping-pong: each consumer owns whole tiles; their main loops take
    turns, and so do their epilogues (gemm-pingpong-order=mma-epilogue,
    the default), one's epilogue overlapping the other's MMAs."""
    names = ["consumer WG0 (tiles 0, 2, ..)", "consumer WG1 (tiles 1, 3, ..)"]
    consumers, starts = pingpong_consumers(K, E, True, names)
    lanes = {"producer (thread 0)": producer(starts, 0.5 + E)}
    lanes.update(consumers)
    return ("sm_90a ping-pong (gemm-schedule=pingpong): main loops and "
            "epilogues in turn; WG1's epilogue overlaps WG0's MMAs", lanes)


def sm90_pingpong_epilogue_order():
    """Ping-pong with a main loop shorter than the epilogue (few K steps):
    with gemm-pingpong-order=mma the two consumers' epilogues run (and
    store) at the same time; with mma-epilogue the second waits for the
    first, as in CUTLASS."""
    k, e = 2.0, 3.0
    mma_only, _ = pingpong_consumers(
        k, e, False, ["order=mma: WG0", "order=mma: WG1"])
    ordered, _ = pingpong_consumers(
        k, e, True, ["order=mma-epilogue: WG0", "order=mma-epilogue: WG1"])
    lanes = dict(mma_only)
    lanes.update(ordered)
    return ("sm_90a ping-pong, short K loop: epilogues unordered (top) "
            "overlap each other, ordered (bottom) take turns", lanes)


def sm90_tma_store():
    """Cooperative with the TMA-store epilogue: the registers go to a
    shared-memory D tile, one thread starts its TMA store and the
    consumers go on with the next tile while it drains."""
    lanes = {"producer (thread 0)": [], "consumer WG0 (rows 0-63)": [],
             "consumer WG1 (rows 64-127)": [],
             "TMA store unit (D)": []}
    t = 0.5
    S = 1.0  # registers -> shared memory
    starts = []
    for i in range(TILES):
        starts.append(t)
        for wg in ("consumer WG0 (rows 0-63)", "consumer WG1 (rows 64-127)"):
            lanes[wg].append(seg(t, K, "mma", i))
            lanes[wg].append(seg(t + K, S, "smem", i))
        lanes["TMA store unit (D)"].append(seg(t + K + S, K * 0.6, "store", i))
        t += K + S
    lanes["producer (thread 0)"] = producer(starts, 0.5 + S)
    return ("sm_90a cooperative + gemm-epilogue=tma-store: stores drain "
            "while the next tile's MMAs run", lanes)


def sm100_current():
    """sm_100a today: thread 0 issues TMA and tcgen05.mma, then all four
    warps read tensor memory and store; one tile per CTA."""
    lanes = {"thread 0 (TMA + MMA issue)": [], "tensor core": [],
             "warps 0-3 (epilogue)": []}
    t = 0.0
    for i in range(2):
        lanes["thread 0 (TMA + MMA issue)"].append(seg(t, K + 0.5, "tma", i))
        lanes["tensor core"].append(seg(t + 0.5, K, "mma", i))
        lanes["warps 0-3 (epilogue)"].append(seg(t, K + 0.5, "wait"))
        lanes["warps 0-3 (epilogue)"].append(seg(t + K + 0.5, E, "epi", i))
        t += K + 0.5 + E + 0.5
    return ("sm_100a current: one thread issues TMA and MMAs, one tile "
            "per CTA", lanes)


def sm100_warp_specialized():
    """sm_100a planned: a TMA warp, an MMA warp, epilogue warpgroups, and
    two tensor-memory accumulators so the epilogue of tile i overlaps the
    MMAs of tile i + 1."""
    lanes = {"TMA warp": [], "MMA warp": [], "TMEM accumulator 0": [],
             "TMEM accumulator 1": [], "epilogue warpgroups": []}
    t = 0.5
    for i in range(TILES):
        lanes["MMA warp"].append(seg(t, K, "mma", i))
        acc = "TMEM accumulator %d" % (i % 2)
        lanes[acc].append(seg(t, K, "mma", i))
        lanes[acc].append(seg(t + K, E, "epi", i))
        lanes["epilogue warpgroups"].append(seg(t + K, E, "epi", i))
        t += K
    lanes["TMA warp"] = producer([0.5 + i * K for i in range(TILES)], 0.5)
    return ("sm_100a planned warp-specialized: double-buffered TMEM, "
            "epilogue of tile i overlaps MMAs of tile i+1", lanes)


def sm100_cta_pair():
    """sm_100a gemm-cluster=2x1: a CTA pair per 256-row tile; both CTAs'
    TMA threads load their halves, the even CTA's MMA thread issues the
    M = 256 MMAs into both CTAs' tensor memory, both epilogues drain their
    128 rows; one tile per pair."""
    lanes = {"CTA 0 TMA (A rows 0-127, B half 0)": [],
             "CTA 1 TMA (A rows 128-255, B half 1)": [],
             "CTA 0 MMA thread (cta_group::2, M = 256)": [],
             "CTA 0 epilogue (D rows 0-127)": [],
             "CTA 1 epilogue (D rows 128-255)": []}
    names = list(lanes)
    t = 0.0
    for i in range(2):
        for lane in names[:2]:
            lanes[lane].append(seg(t, K + 0.5, "tma", i))
        lanes[names[2]].append(seg(t, 0.5, "wait"))
        lanes[names[2]].append(seg(t + 0.5, K, "mma", i))
        for lane in names[3:]:
            lanes[lane].append(seg(t, K + 0.5, "wait"))
            lanes[lane].append(seg(t + K + 0.5, E, "epi", i))
        # The next pair on these two SMs starts once both CTAs exit.
        t += K + 0.5 + E + 0.5
    return ("sm_100a CTA pair (gemm-cluster=2x1): one 256-row tile per "
            "2-CTA cluster", lanes)


SCHEDULES = {
    "sm90-default": sm90_default,
    "sm90-cooperative": sm90_cooperative,
    "sm90-pingpong": sm90_pingpong,
    "sm90-pingpong-epilogue-order": sm90_pingpong_epilogue_order,
    "sm90-cooperative-tma-store": sm90_tma_store,
    "sm100-current": sm100_current,
    "sm100-warp-specialized": sm100_warp_specialized,
    "sm100-cta-pair": sm100_cta_pair,
}


def digest(title, lanes):
    text = json.dumps({"title": title, "lanes": lanes}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def check_overlaps(name, lanes):
    """A lane never does two things at once."""
    for lane, segments in lanes.items():
        spans = sorted((s["start"], s["start"] + s["length"]) for s in segments)
        for (a0, a1), (b0, b1) in zip(spans, spans[1:]):
            if b0 < a1 - 1e-9:
                raise SystemExit("%s: lane %r overlaps itself at %.2f"
                                 % (name, lane, b0))


def draw(name, title, lanes, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    fig, ax = plt.subplots(figsize=(10, 0.6 * len(lanes) + 1.4))
    names = list(lanes)
    for row, lane in enumerate(names):
        y = len(names) - 1 - row
        for s in lanes[lane]:
            ax.broken_barh([(s["start"], s["length"])], (y - 0.35, 0.7),
                           facecolors=COLORS[s["kind"]], edgecolor="black",
                           linewidth=0.5)
            if s["tile"] is not None and s["length"] >= 0.8:
                ax.text(s["start"] + s["length"] / 2, y, str(s["tile"]),
                        ha="center", va="center", fontsize=8)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(list(reversed(names)), fontsize=8)
    ax.set_xlabel("time (illustrative; numbers are tile indices)", fontsize=8)
    ax.set_title(title, fontsize=9)
    ax.tick_params(axis="x", labelsize=7)
    used = sorted({s["kind"] for segs in lanes.values() for s in segs},
                  key=list(COLORS).index)
    ax.legend(handles=[Patch(facecolor=COLORS[k], label=LEGEND[k])
                       for k in used],
              fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.35),
              ncol=len(used), frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=90, metadata={"Description": digest(title, lanes)})
    plt.close(fig)


def png_description(path):
    """The Description text chunk of a PNG (what draw() wrote)."""
    data = path.read_bytes()
    pos = 8
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            if key == b"Description":
                return value.decode("latin-1")
        pos += 12 + length
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true",
                        help="check the PNGs instead of writing them")
    args = parser.parse_args(argv)
    stale = []
    for name, build in SCHEDULES.items():
        title, lanes = build()
        check_overlaps(name, lanes)
        path = args.out / (name + ".png")
        if args.check:
            if not path.exists() or png_description(path) != digest(title,
                                                                     lanes):
                stale.append(str(path))
            continue
        args.out.mkdir(parents=True, exist_ok=True)
        draw(name, title, lanes, path)
        print(path)
    if stale:
        print("stale or missing timelines (run scripts/gemm-timelines.py):\n  "
              + "\n  ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
