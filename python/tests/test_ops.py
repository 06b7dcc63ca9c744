"""Every fp8 op, compiled by fp8-run (--fp8-cpu-pipeline), against the
independent numpy + ml_dtypes reference in fp8_mlir_ref.

Quantized data, scales and amaxes compare bit-exactly. Matmul outputs compare
at f32-accumulation tolerance against a float64 product of the same
dequantized operands: for a length-K dot product accumulated in f32 (products
rounded, then summed one by one), the classic bound is
``|fl(D) - D| <= gamma_K * sum_k |a_k| |b_k|`` with
``gamma_K = K u / (1 - K u)`` and ``u = 2^-24``; the bias add rounds once
more. We allow ``(K + 2) * 2^-24 * (sum_k |a_k b_k| + |bias|)``.
"""

import time

import ml_dtypes
import numpy as np
import pytest

import fp8_mlir_ref as ref
from conftest import mlir_element_type

Scaling = ref.Scaling

#: The scaling kinds of the dialect, with the element type of their scales.
SCALINGS = {
    "tensor": (Scaling.tensor(), "f32"),
    "rowwise": (Scaling.rowwise(), "f32"),
    "block1x128": (Scaling.blocks(1, 128), "f32"),
    "block128x128": (Scaling.blocks(128, 128), "f32"),
    "mx1x32": (Scaling.blocks(1, 32), "f8E8M0FNU"),
}

U = 2.0**-24


# --- helpers ------------------------------------------------------------------


def ttype(shape, element: str) -> str:
    """MLIR tensor type text; -1 in `shape` is a dynamic dim."""
    if len(shape) == 0:
        return f"tensor<{element}>"
    dims = "x".join("?" if d < 0 else str(d) for d in shape)
    return f"tensor<{dims}x{element}>"


def etype(array) -> str:
    return mlir_element_type(np.asarray(array).dtype)


def module_of(name, args, body, results) -> str:
    """A func.func @name(args) -> results with `body` (MLIR lines)."""
    params = ", ".join(f"%{arg}: {type_}" for arg, type_ in args)
    result_types = ", ".join(type_ for _, type_ in results)
    values = ", ".join(value for value, _ in results)
    lines = "\n".join(f"  {line}" for line in body)
    return (f"func.func @{name}({params}) -> ({result_types}) {{\n{lines}\n"
            f"  return {values} : {result_types}\n}}\n")


def assert_bits_equal(actual, expected, what=""):
    """Bit-exact comparison of two arrays of the same (ml_)dtype."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, (what, actual.shape, expected.shape)
    assert actual.dtype == expected.dtype, (what, actual.dtype, expected.dtype)
    width = {1: np.uint8, 2: np.uint16, 4: np.uint32}[actual.dtype.itemsize]
    a_bits, e_bits = actual.view(width), expected.view(width)
    bad = np.argwhere(a_bits != e_bits)
    if bad.size:
        index = tuple(bad[0])
        raise AssertionError(
            f"{what}: {len(bad)} of {actual.size} elements differ; first at "
            f"{index}: got {actual[index]!r} (0x{int(a_bits[index]):x}), "
            f"expected {expected[index]!r} (0x{int(e_bits[index]):x})")


def assert_float_equal(actual, expected, what=""):
    """Exact equality of f32 arrays, NaN matching NaN."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, (what, actual.shape, expected.shape)
    np.testing.assert_array_equal(actual, expected, err_msg=what)


def sample_data(shape, seed, dtype=np.float32, specials=True, spread=12):
    """Normal data whose magnitude varies by rows (2^-spread .. 2^spread),
    with NaN, +-inf and an all-zero patch when `specials`."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(np.float32)
    if len(shape) >= 2:
        exponents = rng.integers(-spread, spread + 1, size=shape[:-1] + (1,))
        x *= np.exp2(exponents).astype(np.float32)
    if specials and len(shape) >= 2:
        x[..., 0, 5] = np.nan
        x[..., 1, 200 % shape[-1]] = np.inf
        x[..., -1, -1] = -np.inf
        x[..., 2:4, :40] = 0.0
    return x.astype(dtype)


# --- fp8.amax -------------------------------------------------------------------


@pytest.mark.parametrize("scaling_name", list(SCALINGS))
@pytest.mark.parametrize("dtype", [np.float32, ml_dtypes.bfloat16, np.float16])
@pytest.mark.parametrize("specials", [True, False])
def test_amax(fp8_run, scaling_name, dtype, specials):
    scaling, _ = SCALINGS[scaling_name]
    x = sample_data((200, 300), seed=1, dtype=dtype, specials=specials)
    expected = ref.amax(x, scaling)
    x_type = ttype(x.shape, etype(x))
    a_type = ttype(expected.shape, "f32")
    module = module_of("f", [("x", x_type)], [
        f"%a = fp8.amax %x {{scaling = {scaling.mlir()}}} : {x_type} -> {a_type}",
    ], [("%a", a_type)])
    (actual,) = fp8_run(module, "f", [x], ["f32"])
    assert_float_equal(actual, expected, f"amax {scaling_name}")
    if specials and scaling_name != "tensor":
        assert np.isnan(actual).any() and np.isinf(actual).any()


@pytest.mark.parametrize("scaling_name", list(SCALINGS))
def test_amax_batch(fp8_run, scaling_name):
    scaling, _ = SCALINGS[scaling_name]
    x = sample_data((3, 130, 70), seed=2)
    expected = ref.amax(x, scaling)
    x_type = ttype(x.shape, "f32")
    a_type = ttype(expected.shape, "f32")
    module = module_of("f", [("x", x_type)], [
        f"%a = fp8.amax %x {{scaling = {scaling.mlir()}}} : {x_type} -> {a_type}",
    ], [("%a", a_type)])
    (actual,) = fp8_run(module, "f", [x], ["f32"])
    assert_float_equal(actual, expected, f"batched amax {scaling_name}")


def test_amax_dynamic(fp8_run):
    scaling = Scaling.blocks(128, 128)
    x = sample_data((200, 300), seed=3)
    module = module_of("f", [("x", "tensor<?x?xf32>")], [
        f"%a = fp8.amax %x {{scaling = {scaling.mlir()}}} : tensor<?x?xf32> -> tensor<?x?xf32>",
    ], [("%a", "tensor<?x?xf32>")])
    (actual,) = fp8_run(module, "f", [x], ["f32"])
    assert_float_equal(actual, ref.amax(x, scaling), "dynamic amax")


# --- fp8.scale_from_amax --------------------------------------------------------


def amax_samples(fmt):
    """0, inf, NaN, powers of two, fmax * 2^k and their f32 neighbours,
    subnormals, and log-uniform values over the whole f32 range."""
    rng = np.random.default_rng(4)
    fmax = ref.format_max(fmt)
    exact = np.array([fmax * 2.0**k for k in range(-20, 21)], np.float32)
    values = [
        np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, fmax, 2.0**-149,
                  2.0**-130, 3.4e38], np.float32),
        np.exp2(np.arange(-149, 128)).astype(np.float32),
        exact,
        np.nextafter(exact, np.float32(np.inf)),
        np.nextafter(exact, np.float32(0)),
        np.exp2(rng.uniform(-149, 127.9, 2000)).astype(np.float32),
    ]
    return np.concatenate(values).astype(np.float32)


SCALE_RULES = [
    # (scale type, options as MLIR text, reference keyword arguments)
    ("f32", "", {}),
    ("f32", "margin = 3", {"margin": 3}),
    ("f32", "margin = -5", {"margin": -5}),
    ("f32", "pow2", {"pow2": True}),
    ("f32", "pow2, margin = 2", {"pow2": True, "margin": 2}),
    ("f8E8M0FNU", "", {}),
    ("f8E8M0FNU", "margin = 1", {"margin": 1}),
    ("f8E8M0FNU", "mx_scale = #fp8.mx_scale<floor>", {"mx_scale": "floor"}),
    ("f8E8M0FNU", "mx_scale = #fp8.mx_scale<floor>, margin = -1",
     {"mx_scale": "floor", "margin": -1}),
]


@pytest.mark.parametrize("fmt", ["f8E4M3FN", "f8E5M2", "f4E2M1FN", "f6E2M3FN", "f6E3M2FN"])
@pytest.mark.parametrize(
    "rule", range(len(SCALE_RULES)),
    ids=[f"{r[0]}:{r[1] or 'plain'}".replace(" ", "") for r in SCALE_RULES])
def test_scale_from_amax(fp8_run, fmt, rule):
    scale_type, options, kwargs = SCALE_RULES[rule]
    amax = amax_samples(fmt)
    expected = ref.scale_from_amax(amax, fmt, scale_type=scale_type, **kwargs)
    attrs = f"format = {fmt}" + (f", {options}" if options else "")
    a_type = ttype(amax.shape, "f32")
    s_type = ttype(amax.shape, scale_type)
    module = module_of("f", [("a", a_type)], [
        f"%s = fp8.scale_from_amax %a {{{attrs}}} : {a_type} -> {s_type}",
    ], [("%s", s_type)])
    (actual,) = fp8_run(module, "f", [amax], [scale_type])
    assert_bits_equal(actual, expected, f"scale_from_amax {fmt} {options}")
    # The TE rule: scale 1 for amax 0, +-inf, NaN.
    assert np.all(actual[:5].astype(np.float32) == 1.0)


# --- fp8.quantize / fp8.dequantize -------------------------------------------------


def scales_for(x, scaling, scale_type, fmt, shrink=1.0):
    """Reference scales of `x`; `shrink` < 1 makes values overflow."""
    amax = ref.amax(x, scaling)
    if scale_type == "f8E8M0FNU":
        return ref.scale_from_amax(amax * np.float32(shrink), fmt, scale_type=scale_type)
    return (ref.scale_from_amax(amax, fmt) * np.float32(shrink)).astype(np.float32)


def quantize_module(x, scale, scaling, fmt, saturate, dynamic=False):
    x_shape = [-1] * x.ndim if dynamic else x.shape
    s_shape = [-1] * np.ndim(scale) if dynamic else np.shape(scale)
    x_type = ttype(x_shape, etype(x))
    s_type = ttype(s_shape, etype(scale))
    q_type = ttype(x_shape, fmt)
    sat = "" if saturate else ", saturate = false"
    return module_of("f", [("x", x_type), ("s", s_type)], [
        f"%q = fp8.quantize %x, %s {{scaling = {scaling.mlir()}{sat}}} : "
        f"{x_type}, {s_type} -> {q_type}",
    ], [("%q", q_type)])


QUANTIZE_CASES = [
    # (scaling, format, input dtype, shape)
    ("tensor", "f8E4M3FN", np.float32, (200, 300)),
    ("tensor", "f8E5M2", ml_dtypes.bfloat16, (200, 300)),
    ("rowwise", "f8E4M3FN", np.float16, (200, 300)),
    ("rowwise", "f8E5M2", np.float32, (2, 64, 96)),
    ("block1x128", "f8E4M3FN", ml_dtypes.bfloat16, (200, 300)),
    ("block1x128", "f8E5M2", np.float32, (3, 40, 260)),
    ("block128x128", "f8E4M3FN", np.float32, (200, 300)),
    ("block128x128", "f8E5M2", np.float16, (200, 300)),
    ("mx1x32", "f8E4M3FN", np.float32, (200, 300)),
    ("mx1x32", "f8E5M2", ml_dtypes.bfloat16, (2, 64, 96)),
    ("mx1x32", "f4E2M1FN", np.float32, (64, 100)),
    ("mx1x32", "f6E2M3FN", np.float32, (64, 100)),
    ("mx1x32", "f6E3M2FN", ml_dtypes.bfloat16, (64, 100)),
]


@pytest.mark.parametrize(
    "case", range(len(QUANTIZE_CASES)),
    ids=[f"{c[0]}-{c[1]}-{np.dtype(c[2]).name}-{'x'.join(map(str, c[3]))}"
         for c in QUANTIZE_CASES])
@pytest.mark.parametrize("saturate", [True, False])
def test_quantize(fp8_run, case, saturate):
    scaling_name, fmt, dtype, shape = QUANTIZE_CASES[case]
    scaling, scale_type = SCALINGS[scaling_name]
    x = sample_data(shape, seed=5 + case, dtype=dtype)
    # Scales 8x too small: the top of every group overflows the format.
    scale = scales_for(x, scaling, scale_type, fmt, shrink=0.125)
    expected = ref.quantize(x, scale, scaling, fmt, saturate=saturate)
    module = quantize_module(x, scale, scaling, fmt, saturate)
    (actual,) = fp8_run(module, "f", [x, scale], [fmt])
    assert_bits_equal(actual, expected, f"quantize {scaling_name} {fmt}")
    decoded = actual.astype(np.float32)
    if saturate:
        assert np.nanmax(np.abs(decoded)) == ref.format_max(fmt)
    elif fmt.startswith("f8"):
        # Finite inputs overflow to NaN (E4M3FN) or inf (E5M2).
        assert not np.isfinite(decoded[np.isfinite(x.astype(np.float32))]).all()


def test_quantize_dynamic(fp8_run):
    scaling = Scaling.blocks(128, 128)
    x = sample_data((200, 300), seed=6, dtype=ml_dtypes.bfloat16)
    scale = scales_for(x, scaling, "f32", "f8E4M3FN", shrink=0.5)
    module = quantize_module(x, scale, scaling, "f8E4M3FN", True, dynamic=True)
    (actual,) = fp8_run(module, "f", [x, scale], ["f8E4M3FN"])
    assert_bits_equal(actual, ref.quantize(x, scale, scaling, "f8E4M3FN"), "dynamic quantize")


def all_codes(fmt, shape, seed):
    """Random finite codes of a narrow format."""
    rng = np.random.default_rng(seed)
    bits = ref.dtype_of(fmt).itemsize * 8
    width = {"f8E4M3FN": 8, "f8E5M2": 8, "f6E2M3FN": 6, "f6E3M2FN": 6, "f4E2M1FN": 4}[fmt]
    assert bits == 8
    codes = rng.integers(0, 2**width, size=shape, dtype=np.uint8).view(ref.dtype_of(fmt))
    values = codes.astype(np.float32)
    return np.where(np.isfinite(values), codes, np.zeros_like(codes))


DEQUANTIZE_CASES = [
    ("tensor", "f8E4M3FN", "f32", (200, 300)),
    ("rowwise", "f8E5M2", "bf16", (200, 300)),
    ("block1x128", "f8E4M3FN", "f16", (2, 64, 300)),
    ("block128x128", "f8E4M3FN", "bf16", (200, 300)),
    ("mx1x32", "f8E5M2", "f32", (200, 300)),
    ("mx1x32", "f4E2M1FN", "bf16", (64, 96)),
]


@pytest.mark.parametrize(
    "case", range(len(DEQUANTIZE_CASES)),
    ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in DEQUANTIZE_CASES])
def test_dequantize(fp8_run, case):
    scaling_name, fmt, out, shape = DEQUANTIZE_CASES[case]
    scaling, scale_type = SCALINGS[scaling_name]
    q = all_codes(fmt, shape, seed=20 + case)
    rng = np.random.default_rng(30 + case)
    scale_shape = scaling.scale_shape(shape)
    if scale_type == "f8E8M0FNU":
        scale = np.exp2(rng.integers(-20, 20, scale_shape)).astype(ml_dtypes.float8_e8m0fnu)
    else:
        scale = np.exp2(rng.uniform(-30, 30, scale_shape)).astype(np.float32)
    q_type, s_type, x_type = ttype(shape, fmt), ttype(scale_shape, scale_type), ttype(shape, out)
    module = module_of("f", [("q", q_type), ("s", s_type)], [
        f"%x = fp8.dequantize %q, %s {{scaling = {scaling.mlir()}}} : {q_type}, {s_type} -> {x_type}",
    ], [("%x", x_type)])
    (actual,) = fp8_run(module, "f", [q, scale], [out])
    assert_bits_equal(actual, ref.dequantize(q, scale, scaling, out), f"dequantize {scaling_name}")


# --- fp8.scaled_matmul ----------------------------------------------------------


def quantized_operand(shape, scaling, scale_type, fmt, seed):
    x = sample_data(shape, seed, specials=False, spread=4)
    scale = scales_for(x, scaling, scale_type, fmt)
    return ref.quantize(x, scale, scaling, fmt), scale


def f32_accumulation_bound(a_value, b_value, bias):
    """(K + 2) u (sum_k |a_k b_k| + |bias|), per output element."""
    k = a_value.shape[-1]
    magnitude = np.matmul(np.abs(a_value).astype(np.float64), np.abs(b_value).astype(np.float64))
    if bias is not None:
        magnitude += np.abs(bias.astype(np.float64))
    return (k + 2) * U * magnitude


MATMUL_CASES = [
    # name, batch, M, N, K, A scaling, B scaling, transpose_b, A fmt, B fmt,
    # out, bias dtype, amax
    ("tensorwise_bf16", (), 64, 48, 256, "tensor", "tensor", True, "f8E4M3FN", "f8E4M3FN",
     "bf16", None, False),
    ("blockwise_fp8_out", (), 100, 130, 300, "block1x128", "block128x128", True, "f8E4M3FN",
     "f8E4M3FN", "f8E4M3FN", ml_dtypes.bfloat16, True),
    ("rowwise_f32_bias", (), 70, 40, 128, "rowwise", "rowwise", True, "f8E4M3FN", "f8E5M2",
     "f32", np.float32, True),
    ("mx_f16", (), 64, 72, 96, "mx1x32", "mx1x32", True, "f8E4M3FN", "f8E4M3FN",
     "f16", None, False),
    ("mx_kn", (), 32, 40, 64, "mx1x32", "mx32x1", False, "f8E5M2", "f8E4M3FN",
     "f32", None, True),
    ("batched", (3,), 40, 24, 64, "tensor", "tensor", False, "f8E4M3FN", "f8E4M3FN",
     "f32", None, True),
    ("batched_block_e5m2_out", (2,), 33, 130, 256, "block1x128", "block128x128", True,
     "f8E4M3FN", "f8E4M3FN", "f8E5M2", np.float16, True),
]


@pytest.mark.parametrize("case", [c[0] for c in MATMUL_CASES])
def test_scaled_matmul(fp8_run, case):
    (name, batch, m, n, k, a_name, b_name, transpose_b, a_fmt, b_fmt, out, bias_dtype,
     with_amax) = next(c for c in MATMUL_CASES if c[0] == case)
    scalings = dict(SCALINGS, mx32x1=(Scaling.blocks(32, 1), "f8E8M0FNU"))
    a_scaling, a_scale_type = scalings[a_name]
    b_scaling, b_scale_type = scalings[b_name]
    b_shape = batch + ((n, k) if transpose_b else (k, n))
    a, sa = quantized_operand(batch + (m, k), a_scaling, a_scale_type, a_fmt, seed=40)
    b, sb = quantized_operand(b_shape, b_scaling, b_scale_type, b_fmt, seed=41)
    rng = np.random.default_rng(42)
    bias = None if bias_dtype is None else rng.standard_normal(n).astype(bias_dtype)
    fp8_out = out.startswith("f8")
    d_ref, _, amax_ref = ref.scaled_matmul(a, sa, b, sb, a_scaling, b_scaling, transpose_b,
                                           bias=bias)
    out_scale = None
    if fp8_out:
        # Half the scale that fits: the largest outputs saturate.
        out_scale = np.array(amax_ref / ref.format_max(out) / 2, np.float32)

    types = [ttype(a.shape, a_fmt), ttype(sa.shape, etype(sa)), ttype(b.shape, b_fmt),
             ttype(sb.shape, etype(sb))]
    args = [("a", types[0]), ("sa", types[1]), ("b", types[2]), ("sb", types[3])]
    inputs = [a, sa, b, sb]
    epilogue = ""
    if bias is not None:
        args.append(("bias", ttype(bias.shape, etype(bias))))
        inputs.append(bias)
        epilogue += f" bias(%bias : {args[-1][1]})"
    if fp8_out:
        args.append(("os", "tensor<f32>"))
        inputs.append(out_scale)
        epilogue += " out_scale(%os : tensor<f32>)"
    d_type = ttype(batch + (m, n), out)
    results = [("%d", d_type)] + ([("%amax", "tensor<f32>")] if with_amax else [])
    lhs = "%d, %amax" if with_amax else "%d"
    attrs = f"a_scaling = {a_scaling.mlir()}, b_scaling = {b_scaling.mlir()}"
    if transpose_b:
        attrs += ", transpose_b"
    result_types = d_type + (", tensor<f32>" if with_amax else "")
    module = module_of("f", args, [
        f"{lhs} = fp8.scaled_matmul %a, %sa, %b, %sb{epilogue} {{{attrs}}} : "
        f"{', '.join(types)} -> {result_types}",
    ], results)
    outputs = fp8_run(module, "f", inputs, [out] + (["f32"] if with_amax else []))

    # D is checked through monotone bounds: the f32 D lies in
    # [d_ref - bound, d_ref + bound]; rounding to `out` (and the saturating
    # FP8 cast of D / out_scale) is monotone, so the result lies between the
    # rounded ends (widened by one f32 rounding of the division).
    a_value = ref.dequantize(a, sa, a_scaling)
    b_value = ref.dequantize(b, sb, b_scaling)
    if transpose_b:
        b_value = np.swapaxes(b_value, -1, -2)
    bound = f32_accumulation_bound(a_value, b_value, bias)
    low, high = d_ref - bound, d_ref + bound
    if fp8_out:
        s = np.float64(out_scale)
        low = low / s - np.abs(low / s) * 2.0**-23
        high = high / s + np.abs(high / s) * 2.0**-23

    def rounded(values):
        with np.errstate(over="ignore"):
            values = values.astype(np.float32)
            if fp8_out:
                return ref._cast(values, out, saturate=True).astype(np.float32)
            return values.astype(ref.dtype_of(out)).astype(np.float32)

    result = outputs[0].astype(np.float32)
    assert result.shape == d_ref.shape
    below = result < rounded(low)
    above = result > rounded(high)
    assert not below.any() and not above.any(), (
        f"{name}: {below.sum() + above.sum()} outputs outside the f32 accumulation bound; "
        f"max |result - ref| = {np.max(np.abs(result - d_ref))}")
    # The result is not trivially within bounds: outputs are finite and vary.
    assert np.isfinite(result).all() and np.std(result) > 0
    if fp8_out:
        assert np.max(np.abs(result)) == ref.format_max(out)  # some saturate
    if with_amax:
        amax = outputs[1]
        assert amax.shape == ()
        assert abs(float(amax) - float(amax_ref)) <= float(np.max(bound)), (amax, amax_ref)


@pytest.mark.slow
def test_scaled_matmul_4096(fp8_run):
    """A 4096^3 tensorwise scaled_matmul through the CPU pipeline."""
    size = 4096
    scaling = Scaling.tensor()
    rng = np.random.default_rng(50)
    x_a = rng.standard_normal((size, size)).astype(np.float32)
    x_b = rng.standard_normal((size, size)).astype(np.float32)
    sa = ref.scale_from_amax(ref.amax(x_a, scaling), "f8E4M3FN")
    sb = ref.scale_from_amax(ref.amax(x_b, scaling), "f8E4M3FN")
    a = ref.quantize(x_a, sa, scaling, "f8E4M3FN")
    b = ref.quantize(x_b, sb, scaling, "f8E4M3FN")  # [N, K]
    t = "tensor<4096x4096xf8E4M3FN>"
    module = module_of("f", [("a", t), ("sa", "tensor<f32>"), ("b", t), ("sb", "tensor<f32>")], [
        "%d = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<tensor>, "
        "b_scaling = #fp8.scaling<tensor>, transpose_b} : "
        f"{t}, tensor<f32>, {t}, tensor<f32> -> tensor<4096x4096xf32>",
    ], [("%d", "tensor<4096x4096xf32>")])
    start = time.perf_counter()
    (d,) = fp8_run(module, "f", [a, sa, b, sb], ["f32"], timeout=600, extra_args=["--time"])
    elapsed = time.perf_counter() - start

    a_value = ref.dequantize(a, sa, scaling)
    b_value = ref.dequantize(b, sb, scaling).T
    expected = a_value @ b_value  # numpy f32
    magnitude = np.abs(a_value) @ np.abs(b_value)
    error = np.abs(d - expected)
    relative = float(np.max(error / magnitude))
    print(f"\n4096^3 scaled_matmul: fp8-run {elapsed:.1f} s ({fp8_run.last_output}); "
          f"max |D - D_numpy| / (|A||B|) = {relative:.3e}, max |D - D_numpy| = "
          f"{float(np.max(error)):.3e}, bound K*2^-24 = {size * U:.3e}")
    assert relative <= size * U  # (time is reported, not asserted)


# --- delayed scaling state ---------------------------------------------------------


@pytest.mark.parametrize("shape", [(8,), (16, 4), (5, 3, 2)])
def test_amax_history_push(fp8_run, shape):
    rng = np.random.default_rng(60)
    history = rng.uniform(0, 100, shape).astype(np.float32)
    amax = rng.uniform(0, 100, shape[1:]).astype(np.float32)
    h_type, a_type = ttype(shape, "f32"), ttype(shape[1:], "f32")
    module = module_of("f", [("h", h_type), ("a", a_type)], [
        f"%r = fp8.amax_history_push %h, %a : {h_type}, {a_type}",
    ], [("%r", h_type)])
    (actual,) = fp8_run(module, "f", [history, amax], ["f32"])
    assert_float_equal(actual, ref.amax_history_push(history, amax), "history push")


@pytest.mark.parametrize("algo", ["max", "most_recent"])
@pytest.mark.parametrize("options", ["", "pow2", "margin = 2", "pow2, margin = -1"])
@pytest.mark.parametrize("fmt", ["f8E4M3FN", "f8E5M2"])
def test_scale_from_history(fp8_run, algo, options, fmt):
    rng = np.random.default_rng(61)
    history = np.exp2(rng.uniform(-20, 20, (16, 6))).astype(np.float32)
    history[3, 1] = np.nan   # NaN in an old entry: max -> scale 1
    history[0, 2] = 0.0      # newest amax 0: most_recent -> scale 1
    history[5, 3] = np.inf
    history[:, 4] = 0.0      # never seen a value
    kwargs = {"pow2": "pow2" in options}
    if "margin" in options:
        kwargs["margin"] = int(options.split("=")[1])
    attrs = f"algo = #fp8.algo<{algo}>, format = {fmt}" + (f", {options}" if options else "")
    module = module_of("f", [("h", "tensor<16x6xf32>")], [
        f"%s = fp8.scale_from_history %h {{{attrs}}} : tensor<16x6xf32> -> tensor<6xf32>",
    ], [("%s", "tensor<6xf32>")])
    (actual,) = fp8_run(module, "f", [history], ["f32"])
    expected = ref.scale_from_history(history, algo, fmt, **kwargs)
    assert_bits_equal(actual, expected, f"scale_from_history {algo} {options}")
    if algo == "max":
        assert actual[1] == 1.0 and actual[3] == 1.0 and actual[4] == 1.0
