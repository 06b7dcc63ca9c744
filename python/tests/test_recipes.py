"""FP8 recipes end to end: a 2-layer MLP training step through
--fp8-quantize-pipeline and fp8-run, against

* an independent numpy + ml_dtypes implementation of each recipe (same roles,
  formats, scale groups and scale rules, written from docs/numerics.md, not
  from the compiler), which the compiled step must match up to f32
  summation order, and
* the exact step in float64, to measure each recipe's error on Gaussian data
  and on Gaussian data with 0.1% outliers of magnitude 1e3, 1e4 and 1e5 in
  the activations.

Each recipe also runs with `wgrad=bf16` (torchao's rowwise_with_gw_hp: the
weight-gradient matmuls dW1, dW2 in bf16, the other four in FP8), and with
the first layer's forward matmul H = X W1^T marked `fp8.high_precision` (left
in f32), which is what keeps dW1 when X has outliers.

`python tests/test_recipes.py` (from python/) prints the accuracy table of
docs/recipes-accuracy.md.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import REPO_ROOT, Fp8Run, _find_fp8_run  # noqa: E402

# Tokens, model width and MLP width of the step. Multiples of 128 so that
# blockwise [128, 128] tiles are full.
M, D, F = 256, 256, 512
RECIPES = ["tensorwise", "delayed", "rowwise", "blockwise", "mxfp8"]
#: Each recipe with its weight gradients in bf16.
WGRAD_BF16 = [recipe + ",wgrad=bf16" for recipe in RECIPES]
#: Each recipe with H = X W1^T in f32 (`+h-f32`: MODULE's first matmul marked
#: fp8.high_precision). (delayed scales per tensor as tensorwise does.)
H_F32 = [recipe + "+h-f32" for recipe in RECIPES if recipe != "delayed"]
FP4_RECIPES = ["mxfp4", "mxfp6", "nvfp4"]  # test_recipes_fp4.py
DATA = ["gaussian", "outliers-1e3", "outliers-1e4", "outliers-1e5"]
HISTORY = 16

MODULE = f"""
#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
// Forward H = X W1^T, A = tanh(H), Y = A W2^T; backward from dY.
func.func @mlp(%x: tensor<{M}x{D}xf32>,
               %w1: tensor<{F}x{D}xf32> {{fp8.role = #fp8.role<weight>}},
               %w2: tensor<{D}x{F}xf32> {{fp8.role = #fp8.role<weight>}},
               %dy: tensor<{M}x{D}xf32> {{fp8.role = #fp8.role<gradient>}})
    -> (tensor<{M}x{D}xf32>, tensor<{M}x{D}xf32>, tensor<{F}x{D}xf32>,
        tensor<{D}x{F}xf32>) {{
  %zero = arith.constant 0.0 : f32
  %ones = arith.constant dense<1.0> : tensor<{M}x{F}xf32>
  %eh = tensor.empty() : tensor<{M}x{F}xf32>
  %fh = linalg.fill ins(%zero : f32) outs(%eh : tensor<{M}x{F}xf32>) -> tensor<{M}x{F}xf32>
  %h = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%x, %w1 : tensor<{M}x{D}xf32>, tensor<{F}x{D}xf32>)
      outs(%fh : tensor<{M}x{F}xf32>) -> tensor<{M}x{F}xf32>
  %a = math.tanh %h : tensor<{M}x{F}xf32>
  %ey = tensor.empty() : tensor<{M}x{D}xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<{M}x{D}xf32>) -> tensor<{M}x{D}xf32>
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%a, %w2 : tensor<{M}x{F}xf32>, tensor<{D}x{F}xf32>)
      outs(%fy : tensor<{M}x{D}xf32>) -> tensor<{M}x{D}xf32>
  // dA = dY W2, dH = dA (1 - A^2), dX = dH W1.
  %da = linalg.matmul ins(%dy, %w2 : tensor<{M}x{D}xf32>, tensor<{D}x{F}xf32>)
      outs(%fh : tensor<{M}x{F}xf32>) -> tensor<{M}x{F}xf32>
  %a2 = arith.mulf %a, %a : tensor<{M}x{F}xf32>
  %dtanh = arith.subf %ones, %a2 : tensor<{M}x{F}xf32>
  %dh = arith.mulf %da, %dtanh : tensor<{M}x{F}xf32>
  %dx = linalg.matmul ins(%dh, %w1 : tensor<{M}x{F}xf32>, tensor<{F}x{D}xf32>)
      outs(%fy : tensor<{M}x{D}xf32>) -> tensor<{M}x{D}xf32>
  // dW2 = dY^T A, dW1 = dH^T X.
  %edyt = tensor.empty() : tensor<{D}x{M}xf32>
  %dyt = linalg.transpose ins(%dy : tensor<{M}x{D}xf32>)
      outs(%edyt : tensor<{D}x{M}xf32>) permutation = [1, 0]
  %ew2 = tensor.empty() : tensor<{D}x{F}xf32>
  %fw2 = linalg.fill ins(%zero : f32) outs(%ew2 : tensor<{D}x{F}xf32>) -> tensor<{D}x{F}xf32>
  %dw2 = linalg.matmul ins(%dyt, %a : tensor<{D}x{M}xf32>, tensor<{M}x{F}xf32>)
      outs(%fw2 : tensor<{D}x{F}xf32>) -> tensor<{D}x{F}xf32>
  %edht = tensor.empty() : tensor<{F}x{M}xf32>
  %dht = linalg.transpose ins(%dh : tensor<{M}x{F}xf32>)
      outs(%edht : tensor<{F}x{M}xf32>) permutation = [1, 0]
  %ew1 = tensor.empty() : tensor<{F}x{D}xf32>
  %fw1 = linalg.fill ins(%zero : f32) outs(%ew1 : tensor<{F}x{D}xf32>) -> tensor<{F}x{D}xf32>
  %dw1 = linalg.matmul ins(%dht, %x : tensor<{F}x{M}xf32>, tensor<{M}x{D}xf32>)
      outs(%fw1 : tensor<{F}x{D}xf32>) -> tensor<{F}x{D}xf32>
  return %y, %dx, %dw1, %dw2 : tensor<{M}x{D}xf32>, tensor<{M}x{D}xf32>,
      tensor<{F}x{D}xf32>, tensor<{D}x{F}xf32>
}}
"""
OUTPUTS = ["Y", "dX", "dW1", "dW2"]

# --- the recipes, independently ------------------------------------------

E4M3, E5M2 = ml_dtypes.float8_e4m3fn, ml_dtypes.float8_e5m2


def recipe_operand(recipe, role):
    """(format, group [rows, cols] of the K-major operand or None for one
    scale per tensor, pow2, E8M0 scales) per docs/numerics.md, "Recipes"."""
    hybrid = recipe in ("tensorwise", "delayed")
    fmt = E5M2 if (hybrid and role == "gradient") else E4M3
    if recipe in ("tensorwise", "delayed"):
        return fmt, None, False, False
    if recipe == "rowwise":
        return fmt, (1, None), True, False
    if recipe == "blockwise":
        return fmt, ((128, 128) if role == "weight" else (1, 128)), False, False
    if recipe == "mxfp8":
        return fmt, (1, 32), False, True
    raise ValueError(recipe)


@pytest.mark.parametrize("recipe", RECIPES)
def test_reference_recipes_are_the_compilers(recipe):
    """recipe_operand above, written from docs/numerics.md, says what the
    compiler's recipe table (fp8_mlir.recipe_operand) says, for every role:
    format, scale group, power-of-two and E8M0 scales."""
    import fp8_mlir

    if not fp8_mlir.has_compiler():
        pytest.skip("fp8_mlir's compiled extension is not importable")
    assert RECIPES + FP4_RECIPES == fp8_mlir.recipe_names()
    formats = {"f8E4M3FN": E4M3, "f8E5M2": E5M2}
    groups = {"tensor": None, "rowwise": (1, None)}
    for role in ("activation", "weight", "gradient"):
        compiled = fp8_mlir.recipe_operand(
            recipe, role, "b" if role == "weight" else "a")
        assert recipe_operand(recipe, role) == (
            formats[compiled["format"]],
            groups.get(compiled["scaling"], compiled["scaling"]),
            compiled["pow2"], compiled["scale_type"] == "f8E8M0FNU"), role


def group_amax(x, group):
    """max |x| per group of a 2-D f32 array, broadcast back to x's shape."""
    if group is None:
        return np.full_like(x, np.max(np.abs(x)))
    rows, cols = group
    rows = rows or x.shape[0]
    cols = cols or x.shape[1]
    r, c = x.shape
    tiles = np.abs(x).reshape(r // rows, rows, c // cols, cols)
    amax = tiles.max(axis=(1, 3))
    return np.repeat(np.repeat(amax, rows, axis=0), cols, axis=1)


def decode_scale(amax, fmt, pow2, e8m0):
    """The decode scale of each group (docs/numerics.md), in f32."""
    fmax = np.float32(ml_dtypes.finfo(fmt).max)
    amax = amax.astype(np.float32)
    ratio = amax / fmax
    if e8m0 or pow2:
        # 2^ceil(log2(amax / fmax)): nothing clips.
        mantissa, exponent = np.frexp(ratio)
        exponent = np.where(mantissa == 0.5, exponent - 1, exponent)
        scale = np.ldexp(np.float32(1), np.clip(exponent, -127, 127)).astype(
            np.float32)
    else:
        scale = ratio
    bad = ~np.isfinite(amax) | (amax == 0)
    return np.where(bad, np.float32(1), scale).astype(np.float32)


def fake_quantize(x, fmt, group, pow2, e8m0, amax=None):
    """x rounded through the narrow format with its scales, back in f32."""
    x = x.astype(np.float32)
    if amax is None:
        amax = group_amax(x, group)
    scale = decode_scale(amax, fmt, pow2, e8m0)
    fmax = np.float32(ml_dtypes.finfo(fmt).max)
    q = np.clip(x / scale, -fmax, fmax).astype(fmt)
    return q.astype(np.float32) * scale


def reference_step(recipe, x, w1, w2, dy, amaxes=None):
    """The quantized training step in numpy: each matmul quantizes its
    K-major operands ([M, K] and [N, K]) as the recipe says for their roles,
    multiplies the decoded values and rounds the sum to f32. `amaxes`
    (tensor name -> amax) replaces the current per-tensor amaxes (delayed
    scaling). With `recipe,wgrad=bf16` the weight-gradient matmuls round
    their operands to bf16 instead (docs/numerics.md, "wgrad")."""
    recipe, h_f32 = recipe.removesuffix("+h-f32"), recipe.endswith("+h-f32")
    recipe, _, options = recipe.partition(",")
    wgrad_bf16 = options == "wgrad=bf16"

    def operand(value, role, name):
        fmt, group, pow2, e8m0 = recipe_operand(recipe, role)
        amax = None
        if amaxes is not None:
            amax = np.full(value.shape, amaxes[name], np.float32)
        return fake_quantize(value, fmt, group, pow2, e8m0, amax)

    def mm(a, role_a, name_a, b_kmajor, role_b, name_b, wgrad=False):
        if wgrad and wgrad_bf16:
            a, b = (v.astype(ml_dtypes.bfloat16) for v in (a, b_kmajor))
        else:
            a = operand(a, role_a, name_a)
            b = operand(b_kmajor, role_b, name_b)
        return (a.astype(np.float64) @ b.astype(np.float64).T).astype(
            np.float32)

    if h_f32:
        h = (x.astype(np.float64) @ w1.astype(np.float64).T).astype(np.float32)
    else:
        h = mm(x, "activation", "x", w1, "weight", "w1")
    a = np.tanh(h)
    y = mm(a, "activation", "a", w2, "weight", "w2")
    da = mm(dy, "gradient", "dy", w2.T, "weight", "w2")
    dh = (da * (np.float32(1) - a * a)).astype(np.float32)
    dx = mm(dh, "gradient", "dh", w1.T, "weight", "w1")
    dw2 = mm(dy.T, "gradient", "dy", a.T, "activation", "a", wgrad=True)
    dw1 = mm(dh.T, "gradient", "dh", x.T, "activation", "x", wgrad=True)
    return [y, dx, dw1, dw2]


def exact_step(x, w1, w2, dy):
    x, w1, w2, dy = (v.astype(np.float64) for v in (x, w1, w2, dy))
    a = np.tanh(x @ w1.T)
    da = dy @ w2
    dh = da * (1 - a * a)
    return [a @ w2.T, dh @ w1, dh.T @ x, dy.T @ a]


def make_data(kind, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((M, D)).astype(np.float32)
    if kind.startswith("outliers-"):
        magnitude = float(kind.split("-")[1])
        count = max(1, int(round(0.001 * x.size)))
        where = rng.choice(x.size, size=count, replace=False)
        x.flat[where] = magnitude * rng.choice([-1.0, 1.0], size=count)
    w1 = (rng.standard_normal((F, D)) / np.sqrt(D)).astype(np.float32)
    w2 = (rng.standard_normal((D, F)) / np.sqrt(F)).astype(np.float32)
    dy = rng.standard_normal((M, D)).astype(np.float32)
    return x, w1, w2, dy


def global_error(result, exact):
    return float(np.linalg.norm(result - exact) / np.linalg.norm(exact))


def row_error(result, exact):
    """Mean relative error of the rows, over the rows that are not
    numerically zero (norm >= 1e-3 of the median row's): the tokens whose
    tanh saturates have a vanishing gradient, and a relative error of
    nothing says nothing."""
    norms = np.linalg.norm(exact, axis=1)
    keep = norms >= 1e-3 * np.median(norms)
    return float(np.mean(np.linalg.norm((result - exact)[keep], axis=1) /
                         norms[keep]))


# --- running the compiled step ------------------------------------------


def _find_fp8_opt():
    build_dir = Path(os.environ.get("FP8_BUILD_DIR", REPO_ROOT / "build"))
    path = Path(os.environ.get("FP8_OPT", build_dir / "bin" / "fp8-opt"))
    if path.is_file() and os.access(path, os.X_OK):
        return path
    return None


def quantize_module(fp8_opt, recipe, module=MODULE):
    # The reference recipes measure every amax at run time, as Transformer
    # Engine and torchao do; static ranges (A = tanh(H) would get amax 1)
    # are checked by test_static_ranges.py.
    completed = subprocess.run(
        [str(fp8_opt), "-",
         f"--fp8-quantize-pipeline=recipe={recipe} static-ranges=off"],
        input=module, capture_output=True, text=True)
    if completed.returncode != 0:
        raise AssertionError(f"{fp8_opt} --fp8-quantize-pipeline=recipe="
                             f"{recipe} failed:\n{completed.stderr}")
    return completed.stdout


#: The tensor each amax history of the delayed step measures, by the first
#: scaled_matmul operand its fp8.amax_history attribute names (matmuls in
#: the order of MODULE: H, Y, dA, dX, dW2, dW1).
TENSOR_OF_HISTORY = {

    "A of scaled_matmul 0": "x", "B of scaled_matmul 0": "w1",
    "A of scaled_matmul 1": "a", "B of scaled_matmul 1": "w2",
    "A of scaled_matmul 2": "dy", "A of scaled_matmul 3": "dh",
}


class Step:
    """Compiles and runs the step per recipe; caches the results."""

    def __init__(self, fp8_opt, runner):
        self.fp8_opt = fp8_opt
        self.runner = runner
        self.modules = {}
        self.cache = {}

    def module(self, recipe):
        if recipe not in self.modules:
            name, h_f32 = recipe.removesuffix("+h-f32"), recipe.endswith("+h-f32")
            base, _, options = name.partition(",")
            name = base + (",history=%d" % HISTORY if base == "delayed" else "")
            name += "," + options if options else ""
            module = MODULE
            if h_f32:
                first = "%h = linalg.matmul indexing_maps = [#mk, #nk, #mn]"
                assert module.count(first) == 1
                module = module.replace(first, first + " {fp8.high_precision}")
            self.modules[recipe] = quantize_module(self.fp8_opt, name, module)
        return self.modules[recipe]

    def run(self, recipe, inputs, histories=()):
        module = self.module(recipe)
        count = module.count("{fp8.amax_history") // 2
        assert len(histories) in (0, count)
        if not histories:
            histories = [np.zeros(HISTORY, np.float32)] * count
        results = self.runner(module, "mlp", list(inputs) + list(histories),
                              ["f32"] * (4 + count))
        return results[:4], results[4:]

    def history_names(self, recipe):
        """What each history belongs to, in argument order."""
        signature = next(line for line in self.module(recipe).splitlines()
                         if "func.func @mlp" in line)
        arguments = signature.split("->")[0]
        return re.findall(r'fp8.amax_history = "([^"]*)"', arguments)

    def result(self, recipe, data):
        """(compiled outputs, reference outputs, exact outputs)."""
        key = (recipe, data)
        if key not in self.cache:
            inputs = make_data(data)
            if recipe.startswith("delayed"):
                # Two steps on another batch of the same kind fill the
                # histories (the first one starts from zeros: scale 1);
                # the measured step takes its scales from them.
                warmup = make_data(data, seed=1)
                _, histories = self.run(recipe, warmup)
                _, histories = self.run(recipe, warmup, histories)
                compiled, _ = self.run(recipe, inputs, histories)
                amaxes = {TENSOR_OF_HISTORY[name.split(", ")[0]]: history.max()
                          for name, history in zip(self.history_names(recipe),
                                                   histories)}
                # With wgrad=bf16 only the first four matmuls have
                # histories; they still cover all six tensors.
                assert len(amaxes) == 6, amaxes
                reference = reference_step(recipe, *inputs, amaxes=amaxes)
            else:
                compiled, _ = self.run(recipe, inputs)
                reference = reference_step(recipe, *inputs)
            self.cache[key] = (compiled, reference, exact_step(*inputs))
        return self.cache[key]


@pytest.fixture(scope="module")
def step(tmp_path_factory):
    binary, reason = _find_fp8_run()
    fp8_opt = _find_fp8_opt()
    if binary is None or fp8_opt is None:
        pytest.skip(reason or "fp8-opt not found (set FP8_OPT or FP8_BUILD_DIR)")
    return Step(fp8_opt, Fp8Run(binary, tmp_path_factory.mktemp("recipes")))


# --- tests ----------------------------------------------------------------


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("recipe", RECIPES + WGRAD_BF16 + H_F32)
def test_matches_independent_recipe(step, recipe, data):
    """The compiled step equals the numpy recipe up to f32 summation order,
    which moves a few values across a rounding boundary of the next
    quantization: almost every element agrees to 1e-4, and what differs is
    small against the recipe's own error."""
    compiled, reference, exact = step.result(recipe, data)
    for name, c, r, e in zip(OUTPUTS, compiled, reference, exact):
        assert np.all(np.isfinite(c)), name
        # A bf16 weight gradient has 2^5 times as many rounding boundaries
        # as E4M3 for f32 summation order (and math.tanh's last bit) to
        # move a value across: one flipped operand moves a sum of M = 256
        # products by about 2^-8 / 256 of it.
        rtol = 1e-3 if ("wgrad=bf16" in recipe and name in ("dW1", "dW2")) \
            else 1e-4
        close = np.isclose(c, r, rtol=rtol, atol=1e-5 * np.abs(r).max())
        assert close.mean() > 0.98, (name, close.mean())
        assert global_error(c, r) < 0.02 * global_error(r, e), (
            name, global_error(c, r), global_error(r, e))


# Bounds on the global relative error against the exact step on Gaussian
# data: above the f32 level (the step is really quantized), below twice the
# error that independent rounding of both operands predicts
# (docs/recipes-accuracy.md: about 3.8% for E4M3 x E4M3, 6% with E5M2).
@pytest.mark.parametrize("recipe", RECIPES)
def test_gaussian_error(step, recipe):
    compiled, _, exact = step.result(recipe, "gaussian")
    for name, c, e in zip(OUTPUTS, compiled, exact):
        err = global_error(c, e)
        bound = 0.12 if (recipe in ("tensorwise", "delayed") and
                         name != "Y") else 0.08
        assert 1e-3 < err < bound, (name, err)


@pytest.mark.parametrize("recipe", ["rowwise", "blockwise", "mxfp8"])
def test_fine_scaling_contains_outliers(step, recipe):
    """Outliers 1e5 times the typical activation: one scale per tensor puts
    the ordinary values of X below E4M3's smallest normal (2^-6), finer
    groups confine the outlier to its own row, tile or block. Seen in the
    rows of Y and of dW2 = dY^T tanh(X W1^T)."""
    per_tensor, _, exact = step.result("tensorwise", "outliers-1e5")
    finer, _, _ = step.result(recipe, "outliers-1e5")
    for index in (0, 3):
        assert row_error(finer[index], exact[index]) < 0.6 * row_error(
            per_tensor[index], exact[index]), OUTPUTS[index]
    # At 1e3 the ordinary values stay normal: no recipe gains much.
    per_tensor, _, exact = step.result("tensorwise", "outliers-1e3")
    finer, _, _ = step.result(recipe, "outliers-1e3")
    assert row_error(finer[0], exact[0]) > 0.8 * row_error(per_tensor[0],
                                                           exact[0])


@pytest.mark.parametrize("recipe", WGRAD_BF16)
def test_wgrad_bf16(step, recipe):
    """wgrad=bf16 leaves the four other matmuls exactly as the plain recipe
    computes them, and on Gaussian data makes the weight gradients more
    accurate than FP8 weight gradients."""
    base = recipe.split(",")[0]
    for data in ("gaussian", "outliers-1e5"):
        plain, _, exact = step.result(base, data)
        kept, _, _ = step.result(recipe, data)
        for index in (0, 1):
            np.testing.assert_array_equal(kept[index], plain[index])
    plain, _, exact = step.result(base, "gaussian")
    kept, _, _ = step.result(recipe, "gaussian")
    for index in (2, 3):
        assert global_error(kept[index], exact[index]) < 0.8 * global_error(
            plain[index], exact[index]), OUTPUTS[index]


@pytest.mark.parametrize("recipe", H_F32)
def test_first_layer_in_f32_keeps_dw1(step, recipe):
    """With outliers 1e5 times the typical activation dW1 = dH^T X is
    wrecked under every recipe, and not by its own matmul: the outlier
    tokens put H = X W1^T at +-1e4, where the few entries that cancel to
    O(1) are the only live tanh gradients and, multiplied by the outlier,
    dominate dW1. An FP8 (or bf16) H moves those entries by O(1). With H in
    f32 dW1 is back under 10% while every other matmul stays FP8."""
    base = recipe.removesuffix("+h-f32")
    plain, _, exact = step.result(base, "outliers-1e5")
    kept, _, _ = step.result(recipe, "outliers-1e5")
    assert global_error(plain[2], exact[2]) > 1.0
    assert global_error(kept[2], exact[2]) < 0.10, global_error(kept[2],
                                                                exact[2])
    assert step.module(recipe).count("fp8.scaled_matmul") == 5


def test_delayed_histories(step):
    """Delayed scaling: step 1 (zero histories: scale 1) returns histories
    whose slot 0 is this step's amax of each scaled tensor; step 2 pushes
    its amaxes in front of them. (That the scales come from the histories is
    checked against the numpy recipe above.)"""
    inputs = make_data("gaussian")
    x, w1, w2, dy = inputs
    names = step.history_names("delayed")
    assert len(names) == 6, names
    _, histories1 = step.run("delayed", inputs)
    _, histories2 = step.run("delayed", inputs, histories1)
    # The inputs among the measured tensors (A and dH depend on the
    # quantization of step 1).
    inputs_by_name = dict(x=x, w1=w1, w2=w2, dy=dy)
    seen = 0
    for name, h1, h2 in zip(names, histories1, histories2):
        value = inputs_by_name.get(TENSOR_OF_HISTORY[name.split(", ")[0]])
        if value is not None:
            seen += 1
            assert h1[0] == np.max(np.abs(value)), name
            assert h2[0] == h1[0], name
        assert np.isfinite(h1[0]) and h1[0] > 0, name
        assert np.isfinite(h2[0]) and h2[0] > 0, name
        assert np.all(h1[1:] == 0), name
        assert h2[1] == h1[0] and np.all(h2[2:] == 0), name
    assert seen == 4, names


def accuracy_table(step, recipes):
    lines = ["| recipe | data | " + " | ".join(
        f"{o} global | {o} per-row" for o in OUTPUTS) + " |",
        "|---|---|" + "---:|---:|" * len(OUTPUTS)]
    for recipe in recipes:
        for data in DATA:
            compiled, _, exact = step.result(recipe, data)
            cells = []
            for c, e in zip(compiled, exact):
                cells += [f"{100 * global_error(c, e):.2f}%",
                          f"{100 * row_error(c, e):.2f}%"]
            lines.append(f"| {recipe} | {data} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    import tempfile
    binary, reason = _find_fp8_run()
    fp8_opt = _find_fp8_opt()
    if binary is None or fp8_opt is None:
        sys.exit(reason or "fp8-opt not found")
    step = Step(fp8_opt, Fp8Run(binary, Path(tempfile.mkdtemp())))
    print(accuracy_table(step, RECIPES))
    print("\nWith matmuls kept in high precision:\n")
    print(accuracy_table(step, WGRAD_BF16 + H_F32))
