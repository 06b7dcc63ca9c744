"""Dynamic shapes under the recipes with scales finer than one per tensor
(rowwise, blockwise, mxfp8) on the CPU pipeline.

ONE program per recipe, with dynamic M, N and K, is quantized by
--fp8-quantize-pipeline and run at several sizes: tokens M = 1, 7, 128, 129,
300, K and N not multiples of the scale blocks (ragged last groups, counted
at run time). Each run is checked against

* the independent numpy + ml_dtypes reference (fp8_mlir_ref) of the same
  recipe (formats and groups from test_recipes.recipe_operand, which
  test_recipes checks against the compiler's table), up to the f32
  accumulation bound of test_ops, and
* the same program compiled with the sizes static, bit for bit.

The joint case is a 2-layer MLP training step with dynamic tokens: its
weight gradients contract over the dynamic dim (K dynamic for them).
"""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_recipes import recipe_operand  # noqa: E402

import fp8_mlir_ref as ref  # noqa: E402

fp8_mlir = pytest.importorskip(
    "fp8_mlir", reason="fp8_mlir is not built (PYTHONPATH=<build>/python_packages)")

RECIPES = ["rowwise", "blockwise", "mxfp8"]
# (M, N, K): K not a multiple of 128 or 32 (200, 300), N not a multiple of
# the weight's 128-row blocks (130, 48, 33).
SIZES = [(1, 48, 200), (7, 130, 96), (128, 64, 256), (129, 33, 300),
         (300, 130, 160)]
U = 2.0**-24  # unit roundoff of f32


def dim(size):
    return "?" if size is None else str(size)


def linear_module(m, n, k):
    """Y = X W^T with X [M, K] an activation and W [N, K] a weight; a size
    None is dynamic."""
    x_type = f"tensor<{dim(m)}x{dim(k)}xf32>"
    w_type = f"tensor<{dim(n)}x{dim(k)}xf32>"
    y_type = f"tensor<{dim(m)}x{dim(n)}xf32>"
    sizes = []
    if m is None:
        sizes.append("%m")
    if n is None:
        sizes.append("%n")
    return f"""
#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @linear(%x: {x_type}, %w: {w_type} {{fp8.role = #fp8.role<weight>}})
    -> {y_type} {{
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : {x_type}
  %n = tensor.dim %w, %c0 : {w_type}
  %e = tensor.empty({", ".join(sizes)}) : {y_type}
  %f = linalg.fill ins(%zero : f32) outs(%e : {y_type}) -> {y_type}
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%x, %w : {x_type}, {w_type}) outs(%f : {y_type}) -> {y_type}
  return %y : {y_type}
}}
"""


def quantize(ir, recipe):
    """`ir` through --fp8-quantize-pipeline; every matmul (linalg.matmul or
    contraction generic) must have become an fp8.scaled_matmul."""
    quantized = fp8_mlir.compile(ir, f"fp8-quantize-pipeline{{recipe={recipe}}}")
    matmuls = ir.count("linalg.matmul") + ir.count('"reduction"]')
    assert quantized.count("fp8.scaled_matmul") == matmuls, (
        "a matmul was left unquantized")
    return quantized


_compiled = {}


def compiled(recipe, m, n, k):
    key = (recipe, m, n, k)
    if key not in _compiled:
        _compiled[key] = quantize(linear_module(m, n, k), recipe)
    return _compiled[key]


def reference_operand(recipe, role, value):
    """`value` ([rows, K], K-major) quantized and decoded as the recipe says
    for `role`, by fp8_mlir_ref: the decoded f32 values."""
    fmt, group, pow2, e8m0 = recipe_operand(recipe, role)
    fmt_name = {ref.FORMATS[name]: name for name in ref.FORMATS}[fmt]
    if group is None:
        scaling = ref.Scaling.tensor()
    elif group[1] is None:
        scaling = ref.Scaling.rowwise()
    else:
        scaling = ref.Scaling.blocks(*group)
    scale_type = "f8E8M0FNU" if e8m0 else "f32"
    scale = ref.scale_from_amax(ref.amax(value, scaling), fmt_name, pow2=pow2,
                                scale_type=scale_type)
    assert scale.shape == scaling.scale_shape(value.shape)
    q = ref.quantize(value, scale, scaling, fmt_name)
    return ref.dequantize(q, scale, scaling)


def check_against_reference(result, a_value, b_value):
    """result ~ a_value @ b_value.T within the f32 accumulation bound
    (K + 2) u sum_k |a b| (test_ops.f32_accumulation_bound)."""
    exact = a_value.astype(np.float64) @ b_value.astype(np.float64).T
    bound = (a_value.shape[1] + 2) * U * (
        np.abs(a_value).astype(np.float64) @ np.abs(b_value).astype(np.float64).T)
    assert result.shape == exact.shape
    error = np.abs(result.astype(np.float64) - exact)
    assert np.all(error <= bound), (
        f"{np.sum(error > bound)} outputs outside the f32 accumulation bound; "
        f"max |result - ref| = {error.max()}")


def make_inputs(m, n, k, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((m, k)).astype(np.float32)
    # An outlier row and column: per-row and per-block scales must keep it
    # in its own group, wherever the ragged edge falls.
    x[m // 2, k - 1] = 3000.0
    w = (rng.standard_normal((n, k)) / np.sqrt(k)).astype(np.float32)
    w[n - 1, :] *= 50.0
    return x, w


@pytest.mark.parametrize("recipe", RECIPES)
def test_dynamic_program_is_quantized(recipe):
    """The recipe's scales of the dynamic program are sized at run time (a
    dynamic scale tensor), not left to f32 and not one scale per tensor."""
    quantized = compiled(recipe, None, None, None)
    assert "linalg.matmul" not in quantized
    assert "fp8.scaled_matmul" in quantized
    scale_type = "f8E8M0FNU" if recipe == "mxfp8" else "f32"
    assert f"tensor<?x1x{scale_type}>" in quantized or (
        f"tensor<?x?x{scale_type}>" in quantized), quantized


@pytest.mark.parametrize("m, n, k", SIZES)
@pytest.mark.parametrize("recipe", RECIPES)
def test_dynamic_linear(recipe, m, n, k):
    x, w = make_inputs(m, n, k, seed=m + n + k)
    (dynamic,) = fp8_mlir.run(compiled(recipe, None, None, None), "linear", x, w)
    check_against_reference(dynamic,
                            reference_operand(recipe, "activation", x),
                            reference_operand(recipe, "weight", w))
    # It is the FP8 product, not the f32 one.
    assert not np.allclose(dynamic, x.astype(np.float64) @ w.T.astype(np.float64),
                           rtol=1e-5, atol=1e-5)
    (static,) = fp8_mlir.run(compiled(recipe, m, n, k), "linear", x, w)
    np.testing.assert_array_equal(dynamic, static)


@pytest.mark.parametrize("recipe", RECIPES)
def test_dynamic_m_only(recipe):
    """The usual export: dynamic tokens, static weight. One program, two
    token counts, each the static program's result bit for bit."""
    program = compiled(recipe, None, 130, 200)
    for m in (7, 129):
        x, w = make_inputs(m, 130, 200, seed=m)
        (dynamic,) = fp8_mlir.run(program, "linear", x, w)
        (static,) = fp8_mlir.run(compiled(recipe, m, 130, 200), "linear", x, w)
        np.testing.assert_array_equal(dynamic, static)


def linear_3d_module(batch, tokens):
    """A linear layer on [B, S, 256] activations (a contraction with two M
    dims) times a [256, 96] weight; a size None is dynamic."""
    x_type = f"tensor<{dim(batch)}x{dim(tokens)}x256xf32>"
    y_type = f"tensor<{dim(batch)}x{dim(tokens)}x96xf32>"
    sizes = [f"%d{i}" for i, size in enumerate((batch, tokens)) if size is None]
    return f"""
func.func @linear(%x: {x_type}, %w: tensor<256x96xf32> {{fp8.role = #fp8.role<weight>}})
    -> {y_type} {{
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d0 = tensor.dim %x, %c0 : {x_type}
  %d1 = tensor.dim %x, %c1 : {x_type}
  %e = tensor.empty({", ".join(sizes)}) : {y_type}
  %f = linalg.fill ins(%zero : f32) outs(%e : {y_type}) -> {y_type}
  %y = linalg.generic {{
      indexing_maps = [affine_map<(b, s, n, k) -> (b, s, k)>,
                       affine_map<(b, s, n, k) -> (k, n)>,
                       affine_map<(b, s, n, k) -> (b, s, n)>],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}}
      ins(%x, %w : {x_type}, tensor<256x96xf32>) outs(%f : {y_type}) {{
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  }} -> {y_type}
  return %y : {y_type}
}}
"""


@pytest.mark.parametrize("recipe", RECIPES)
def test_dynamic_tokens_of_3d_linear(recipe):
    """[B, S, K] activations with S, B or both dynamic are quantized as the
    [B * S, K] matmul (per-token scales): each run is the static program's
    bit for bit, and the independent recipe's within the f32 bound. With
    both dynamic the result comes back through tensor.reshape."""
    for dynamic_batch, dynamic_tokens in ((False, True), (True, False),
                                          (True, True)):
        for batch, tokens in ((1, 1), (2, 7), (3, 129)):
            program = quantize(linear_3d_module(
                None if dynamic_batch else batch,
                None if dynamic_tokens else tokens), recipe)
            assert "tensor.collapse_shape" in program
            assert ("tensor.reshape" in program) == (dynamic_batch and
                                                     dynamic_tokens)
            rng = np.random.default_rng(batch * tokens)
            x = rng.standard_normal((batch, tokens, 256)).astype(np.float32)
            x[-1, tokens // 2] *= 1000.0  # an outlier token
            w = (rng.standard_normal((256, 96)) / 16).astype(np.float32)
            (dynamic,) = fp8_mlir.run(program, "linear", x, w)
            assert dynamic.shape == (batch, tokens, 96)
            static_program = quantize(linear_3d_module(batch, tokens), recipe)
            (static,) = fp8_mlir.run(static_program, "linear", x, w)
            np.testing.assert_array_equal(dynamic, static)
            check_against_reference(
                dynamic.reshape(batch * tokens, 96),
                reference_operand(recipe, "activation", x.reshape(-1, 256)),
                reference_operand(recipe, "weight", np.ascontiguousarray(w.T)))


# --- the joint case: a training step with dynamic tokens -----------------

D, F = 256, 384  # model and MLP width; F = 3 * 128


def mlp_module(m):
    """test_recipes' 2-layer MLP training step (forward, dgrad, wgrad) with
    M tokens (None: dynamic). dW1 = dH^T X and dW2 = dY^T A contract over
    the tokens."""
    t = dim(m)
    empty = "(%m)" if m is None else "()"
    return f"""
#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @mlp(%x: tensor<{t}x{D}xf32>,
               %w1: tensor<{F}x{D}xf32> {{fp8.role = #fp8.role<weight>}},
               %w2: tensor<{D}x{F}xf32> {{fp8.role = #fp8.role<weight>}},
               %dy: tensor<{t}x{D}xf32> {{fp8.role = #fp8.role<gradient>}})
    -> (tensor<{t}x{D}xf32>, tensor<{t}x{D}xf32>, tensor<{F}x{D}xf32>,
        tensor<{D}x{F}xf32>) {{
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<{t}x{D}xf32>
  %eh = tensor.empty{empty} : tensor<{t}x{F}xf32>
  %ones = linalg.fill ins(%one : f32) outs(%eh : tensor<{t}x{F}xf32>) -> tensor<{t}x{F}xf32>
  %fh = linalg.fill ins(%zero : f32) outs(%eh : tensor<{t}x{F}xf32>) -> tensor<{t}x{F}xf32>
  %h = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%x, %w1 : tensor<{t}x{D}xf32>, tensor<{F}x{D}xf32>)
      outs(%fh : tensor<{t}x{F}xf32>) -> tensor<{t}x{F}xf32>
  %a = math.tanh %h : tensor<{t}x{F}xf32>
  %ey = tensor.empty{empty} : tensor<{t}x{D}xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<{t}x{D}xf32>) -> tensor<{t}x{D}xf32>
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%a, %w2 : tensor<{t}x{F}xf32>, tensor<{D}x{F}xf32>)
      outs(%fy : tensor<{t}x{D}xf32>) -> tensor<{t}x{D}xf32>
  %da = linalg.matmul ins(%dy, %w2 : tensor<{t}x{D}xf32>, tensor<{D}x{F}xf32>)
      outs(%fh : tensor<{t}x{F}xf32>) -> tensor<{t}x{F}xf32>
  %a2 = arith.mulf %a, %a : tensor<{t}x{F}xf32>
  %dtanh = arith.subf %ones, %a2 : tensor<{t}x{F}xf32>
  %dh = arith.mulf %da, %dtanh : tensor<{t}x{F}xf32>
  %dx = linalg.matmul ins(%dh, %w1 : tensor<{t}x{F}xf32>, tensor<{F}x{D}xf32>)
      outs(%fy : tensor<{t}x{D}xf32>) -> tensor<{t}x{D}xf32>
  %edyt = tensor.empty{empty} : tensor<{D}x{t}xf32>
  %dyt = linalg.transpose ins(%dy : tensor<{t}x{D}xf32>)
      outs(%edyt : tensor<{D}x{t}xf32>) permutation = [1, 0]
  %ew2 = tensor.empty() : tensor<{D}x{F}xf32>
  %fw2 = linalg.fill ins(%zero : f32) outs(%ew2 : tensor<{D}x{F}xf32>) -> tensor<{D}x{F}xf32>
  %dw2 = linalg.matmul ins(%dyt, %a : tensor<{D}x{t}xf32>, tensor<{t}x{F}xf32>)
      outs(%fw2 : tensor<{D}x{F}xf32>) -> tensor<{D}x{F}xf32>
  %edht = tensor.empty{empty} : tensor<{F}x{t}xf32>
  %dht = linalg.transpose ins(%dh : tensor<{t}x{F}xf32>)
      outs(%edht : tensor<{F}x{t}xf32>) permutation = [1, 0]
  %ew1 = tensor.empty() : tensor<{F}x{D}xf32>
  %fw1 = linalg.fill ins(%zero : f32) outs(%ew1 : tensor<{F}x{D}xf32>) -> tensor<{F}x{D}xf32>
  %dw1 = linalg.matmul ins(%dht, %x : tensor<{F}x{t}xf32>, tensor<{t}x{D}xf32>)
      outs(%fw1 : tensor<{F}x{D}xf32>) -> tensor<{F}x{D}xf32>
  return %y, %dx, %dw1, %dw2 : tensor<{t}x{D}xf32>, tensor<{t}x{D}xf32>,
      tensor<{F}x{D}xf32>, tensor<{D}x{F}xf32>
}}
"""


def reference_mlp(recipe, x, w1, w2, dy):
    """test_recipes.reference_step with fp8_mlir_ref's ragged groups: each
    matmul quantizes its K-major operands ([M, K] and [N, K]) as the recipe
    says for their roles."""

    def mm(a, role_a, b_kmajor, role_b):
        a = reference_operand(recipe, role_a, a)
        b = reference_operand(recipe, role_b, b_kmajor)
        return (a.astype(np.float64) @ b.astype(np.float64).T).astype(np.float32)

    h = mm(x, "activation", w1, "weight")
    a = np.tanh(h)
    y = mm(a, "activation", w2, "weight")
    da = mm(dy, "gradient", w2.T, "weight")
    dh = (da * (np.float32(1) - a * a)).astype(np.float32)
    dx = mm(dh, "gradient", w1.T, "weight")
    dw2 = mm(np.ascontiguousarray(dy.T), "gradient", np.ascontiguousarray(a.T),
             "activation")
    dw1 = mm(np.ascontiguousarray(dh.T), "gradient", np.ascontiguousarray(x.T),
             "activation")
    return [y, dx, dw1, dw2]


@pytest.mark.parametrize("recipe", RECIPES)
def test_training_step_with_dynamic_tokens(recipe):
    """All six matmuls of the step are quantized (the wgrads over a dynamic
    K too); at 7 and 129 tokens (a ragged 128-group along K of the wgrads)
    the result is the static step's bit for bit and the independent
    recipe's up to f32 summation order (test_recipes' tolerance)."""
    program = quantize(mlp_module(None), recipe)
    for m in (7, 129):
        rng = np.random.default_rng(m)
        x = rng.standard_normal((m, D)).astype(np.float32)
        w1 = (rng.standard_normal((F, D)) / np.sqrt(D)).astype(np.float32)
        w2 = (rng.standard_normal((D, F)) / np.sqrt(F)).astype(np.float32)
        dy = rng.standard_normal((m, D)).astype(np.float32)
        dynamic = fp8_mlir.run(program, "mlp", x, w1, w2, dy)
        static = fp8_mlir.run(quantize(mlp_module(m), recipe), "mlp",
                              x, w1, w2, dy)
        for name, d, s in zip(["Y", "dX", "dW1", "dW2"], dynamic, static):
            np.testing.assert_array_equal(d, s, err_msg=f"{name}, M = {m}")
        reference = reference_mlp(recipe, x, w1, w2, dy)
        for name, c, r in zip(["Y", "dX", "dW1", "dW2"], dynamic, reference):
            close = np.isclose(c, r, rtol=1e-4, atol=1e-5 * np.abs(r).max())
            assert close.mean() > 0.98, (name, m, close.mean())


@pytest.mark.parametrize("recipe", RECIPES)
def test_run_time_sizes_that_disagree(recipe):
    """K of X and of W disagree at run time: the CPU pipeline's runtime
    verification reports it (an MLIRError), no crash. Empty M and K run."""
    program = compiled(recipe, None, None, None)
    with pytest.raises(fp8_mlir.MLIRError, match="Runtime op verification failed"):
        fp8_mlir.run(program, "linear", np.ones((7, 200), np.float32),
                     np.ones((48, 100), np.float32))
    (empty_m,) = fp8_mlir.run(program, "linear", np.ones((0, 200), np.float32),
                              np.ones((48, 200), np.float32))
    assert empty_m.shape == (0, 48)
    (empty_k,) = fp8_mlir.run(program, "linear", np.ones((3, 0), np.float32),
                              np.ones((48, 0), np.float32))
    np.testing.assert_array_equal(empty_k, np.zeros((3, 48), np.float32))
