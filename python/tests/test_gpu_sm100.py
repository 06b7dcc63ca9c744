"""The sm_100a warp-specialized GEMM (gpu_cases.SM100_CASES) on a B200,
against the numpy reference within the accumulation bound of
gpu_testing.check_gemm (marker `gpu`; skipped without a GPU, and on any GPU
but an sm_100a one, since the kernels are compiled for sm_100a)."""

import pytest

import gpu_cases
from gpu_cases import SM100, SM100_CASES
from gpu_testing import check_gemm, load_case

pytestmark = pytest.mark.gpu


def test_cases_target_sm100():
    """Every case of the list is compiled for sm_100a with the
    warp-specialized kernel (the CPU-side half of the test: no GPU)."""
    assert SM100_CASES
    for case in SM100_CASES:
        assert case.chip == SM100, case.name
        assert case.options["gemm_warp_specialize"] == "on", case.name
        assert case not in gpu_cases.CASES, case.name


@pytest.mark.parametrize("case", SM100_CASES, ids=lambda c: c.name)
def test_sm100_gemm_kernel(sm100_device, case):
    check_gemm(case, load_case(case, sm100_device))
