"""fp8-mlir from Python.

    import fp8_mlir
    ir = fp8_mlir.compile(model_ir, "fp8-quantize-pipeline{recipe=tensorwise}")
    outputs = fp8_mlir.run(ir, "mlp", x, w1, b1, w2, b2)   # numpy in and out
    ptx, manifest = fp8_mlir.to_ptx(model_ir, chip="sm_90a", recipe="tensorwise")

Errors MLIR reports arrive as fp8_mlir.MLIRError carrying the diagnostics.
FP8/FP6/FP4/E8M0 and bf16 arrays are ml_dtypes arrays.
"""

import numpy as np

from . import _fp8_mlir
from ._dtypes import dtype_for_element_type
from ._fp8_mlir import MLIRError

__all__ = ["MLIRError", "compile", "run", "to_ptx"]


def compile(ir: str, pipeline: str) -> str:
    """Run `pipeline` (as `mlir-opt --pass-pipeline` takes it, with or without
    the `builtin.module(...)` wrapper) on `ir`; returns the resulting IR."""
    return _fp8_mlir.compile(ir, pipeline)


def run(ir: str, entry: str, *arrays):
    """Compile `ir` with --fp8-cpu-pipeline and call @entry on `arrays`.

    Each array is converted to its argument's element type where numpy can
    do so exactly (e.g. a float32 array for an f32 argument); narrow-float
    arguments take ml_dtypes arrays of that type (or uint8 bit patterns).
    Returns the results as numpy/ml_dtypes arrays."""
    element_types = _fp8_mlir.argument_element_types(ir, entry)
    if len(arrays) != len(element_types):
        raise MLIRError(f"@{entry} takes {len(element_types)} arguments, "
                        f"{len(arrays)} given")
    inputs = []
    for index, (array, element_type) in enumerate(zip(arrays, element_types)):
        dtype = dtype_for_element_type(element_type)
        array = np.asarray(array)
        if array.dtype != dtype:
            if array.dtype == np.uint8 and dtype.itemsize == 1:
                array = array.view(dtype)
            elif np.can_cast(array.dtype, dtype, casting="same_kind"):
                array = array.astype(dtype)
            else:
                raise MLIRError(f"argument {index} of @{entry} is {element_type}"
                                f"; cannot convert {array.dtype} data to it")
        if not array.flags.c_contiguous:  # (ascontiguousarray makes 0-d 1-d)
            array = array.copy(order="C")
        inputs.append((list(array.shape), array.tobytes()))
    results = []
    for element_type, shape, data in _fp8_mlir.run(ir, entry, inputs):
        dtype = dtype_for_element_type(element_type)
        results.append(np.frombuffer(data, dtype=dtype).reshape(shape).copy())
    return results


def to_ptx(ir: str, chip: str = "sm_90a", recipe: str = "tensorwise"):
    """Quantize `ir` with `recipe`, compile it with --fp8-gpu-pipeline for
    `chip`, and return (ptx, manifest): the PTX text of all kernels and the
    kernel manifest (a dict, see docs/gpu-pipeline.md)."""
    from . import ptx as _ptx

    quantized = compile(ir, f"fp8-quantize-pipeline{{recipe={recipe}}}")
    gpu_ir = compile(quantized, f"fp8-gpu-pipeline{{chip={chip}}}")
    return _ptx.extract(gpu_ir)
