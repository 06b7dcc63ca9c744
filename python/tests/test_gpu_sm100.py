"""The sm_100a warp-specialized GEMM (gpu_cases.SM100_CASES) on a B200,
against the numpy reference within the accumulation bound of
test_gpu_kernels (marker `gpu`; skipped without a GPU, and on any GPU but
an sm_100a one, since the kernels are compiled for sm_100a)."""

import numpy as np
import pytest

import gpu_cases
from fp8_mlir import gpu
from fp8_mlir_ref import dequantize
from gpu_cases import SM100, SM100_CASES
from test_gpu_kernels import TIMEOUT, WGMMA_ACCUMULATION, gemm_check, kernel_for

pytestmark = pytest.mark.gpu


@pytest.fixture(scope="module")
def device():
    reason = gpu.unavailable_reason()
    if reason is not None:
        pytest.skip(f"no GPU: {reason}")
    device = gpu.default_device()
    if device.chip != SM100:
        pytest.skip(f"the kernels are compiled for {SM100}; {device} runs "
                    "other code")
    return device


def test_cases_target_sm100():
    """Every case of the list is compiled for sm_100a with the
    warp-specialized kernel (the CPU-side half of the test: no GPU)."""
    assert SM100_CASES
    for case in SM100_CASES:
        assert case.chip == SM100, case.name
        assert case.options["gemm_warp_specialize"] == "on", case.name
        assert case not in gpu_cases.CASES, case.name


@pytest.mark.parametrize("case", SM100_CASES, ids=lambda c: c.name)
def test_sm100_gemm_kernel(device, case):
    kernel = kernel_for(case, device)
    inputs = case.inputs()
    outputs = dict(zip([p["name"] for p in kernel.outputs],
                       kernel.launch(timeout=TIMEOUT, **inputs)))
    expected = case.reference(inputs)
    worst, frobenius = gemm_check(case, inputs, outputs["d"],
                                  expected["exact"], case.name)
    print(f"\n{case.name}: max error/bound {worst:.3g}, "
          f"relative Frobenius error {frobenius:.3g}")
    facts = case.gemm
    if facts["amax"]:
        a = dequantize(inputs["a"], inputs["a_scale"], facts["a_scaling"])
        b = dequantize(inputs["b"], inputs["b_scale"], facts["b_scaling"])
        slack = ((facts["k"] / 32 + 2) * WGMMA_ACCUMULATION *
                 float(np.max(np.abs(a.astype(np.float64)) @
                              np.swapaxes(np.abs(b.astype(np.float64)),
                                          -1, -2))))
        got = float(np.asarray(outputs["amax"]).reshape(()))
        assert abs(got - float(expected["amax"])) <= 2 * slack + 1e-30, (
            f"amax of D: got {got}, expected {float(expected['amax'])}")
