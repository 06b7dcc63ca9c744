"""The GEMM timeline pictures of docs/gpu-pipeline.md are the script's.

scripts/gemm-timelines.py draws one PNG per schedule into
docs/gpu-pipeline/ and records a digest of the schedule's segments in each
PNG; --check fails when a picture is missing or was drawn from other
segments. Here: the committed pictures pass --check, and --check fails for
a folder without them and for a picture drawn from changed segments.
"""

import importlib.util
import shutil
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "gemm-timelines.py"
DOCS = ROOT / "docs" / "gpu-pipeline"


def load_script():
    spec = importlib.util.spec_from_file_location("gemm_timelines", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_timelines_are_current():
    timelines = load_script()
    assert timelines.main(["--check", "--out", str(DOCS)]) == 0


def test_every_schedule_is_referenced_from_the_guide():
    timelines = load_script()
    guide = (ROOT / "docs" / "gpu-pipeline.md").read_text()
    for name in timelines.SCHEDULES:
        assert f"(gpu-pipeline/{name}.png)" in guide, name


def test_check_fails_without_pictures(tmp_path):
    timelines = load_script()
    assert timelines.main(["--check", "--out", str(tmp_path)]) == 1


def test_check_fails_for_a_picture_of_other_segments(tmp_path):
    timelines = load_script()
    for png in DOCS.glob("*.png"):
        shutil.copy(png, tmp_path / png.name)
    # sm90-default drawn where sm90-pingpong belongs.
    shutil.copy(DOCS / "sm90-default.png", tmp_path / "sm90-pingpong.png")
    assert timelines.main(["--check", "--out", str(tmp_path)]) == 1


def test_pingpong_consumers_alternate_and_overlap():
    """In the ping-pong picture the MMAs of consecutive tiles belong to
    different consumers, never overlap each other, and each epilogue but
    the last overlaps the other consumer's next MMAs."""
    timelines = load_script()
    _, lanes = timelines.sm90_pingpong()
    wg0, wg1 = list(lanes)[1:3]
    mmas = sorted((s["tile"], lane, s["start"], s["start"] + s["length"])
                  for lane in (wg0, wg1) for s in lanes[lane]
                  if s["kind"] == "mma")
    for (t0, lane0, _, end0), (t1, lane1, start1, _) in zip(mmas, mmas[1:]):
        assert t1 == t0 + 1 and lane0 != lane1 and start1 >= end0
    epilogues = {s["tile"]: (s["start"], s["start"] + s["length"])
                 for lane in (wg0, wg1) for s in lanes[lane]
                 if s["kind"] == "epi"}
    for tile, _, start, end in mmas[1:]:
        epi_start, epi_end = epilogues[tile - 1]
        assert epi_start < end and start < epi_end


def _epilogues(lanes, names):
    return sorted((s["start"], s["start"] + s["length"])
                  for lane in names for s in lanes[lane] if s["kind"] == "epi")


def test_pingpong_epilogue_order():
    """gemm-pingpong-order: with ordered epilogues (the default picture and
    the bottom half of the short-K one) no two epilogues overlap and each
    starts after the previous tile's; with the main loops ordered only, a
    main loop shorter than the epilogue lets the two consumers' epilogues
    overlap."""
    timelines = load_script()
    _, lanes = timelines.sm90_pingpong()
    ordered = _epilogues(lanes, list(lanes)[1:3])
    _, lanes = timelines.sm90_pingpong_epilogue_order()
    names = list(lanes)
    unordered = _epilogues(lanes, names[0:2])
    short_ordered = _epilogues(lanes, names[2:4])
    for epilogues in (ordered, short_ordered):
        assert len(epilogues) == timelines.TILES
        for (_, end0), (start1, _) in zip(epilogues, epilogues[1:]):
            assert start1 >= end0
    assert any(start1 < end0 for (_, end0), (start1, _)
               in zip(unordered, unordered[1:]))
