"""The fused ops of fp8-fuse-quantize (fp8.quantize_with_amax,
fp8.quantize_transposed, fp8.amax_transposed) run on the CPU through their
reference lowering, bit-exact with the independent numpy + ml_dtypes
reference of the chains they stand for."""

import ml_dtypes
import numpy as np
import pytest

import fp8_mlir_ref as ref
from test_ops import (SCALINGS, assert_bits_equal, assert_float_equal, etype,
                      module_of, sample_data, scales_for, ttype)

FUSED_CASES = [
    # (scaling, format, input dtype, shape)
    ("tensor", "f8E4M3FN", np.float32, (70, 300)),
    ("rowwise", "f8E5M2", ml_dtypes.bfloat16, (2, 64, 96)),
    ("block1x128", "f8E4M3FN", np.float32, (200, 300)),
    ("block128x128", "f8E4M3FN", np.float16, (200, 300)),
    ("mx1x32", "f8E4M3FN", ml_dtypes.bfloat16, (64, 100)),
    ("mx1x32", "f4E2M1FN", np.float32, (64, 100)),
]
CASE_IDS = [f"{c[0]}-{c[1]}-{np.dtype(c[2]).name}-{'x'.join(map(str, c[3]))}"
            for c in FUSED_CASES]


@pytest.mark.parametrize("case", range(len(FUSED_CASES)), ids=CASE_IDS)
def test_quantize_with_amax(fp8_run, case):
    scaling_name, fmt, dtype, shape = FUSED_CASES[case]
    scaling, scale_type = SCALINGS[scaling_name]
    x = sample_data(shape, seed=40 + case, dtype=dtype, specials=False)
    expected_scale = scales_for(x, scaling, scale_type, fmt)
    expected = ref.quantize(x, expected_scale, scaling, fmt)
    x_type = ttype(x.shape, etype(x))
    s_type = ttype(np.shape(expected_scale), scale_type)
    q_type = ttype(x.shape, fmt)
    module = module_of("f", [("x", x_type)], [
        f"%q, %s = fp8.quantize_with_amax %x {{format = {fmt}, "
        f"scaling = {scaling.mlir()}}} : {x_type} -> {q_type}, {s_type}",
    ], [("%q", q_type), ("%s", s_type)])
    actual, actual_scale = fp8_run(module, "f", [x], [fmt, scale_type])
    assert_bits_equal(actual_scale, expected_scale, f"scales {scaling_name}")
    assert_bits_equal(actual, expected, f"data {scaling_name} {fmt}")


@pytest.mark.parametrize("case", range(len(FUSED_CASES)), ids=CASE_IDS)
@pytest.mark.parametrize("dynamic", [False, True], ids=["static", "dynamic"])
def test_quantize_transposed(fp8_run, case, dynamic):
    scaling_name, fmt, dtype, shape = FUSED_CASES[case]
    scaling, scale_type = SCALINGS[scaling_name]
    x = sample_data(shape, seed=50 + case, dtype=dtype)
    xt = np.swapaxes(x, -1, -2)
    scale = scales_for(xt, scaling, scale_type, fmt, shrink=0.5)
    expected = ref.quantize(xt, scale, scaling, fmt)
    x_type = ttype([-1] * x.ndim if dynamic else x.shape, etype(x))
    s_type = ttype([-1] * np.ndim(scale) if dynamic else np.shape(scale),
                   scale_type)
    q_type = ttype([-1] * x.ndim if dynamic else xt.shape, fmt)
    module = module_of("f", [("x", x_type), ("s", s_type)], [
        f"%q = fp8.quantize_transposed %x, %s {{scaling = {scaling.mlir()}}} "
        f": {x_type}, {s_type} -> {q_type}",
    ], [("%q", q_type)])
    (actual,) = fp8_run(module, "f", [x, scale], [fmt])
    assert_bits_equal(actual, expected, f"transposed {scaling_name} {fmt}")


@pytest.mark.parametrize("case", range(len(FUSED_CASES)), ids=CASE_IDS)
def test_amax_transposed(fp8_run, case):
    scaling_name, _, dtype, shape = FUSED_CASES[case]
    scaling, _ = SCALINGS[scaling_name]
    x = sample_data(shape, seed=60 + case, dtype=dtype)
    expected = ref.amax(np.swapaxes(x, -1, -2), scaling)
    x_type = ttype(x.shape, etype(x))
    a_type = ttype(expected.shape, "f32")
    module = module_of("f", [("x", x_type)], [
        f"%a = fp8.amax_transposed %x {{scaling = {scaling.mlir()}}} "
        f": {x_type} -> {a_type}",
    ], [("%a", a_type)])
    (actual,) = fp8_run(module, "f", [x], ["f32"])
    assert_float_equal(actual, expected, f"amax_transposed {scaling_name}")
