"""What the GPU test files share: the device check, getting a case's
kernel, launching it on the case's inputs, and comparing the outputs with
the case's CPU reference (gpu_cases.py holds the cases themselves).

    device = gpu_testing.device_for("sm_90a")        # or pytest.skip(why)
    kernel = gpu_testing.load_case(case, device)     # or pytest.skip(why)
    gpu_testing.check_bit_exact(case, kernel)        # raises AssertionError

The check_* functions take any loaded kernel: something with the
`outputs` (the manifest's output parameters, in order) and
`launch(timeout=..., **arguments)` of fp8_mlir.gpu.Kernel. On a GPU that
is the real kernel; test_gpu_testing.py hands them kernels loaded on a
simulated CUDA driver whose launch runs the CPU reference, so this code
(argument packing, output decoding, the comparisons) is tested without a
GPU too. The GPU test files (test_gpu_kernels.py, test_gpu_sm100.py,
test_gpu_kernels_fp4.py) keep only what is particular to them.

Tolerances:

* quantize, dequantize, amax (and the FP4/FP6 quantizes): bit-exact with
  fp8_mlir_ref; a NaN matches any NaN.
* the sm_90a / sm_100a FP8 GEMMs (check_gemm): within an accumulation bound
  of the float64 product of the same dequantized operands. Hopper's FP8
  wgmma does not add products with full f32 precision (the DeepSeek-V3
  report, section 3.3.2, measures about 14 bits kept), so the bound is
  ``(K/32 + 2) * 2^-13 * sum_k |a_k b_k|`` per element plus the output's
  rounding, and the relative Frobenius error must stay under the output's
  unit roundoff + 2^-9.
* the MX FP4/FP6 and NVFP4 GEMMs (check_f32_accumulation_gemm): f32
  accumulation in tensor memory, within ``K * 2^-22 * sum_k |a_k b_k|``.
"""

import ml_dtypes
import numpy as np
import pytest

import fp8_mlir_ref as ref
import gpu_cases

#: Seconds a launch may take before it counts as hung (GPUTimeoutError).
TIMEOUT = 15
#: Unit roundoff of each output type (2^-(mantissa bits + 1)).
UNIT_ROUNDOFF = {"f32": 2.0**-24, "f16": 2.0**-11, "bf16": 2.0**-8,
                 "f8E4M3FN": 2.0**-4, "f8E5M2": 2.0**-3}
#: Precision the bound assumes for Hopper's FP8 wgmma accumulation.
WGMMA_ACCUMULATION = 2.0**-13
#: Precision the bound assumes for tcgen05's f32 accumulation of K products.
F32_ACCUMULATION = 2.0**-22

#: The element types a kernel reads and writes in a packed layout
#: (gpu_cases.device_operand, gpu_cases.output_bits).
SUB_BYTE_DTYPES = (np.dtype(ml_dtypes.float4_e2m1fn),
                   np.dtype(ml_dtypes.float6_e2m3fn),
                   np.dtype(ml_dtypes.float6_e3m2fn))


# --- the device ------------------------------------------------------------------


def device_for(chip, kernels="the kernels"):
    """The default GPU when it runs `chip` code; else skips the test,
    saying why: no usable GPU (fp8_mlir.gpu.unavailable_reason), or a GPU
    of another chip."""
    from fp8_mlir import gpu

    reason = gpu.unavailable_reason()
    if reason is not None:
        pytest.skip(f"no GPU: {reason}")
    device = gpu.default_device()
    if device.chip != chip:
        pytest.skip(f"{kernels} are compiled for {chip}; {device} runs "
                    "other code")
    return device


# --- the kernel of a case -----------------------------------------------------------


def case_binary(case):
    """``(binary, spec)`` of `case`: compiled now (once) when fp8_mlir's
    compiler is here, else the copy compiled ahead of time. Skips a case
    the compiler rejects (and may), or one with no kernel anywhere, with
    the reason."""
    binary, spec = gpu_cases.kernel_for(case)
    if binary is None:
        pytest.skip(spec)
    return binary, spec


def load_case(case, device):
    """The kernel of `case` (case_binary) loaded on `device`."""
    from fp8_mlir import gpu

    return gpu.load(*case_binary(case), device)


# --- launching ----------------------------------------------------------------------


def device_arguments(case, inputs):
    """The case's `inputs` as the kernel reads them: NVFP4 and `.kind::mxf4`
    GEMM operands packed two FP4 values a byte, `[rows, K / 2]` bytes (what
    their `packed_fp4` tensor maps cover; the harness takes no more), other
    FP4/FP6 operands in Padded16 units (gpu_cases.device_operand);
    everything else as it is."""
    if case.gemm.get("nvfp4") or case.gemm.get("mxf4"):
        return dict(inputs, a=ref.pack_fp4(inputs["a"]),
                    b=ref.pack_fp4(inputs["b"]))
    return {name: gpu_cases.device_operand(value) if isinstance(
                value, np.ndarray) else value
            for name, value in inputs.items()}


def launch_case(case, kernel, inputs=None, timeout=TIMEOUT):
    """Launches `kernel` on the case's inputs (device_arguments; `inputs`
    defaults to case.inputs()) and returns ``(inputs, outputs)``, the
    outputs by parameter name."""
    if inputs is None:
        inputs = case.inputs()
    names = [param["name"] for param in kernel.outputs]
    results = kernel.launch(timeout=timeout, **device_arguments(case, inputs))
    assert len(results) == len(names), (names, len(results))
    return inputs, dict(zip(names, results))


# --- comparing -----------------------------------------------------------------------


def assert_bits_equal(actual, expected, what):
    """`actual` holds the bits of `expected` (any shape with its size, its
    dtype); a NaN matches any NaN. Names the first differing element.
    A 0-d `expected` (a tensor amax) is compared as one element: argwhere
    finds nothing in a 0-d array, even where it differs."""
    expected = np.atleast_1d(np.asarray(expected))
    actual = np.asarray(actual).reshape(expected.shape)
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


def decoded_output(output, expected, inputs):
    """A kernel's output as the reference's values: FP4/FP6 data unpacked
    from its storage (gpu_cases.output_bits: packed for NVFP4, Padded16 for
    MX, told apart by the scales' type), anything else as it is."""
    if np.dtype(expected.dtype) in SUB_BYTE_DTYPES:
        return gpu_cases.output_bits(output, expected, inputs["scale"].dtype)
    return output


def check_bit_exact(case, kernel):
    """Launches the quantize / dequantize / amax kernel of `case` and holds
    each output bit-exact with the reference's value of that name; the
    kernel's outputs and the reference's are the same names in the same
    order."""
    inputs, outputs = launch_case(case, kernel)
    expected = case.reference(inputs)
    assert list(outputs) == list(expected), (list(outputs), list(expected))
    for name, actual in outputs.items():
        assert_bits_equal(decoded_output(actual, expected[name], inputs),
                          expected[name], f"{case.name}: {name}")


def _magnitude(case, inputs):
    """sum_k |a_k b_k| of the case's dequantized operands (float64)."""
    facts = case.gemm
    a = ref.dequantize(inputs["a"], inputs["a_scale"], facts["a_scaling"])
    b = ref.dequantize(inputs["b"], inputs["b_scale"], facts["b_scaling"])
    return np.abs(a.astype(np.float64)) @ np.swapaxes(
        np.abs(b.astype(np.float64)), -1, -2)


def gemm_check(case, inputs, d_actual, d_exact, what):
    """Asserts that `d_actual` (the kernel's output, any dtype) is within the
    accumulation bound of the float64 product `d_exact`; returns the
    observed (max error / bound, relative Frobenius error)."""
    facts = case.gemm
    out = facts["out"]
    magnitude = _magnitude(case, inputs)
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


def check_gemm(case, kernel):
    """Launches the FP8 GEMM kernel of `case`: D within gemm_check's bound
    of the exact product and, for a kernel that also reduces amax(D), that
    amax within twice the accumulation slack of the reference's. Prints the
    observed errors (pytest -s) for the record; returns (max error / bound,
    relative Frobenius error)."""
    inputs, outputs = launch_case(case, kernel)
    expected = case.reference(inputs)
    worst, frobenius = gemm_check(case, inputs, outputs["d"],
                                  expected["exact"], case.name)
    print(f"\n{case.name}: max error/bound {worst:.3g}, "
          f"relative Frobenius error {frobenius:.3g}")
    if case.gemm["amax"]:
        slack = ((case.gemm["k"] / 32 + 2) * WGMMA_ACCUMULATION *
                 float(np.max(_magnitude(case, inputs))))
        got = float(np.asarray(outputs["amax"]).reshape(()))
        assert abs(got - float(expected["amax"])) <= 2 * slack + 1e-30, (
            f"amax of D: got {got}, expected {float(expected['amax'])}")
    return worst, frobenius


def check_f32_accumulation_gemm(case, kernel):
    """Launches the MX FP4/FP6 or NVFP4 GEMM kernel of `case` (f32 D) and
    holds D within ``K * 2^-22 * sum_k |a_k b_k| + 1e-30`` of the float64
    product of the dequantized operands: the reference's `magnitude`
    (NVFP4's two-level scales) or that of the [1, 32] E8M0-scaled ones."""
    inputs, outputs = launch_case(case, kernel)
    expected = case.reference(inputs)
    exact = expected["exact"]
    magnitude = expected.get("magnitude")
    if magnitude is None:
        mx = ref.Scaling.blocks(1, 32)
        a = ref.dequantize(inputs["a"], inputs["a_scale"], mx)
        b = ref.dequantize(inputs["b"], inputs["b_scale"], mx)
        magnitude = np.abs(a.astype(np.float64)) @ np.abs(
            b.astype(np.float64)).T
    got = np.asarray(outputs["d"], np.float64).reshape(exact.shape)
    bound = case.gemm["k"] * F32_ACCUMULATION * magnitude + 1e-30
    error = np.abs(got - exact)
    assert (error <= bound).all(), (
        f"{case.name}: {int((error > bound).sum())} elements outside the "
        f"bound; worst {float(np.max(error / bound)):.3g} x the bound")
