"""fp8_mlir.calibrate (docs/quantize-pipeline.md, "Calibrated high
precision") on the MLP training step of test_recipes.py: with 0.1% outliers
of 1e5 in X, dW1 is wrecked by the forward matmul H = X W1^T, whose own FP8
error is small (test_report.py's test_outlier_step_damage_is_not_local).
Measuring each matmul's effect on the outputs finds H, and the calibration
file it writes brings dW1, against the exact float64 step of numpy, under
10% through --fp8-quantize-pipeline="calibration-report=FILE"."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import fp8_mlir

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_recipes import (MODULE, _find_fp8_opt, exact_step,  # noqa: E402
                          global_error, make_data)

pytestmark = pytest.mark.skipif(not fp8_mlir.has_compiler(),
                                reason="fp8_mlir's compiled extension is "
                                       "not importable")

RECIPES = ["tensorwise", "blockwise"]
OPTIONS = "static-ranges=off"  # every amax at run time, as test_recipes.py


def matmul_location(marker, source="<ir>"):
    """`source:line:col` of the linalg.matmul on the line holding `marker`
    in MODULE, read off the text (the op's location is its name's)."""
    lines = MODULE.splitlines()
    [line] = [i for i, text in enumerate(lines) if marker in text]
    return f"{source}:{line + 1}:{lines[line].index('linalg.matmul') + 1}"


H = "%h = linalg.matmul"


def quantize(recipe, keep_file=None):
    stage = f"fp8-quantize-pipeline{{recipe={recipe} {OPTIONS}"
    stage += f" calibration-report={keep_file}}}" if keep_file else "}"
    return fp8_mlir.compile(MODULE, stage)


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    """(result, calibration file) per (recipe, data), computed once."""
    cache = {}

    def get(recipe, data):
        if (recipe, data) not in cache:
            path = tmp_path_factory.mktemp("calib") / "keep.json"
            result = fp8_mlir.calibrate(MODULE, "mlp", *make_data(data),
                                        recipe=recipe, options=OPTIONS,
                                        max_output_error=0.1,
                                        output=str(path))
            cache[recipe, data] = (result, path)
        return cache[recipe, data]

    return get


@pytest.mark.parametrize("recipe", RECIPES)
def test_outliers_keep_exactly_h(calibrated, recipe):
    result, path = calibrated(recipe, "outliers-1e5")
    assert result["keep"] == [matmul_location(H)]
    assert len(result["candidates"]) == 6
    # Nothing kept, an output is over the threshold; after H, none is.
    assert result["steps"][0]["keep"] == []
    assert result["steps"][0]["worst"] > 0.1
    assert result["steps"][-1]["worst"] <= 0.1
    # The quantized program plus one round over the six candidates.
    assert result["runs"] == 2 + 6
    assert json.loads(path.read_text())["keep"] == [
        {"loc": matmul_location(H)}]


@pytest.mark.parametrize("recipe", RECIPES)
def test_calibration_file_keeps_dw1(calibrated, recipe):
    """The written file, read by the existing pass, leaves H in f32 and the
    other five matmuls in FP8; dW1 is under 10% of the exact step's (it is
    over 100% without)."""
    _, path = calibrated(recipe, "outliers-1e5")
    inputs = make_data("outliers-1e5")
    exact = exact_step(*inputs)
    plain = fp8_mlir.run(quantize(recipe), "mlp", *inputs)
    kept_ir = quantize(recipe, path)
    assert kept_ir.count("fp8.scaled_matmul") == 5
    kept = fp8_mlir.run(kept_ir, "mlp", *inputs)
    assert global_error(plain[2], exact[2]) > 1.0
    assert global_error(kept[2], exact[2]) < 0.10, global_error(kept[2],
                                                                exact[2])


@pytest.mark.parametrize("recipe", RECIPES)
def test_gaussian_keeps_nothing(calibrated, recipe):
    result, path = calibrated(recipe, "gaussian")
    assert result["keep"] == []
    assert result["runs"] == 2
    assert json.loads(path.read_text())["keep"] == []
    assert quantize(recipe, path).count("fp8.scaled_matmul") == 6


def test_max_kept_stops():
    result = fp8_mlir.calibrate(MODULE, "mlp", *make_data("outliers-1e5"),
                                recipe="tensorwise", options=OPTIONS,
                                max_kept=0)
    assert result["keep"] == []
    assert result["runs"] == 2
    assert result["steps"][0]["worst"] > 0.1


def test_delayed_is_refused():
    with pytest.raises(ValueError, match="delayed recipe adds amax-history"):
        fp8_mlir.calibrate(MODULE, "mlp", *make_data("gaussian"),
                           recipe="delayed,history=16")


def test_cli_file_for_fp8_opt(tmp_path):
    """`python -m fp8_mlir.calibration model.mlir ...` names the model's file
    in its locations, so fp8-opt on that file matches them."""
    fp8_opt = _find_fp8_opt()
    if fp8_opt is None:
        pytest.skip("fp8-opt not found (set FP8_OPT or FP8_BUILD_DIR)")
    model = tmp_path / "model.mlir"
    model.write_text(MODULE)
    inputs = []
    for index, array in enumerate(make_data("outliers-1e5")):
        inputs.append(tmp_path / f"arg{index}.npy")
        np.save(inputs[-1], array)
    keep = tmp_path / "keep.json"
    subprocess.run([sys.executable, "-m", "fp8_mlir.calibration", str(model),
                    "--entry", "mlp", "--inputs", *map(str, inputs),
                    "--recipe", "tensorwise", "--options", OPTIONS,
                    "-o", str(keep)], check=True, capture_output=True,
                   text=True)
    location = matmul_location(H, "model.mlir")
    assert json.loads(keep.read_text())["keep"] == [{"loc": location}]
    completed = subprocess.run(
        [str(fp8_opt), str(model), "--fp8-quantize-pipeline=recipe=tensorwise "
         f"{OPTIONS} calibration-report={keep}"],
        capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert (f"{location}: remark: kept in high precision: the calibration's "
            "keep list names it") in completed.stderr
    assert "matches no matmul" not in completed.stderr
    assert completed.stdout.count("fp8.scaled_matmul") == 5
