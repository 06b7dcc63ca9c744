"""fp8-mlir's sm_90a GPU kernels run on a Hopper GPU, against the CPU
reference and torch._scaled_mm (marker `gpu`; skipped without a GPU,
cuda-python or an sm_90a chip).

The cases, their inputs and references are in gpu_cases.py: one fp8 op per
kernel, launched through fp8_mlir.gpu exactly as the manifest says. The
launch and the comparisons are gpu_testing's (tested without a GPU by
test_gpu_testing.py):

* quantize, dequantize, amax: bit-exact with fp8_mlir_ref (which the CPU
  tests hold bit-exact with --fp8-cpu-pipeline); a NaN matches any NaN.
* scaled_matmul: within the wgmma accumulation bound of the float64
  product of the same dequantized operands (gpu_testing.gemm_check). The
  observed errors are printed (pytest -s) for the record.
* against torch._scaled_mm (cuBLASLt) on the same FP8 inputs and decode
  scales, B given column-major, where torch is importable and supports the
  combination.
"""

import math

import ml_dtypes
import numpy as np
import pytest

import fp8_mlir
import fp8_mlir_ref as ref
import gpu_cases
from fp8_mlir import gpu
from gpu_cases import CASES
from gpu_testing import (TIMEOUT, UNIT_ROUNDOFF, assert_bits_equal,
                         case_binary, check_bit_exact, check_gemm, gemm_check,
                         load_case)

pytestmark = pytest.mark.gpu


# --- quantize, dequantize, amax -------------------------------------------------

ELEMENTWISE = [c for c in CASES if c.op in ("quantize", "dequantize", "amax")]


@pytest.mark.parametrize("case", ELEMENTWISE, ids=lambda c: c.name)
def test_elementwise_kernel(sm90_device, case):
    check_bit_exact(case, load_case(case, sm90_device))


def test_amax_result_is_zeroed_before_each_launch(sm90_device):
    """The tensor amax kernel's atomics need a zeroed result (`zero_init`):
    launching twice on the same device buffer must not keep the first
    maximum."""
    case = gpu_cases.CASES_BY_NAME["amax_f32_tensor"]
    kernel = load_case(case, sm90_device)
    x = case.inputs()["input"]
    result = gpu.DeviceBuffer(4)
    kernel.launch(x * 4, result, timeout=TIMEOUT)
    kernel.launch(x, result, timeout=TIMEOUT)
    np.testing.assert_array_equal(result.to_array(np.float32),
                                  ref.amax(x, ref.Scaling.tensor()).reshape(1))


# --- scaled_matmul --------------------------------------------------------------

GEMMS = [c for c in CASES if c.op == "gemm"]


@pytest.mark.parametrize("case", GEMMS, ids=lambda c: c.name)
def test_gemm_kernel(sm90_device, case):
    check_gemm(case, load_case(case, sm90_device))


def test_time_with_a_cuda_graph(sm90_device):
    """gpu.time with the launches of a cluster kernel captured in a CUDA
    graph (what bench/gpu/run.py uses), and without."""
    case = gpu_cases.CASES_BY_NAME["gemm_e4m3_bf16_tensor_2048x2048x2048"]
    kernel = load_case(case, sm90_device)
    assert kernel.cluster != (1, 1, 1)
    inputs = case.inputs()
    graph = gpu.time(kernel, iters=10, warmup=2, graph=True, timeout=TIMEOUT,
                     **inputs)
    loop = gpu.time(kernel, iters=10, warmup=2, timeout=TIMEOUT, **inputs)
    print(f"\n{case.name}: {graph:.4f} ms per launch in a graph, "
          f"{loop:.4f} ms in a loop")
    assert graph > 0 and loop > 0


def test_gemm_device_buffers_in_place(sm90_device):
    """Device buffers as arguments are used in place, and give bit for bit
    what host arrays give."""
    case = gpu_cases.CASES_BY_NAME["gemm_e4m3_bf16_tensor_256x384x512"]
    kernel = load_case(case, sm90_device)
    inputs = case.inputs()
    (from_host,) = kernel.launch(timeout=TIMEOUT, **inputs)
    buffers = {name: gpu.DeviceBuffer.from_array(value)
               for name, value in inputs.items()}
    d = gpu.DeviceBuffer(from_host.nbytes)
    (result,) = kernel.launch(d=d, timeout=TIMEOUT, **buffers)
    assert result is d
    assert_bits_equal(d.to_array(from_host.dtype), from_host, "in place")


def test_run_gemm(sm90_device):
    """gpu.run_gemm: the GEMM of numpy inputs, compiled for their shape (or
    given the kernel compiled ahead of time)."""
    case = gpu_cases.CASES_BY_NAME["gemm_e4m3_bf16_rowwise_512x768x1024"]
    inputs = case.inputs()
    kernel = None if fp8_mlir.has_compiler() else case_binary(case)
    d = gpu.run_gemm(inputs["a"], inputs["a_scale"], inputs["b"],
                     inputs["b_scale"], "bf16", kernel=kernel,
                     timeout=TIMEOUT)
    assert d.shape == (512, 768) and d.dtype == ml_dtypes.bfloat16
    gemm_check(case, inputs, d, case.reference(inputs)["exact"], "run_gemm")


def test_time(sm90_device):
    """gpu.time measures a launch with CUDA events: positive, and below what
    the H100/H200 FP8 peak (~1979 dense TFLOP/s) allows."""
    case = gpu_cases.CASES_BY_NAME["gemm_e4m3_bf16_tensor_2048x2048x2048"]
    kernel = load_case(case, sm90_device)
    inputs = {name: gpu.DeviceBuffer.from_array(value)
              for name, value in case.inputs().items()}
    milliseconds = gpu.time(kernel, iters=10, **inputs)
    tflops = 2 * 2048**3 / (milliseconds * 1e-3) / 1e12
    print(f"\n2048^3 FP8 GEMM: {milliseconds:.4f} ms, {tflops:.1f} TFLOP/s")
    assert 0 < tflops < 2000


# --- against torch._scaled_mm -----------------------------------------------------


def _torch():
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("torch sees no CUDA device")
    if not hasattr(torch, "_scaled_mm"):
        pytest.skip(f"torch {torch.__version__} has no _scaled_mm")
    return torch


def _torch_fp8(torch, array):
    dtype = {np.dtype(ml_dtypes.float8_e4m3fn): torch.float8_e4m3fn,
             np.dtype(ml_dtypes.float8_e5m2): torch.float8_e5m2}[array.dtype]
    bits = torch.from_numpy(np.ascontiguousarray(array).view(np.uint8))
    return bits.cuda().view(dtype)


def torch_scaled_mm(torch, case, inputs):
    """torch._scaled_mm on the case's FP8 operands: A [M, K] row-major, B
    [K, N] column-major (the [N, K] array transposed), decode scales."""
    facts = case.gemm
    a = _torch_fp8(torch, inputs["a"])
    b = _torch_fp8(torch, inputs["b"]).t()
    m, n = facts["m"], facts["n"]
    if facts["a_scaling"].kind == "tensor":
        sa = torch.tensor(float(inputs["a_scale"]), dtype=torch.float32,
                          device="cuda")
        sb = torch.tensor(float(inputs["b_scale"]), dtype=torch.float32,
                          device="cuda")
    else:  # rowwise: [M, 1] and [1, N]
        sa = torch.from_numpy(inputs["a_scale"].reshape(m, 1)).cuda()
        sb = torch.from_numpy(inputs["b_scale"].reshape(1, n)).cuda()
    out_dtype = {"bf16": torch.bfloat16, "f32": torch.float32}[facts["out"]]
    d = torch._scaled_mm(a, b, scale_a=sa, scale_b=sb, out_dtype=out_dtype)
    return d.float().cpu().numpy()


TORCH_GEMMS = [c for c in GEMMS
               if c.gemm["out"] in ("bf16", "f32") and not c.gemm["bias"]
               and not c.gemm["batch"]  # _scaled_mm takes 2-D operands
               and c.gemm["a_scaling"].kind in ("tensor", "rowwise")
               and not (c.gemm["a_scaling"].kind == "rowwise"
                        and c.gemm["out"] != "bf16")]


@pytest.mark.parametrize("case", TORCH_GEMMS, ids=lambda c: c.name)
def test_gemm_against_torch_scaled_mm(sm90_device, case):
    torch = _torch()
    kernel = load_case(case, sm90_device)
    inputs = case.inputs()
    (ours,) = kernel.launch(timeout=TIMEOUT, **inputs)
    try:
        theirs = torch_scaled_mm(torch, case, inputs)
    except RuntimeError as error:  # a combination cuBLASLt does not take
        pytest.skip(f"torch._scaled_mm: {error}")
    exact = case.reference(inputs)["exact"]
    # Both are within the bound of the exact product, so within twice of it
    # of each other; check each, then how far apart they are.
    gemm_check(case, inputs, theirs, exact, f"{case.name} (torch)")
    ours = np.asarray(ours).reshape(exact.shape).astype(np.float64)
    apart = np.linalg.norm(ours - theirs) / max(np.linalg.norm(exact), 1e-300)
    print(f"\n{case.name}: |ours - torch| / |D| = {apart:.3g}")
    assert apart <= 2 * (UNIT_ROUNDOFF[case.gemm['out']] + 2.0**-9)


def test_torch_tensors_in_place(sm90_device):
    """CUDA torch tensors (FP8, bf16) pass straight to a kernel."""
    torch = _torch()
    case = gpu_cases.CASES_BY_NAME["gemm_e4m3_bf16_tensor_256x384x512"]
    kernel = load_case(case, sm90_device)
    inputs = case.inputs()
    (from_host,) = kernel.launch(timeout=TIMEOUT, **inputs)
    d = torch.empty((256, 384), dtype=torch.bfloat16, device="cuda")
    kernel.launch(timeout=TIMEOUT, a=_torch_fp8(torch, inputs["a"]),
                  a_scale=torch.tensor([float(inputs["a_scale"])],
                                       device="cuda"),
                  b=_torch_fp8(torch, inputs["b"]),
                  b_scale=torch.tensor([float(inputs["b_scale"])],
                                       device="cuda"),
                  d=d)
    got = d.view(torch.int16).cpu().numpy().view(ml_dtypes.bfloat16)
    assert_bits_equal(got, from_host.reshape(256, 384), "torch in place")
    assert math.isfinite(float(d.float().abs().max()))
