"""How fp8_mlir.run converts its arguments: one test per row of the table in
docs/run-arguments.md (and a check that the table and ROWS agree), the
losslessness of the conversions it calls lossless, and the shape checks of
the extension."""

import math
import re
import textwrap
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest

fp8_mlir = pytest.importorskip(
    "fp8_mlir", reason="fp8_mlir is not built (PYTHONPATH=<build>/python_packages)")
if not fp8_mlir.has_compiler():
    pytest.skip("fp8_mlir's compiled extension is not importable",
                allow_module_level=True)

from fp8_mlir._dtypes import dtype_for_element_type, is_lossless  # noqa: E402

DOC = Path(__file__).resolve().parents[2] / "docs" / "run-arguments.md"

#: (argument, parameter element type, cast, outcome, received, note).
#: `argument` and `received` are Python expressions (over np, ml_dtypes, nan,
#: inf) shown as written in the doc's table; `received` is what @f gets.
#: Outcomes: accepted (its dtype), converted (exactly), bits (bit patterns
#: reinterpreted), lossy (numpy's astype), raises (ArgumentError).
ROWS = [
    # cast="safe" (the default): the parameter's dtype or a lossless cast.
    ("np.float32([1.5, -2])", "f32", "safe", "accepted", "[1.5, -2.0]", ""),
    ("np.array([0.5, -448], ml_dtypes.float8_e4m3fn)", "f8E4M3FN", "safe",
     "accepted", "[0.5, -448.0]", ""),
    ("np.array([1, 3], ml_dtypes.bfloat16)", "bf16", "safe", "accepted",
     "[1.0, 3.0]", ""),
    ("np.array([True, False])", "i1", "safe", "accepted", "[True, False]", ""),
    ("np.int64([-1, 2**40])", "index", "safe", "accepted", "[-1, 2**40]", ""),
    ("np.float16([0.5, 65504])", "f32", "safe", "converted", "[0.5, 65504.0]",
     ""),
    ("np.float32([0.25, 3e38])", "f64", "safe", "converted",
     "[0.25, float(np.float32(3e38))]", ""),
    ("np.int8([-128, 127])", "i32", "safe", "converted", "[-128, 127]", ""),
    ("np.uint8([0, 255])", "i16", "safe", "converted", "[0, 255]", ""),
    ("np.int16([-32768, 32767])", "f32", "safe", "converted",
     "[-32768.0, 32767.0]", "16 bits fit f32's 24-bit significand"),
    ("np.int32([-2**31, 2**31 - 1])", "f64", "safe", "converted",
     "[-2.0**31, 2.0**31 - 1]", ""),
    ("np.array([True, False])", "f32", "safe", "converted", "[1.0, 0.0]", ""),
    ("np.array([0.5, -448], ml_dtypes.float8_e4m3fn)", "f32", "safe",
     "converted", "[0.5, -448.0]", ""),
    ("np.array([57344, inf], ml_dtypes.float8_e5m2)", "bf16", "safe",
     "converted", "[57344.0, inf]", ""),
    ("np.array([6, -0.5], ml_dtypes.float4_e2m1fn)", "f8E4M3FN", "safe",
     "converted", "[6.0, -0.5]", ""),
    ("np.int64([300, -200])", "i8", "safe", "raises", None,
     "used to arrive as [44, 56]"),
    ("np.float32([500, 1000])", "f8E4M3FN", "safe", "raises", None,
     "used to arrive as NaN"),
    ("np.float64(1e300)", "f32", "safe", "raises", None,
     "used to arrive as inf, with a numpy warning"),
    ("np.int8([1, 2])", "f8E4M3FN", "safe", "raises", None,
     "integers never convert to narrow floats implicitly"),
    ("np.uint8([0x38, 0x40])", "f8E4M3FN", "safe", "raises", None,
     "bit patterns only with cast=\"bits\""),
    ("np.uint16([0x3F80])", "bf16", "safe", "raises", None,
     "bit patterns only with cast=\"bits\""),
    ("np.array([True, False])", "f8E8M0FNU", "safe", "raises", None,
     "E8M0 has no 0 (ml_dtypes calls it safe)"),
    ("np.float32([1.5])", "f16", "safe", "raises", None, ""),
    ("np.float32([1.5])", "bf16", "safe", "raises", None, ""),
    ("np.float32([2.0])", "i32", "safe", "raises", None, "float to integer"),
    ("np.int32([2**24 + 1])", "f32", "safe", "raises", None, ""),
    ("np.int64([2**53 + 1])", "f64", "safe", "raises", None,
     "numpy calls int64 -> float64 safe"),
    ("np.uint8([200])", "i8", "safe", "raises", None, ""),
    ("np.int8([1])", "i1", "safe", "raises", None, ""),
    ("np.array([1], ml_dtypes.float8_e5m2)", "f8E4M3FN", "safe", "raises",
     None, ""),
    ("[1.0, 2.0]", "f32", "safe", "raises", None,
     "a list is np.asarray'd: float64"),
    # Python scalars: by value, to a parameter of the same or a wider kind.
    ("2.0", "f32", "safe", "converted", "2.0", ""),
    ("0.1", "f32", "safe", "raises", None, "not exactly representable"),
    ("448.0", "f8E4M3FN", "safe", "converted", "448.0", ""),
    ("1000.0", "f8E4M3FN", "safe", "raises", None, ""),
    ("nan", "f8E4M3FN", "safe", "converted", "nan", ""),
    ("-7", "i32", "safe", "converted", "-7", ""),
    ("300", "i8", "safe", "raises", None, ""),
    ("2**53 + 1", "f64", "safe", "raises", None, ""),
    ("2.0", "i32", "safe", "raises", None, "float to integer"),
    ("True", "i32", "safe", "converted", "1", ""),
    ("1", "i1", "safe", "raises", None, "integer to bool"),
    # cast="bits": narrow floats take their dtype or uint8/uint16 patterns.
    ("np.uint8([0x38, 0x7F])", "f8E4M3FN", "bits", "bits", "[1.0, nan]", ""),
    ("np.uint16([0x3F80, 0xC000])", "bf16", "bits", "bits", "[1.0, -2.0]",
     ""),
    ("np.uint8([0x0F, 0x01])", "f4E2M1FN", "bits", "bits", "[-6.0, 0.5]", ""),
    ("np.uint8([0x3F])", "f6E2M3FN", "bits", "bits", "[-7.5]", ""),
    ("np.uint8([0x10])", "f4E2M1FN", "bits", "raises", None,
     "FP4 patterns are 4 bits"),
    ("np.uint8([0x40])", "f6E3M2FN", "bits", "raises", None,
     "FP6 patterns are 6 bits"),
    ("np.array([0.5], ml_dtypes.float8_e4m3fn)", "f8E4M3FN", "bits",
     "accepted", "[0.5]", ""),
    ("np.int8([0x38])", "f8E4M3FN", "bits", "raises", None, "only uint8"),
    ("np.uint8([0x3F])", "bf16", "bits", "raises", None, "bf16 takes uint16"),
    ("np.float32([1.5])", "f8E4M3FN", "bits", "raises", None, ""),
    ("0x38", "f8E4M3FN", "bits", "raises", None, "pass np.uint8(0x38)"),
    ("np.uint8(0x38)", "f8E4M3FN", "bits", "bits", "1.0", ""),
    ("np.uint8([0, 255])", "i16", "bits", "converted", "[0, 255]",
     "other parameters: as cast=\"safe\""),
    # cast="unsafe": numpy's astype, whatever it loses.
    ("np.int64([300, -200])", "i8", "unsafe", "lossy", "[44, 56]", ""),
    ("np.float32([500, 1000])", "f8E4M3FN", "unsafe", "lossy", "[nan, nan]",
     ""),
    ("np.float64(1e300)", "f32", "unsafe", "lossy", "inf",
     "numpy warns: overflow encountered in cast"),
    ("np.uint8([0x38])", "f8E4M3FN", "unsafe", "lossy", "[56.0]",
     "by value, not bits"),
    ("0.1", "f32", "unsafe", "lossy", "float(np.float32(0.1))", ""),
]

NAMESPACE = {"np": np, "ml_dtypes": ml_dtypes, "nan": math.nan,
             "inf": math.inf}


def table_row(row):
    """The markdown line of `row` in docs/run-arguments.md."""
    argument, parameter, cast, outcome, received, note = row
    cells = [f"`{argument}`", f"`{parameter}`", f"`{cast}`", outcome,
             f"`{received}`" if received else "ArgumentError", note]
    return "|" + "".join(f" {cell} |" if cell else " |" for cell in cells)


def identity(element_type, rank):
    """IR of @f returning its argument, a tensor of `rank` dynamic dims."""
    tensor = f"tensor<{'?x' * rank}{element_type}>"
    return f"func.func @f(%x: {tensor}) -> {tensor} {{ return %x : {tensor} }}"


def test_table_in_docs_matches_rows():
    table = DOC.read_text().split("\n## The table\n")[1].split("\n## ")[0]
    documented = [line.strip() for line in table.splitlines()
                  if line.startswith("| `")]
    assert documented == [table_row(row) for row in ROWS]


@pytest.mark.parametrize("row", ROWS, ids=lambda row: "-".join(row[:3]))
def test_run_argument(row):
    argument, parameter, cast, outcome, received, _ = row
    value = eval(argument, NAMESPACE)  # a constant of ROWS
    dtype = dtype_for_element_type(parameter)
    ir = identity(parameter, np.ndim(value))
    if outcome == "raises":
        with pytest.raises(fp8_mlir.ArgumentError,
                           match=rf"argument 0 of @f is {parameter}: "):
            fp8_mlir.run(ir, "f", value, cast=cast)
        return
    if outcome == "accepted":
        assert np.asarray(value).dtype == dtype
    with np.errstate(over="ignore"):  # the row of numpy's overflow warning
        (result,) = fp8_mlir.run(ir, "f", value, cast=cast)
    expected = np.array(eval(received, NAMESPACE), dtype=dtype)
    assert result.dtype == dtype and result.shape == np.shape(value)
    pattern = np.dtype(f"u{dtype.itemsize}")
    np.testing.assert_array_equal(result.view(pattern), expected.view(pattern))
    if outcome in ("accepted", "converted"):  # and it is the argument's value
        np.testing.assert_array_equal(result.astype(np.float64),
                                      np.asarray(value, np.float64))
    if outcome == "bits":
        np.testing.assert_array_equal(result.view(pattern), value)


def test_argument_error_is_an_mlir_error_and_a_type_error():
    assert issubclass(fp8_mlir.ArgumentError, fp8_mlir.MLIRError)
    assert issubclass(fp8_mlir.ArgumentError, TypeError)


def test_unknown_cast_mode():
    with pytest.raises(ValueError, match="cast must be one of safe, bits, "
                                         "unsafe; got 'same_kind'"):
        fp8_mlir.run(identity("f32", 0), "f", np.float32(1), cast="same_kind")


def test_argument_count():
    with pytest.raises(fp8_mlir.ArgumentError,
                       match="@f takes 1 arguments, 2 given"):
        fp8_mlir.run(identity("f32", 1), "f", np.float32([1]),
                     np.float32([2]))


def test_non_contiguous_array_is_passed_in_row_major_order():
    x = np.arange(6, dtype=np.float32).reshape(2, 3).T  # a transposed view
    (result,) = fp8_mlir.run(identity("f32", 2), "f", x)
    np.testing.assert_array_equal(result, x)


# Every dtype the rules know about, for the exhaustive check below.
ALL_DTYPES = [np.dtype(name) for name in (
    "bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64",
    "uint64", "float16", "float32", "float64")] + [
    np.dtype(getattr(ml_dtypes, name)) for name in (
        "bfloat16", "float8_e4m3fn", "float8_e5m2", "float8_e8m0fnu",
        "float6_e2m3fn", "float6_e3m2fn", "float4_e2m1fn")]


def every_value(dtype):
    """Every value of a dtype of at most 2 bytes."""
    if dtype == np.bool_:
        return np.array([False, True])
    patterns = np.arange(1 << (8 * dtype.itemsize), dtype=f"u{dtype.itemsize}")
    if dtype.kind == "V":  # ml_dtypes: only the patterns of its bit width
        patterns = patterns[patterns < (1 << ml_dtypes.finfo(dtype).bits)]
    return patterns.view(dtype)


@pytest.mark.parametrize("source", [d for d in ALL_DTYPES if d.itemsize <= 2],
                         ids=str)
def test_lossless_casts_keep_every_value(source):
    """Each cast is_lossless allows from a dtype of 1 or 2 bytes keeps every
    value of it: it converts back bit for bit (NaN to NaN)."""
    values = every_value(source)
    for target in ALL_DTYPES:
        if not is_lossless(source, target):
            continue
        with np.errstate(invalid="ignore"):  # ml_dtypes warns on bf16 NaN
            back = values.astype(target).astype(source)
        if source.kind in "biu":
            np.testing.assert_array_equal(back, values, err_msg=str(target))
        else:
            nan = np.isnan(values.astype(np.float32))
            assert np.isnan(back[nan].astype(np.float32)).all(), target
            pattern = f"u{source.itemsize}"
            np.testing.assert_array_equal(
                back[~nan].view(pattern), values[~nan].view(pattern),
                err_msg=str(target))


def test_lossless_rule_refuses_numpys_lossy_safe_casts():
    """numpy (with ml_dtypes) calls these safe; they lose values."""
    for source, target in [(np.int64, np.float64), (np.uint64, np.float64),
                           (np.int8, ml_dtypes.float8_e4m3fn),
                           (np.uint8, ml_dtypes.bfloat16),
                           (np.bool_, ml_dtypes.float8_e8m0fnu)]:
        source, target = np.dtype(source), np.dtype(target)
        assert np.can_cast(source, target, "safe")
        assert not is_lossless(source, target), (source, target)


# --- the extension's own checks of (shape, bytes) inputs -------------------

SUM_ROWS = textwrap.dedent("""
    #id = affine_map<(i, j) -> (i, j)>
    func.func @f(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
      %r = linalg.generic {indexing_maps = [#id, #id],
                           iterator_types = ["parallel", "parallel"]}
          ins(%x : tensor<?x?xf32>) outs(%x : tensor<?x?xf32>) {
      ^bb0(%a: f32, %b: f32):
        %n = arith.negf %a : f32
        linalg.yield %n : f32
      } -> tensor<?x?xf32>
      return %r : tensor<?x?xf32>
    }
""")


@pytest.mark.parametrize("shape, size, message", [
    ([2**62, 4], 0, r"shape \[4611686018427387904, 4\]: f32 data of that "
                    r"shape overflows int64 bytes"),
    ([2**62, 4], 16, "overflows int64 bytes"),
    ([0, 2**62, 2**62], 0, "overflows int64 bytes"),
    ([-1, -4], 16, r"shape \[-1, -4\]: negative dimension"),
    ([3, 2], 16, r"shape \[3, 2\] holds 16 bytes; its 6 f32 elements take 24"),
])
def test_extension_rejects_bad_shapes(shape, size, message):
    """The private _fp8_mlir.run raises ValueError, instead of crashing, for
    a shape that does not describe its bytes."""
    with pytest.raises(ValueError, match=message):
        fp8_mlir._fp8_mlir.run(SUM_ROWS, "f", [(shape, bytes(size))])


def test_extension_accepts_empty_and_exact_shapes():
    ((_, shape, data),) = fp8_mlir._fp8_mlir.run(SUM_ROWS, "f", [([0, 4], b"")])
    assert shape == [0, 4] and data == b""
    x = np.float32([[1, -2], [3, 4]])
    ((element_type, shape, data),) = fp8_mlir._fp8_mlir.run(
        SUM_ROWS, "f", [([2, 2], x.tobytes())])
    assert element_type == "f32" and shape == [2, 2]
    np.testing.assert_array_equal(np.frombuffer(data, np.float32), -x.ravel())
