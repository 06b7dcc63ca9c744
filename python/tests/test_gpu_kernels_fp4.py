"""The sm_100a FP4 / FP6 kernels (gpu_cases.FP4_CASES) on a Blackwell
GPU (marker `gpu`; skipped without an sm_100a GPU): the quantize kernels
bit-exact with fp8_mlir_ref, which the CPU tests hold bit-exact with
--fp8-cpu-pipeline; the NVFP4 training kernels (stochastically rounded
quantize, random Hadamard transform) bit-exact with their numpy references,
which this file holds bit-exact with the CPU runner; the MX GEMMs within an
f32 accumulation bound of the float64 product. Where the compiler is here,
every case, and the MLP training step of test_recipes.py under the MX
FP4/FP6 recipes and the default nvfp4, also compiles for sm_100a, and
ptxas (when installed) assembles it without spills.
"""

import re
import shutil
import subprocess

import ml_dtypes
import numpy as np
import pytest

import fp8_mlir
import fp8_mlir_ref as ref
import gpu_cases
from gpu_cases import FP4_CASES
from gpu_testing import (TIMEOUT, case_binary, check_bit_exact,  # noqa: F401
                         check_f32_accumulation_gemm, device_arguments,
                         launch_case, load_case)

QUANTIZE = [c for c in FP4_CASES if c.op == "quantize"]
HADAMARD = [c for c in FP4_CASES if c.op == "hadamard"]
#: The NVFP4 training kernels, whose references this file checks against
#: the CPU runner.
TRAINING = [c for c in FP4_CASES if "sr_seed" in c.ir] + HADAMARD
DEQUANTIZE = [c for c in FP4_CASES if c.op == "dequantize"]
#: The decode instruction of each FP4/FP6 format.
DECODE = {np.dtype(ml_dtypes.float4_e2m1fn): "cvt.rn.f16x2.e2m1x2",
          np.dtype(ml_dtypes.float6_e2m3fn): "cvt.rn.f16x2.e2m3x2",
          np.dtype(ml_dtypes.float6_e3m2fn): "cvt.rn.f16x2.e3m2x2"}
GEMMS = [c for c in FP4_CASES
         if c.op == "gemm" and not c.gemm.get("nvfp4")
         and not c.gemm.get("mxf4")]
NVFP4_GEMMS = [c for c in FP4_CASES if c.gemm.get("nvfp4")]


#: (binary, spec) of a case, compiled now or ahead of time (skips without
#: either); the name tests appended below may still use.
_compile = case_binary


def _ptxas():
    """ptxas (PATH, else the CUDA toolkit's); skips the test without it."""
    ptxas = shutil.which("ptxas") or "/usr/local/cuda/bin/ptxas"
    if not shutil.which(ptxas):
        pytest.skip("no ptxas (CUDA toolkit)")
    return ptxas


def _assert_assembles_without_spills(ptxas, path):
    """ptxas -arch=sm_100a -v assembles the PTX file `path`, reporting 0
    bytes of spill stores and loads."""
    done = subprocess.run([ptxas, "-arch=sm_100a", "-v", str(path), "-o",
                           str(path) + ".cubin"], capture_output=True,
                          text=True)
    assert done.returncode == 0, (path, done.stderr)
    spills = re.findall(r"(\d+) bytes spill (?:stores|loads)", done.stderr)
    assert spills and all(count == "0" for count in spills), (path,
                                                               done.stderr)


@pytest.mark.parametrize("case", FP4_CASES, ids=lambda c: c.name)
def test_sm100_case_compiles(case, tmp_path):
    """Each case lowers for sm_100a into one kernel (quantize: through the
    sub-byte cvt; GEMM: kind::mxf8f6f4 block-scaled MMAs, NVFP4
    kind::mxf4nvf4 with scale_vec::4X); ptxas assembles it without
    spills."""
    if not fp8_mlir.has_compiler():
        pytest.skip("fp8_mlir's compiler is not built here")
    binary, spec = gpu_cases.compile_case(case)
    assert ".target sm_100a" in binary
    if case.gemm.get("nvfp4"):
        assert ("tcgen05.mma.cta_group::1.kind::mxf4nvf4.block_scale.block16"
                in binary)
        names = [p["name"] for p in spec["params"]]
        assert names[:6] == ["a", "a_scale", "b", "b_scale", "a_global",
                             "b_global"]
        maps = [p for p in spec["params"] if p.get("kind") == "tensor_map"]
        k = case.gemm["k"]
        assert all(p["packed_fp4"] and p["global_dim"][0] == k // 2
                   for p in maps)
    elif case.gemm.get("mxf4"):
        assert ("tcgen05.mma.cta_group::1.kind::mxf4.block_scale.block32"
                in binary)
    elif case.op == "gemm":
        assert ("tcgen05.mma.cta_group::1.kind::mxf8f6f4.block_scale.block32"
                in binary)
    elif case.op == "hadamard":
        # The CPU lowering's products and sums, kept apart (no FMA).
        assert "mul.rn.f32" in binary and "add.rn.f32" in binary
        assert "fma" not in binary
        assert [p["name"] for p in spec["params"]] == ["input", "output"]
    elif "sr_seed" in case.ir:
        # One cvt.rs per four elements, fed by the SplitMix64 word.
        assert "cvt.rs.satfinite.e2m1x4.f32" in binary
        assert "cvt.rn.satfinite.e2m1x2.f32" not in binary
        assert "-7046029254386353131" in binary  # 0x9E3779B97F4A7C15
        names = [p["name"] for p in spec["params"]]
        assert names == ["input", "scale", "output", "global"]
    elif case.op == "dequantize":
        inputs = case.inputs()
        assert DECODE[inputs["input"].dtype] in binary
        names = [p["name"] for p in spec["params"]]
        assert names == ["input", "scale", "output"] + (
            ["global"] if "global" in inputs else [])
    else:
        fmt = {np.dtype(ml_dtypes.float4_e2m1fn): "e2m1x2",
               np.dtype(ml_dtypes.float6_e2m3fn): "e2m3x2",
               np.dtype(ml_dtypes.float6_e3m2fn): "e3m2x2"}[
            case.reference(case.inputs())["output"].dtype]
        assert f"cvt.rn.satfinite.{fmt}.f32" in binary
        names = [p["name"] for p in spec["params"]]
        assert names[:3] == ["input", "scale", "output"]
    ptxas = _ptxas()
    source = tmp_path / "kernel.ptx"
    source.write_text(binary)
    _assert_assembles_without_spills(ptxas, source)


def _same_bits(got, expected):
    """Element-wise: equal bit patterns, or both NaN (NaN payloads differ
    between the CPU and the GPU)."""
    got, expected = np.asarray(got), np.asarray(expected)
    bits = {1: np.uint8, 2: np.uint16, 4: np.uint32}[got.dtype.itemsize]
    nan = (np.isnan(got.astype(np.float32))
           & np.isnan(expected.astype(np.float32)))
    return (got.view(bits) == expected.view(bits)) | nan


@pytest.mark.parametrize("case", TRAINING, ids=lambda c: c.name)
def test_training_reference_is_the_cpu_runner(case):
    """The numpy references the GPU tests compare the NVFP4 training kernels
    with (stochastic rounding, the Hadamard transform in the CPU lowering's
    order) equal the CPU runner (--fp8-cpu-pipeline) bit for bit on the
    case's inputs, NaN, inf and overflow included."""
    if not fp8_mlir.has_compiler():
        pytest.skip("fp8_mlir's compiler is not built here")
    inputs = case.inputs()
    args = [inputs["input"]]
    if "scale" in inputs:
        args += [inputs["scale"], inputs["global"].reshape(())]
    (got,) = fp8_mlir.run(case.ir, "kernel", *args)
    expected = case.reference(inputs)["output"]
    assert got.dtype == expected.dtype and got.shape == expected.shape
    same = _same_bits(got, expected)
    assert same.all(), (f"{case.name}: {int((~same).sum())} elements differ; "
                        f"first at {tuple(np.argwhere(~same)[0])}")
    # The inputs reach the cases the kernels must get right.
    assert np.isnan(np.asarray(inputs["input"], np.float32)).any()
    assert np.isinf(np.asarray(inputs["input"], np.float32)).any()


def test_hadamard_reference_order_matters():
    """hadamard_in_order is not a reshuffled matmul: on these inputs the
    matrix product in BLAS's order (fp8_mlir_ref.random_hadamard) rounds
    some sums differently, so the GPU test is a test of the order."""
    case = gpu_cases.FP4_CASES_BY_NAME["hadamard_f32_16_te_signs"]
    x = case.inputs()["input"]
    finite = np.where(np.isfinite(x) & (np.abs(x) < 1e30), x, 0)
    in_order = gpu_cases.hadamard_in_order(finite, ref.WGRAD_HADAMARD_SIGNS)
    blas = ref.random_hadamard(finite, ref.WGRAD_HADAMARD_SIGNS)
    # Both within f32 summation error of each other: n roundings of sums
    # bounded by sum |x_r| / 4 over the block.
    n = len(ref.WGRAD_HADAMARD_SIGNS)
    magnitude = np.repeat(np.abs(finite.astype(np.float64)).reshape(
        finite.shape[0], -1, n).sum(axis=-1) / 4, n, axis=-1)
    assert (np.abs(in_order.astype(np.float64) - blas)
            <= 2 * n * 2.0**-24 * magnitude).all()
    assert (in_order.view(np.uint32) != blas.view(np.uint32)).any()


def test_output_bits_unpacks_packed_fp4():
    """The packed FP4 layout of NVFP4 data the harness reads back: byte i
    holds elements 2i (low nibble) and 2i + 1, the rest is not data."""
    values = np.array([[0.5, -6.0, 1.5, 0.0]], dtype=ml_dtypes.float4_e2m1fn)
    buffer = np.zeros(4, np.uint8)
    buffer[:2] = ref.pack_fp4(values).reshape(-1)
    buffer[2:] = 0xAB  # the unused half
    got = gpu_cases.output_bits(buffer, values, ml_dtypes.float8_e4m3fn)
    np.testing.assert_array_equal(got.view(np.uint8), values.view(np.uint8))


def test_pack_padded16_inverts_unpack():
    """pack_padded16 (how the GEMM cases hand FP4/FP6 operands to the
    kernel) is the inverse of the layout the quantize kernel is read with."""
    rng = np.random.default_rng(1)
    for dtype, bits in ((ml_dtypes.float4_e2m1fn, 4),
                        (ml_dtypes.float6_e2m3fn, 6),
                        (ml_dtypes.float6_e3m2fn, 6)):
        values = rng.integers(0, 1 << bits, size=(3, 32), dtype=np.uint8
                              ).view(dtype)
        packed = gpu_cases.pack_padded16(values)
        assert packed.shape == values.shape and packed.dtype == np.uint8
        assert not packed.reshape(-1, 16)[:, 2 * bits:].any()
        back = gpu_cases.unpack_padded16(packed, dtype, values.shape)
        np.testing.assert_array_equal(back.view(np.uint8),
                                      values.view(np.uint8))


def test_output_bits_unpacks_padded16():
    """The Padded16 units of MX FP4/FP6 data: for FP6, 16 values of 6 bits
    packed little-endian into 12 bytes (element 0 in bits 0-5 of byte 0,
    element 1 in bits 6-7 of byte 0 and 0-3 of byte 1, ...), then 4 zero
    bytes; for FP4, the torchao nibble order in 8 bytes, then 8 zeros."""
    rng = np.random.default_rng(0)
    codes6 = rng.integers(0, 64, size=16, dtype=np.uint64)
    word = sum(int(c) << (6 * i) for i, c in enumerate(codes6))
    unit = np.frombuffer(word.to_bytes(12, "little") + bytes(4), np.uint8)
    got = gpu_cases.output_bits(unit, np.zeros((1, 16), ml_dtypes.float6_e2m3fn),
                                ml_dtypes.float8_e8m0fnu)
    np.testing.assert_array_equal(got.view(np.uint8).reshape(-1),
                                  codes6.astype(np.uint8))
    fp4 = rng.integers(0, 16, size=16, dtype=np.uint8).view(
        ml_dtypes.float4_e2m1fn).reshape(1, 16)
    unit = np.concatenate([ref.pack_fp4(fp4).reshape(-1), np.zeros(8, np.uint8)])
    got = gpu_cases.output_bits(unit, fp4, ml_dtypes.float8_e8m0fnu)
    np.testing.assert_array_equal(got.view(np.uint8), fp4.view(np.uint8))


@pytest.mark.gpu
@pytest.mark.parametrize("case", QUANTIZE, ids=lambda c: c.name)
def test_sub_byte_quantize_kernel(sm100_device, case):
    """The FP4/FP6 quantize kernels bit-exact with fp8_mlir_ref, their
    packed output unpacked (gpu_cases.output_bits)."""
    check_bit_exact(case, load_case(case, sm100_device))


@pytest.mark.gpu
@pytest.mark.parametrize("case", HADAMARD, ids=lambda c: c.name)
def test_hadamard_kernel(sm100_device, case):
    """The random Hadamard transform kernel bit-exact with the CPU
    lowering's order of products and sums (hadamard_in_order, held equal to
    the CPU runner above); NaN compared as NaN."""
    kernel = load_case(case, sm100_device)
    inputs = case.inputs()
    (output,) = kernel.launch(timeout=TIMEOUT, **inputs)
    expected = case.reference(inputs)["output"]
    got = np.asarray(output).view(expected.dtype).reshape(expected.shape)
    same = _same_bits(got, expected)
    assert same.all(), (
        f"{case.name}: {int((~same).sum())} of {expected.size} elements "
        f"differ; first at {tuple(np.argwhere(~same)[0])}")


@pytest.mark.parametrize("case", DEQUANTIZE, ids=lambda c: c.name)
def test_dequantize_reference_is_the_cpu_runner(case):
    """The reference the GPU dequantize kernels are held to is what
    fp8_mlir.run (--fp8-cpu-pipeline) computes for the same IR and inputs,
    bit for bit, so the GPU test below is a bit-exact comparison with the
    CPU runner. The reference itself is numpy + ml_dtypes."""
    if not fp8_mlir.has_compiler():
        pytest.skip("fp8_mlir's compiler is not built here")
    inputs = case.inputs()
    args = [inputs["input"], inputs["scale"]]
    if "global" in inputs:
        args.append(inputs["global"].reshape(()))
    (cpu,) = fp8_mlir.run(case.ir, "kernel", *args)
    expected = case.reference(inputs)["output"]
    assert cpu.dtype == expected.dtype and cpu.shape == expected.shape
    np.testing.assert_array_equal(np.asarray(cpu).view(np.uint8),
                                  expected.view(np.uint8))
    # Not vacuous: the data decode to many distinct values.
    assert len(np.unique(expected.astype(np.float32))) > 50


@pytest.mark.gpu
@pytest.mark.parametrize("case", DEQUANTIZE, ids=lambda c: c.name)
def test_sub_byte_dequantize_kernel(sm100_device, case):
    """The FP4/FP6 dequantize kernel, reading its input in the GPU storage
    (Packed NVFP4, Padded16 MX), is bit-exact with the CPU runner (through
    the reference test_dequantize_reference_is_the_cpu_runner checks)."""
    from fp8_mlir import gpu

    binary, spec = _compile(case)
    if binary is None:
        pytest.skip(spec)
    kernel = gpu.load(binary, spec, sm100_device)
    inputs = case.inputs()
    (output,) = kernel.launch(timeout=TIMEOUT,
                              **gpu_cases.device_sub_byte_input(inputs))
    expected = case.reference(inputs)["output"]
    got = np.asarray(output).reshape(expected.shape)
    bad = np.argwhere(got.view(np.uint8).reshape(-1) !=
                      expected.view(np.uint8).reshape(-1))
    assert bad.size == 0, (
        f"{case.name}: {len(bad)} bytes of {expected.nbytes} differ; first "
        f"element {np.unravel_index(int(bad[0][0]) // expected.itemsize, expected.shape)}")


@pytest.mark.gpu
@pytest.mark.parametrize("case", GEMMS, ids=lambda c: c.name)
def test_mx_sub_byte_gemm_kernel(sm100_device, case):
    """The MX GEMM on FP4/FP6 containers (Padded16) against the float64
    product of the same dequantized operands: f32 accumulation in tensor
    memory, so the error stays within K * 2^-22 of sum |a_k b_k| (a loose
    bound: f32 accumulation of K products) per element."""
    check_f32_accumulation_gemm(case, load_case(case, sm100_device))


@pytest.mark.gpu
@pytest.mark.parametrize("case", NVFP4_GEMMS, ids=lambda c: c.name)
def test_nvfp4_gemm_kernel(sm100_device, case):
    """The NVFP4 GEMM (packed FP4, E4M3 scales per 16 elements applied by
    the tensor core, a_global * b_global in the epilogue) against the
    float64 product of the dequantized operands: within K * 2^-22 of
    sum |a_k b_k| per element (f32 accumulation of K products)."""
    check_f32_accumulation_gemm(case, load_case(case, sm100_device))


TRAINING_RECIPES = ["mxfp6", "mxfp4", "mxfp4,formats=fp4-weights"]


def _training_step_ptx(recipe, tmp_path):
    """The PTX files of the MLP training step of test_recipes.py under
    `recipe`, lowered for sm_100a."""
    from test_recipes import MODULE

    from fp8_mlir import ptx

    quantized = fp8_mlir.compile(
        MODULE, f"fp8-quantize-pipeline{{recipe={recipe} static-ranges=off}}")
    lowered = fp8_mlir.compile(quantized,
                               "fp8-gpu-pipeline{chip=sm_100a format=isa}")
    paths = ptx.write(lowered, str(tmp_path))
    return [p for p in paths if p.endswith(".ptx")]


@pytest.mark.parametrize("recipe", TRAINING_RECIPES)
def test_training_step_lowers_for_sm100(recipe, tmp_path):
    """The forward and backward GEMMs and quantizes of the training step
    under the MX FP4/FP6 recipes lower for sm_100a: FP4/FP6 quantize
    kernels and kind::mxf8f6f4 GEMMs (mxfp4, FP4 x FP4 only: kind::mxf4 on
    packed FP4), each assembling without spills."""
    if not fp8_mlir.has_compiler():
        pytest.skip("fp8_mlir's compiler is not built here")
    files = _training_step_ptx(recipe, tmp_path)
    texts = [open(p).read() for p in files]
    gemms = [t for t in texts if "tcgen05.mma" in t]
    kind = "kind::mxf4." if recipe == "mxfp4" else "kind::mxf8f6f4."
    assert gemms and all(kind + "block_scale.block32" in t for t in gemms)
    assert any("cvt.rn.satfinite.e2m" in t for t in texts)
    ptxas = _ptxas()
    for path in files:
        _assert_assembles_without_spills(ptxas, path)


@pytest.mark.parametrize("recipe", ["nvfp4", "nvfp4,rht=off,sr=off",
                                    "nvfp4,rht=off,sr=off,weight-blocks=1x16"])
def test_nvfp4_training_step_lowers_for_sm100(recipe, tmp_path):
    """The training step under recipe=nvfp4 lowers for sm_100a end to end:
    every GEMM is tcgen05.mma.kind::mxf4nvf4.block_scale.block16
    (scale_vec::4X) on the packed FP4 data, and every kernel assembles
    without spills. With the default recipe's training techniques, the four
    gradient quantizes round with cvt.rs (stochastic rounding) and the two
    weight-gradient matmuls' operands go through the Hadamard kernel (four
    transforms, two distinct shapes); without them, neither. With
    `weight-blocks=1x16` the GEMMs take the weights' [1, 16] scales (the
    rowwise-blocked B of gemm_nvfp4_rowwise_blocks) and no quantize kernel
    makes 16x16 blocks."""
    if not fp8_mlir.has_compiler():
        pytest.skip("fp8_mlir's compiler is not built here")
    files = _training_step_ptx(recipe, tmp_path)
    names = [p.rsplit("/", 1)[-1] for p in files]
    blocks16 = [n for n in names if "block16x16" in n]
    if "weight-blocks=1x16" in recipe:
        assert not blocks16, names
    else:
        assert blocks16, names
    texts = [open(p).read() for p in files]
    gemms = [t for t in texts if "tcgen05.mma" in t]
    assert gemms and all(
        "tcgen05.mma.cta_group::1.kind::mxf4nvf4.block_scale.block16" in t
        for t in gemms)
    assert not any("kind::mxf8f6f4" in t for t in gemms)
    assert any("cvt.rn.satfinite.e2m1x2" in t for t in texts)
    stochastic = [t for t in texts if "cvt.rs.satfinite.e2m1x4.f32" in t]
    hadamards = [p for p in files if "fp8_hadamard_" in p]
    if recipe == "nvfp4":
        assert len(stochastic) == 4 and len(hadamards) == 2
    else:
        assert not stochastic and not hadamards
    ptxas = _ptxas()
    for path in files:
        _assert_assembles_without_spills(ptxas, path)


MXF4_GEMMS = [c for c in FP4_CASES if c.gemm.get("mxf4")]


def test_mxf4_cases_pass_packed_operands():
    """An MXFP4 x MXFP4 case hands its operands over in the Packed layout
    its kernel's TMA maps read (manifest `packed_fp4`, [rows, K / 2]
    bytes), which unpacks to the case's values
    with ml_dtypes' nibble order (element 2i in the low nibble)."""
    case = gpu_cases.FP4_CASES_BY_NAME["gemm_mxfp4_tail"]
    inputs = case.inputs()
    a = inputs["a"]
    half = device_arguments(case, inputs)["a"]
    assert half.shape == (a.shape[0], a.shape[1] // 2)
    assert half.dtype == np.uint8
    codes = a.view(np.uint8) & 0xF
    np.testing.assert_array_equal(half & 0xF, codes[:, 0::2])
    np.testing.assert_array_equal(half >> 4, codes[:, 1::2])
    if not fp8_mlir.has_compiler():
        pytest.skip("fp8_mlir's compiler is not built here")
    _, spec = gpu_cases.compile_case(case)
    maps = [p for p in spec["params"] if p.get("kind") == "tensor_map"]
    assert [p["name"] for p in maps] == ["a", "b"]
    assert all(p["packed_fp4"] and p["global_dim"][0] == case.gemm["k"] // 2
               for p in maps)


@pytest.mark.gpu
@pytest.mark.parametrize("case", MXF4_GEMMS, ids=lambda c: c.name)
def test_mxf4_gemm_kernel(sm100_device, case):
    """The MXFP4 x MXFP4 GEMM (`.kind::mxf4`, packed FP4, E8M0 scales per
    32 elements applied by the tensor core) against the float64 product of
    the operands dequantized with ml_dtypes and numpy: within K * 2^-22 of
    sum |a_k b_k| per element (f32 accumulation of K products), plus half
    an ulp of the output for bf16 D."""
    inputs, outputs = launch_case(case, load_case(case, sm100_device))
    expected = case.reference(inputs)
    exact = expected["exact"]
    got = np.asarray(outputs["d"]).astype(np.float64).reshape(exact.shape)
    bound = case.gemm["k"] * 2.0**-22 * expected["magnitude"] + 1e-30
    if case.gemm["out"] == "bf16":
        bound = bound * (1 + 2.0**-8) + 2.0**-8 * np.abs(exact)
    error = np.abs(got - exact)
    assert (error <= bound).all(), (
        f"{case.name}: {int((error > bound).sum())} elements outside the "
        f"bound; worst {float(np.max(error / bound)):.3g} x the bound")


def test_bench_fp4_inputs_match_torchao():
    """The FP4 operands of the GPU benchmark (bench/gpu/run.py, made with
    torch on the device) are torchao's: MXFP4 as `to_mx` (FLOOR E8M0
    scales, packed E2M1), NVFP4 as `nvfp4_quantize` with the per-tensor
    scale amax / (448 * 6) (E4M3 block scales, packed E2M1); the scale
    bytes cuBLASLt reads are torchao's `to_blocked` layout."""
    torch = pytest.importorskip("torch")
    mx_tensor = pytest.importorskip("torchao.prototype.mx_formats.mx_tensor")
    nvfp4_tensor = pytest.importorskip(
        "torchao.prototype.mx_formats.nvfp4_tensor")
    mx_utils = pytest.importorskip("torchao.prototype.mx_formats.utils")
    from fp8_mlir.gpu.bench import run

    generator = torch.Generator().manual_seed(3)
    x = torch.randn(256, 512, generator=generator) * 3
    scale_bits, packed = mx_tensor.to_mx(x, torch.float4_e2m1fn_x2, 32)
    codes, scale, _ = run.fp4_quantize(torch, x, (1, 32), nvfp4=False)
    assert torch.equal(run.pack_e2m1(torch, codes), packed.view(torch.uint8))
    ours = run.e8m0_bits(torch, scale)
    assert torch.equal(ours, scale_bits.view(torch.uint8).reshape(ours.shape))
    assert torch.equal(
        run.swizzled_scale_bytes(torch, ours, torch.uint8),
        mx_utils.to_blocked(scale_bits.view(torch.uint8).reshape(ours.shape)))

    y = torch.randn(128, 256, generator=generator) * 5
    global_scale = y.abs().amax() / (448.0 * 6.0)
    nv_scales, nv_packed = nvfp4_tensor.nvfp4_quantize(y, 16, global_scale)
    codes, scale, _ = run.fp4_quantize(torch, y, (1, 16), nvfp4=True,
                                       global_scale=global_scale)
    assert torch.equal(run.pack_e2m1(torch, codes), nv_packed.view(torch.uint8))
    assert torch.equal(scale.to(torch.float8_e4m3fn).view(torch.uint8),
                       nv_scales.view(torch.uint8).reshape(128, 16))
    # Ties go to the even code, overflow saturates, as ml_dtypes rounds.
    edges = torch.tensor([0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5.0, 7.0, -0.1])
    expected = (edges.numpy().clip(-6, 6).astype(ml_dtypes.float4_e2m1fn)
                .view(np.uint8) & 0xF)
    np.testing.assert_array_equal(run.e2m1_codes(torch, edges).numpy(),
                                  expected)


WS_FP4_GEMMS = [c for c in FP4_CASES if c.op == "gemm" and
                c.options.get("gemm_warp_specialize") == "on"]


@pytest.mark.parametrize("case", WS_FP4_GEMMS, ids=lambda c: c.name)
def test_warp_specialized_fp4_gemm_compiles(case):
    """gemm-warp-specialize=on takes the packed FP4 GEMMs (MXFP4
    `.kind::mxf4`, NVFP4 `.kind::mxf4nvf4`): the kernel has the warp roles
    (6 warps: producer, MMA, 4 epilogue), reads packed operands through its
    TMA maps and issues four k64 MMAs per K step (a multiple of four in
    the PTX: LLVM may unroll the K loop)."""
    if not fp8_mlir.has_compiler():
        pytest.skip("fp8_mlir's compiler is not built here")
    binary, spec = gpu_cases.compile_case(case)
    kind = ("kind::mxf4nvf4.block_scale.block16" if case.gemm.get("nvfp4")
            else "kind::mxf4.block_scale.block32")
    mmas = binary.count(f"tcgen05.mma.cta_group::1.{kind}")
    assert mmas >= 4 and mmas % 4 == 0, mmas
    assert "kind::mxf8f6f4" not in binary
    assert "_ws" in spec["name"]
    assert tuple(spec["block"]) == (192, 1, 1)
    maps = [p for p in spec["params"] if p.get("kind") == "tensor_map"]
    assert [p["name"] for p in maps] == ["a", "b"]
    assert all(p["packed_fp4"] and p["global_dim"][0] == case.gemm["k"] // 2
               for p in maps)
