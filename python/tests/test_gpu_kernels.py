"""fp8-mlir's GPU kernels run on a GPU, against the CPU reference and
torch._scaled_mm (marker `gpu`; skipped without a GPU or cuda-python).

The cases, their inputs and references are in gpu_cases.py: one fp8 op per
kernel, launched through fp8_mlir.gpu exactly as the manifest says.

* quantize, dequantize, amax: bit-exact with fp8_mlir_ref (which the CPU
  tests hold bit-exact with --fp8-cpu-pipeline); a NaN matches any NaN.
* scaled_matmul: within an accumulation bound of the float64 product of the
  same dequantized operands. Hopper's FP8 wgmma does not add products with
  full f32 precision (the DeepSeek-V3 report, section 3.3.2, measures about
  14 bits kept), so the bound is ``(K/32 + 2) * 2^-13 * sum_k |a_k b_k|`` per
  element plus the output's rounding, and the relative Frobenius error must
  stay under the output's unit roundoff + 2^-9. The observed errors are
  printed (pytest -s) for the record.
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

pytestmark = pytest.mark.gpu

#: Unit roundoff of each output type (2^-(mantissa bits + 1)).
UNIT_ROUNDOFF = {"f32": 2.0**-24, "f16": 2.0**-11, "bf16": 2.0**-8,
                 "f8E4M3FN": 2.0**-4, "f8E5M2": 2.0**-3}
#: Precision the bound assumes for Hopper's FP8 wgmma accumulation.
WGMMA_ACCUMULATION = 2.0**-13
#: Seconds a launch may take before it counts as hung (GPUTimeoutError).
TIMEOUT = 15


@pytest.fixture(scope="module")
def device():
    reason = gpu.unavailable_reason()
    if reason is not None:
        pytest.skip(f"no GPU: {reason}")
    device = gpu.default_device()
    if device.chip != gpu_cases.CHIP:
        pytest.skip(f"the kernels are compiled for {gpu_cases.CHIP}; "
                    f"{device} runs other code")
    return device


def kernel_for(case, device):
    """The loaded kernel of `case`: compiled now when fp8_mlir's compiler is
    here, else the copy compiled ahead of time. Skips a case the compiler
    rejects (and may), with its diagnostic."""
    if fp8_mlir.has_compiler():
        try:
            binary, spec = gpu_cases.compile_case(case)
        except fp8_mlir.MLIRError as error:
            if case.may_be_rejected:
                pytest.skip(f"the compiler rejects {case.name}: {error}")
            raise
    else:
        binary, spec = gpu_cases.read_case(case)
        if binary is None:
            pytest.skip(spec)
    return gpu.load(binary, spec, device)


def assert_bits_equal(actual, expected, what):
    actual = np.asarray(actual).reshape(np.shape(expected))
    expected = np.asarray(expected)
    assert actual.dtype == expected.dtype, (what, actual.dtype, expected.dtype)
    width = {1: np.uint8, 2: np.uint16, 4: np.uint32}[actual.dtype.itemsize]
    got, want = actual.view(width), expected.view(width)
    with np.errstate(invalid="ignore"):
        both_nan = (np.isnan(actual.astype(np.float32))
                    & np.isnan(expected.astype(np.float32)))
    bad = np.argwhere((got != want) & ~both_nan)
    if bad.size:
        index = tuple(bad[0])
        raise AssertionError(
            f"{what}: {len(bad)} of {actual.size} elements differ; first at "
            f"{index}: got {actual[index]!r} (0x{int(got[index]):x}), "
            f"expected {expected[index]!r} (0x{int(want[index]):x})")


# --- quantize, dequantize, amax -------------------------------------------------

ELEMENTWISE = [c for c in CASES if c.op in ("quantize", "dequantize", "amax")]


@pytest.mark.parametrize("case", ELEMENTWISE, ids=lambda c: c.name)
def test_elementwise_kernel(device, case):
    kernel = kernel_for(case, device)
    inputs = case.inputs()
    outputs = kernel.launch(timeout=TIMEOUT, **inputs)
    expected = case.reference(inputs)
    names = [p["name"] for p in kernel.outputs]
    assert names == list(expected), (names, list(expected))
    for name, actual in zip(names, outputs):
        assert_bits_equal(actual, expected[name], f"{case.name}: {name}")


def test_amax_result_is_zeroed_before_each_launch(device):
    """The tensor amax kernel's atomics need a zeroed result (`zero_init`):
    launching twice on the same device buffer must not keep the first
    maximum."""
    case = gpu_cases.CASES_BY_NAME["amax_f32_tensor"]
    kernel = kernel_for(case, device)
    x = case.inputs()["input"]
    result = gpu.DeviceBuffer(4)
    kernel.launch(x * 4, result, timeout=TIMEOUT)
    kernel.launch(x, result, timeout=TIMEOUT)
    np.testing.assert_array_equal(result.to_array(np.float32),
                                  ref.amax(x, ref.Scaling.tensor()).reshape(1))


# --- scaled_matmul --------------------------------------------------------------

GEMMS = [c for c in CASES if c.op == "gemm"]


def gemm_check(case, inputs, d_actual, d_exact, what):
    """Asserts that `d_actual` (the kernel's output, any dtype) is within the
    accumulation bound of the float64 product `d_exact`; returns the
    observed (max error / bound, relative Frobenius error)."""
    facts = case.gemm
    out = facts["out"]
    a = ref.dequantize(inputs["a"], inputs["a_scale"], facts["a_scaling"])
    b = ref.dequantize(inputs["b"], inputs["b_scale"], facts["b_scaling"])
    magnitude = np.abs(a.astype(np.float64)) @ np.swapaxes(
        np.abs(b.astype(np.float64)), -1, -2)
    if facts["bias"]:
        magnitude += np.abs(inputs["bias"].astype(np.float64))
    out_scale = float(inputs.get("out_scale", 1.0))
    exact = np.asarray(d_exact, np.float64)
    if out in ("f8E4M3FN", "f8E5M2"):  # the saturating cast of D / out_scale
        limit = ref.format_max(out) * out_scale
        exact = np.clip(exact, -limit, limit)
    u = UNIT_ROUNDOFF[out]
    accumulation = (facts["k"] / 32 + 2) * WGMMA_ACCUMULATION * magnitude
    tiny = float(ml_dtypes.finfo(ref.dtype_of(out)).smallest_subnormal)
    bound = 2 * accumulation + u * np.abs(exact) + tiny * out_scale
    got = np.asarray(d_actual).reshape(exact.shape).astype(np.float64) * out_scale
    assert np.isfinite(got).all(), f"{what}: non-finite output"
    error = np.abs(got - exact)
    worst = np.unravel_index(np.argmax(error - bound), error.shape)
    assert (error <= bound).all(), (
        f"{what}: {int((error > bound).sum())} elements outside the bound; "
        f"worst at {worst}: got {got[worst]}, exact {exact[worst]}, "
        f"bound {bound[worst]}")
    frobenius = np.linalg.norm(got - exact) / max(np.linalg.norm(exact), 1e-300)
    assert frobenius <= u + 2.0**-9, f"{what}: relative Frobenius error {frobenius}"
    return float(np.max(error / bound)), float(frobenius)


@pytest.mark.parametrize("case", GEMMS, ids=lambda c: c.name)
def test_gemm_kernel(device, case):
    kernel = kernel_for(case, device)
    inputs = case.inputs()
    outputs = dict(zip([p["name"] for p in kernel.outputs],
                       kernel.launch(timeout=TIMEOUT, **inputs)))
    expected = case.reference(inputs)
    worst, frobenius = gemm_check(case, inputs, outputs["d"],
                                  expected["exact"], case.name)
    print(f"\n{case.name}: max error/bound {worst:.3g}, "
          f"relative Frobenius error {frobenius:.3g}")
    if case.gemm["amax"]:
        facts = case.gemm
        a = ref.dequantize(inputs["a"], inputs["a_scale"], facts["a_scaling"])
        b = ref.dequantize(inputs["b"], inputs["b_scale"], facts["b_scaling"])
        slack = ((facts["k"] / 32 + 2) * WGMMA_ACCUMULATION *
                 float(np.max(np.abs(a.astype(np.float64)) @
                              np.swapaxes(np.abs(b.astype(np.float64)),
                                          -1, -2))))
        got = float(np.asarray(outputs["amax"]).reshape(()))
        assert abs(got - float(expected["amax"])) <= 2 * slack + 1e-30, (
            f"amax of D: got {got}, expected {float(expected['amax'])}")


def test_time_with_a_cuda_graph(device):
    """gpu.time with the launches of a cluster kernel captured in a CUDA
    graph (what bench/gpu/run.py uses), and without."""
    case = gpu_cases.CASES_BY_NAME["gemm_e4m3_bf16_tensor_2048x2048x2048"]
    kernel = kernel_for(case, device)
    assert kernel.cluster != (1, 1, 1)
    inputs = case.inputs()
    graph = gpu.time(kernel, iters=10, warmup=2, graph=True, timeout=TIMEOUT,
                     **inputs)
    loop = gpu.time(kernel, iters=10, warmup=2, timeout=TIMEOUT, **inputs)
    print(f"\n{case.name}: {graph:.4f} ms per launch in a graph, "
          f"{loop:.4f} ms in a loop")
    assert graph > 0 and loop > 0


def test_gemm_device_buffers_in_place(device):
    """Device buffers as arguments are used in place, and give bit for bit
    what host arrays give."""
    case = gpu_cases.CASES_BY_NAME["gemm_e4m3_bf16_tensor_256x384x512"]
    kernel = kernel_for(case, device)
    inputs = case.inputs()
    (from_host,) = kernel.launch(timeout=TIMEOUT, **inputs)
    buffers = {name: gpu.DeviceBuffer.from_array(value)
               for name, value in inputs.items()}
    d = gpu.DeviceBuffer(from_host.nbytes)
    (result,) = kernel.launch(d=d, timeout=TIMEOUT, **buffers)
    assert result is d
    assert_bits_equal(d.to_array(from_host.dtype), from_host, "in place")


def test_run_gemm(device):
    """gpu.run_gemm: the GEMM of numpy inputs, compiled for their shape (or
    given the kernel compiled ahead of time)."""
    case = gpu_cases.CASES_BY_NAME["gemm_e4m3_bf16_rowwise_512x768x1024"]
    inputs = case.inputs()
    kernel = None
    if not fp8_mlir.has_compiler():
        binary, spec = gpu_cases.read_case(case)
        if binary is None:
            pytest.skip(spec)
        kernel = (binary, spec)
    d = gpu.run_gemm(inputs["a"], inputs["a_scale"], inputs["b"],
                     inputs["b_scale"], "bf16", kernel=kernel,
                     timeout=TIMEOUT)
    assert d.shape == (512, 768) and d.dtype == ml_dtypes.bfloat16
    gemm_check(case, inputs, d, case.reference(inputs)["exact"], "run_gemm")


def test_time(device):
    """gpu.time measures a launch with CUDA events: positive, and below what
    the H100/H200 FP8 peak (~1979 dense TFLOP/s) allows."""
    case = gpu_cases.CASES_BY_NAME["gemm_e4m3_bf16_tensor_2048x2048x2048"]
    kernel = kernel_for(case, device)
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
def test_gemm_against_torch_scaled_mm(device, case):
    torch = _torch()
    kernel = kernel_for(case, device)
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


def test_torch_tensors_in_place(device):
    """CUDA torch tensors (FP8, bf16) pass straight to a kernel."""
    torch = _torch()
    case = gpu_cases.CASES_BY_NAME["gemm_e4m3_bf16_tensor_256x384x512"]
    kernel = kernel_for(case, device)
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
