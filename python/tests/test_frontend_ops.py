"""The ops torch-mlir emits for MLP, Llama and GPT-2 blocks, run through
--fp8-cpu-pipeline (fp8_mlir.run) and compared with numpy.

The fixtures in fixtures/linalg/ are torch-mlir's own linalg-on-tensors
output (fixtures/regenerate.sh) for the torch-dialect sources in
fixtures/torch/, written in the fx importer's form (core ATen after
decomposition, parameters frozen into literals). docs/cpu-pipeline.md lists
each op, how torch-mlir emits it and how the pipeline lowers it.

Tolerances:
- data movement (concat, slices, gather, where, pad, transposes, bf16
  casts) is exact;
- f32 arithmetic: rtol 1e-5 (a few f32 roundings, libm's exp/erf/tanh
  within an ulp or two of numpy's);
- bf16 results: numpy computes each op in f32 and rounds it to bf16, as the
  pipeline does, so the two agree to one bf16 ulp (rtol 2^-7);
- quantized blocks: see test_quantized_block.
"""

import math
import subprocess
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest

from conftest import find_fp8_opt

fp8_mlir = pytest.importorskip(
    "fp8_mlir", reason="fp8_mlir is not built (PYTHONPATH=<build>/python_packages)")
if not fp8_mlir.has_compiler():
    pytest.skip("fp8_mlir's compiled extension is not importable",
                allow_module_level=True)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BF16 = ml_dtypes.bfloat16
RNG = np.random.default_rng(16)


def fixture(name):
    return (FIXTURES / "linalg" / f"{name}.mlir").read_text()


def randn(*shape, dtype=np.float32):
    return RNG.standard_normal(shape).astype(dtype)


def bf(x):
    """Rounds to bf16 (what each bf16 op does to its f32 result)."""
    return np.asarray(x, np.float32).astype(BF16)


def f32(x):
    return np.asarray(x).astype(np.float32)


def assert_exact(actual, expected):
    assert actual.dtype == np.asarray(expected).dtype
    np.testing.assert_array_equal(actual, expected)


def assert_close(actual, expected, rtol=1e-5, atol=1e-6):
    """`expected` (float64 allowed: compared as the result's dtype)."""
    expected = np.asarray(expected)
    if expected.dtype == np.float64:
        expected = expected.astype(actual.dtype)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    if actual.dtype == BF16:
        rtol, atol = 2.0**-7, 1e-6
    np.testing.assert_allclose(f32(actual), f32(expected), rtol=rtol, atol=atol)


def run(name, entry, *args):
    return fp8_mlir.run(fixture(name), entry, *args)


# --- numpy references ----------------------------------------------------------

erf = np.vectorize(math.erf, otypes=[np.float64])


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def rotate_half(x):
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], -1)


def gelu(x):
    return 0.5 * x * (1 + erf(x / np.sqrt(2)))


#: sqrt(2 / pi) as torch-mlir's GELU(tanh) lowering writes it (0.7978846 in
#: torch): the fixtures compute with this constant, so the reference does.
TORCH_MLIR_SQRT_2_OVER_PI = 0.797724


def gelu_tanh(x):
    c = TORCH_MLIR_SQRT_2_OVER_PI
    return 0.5 * x * (1 + np.tanh(c * (x + 0.044715 * x**3)))


def silu(x):
    return x / (1 + np.exp(-x))


def rms_norm(x, w, eps=1e-6):
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * w


def layer_norm(x, w, b, eps=1e-5):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


# --- concat, slices, gather --------------------------------------------------------


def test_concat():
    a, b = randn(2, 3), randn(2, 3)
    assert_exact(run("concat", "concat_last", a, b)[0], np.concatenate([a, b], -1))
    parts = [randn(n, 4, dtype=BF16) for n in (1, 2, 3)]
    assert_exact(run("concat", "concat_first_bf16", *parts)[0],
                 np.concatenate(parts, 0))


def test_concat_dynamic():
    a, b = randn(2, 4), randn(3, 4)
    assert_exact(run("concat", "concat_dynamic", a, b)[0], np.concatenate([a, b]))


def test_rotate_half():
    x, cos, sin = randn(1, 2, 3, 8), randn(1, 1, 3, 8), randn(1, 1, 3, 8)
    assert_close(run("rotate_half", "rope", x, cos, sin)[0],
                 x * cos + rotate_half(x) * sin)


def test_embedding_and_gathers():
    w = randn(10, 4)
    ids = np.array([[0, 9, 3], [3, 3, 7]], np.int64)
    assert_exact(run("embedding", "embedding", w, ids)[0], w[ids])
    wb = randn(10, 4, dtype=BF16)
    idb = np.array([9, 0, 1, 1, 5], np.int64)
    assert_exact(run("embedding", "embedding_bf16", wb, idb)[0], wb[idb])
    x = randn(3, 5)
    idx = np.array([[4, 0], [1, 1], [2, 3]], np.int64)
    assert_exact(run("embedding", "gather", x, idx)[0],
                 np.take_along_axis(x, idx, 1))
    x = randn(6, 4)
    idx = np.array([5, 0, 2], np.int64)
    assert_exact(run("embedding", "index_select", x, idx)[0], x[idx])
    # aten.index.Tensor wraps negative indices.
    x = randn(8, 4)
    pos = np.array([[0, -1, 3]], np.int64)
    assert_exact(run("embedding", "index_tensor", x, pos)[0], x[pos])


def test_embedding_out_of_range_is_an_error():
    """torch-mlir's bounds check (cf.assert) stops the call."""
    with pytest.raises(fp8_mlir.MLIRError):
        run("embedding", "embedding", randn(10, 4),
            np.array([[0, 10, 3], [3, 3, 7]], np.int64))


def test_shapes_and_pad():
    x = randn(1, 3, 8)
    heads, heads_t, merged = run("shape", "heads", x)
    expected = x.reshape(1, 3, 2, 4).transpose(0, 2, 1, 3)
    assert_exact(heads, expected)
    assert_exact(heads_t, expected.transpose(0, 1, 3, 2))
    assert_exact(merged, x)
    kv = randn(1, 2, 3, 4, dtype=BF16)
    assert_exact(run("shape", "repeat_kv", kv)[0], np.repeat(kv, 2, axis=1))
    x = randn(2, 3)
    assert_exact(run("shape", "pad", x)[0],
                 np.pad(x, ((0, 1), (1, 2)), constant_values=1.5))
    cache, new = randn(1, 6, 4), randn(1, 2, 4)
    expected = cache.copy()
    expected[:, 3:5] = new
    assert_exact(run("shape", "slice_scatter", cache, new)[0], expected)


# --- where, softmax ----------------------------------------------------------------


def test_where():
    c = RNG.random((2, 4)) > 0.5
    a, b = randn(2, 4), randn(2, 4)
    assert_exact(run("where", "where", c, a, b)[0], np.where(c, a, b))
    assert_exact(run("where", "where_gt", a, b)[0], np.where(a > 0.5, a, b))
    ab, bb = randn(2, 4, dtype=BF16), randn(2, 4, dtype=BF16)
    assert_exact(run("where", "where_bf16", ab, bb)[0], np.where(ab < bb, ab, bb))
    s = randn(2, 4, 4)
    assert_exact(run("where", "causal_mask", s)[0],
                 np.where(np.tril(np.ones((4, 4), bool)), s, np.float32(-np.inf)))


def test_softmax():
    x = 3 * randn(2, 5)
    assert_close(run("softmax", "softmax", x)[0], softmax(x))
    x = 3 * randn(2, 3, 5)
    assert_close(run("softmax", "softmax_int", x)[0], softmax(x))
    x = (3 * randn(2, 5)).astype(BF16)
    assert_close(run("softmax", "softmax_bf16", x)[0], bf(softmax(f32(x))))


# --- norms, activations ------------------------------------------------------------


def test_norms():
    x, w, b = randn(2, 3, 8) + 1, randn(8), randn(8)
    assert_close(run("norm", "layer_norm", x, w, b)[0], layer_norm(x, w, b))
    assert_close(run("norm", "layer_norm_decomposed", x, w, b)[0],
                 layer_norm(x, w, b))
    assert_close(run("norm", "rms_norm", x, w)[0], rms_norm(x, w))
    xb, wb = x.astype(BF16), w.astype(BF16)
    # LlamaRMSNorm: normalize in f32, round to bf16, multiply in bf16.
    expected = bf(f32(wb) * f32(bf(rms_norm(f32(xb), 1))))
    assert_close(run("norm", "rms_norm_bf16", xb, wb)[0], expected)


def test_activations():
    x = 2 * randn(2, 8)
    assert_close(run("act", "gelu", x)[0], gelu(x))
    assert_close(run("act", "gelu_tanh", x)[0], gelu_tanh(x))
    assert_close(run("act", "silu", x)[0], silu(x))
    tanh, erf_x = run("act", "tanh_erf", x)
    assert_close(tanh, np.tanh(x))
    assert_close(erf_x, erf(x))
    # In bf16 torch-mlir rounds every step to bf16 (the emulation computes
    # each in f32 and rounds back): so does the reference.
    xb = f32(x.astype(BF16))
    step = lambda v: f32(bf(v))
    y = step(xb * step(step(step(erf(step(xb / step(np.sqrt(2))))) + 1) * 0.5))
    assert_close(run("act", "gelu_bf16", bf(xb))[0], bf(y))
    sig = step(1 / step(step(np.exp(-xb)) + 1))
    assert_close(run("act", "silu_sigmoid_bf16", bf(xb))[0], bf(xb * sig))


# --- rotary tables, matmuls, casts -------------------------------------------------


def test_rope_tables():
    inv_freq = (1.0 / 10000 ** (np.arange(0, 8, 2) / 8)).astype(np.float32)
    emb = np.arange(6, dtype=np.float32)[:, None] * inv_freq[None, :]
    emb = np.concatenate([emb, emb], -1)
    cos, sin = run("misc", "rope_tables", inv_freq)
    assert_close(cos, np.cos(emb))
    assert_close(sin, np.sin(emb))


def test_matmuls():
    x, w, b = randn(2, 3, 8), randn(5, 8), randn(5)
    assert_close(run("misc", "linear", x, w, b)[0], x @ w.T + b)
    a, c = randn(2, 3, 8, dtype=BF16), randn(2, 8, 4, dtype=BF16)
    # bf16 x bf16 accumulated in f32, rounded once.
    assert_close(run("misc", "bmm_bf16", a, c)[0], bf(f32(a) @ f32(c)))
    a, c = randn(1, 2, 3, 8), randn(1, 2, 8, 3)
    assert_close(run("misc", "matmul4d", a, c)[0], a @ c)


def test_bf16_casts():
    x = np.array([[1.0, 1.00390625, 1.01171875, -3e38],
                  [np.inf, -0.0, 1e-40, 2.5]], np.float32)
    to_bf16, back = run("misc", "to_bf16_and_back", x)
    assert_exact(to_bf16, x.astype(BF16))
    assert_exact(back, f32(x.astype(BF16)))


# --- whole blocks ------------------------------------------------------------------

WEIGHTS = np.load(FIXTURES / "weights.npz")


def weights(block):
    prefix = f"{block}."
    return {k[len(prefix):]: WEIGHTS[k].astype(np.float64)
            for k in WEIGHTS.files if k.startswith(prefix)}


def linear(p, name, x):
    y = x @ p[f"{name}.weight"].T
    return y + p[f"{name}.bias"] if f"{name}.bias" in p else y


def causal_softmax(scores):
    s = scores.shape[-1]
    return softmax(np.where(np.tril(np.ones((s, s), bool)), scores, -np.inf))


def merge(o):
    h, s, hd = o.shape
    return o.transpose(1, 0, 2).reshape(s, h * hd)


def mlp_ref(x):
    p = weights("mlp")
    return linear(p, "fc2", gelu(linear(p, "fc1", x)))


def llama_ref(x, heads=4):
    p = weights("llama_block")
    s, d = x.shape
    hd = d // heads
    emb = np.arange(s)[:, None] * p["rope.inv_freq"][None, :]
    emb = np.concatenate([emb, emb], -1)
    cos, sin = np.cos(emb), np.sin(emb)
    split = lambda t: t.reshape(s, heads, hd).transpose(1, 0, 2)
    h = rms_norm(x, p["input_layernorm.weight"])
    q, k, v = (split(linear(p, f"{n}_proj", h)) for n in "qkv")
    q, k = (t * cos + rotate_half(t) * sin for t in (q, k))
    probs = causal_softmax(q @ k.transpose(0, 2, 1) / np.sqrt(hd))
    x = x + linear(p, "o_proj", merge(probs @ v))
    h = rms_norm(x, p["post_attention_layernorm.weight"])
    act = silu(linear(p, "gate_proj", h)) * linear(p, "up_proj", h)
    return x + linear(p, "down_proj", act)


def gpt2_ref(x, heads=4):
    p = weights("gpt2_block")
    s, d = x.shape
    hd = d // heads
    split = lambda t: t.reshape(s, heads, hd).transpose(1, 0, 2)
    h = layer_norm(x, p["ln_1.weight"], p["ln_1.bias"])
    qkv = linear(p, "c_attn", h)
    q, k, v = (split(qkv[:, i * d:(i + 1) * d]) for i in range(3))
    probs = causal_softmax(q @ k.transpose(0, 2, 1) / np.sqrt(hd))
    x = x + linear(p, "attn.c_proj", merge(probs @ v))
    h = layer_norm(x, p["ln_2.weight"], p["ln_2.bias"])
    return x + linear(p, "mlp.c_proj", gelu_tanh(linear(p, "c_fc", h)))


BLOCKS = {"mlp": mlp_ref, "llama_block": llama_ref, "gpt2_block": gpt2_ref}


def block_input(name):
    return np.random.default_rng(len(name)).standard_normal((4, 32)).astype(np.float32)


def relative_error(actual, expected):
    return float(np.linalg.norm(f32(actual) - expected) / np.linalg.norm(expected))


@pytest.mark.parametrize("block", sorted(BLOCKS))
def test_block_f32(block):
    x = block_input(block)
    result = fp8_mlir.run(fixture(block), block, x)[0]
    expected = BLOCKS[block](x.astype(np.float64))
    np.testing.assert_allclose(result, expected, rtol=1e-4, atol=1e-5)


#: The recipes whose quantized program keeps the block's signature
#: (`delayed` threads amax histories through it).
RECIPES = ["tensorwise", "rowwise", "blockwise", "mxfp8"]


def quantize(block, recipe):
    fp8_opt = find_fp8_opt()
    if fp8_opt is None:
        pytest.skip("no fp8-opt ($FP8_BUILD_DIR/bin or build/bin)")
    completed = subprocess.run(
        [str(fp8_opt), "-", f"--fp8-quantize-pipeline=recipe={recipe}"],
        input=fixture(block), capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


@pytest.mark.parametrize("recipe", RECIPES)
@pytest.mark.parametrize("block", sorted(BLOCKS))
def test_quantized_block(block, recipe):
    """The block with every matmul quantized by `recipe`, run on the CPU,
    against the f32 numpy result, as a relative error of the whole output
    (Frobenius norm).

    An E4M3 cast rounds with relative error at most 2^-4 (3 mantissa bits),
    about uniformly spread: 2^-4/sqrt(3) = 3.6% RMS per operand. A dot
    product of two quantized operands with terms of random sign has about
    sqrt(2) times that, 5% RMS; two matmuls in a row (fc1 then fc2, v then
    o_proj) about 7%; the residual stream, which passes unquantized, dilutes
    it. We allow 12% and measure 4-6.5% with every recipe. The error must
    also exceed 0.1%, far above f32 rounding, so the block really ran in
    FP8 (and at least two matmuls must be fp8.scaled_matmul)."""
    quantized = quantize(block, recipe)
    matmuls = quantized.count("fp8.scaled_matmul")
    assert matmuls >= 2, f"{recipe} quantized only {matmuls} matmuls"
    x = block_input(block)
    result = fp8_mlir.run(quantized, block, x)[0]
    error = relative_error(result, BLOCKS[block](x.astype(np.float64)))
    assert 1e-3 < error < 0.12, f"{block} {recipe}: relative error {error:.4f}"
