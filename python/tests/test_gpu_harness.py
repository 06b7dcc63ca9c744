"""fp8_mlir.gpu's host side against a simulated CUDA driver (runs anywhere).

The GPU tests (test_gpu_kernels.py) need a GPU; everything the harness does
around a launch does not: the argument binding, host <-> device copies,
TMA descriptor encoding from the manifest, the dynamic shared memory
opt-in, zeroing `zero_init` outputs, cluster launches, timing and cleanup.
FakeDriver below answers the cuda-python driver calls the harness makes,
with the same call shapes (result tuples, cuuint64_t/cuuint32_t lists for
cuTensorMapEncodeTiled, a `void**` address for kernelParams), keeps device
memory in host bytearrays, and "runs" a kernel by handing its decoded
parameters to a numpy emulation built on fp8_mlir_ref. The kernels are the
ones compiled ahead of time for the GPU tests.
"""

import ctypes
import enum
import json
import re
import struct
import sys
from types import SimpleNamespace

import ml_dtypes
import numpy as np
import pytest

import fp8_mlir_ref as ref
import gpu_cases
import gpu_testing
from fp8_mlir import gpu
from fp8_mlir.gpu.bench import cases as bench_cases
from fp8_mlir.gpu.bench import run as bench_run
from fp8_mlir.gpu import _driver, device as device_module
from fp8_mlir.gpu.gemm import scale_shape

# --- the simulated driver ----------------------------------------------------------


class CUresult(enum.IntEnum):
    CUDA_SUCCESS = 0
    CUDA_ERROR_INVALID_VALUE = 1
    CUDA_ERROR_INVALID_PTX = 218
    CUDA_ERROR_NOT_FOUND = 500
    CUDA_ERROR_NOT_READY = 600


def _enum(name, **members):
    return enum.IntEnum(name, members)


class _Wrapped:
    def __init__(self, value=0):
        self.value = int(value)

    def __int__(self):
        return self.value


class cuuint64_t(_Wrapped):
    pass


class cuuint32_t(_Wrapped):
    pass


class CUdeviceptr(_Wrapped):
    pass


class CUstream(_Wrapped):
    pass


class CUtensorMap:
    def __init__(self, payload):
        self._buffer = ctypes.create_string_buffer(payload.ljust(128, b"\0"), 128)

    def getPtr(self):
        return ctypes.addressof(self._buffer)


class CUlaunchConfig:
    attrs = ()
    numAttrs = 0


class CUlaunchAttribute:
    def __init__(self):
        self.id = None
        self.value = SimpleNamespace(
            clusterDim=SimpleNamespace(x=0, y=0, z=0))


class FakeDriver:
    """The subset of cuda.bindings.driver the harness uses."""

    CUresult = CUresult
    cuuint64_t, cuuint32_t, CUstream = cuuint64_t, cuuint32_t, CUstream
    CUlaunchConfig, CUlaunchAttribute = CUlaunchConfig, CUlaunchAttribute
    CUtensorMapDataType = _enum("CUtensorMapDataType",
                                CU_TENSOR_MAP_DATA_TYPE_UINT8=0,
                                CU_TENSOR_MAP_DATA_TYPE_FLOAT16=6,
                                CU_TENSOR_MAP_DATA_TYPE_FLOAT32=7,
                                CU_TENSOR_MAP_DATA_TYPE_BFLOAT16=9)
    CUtensorMapInterleave = _enum("CUtensorMapInterleave",
                                  CU_TENSOR_MAP_INTERLEAVE_NONE=0)
    CUtensorMapSwizzle = _enum("CUtensorMapSwizzle",
                               CU_TENSOR_MAP_SWIZZLE_NONE=0,
                               CU_TENSOR_MAP_SWIZZLE_128B=3)
    CUtensorMapL2promotion = _enum("CUtensorMapL2promotion",
                                   CU_TENSOR_MAP_L2_PROMOTION_NONE=0,
                                   CU_TENSOR_MAP_L2_PROMOTION_L2_64B=1,
                                   CU_TENSOR_MAP_L2_PROMOTION_L2_128B=2,
                                   CU_TENSOR_MAP_L2_PROMOTION_L2_256B=3)
    CUtensorMapFloatOOBfill = _enum("CUtensorMapFloatOOBfill",
                                    CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE=0)
    CUfunction_attribute = _enum(
        "CUfunction_attribute", CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES=8)
    CUdevice_attribute = _enum(
        "CUdevice_attribute", CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR=75,
        CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR=76,
        CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT=16,
        CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN=97)
    CUjit_option = _enum("CUjit_option", CU_JIT_ERROR_LOG_BUFFER=5,
                         CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES=6)
    CUlaunchAttributeID = _enum("CUlaunchAttributeID",
                                CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION=4)
    CUstreamCaptureMode = _enum("CUstreamCaptureMode",
                                CU_STREAM_CAPTURE_MODE_THREAD_LOCAL=1)

    OK = (CUresult.CUDA_SUCCESS,)

    def __init__(self, emulators=None):
        self.memory = {}            # start -> bytearray
        self.next_address = 0x7f0000000000
        self.modules = []           # PTX texts
        self.launches = []          # dicts
        self.function_attributes = {}
        self.tensor_maps = {}       # descriptor bytes -> encode arguments
        self.emulators = emulators or {}
        self.memsets = 0
        self.hung = False           # cuEventQuery never completes
        self.hang_if = None         # ... after a launch of a kernel it names
        self.streams = 0            # created and not destroyed
        self.capturing = None       # the stream being captured, or None
        self.captured = []          # deferred calls while capturing
        self.graphs = 0             # graphs and executables not destroyed
        self.capture_error = None   # cuStreamBeginCapture fails with it

    # -- streams and graphs --
    def cuStreamCreate(self, flags):
        self.streams += 1
        return CUresult.CUDA_SUCCESS, CUstream(0x5000 + self.streams)

    def cuStreamDestroy(self, stream):
        self.streams -= 1
        return self.OK

    def _capture(self, stream, call):
        """Defers `call` when `stream` is being captured; else runs it."""
        if self.capturing is not None and int(stream) == int(self.capturing):
            self.captured.append(call)
            return self.OK
        return call()

    def cuStreamBeginCapture(self, stream, mode):
        assert mode.name == "CU_STREAM_CAPTURE_MODE_THREAD_LOCAL"
        assert int(stream) != 0, "the legacy default stream cannot capture"
        if self.capture_error is not None:
            return (self.capture_error,)
        self.capturing, self.captured = stream, []
        return self.OK

    def cuStreamEndCapture(self, stream):
        assert int(stream) == int(self.capturing)
        graph, self.capturing, self.captured = list(self.captured), None, []
        self.graphs += 1
        return CUresult.CUDA_SUCCESS, graph

    def cuGraphInstantiate(self, graph, flags):
        self.graphs += 1
        return CUresult.CUDA_SUCCESS, ("exec", graph)

    def cuGraphUpload(self, graph_exec, stream):
        return self.OK

    def cuGraphLaunch(self, graph_exec, stream):
        for call in graph_exec[1]:
            call()
        return self.OK

    def cuGraphExecDestroy(self, graph_exec):
        self.graphs -= 1
        return self.OK

    def cuGraphDestroy(self, graph):
        self.graphs -= 1
        return self.OK

    # -- device and context --
    def cuInit(self, flags):
        return self.OK

    def cuDeviceGetCount(self):
        return CUresult.CUDA_SUCCESS, 1

    def cuDeviceGet(self, ordinal):
        return CUresult.CUDA_SUCCESS, ordinal

    def cuDevicePrimaryCtxRetain(self, device):
        return CUresult.CUDA_SUCCESS, "context"

    def cuCtxSetCurrent(self, context):
        return self.OK

    def cuDeviceGetName(self, length, device):
        return CUresult.CUDA_SUCCESS, b"Simulated H200".ljust(length, b"\0")

    def cuDeviceGetAttribute(self, attribute, device):
        values = {75: 9, 76: 0, 16: 132, 97: 232448}
        return CUresult.CUDA_SUCCESS, values[int(attribute)]

    def cuCtxSynchronize(self):
        return self.OK

    def cuStreamSynchronize(self, stream):
        assert isinstance(stream, CUstream)
        return self.OK

    def cuGetErrorName(self, result):
        return CUresult.CUDA_SUCCESS, CUresult(result).name.encode()

    def cuGetErrorString(self, result):
        return CUresult.CUDA_SUCCESS, b"simulated failure"

    # -- memory --
    def cuMemAlloc(self, nbytes):
        assert nbytes > 0
        address = self.next_address
        self.next_address += (nbytes + 255) // 256 * 256 + 256
        self.memory[address] = bytearray(nbytes)
        return CUresult.CUDA_SUCCESS, CUdeviceptr(address)

    def cuMemFree(self, pointer):
        del self.memory[int(pointer)]
        return self.OK

    def view(self, pointer, nbytes):
        """A memoryview of `nbytes` of device memory at `pointer`."""
        pointer = int(pointer)
        for start, block in self.memory.items():
            if start <= pointer and pointer + nbytes <= start + len(block):
                return memoryview(block)[pointer - start:pointer - start + nbytes]
        raise AssertionError(f"0x{pointer:x}+{nbytes} is not device memory")

    def cuMemcpyHtoD(self, destination, source, nbytes):
        assert isinstance(source, int)
        self.view(destination, nbytes)[:] = ctypes.string_at(source, nbytes)
        return self.OK

    def cuMemcpyHtoDAsync(self, destination, source, nbytes, stream):
        return self.cuMemcpyHtoD(destination, source, nbytes)

    def cuMemcpyDtoH(self, destination, source, nbytes):
        assert isinstance(destination, int)
        ctypes.memmove(destination, bytes(self.view(source, nbytes)), nbytes)
        return self.OK

    def cuMemsetD8(self, pointer, value, nbytes):
        self.memsets += 1
        self.view(pointer, nbytes)[:] = bytes([value]) * nbytes
        return self.OK

    def cuMemsetD8Async(self, pointer, value, nbytes, stream):
        assert isinstance(stream, CUstream)
        return self._capture(
            stream, lambda: self.cuMemsetD8(pointer, value, nbytes))

    # -- modules and kernels --
    def cuModuleLoadData(self, image):
        assert isinstance(image, bytes) and image.endswith(b"\0")
        text = image[:-1].decode()
        if ".version" not in text:
            return CUresult.CUDA_ERROR_INVALID_PTX, None
        self.modules.append(text)
        return CUresult.CUDA_SUCCESS, len(self.modules) - 1

    def cuModuleLoadDataEx(self, image, count, options, values):
        values[0][:10] = b"ptxas: bad"
        return CUresult.CUDA_ERROR_INVALID_PTX, None

    def cuModuleGetFunction(self, module, name):
        text = self.modules[module]
        match = re.search(r"\.entry\s+" + re.escape(name.decode()) + r"\((.*?)\)",
                          text, re.S)
        if not match:
            return CUresult.CUDA_ERROR_NOT_FOUND, None
        params = len(re.findall(r"\.param\s+\.u64", match.group(1)))
        return CUresult.CUDA_SUCCESS, (name.decode(), params)

    def cuFuncSetAttribute(self, function, attribute, value):
        self.function_attributes[(function[0], int(attribute))] = value
        return self.OK

    def cuTensorMapEncodeTiled(self, data_type, rank, address, dims, strides,
                               box, element_strides, interleave, swizzle,
                               l2_promotion, oob_fill):
        # cuda-bindings takes lists of cuuint64_t / cuuint32_t objects.
        assert all(isinstance(d, cuuint64_t) for d in dims + strides)
        assert all(isinstance(b, cuuint32_t) for b in box + element_strides)
        assert isinstance(address, int) and len(dims) == rank
        arguments = {
            "data_type": data_type.name, "address": address,
            "dims": [int(d) for d in dims], "strides": [int(s) for s in strides],
            "box": [int(b) for b in box],
            "element_strides": [int(e) for e in element_strides],
            "interleave": interleave.name, "swizzle": swizzle.name,
            "l2_promotion": l2_promotion.name, "oob_fill": oob_fill.name}
        payload = struct.pack("<Q", len(self.tensor_maps) + 1)
        self.tensor_maps[payload.ljust(128, b"\0")] = arguments
        return CUresult.CUDA_SUCCESS, CUtensorMap(payload)

    def _params(self, function, kernel_params):
        count = function[1]
        slots = (ctypes.c_void_p * count).from_address(kernel_params)
        return [ctypes.c_uint64.from_address(slot).value for slot in slots]

    def _run(self, function, grid, block, shared, stream, kernel_params,
             cluster=(1, 1, 1), pointers=None):
        assert isinstance(stream, CUstream) and isinstance(kernel_params, int)
        if pointers is None:
            pointers = self._params(function, kernel_params)
        self.launches.append({"name": function[0], "grid": tuple(grid),
                              "block": tuple(block), "shared": shared,
                              "cluster": tuple(cluster), "params": pointers})
        emulate = self.emulators.get(function[0].split("_")[1])
        if emulate:
            emulate(self, function[0], pointers)
        return self.OK

    def cuLaunchKernel(self, function, gx, gy, gz, bx, by, bz, shared, stream,
                       kernel_params, extra):
        # A captured launch keeps the parameter values of the capture.
        pointers = self._params(function, kernel_params)
        return self._capture(stream, lambda: self._run(
            function, (gx, gy, gz), (bx, by, bz), shared, stream,
            kernel_params, pointers=pointers))

    def cuLaunchKernelEx(self, config, function, kernel_params, extra):
        (attribute,) = config.attrs
        assert config.numAttrs == 1
        assert attribute.id.name == "CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION"
        dims = attribute.value.clusterDim
        pointers = self._params(function, kernel_params)
        launch = (function, (config.gridDimX, config.gridDimY, config.gridDimZ),
                  (config.blockDimX, config.blockDimY, config.blockDimZ),
                  config.sharedMemBytes, config.hStream, kernel_params,
                  (dims.x, dims.y, dims.z))
        return self._capture(config.hStream,
                             lambda: self._run(*launch, pointers=pointers))

    # -- events --
    def cuEventCreate(self, flags):
        return CUresult.CUDA_SUCCESS, {"time": None}

    def cuEventRecord(self, event, stream):
        event["time"] = len(self.launches) * 0.5  # 0.5 ms per launch
        return self.OK

    def cuEventSynchronize(self, event):
        return self.OK

    def cuEventElapsedTime(self, start, end):
        return CUresult.CUDA_SUCCESS, end["time"] - start["time"]

    def cuEventDestroy(self, event):
        return self.OK

    def cuEventQuery(self, event):
        last = self.launches[-1]["name"] if self.launches else ""
        if self.hung or (self.hang_if is not None and self.hang_if(last)):
            return (CUresult.CUDA_ERROR_NOT_READY,)
        return self.OK

    def cuDriverGetVersion(self):
        return CUresult.CUDA_SUCCESS, 13000

    # -- helpers for the emulations --
    def read(self, pointer, dtype, count):
        dtype = np.dtype(dtype)
        data = bytes(self.view(pointer, count * dtype.itemsize))
        return np.frombuffer(data, dtype=dtype).copy()

    def write(self, pointer, array):
        array = np.ascontiguousarray(array)
        self.view(pointer, array.nbytes)[:] = array.tobytes()

    def tensor_map(self, pointer):
        return self.tensor_maps[bytes(self.view(pointer, 128))]


# --- emulated kernels (numpy, from the manifest and fp8_mlir_ref) --------------


def _spec(case_name):
    """(binary, spec) of the gpu_cases case `case_name`, or a skip."""
    return gpu_testing.case_binary(gpu_cases.CASES_BY_NAME[case_name])


def _quantize_emulator(case_name):
    case = gpu_cases.CASES_BY_NAME[case_name]
    _, spec = _spec(case_name)
    sizes = {p["name"]: p for p in spec["params"]}

    def emulate(fake, name, pointers):
        inputs = dict(zip([p["name"] for p in spec["params"]], pointers))
        probe = case.inputs()
        x = fake.read(inputs["input"], probe["input"].dtype,
                      sizes["input"]["shape"][0]).reshape(probe["input"].shape)
        s = fake.read(inputs["scale"], probe["scale"].dtype,
                      sizes["scale"]["shape"][0]).reshape(np.shape(probe["scale"]))
        fake.write(inputs["output"],
                   case.reference({"input": x, "scale": s})["output"])

    return emulate


def _amax_emulator(fake, name, pointers):
    assert fake.read(pointers[1], np.float32, 1)[0] == 0.0, "not zeroed"
    x = fake.read(pointers[0], np.float32, 1024 * 1024)
    fake.write(pointers[1], np.max(np.abs(x)).astype(np.float32).reshape(1))


def _gemm_scalings(name):
    """The (A, B) scalings of a GEMM kernel, from its name
    ("..._bf16_block1x32_block1x32_1024x...": tensor, rowwise or a block), and
    the element type of their scales: E8M0 for MX [1, 32] kernels named
    `_e8m0` (sm_90a) or for sm_100a (its MX kernels take E8M0 only)."""
    found = re.search(r"_(tensor|rowwise|block\d+x\d+)_(tensor|rowwise|block\d+x\d+)_\d+x", name)
    assert found, f"cannot tell the scalings of {name}"

    def scaling(text):
        if text in ("tensor", "rowwise"):
            return text
        return tuple(int(d) for d in text[len("block"):].split("x"))

    a_scaling, b_scaling = scaling(found[1]), scaling(found[2])
    e8m0 = (1, 32) in (a_scaling, b_scaling) and (
        "_e8m0" in name or name.startswith("fp8_gemm_sm100_"))
    return a_scaling, b_scaling, e8m0


def _gemm_emulator(fake, name, pointers):
    """D = (A sA)(B sB)^T for the bf16 GEMM kernels (tensor, rowwise or block
    scales, f32 or E8M0), reading A and B through their TMA descriptors
    (computed once per set of operands: the timing loops relaunch on the
    same ones)."""
    a_map, b_map = fake.tensor_map(pointers[0]), fake.tensor_map(pointers[2])
    key = (name, a_map["address"], b_map["address"], pointers[1], pointers[3])
    cache = fake.__dict__.setdefault("gemm_results", {})
    if key in cache:
        fake.write(pointers[4], cache[key])
        return
    k, m = a_map["dims"]
    _, n = b_map["dims"]
    a = fake.read(a_map["address"], ml_dtypes.float8_e4m3fn, m * k).reshape(m, k)
    b = fake.read(b_map["address"], ml_dtypes.float8_e4m3fn, n * k).reshape(n, k)
    a_scaling, b_scaling, e8m0 = _gemm_scalings(name)
    scale_type = ml_dtypes.float8_e8m0fnu if e8m0 else np.float32

    def scales(pointer, scaling, rows):
        shape = scale_shape(scaling, rows, k)
        values = fake.read(pointer, scale_type, max(1, int(np.prod(shape))))
        if scaling == "tensor":
            return values.reshape(shape), ref.Scaling.tensor()
        if scaling == "rowwise":
            return values.reshape(shape), ref.Scaling.rowwise()
        return values.reshape(shape), ref.Scaling.blocks(*scaling)

    def scale_address(pointer):
        # gemm-scale-load=tma passes the scales as TMA descriptors.
        try:
            descriptor = bytes(fake.view(pointer, 128))
        except AssertionError:  # a scale buffer of fewer than 128 bytes
            return pointer
        tensor_map = fake.tensor_maps.get(descriptor)
        return tensor_map["address"] if tensor_map else pointer

    sa, a_kind = scales(scale_address(pointers[1]), a_scaling, m)
    sb, b_kind = scales(scale_address(pointers[3]), b_scaling, n)
    _, d, _ = ref.scaled_matmul(a, sa, b, sb, a_kind, b_kind, transpose_b=True,
                                out="bf16")
    cache[key] = d
    fake.write(pointers[4], d)


@pytest.fixture
def fake(monkeypatch):
    """Installs a FakeDriver as cuda-python's driver module."""
    driver = FakeDriver({"amax": _amax_emulator, "gemm": _gemm_emulator})
    monkeypatch.setattr(_driver, "_DRIVER", driver)
    monkeypatch.setattr(_driver, "_IMPORT_ERROR", None)
    monkeypatch.setattr(device_module, "_reason_cache", [])
    monkeypatch.setattr(device_module, "_default", [])
    return driver


# --- tests ---------------------------------------------------------------------------


def test_without_cuda_python(monkeypatch):
    monkeypatch.setattr(_driver, "_DRIVER", None)
    monkeypatch.setattr(_driver, "_IMPORT_ERROR", "cuda-python is not installed")
    monkeypatch.setattr(device_module, "_reason_cache", [])
    monkeypatch.setattr(device_module, "_default", [])
    assert not gpu.is_available()
    assert "cuda-python" in gpu.unavailable_reason()
    with pytest.raises(gpu.GPUError, match="cuda-python"):
        gpu.Device()
    binary, spec = _spec("amax_f32_tensor")
    with pytest.raises(gpu.GPUError, match="cuda-python"):
        gpu.load(binary, spec)


def test_device(fake):
    assert gpu.is_available() and gpu.unavailable_reason() is None
    device = gpu.default_device()
    assert device.name == "Simulated H200"
    assert device.compute_capability == (9, 0) and device.chip == "sm_90a"
    assert device.multiprocessors == 132


def test_quantize_launch(fake):
    """Inputs are copied in, the output comes back as the manifest's dtype,
    the launch uses the manifest's grid and block, and nothing leaks."""
    name = "quantize_f32_e4m3_tensor"
    fake.emulators["quantize"] = _quantize_emulator(name)
    binary, spec = _spec(name)
    case = gpu_cases.CASES_BY_NAME[name]
    kernel = gpu.load(binary, spec)
    inputs = case.inputs()
    (q,) = kernel.launch(inputs["input"], inputs["scale"])
    assert q.dtype == ml_dtypes.float8_e4m3fn and q.shape == (256 * 512,)
    expected = case.reference(inputs)["output"].reshape(-1)
    np.testing.assert_array_equal(q.view(np.uint8), expected.view(np.uint8))
    (launch,) = fake.launches
    assert launch["grid"] == tuple(spec["grid"])
    assert launch["block"] == tuple(spec["block"]) and launch["shared"] == 0
    assert fake.memory == {}, "device buffers leaked"
    assert not fake.function_attributes  # no opt-in below 48 KiB


def test_outputs_into_given_arrays_and_by_name(fake):
    name = "quantize_f32_e4m3_tensor"
    fake.emulators["quantize"] = _quantize_emulator(name)
    kernel = gpu.load(*_spec(name))
    inputs = gpu_cases.CASES_BY_NAME[name].inputs()
    out = np.zeros((256, 512), ml_dtypes.float8_e4m3fn)
    (result,) = kernel.launch(scale=inputs["scale"], input=inputs["input"],
                              output=out)
    assert result is out and np.any(out.view(np.uint8))
    # uint8 bit patterns are accepted for FP8 data.
    kernel.launch(inputs["input"], inputs["scale"], out.view(np.uint8))


def test_zero_init_output_is_zeroed_before_each_launch(fake):
    kernel = gpu.load(*_spec("amax_f32_tensor"))
    x = np.full((1024, 1024), -2.5, np.float32)
    result = gpu.DeviceBuffer(4)
    fake.write(result.pointer, np.float32([7.0]))  # a stale maximum
    (same,) = kernel.launch(x, result)  # the emulator asserts the zeroing
    assert same is result
    assert result.to_array(np.float32)[0] == 2.5


def test_gemm_tensor_maps_and_shared_memory(fake):
    """TMA descriptors are encoded from the manifest over the operands'
    device copies and passed as pointers to their 128 bytes; the kernel opts
    in to its dynamic shared memory."""
    name = "gemm_e4m3_bf16_tensor_256x384x512"
    binary, spec = _spec(name)
    case = gpu_cases.CASES_BY_NAME[name]
    kernel = gpu.load(binary, spec)
    assert fake.function_attributes == {
        (spec["name"], 8): spec["dynamic_shared_memory"]}
    inputs = case.inputs()
    (d,) = kernel.launch(**inputs)
    expected = case.reference(inputs)["d"]
    np.testing.assert_array_equal(d.reshape(256, 384).view(np.uint16),
                                  expected.view(np.uint16))
    a_spec = next(p for p in spec["params"] if p["name"] == "a")
    (a_map,) = [m for m in fake.tensor_maps.values()
                if m["dims"] == a_spec["global_dim"]]
    assert a_map["box"] == a_spec["box_dim"]
    assert a_map["strides"] == a_spec["global_strides_bytes"]
    assert a_map["swizzle"] == "CU_TENSOR_MAP_SWIZZLE_128B"
    assert a_map["data_type"] == "CU_TENSOR_MAP_DATA_TYPE_UINT8"
    assert fake.launches[0]["shared"] == spec["dynamic_shared_memory"]
    assert fake.memory == {}


CUDA_H = "/usr/local/cuda/include/cuda.h"


def _cuda_h():
    """The text of the CUDA toolkit's cuda.h; skips without one."""
    import os

    path = next((os.path.join(root, "include", "cuda.h") for root in
                 (os.environ.get("CUDA_HOME"), os.environ.get("CUDA_PATH"),
                  "/usr/local/cuda") if root and
                 os.path.exists(os.path.join(root, "include", "cuda.h"))),
                None)
    if path is None:
        pytest.skip("no CUDA toolkit cuda.h (CUDA_HOME, /usr/local/cuda)")
    with open(path) as f:
        return f.read()


def _cuda_h_l2_promotion(text):
    """CUtensorMapL2promotion of cuda.h: enumerator name -> value (implicit
    values count up from the previous one)."""
    body = re.search(r"typedef enum CUtensorMapL2promotion_enum \{(.*?)\}",
                     text, re.S).group(1)
    values, value = {}, -1
    for item in filter(None, (i.strip() for i in body.split(","))):
        name, _, given = (part.strip() for part in item.partition("="))
        value = int(given, 0) if given else value + 1
        values[name] = value
    return values


@pytest.mark.parametrize("promotion,bytes_", [("none", None), ("64", 64),
                                              ("128", 128), ("256", 256)])
def test_gemm_l2_promotion_reaches_the_tensor_map_encoder(fake, promotion,
                                                          bytes_):
    """gemm-l2-promotion is recorded in the manifest and handed to
    cuTensorMapEncodeTiled as its l2Promotion argument (the 11th of cuda.h's
    prototype, the 10th of cuda-python's, which returns the map) for both
    operands, by a name whose value in cuda.h and in cuda-python's enum is
    CUDA's 64 / 128 / 256-byte promotion."""
    import dataclasses
    import inspect

    import fp8_mlir

    if not fp8_mlir.has_compiler():
        pytest.skip("the fp8_mlir extension (the compiler) is not built")
    text = _cuda_h()
    enum = _cuda_h_l2_promotion(text)
    expected = ("CU_TENSOR_MAP_L2_PROMOTION_NONE" if bytes_ is None else
                f"CU_TENSOR_MAP_L2_PROMOTION_L2_{bytes_}B")
    assert enum[expected] == {None: 0, 64: 1, 128: 2, 256: 3}[bytes_]
    prototype = re.search(r"CUresult CUDAAPI cuTensorMapEncodeTiled\((.*?)\);",
                          text, re.S).group(1)
    names = [p.split()[-1].lstrip("*") for p in prototype.split(",")]
    fake_names = list(inspect.signature(
        FakeDriver.cuTensorMapEncodeTiled).parameters)[1:]
    assert names.index("l2Promotion") == 10 and names[0] == "tensorMap"
    assert fake_names.index("l2_promotion") == names.index("l2Promotion") - 1
    try:
        from cuda.bindings import driver as real
    except ImportError:
        real = None
    if real is not None:
        assert int(getattr(real.CUtensorMapL2promotion, expected)) == \
            enum[expected]

    base = gpu_cases.CASES_BY_NAME["gemm_e4m3_bf16_tensor_256x384x512"]
    case = dataclasses.replace(base, options={"gemm_l2_promotion": promotion})
    binary, spec = gpu_cases.compile_case(case)
    maps = [p for p in spec["params"] if p["kind"] == "tensor_map"]
    assert [p["l2_promotion"] for p in maps] == [expected, expected]
    kernel = gpu.load(binary, spec)
    kernel.launch(**case.inputs())
    assert sorted(m["l2_promotion"] for m in fake.tensor_maps.values()) == [
        expected, expected]


def _cuda_h_enum(text, name):
    """The enumerators of cuda.h's `typedef enum <name> {...}`: name ->
    value (implicit values count up from the previous one)."""
    body = re.search(r"typedef enum %s \{(.*?)\}" % name, text, re.S).group(1)
    values, value = {}, -1
    for item in filter(None, (i.strip() for i in body.split(","))):
        item = re.sub(r"/\*.*?\*/|//.*", "", item, flags=re.S).strip()
        if not item:
            continue
        enumerator, _, given = (part.strip() for part in item.partition("="))
        value = int(given, 0) if given else value + 1
        values[enumerator] = value
    return values


def _assert_scale_box_map(param, element_type, row_bytes, rows):
    """`param` is a TMA descriptor over a scale tensor's bytes: UINT8
    `[row_bytes, rows]` with 16 x 128 boxes and no swizzle, within cuda.h's
    rules for cuTensorMapEncodeTiled (box inner dimension a multiple of 16
    bytes, at most 256 per dim, strides multiples of 16), with the enum
    values of UINT8 and no swizzle read from cuda.h itself."""
    text = _cuda_h()
    swizzle = _cuda_h_enum(text, "CUtensorMapSwizzle_enum")
    data_type = _cuda_h_enum(text, "CUtensorMapDataType_enum")
    assert swizzle["CU_TENSOR_MAP_SWIZZLE_NONE"] == 0
    assert data_type["CU_TENSOR_MAP_DATA_TYPE_UINT8"] == 0
    assert param["kind"] == "tensor_map"
    assert param["element_type"] == element_type
    assert param["data_type"] == "CU_TENSOR_MAP_DATA_TYPE_UINT8"
    assert param["global_dim"] == [row_bytes, rows]
    assert param["global_strides_bytes"] == [row_bytes]
    assert param["box_dim"] == [16, 128]
    assert param["swizzle"] == "CU_TENSOR_MAP_SWIZZLE_NONE"
    assert param["box_dim"][0] % 16 == 0
    assert all(b <= 256 for b in param["box_dim"])
    assert all(s % 16 == 0 for s in param["global_strides_bytes"])


def test_gemm_scale_tensor_maps_by_tma(fake):
    """gemm-scale-load=tma (sm_100a, warp-specialized MXFP8): the E8M0
    scales are passed as TMA descriptors at their place in the argument
    list, [rows, K / 32] UINT8 with 128 x 16-byte boxes and no swizzle,
    within cuda.h's rules for cuTensorMapEncodeTiled (box inner dimension
    a multiple of 16 bytes, at most 256 per dim, strides multiples of 16),
    encoded over the scale buffers the kernel reads."""
    import fp8_mlir

    if not fp8_mlir.has_compiler():
        pytest.skip("the fp8_mlir extension (the compiler) is not built")

    case = gpu_cases.SM100_CASES_BY_NAME[
        "sm100_ws_tmascales_mx_bf16_1000x2050x1536"]
    binary, spec = gpu_cases.compile_case(case)
    names = [p["name"] for p in spec["params"]]
    assert names[:4] == ["a", "a_scale", "b", "b_scale"]
    k_groups = 1536 // 32
    for name, rows in (("a_scale", 1000), ("b_scale", 2050)):
        (param,) = [p for p in spec["params"] if p["name"] == name]
        _assert_scale_box_map(param, "float8_e8m0fnu", k_groups, rows)
        assert param["oob_fill"] == "CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE"

    kernel = gpu.load(binary, spec)
    inputs = case.inputs()
    (d,) = kernel.launch(**inputs)
    np.testing.assert_array_equal(
        d.reshape(1000, 2050).view(np.uint16),
        case.reference(inputs)["d"].view(np.uint16))
    encoded = sorted((m["dims"], m["box"], m["swizzle"])
                     for m in fake.tensor_maps.values()
                     if m["swizzle"] == "CU_TENSOR_MAP_SWIZZLE_NONE")
    assert encoded == [([k_groups, 1000], [16, 128],
                        "CU_TENSOR_MAP_SWIZZLE_NONE"),
                       ([k_groups, 2050], [16, 128],
                        "CU_TENSOR_MAP_SWIZZLE_NONE")]


@pytest.mark.parametrize("name, groups, scale_bytes, element_type, b_by_tma", [
    ("gemm_e4m3_bf16_blockwise_tmascales_1000x400x1536", 1536 // 128, 4,
     "float32", False),
    ("gemm_e4m3_bf16_mx_e8m0_tmascales_1000x400x1024", 1024 // 32, 1,
     "float8_e8m0fnu", True),
])
def test_sm90_scale_tensor_map_by_tma(fake, name, groups, scale_bytes,
                                      element_type, b_by_tma):
    """gemm-scale-load=tma on sm_90a: A's per-row scales along K ([1, 128]
    f32, MX [1, 32] E8M0) are passed as a TMA descriptor at their place in
    the argument list, over their bytes ([rows, K / group * scale bytes]
    UINT8) with tileM x 16-byte boxes and no swizzle, within cuda.h's rules
    for cuTensorMapEncodeTiled; so are MX B's per-column scales (tileN x
    16-byte boxes over [N, K / 32] bytes), while [128, 128] B scales stay a
    buffer. The descriptors the harness encodes cover the scale buffers
    (the emulated kernel reads the scales through them)."""
    import fp8_mlir

    if not fp8_mlir.has_compiler():
        pytest.skip("the fp8_mlir extension (the compiler) is not built")

    case = gpu_cases.CASES_BY_NAME[name]
    binary, spec = gpu_cases.compile_case(case)
    assert "_tmascales" in spec["name"]
    params = {p["name"]: p for p in spec["params"]}
    assert [p["name"] for p in spec["params"]][:4] == [
        "a", "a_scale", "b", "b_scale"]
    row_bytes = groups * scale_bytes
    _assert_scale_box_map(params["a_scale"], element_type, row_bytes, 1000)
    if b_by_tma:
        _assert_scale_box_map(params["b_scale"], element_type, row_bytes, 400)
    else:
        assert params["b_scale"]["kind"] == "buffer"

    kernel = gpu.load(binary, spec)
    inputs = case.inputs()
    assert inputs["a_scale"].nbytes == row_bytes * 1000
    (d,) = kernel.launch(**inputs)
    np.testing.assert_array_equal(
        d.reshape(1000, 400).view(np.uint16),
        case.reference(inputs)["d"].view(np.uint16))
    encoded = [(m["dims"], m["strides"], m["box"])
               for m in fake.tensor_maps.values()
               if m["swizzle"] == "CU_TENSOR_MAP_SWIZZLE_NONE"]
    expected = [([row_bytes, 1000], [row_bytes], [16, 128])]
    if b_by_tma:
        expected.append(([row_bytes, 400], [row_bytes], [16, 128]))
    assert sorted(encoded) == sorted(expected)


def test_run_gemm_with_a_kernel_compiled_ahead_of_time(fake):
    name = "gemm_e4m3_bf16_rowwise_512x768x1024"
    case = gpu_cases.CASES_BY_NAME[name]
    inputs = case.inputs()
    d = gpu.run_gemm(inputs["a"], inputs["a_scale"], inputs["b"],
                     inputs["b_scale"], "bf16", kernel=_spec(name))
    assert d.shape == (512, 768)
    np.testing.assert_array_equal(d.view(np.uint16),
                                  case.reference(inputs)["d"].view(np.uint16))


def test_time(fake):
    kernel = gpu.load(*_spec("amax_f32_tensor"))
    x = gpu.DeviceBuffer.from_array(np.ones((1024, 1024), np.float32))
    milliseconds = gpu.time(kernel, (x,), iters=8, warmup=2)
    assert len(fake.launches) == 10
    assert milliseconds == pytest.approx(0.5)
    assert fake.memsets >= 10  # the amax accumulator, before every launch


def test_time_with_a_cuda_graph(fake):
    """graph=True: the timed launches and their memsets are captured on a
    stream of its own and replayed by one graph launch between the events;
    the stream, graph and executable are released."""
    kernel = gpu.load(*_spec("amax_f32_tensor"))
    x = gpu.DeviceBuffer.from_array(np.ones((1024, 1024), np.float32))
    milliseconds = gpu.time(kernel, (x,), iters=8, warmup=2, graph=True)
    assert len(fake.launches) == 10
    assert milliseconds == pytest.approx(0.5)
    assert fake.memsets >= 10
    assert fake.streams == 0 and fake.graphs == 0 and fake.capturing is None
    assert {launch["params"][0] for launch in fake.launches} == {x.pointer}


def test_time_gives_up_on_a_hung_kernel(fake):
    """With `timeout`, a kernel that never finishes raises GPUTimeoutError
    instead of blocking; its buffers are abandoned, not freed."""
    kernel = gpu.load(*_spec("amax_f32_tensor"))
    fake.hung = True
    before = len(fake.memory)
    with pytest.raises(gpu.GPUTimeoutError, match="warm-up of fp8_amax"):
        gpu.time(kernel, (np.ones((1024, 1024), np.float32),), iters=4,
                 warmup=1, timeout=0.05)
    assert len(fake.memory) > before, "buffers of a hung kernel were freed"


def test_time_when_the_driver_cannot_capture(fake):
    kernel = gpu.load(*_spec("amax_f32_tensor"))
    x = gpu.DeviceBuffer.from_array(np.ones((1024, 1024), np.float32))
    fake.capture_error = CUresult.CUDA_ERROR_NOT_FOUND
    with pytest.raises(gpu.GPUError, match="cuStreamBeginCapture"):
        gpu.time(kernel, (x,), iters=8, warmup=2, graph=True)
    assert fake.streams == 0 and fake.graphs == 0


def test_cluster_launch(fake):
    binary, spec = _spec("amax_f32_tensor")
    spec = dict(spec, cluster=[2, 1, 1])
    kernel = gpu.load(binary, spec)
    kernel.launch(np.ones((1024, 1024), np.float32))
    assert fake.launches[0]["cluster"] == (2, 1, 1)
    assert fake.launches[0]["grid"] == tuple(spec["grid"])


def test_device_memory_in_place(fake):
    """Objects exposing __cuda_array_interface__ are used in place."""
    kernel = gpu.load(*_spec("amax_f32_tensor"))
    x = gpu.DeviceBuffer.from_array(np.full((1024, 1024), 3.0, np.float32))

    class Foreign:
        __cuda_array_interface__ = {"shape": (1024, 1024), "typestr": "<f4",
                                    "data": (x.pointer, False), "version": 3,
                                    "strides": None}

    (amax,) = kernel.launch(Foreign())
    assert amax[0] == 3.0
    assert fake.launches[0]["params"][0] == x.pointer


def test_argument_errors(fake):
    kernel = gpu.load(*_spec("quantize_f32_e4m3_tensor"))
    x = np.zeros((256, 512), np.float32)
    with pytest.raises(gpu.GPUError, match="'input' takes 131072 elements"):
        kernel.launch(x[:10], np.float32(1))
    with pytest.raises(gpu.GPUError, match="no parameter 'bias'"):
        kernel.launch(x, np.float32(1), bias=x)
    with pytest.raises(gpu.GPUError, match="no argument for input parameter 'scale'"):
        kernel.launch(x)
    with pytest.raises(gpu.GPUError, match="cannot convert complex64"):
        kernel.launch(x.astype(np.complex64), np.float32(1))
    # f32 data for an FP8 buffer would be a quantization without a scale.
    dequantize = gpu.load(*_spec("dequantize_e5m2_f32_tensor"))
    with pytest.raises(gpu.GPUError, match="'input' holds float8_e5m2; pass "
                       "float8_e5m2 data .or its uint8 bits., not float32"):
        dequantize.launch(np.zeros((128, 256), np.float32), np.float32(1))
    small = gpu.DeviceBuffer(16)
    with pytest.raises(gpu.GPUError, match="needs 524288 bytes"):
        kernel.launch(small, np.float32(1))
    assert set(fake.memory) == {small.pointer}, "buffers leaked on errors"


def test_load_errors(fake):
    binary, spec = _spec("amax_f32_tensor")
    with pytest.raises(gpu.GPUError, match="(?s)CUDA_ERROR_INVALID_PTX.*ptxas: bad"):
        gpu.load(f"bad .entry {spec['name']}()", spec)
    with pytest.raises(gpu.GPUError, match="0 PTX modules define .entry"):
        gpu.load("not ptx", spec)
    with pytest.raises(gpu.GPUError, match="0 PTX modules define .entry no_such"):
        gpu.load(binary, dict(spec, name="no_such_kernel"))
    # Bytes (a cubin) go to the driver as they are.
    with pytest.raises(gpu.GPUError, match="CUDA_ERROR_NOT_FOUND"):
        gpu.load(binary.encode() + b"\0", dict(spec, name="no_such_kernel"))
    with pytest.raises(gpu.GPUError, match="allows 232448"):
        gpu.load(binary, dict(spec, dynamic_shared_memory=300000))


def test_bench_run_on_simulated_driver(fake, bench_kernels, tmp_path,
                                       monkeypatch, capsys):
    """The benchmark (bench/gpu/run.py) end to end on the simulated driver
    (without torch): it validates the prepared kernels, launches ours,
    checks D on sampled entries, times it, and writes the results JSON."""
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch fails
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    status = bench_run.main(_bench_arguments(bench_kernels) + [
        "--out", str(tmp_path), "--shapes", "1024x1024x1024",
        "--min-time", "0.001"])
    output = capsys.readouterr().out
    assert status == 0, output
    assert "torch unavailable" in output and "no plot" in output
    (result_file,) = tmp_path.glob("*.json")
    results = json.loads(result_file.read_text())
    assert results["environment"]["device"] == "Simulated H200"
    assert results["chip"] == "sm_90a"
    rows = {row["recipe"]: row for row in results["rows"]}
    assert set(rows) == {"tensorwise", "rowwise", "blockwise", "mxfp8"}
    for recipe in ("tensorwise", "rowwise", "blockwise", "mxfp8"):
        ours = rows[recipe]["ours"]
        assert ours["status"] == "ok" and ours["check"] == "pass", ours
        assert ours["error_vs_fp64_sampled"] < 2.0**-8
        assert ours["tflops"] > 0
    assert "_e8m0" in rows["mxfp8"]["ours"]["kernel"]
    assert all(launch["name"].startswith("fp8_gemm_sm90_") for launch in fake.launches)
    assert fake.memory == {}, "the benchmark leaked device memory"


class _Exit(Exception):
    pass


def _bench_run_that_exits(monkeypatch):
    """The benchmark without torch and matplotlib, whose os._exit raises
    _Exit (the process would end) instead."""
    monkeypatch.setitem(sys.modules, "torch", None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)

    def exit_now(code):
        raise _Exit(code)

    monkeypatch.setattr(bench_run.os, "_exit", exit_now)
    return bench_run


def test_bench_resumes_after_a_hang(fake, bench_kernels, tmp_path, monkeypatch,
                                    capsys):
    """A kernel that hangs ends run.py (exit 3) with the rows so far and a
    `hang` row for it; --resume keeps those and runs the rest."""
    run = _bench_run_that_exits(monkeypatch)
    fake.hang_if = lambda name: "block1x128" in name
    results = tmp_path / "results.json"
    arguments = ["--out", str(tmp_path), "--results", str(results),
                 "--shapes", "1024x1024x1024", "--min-time", "0.001",
                 "--hang-timeout", "0.05"] + _bench_arguments(bench_kernels)
    with pytest.raises(_Exit) as exited:
        run.main(arguments)
    assert exited.value.args == (3,)
    first = json.loads(results.read_text())
    statuses = {row["recipe"]: row["ours"]["status"] for row in first["rows"]}
    assert statuses == {"tensorwise": "ok", "rowwise": "ok",
                        "blockwise": "hang"}
    assert first["hangs"] == ["1024x1024x1024-blockwise"]

    fake.hang_if = None
    assert run.main(arguments + ["--resume"]) == 0
    output = capsys.readouterr().out
    assert "3 rows kept, 1 cases left" in output
    second = json.loads(results.read_text())
    statuses = {row["recipe"]: row["ours"]["status"] for row in second["rows"]}
    assert statuses == {"tensorwise": "ok", "rowwise": "ok",
                        "blockwise": "hang", "mxfp8": "ok"}
    assert second["resumed"] == 1 and second["hangs"] == first["hangs"]


def test_bench_skips_a_variant_that_hung(fake, bench_kernels, tmp_path,
                                         monkeypatch, capsys):
    """A non-default variant that hangs is recorded once and its other cases
    are skipped on --resume (each would cost a restart); a kernel fault
    ends the run the same way as a hang ("crash")."""
    run = _bench_run_that_exits(monkeypatch)
    fake.hang_if = lambda name: name.endswith("_persistent")
    results = tmp_path / "results.json"
    arguments = ["--out", str(tmp_path), "--results", str(results),
                 "--shapes", "4096x4096x4096", "--recipes",
                 "tensorwise,blockwise", "--min-time", "0.001",
                 "--hang-timeout", "0.05"] + _bench_arguments(bench_kernels)
    with pytest.raises(_Exit):
        run.main(arguments)
    fake.hang_if = None
    assert run.main(arguments + ["--resume"]) == 0
    rows = json.loads(results.read_text())["rows"]
    statuses = {(r["recipe"], r["variant"]): r["ours"]["status"] for r in rows}
    assert statuses[("tensorwise", "persistent")] == "hang"
    assert statuses[("blockwise", "persistent")] == "skipped"
    assert statuses[("blockwise", "nocluster")] == "ok"
    assert statuses[("blockwise", "default")] == "ok"
    assert len(rows) == len(set(statuses)) == 7

    # A kernel fault (a sticky CUDA error) is a "crash".
    def fault(*launch, **named):
        if "_splitacc" in launch[0][0]:
            return (CUresult.CUDA_ERROR_NOT_FOUND,)
        return FakeDriver._run(fake, *launch, **named)

    monkeypatch.setattr(fake, "_run", fault)
    crashed = tmp_path / "crashed.json"
    with pytest.raises(_Exit):
        run.main(arguments[:2] + ["--results", str(crashed)] + arguments[4:])
    rows = json.loads(crashed.read_text())["rows"]
    assert [r["ours"]["status"] for r in rows
            if r["variant"] == "splitacc"] == ["crash"]


def _bench_arguments(bench_kernels):
    kernel_dir, table = bench_kernels
    return ["--kernels", str(kernel_dir), "--recipe-table", str(table)]


class FakeB200(FakeDriver):
    """The simulated driver, as a Blackwell B200 (compute capability 10.0,
    148 SMs)."""

    def cuDeviceGetName(self, length, device):
        return CUresult.CUDA_SUCCESS, b"Simulated B200".ljust(length, b"\0")

    def cuDeviceGetAttribute(self, attribute, device):
        values = {75: 10, 76: 0, 16: 148, 97: 232448}
        return CUresult.CUDA_SUCCESS, values[int(attribute)]


def test_bench_runs_the_sm100a_set_on_a_b200(fake, bench_kernels, tmp_path,
                                             monkeypatch, capsys):
    """On a (simulated) B200, run.py picks the sm_100a kernel set: tensorwise,
    rowwise and MX (E8M0 scales) run and check out, blockwise carries the
    compiler's reason."""
    b200 = FakeB200(fake.emulators)
    monkeypatch.setattr(_driver, "_DRIVER", b200)
    monkeypatch.setitem(sys.modules, "torch", None)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    status = bench_run.main(_bench_arguments(bench_kernels) + [
        "--out", str(tmp_path), "--shapes", "1024x1024x1024",
        "--min-time", "0.001"])
    output = capsys.readouterr().out
    assert status == 0, output
    assert "validated 4 prepared sm_100a cases (3 kernels, 1 rejected" in output
    assert "sm_90a" not in output
    (result_file,) = tmp_path.glob("*.json")
    results = json.loads(result_file.read_text())
    assert results["chip"] == "sm_100a"
    assert results["environment"]["compute_capability"] == [10, 0]
    rows = {row["recipe"]: row for row in results["rows"]}
    assert set(rows) == {"tensorwise", "rowwise", "blockwise", "mxfp8"}
    for recipe in ("tensorwise", "rowwise", "mxfp8"):
        ours = rows[recipe]["ours"]
        assert ours["status"] == "ok" and ours["check"] == "pass", ours
        assert ours["kernel"].startswith("fp8_gemm_sm100_")
    blockwise = rows["blockwise"]["ours"]
    assert blockwise["status"] == "rejected"
    assert "has no sm_100a kernel" in blockwise["reason"], blockwise
    assert {launch["block"] for launch in b200.launches} == {(128, 1, 1)}
    assert b200.memory == {}, "the benchmark leaked device memory"


def test_bench_chip_without_its_gpu(fake, bench_kernels, tmp_path, monkeypatch,
                                    capsys):
    """`--chip sm_100a` on a Hopper validates that set and runs nothing."""
    monkeypatch.setitem(sys.modules, "torch", None)
    assert bench_run.main(_bench_arguments(bench_kernels) + [
        "--out", str(tmp_path), "--chip", "sm_100a",
        "--shapes", "1024x1024x1024"]) == 0
    output = capsys.readouterr().out
    assert "validated 4 prepared sm_100a cases" in output
    assert "no GPU to run sm_100a kernels on" in output
    assert fake.launches == []


def test_bench_dry_run_validates_every_chip(bench_kernels, tmp_path,
                                            monkeypatch, capsys):
    """Without a GPU, the benchmark validates every prepared kernel set
    (each case of chip_cases: the recipes and variants of its chip) and
    exits 0 with "no GPU"."""
    monkeypatch.setattr(bench_run.gpu, "unavailable_reason",
                        lambda: "simulated: none")
    assert bench_run.main(_bench_arguments(bench_kernels) +
                          ["--out", str(tmp_path)]) == 0
    output = capsys.readouterr().out
    assert "no GPU: simulated: none" in output
    assert "do not check out" not in output
    kernel_dir, table = bench_kernels
    for chip in bench_cases.CHIPS:
        count = len(list(bench_cases.chip_cases(chip)))
        assert f"validated {count} prepared {chip} cases" in output
        index, cases, problems = bench_run.load_cases(kernel_dir, table, set(),
                                                      set(), chip)
        assert problems == [] and index["chip"] == chip
        for case in cases:
            if case.binary is not None:
                assert f".target {chip}" in case.binary
                assert case.spec["name"].startswith(
                    {"sm_90a": "fp8_gemm_sm90_", "sm_100a": "fp8_gemm_sm100_"}[chip])


def test_bench_validation_catches_a_set_for_the_wrong_chip(bench_kernels,
                                                           tmp_path):
    """A sm_90a kernel filed under sm_100a fails validation (never launched)."""
    import shutil

    kernel_dir, table = bench_kernels
    shutil.copytree(kernel_dir / "sm_90a", tmp_path / "sm_100a")
    _, cases, problems = bench_run.load_cases(
        tmp_path, table, {"1024x1024x1024"}, {"tensorwise"}, "sm_100a")
    assert any("chip sm_90a, expected sm_100a" in p for p in problems), problems
    assert any("PTX is not for sm_100a" in p for p in problems), problems
    assert all(case.binary is None for case in cases)


def test_block_scale_layout():
    """The MX scale layout torch's cuBLASLt path reads: 128 x 4 tiles of 512
    bytes; row r of a tile at (r % 32) * 16 + (r // 32) * 4."""
    layout = bench_run.block_scale_layout(256, 8)
    assert sorted(layout.reshape(-1).tolist()) == list(range(256 * 8))
    assert layout[0, 0] == 0 and layout[0, 3] == 3
    assert layout[1, 0] == 16 and layout[31, 0] == 31 * 16
    assert layout[32, 0] == 4 and layout[127, 3] == 31 * 16 + 3 * 4 + 3
    assert layout[0, 4] == 512            # the next tile along K
    assert layout[128, 0] == 2 * 512      # the next row of tiles
    with pytest.raises(ValueError, match="padding"):
        bench_run.block_scale_layout(100, 8)


def test_launch_timeout(fake, monkeypatch):
    """A kernel still running after `timeout` seconds raises
    GPUTimeoutError instead of blocking forever; its buffers stay."""
    from fp8_mlir.gpu import kernel as kernel_module

    monkeypatch.setattr(kernel_module, "_abandoned", [])
    kernel = gpu.load(*_spec("amax_f32_tensor"))
    x = np.ones((1024, 1024), np.float32)
    assert kernel.launch(x, timeout=5)[0][0] == 1.0
    fake.hung = True
    with pytest.raises(gpu.GPUTimeoutError, match="did not finish within 0.05 s"):
        kernel.launch(x, timeout=0.05)
    assert fake.memory, "buffers a running kernel uses were freed"


def test_gpu_tests_stop_at_a_lost_cuda_context():
    """conftest's hook ends the GPU test session after a hang or a sticky
    CUDA error (every later GPU test would wait or fail on that context),
    not after an ordinary failure."""
    import conftest

    class Info:
        def __init__(self, value):
            self.value = value

    assert conftest._lost_context(Info(gpu.GPUTimeoutError("hung"))) == \
        "a kernel hung"
    assert conftest._lost_context(Info(gpu.GPUError(
        "cuLaunchKernel: CUDA_ERROR_ILLEGAL_ADDRESS (an illegal memory "
        "access)"))) == "CUDA_ERROR_ILLEGAL_ADDRESS"
    assert conftest._lost_context(Info(AssertionError("wrong values"))) is None
    assert conftest._lost_context(None) is None



@pytest.mark.parametrize("out,dtype,element", [
    ("bf16", "CU_TENSOR_MAP_DATA_TYPE_BFLOAT16", 2),
    ("f32", "CU_TENSOR_MAP_DATA_TYPE_FLOAT32", 4)])
def test_gemm_tma_store_descriptor_of_d(fake, out, dtype, element):
    """gemm-epilogue=tma-store adds D's tensor map after D (`d_map`, `of`:
    "d"): a 2-D [N, M] map of D's own element type with 128-byte rows of
    boxes (the 128-byte swizzle's limit in cuda.h) and D's row stride, which
    the harness encodes over D's device memory and passes as the kernel's
    last parameter; the call takes no argument for it."""
    import fp8_mlir

    if not fp8_mlir.has_compiler():
        pytest.skip("the fp8_mlir extension (the compiler) is not built")
    text = _cuda_h()
    data_types = _cuda_h_enum(text, "CUtensorMapDataType_enum")
    swizzles = _cuda_h_enum(text, "CUtensorMapSwizzle_enum")
    # The values the fake driver's enum (and cuda-python's) carry.
    assert data_types[dtype] == {"CU_TENSOR_MAP_DATA_TYPE_BFLOAT16": 9,
                                 "CU_TENSOR_MAP_DATA_TYPE_FLOAT32": 7}[dtype]
    assert swizzles["CU_TENSOR_MAP_SWIZZLE_128B"] == 3
    m, n = 300, 264
    case = gpu_cases.gemm_case(
        f"gemm_e4m3_{out}_tensor_tmastore_{m}x{n}x128", m, n, 128, out=out,
        options={"gemm_warp_specialize": "on", "gemm_persistent": "on",
                 "gemm_epilogue": "tma-store"})
    binary, spec = gpu_cases.compile_case(case)
    assert spec["name"].endswith("_persistent_tmastore")
    names = [p["name"] for p in spec["params"]]
    assert names == ["a", "a_scale", "b", "b_scale", "d", "d_map"]
    d_map = spec["params"][-1]
    assert d_map["kind"] == "tensor_map" and d_map["of"] == "d"
    assert d_map["data_type"] == dtype and d_map["rank"] == 2
    assert d_map["global_dim"] == [n, m]
    assert d_map["global_strides_bytes"] == [n * element]
    assert d_map["global_strides_bytes"][0] % 16 == 0
    box_cols, box_rows = d_map["box_dim"]
    assert box_cols * element == 128 and box_rows == 64  # a consumer's rows
    assert d_map["element_strides"] == [1, 1]
    assert d_map["swizzle"] == "CU_TENSOR_MAP_SWIZZLE_128B"

    kernel = gpu.load(binary, spec)
    d = gpu.DeviceBuffer(m * n * element)
    inputs = case.inputs()
    kernel.launch(**inputs, d=d)
    pointers = fake.launches[-1]["params"]
    assert len(pointers) == 6 and pointers[4] == d.pointer
    # The descriptors are freed after the launch; the fake keeps what was
    # encoded: one map over D's memory.
    (encoded,) = [e for e in fake.tensor_maps.values()
                  if e["address"] == d.pointer]
    assert encoded["data_type"] == dtype
    assert encoded["dims"] == d_map["global_dim"]
    assert encoded["strides"] == d_map["global_strides_bytes"]
    assert encoded["box"] == d_map["box_dim"]
    assert encoded["swizzle"] == "CU_TENSOR_MAP_SWIZZLE_128B"
    d.free()


def test_tensor_map_of_an_unbound_parameter_is_an_error(fake):
    """A map whose `of` names no parameter bound before it is reported."""
    binary, spec = _spec("gemm_e4m3_bf16_tensor_256x384x512")
    spec = dict(spec, params=[dict(p) for p in spec["params"]])
    a_map = next(p for p in spec["params"] if p["name"] == "a")
    spec["params"].insert(0, dict(a_map, name="early_map", of="d"))
    kernel = gpu.load(binary, spec)
    with pytest.raises(gpu.GPUError, match="describes 'd', which no parameter"):
        kernel.launch(**gpu_cases.CASES_BY_NAME[
            "gemm_e4m3_bf16_tensor_256x384x512"].inputs())
