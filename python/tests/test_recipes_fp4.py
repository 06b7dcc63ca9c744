"""The FP4/FP6 recipes (mxfp4, mxfp6, nvfp4) on the CPU path, against
references nobody here wrote:

* element casts against ml_dtypes (float4_e2m1fn, float6_e2m3fn,
  float6_e3m2fn);
* MX scales and quantized bits against torchao 0.18's
  ``MXTensor.to_mx`` (default ScaleCalculationMode FLOOR), NVFP4 per-tensor
  scale, block scales and bits against ``per_tensor_amax_to_scale`` and
  ``NVFP4Tensor.to_nvfp4``, bit for bit;
* the scaled matmul against numpy on the dequantized operands;
* the compiler's recipe table against fp8_mlir_ref's, and an MLP training
  step through --fp8-quantize-pipeline for each recipe against numpy.

Where the compiler departs from torchao (all-zero blocks, NaN casts), the
difference documented in docs/numerics.md is tested as such.
"""

import sys
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest

fp8_mlir = pytest.importorskip(
    "fp8_mlir", reason="fp8_mlir is not built (set FP8_BUILD_DIR)")
if not fp8_mlir.has_compiler():
    pytest.skip("fp8_mlir's compiled extension is not importable",
                allow_module_level=True)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import fp8_mlir_ref as ref  # noqa: E402

FP4_RECIPES = ["mxfp4", "mxfp6", "nvfp4"]
NARROW = {
    "f4E2M1FN": ml_dtypes.float4_e2m1fn,
    "f6E2M3FN": ml_dtypes.float6_e2m3fn,
    "f6E3M2FN": ml_dtypes.float6_e3m2fn,
}
# torchao 0.18 names of the MX element types.
TORCHAO_MX = {"f4E2M1FN": "float4_e2m1fn_x2", "f6E2M3FN": "fp6_e2m3",
              "f6E3M2FN": "fp6_e3m2"}


def bits(array) -> np.ndarray:
    """The bit patterns of an ml_dtypes (or uint8) array, as uint8."""
    return np.asarray(array).view(np.uint8)


def gaussian(shape, seed, outliers=False):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(np.float32)
    if outliers:
        # Blocks of very different magnitude, so scales span a wide range.
        x *= np.float32(2.0) ** rng.integers(-20, 20, size=shape[:-1] + (1,))
    return x


# --- element casts -------------------------------------------------------


CAST = """
func.func @cast(%x: tensor<{n}xf32>) -> tensor<{n}x{fmt}> {{
  %r = arith.truncf %x : tensor<{n}xf32> to tensor<{n}x{fmt}>
  return %r : tensor<{n}x{fmt}>
}}
"""


@pytest.mark.parametrize("fmt", sorted(NARROW))
def test_element_casts_match_ml_dtypes(fmt):
    """Every representable value, every midpoint between neighbours and
    its two f32 neighbours, and random values within range: round to
    nearest even, bit for bit with ml_dtypes."""
    dtype = NARROW[fmt]
    grid = np.arange(1 << ml_dtypes.finfo(dtype).bits, dtype=np.uint8)
    values = np.unique(grid.view(dtype).astype(np.float32))
    mids = ((values[1:] + values[:-1]) / 2).astype(np.float32)
    x = np.concatenate([
        values, mids, np.nextafter(mids, np.float32(np.inf)),
        np.nextafter(mids, np.float32(-np.inf)),
        gaussian((997,), 1) * np.float32(ml_dtypes.finfo(dtype).max / 4)])
    x = x[np.abs(x) <= ml_dtypes.finfo(dtype).max].astype(np.float32)
    (got,) = fp8_mlir.run(CAST.format(n=x.size, fmt=fmt), "cast", x)
    np.testing.assert_array_equal(bits(got), bits(x.astype(dtype)))


SATURATE = """
func.func @q(%x: tensor<{n}xf32>, %s: tensor<f32>) -> tensor<{n}x{fmt}> {{
  %r = fp8.quantize %x, %s {{scaling = #fp8.scaling<tensor>}}
      : tensor<{n}xf32>, tensor<f32> -> tensor<{n}x{fmt}>
  return %r : tensor<{n}x{fmt}>
}}
"""


@pytest.mark.parametrize("fmt", sorted(NARROW))
def test_saturating_quantize_and_nan(fmt):
    """Beyond +-max and +-inf clamp to +-max; NaN gives the zero of the
    NaN's sign (docs/numerics.md), where ml_dtypes gives the opposite."""
    dtype = NARROW[fmt]
    fmax = np.float32(ml_dtypes.finfo(dtype).max)
    x = np.array([fmax * 3, -fmax * 3, np.inf, -np.inf, 1.0, np.nan, -np.nan],
                 dtype=np.float32)
    (got,) = fp8_mlir.run(SATURATE.format(n=x.size, fmt=fmt), "q", x,
                          np.float32(1.0))
    expected = np.clip(x[:5], -fmax, fmax).astype(dtype)
    np.testing.assert_array_equal(bits(got[:5]), bits(expected))
    assert bits(got[5:]).tolist() == [0, 1 << (ml_dtypes.finfo(dtype).bits - 1)]
    # ml_dtypes' own NaN cast differs in sign: the documented difference.
    assert np.signbit(np.float32(np.nan).astype(dtype)) != np.signbit(got[5])


# --- MX (mxfp4, mxfp6) against torchao ----------------------------------


MX = """
func.func @mx(%x: tensor<{m}x{k}xf32>) -> (tensor<{m}x{k}x{fmt}>, tensor<{m}x{g}xf8E8M0FNU>) {{
  %a = fp8.amax %x {{scaling = #fp8.scaling<block [1, 32]>}}
      : tensor<{m}x{k}xf32> -> tensor<{m}x{g}xf32>
  %s = fp8.scale_from_amax %a {{format = {fmt}, mx_scale = #fp8.mx_scale<{rounding}>}}
      : tensor<{m}x{g}xf32> -> tensor<{m}x{g}xf8E8M0FNU>
  %q = fp8.quantize %x, %s {{scaling = #fp8.scaling<block [1, 32]>}}
      : tensor<{m}x{k}xf32>, tensor<{m}x{g}xf8E8M0FNU> -> tensor<{m}x{k}x{fmt}>
  return %q, %s : tensor<{m}x{k}x{fmt}>, tensor<{m}x{g}xf8E8M0FNU>
}}
"""


def run_mx(x, fmt, rounding="floor"):
    m, k = x.shape
    return fp8_mlir.run(MX.format(m=m, k=k, g=k // 32, fmt=fmt,
                                  rounding=rounding), "mx", x)


def torchao_mx(x, fmt):
    """(element bit patterns, E8M0 scale bytes) of torchao's to_mx with its
    default scale mode (FLOOR); FP4 unpacked from its two-per-byte form."""
    torch = pytest.importorskip("torch")
    mx_tensor = pytest.importorskip("torchao.prototype.mx_formats.mx_tensor")
    elem = TORCHAO_MX[fmt]
    elem = getattr(torch, elem) if elem.startswith("float") else elem
    mx = mx_tensor.MXTensor.to_mx(torch.from_numpy(x), elem, 32)
    qdata = mx.qdata.view(torch.uint8).numpy()
    if fmt == "f4E2M1FN":
        qdata = bits(ref.unpack_fp4(qdata))
    return qdata, mx.scale.view(torch.uint8).numpy()


@pytest.mark.parametrize("outliers", [False, True])
@pytest.mark.parametrize("fmt", sorted(NARROW))
def test_mx_matches_torchao(fmt, outliers):
    x = gaussian((64, 256), 2, outliers)
    q, s = run_mx(x, fmt)
    tq, ts = torchao_mx(x, fmt)
    np.testing.assert_array_equal(bits(s), ts)
    np.testing.assert_array_equal(bits(q), tq)


def test_mx_zero_block_differs_from_torchao_in_scale_only():
    """An all-zero block: scale 1 (E8M0 127) here, 2^-127 (0) in torchao
    (docs/numerics.md); the data are zeros either way."""
    x = gaussian((4, 64), 3)
    x[1, :32] = 0
    q, s = run_mx(x, "f4E2M1FN")
    tq, ts = torchao_mx(x, "f4E2M1FN")
    assert bits(s)[1, 0] == 127 and ts[1, 0] == 0
    ts[1, 0] = 127
    np.testing.assert_array_equal(bits(s), ts)
    np.testing.assert_array_equal(bits(q), tq)


def test_mx_ceil_is_the_reference_rule():
    """mx-scale=ceil (mxfp8's default) on FP4: 2^ceil(log2(amax / 6))."""
    x = gaussian((8, 64), 4, outliers=True)
    q, s = run_mx(x, "f4E2M1FN", "ceil")
    scaling = ref.Scaling.blocks(1, 32)
    es = ref.scale_from_amax(ref.amax(x, scaling), "f4E2M1FN",
                             scale_type="f8E8M0FNU", mx_scale="ceil")
    np.testing.assert_array_equal(bits(s), bits(es))
    np.testing.assert_array_equal(
        bits(q), bits(ref.quantize(x, es, scaling, "f4E2M1FN")))


# --- NVFP4 against torchao ------------------------------------------------


NV = """
func.func @nv(%x: tensor<{m}x{k}xf32>) -> (tensor<{m}x{k}xf4E2M1FN>, tensor<{gm}x{gk}xf8E4M3FN>, tensor<f32>) {{
  %t = fp8.amax %x {{scaling = #fp8.scaling<tensor>}} : tensor<{m}x{k}xf32> -> tensor<f32>
  %g = fp8.scale_from_amax %t {{format = f4E2M1FN, block_scale_type = f8E4M3FN}}
      : tensor<f32> -> tensor<f32>
  %a = fp8.amax %x {{scaling = #fp8.scaling<block [{r}, 16]>}}
      : tensor<{m}x{k}xf32> -> tensor<{gm}x{gk}xf32>
  %s = fp8.scale_from_amax %a global(%g : tensor<f32>) {{format = f4E2M1FN}}
      : tensor<{gm}x{gk}xf32> -> tensor<{gm}x{gk}xf8E4M3FN>
  %q = fp8.quantize %x, %s global(%g : tensor<f32>) {{scaling = #fp8.scaling<block [{r}, 16]>}}
      : tensor<{m}x{k}xf32>, tensor<{gm}x{gk}xf8E4M3FN> -> tensor<{m}x{k}xf4E2M1FN>
  return %q, %s, %g : tensor<{m}x{k}xf4E2M1FN>, tensor<{gm}x{gk}xf8E4M3FN>, tensor<f32>
}}
"""


def run_nv(x, rows=1):
    m, k = x.shape
    return fp8_mlir.run(NV.format(m=m, k=k, r=rows, gm=m // rows, gk=k // 16),
                        "nv", x)


@pytest.mark.parametrize("outliers", [False, True])
def test_nvfp4_matches_torchao(outliers):
    torch = pytest.importorskip("torch")
    nvfp4 = pytest.importorskip("torchao.prototype.mx_formats.nvfp4_tensor")
    x = gaussian((64, 256), 5, outliers)
    q, s, g = run_nv(x)
    tx = torch.from_numpy(x)
    tg = nvfp4.per_tensor_amax_to_scale(tx.abs().max())
    t = nvfp4.NVFP4Tensor.to_nvfp4(tx, per_tensor_scale=tg)
    assert np.float32(g).tobytes() == tg.numpy().astype(np.float32).tobytes()
    np.testing.assert_array_equal(bits(s), t.scale.view(torch.uint8).numpy())
    np.testing.assert_array_equal(
        bits(q), bits(ref.unpack_fp4(t.qdata.view(torch.uint8).numpy())))


def test_nvfp4_zero_block_scale():
    """An all-zero block: E4M3 scale 1 (0x38) here, torchao's clamp gives
    2^-6 (0x08) (docs/numerics.md); the data are zeros either way."""
    torch = pytest.importorskip("torch")
    nvfp4 = pytest.importorskip("torchao.prototype.mx_formats.nvfp4_tensor")
    x = gaussian((4, 64), 6)
    x[2, 16:32] = 0
    q, s, g = run_nv(x)
    tx = torch.from_numpy(x)
    t = nvfp4.NVFP4Tensor.to_nvfp4(
        tx, per_tensor_scale=nvfp4.per_tensor_amax_to_scale(tx.abs().max()))
    ts = t.scale.view(torch.uint8).numpy().copy()
    assert bits(s)[2, 1] == 0x38 and ts[2, 1] == 0x08
    ts[2, 1] = 0x38
    np.testing.assert_array_equal(bits(s), ts)
    np.testing.assert_array_equal(
        bits(q), bits(ref.unpack_fp4(t.qdata.view(torch.uint8).numpy())))


def test_nvfp4_2d_weight_blocks():
    """16x16 weight blocks (no torchao counterpart): the numpy reference of
    the documented rule, bit for bit."""
    x = gaussian((64, 128), 7, outliers=True)
    q, s, g = run_nv(x, rows=16)
    scaling = ref.Scaling.blocks(16, 16)
    eg = ref.nvfp4_global_scale(np.abs(x).max())
    es = ref.nvfp4_block_scale(ref.amax(x, scaling), eg)
    assert g == eg
    np.testing.assert_array_equal(bits(s), bits(es))
    np.testing.assert_array_equal(
        bits(q), bits(ref.nvfp4_quantize(x, es, eg, scaling)))


# --- the scaled matmul against numpy --------------------------------------


MATMUL_NV = """
func.func @mm(%a: tensor<{m}x{k}xf4E2M1FN>, %sa: tensor<{m}x{kg}xf8E4M3FN>, %ga: tensor<f32>,
              %b: tensor<{n}x{k}xf4E2M1FN>, %sb: tensor<{n}x{kg}xf8E4M3FN>, %gb: tensor<f32>) -> tensor<{m}x{n}xf32> {{
  %d = fp8.scaled_matmul %a, %sa, %b, %sb a_global(%ga : tensor<f32>) b_global(%gb : tensor<f32>)
      {{a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [1, 16]>, transpose_b}}
      : tensor<{m}x{k}xf4E2M1FN>, tensor<{m}x{kg}xf8E4M3FN>, tensor<{n}x{k}xf4E2M1FN>,
        tensor<{n}x{kg}xf8E4M3FN> -> tensor<{m}x{n}xf32>
  return %d : tensor<{m}x{n}xf32>
}}
"""

MATMUL_MX = """
func.func @mm(%a: tensor<{m}x{k}x{fa}>, %sa: tensor<{m}x{kg}xf8E8M0FNU>,
              %b: tensor<{n}x{k}x{fb}>, %sb: tensor<{n}x{kg}xf8E8M0FNU>) -> tensor<{m}x{n}xf32> {{
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {{a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}}
      : tensor<{m}x{k}x{fa}>, tensor<{m}x{kg}xf8E8M0FNU>, tensor<{n}x{k}x{fb}>,
        tensor<{n}x{kg}xf8E8M0FNU> -> tensor<{m}x{n}xf32>
  return %d : tensor<{m}x{n}xf32>
}}
"""


def random_values(dtype, shape, rng):
    """Random finite values of an ml_dtypes narrow type."""
    codes = np.arange(1 << ml_dtypes.finfo(dtype).bits, dtype=np.uint8)
    return rng.choice(codes, size=shape).view(dtype)


def test_nvfp4_matmul_matches_numpy():
    rng = np.random.default_rng(8)
    m, n, k = 32, 48, 128
    a = random_values(ml_dtypes.float4_e2m1fn, (m, k), rng)
    b = random_values(ml_dtypes.float4_e2m1fn, (n, k), rng)
    sa = rng.uniform(0.02, 400, (m, k // 16)).astype(ml_dtypes.float8_e4m3fn)
    sb = rng.uniform(0.02, 400, (n, k // 16)).astype(ml_dtypes.float8_e4m3fn)
    ga, gb = np.float32(3e-4), np.float32(7e-3)
    (d,) = fp8_mlir.run(MATMUL_NV.format(m=m, n=n, k=k, kg=k // 16), "mm",
                        a, sa, ga, b, sb, gb)
    av = a.astype(np.float64) * np.repeat(sa.astype(np.float64), 16, axis=1)
    bv = b.astype(np.float64) * np.repeat(sb.astype(np.float64), 16, axis=1)
    expected = (av @ bv.T) * (np.float64(ga) * np.float64(gb))
    np.testing.assert_allclose(d, expected, rtol=1e-5,
                               atol=1e-6 * np.abs(expected).max())


@pytest.mark.parametrize("fa,fb", [("f4E2M1FN", "f4E2M1FN"),
                                   ("f6E2M3FN", "f6E3M2FN"),
                                   ("f8E4M3FN", "f4E2M1FN")])
def test_mx_matmul_matches_numpy(fa, fb):
    """MX operands, also mixed (MXFP8 activations x MXFP4 weights)."""
    dtypes = dict(NARROW, f8E4M3FN=ml_dtypes.float8_e4m3fn)
    rng = np.random.default_rng(9)
    m, n, k = 16, 24, 96
    a = random_values(dtypes[fa], (m, k), rng)
    b = random_values(dtypes[fb], (n, k), rng)
    if fa == "f8E4M3FN":
        a = np.where(np.isnan(a.astype(np.float32)), 0, a).astype(dtypes[fa])
    sa = rng.integers(117, 137, (m, k // 32), dtype=np.uint8)
    sb = rng.integers(117, 137, (n, k // 32), dtype=np.uint8)
    (d,) = fp8_mlir.run(MATMUL_MX.format(m=m, n=n, k=k, kg=k // 32, fa=fa,
                                         fb=fb), "mm", a, sa, b, sb,
                        cast="bits")
    decode = lambda s: np.ldexp(1.0, s.astype(np.int64) - 127)  # noqa: E731
    av = a.astype(np.float64) * np.repeat(decode(sa), 32, axis=1)
    bv = b.astype(np.float64) * np.repeat(decode(sb), 32, axis=1)
    expected = av @ bv.T
    np.testing.assert_allclose(d, expected, rtol=1e-5,
                               atol=1e-6 * np.abs(expected).max())


# --- the recipe table and the training step -------------------------------


@pytest.mark.parametrize("recipe", FP4_RECIPES +
                         ["mxfp4,formats=fp4-weights"])
def test_recipe_table_is_the_references(recipe):
    """fp8_mlir_ref.recipe_operand, written from docs/numerics.md, is what
    the compiler's recipe table says for every role."""
    assert ref.RECIPES == fp8_mlir.recipe_names()
    for role in ("activation", "weight", "gradient"):
        compiled = fp8_mlir.recipe_operand(
            recipe, role, "b" if role == "weight" else "a")
        scaling = compiled["scaling"]
        assert ref.recipe_operand(recipe, role) == (
            compiled["format"], None if scaling == "tensor" else scaling,
            compiled["pow2"], compiled["scale_type"]), role


# --- packed FP4 at run-time I/O ---------------------------------------------


DEQUANTIZE_MX = """
func.func @dq(%q: tensor<{m}x{k}xf4E2M1FN>, %s: tensor<{m}x{g}xf8E8M0FNU>) -> tensor<{m}x{k}xf32> {{
  %x = fp8.dequantize %q, %s {{scaling = #fp8.scaling<block [1, 32]>}}
      : tensor<{m}x{k}xf4E2M1FN>, tensor<{m}x{g}xf8E8M0FNU> -> tensor<{m}x{k}xf32>
  return %x : tensor<{m}x{k}xf32>
}}
"""


def test_packed_fp4_is_torchaos_layout():
    """fp4="packed" returns torchao's packed bytes as they are, and takes
    them back: dequantizing them gives torchao's own dequantization."""
    torch = pytest.importorskip("torch")
    mx_tensor = pytest.importorskip("torchao.prototype.mx_formats.mx_tensor")
    x = gaussian((8, 64), 10)
    ir = MX.format(m=8, k=64, g=2, fmt="f4E2M1FN", rounding="floor")
    q, s = fp8_mlir.run(ir, "mx", x, fp4="packed")
    mx = mx_tensor.MXTensor.to_mx(torch.from_numpy(x),
                                  torch.float4_e2m1fn_x2, 32)
    packed = mx.qdata.view(torch.uint8).numpy()
    assert q.dtype == np.uint8 and q.shape == (8, 32)
    np.testing.assert_array_equal(q, packed)
    (x_back,) = fp8_mlir.run(DEQUANTIZE_MX.format(m=8, k=64, g=2), "dq",
                             packed, s, fp4="packed")
    np.testing.assert_array_equal(
        x_back, mx.dequantize(torch.float32).numpy())


def test_packed_fp4_refuses_other_data():
    with pytest.raises(fp8_mlir.ArgumentError, match="takes uint8 arrays"):
        fp8_mlir.run(DEQUANTIZE_MX.format(m=8, k=64, g=2), "dq",
                     np.zeros((8, 32), np.int8),
                     np.zeros((8, 2), ml_dtypes.float8_e8m0fnu), fp4="packed")


# --- the MLP training step through --fp8-quantize-pipeline ----------------


def fake_quantize(value, recipe, role):
    """(decoded f64 value, per-tensor factor) of a K-major operand under the
    recipe, by fp8_mlir_ref's rules: the factor multiplies the product once
    (NVFP4's global scale), else 1."""
    fmt, group, _, scale_type = ref.recipe_operand(recipe, role)
    scaling = ref.Scaling.blocks(*group)
    block_amax = ref.amax(value, scaling)
    if scale_type == "f8E4M3FN":
        g = ref.nvfp4_global_scale(np.abs(value).max())
        s = ref.nvfp4_block_scale(block_amax, g)
        q = ref.nvfp4_quantize(value, s, g, scaling)
        return ref.dequantize(q, s, scaling).astype(np.float64), np.float64(g)
    s = ref.scale_from_amax(block_amax, fmt, scale_type=scale_type,
                            mx_scale="ceil" if fmt.startswith("f8")
                            else "floor")
    q = ref.quantize(value, s, scaling, fmt)
    return ref.dequantize(q, s, scaling).astype(np.float64), np.float64(1)


def reference_step(recipe, x, w1, w2, dy):
    """The quantized step in numpy, each matmul on K-major operands."""
    def mm(a, role_a, b_kmajor, role_b):
        av, ga = fake_quantize(np.ascontiguousarray(a), recipe, role_a)
        bv, gb = fake_quantize(np.ascontiguousarray(b_kmajor), recipe, role_b)
        return ((av @ bv.T) * (ga * gb)).astype(np.float32)

    h = mm(x, "activation", w1, "weight")
    a = np.tanh(h)
    y = mm(a, "activation", w2, "weight")
    da = mm(dy, "gradient", w2.T, "weight")
    dh = (da * (np.float32(1) - a * a)).astype(np.float32)
    dx = mm(dh, "gradient", w1.T, "weight")
    dw2 = mm(dy.T, "gradient", a.T, "activation")
    dw1 = mm(dh.T, "gradient", x.T, "activation")
    return [y, dx, dw1, dw2]


@pytest.fixture(scope="module")
def mlp():
    import test_recipes  # MODULE, data and exact step of the FP8 recipes

    return test_recipes


def pipeline(recipe):
    """The quantize pipeline as the numpy recipes measure it: every amax at
    run time (static ranges would give A = tanh(H) the constant amax 1;
    test_static_ranges.py checks those)."""
    return f"fp8-quantize-pipeline{{recipe={recipe} static-ranges=off}}"


@pytest.mark.parametrize("data", ["gaussian", "outliers-1e3"])
@pytest.mark.parametrize("recipe", ["mxfp4", "mxfp6",
                                    "nvfp4,rht=off,sr=off",
                                    "mxfp4,formats=fp4-weights"])
def test_training_step(mlp, recipe, data):
    """The quantized MLP step runs on the CPU and equals the numpy recipe
    up to f32 summation order (which moves a few values across a rounding
    boundary of the next quantization); its error against the exact step
    is that of a 4/6-bit format."""
    quantized = fp8_mlir.compile(mlp.MODULE,
                                 pipeline(recipe))
    assert quantized.count("fp8.scaled_matmul") == 6
    inputs = mlp.make_data(data)
    compiled = fp8_mlir.run(quantized, "mlp", *inputs)
    reference = reference_step(recipe, *inputs)
    exact = mlp.exact_step(*inputs)
    for name, c, r, e in zip(mlp.OUTPUTS, compiled, reference, exact):
        assert np.all(np.isfinite(c)), name
        close = np.isclose(c, r, rtol=1e-4, atol=1e-5 * np.abs(r).max())
        assert close.mean() > 0.95, (name, close.mean())
        assert mlp.global_error(c, r) < 0.1 * mlp.global_error(r, e), name
        # Outliers of 1e3 in X swamp a 4-bit dW1 = dH^T X (a relative error
        # above 1, also in the numpy recipe): bounded on Gaussian data only.
        if data == "gaussian":
            assert 1e-3 < mlp.global_error(c, e) < 0.5, (
                name, mlp.global_error(c, e))


@pytest.mark.parametrize("recipe", FP4_RECIPES)
def test_quantized_types_and_scale_shapes(mlp, recipe):
    """The recipe's formats and scale shapes on the MLP (M, D, F =
    256, 256, 512): the forward H = X W1^T has K = D."""
    quantized = fp8_mlir.compile(mlp.MODULE,
                                 pipeline(recipe))
    m, d, f = mlp.M, mlp.D, mlp.F
    if recipe == "nvfp4":
        expected = [f"tensor<{m}x{d}xf32>, tensor<{m}x{d // 16}xf8E4M3FN> "
                    f"-> tensor<{m}x{d}xf4E2M1FN>",
                    f"tensor<{f}x{d}xf32>, tensor<{f // 16}x{d // 16}"
                    f"xf8E4M3FN> -> tensor<{f}x{d}xf4E2M1FN>",
                    "block_scale_type = f8E4M3FN"]
    else:
        act, grad = {"mxfp4": ("f4E2M1FN", "f4E2M1FN"),
                     "mxfp6": ("f6E2M3FN", "f6E3M2FN")}[recipe]
        expected = [f"tensor<{m}x{d}xf32>, tensor<{m}x{d // 32}xf8E8M0FNU> "
                    f"-> tensor<{m}x{d}x{act}>",
                    f"-> tensor<{m}x{d}x{grad}>",
                    "mx_scale = #fp8.mx_scale<floor>"]
    for text in expected:
        assert text in quantized, text


# --- the accuracy table of docs/recipes-accuracy.md ("FP4 and FP6") -------


ACCURACY_RECIPES = ["mxfp8", "mxfp6", "mxfp4,formats=fp4-weights", "mxfp4",
                    "nvfp4"]
ACCURACY_DATA = ["gaussian", "outliers-1e3", "outliers-1e4"]


def accuracy_table() -> str:
    """The compiled step's global and per-row errors against the exact step,
    per recipe and data, as a markdown table."""
    import test_recipes as mlp

    lines = ["| recipe | data | " + " | ".join(
                 f"{name} global | {name} per-row" for name in mlp.OUTPUTS)
             + " |",
             "|---|---|" + "---:|" * (2 * len(mlp.OUTPUTS))]
    for recipe in ACCURACY_RECIPES:
        quantized = fp8_mlir.compile(
            mlp.MODULE, pipeline(recipe))
        for data in ACCURACY_DATA:
            inputs = mlp.make_data(data)
            compiled = fp8_mlir.run(quantized, "mlp", *inputs)
            cells = []
            for c, e in zip(compiled, mlp.exact_step(*inputs)):
                cells += [f"{100 * mlp.global_error(c, e):.2f}%",
                          f"{100 * mlp.row_error(c, e):.2f}%"]
            lines.append(f"| `{recipe}` | {data} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    print(accuracy_table())
