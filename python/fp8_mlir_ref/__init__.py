"""Independent numpy + ml_dtypes reference of fp8-mlir's numerics.

Every function here follows the text of docs/numerics.md and the op
descriptions in FP8Ops.td, with no MLIR involved, so that the compiled ops can
be checked against it:

* A scale is the *decode* multiplier: ``value ~= q * scale``, and quantizing
  computes ``q = cast(x / scale)`` in f32.
* ``cast`` rounds to nearest even (ml_dtypes). With ``saturate``, finite
  values beyond the format's max and +-inf clamp to +-max, NaN stays NaN;
  without it the cast is ml_dtypes' ``astype`` (E4M3FN overflow -> NaN, E5M2
  overflow -> inf). NaN cast to the NaN-less FP6/FP4 formats gives the zero
  of the NaN's sign (the arith constant folder's rule, which the project
  follows so that folded and unfolded programs agree; ml_dtypes gives the
  zero of the opposite sign).
* Scale from amax: ``amax / fmax * 2^margin`` in f32; ``pow2`` rounds that
  scale up to a power of two; E8M0 (MX) scales are
  ``2^ceil(log2(amax / fmax)) * 2^margin`` (ceil, the default) or
  ``2^(floor(log2 amax) - emax + margin)`` (floor, OCP MX v1.0), exponent
  clamped to the E8M0 range [-127, 127]. Where amax is 0, +-inf or NaN the
  scale is 1.
* Two-level (NVFP4) scaling: the per-tensor scale ``g = amax / (6 * 448)``
  (f32; 1 where amax is not in (0, +inf)), E4M3 block scales
  ``e4m3(clamp((block_amax / 6) / g, 2^-6, 448))`` (1 for a block whose amax
  is not in (0, +inf)), data ``cast(x * ((1 / g) / f32(s)))``; the matmul
  multiplies the f32 accumulation by ``gA * gB``.
* Matmul: ``D = (A * sA) x (B * sB)`` (+ bias), then cast to the output
  type, or ``saturate_cast(D / out_scale)`` for an FP8 output; the optional
  amax is ``max |D|`` before that cast.

Arrays are numpy arrays of the ml_dtypes types (``ml_dtypes.float8_e4m3fn``,
``ml_dtypes.bfloat16``, ...) or numpy's own float types.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import ml_dtypes
import numpy as np

__all__ = [
    "FORMATS",
    "Scaling",
    "format_max",
    "format_emax",
    "dtype_of",
    "amax",
    "scale_from_amax",
    "group_scales",
    "quantize",
    "dequantize",
    "scaled_matmul",
    "amax_history_push",
    "scale_from_history",
    "RECIPES",
    "recipe_operand",
    "nvfp4_global_scale",
    "nvfp4_block_scale",
    "nvfp4_quantize",
    "nvfp4_dequantize",
    "pack_fp4",
    "unpack_fp4",
    "WGRAD_HADAMARD_SIGNS",
    "random_hadamard",
    "sr_random_bytes",
    "stochastic_round_fp4",
]

#: MLIR element type name -> numpy dtype.
FORMATS = {
    "f8E4M3FN": ml_dtypes.float8_e4m3fn,
    "f8E5M2": ml_dtypes.float8_e5m2,
    "f6E2M3FN": ml_dtypes.float6_e2m3fn,
    "f6E3M2FN": ml_dtypes.float6_e3m2fn,
    "f4E2M1FN": ml_dtypes.float4_e2m1fn,
    "f8E8M0FNU": ml_dtypes.float8_e8m0fnu,
    "bf16": ml_dtypes.bfloat16,
    "f16": np.float16,
    "f32": np.float32,
}


def dtype_of(name: str):
    """The numpy dtype of an MLIR element type name."""
    return np.dtype(FORMATS[name])


def format_max(name: str) -> float:
    """The largest finite value of a narrow format (448 for E4M3FN)."""
    return float(ml_dtypes.finfo(FORMATS[name]).max)


def format_emax(name: str) -> int:
    """floor(log2(max)) of a narrow format (8 for E4M3FN)."""
    return math.frexp(format_max(name))[1] - 1


@dataclass(frozen=True)
class Scaling:
    """Which elements share one scale: over the last two dims [R, C]."""

    kind: str  # "tensor", "rowwise" or "block"
    block: tuple[int, int] | None = None

    @staticmethod
    def tensor() -> "Scaling":
        return Scaling("tensor")

    @staticmethod
    def rowwise() -> "Scaling":
        return Scaling("rowwise")

    @staticmethod
    def blocks(rows: int, cols: int) -> "Scaling":
        return Scaling("block", (rows, cols))

    def group(self, shape) -> tuple[int, int]:
        """The [r, c] extent of one group of data of `shape`."""
        rows = shape[-2] if len(shape) >= 2 else 1
        cols = shape[-1] if len(shape) >= 1 else 1
        if self.kind == "tensor":
            return rows, cols
        if self.kind == "rowwise":
            return 1, cols
        return self.block

    def scale_shape(self, shape) -> tuple[int, ...]:
        """Shape of the scale tensor for data of `shape` (ragged: ceil-div)."""
        if self.kind == "tensor":
            return ()
        rows, cols = shape[-2], shape[-1]
        if self.kind == "rowwise":
            return tuple(shape[:-2]) + (rows, 1)
        r, c = self.block
        return tuple(shape[:-2]) + (-(-rows // r), -(-cols // c))

    def mlir(self) -> str:
        """The attribute as MLIR text."""
        if self.kind == "block":
            return f"#fp8.scaling<block [{self.block[0]}, {self.block[1]}]>"
        return f"#fp8.scaling<{self.kind}>"


def _f32(x) -> np.ndarray:
    return np.asarray(x).astype(np.float32)


def _group_view(x: np.ndarray, scaling: Scaling, pad) -> np.ndarray:
    """`x` [b.., R, C] as [b.., gR, r, gC, c], padding ragged tiles with `pad`.

    For tensor scaling the batch dims join the single group.
    """
    if scaling.kind == "tensor":
        return x.reshape((1, x.size, 1, 1))
    rows, cols = x.shape[-2:]
    r, c = scaling.group(x.shape)
    grows, gcols = -(-rows // r), -(-cols // c)
    widths = [(0, 0)] * (x.ndim - 2) + [(0, grows * r - rows), (0, gcols * c - cols)]
    padded = np.pad(x, widths, constant_values=pad)
    return padded.reshape(x.shape[:-2] + (grows, r, gcols, c))


def amax(x, scaling: Scaling) -> np.ndarray:
    """max |x| per group as f32; NaN propagates; |+-inf| = +inf."""
    magnitude = np.abs(_f32(x))
    groups = _group_view(magnitude, scaling, pad=0.0)
    # np.max propagates NaN.
    result = groups.max(axis=(-3, -1))
    return result.reshape(scaling.scale_shape(np.shape(x))).astype(np.float32)


def _ceil_log2_ratio(a: np.ndarray, b: float) -> np.ndarray:
    """ceil(log2(a / b)) exactly, for a > 0 and b > 0.

    With a = ma * 2^ea and b = mb * 2^eb (ma, mb in [0.5, 1)), a / b =
    (ma / mb) * 2^(ea - eb) and ma / mb lies in (1/2, 2).
    """
    ma, ea = np.frexp(a.astype(np.float64))
    mb, eb = math.frexp(b)
    return (ea - eb) + (ma > mb).astype(np.int64)


def _floor_log2(a: np.ndarray) -> np.ndarray:
    """floor(log2(a)) exactly, for a > 0."""
    _, ea = np.frexp(a.astype(np.float64))
    return ea.astype(np.int64) - 1


def _exact_pow2_f32(exponent: np.ndarray) -> np.ndarray:
    """2^exponent as f32 (subnormal, or inf above 2^127), exactly."""
    with np.errstate(over="ignore"):
        return np.ldexp(np.float64(1.0), exponent).astype(np.float32)


def scale_from_amax(
    amax_values,
    fmt: str,
    margin: int = 0,
    pow2: bool = False,
    scale_type: str = "f32",
    mx_scale: str = "ceil",
) -> np.ndarray:
    """The decode scale of each amax for the narrow format `fmt`.

    f32: ``f32(f32(amax / fmax) * 2^margin)``; with `pow2` the scale rounded
    up to a power of two, ``2^(ceil(log2(amax / fmax)) + margin)`` (exponent
    kept in [-149, 128], where 128 means inf). E8M0: ceil
    ``2^(ceil(log2(amax / fmax)) + margin)`` or floor
    ``2^(floor(log2 amax) - emax + margin)``, exponent clamped to
    [-127, 127]. Scale 1 where amax is not in (0, +inf).
    """
    a = _f32(amax_values)
    fmax = format_max(fmt)
    valid = (a > 0) & (a < np.inf)
    safe = np.where(valid, a, np.float32(1.0))
    if scale_type == "f8E8M0FNU":
        if mx_scale == "floor":
            exponent = _floor_log2(safe) - format_emax(fmt) + margin
        else:
            exponent = _ceil_log2_ratio(safe, fmax) + margin
        scale = _exact_pow2_f32(np.clip(exponent, -127, 127))
    elif pow2:
        exponent = _ceil_log2_ratio(safe, fmax) + margin
        scale = _exact_pow2_f32(np.clip(exponent, -149, 128))
    else:
        with np.errstate(over="ignore", under="ignore"):
            scale = (safe / np.float32(fmax)) * np.float32(2.0**margin)
    scale = np.where(valid, scale, np.float32(1.0)).astype(np.float32)
    return scale.astype(dtype_of(scale_type))


def group_scales(scale, shape, scaling: Scaling) -> np.ndarray:
    """The f32 scale of every element of data of `shape` (its group's)."""
    s = _f32(scale)
    if scaling.kind == "tensor":
        return np.broadcast_to(s.reshape(()), shape)
    if scaling.kind == "rowwise":
        return np.broadcast_to(s, shape)  # [b.., R, 1]
    rows, cols = shape[-2:]
    r, c = scaling.block
    return np.repeat(np.repeat(s, r, axis=-2), c, axis=-1)[..., :rows, :cols]


def _cast(x32: np.ndarray, fmt: str, saturate: bool) -> np.ndarray:
    """Round f32 to `fmt` (nearest even); saturating clamps to +-max first."""
    if saturate:
        fmax = np.float32(format_max(fmt))
        # np.minimum/np.maximum keep NaN; +-inf clamps.
        x32 = np.minimum(np.maximum(x32, -fmax), fmax)
    with np.errstate(over="ignore", invalid="ignore"):
        result = x32.astype(dtype_of(fmt))
    if fmt.startswith(("f4", "f6")):
        zero = np.where(np.signbit(x32), -0.0, 0.0).astype(dtype_of(fmt))
        result = np.where(np.isnan(x32), zero, result).astype(dtype_of(fmt))
    return result


def quantize(x, scale, scaling: Scaling, fmt: str, saturate: bool = True) -> np.ndarray:
    """q = cast(f32(x) / f32(scale of x's group))."""
    x32 = _f32(x)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scaled = x32 / group_scales(scale, x32.shape, scaling)
    return _cast(scaled.astype(np.float32), fmt, saturate)


def dequantize(q, scale, scaling: Scaling, out: str = "f32") -> np.ndarray:
    """x = round_out(f32(q) * f32(scale of q's group))."""
    q32 = _f32(q)
    with np.errstate(over="ignore", invalid="ignore"):
        value = (q32 * group_scales(scale, q32.shape, scaling)).astype(np.float32)
        return value.astype(dtype_of(out))  # may overflow to inf (f16)


def scaled_matmul(
    a,
    a_scale,
    b,
    b_scale,
    a_scaling: Scaling,
    b_scaling: Scaling,
    transpose_b: bool = False,
    bias=None,
    out_scale=None,
    out: str = "f32",
    accumulate=np.float64,
):
    """``D = (A * sA) x (B * sB) (+ bias)`` and ``max |D|``.

    A is [b.., M, K]; B is [b.., K, N], or [b.., N, K] with `transpose_b`
    (`b_scaling` describes B as stored). Returns ``(D, result, amax)``: D
    accumulated in `accumulate` (float64 by default: the exact reference the
    f32 accumulation is checked against), the result cast to `out` (for an
    FP8 `out`, ``saturate_cast(D / out_scale)``), and ``max |D|``.
    """
    a_value = dequantize(a, a_scale, a_scaling).astype(accumulate)
    b_value = dequantize(b, b_scale, b_scaling).astype(accumulate)
    if transpose_b:
        b_value = np.swapaxes(b_value, -1, -2)
    d = np.matmul(a_value, b_value)
    if bias is not None:
        d = d + _f32(bias).astype(accumulate)
    d_amax = np.float32(np.max(np.abs(d))) if d.size else np.float32(0)
    if out_scale is not None:
        scaled = (d.astype(np.float32) / _f32(out_scale)).astype(np.float32)
        result = _cast(scaled, out, saturate=True)
    else:
        with np.errstate(over="ignore"):
            result = d.astype(np.float32).astype(dtype_of(out))
    return d, result, d_amax


def amax_history_push(history, new_amax) -> np.ndarray:
    """Roll the history [L, g..] by one towards higher indices; slot 0 = amax."""
    h = _f32(history)
    result = np.empty_like(h)
    result[1:] = h[:-1]
    result[0] = _f32(new_amax)
    return result


def scale_from_history(
    history, algo: str, fmt: str, margin: int = 0, pow2: bool = False
) -> np.ndarray:
    """Scale from the max over the history (NaN propagating) or entry 0."""
    h = _f32(history)
    reduced = h.max(axis=0) if algo == "max" else h[0]
    return scale_from_amax(reduced, fmt, margin=margin, pow2=pow2)


# --- two-level (NVFP4) scaling ------------------------------------------


def nvfp4_global_scale(amax_value, fmt: str = "f4E2M1FN",
                       block_scale_type: str = "f8E4M3FN") -> np.ndarray:
    """The per-tensor scale of two-level scaling, ``amax / (fmax * 448)``
    in f32 (Transformer Engine's NVFP4BlockScaling, torchao's
    per_tensor_amax_to_scale); 1 where amax is not in (0, +inf)."""
    a = _f32(amax_value)
    valid = (a > 0) & (a < np.inf)
    divisor = np.float32(format_max(fmt) * format_max(block_scale_type))
    with np.errstate(invalid="ignore", over="ignore"):
        scale = np.where(valid, a / divisor, np.float32(1.0))
    return scale.astype(np.float32)


def nvfp4_block_scale(block_amax, global_scale,
                      fmt: str = "f4E2M1FN") -> np.ndarray:
    """E4M3 block scales: ``e4m3(clamp((amax / fmax) / g, 2^-6, 448))``,
    round to nearest even; 1 where amax is not in (0, +inf)."""
    a = _f32(block_amax)
    valid = (a > 0) & (a < np.inf)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        s = (a / np.float32(format_max(fmt))).astype(np.float32)
        s = (s / _f32(global_scale)).astype(np.float32)
    s = np.clip(s, np.float32(2.0**-6), np.float32(448.0))
    s = np.where(valid, s, np.float32(1.0)).astype(np.float32)
    return s.astype(ml_dtypes.float8_e4m3fn)


def nvfp4_quantize(x, block_scale, global_scale, scaling: Scaling,
                   fmt: str = "f4E2M1FN") -> np.ndarray:
    """``cast(x * ((1 / g) / f32(s)))`` with saturation."""
    x32 = _f32(x)
    g = _f32(global_scale)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inverse = ((np.float32(1.0) / g).astype(np.float32)
                   / group_scales(block_scale, x32.shape, scaling))
        scaled = (x32 * inverse.astype(np.float32)).astype(np.float32)
    return _cast(scaled, fmt, saturate=True)


def nvfp4_dequantize(q, block_scale, global_scale,
                     scaling: Scaling) -> np.ndarray:
    """``(f32(q) * f32(s)) * g`` in f32."""
    value = dequantize(q, block_scale, scaling)
    return (value * _f32(global_scale)).astype(np.float32)


# --- FP4 storage ---------------------------------------------------------


def pack_fp4(q) -> np.ndarray:
    """Two FP4 values per byte along the last dim (even length): element
    2i in the low nibble, 2i + 1 in the high nibble (torchao's pack_uint4)."""
    bits = np.asarray(q).astype(ml_dtypes.float4_e2m1fn).view(np.uint8) & 0xF
    return (bits[..., 0::2] | (bits[..., 1::2] << 4)).astype(np.uint8)


def unpack_fp4(packed) -> np.ndarray:
    """The inverse of pack_fp4: float4_e2m1fn values, last dim doubled."""
    packed = np.asarray(packed, dtype=np.uint8)
    bits = np.stack([packed & 0xF, packed >> 4], axis=-1)
    bits = bits.reshape(packed.shape[:-1] + (2 * packed.shape[-1],))
    return bits.astype(np.uint8).view(ml_dtypes.float4_e2m1fn)


# --- the recipe table ----------------------------------------------------

#: The recipe names, in the order of the compiler's RecipeKind.
RECIPES = ["tensorwise", "delayed", "rowwise", "blockwise", "mxfp8",
           "mxfp4", "mxfp6", "nvfp4"]


def recipe_operand(recipe: str, role: str):
    """What docs/numerics.md ("Recipes") says a matmul operand of `role`
    gets: (format, group of the K-major operand as (rows, cols), None for one
    scale per tensor, (1, None) for one per row, pow2, scale type name)."""
    hybrid = recipe in ("tensorwise", "delayed")
    e4m3 = "f8E4M3FN"
    fmt = "f8E5M2" if (hybrid and role == "gradient") else e4m3
    if recipe in ("tensorwise", "delayed"):
        return fmt, None, False, "f32"
    if recipe == "rowwise":
        return fmt, (1, None), True, "f32"
    if recipe == "blockwise":
        return fmt, ((128, 128) if role == "weight" else (1, 128)), False, "f32"
    if recipe == "mxfp8":
        return fmt, (1, 32), False, "f8E8M0FNU"
    if recipe == "mxfp4":
        return "f4E2M1FN", (1, 32), False, "f8E8M0FNU"
    if recipe == "mxfp4,formats=fp4-weights":
        return ("f4E2M1FN" if role == "weight" else e4m3, (1, 32), False,
                "f8E8M0FNU")
    if recipe == "mxfp6":
        return ("f6E3M2FN" if role == "gradient" else "f6E2M3FN",
                (1, 32), False, "f8E8M0FNU")
    # NVFP4 training fields change no format or grouping.
    if recipe.startswith("nvfp4,") and all(
            field.split("=")[0].replace("-", "_") in ("rht", "sr", "sr_seed")
            for field in recipe.split(",")[1:]):
        recipe = "nvfp4"
    if recipe == "nvfp4":
        return ("f4E2M1FN", (16, 16) if role == "weight" else (1, 16), False,
                "f8E4M3FN")
    raise ValueError(recipe)


# --- NVFP4 training: random Hadamard transform, stochastic rounding --------

#: Transformer Engine's fixed sign vector of the weight-gradient random
#: Hadamard transform (True: -1).
WGRAD_HADAMARD_SIGNS = [False, False, False, True, False, True, True, True,
                        True, True, True, False, True, False, True, True]


def random_hadamard(x, signs) -> np.ndarray:
    """fp8.hadamard in f32: each block of n = len(signs) elements along the
    last dim times D H / sqrt(n), H the Sylvester Hadamard matrix built by
    Kronecker products, D the diagonal of signs."""
    n = len(signs)
    h = np.ones((1, 1))
    while h.shape[0] < n:
        h = np.kron(h, np.array([[1.0, 1.0], [1.0, -1.0]]))
    d = np.where(np.asarray(signs), -1.0, 1.0)
    m = (d[:, None] * h / math.sqrt(n)).astype(np.float32)
    x32 = _f32(x)
    blocks = x32.reshape(*x32.shape[:-1], x32.shape[-1] // n, n)
    return (blocks @ m).reshape(x32.shape).astype(np.float32)


def _splitmix64_high(seed: int, counter: np.ndarray) -> np.ndarray:
    """The high 32 bits of the counter-th output (0-based) of SplitMix64
    seeded with `seed` (uint64 arithmetic, wrapping)."""
    with np.errstate(over="ignore"):
        z = (np.uint64(seed) + (counter.astype(np.uint64) + np.uint64(1))
             * np.uint64(0x9E3779B97F4A7C15))
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return z >> np.uint64(32)


def sr_random_bytes(shape, seed: int, offset: int = 0) -> np.ndarray:
    """The 8-bit random number of each element (row-major linear index i)
    under stochastic rounding: byte 3, 1, 2, 0 (for i % 4 = 0..3, PTX
    cvt.rs...e2m1x4 operands a, b, e, f) of word offset + i // 4."""
    i = np.arange(int(np.prod(shape)), dtype=np.uint64)
    words = _splitmix64_high(seed, np.uint64(offset) + i // np.uint64(4))
    shift = np.array([24, 8, 16, 0], dtype=np.uint64)[(i % 4).astype(int)]
    return ((words >> shift) & np.uint64(0xFF)).astype(np.int64).reshape(shape)


def stochastic_round_fp4(v, random_bytes) -> np.ndarray:
    """Stochastic rounding of f32 values (already divided by their scale)
    to E2M1, as f32: |v| >= 6 gives 6; else, for E2M1 neighbours
    lo <= |v| < hi, away from zero when floor(256 (|v| - lo) / (hi - lo))
    + r >= 256. The neighbours come from ml_dtypes' list of E2M1 values."""
    v = _f32(v)
    grid = np.unique(np.abs(np.arange(16, dtype=np.uint8).view(
        ml_dtypes.float4_e2m1fn).astype(np.float64)))
    a = np.minimum(np.abs(v.astype(np.float64)), grid[-1])
    index = np.clip(np.searchsorted(grid, a, side="right") - 1, 0,
                    len(grid) - 1)
    lo = grid[index]
    hi = grid[np.minimum(index + 1, len(grid) - 1)]
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(hi > lo, np.floor(256 * (a - lo) / (hi - lo)), 0)
    up = t + random_bytes >= 256
    out = np.copysign(np.where(up, hi, lo), v).astype(np.float32)
    return np.where(np.isnan(v), v, out)
