"""TMA descriptors from the manifest's `tensor_map` parameters.

A `tensor_map` parameter lists the arguments of cuTensorMapEncodeTiled
(dims and strides innermost first, enum values by their CUDA names). The
kernel takes a pointer to the 128-byte CUtensorMap in global memory, as
MLIR's own runtime (`mgpuTensorMapEncodeTiledMemref`) passes it: encode on
the host, copy the 128 bytes to a device buffer, pass that buffer.

A `tensor_map` with an `of` field (D's map of a GEMM with
`gemm-epilogue=tma-store`) describes the memory of another parameter, the
output named there: it takes no argument of its own, the harness encodes it
over that parameter's device memory.
"""

import ctypes

import numpy as np

from ._driver import GPUError, check, driver
from .memory import DeviceBuffer

__all__ = ["TENSOR_MAP_BYTES", "encode_tensor_map", "tensor_map_buffer",
           "tensor_map_nbytes"]

#: sizeof(CUtensorMap).
TENSOR_MAP_BYTES = 128

#: Bytes per element of the data types the manifest uses.
DATA_TYPE_BYTES = {
    "CU_TENSOR_MAP_DATA_TYPE_UINT8": 1,
    "CU_TENSOR_MAP_DATA_TYPE_FLOAT16": 2,
    "CU_TENSOR_MAP_DATA_TYPE_BFLOAT16": 2,
    "CU_TENSOR_MAP_DATA_TYPE_FLOAT32": 4,
}


def _enum(enum_type, name, what):
    try:
        return getattr(enum_type, name)
    except AttributeError as error:
        raise GPUError(f"unknown {what} {name!r} in the manifest") from error


def tensor_map_nbytes(spec):
    """Bytes of the tensor the descriptor `spec` covers (outermost dim times
    its stride)."""
    dims, strides = spec["global_dim"], spec["global_strides_bytes"]
    element = DATA_TYPE_BYTES.get(spec["data_type"])
    if element is None:
        raise GPUError(f"tensor map {spec['name']!r}: data type "
                       f"{spec['data_type']} is not supported by the harness")
    if len(dims) != spec["rank"] or len(strides) != spec["rank"] - 1:
        raise GPUError(f"tensor map {spec['name']!r}: rank {spec['rank']} with "
                       f"{len(dims)} dims and {len(strides)} strides")
    if strides and strides[0] != dims[0] * element:
        raise GPUError(f"tensor map {spec['name']!r}: rows of {dims[0]} "
                       f"elements of {element} bytes with a stride of "
                       f"{strides[0]} bytes (the manifest's maps are dense)")
    return dims[-1] * strides[-1] if strides else dims[0] * element


def encode_tensor_map(spec, pointer):
    """cuTensorMapEncodeTiled for the manifest parameter `spec` over device
    memory at `pointer`; returns the 128 descriptor bytes."""
    cu = driver()
    if pointer % 16:
        raise GPUError(f"tensor map {spec['name']!r}: the global address "
                       f"0x{pointer:x} is not 16-byte aligned")
    tensor_map = check(cu.cuTensorMapEncodeTiled(
        _enum(cu.CUtensorMapDataType, spec["data_type"], "data type"),
        spec["rank"],
        pointer,
        [cu.cuuint64_t(d) for d in spec["global_dim"]],
        [cu.cuuint64_t(s) for s in spec["global_strides_bytes"]],
        [cu.cuuint32_t(b) for b in spec["box_dim"]],
        [cu.cuuint32_t(e) for e in spec["element_strides"]],
        _enum(cu.CUtensorMapInterleave, spec["interleave"], "interleave"),
        _enum(cu.CUtensorMapSwizzle, spec["swizzle"], "swizzle"),
        _enum(cu.CUtensorMapL2promotion, spec["l2_promotion"], "L2 promotion"),
        _enum(cu.CUtensorMapFloatOOBfill, spec["oob_fill"], "OOB fill"),
    ), f"cuTensorMapEncodeTiled({spec['name']})")
    return ctypes.string_at(tensor_map.getPtr(), TENSOR_MAP_BYTES)


def tensor_map_buffer(spec, pointer):
    """A device buffer holding the descriptor of `spec` over `pointer`: what
    the kernel's parameter points to."""
    descriptor = np.frombuffer(encode_tensor_map(spec, pointer), np.uint8)
    return DeviceBuffer.from_array(descriptor)
