"""numpy/ml_dtypes dtypes of MLIR element types (as MLIR prints them), and
the rules by which `fp8_mlir.run` converts an argument to its parameter's
dtype (docs/run-arguments.md)."""

import math

import ml_dtypes
import numpy as np

_DTYPES = {
    "f64": np.dtype(np.float64),
    "f32": np.dtype(np.float32),
    "f16": np.dtype(np.float16),
    "bf16": np.dtype(ml_dtypes.bfloat16),
    "f8E4M3FN": np.dtype(ml_dtypes.float8_e4m3fn),
    "f8E5M2": np.dtype(ml_dtypes.float8_e5m2),
    "f8E8M0FNU": np.dtype(ml_dtypes.float8_e8m0fnu),
    "f6E2M3FN": np.dtype(ml_dtypes.float6_e2m3fn),
    "f6E3M2FN": np.dtype(ml_dtypes.float6_e3m2fn),
    "f4E2M1FN": np.dtype(ml_dtypes.float4_e2m1fn),
    "i1": np.dtype(np.bool_),
    "i8": np.dtype(np.int8),
    "i16": np.dtype(np.int16),
    "i32": np.dtype(np.int32),
    "i64": np.dtype(np.int64),
    "index": np.dtype(np.int64),
}

#: The `cast` modes of fp8_mlir.run.
CAST_MODES = ("safe", "bits", "unsafe")

#: The `fp4` storage modes of fp8_mlir.run: one FP4 value per byte, or two.
FP4_MODES = ("unpacked", "packed")

#: Unsigned integer dtypes that hold bit patterns, by item size.
_BIT_PATTERN_DTYPES = {1: np.dtype(np.uint8), 2: np.dtype(np.uint16)}


class Refused(Exception):
    """A conversion the rules do not allow; the message says why."""


def dtype_for_element_type(element_type: str) -> np.dtype:
    try:
        return _DTYPES[element_type]
    except KeyError:
        raise TypeError(f"no numpy dtype for MLIR element type {element_type}")


def _is_ml_dtype(dtype: np.dtype) -> bool:
    """Whether `dtype` comes from ml_dtypes (bf16, FP8/FP6/FP4/E8M0, int4...)."""
    return dtype.type.__module__.split(".")[0] == "ml_dtypes"


def _is_float(dtype: np.dtype) -> bool:
    """Whether `dtype` is a numpy or ml_dtypes floating-point type."""
    if dtype.kind == "f":
        return True
    try:
        ml_dtypes.finfo(dtype)
    except (TypeError, ValueError):
        return False
    return _is_ml_dtype(dtype)


def is_lossless(source: np.dtype, target: np.dtype) -> bool:
    """Whether every value of dtype `source` converts exactly to `target`.

    numpy's "safe" casting, except where it loses values: integers wider than
    a float's significand (int64 -> float64), and ml_dtypes' integer and bool
    casts to narrow floats (which it calls safe: int8 -> float4_e2m1fn).
    Between ml_dtypes types only float -> float casts that ml_dtypes calls
    safe are lossless (float8_e4m3fn -> bfloat16, float4_e2m1fn -> float8_*).
    """
    if source == target:
        return True
    if _is_ml_dtype(source) or _is_ml_dtype(target):
        return _is_float(source) and np.can_cast(source, target, "safe")
    if not np.can_cast(source, target, "safe"):
        return False
    if source.kind in "iu" and target.kind == "f":
        return source.itemsize * 8 <= np.finfo(target).nmant + 1
    return True


def _is_narrow_float(dtype: np.dtype) -> bool:
    """bf16, FP8, FP6, FP4, E8M0: the types that bit patterns may stand for."""
    return _is_ml_dtype(dtype) and _is_float(dtype)


def _convert_bits(array: np.ndarray, target: np.dtype) -> np.ndarray:
    """`array` (uint8 or uint16 bit patterns) viewed as `target`."""
    pattern = _BIT_PATTERN_DTYPES[target.itemsize]
    if array.dtype != pattern:
        raise Refused(f"cast=\"bits\" takes {target} data or {pattern} bit "
                      f"patterns, not {array.dtype} data")
    bits = ml_dtypes.finfo(target).bits
    if bits < 8 * target.itemsize and array.size and array.max() >> bits:
        raise Refused(f"{target} has {bits} bits; the bit pattern "
                      f"{int(array.max()):#x} does not fit them")
    return array.view(target)


def _python_scalar_kind(value):
    """0, 1, 2 for a Python bool, int, float (not a numpy scalar); else None."""
    if isinstance(value, np.generic):
        return None
    for kind, python_type in enumerate((bool, int, float)):
        if isinstance(value, python_type):
            return kind
    return None


def _convert_scalar(value, kind: int, target: np.dtype) -> np.ndarray:
    """A Python bool/int/float as a 0-d array of `target`, if its value is
    exactly representable there and `target` is of the same or a wider kind
    (bool -> integer -> float)."""
    target_kind = (0 if target.kind == "b" else 1 if target.kind in "iu"
                   else 2 if _is_float(target) else None)
    if target_kind is None or target_kind < kind:
        raise Refused(f"a Python {type(value).__name__} does not convert to "
                      f"{target}")
    if target_kind < 2:  # bool -> bool, bool or int -> integer
        info = np.iinfo(target) if target_kind == 1 else None
        if info is None or info.min <= value <= info.max:
            return np.array(value, dtype=target)
    else:
        try:
            wide = float(value)
        except OverflowError:
            wide = None
        if wide is not None and (kind == 2 or int(wide) == value):
            with np.errstate(all="ignore"):
                converted = np.array(wide).astype(target)
            back = float(converted)
            if (back == wide and math.copysign(1, back) == math.copysign(1, wide)
                    or math.isnan(back) and math.isnan(wide)):
                return converted
    raise Refused(f"the value {value!r} is not exactly representable in "
                  f"{target}")


def convert_argument(value, target: np.dtype, cast: str) -> np.ndarray:
    """`value` as an array of dtype `target`, by the rules of `cast`:

    - "safe": arrays of dtype `target`, or of a dtype that converts to it
      without loss (is_lossless); Python scalars whose value converts exactly;
    - "bits": as "safe", but a bf16/FP8/FP6/FP4/E8M0 parameter takes only its
      ml_dtypes dtype or uint8 (uint16 for bf16) bit patterns;
    - "unsafe": numpy's ``astype(target)``, whatever it loses.

    Raises Refused (with the reason) for anything else. `cast` is one of
    CAST_MODES."""
    if cast == "unsafe":
        try:
            return np.asarray(value).astype(target)
        except (TypeError, ValueError, OverflowError) as error:
            raise Refused(f"numpy cannot convert it: {error}") from None
    kind = _python_scalar_kind(value)
    if cast == "bits" and _is_narrow_float(target):
        array = np.asarray(value)
        if array.dtype == target:
            return array
        if kind is not None:
            raise Refused(f"cast=\"bits\" takes {target} data or "
                          f"{_BIT_PATTERN_DTYPES[target.itemsize]} bit "
                          f"patterns, not a Python {type(value).__name__}")
        return _convert_bits(array, target)
    if kind is not None:
        return _convert_scalar(value, kind, target)
    array = np.asarray(value)
    if array.dtype == target:
        return array
    if is_lossless(array.dtype, target):
        with np.errstate(invalid="ignore"):  # ml_dtypes warns on bf16 NaN
            return array.astype(target)
    hint = ""
    if _is_narrow_float(target) and array.dtype.kind == "u" and \
            array.dtype.itemsize == target.itemsize:
        hint = "; for bit patterns pass cast=\"bits\""
    raise Refused(f"{array.dtype} data does not convert to {target} without "
                  f"loss{hint}; convert it first, or pass cast=\"unsafe\" for "
                  "numpy's astype conversion")


def unpack_fp4(value) -> np.ndarray:
    """uint8 bytes holding two FP4 values each along the last dimension
    (element 2i in the low nibble, 2i + 1 in the high one: torchao's
    pack_uint4) as a float4_e2m1fn array whose last dimension is twice as
    long."""
    packed = np.asarray(value)
    if packed.dtype != np.uint8 or packed.ndim == 0:
        raise Refused(f"fp4=\"packed\" takes uint8 arrays of rank >= 1 "
                      f"(two FP4 values per byte), not {packed.dtype} data "
                      f"of rank {packed.ndim}")
    pairs = np.stack([packed & 0xF, packed >> 4], axis=-1)
    shape = packed.shape[:-1] + (2 * packed.shape[-1],)
    return pairs.reshape(shape).view(ml_dtypes.float4_e2m1fn)


def pack_fp4(values: np.ndarray) -> np.ndarray:
    """A float4_e2m1fn array with an even last dimension as uint8 bytes, two
    values each (the inverse of unpack_fp4)."""
    if values.ndim == 0 or values.shape[-1] % 2:
        raise Refused(f"an FP4 result of shape {list(values.shape)} does not "
                      "pack two values per byte: its last dimension is odd")
    codes = values.view(np.uint8) & 0xF
    return (codes[..., 0::2] | (codes[..., 1::2] << 4)).astype(np.uint8)
