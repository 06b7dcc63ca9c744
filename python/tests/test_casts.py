"""Bit-exactness of fp8-expand-casts against ml_dtypes.

Every cast is compiled and run by fp8-run (so through --fp8-cpu-pipeline,
which expands it with fp8-expand-casts) on tensor<?x...> data, and compared
with ml_dtypes' astype:

  * narrow -> f32/f16/bf16: every encoding of every narrow format;
  * f16 and bf16 -> narrow: all 2^16 inputs;
  * f32 -> narrow: 2^24 inputs (both signs, every exponent, mantissas at and
    around every possible rounding position, the rest random);
  * the saturating form (maximumf/minimumf clamp, then truncf) from f32, f16
    and bf16, against ml_dtypes with overflow replaced by +-max;
  * narrow -> narrow between formats of different widths.

  * f64 -> every narrow format, f16 and bf16 (one rounding, not two);
  * f32 <-> f16/bf16, which the pass also expands, on a baseline x86-64 CPU
    (fp8-run --mcpu=x86-64: no F16C, no AVX512-BF16).

Narrow results must match bit for bit (including ml_dtypes' NaN encodings),
with one documented difference of policy: a NaN cast to the NaN-less FP6/FP4
types gives the zero of the NaN's sign (what the arith constant folder gives,
so folded and unfolded programs agree), where ml_dtypes gives the zero of the
opposite sign. Wide results must match bit for bit, except that any NaN
matches any NaN.

fp8-run is found through $FP8_RUN, else <repo>/build/bin/fp8-run; without
it every test is skipped. The number of values compared per format and
direction is printed at the end of the module.
"""

import collections
import os
import pathlib
import subprocess

import ml_dtypes
import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]

# MLIR type -> ml_dtypes type. The first six are the dialect's formats; the
# IEEE-style f8E4M3 and f8E3M4 come from the same generic routine.
NARROW = {
    "f8E4M3FN": ml_dtypes.float8_e4m3fn,
    "f8E5M2": ml_dtypes.float8_e5m2,
    "f8E8M0FNU": ml_dtypes.float8_e8m0fnu,
    "f6E2M3FN": ml_dtypes.float6_e2m3fn,
    "f6E3M2FN": ml_dtypes.float6_e3m2fn,
    "f4E2M1FN": ml_dtypes.float4_e2m1fn,
    "f8E4M3": ml_dtypes.float8_e4m3,
    "f8E3M4": ml_dtypes.float8_e3m4,
}
WIDTH = {name: (4 if name.startswith("f4") else 6 if name.startswith("f6") else 8)
         for name in NARROW}
# E8M0 has no sign, so no clamp to [-max, max] makes sense for it.
SATURABLE = [name for name in NARROW if name != "f8E8M0FNU"]
WIDE = {"f32": np.float32, "f16": np.float16, "bf16": ml_dtypes.bfloat16}
# Formats with neither infinity nor NaN, where NaN becomes a zero.
NAN_LESS = [name for name in NARROW if name.startswith(("f4", "f6"))]

# What fp8-run reads and writes for each element type (see its contract).
STORAGE = {"f64": np.float64, "f32": np.float32, "f16": np.float16,
           "bf16": np.uint16}
STORAGE.update({name: np.uint8 for name in NARROW})


def find_fp8_run():
    path = os.environ.get("FP8_RUN") or str(REPO / "build" / "bin" / "fp8-run")
    return path if os.access(path, os.X_OK) else None


FP8_RUN = find_fp8_run()
pytestmark = pytest.mark.skipif(
    FP8_RUN is None,
    reason="fp8-run not found (set FP8_RUN or build <repo>/build/bin/fp8-run)")

COUNTS = collections.Counter()


@pytest.fixture(scope="module", autouse=True)
def report_counts(request):
    """Prints how many values each direction compared, after the module
    (past pytest's output capture, so it shows without -s)."""
    yield
    if not COUNTS:
        return
    lines = ["", "fp8-expand-casts vs ml_dtypes: values compared"]
    lines += [f"  {key:<36} {COUNTS[key]:>10}" for key in sorted(COUNTS)]
    lines.append(f"  {'total':<36} {sum(COUNTS.values()):>10}")
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print("\n".join(lines))


# --------------------------------------------------------------------------
# Running casts through fp8-run
# --------------------------------------------------------------------------

def cast_op(source, target):
    """arith.extf when the target is wider, arith.truncf when narrower."""
    bits = {"f64": 64, "f32": 32, "f16": 16, "bf16": 16, **WIDTH}
    return "arith.extf" if bits[target] > bits[source] else "arith.truncf"


def tensor_cast_function(source, target):
    """The cast on a whole tensor (fp8-expand-casts moves it into a loop)."""
    op = cast_op(source, target)
    return f"""
func.func @cast(%x: tensor<?x{source}>) -> tensor<?x{target}> {{
  %y = {op} %x : tensor<?x{source}> to tensor<?x{target}>
  return %y : tensor<?x{target}>
}}
"""


def saturating_function(source, target, max_value):
    """The saturating cast as fp8.quantize spells it, on scalars in a loop."""
    return f"""
#id = affine_map<(d0) -> (d0)>
func.func @cast(%x: tensor<?x{source}>) -> tensor<?x{target}> {{
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x{source}>
  %init = tensor.empty(%n) : tensor<?x{target}>
  %y = linalg.generic {{indexing_maps = [#id, #id], iterator_types = ["parallel"]}}
      ins(%x : tensor<?x{source}>) outs(%init : tensor<?x{target}>) {{
  ^bb0(%in: {source}, %out: {target}):
    %max = arith.constant {max_value!r} : {source}
    %neg_max = arith.constant {-max_value!r} : {source}
    %lo = arith.maximumf %in, %neg_max : {source}
    %clamped = arith.minimumf %lo, %max : {source}
    %q = arith.truncf %clamped : {source} to {target}
    linalg.yield %q : {target}
  }} -> tensor<?x{target}>
  return %y : tensor<?x{target}>
}}
"""


def run_function(tmp_path, mlir, source, values, cpu=None):
    """Runs @cast of `mlir` on `values` (a 1-D array of numpy type of
    `source`), JIT-compiled for the host or for LLVM CPU `cpu`; returns the
    result as fp8-run stores it."""
    mlir_file = tmp_path / "cast.mlir"
    mlir_file.write_text(mlir)
    input_file = tmp_path / "x.npy"
    np.save(input_file, np.ascontiguousarray(values).view(STORAGE[source]))
    out = tmp_path / "out"
    proc = subprocess.run(
        [FP8_RUN, str(mlir_file), "--entry", "cast", "--input", str(input_file),
         "--output-dir", str(out)] + ([f"--mcpu={cpu}"] if cpu else []),
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"fp8-run failed:\n{proc.stderr}\n{mlir}"
    return np.load(out / "result0.npy")


def as_type(values, name):
    """ml_dtypes' conversion of `values` to MLIR type `name`, with the
    project's NaN policy for the NaN-less formats (the zero of the NaN's
    sign; ml_dtypes gives the opposite sign). ml_dtypes has no direct cast
    between E8M0 and FP6/FP4; there the reference goes through f32, which
    holds every narrow value exactly."""
    target = NARROW.get(name) or WIDE[name]
    with np.errstate(invalid="ignore", over="ignore"):
        try:
            result = values.astype(target)
        except TypeError:
            result = values.astype(np.float32).astype(target)
        if name in NAN_LESS:
            as_f32 = values.astype(np.float32)
            zero = np.where(np.signbit(as_f32), -0.0, 0.0).astype(target)
            result = np.where(np.isnan(as_f32), zero, result).astype(target)
    return result


# --------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------

def narrow_bits(values):
    return np.ascontiguousarray(values).view(np.uint8)


def assert_narrow_equal(inputs, got, expected, what, free_nan_sign=0):
    """Bit patterns must match exactly. With `free_nan_sign` (the format's
    sign bit), the result of a NaN input may differ in that bit: the clamp
    of the saturating cast (arith.maximumf/minimumf) does not define the
    sign of the NaN it returns, and NaN-less formats turn that sign into
    the sign of zero."""
    expected = narrow_bits(expected)
    assert got.dtype == np.uint8 and got.shape == expected.shape
    mismatch = got != expected
    if free_nan_sign:
        nan_input = np.isnan(inputs.astype(np.float32))
        mismatch &= ~(nan_input & ((got ^ expected) == free_nan_sign))
    bad = np.nonzero(mismatch)[0]
    if bad.size:
        lines = [f"{inputs[i]!r} (bits {np.ascontiguousarray(inputs[i:i+1]).view(np.uint8)[::-1].tobytes().hex()})"
                 f": got {got[i]:#04x}, ml_dtypes {expected[i]:#04x}"
                 for i in bad[:20]]
        pytest.fail(f"{what}: {bad.size} of {got.size} differ\n" + "\n".join(lines))


def assert_wide_equal(inputs, got, expected, name, what):
    """Bit patterns must match; any NaN matches any NaN."""
    exp_f32 = expected.astype(np.float32)
    if name == "bf16":
        got_f32 = got.astype(np.uint16).view(ml_dtypes.bfloat16).astype(np.float32)
        got_bits, exp_bits = got.astype(np.uint16), expected.view(np.uint16)
    else:
        got_f32 = got.astype(np.float32)
        got_bits = got.view(np.uint32 if name == "f32" else np.uint16)
        exp_bits = expected.view(got_bits.dtype)
    both_nan = np.isnan(got_f32) & np.isnan(exp_f32)
    bad = np.nonzero((got_bits != exp_bits) & ~both_nan)[0]
    if bad.size:
        lines = [f"input bits {narrow_bits(inputs)[i]:#04x}: got {got_f32[i]!r}"
                 f", ml_dtypes {exp_f32[i]!r}" for i in bad[:20]]
        pytest.fail(f"{what}: {bad.size} of {got.size} differ\n" + "\n".join(lines))


def saturated(values, name):
    """ml_dtypes' cast with every overflow (to inf, or to NaN from a non-NaN
    input) replaced by +-max: the saturating cast, computed independently of
    the clamp the kernel uses."""
    narrow = NARROW[name]
    with np.errstate(invalid="ignore", over="ignore"):
        result = values.astype(narrow)
    as_f32 = result.astype(np.float32)
    finite_in = ~np.isnan(values.astype(np.float32))
    overflow = finite_in & ~np.isfinite(as_f32)
    big = np.full(values.shape, ml_dtypes.finfo(narrow).max, dtype=narrow)
    result = np.where(overflow, np.where(np.signbit(values.astype(np.float32)), -big, big), result)
    return result.astype(narrow)


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------

def all_encodings(name):
    """Every bit pattern of narrow type `name`."""
    return np.arange(1 << WIDTH[name], dtype=np.uint8).view(NARROW[name])


def all_16bit(name):
    return np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(WIDE[name])


def mantissa_patterns(count=32768, seed=0):
    """`count` distinct 23-bit f32 mantissas: for every rounding position p
    (the half-ulp bit), the values around 0, half, and a full step at p,
    under the lowest and highest 64 patterns of the bits above p; the rest
    random."""
    patterns = set()
    for p in range(23):
        above = 22 - p  # bits above the half-ulp bit
        uppers = range(1 << above) if above <= 7 else \
            list(range(64)) + list(range((1 << above) - 64, 1 << above))
        half = 1 << p
        for upper in uppers:
            base = upper << (p + 1)
            for low in (0, 1, half - 1, half, half + 1, 2 * half - 1):
                if low < 2 * half:
                    patterns.add(base + low)
    patterns = np.array(sorted(patterns), dtype=np.uint32)
    assert patterns.size <= count
    rng = np.random.default_rng(seed)
    extra = rng.integers(0, 1 << 23, size=2 * count, dtype=np.uint32)
    extra = np.setdiff1d(extra, patterns)
    rng.shuffle(extra)
    return np.concatenate([patterns, extra[:count - patterns.size]])


@pytest.fixture(scope="module")
def f32_inputs():
    """2^24 f32 values: 2 signs x 256 exponents x 32768 mantissas."""
    mantissas = mantissa_patterns()
    sign_exponent = np.arange(512, dtype=np.uint32) << 23
    bits = (sign_exponent[:, None] | mantissas[None, :]).reshape(-1)
    assert bits.size == 1 << 24
    return bits.view(np.float32)


# --------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------

@pytest.mark.parametrize("wide", WIDE)
@pytest.mark.parametrize("name", NARROW)
def test_decode_every_encoding(tmp_path, name, wide):
    inputs = all_encodings(name)
    got = run_function(tmp_path, tensor_cast_function(name, wide), name, inputs)
    assert_wide_equal(inputs, got, as_type(inputs, wide), wide, f"{name} -> {wide}")
    COUNTS[f"{name} -> {wide}"] += inputs.size


@pytest.mark.parametrize("wide", ["f16", "bf16"])
@pytest.mark.parametrize("name", NARROW)
def test_encode_every_16bit_input(tmp_path, name, wide):
    inputs = all_16bit(wide)
    got = run_function(tmp_path, tensor_cast_function(wide, name), wide, inputs)
    assert_narrow_equal(inputs, got, as_type(inputs, name), f"{wide} -> {name}")
    COUNTS[f"{wide} -> {name}"] += inputs.size


@pytest.mark.parametrize("name", NARROW)
def test_encode_f32(tmp_path, name, f32_inputs):
    got = run_function(tmp_path, tensor_cast_function("f32", name), "f32", f32_inputs)
    assert_narrow_equal(f32_inputs, got, as_type(f32_inputs, name), f"f32 -> {name}")
    COUNTS[f"f32 -> {name}"] += f32_inputs.size


@pytest.mark.parametrize("wide", WIDE)
@pytest.mark.parametrize("name", SATURABLE)
def test_saturating_encode(tmp_path, name, wide, f32_inputs):
    if wide == "f32":
        inputs = f32_inputs
    else:
        inputs = all_16bit(wide)
    max_value = float(ml_dtypes.finfo(NARROW[name]).max)
    got = run_function(tmp_path, saturating_function(wide, name, max_value),
                       wide, inputs)
    assert_narrow_equal(inputs, got, saturated(inputs, name),
                        f"{wide} -> {name} saturating",
                        free_nan_sign=1 << (WIDTH[name] - 1))
    COUNTS[f"{wide} -> {name} saturating"] += inputs.size


@pytest.fixture(scope="module")
def f64_inputs():
    """2^20 f64 values: every sign and f32-relevant exponent, mantissas
    whose top 24 bits are f32 rounding cases and whose low 29 bits are 0, 1,
    just under or at half of an f32 ulp, or random; plus +-0, +-inf, NaN
    and values beyond f32's range. Rounding through f32 first gets many of
    them wrong (the half-way f32 results)."""
    rng = np.random.default_rng(1)
    count = 1 << 20
    sign = rng.integers(0, 2, count, dtype=np.uint64) << np.uint64(63)
    exponent = rng.integers(1023 - 160, 1023 + 130, count, dtype=np.uint64)
    upper = mantissa_patterns(count=32768, seed=2)[
        rng.integers(0, 32768, count)].astype(np.uint64)
    low_choices = np.array([0, 1, (1 << 28) - 1, 1 << 28, (1 << 28) + 1,
                            (1 << 29) - 1], dtype=np.uint64)
    low = np.where(rng.random(count) < 0.75,
                   low_choices[rng.integers(0, low_choices.size, count)],
                   rng.integers(0, 1 << 29, count, dtype=np.uint64))
    bits = sign | (exponent << np.uint64(52)) | (upper << np.uint64(29)) | low
    values = bits.view(np.float64)
    values[:6] = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e300]
    return values


@pytest.mark.parametrize("name", list(NARROW) + ["f16", "bf16"])
def test_encode_f64(tmp_path, name, f64_inputs):
    """One rounding from f64 (round-to-odd to f32, then to nearest)."""
    got = run_function(tmp_path, tensor_cast_function("f64", name), "f64",
                       f64_inputs)
    expected = as_type(f64_inputs, name)
    if name in NARROW:
        assert_narrow_equal(f64_inputs, got, expected, f"f64 -> {name}")
    else:
        assert_wide_equal(f64_inputs, got, expected, name, f"f64 -> {name}")
    COUNTS[f"f64 -> {name}"] += f64_inputs.size


@pytest.mark.parametrize("half", ["f16", "bf16"])
def test_half_casts_on_baseline_cpu(tmp_path, half, f32_inputs):
    """f32 -> f16/bf16 (2^24 inputs) and f16/bf16 -> f32 (every encoding),
    JIT-compiled for a baseline x86-64 CPU, where native casts would be
    library calls (or, with AVX512-BF16, flush subnormals)."""
    cpu = "x86-64" if os.uname().machine == "x86_64" else None
    got = run_function(tmp_path, tensor_cast_function("f32", half), "f32",
                       f32_inputs, cpu=cpu)
    assert_wide_equal(f32_inputs, got, as_type(f32_inputs, half), half,
                      f"f32 -> {half}")
    COUNTS[f"f32 -> {half}"] += f32_inputs.size
    inputs = all_16bit(half)
    got = run_function(tmp_path, tensor_cast_function(half, "f32"), half,
                       inputs, cpu=cpu)
    assert_wide_equal(inputs, got, inputs.astype(np.float32), "f32",
                      f"{half} -> f32")
    COUNTS[f"{half} -> f32"] += inputs.size


NARROW_PAIRS = [(a, b) for a in NARROW for b in NARROW if WIDTH[a] != WIDTH[b]]


@pytest.mark.parametrize("source,target", NARROW_PAIRS)
def test_narrow_to_narrow(tmp_path, source, target):
    inputs = all_encodings(source)
    got = run_function(tmp_path, tensor_cast_function(source, target), source, inputs)
    assert_narrow_equal(inputs, got, as_type(inputs, target), f"{source} -> {target}")
    COUNTS[f"{source} -> {target}"] += inputs.size


def test_inputs_cover_every_sign_and_exponent(f32_inputs):
    """The f32 input set is what the module docstring promises."""
    bits = f32_inputs.view(np.uint32)
    assert np.unique(bits).size == 1 << 24
    assert np.array_equal(np.unique(bits >> 23), np.arange(512))
