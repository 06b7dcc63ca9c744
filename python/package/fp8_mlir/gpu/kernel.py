"""Loading and launching one kernel of the manifest.

    binaries, manifest = fp8_mlir.ptx.read("out/")
    spec = manifest["kernels"][0]
    kernel = load(binaries[spec["module"]], spec)
    (q,) = kernel.launch(x, scale)          # numpy in, numpy out

(or `load(ptx, spec)` with the whole text fp8_mlir.to_ptx returns).

Arguments follow the manifest's parameter list (PTX order), one per
parameter, positionally or by name; outputs may be left out (or None) and
are allocated. Each argument is either host data (a numpy/ml_dtypes array
or scalar: copied to a fresh device buffer, outputs copied back) or device
memory used in place (a DeviceBuffer, a contiguous CUDA torch tensor, an
object with `__cuda_array_interface__`). A `tensor_map` parameter takes the
tensor it describes; the harness encodes the TMA descriptor over it. A
`tensor_map` naming another parameter in `of` (a GEMM's D with the
TMA-store epilogue) takes no argument: it is encoded over that parameter's
memory.
"""

import ctypes
import math
import time as _time

import numpy as np

from ._driver import GPUError, GPUTimeoutError, check, driver
from .device import default_device
from .memory import DeviceBuffer, device_pointer, manifest_dtype
from .runtime_sizes import has_runtime_rows, rows_from_arrays, specialize
from .tensor_map import tensor_map_buffer, tensor_map_nbytes
from ..ptx import ExtractError, select

__all__ = ["Kernel", "BoundArguments", "load", "synchronize"]

#: Buffers of launches that timed out (a kernel may still be using them).
_abandoned = []

#: Dynamic shared memory a kernel gets without opting in.
DEFAULT_DYNAMIC_SHARED_MEMORY = 48 * 1024


def _as_stream(stream):
    cu = driver()
    if stream is None:
        return cu.CUstream(0)
    if isinstance(stream, int):
        return cu.CUstream(stream)
    return stream


def synchronize(stream=None, timeout=None, what="the GPU"):
    """Waits for the work queued on `stream` (default: the whole context).
    With `timeout` (seconds) it polls an event instead of blocking, and
    raises GPUTimeoutError when the work is still running by then."""
    cu = driver()
    if timeout is None:
        if stream is None:
            check(cu.cuCtxSynchronize(), "cuCtxSynchronize")
        else:
            check(cu.cuStreamSynchronize(_as_stream(stream)),
                  "cuStreamSynchronize")
        return
    event = check(cu.cuEventCreate(0), "cuEventCreate")
    try:
        check(cu.cuEventRecord(event, _as_stream(stream)), "cuEventRecord")
        deadline = _time.monotonic() + timeout
        while True:
            status = cu.cuEventQuery(event)[0]
            if status == cu.CUresult.CUDA_SUCCESS:
                return
            if status != cu.CUresult.CUDA_ERROR_NOT_READY:
                check(status, f"waiting for {what}")
            if _time.monotonic() > deadline:
                raise GPUTimeoutError(f"{what} did not finish within "
                                      f"{timeout} s (a hung kernel?)")
            _time.sleep(0.001)
    finally:
        cu.cuEventDestroy(event)


def _load_module(binary, name):
    """cuModuleLoadData of PTX text (str) or a cubin (bytes); on failure the
    driver's JIT error log is part of the message."""
    cu = driver()
    image = (binary.encode() + b"\0") if isinstance(binary, str) else binary
    status, module = cu.cuModuleLoadData(image)
    if status == cu.CUresult.CUDA_SUCCESS:
        return module
    log = ""
    try:
        buffer = bytearray(16384)
        options = [cu.CUjit_option.CU_JIT_ERROR_LOG_BUFFER,
                   cu.CUjit_option.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES]
        cu.cuModuleLoadDataEx(image, len(options), options,
                              [buffer, len(buffer)])
        log = bytes(buffer).split(b"\0", 1)[0].decode(errors="replace")
    except Exception:  # noqa: BLE001 - the log is a bonus
        pass
    try:
        check(status, f"cuModuleLoadData({name})")
    except GPUError as error:
        raise GPUError(f"{error}\n{log}".rstrip()) from None


def _param_bytes(param):
    """Bytes the data of a parameter spans."""
    if param["kind"] == "tensor_map":
        return tensor_map_nbytes(param)
    count = math.prod(param["shape"])
    return count * manifest_dtype(param["dtype"]).itemsize


def _param_dtype(param):
    return manifest_dtype(param["element_type"] if param["kind"] == "tensor_map"
                          else param["dtype"])


def _host_array(value, param):
    """`value` as a C-contiguous host array of the parameter's dtype and
    element count (narrow types also from their unsigned bit patterns).
    Wider data is never rounded into an 8-bit (or narrower) float type:
    that would be a quantization without a scale."""
    dtype = _param_dtype(param)
    array = np.asarray(value)
    if array.dtype != dtype:
        if array.dtype.kind == "u" and array.dtype.itemsize == dtype.itemsize:
            array = array.view(dtype)
        elif dtype.itemsize == 1 and array.dtype.itemsize > 1:
            raise GPUError(f"parameter {param['name']!r} holds {dtype.name}; "
                           f"pass {dtype.name} data (or its uint8 bits), "
                           f"not {array.dtype.name}: rounding into it would "
                           "quantize without a scale")
        elif np.can_cast(array.dtype, dtype, casting="same_kind"):
            array = array.astype(dtype)
        else:
            raise GPUError(f"parameter {param['name']!r} holds {dtype.name}; "
                           f"cannot convert {array.dtype.name} data to it")
    expected = _param_bytes(param) // dtype.itemsize
    if array.size != expected:
        raise GPUError(f"parameter {param['name']!r} takes {expected} "
                       f"elements, got an array of shape {array.shape}")
    return np.ascontiguousarray(array).reshape(-1)


class BoundArguments:
    """The device memory of one set of arguments: kernel parameter values,
    buffers the harness owns, and where outputs go back to."""

    def __init__(self, kernel, values, rows=None):
        self.kernel = kernel
        # A kernel of dynamic shapes: the entry for these rows (grid, buffer
        # sizes and TMA dims computed from them; see runtime_sizes).
        spec = kernel.spec
        if has_runtime_rows(spec):
            if rows is None:
                rows = rows_from_arrays(spec, values)
            spec = specialize(spec, rows)
        self.grid = tuple(spec["grid"])
        self.pointers = []          # one device pointer per parameter
        self._owned = []            # DeviceBuffers freed by free()
        self._zero = []             # (pointer, nbytes) zeroed before a launch
        self._outputs = []          # (param, buffer or None, value)
        try:
            named = {}
            for param in spec["params"]:
                if param["kind"] == "tensor_map" and "of" in param:
                    self.pointers.append(self._bind_map_of(param, named))
                    continue
                pointer = self._bind(param, values.get(param["name"]))
                named[param["name"]] = pointer
                self.pointers.append(pointer)
        except BaseException:
            self.free()
            raise
        count = len(self.pointers)
        self._values = (ctypes.c_uint64 * count)(*self.pointers)
        base = ctypes.addressof(self._values)
        self._slots = (ctypes.c_void_p * count)(
            *[base + 8 * i for i in range(count)])

    def _bind(self, param, value):
        if param["kind"] == "rows":  # passed by value (an i64)
            return param["value"]
        nbytes = _param_bytes(param)
        output = param["kind"] == "buffer" and param["access"] == "write"
        device = device_pointer(value) if value is not None else None
        if device is not None:
            pointer, available = device
            if available < nbytes:
                raise GPUError(f"parameter {param['name']!r} needs {nbytes} "
                               f"bytes of device memory, got {available}")
            buffer = None
        elif value is None:
            if not output:
                raise GPUError(f"no argument for input parameter "
                               f"{param['name']!r}")
            buffer = DeviceBuffer(nbytes)
            self._owned.append(buffer)
            pointer = buffer.pointer
        else:
            host = _host_array(value, param)
            buffer = DeviceBuffer.from_array(host)
            self._owned.append(buffer)
            pointer = buffer.pointer
        if pointer % param.get("alignment", 16):
            raise GPUError(f"parameter {param['name']!r}: device address "
                           f"0x{pointer:x} is not {param.get('alignment', 16)}"
                           "-byte aligned")
        if param["kind"] == "tensor_map":
            descriptor = tensor_map_buffer(param, pointer)
            self._owned.append(descriptor)
            return descriptor.pointer
        if output:
            if param.get("zero_init"):
                self._zero.append((pointer, nbytes))
            self._outputs.append((param, buffer, value))
        return pointer

    def _bind_map_of(self, param, named):
        """The descriptor of `param` over the memory of the parameter its
        `of` names (bound before it)."""
        if param["of"] not in named:
            raise GPUError(f"tensor map {param['name']!r} describes "
                           f"{param['of']!r}, which no parameter before it "
                           "binds")
        descriptor = tensor_map_buffer(param, named[param["of"]])
        self._owned.append(descriptor)
        return descriptor.pointer

    @property
    def kernel_params(self):
        """The `void**` kernelParams of cuLaunchKernel (an address)."""
        return ctypes.addressof(self._slots)

    def zero_outputs(self, stream=None):
        """Zeroes the `zero_init` outputs (the amax accumulators)."""
        cu = driver()
        for pointer, nbytes in self._zero:
            check(cu.cuMemsetD8Async(pointer, 0, nbytes, _as_stream(stream)),
                  "cuMemsetD8Async")

    def results(self):
        """The outputs, in parameter order: host outputs copied back (into
        the array given, or a new 1-D array of the manifest's shape), device
        outputs as given."""
        results = []
        for param, buffer, value in self._outputs:
            if buffer is None:
                results.append(value)
                continue
            array = buffer.to_array(_param_dtype(param))
            if isinstance(value, np.ndarray):
                target = value
                if value.dtype != array.dtype:  # e.g. uint8 bits for FP8
                    target = value.view(array.dtype)
                np.copyto(target, array.reshape(target.shape), casting="no")
                array = value
            results.append(array)
        return tuple(results)

    def free(self):
        for buffer in self._owned:
            buffer.free()
        self._owned = []

    def abandon(self):
        """Keeps the owned buffers allocated forever: a hung kernel may
        still use them."""
        _abandoned.extend(self._owned)
        self._owned = []


class Kernel:
    """One kernel of the manifest, loaded into the current device."""

    def __init__(self, binary, spec, device=None):
        self.device = device or default_device()
        self.spec = spec
        self.name = spec["name"]
        self.params = spec["params"]
        self.grid = tuple(spec["grid"])
        self.block = tuple(spec["block"])
        self.cluster = tuple(spec.get("cluster", (1, 1, 1)))
        self.dynamic_shared_memory = int(spec.get("dynamic_shared_memory", 0))
        cu = driver()
        self.device.make_current()
        if isinstance(binary, str):  # to_ptx's text may hold several modules
            binary = select(binary, self.name)
        self.module = _load_module(binary, self.name)
        self.function = check(cu.cuModuleGetFunction(self.module,
                                                     self.name.encode()),
                              f"cuModuleGetFunction({self.name})")
        if self.dynamic_shared_memory > DEFAULT_DYNAMIC_SHARED_MEMORY:
            limit = self.device.max_shared_memory_per_block
            if self.dynamic_shared_memory > limit:
                raise GPUError(f"{self.name} needs {self.dynamic_shared_memory}"
                               f" bytes of dynamic shared memory; "
                               f"{self.device.name} allows {limit}")
            check(cu.cuFuncSetAttribute(
                self.function,
                cu.CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                self.dynamic_shared_memory),
                f"cuFuncSetAttribute({self.name}, max dynamic shared memory)")

    @property
    def arguments(self):
        """The parameters that take an argument (not the maps encoded over
        another parameter's memory, nor the row count passed by value)."""
        return [p for p in self.params
                if p["kind"] != "rows"
                and not (p["kind"] == "tensor_map" and "of" in p)]

    @property
    def inputs(self):
        return [p for p in self.arguments
                if not (p["kind"] == "buffer" and p["access"] == "write")]

    @property
    def outputs(self):
        return [p for p in self.params
                if p["kind"] == "buffer" and p["access"] == "write"]

    def bind(self, *args, rows=None, **named):
        """BoundArguments for `args` (one per parameter, or one per input)
        and `named` (by parameter name). A kernel of dynamic shapes takes
        its row count from `rows`, else from the input the manifest names."""
        names = [p["name"] for p in self.arguments]
        if len(args) == len(names):
            values = dict(zip(names, args))
        elif len(args) <= len(self.inputs):
            values = dict(zip([p["name"] for p in self.inputs], args))
        else:
            raise GPUError(f"{self.name} takes {len(names)} arguments "
                           f"({', '.join(names)}), {len(args)} given")
        for name, value in named.items():
            if name not in names:
                raise GPUError(f"{self.name} has no parameter {name!r} "
                               f"(it has {', '.join(names)})")
            if name in values:
                raise GPUError(f"argument {name!r} given twice")
            values[name] = value
        return BoundArguments(self, values, rows)

    def enqueue(self, bound, stream=None):
        """Launches with `bound` arguments on `stream` (asynchronously)."""
        cu = driver()
        stream = _as_stream(stream)
        if self.cluster == (1, 1, 1):
            check(cu.cuLaunchKernel(self.function, *bound.grid, *self.block,
                                    self.dynamic_shared_memory, stream,
                                    bound.kernel_params, 0),
                  f"cuLaunchKernel({self.name})")
            return
        config = cu.CUlaunchConfig()
        config.gridDimX, config.gridDimY, config.gridDimZ = bound.grid
        config.blockDimX, config.blockDimY, config.blockDimZ = self.block
        config.sharedMemBytes = self.dynamic_shared_memory
        config.hStream = stream
        attribute = cu.CUlaunchAttribute()
        attribute.id = cu.CUlaunchAttributeID.CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION
        cluster = attribute.value.clusterDim
        cluster.x, cluster.y, cluster.z = self.cluster
        config.attrs = [attribute]
        config.numAttrs = 1
        check(cu.cuLaunchKernelEx(config, self.function, bound.kernel_params, 0),
              f"cuLaunchKernelEx({self.name})")

    def launch(self, *args, stream=None, timeout=None, rows=None, **named):
        """Binds the arguments, zeroes `zero_init` outputs, launches, waits
        (at most `timeout` seconds when given, see `synchronize`), and
        returns the outputs (see BoundArguments.results)."""
        bound = self.bind(*args, rows=rows, **named)
        try:
            bound.zero_outputs(stream)
            self.enqueue(bound, stream)
            synchronize(stream, timeout, self.name)
            return bound.results()
        except GPUTimeoutError:
            bound.abandon()
            raise
        finally:
            bound.free()

    def __repr__(self):
        return (f"Kernel({self.name}, grid={self.grid}, block={self.block}, "
                f"smem={self.dynamic_shared_memory})")


def load(binary, spec, device=None):
    """The kernel `spec` (one entry of manifest["kernels"]) from PTX text (its
    module, or all of fp8_mlir.to_ptx's) or its cubin bytes `binary`."""
    try:
        return Kernel(binary, spec, device)
    except ExtractError as error:
        raise GPUError(str(error)) from error
