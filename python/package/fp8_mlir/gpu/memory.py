"""Device memory: buffers, host <-> device copies, and the dtypes of the
manifest.

Buffers come from cuMemAlloc (256-byte aligned, so the kernels' 16-byte
vector accesses and TMA's 16-byte base alignment hold). Device memory that
another library owns (a CUDA torch tensor, anything with
`__cuda_array_interface__`) can be passed in place of a buffer.
"""

import ml_dtypes
import numpy as np

from ._driver import GPUError, check, driver

__all__ = ["DeviceBuffer", "device_pointer", "manifest_dtype"]


def manifest_dtype(name):
    """The numpy dtype of a manifest `dtype` / `element_type` name
    ("float32", "bfloat16", "float8_e4m3fn", ...)."""
    if hasattr(ml_dtypes, name):
        return np.dtype(getattr(ml_dtypes, name))
    try:
        return np.dtype(name)
    except TypeError as error:
        raise GPUError(f"unknown dtype {name!r} in the manifest") from error


class DeviceBuffer:
    """`nbytes` of device memory, freed by `free()` or when collected.

        buffer = DeviceBuffer.from_array(x)
        y = buffer.to_array(np.float32, x.shape)
    """

    def __init__(self, nbytes):
        self.nbytes = int(nbytes)
        self.pointer = 0
        # cuMemAlloc rejects 0 bytes; keep one allocation per buffer anyway.
        pointer = check(driver().cuMemAlloc(max(self.nbytes, 1)), "cuMemAlloc")
        self.pointer = int(pointer)

    @classmethod
    def from_array(cls, array, stream=None):
        """A buffer holding a copy of the (C-contiguous) `array`'s bytes."""
        array = np.ascontiguousarray(array)
        buffer = cls(array.nbytes)
        buffer.upload(array, stream)
        return buffer

    def upload(self, array, stream=None):
        """Copies the host `array`'s bytes into the start of this buffer."""
        array = np.ascontiguousarray(array)
        if array.nbytes > self.nbytes:
            raise GPUError(f"{array.nbytes} bytes do not fit a buffer of "
                           f"{self.nbytes}")
        if array.nbytes == 0:
            return
        cu = driver()
        if stream is None:
            check(cu.cuMemcpyHtoD(self.pointer, array.ctypes.data,
                                  array.nbytes), "cuMemcpyHtoD")
        else:
            check(cu.cuMemcpyHtoDAsync(self.pointer, array.ctypes.data,
                                       array.nbytes, stream),
                  "cuMemcpyHtoDAsync")
            check(cu.cuStreamSynchronize(stream), "cuStreamSynchronize")

    def to_array(self, dtype, shape=None):
        """The buffer's bytes as a new host array of `dtype` (and `shape`)."""
        dtype = np.dtype(dtype)
        count = self.nbytes // dtype.itemsize
        array = np.empty(count, dtype=dtype)
        if array.nbytes:
            check(driver().cuMemcpyDtoH(array.ctypes.data, self.pointer,
                                        array.nbytes), "cuMemcpyDtoH")
        return array if shape is None else array.reshape(shape)

    def zero(self, stream=None):
        """Sets every byte to 0 (asynchronously on `stream` when given)."""
        cu = driver()
        if stream is None:
            check(cu.cuMemsetD8(self.pointer, 0, self.nbytes), "cuMemsetD8")
        else:
            check(cu.cuMemsetD8Async(self.pointer, 0, self.nbytes, stream),
                  "cuMemsetD8Async")

    def free(self):
        if self.pointer:
            pointer, self.pointer = self.pointer, 0
            check(driver().cuMemFree(pointer), "cuMemFree")

    def __del__(self):
        try:
            self.free()
        except Exception:  # noqa: BLE001 - the context may be gone at exit
            pass

    def __repr__(self):
        return f"DeviceBuffer(0x{self.pointer:x}, {self.nbytes} bytes)"


def device_pointer(value):
    """(pointer, nbytes) of device memory `value` refers to, or None when it
    is host data: a DeviceBuffer, a CUDA torch tensor (contiguous), or an
    object with `__cuda_array_interface__` (C-contiguous)."""
    if isinstance(value, DeviceBuffer):
        return value.pointer, value.nbytes
    if _is_cuda_tensor(value):
        # Before __cuda_array_interface__: torch raises for bf16/fp8 there.
        if not value.is_contiguous():
            raise GPUError("device tensors passed to a kernel must be "
                           "contiguous")
        return int(value.data_ptr()), value.numel() * value.element_size()
    try:
        interface = value.__cuda_array_interface__
    except Exception:  # noqa: BLE001 - host data (numpy, lists, scalars)
        return None
    itemsize = np.dtype(interface["typestr"]).itemsize
    shape = tuple(interface["shape"])
    strides = interface.get("strides")
    if strides is not None and tuple(strides) != _contiguous_strides(shape, itemsize):
        raise GPUError("device arrays passed to a kernel must be C-contiguous")
    count = int(np.prod(shape, dtype=np.int64))
    return int(interface["data"][0]), count * itemsize


def _is_cuda_tensor(value):
    return (callable(getattr(value, "data_ptr", None))
            and getattr(value, "is_cuda", False))


def _contiguous_strides(shape, itemsize):
    strides, step = [], itemsize
    for extent in reversed(shape):
        strides.append(step)
        step *= extent
    return tuple(reversed(strides))
