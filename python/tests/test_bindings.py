"""The fp8_mlir Python package: compile, run, errors, dtypes."""

import textwrap

import ml_dtypes
import numpy as np
import pytest

fp8_mlir = pytest.importorskip(
    "fp8_mlir", reason="fp8_mlir is not built (PYTHONPATH=<build>/python_packages)")

MATMUL = textwrap.dedent("""
    func.func @mm(%a: tensor<128x256xf32>, %b: tensor<256x64xf32>) -> tensor<128x64xf32> {
      %z = arith.constant 0.0 : f32
      %e = tensor.empty() : tensor<128x64xf32>
      %f = linalg.fill ins(%z : f32) outs(%e : tensor<128x64xf32>) -> tensor<128x64xf32>
      %r = linalg.matmul ins(%a, %b : tensor<128x256xf32>, tensor<256x64xf32>)
          outs(%f : tensor<128x64xf32>) -> tensor<128x64xf32>
      return %r : tensor<128x64xf32>
    }
""")


def test_compile_accepts_pipeline_with_and_without_wrapper():
    plain = fp8_mlir.compile(MATMUL, "fp8-quantize-pipeline{recipe=tensorwise}")
    wrapped = fp8_mlir.compile(
        MATMUL, "builtin.module(fp8-quantize-pipeline{recipe=tensorwise})")
    assert plain == wrapped
    assert "fp8.scaled_matmul" in plain and "linalg.matmul" not in plain


def test_run_f32_matches_numpy():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((128, 256)).astype(np.float32)
    b = rng.standard_normal((256, 64)).astype(np.float32)
    (c,) = fp8_mlir.run(MATMUL, "mm", a, b)
    assert c.dtype == np.float32 and c.shape == (128, 64)
    # f32 accumulation of 256 products: |error| <= 256 * 2^-24 * sum|a||b|.
    bound = 256 * 2.0**-24 * (np.abs(a) @ np.abs(b))
    assert np.all(np.abs(c - a.astype(np.float64) @ b) <= bound)


def test_run_returns_ml_dtypes_fp8():
    ir = textwrap.dedent("""
        func.func @q(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf8E4M3FN> {
          %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
              : tensor<4xf32>, tensor<f32> -> tensor<4xf8E4M3FN>
          return %q : tensor<4xf8E4M3FN>
        }
    """)
    x = np.array([2.0, 896.0, 1000.0, -0.5], np.float32)
    (q,) = fp8_mlir.run(ir, "q", x, np.float32(2.0))
    assert q.dtype == ml_dtypes.float8_e4m3fn
    # Reference: ml_dtypes' cast of the clamped x / scale.
    expected = np.clip(x / 2, -448, 448).astype(ml_dtypes.float8_e4m3fn)
    np.testing.assert_array_equal(q.view(np.uint8), expected.view(np.uint8))


def test_parse_error_carries_location():
    with pytest.raises(fp8_mlir.MLIRError, match=r"<ir>:1:13: error: expected non-function type"):
        fp8_mlir.compile("func.func @f(", "canonicalize")


def test_bad_pipeline_and_verifier_errors():
    with pytest.raises(fp8_mlir.MLIRError, match="'no-such-pass' does not refer to a registered pass"):
        fp8_mlir.compile("module {}", "no-such-pass")
    bad = ("func.func @f(%x: tensor<4x8xf32>) {\n"
           "  %0 = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<4x8xf32> -> tensor<4xf32>\n"
           "  return\n}\n")
    with pytest.raises(fp8_mlir.MLIRError, match=r"<ir>:2:8: error: 'fp8.amax' op expected amax result of shape \[4, 1\]"):
        fp8_mlir.compile(bad, "canonicalize")


def test_run_argument_errors():
    a = np.zeros((128, 256), np.float32)
    with pytest.raises(fp8_mlir.MLIRError, match="@mm takes 2 arguments, 1 given"):
        fp8_mlir.run(MATMUL, "mm", a)
    with pytest.raises(fp8_mlir.MLIRError, match="given data of shape \\[3, 3\\]"):
        fp8_mlir.run(MATMUL, "mm", a, np.zeros((3, 3), np.float32))
    with pytest.raises(fp8_mlir.MLIRError, match="no function named 'nope'"):
        fp8_mlir.run(MATMUL, "nope")


def test_recipe_table():
    """The compiler's recipe table (Recipe.h, through the C API)."""
    # The complete list is pinned once, by test_recipes.py's independent
    # reference; here: the names come in RecipeKind's order, each once.
    names = fp8_mlir.recipe_names()
    assert names[:5] == ["tensorwise", "delayed", "rowwise", "blockwise",
                         "mxfp8"]
    assert len(set(names)) == len(names)
    assert fp8_mlir.recipe_operand("blockwise", "weight", "b") == {
        "format": "f8E4M3FN", "scaling": (128, 128), "scale_type": "f32",
        "margin": 0, "pow2": False}
    assert fp8_mlir.recipe_operand("blockwise")["scaling"] == (1, 128)
    assert fp8_mlir.recipe_operand("mxfp8")["scale_type"] == "f8E8M0FNU"
    assert fp8_mlir.recipe_operand("rowwise")["pow2"] is True
    gradient = fp8_mlir.recipe_operand("tensorwise,margin=2", "gradient")
    assert gradient["format"] == "f8E5M2" and gradient["scaling"] == "tensor"
    assert gradient["margin"] == 2
    assert fp8_mlir.recipe_operand("tensorwise,formats=e4m3",
                                   "gradient")["format"] == "f8E4M3FN"
    with pytest.raises(fp8_mlir.MLIRError, match="unknown recipe 'nope'"):
        fp8_mlir.recipe_operand("nope")
    with pytest.raises(ValueError, match="role must be"):
        fp8_mlir.recipe_operand("tensorwise", "bias")
