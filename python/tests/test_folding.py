"""The folds of the fp8 ops (lib/Dialect/FP8/IR/FP8Folding.cpp) against the
reference lowering.

Each case is one fp8 op (or quantize(dequantize)) on inputs. The reference
runs the function with the inputs as *arguments* through fp8-run (the CPU
pipeline lowers fp8 ops before anything canonicalizes, and arguments cannot
fold anyway). The folded side writes the inputs that the fold needs as
`arith.constant`s, runs `fp8-opt --canonicalize`, checks that no fp8 op is
left, and runs what remains through fp8-run. Results compare bit for bit
(NaN matching NaN, whatever its payload).
"""

import subprocess

import ml_dtypes
import numpy as np
import pytest

from conftest import mlir_element_type, to_npy_encoding
from test_recipes import _find_fp8_opt


def ttype(array_or_shape, element=None) -> str:
    if element is None:
        array = np.asarray(array_or_shape)
        shape, element = array.shape, mlir_element_type(array.dtype)
    else:
        shape = array_or_shape
    if len(shape) == 0:
        return f"tensor<{element}>"
    return f"tensor<{'x'.join(str(d) for d in shape)}x{element}>"


def dense_hex(array) -> str:
    """`arith.constant` text of `array`, bit-exact (little-endian hex)."""
    data = to_npy_encoding(np.ascontiguousarray(array))
    hexdata = data.astype(data.dtype.newbyteorder("<")).tobytes().hex()
    return f'arith.constant dense<"0x{hexdata.upper()}"> : {ttype(array)}'


def build_module(inputs, constant_names, body, result_type):
    """func @f: inputs named in `constant_names` become constants, the rest
    arguments; `body` computes %r of `result_type`."""
    params, lines, args = [], [], []
    for name, array in inputs.items():
        if name in constant_names:
            lines.append(f"%{name} = {dense_hex(array)}")
        else:
            params.append(f"%{name}: {ttype(array)}")
            args.append(array)
    lines += body
    text = "\n".join(f"  {line}" for line in lines)
    module = (f"func.func @f({', '.join(params)}) -> {result_type} {{\n"
              f"{text}\n  return %r : {result_type}\n}}\n")
    return module, args


def same_bits(actual, expected):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    width = {1: np.uint8, 2: np.uint16, 4: np.uint32}[actual.dtype.itemsize]
    nan = np.isnan(actual.astype(np.float32)) & np.isnan(
        expected.astype(np.float32))
    differ = (actual.view(width) != expected.view(width)) & ~nan
    assert not differ.any(), (
        f"{differ.sum()} elements differ: got {actual[differ][:8]}, "
        f"expected {expected[differ][:8]}")


@pytest.fixture(scope="module")
def fp8_opt():
    path = _find_fp8_opt()
    if path is None:
        pytest.skip("fp8-opt not found ($FP8_OPT or $FP8_BUILD_DIR/bin)")
    return path


def check_fold(fp8_opt, fp8_run, inputs, constant_names, body, result_type):
    element = result_type.rstrip(">").split("x")[-1].split("<")[-1]
    reference_module, reference_args = build_module(inputs, (), body,
                                                    result_type)
    expected, = fp8_run(reference_module, "f", reference_args, [element])

    module, args = build_module(inputs, constant_names, body, result_type)
    completed = subprocess.run([str(fp8_opt), "-", "--canonicalize"],
                               input=module, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    folded = completed.stdout
    assert "fp8." not in folded, f"not folded:\n{folded}"
    actual, = fp8_run(folded, "f", args, [element])
    same_bits(actual, expected)


def special_f32(rng, shape):
    """Random magnitudes over many binades with 0, -0, +-inf, NaN and
    subnormals mixed in."""
    values = (rng.standard_normal(shape) *
              np.exp2(rng.integers(-140, 120, shape))).astype(np.float32)
    flat = values.reshape(-1)
    picks = rng.choice(flat.size, size=min(flat.size, 12), replace=False)
    specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, -3e-42,
                         3.4e38, -448.0, 448.0, 2.0**-126, 1.0],
                        dtype=np.float32)
    flat[picks] = specials[:len(picks)]
    return values


AMAX_CASES = {
    # name: (shape, element dtype, scaling, scale shape)
    "tensor": ((7, 33), np.float32, "tensor", ()),
    "rowwise": ((5, 40), np.float32, "rowwise", (5, 1)),
    "block_ragged": ((130, 70), np.float32, "block [128, 32]", (2, 3)),
    "block_batch": ((3, 9, 20), np.float32, "block [4, 8]", (3, 3, 3)),
    "mx_bf16": ((4, 96), ml_dtypes.bfloat16, "block [1, 32]", (4, 3)),
    "e4m3": ((6, 16), ml_dtypes.float8_e4m3fn, "block [2, 8]", (3, 2)),
    "e5m2": ((6, 16), ml_dtypes.float8_e5m2, "rowwise", (6, 1)),
}


@pytest.mark.parametrize("case", sorted(AMAX_CASES))
def test_amax_fold(fp8_opt, fp8_run, case):
    shape, dtype, scaling, scale_shape = AMAX_CASES[case]
    rng = np.random.default_rng(len(case))
    if np.dtype(dtype).itemsize == 1:
        x = rng.integers(0, 256, shape, dtype=np.uint8).view(dtype)
    else:
        x = special_f32(rng, shape).astype(dtype)
    result_type = ttype(scale_shape, "f32")
    body = [f"%r = fp8.amax %x {{scaling = #fp8.scaling<{scaling}>}} : "
            f"{ttype(x)} -> {result_type}"]
    check_fold(fp8_opt, fp8_run, {"x": x}, {"x"}, body, result_type)


@pytest.mark.parametrize("format_", ["f8E4M3FN", "f8E5M2", "f4E2M1FN",
                                     "f6E3M2FN"])
@pytest.mark.parametrize("margin", [0, 3, -5, 127, -127])
def test_scale_from_amax_fold(fp8_opt, fp8_run, format_, margin):
    rng = np.random.default_rng(margin + 200)
    amax = special_f32(rng, (8, 16))
    amax[0, :4] = [-1.0, -np.inf, -0.0, 7e-45]
    result_type = ttype(amax)
    body = [f"%r = fp8.scale_from_amax %a {{format = {format_}, "
            f"margin = {margin}}} : {ttype(amax)} -> {result_type}"]
    check_fold(fp8_opt, fp8_run, {"a": amax}, {"a"}, body, result_type)


REQUANTIZE_CASES = {
    # name: (data dtype, scale element, scale exponents, saturate)
    "e4m3_f32": (ml_dtypes.float8_e4m3fn, "f32", [0, 1, -3, 119, -140], True),
    "e4m3_e8m0": (ml_dtypes.float8_e4m3fn, "f8E8M0FNU", [0, 7, -127, 119, -40],
                  True),
    "e5m2_nosat": (ml_dtypes.float8_e5m2, "f32", [0, 2, -133, 112, -5], False),
    "e2m1": (ml_dtypes.float4_e2m1fn, "f32", [0, 1, 125, -148, 3], True),
    "e3m2": (ml_dtypes.float6_e3m2fn, "f8E8M0FNU", [0, 1, 122, -127, 3], True),
}


@pytest.mark.parametrize("case", sorted(REQUANTIZE_CASES))
def test_requantize_fold(fp8_opt, fp8_run, case):
    dtype, scale_element, exponents, saturate = REQUANTIZE_CASES[case]
    rng = np.random.default_rng(len(case) + 7)
    bits = {1: 8}.get(np.dtype(dtype).itemsize, 8)
    bits = {"float4_e2m1fn": 4, "float6_e3m2fn": 6}.get(np.dtype(dtype).name,
                                                        bits)
    # Every bit pattern of the format, shuffled, in every group.
    patterns = np.arange(1 << bits, dtype=np.uint8)
    cols = max(64, len(patterns))
    q = np.tile(patterns, (len(exponents), cols // len(patterns)))
    q = rng.permuted(q, axis=1).view(dtype)
    scale = np.exp2(np.array(exponents, dtype=np.float64)).astype(np.float32)
    scale = scale.reshape(len(exponents), 1)
    if scale_element == "f8E8M0FNU":
        scaling = "block [1, 32]"
        scale = np.repeat(scale, cols // 32, axis=1).astype(ml_dtypes.float8_e8m0fnu)
    else:
        scaling = "rowwise"
    st, qt = ttype(scale), ttype(q)
    xt = ttype(q.shape, "f32")
    sat = "" if saturate else ", saturate = false"
    body = [
        f"%x = fp8.dequantize %q, %s {{scaling = #fp8.scaling<{scaling}>}} : "
        f"{qt}, {st} -> {xt}",
        f"%r = fp8.quantize %x, %s {{scaling = #fp8.scaling<{scaling}>{sat}}}"
        f" : {xt}, {st} -> {qt}",
    ]
    check_fold(fp8_opt, fp8_run, {"q": q, "s": scale}, {"s"}, body, qt)


@pytest.mark.parametrize("element", ["f4E2M1FN", "f6E2M3FN", "f6E3M2FN"])
def test_nan_to_nan_less_format_agrees_with_folding(fp8_opt, fp8_run,
                                                    element):
    """A NaN cast to a format without NaN: the arith constant folder
    (APFloat) and the expanded cast of the CPU pipeline give the same zero,
    with the NaN's sign. (ml_dtypes gives the opposite sign; the docs of
    fp8-expand-casts record the difference.)"""
    # +NaN, -NaN and exact values (APFloat folds only casts that are exact
    # or of a NaN without payload): 2, 0.5, -1.5, -0.
    bits = np.array([0x7FC00000, 0xFFC00000, 0x40000000, 0x3F000000,
                     0xBFC00000, 0x80000000], dtype=np.uint32)
    inputs = {"x": bits.view(np.float32)}
    body = [f"%r = arith.truncf %x : {ttype((6,), 'f32')} to "
            f"{ttype((6,), element)}"]
    result_type = ttype((6,), element)
    reference_module, reference_args = build_module(inputs, (), body,
                                                    result_type)
    expected, = fp8_run(reference_module, "f", reference_args, [element])

    module, args = build_module(inputs, ("x",), body, result_type)
    completed = subprocess.run([str(fp8_opt), "-", "--canonicalize"],
                               input=module, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    assert "arith.truncf" not in completed.stdout, "the constant did not fold"
    actual, = fp8_run(completed.stdout, "f", args, [element])
    same_bits(actual, expected)
    # +NaN -> +0, -NaN -> -0 (the sign bit of a 4- or 6-bit value).
    sign_bit = 0x8 if element.startswith("f4") else 0x20
    raw = np.asarray(actual).view(np.uint8)
    assert raw[0] == 0 and raw[1] == sign_bit
