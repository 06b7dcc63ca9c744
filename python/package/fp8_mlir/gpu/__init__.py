"""Run fp8-mlir's GPU kernels from Python: cuda-python's driver API + numpy.

    import fp8_mlir
    from fp8_mlir import gpu

    if gpu.is_available():
        ptx, manifest = fp8_mlir.to_ptx(model_ir, chip="sm_90a")
        kernel = gpu.load(ptx, manifest["kernels"][0])
        outputs = kernel.launch(*inputs)              # numpy in, numpy out
        ms = gpu.time(kernel, inputs, iters=50)        # CUDA events
        d = gpu.run_gemm(a_q, sa, b_q, sb, "bf16")     # one FP8 GEMM

Nothing here is compiled: importing works without cuda-python, a driver or
a GPU (is_available() is then False and unavailable_reason() says why), and
without fp8_mlir's compiled extension (load kernels compiled ahead of time
with fp8_mlir.ptx.read). The manifest's launch contract is in
docs/gpu-pipeline.md: grid/block/cluster exactly as given, 16-byte-aligned
device buffers as bare pointers, TMA descriptors encoded on the host and
passed as pointers to their 128 bytes in global memory.
"""

from ._driver import GPUError, GPUTimeoutError
from .compile import compile_kernel, compile_kernels
from .device import Device, default_device, is_available, unavailable_reason
from .gemm import gemm_ir, recipe_scalings, run_gemm
from .kernel import BoundArguments, Kernel, load, synchronize
from .memory import DeviceBuffer, manifest_dtype
from .timing import time

__all__ = [
    "BoundArguments",
    "Device",
    "DeviceBuffer",
    "GPUError",
    "GPUTimeoutError",
    "Kernel",
    "compile_kernel",
    "compile_kernels",
    "default_device",
    "gemm_ir",
    "is_available",
    "load",
    "recipe_scalings",
    "manifest_dtype",
    "run_gemm",
    "synchronize",
    "time",
    "unavailable_reason",
]
