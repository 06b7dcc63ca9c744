"""The sm_100a FP4 / FP6 kernels (gpu_cases.FP4_CASES) on a Blackwell
GPU (marker `gpu`; skipped without an sm_100a GPU): the quantize kernels
bit-exact with fp8_mlir_ref, which the CPU tests hold bit-exact with
--fp8-cpu-pipeline; the MX GEMMs within an f32 accumulation bound of the
float64 product. Where the compiler is here, every case, and the MLP
training step of test_recipes.py under the MX FP4/FP6 recipes, also
compiles for sm_100a, and ptxas (when installed) assembles it without
spills.
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

TIMEOUT = 15
QUANTIZE = [c for c in FP4_CASES if c.op == "quantize"]
DEQUANTIZE = [c for c in FP4_CASES if c.op == "dequantize"]
#: The decode instruction of each FP4/FP6 format.
DECODE = {np.dtype(ml_dtypes.float4_e2m1fn): "cvt.rn.f16x2.e2m1x2",
          np.dtype(ml_dtypes.float6_e2m3fn): "cvt.rn.f16x2.e2m3x2",
          np.dtype(ml_dtypes.float6_e3m2fn): "cvt.rn.f16x2.e3m2x2"}
GEMMS = [c for c in FP4_CASES
         if c.op == "gemm" and not c.gemm.get("nvfp4")]
NVFP4_GEMMS = [c for c in FP4_CASES if c.gemm.get("nvfp4")]


def _compile(case):
    if not fp8_mlir.has_compiler():
        return gpu_cases.read_case(case, gpu_cases.KERNEL_DIR)
    return gpu_cases.compile_case(case)


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
    elif case.op == "gemm":
        assert ("tcgen05.mma.cta_group::1.kind::mxf8f6f4.block_scale.block32"
                in binary)
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
    ptxas = shutil.which("ptxas") or "/usr/local/cuda/bin/ptxas"
    if not shutil.which(ptxas):
        pytest.skip("no ptxas (CUDA toolkit)")
    source = tmp_path / "kernel.ptx"
    source.write_text(binary)
    done = subprocess.run([ptxas, "-arch=sm_100a", "-v", str(source), "-o",
                           str(tmp_path / "k.cubin")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    spills = re.findall(r"(\d+) bytes spill (?:stores|loads)", done.stderr)
    assert spills and all(count == "0" for count in spills), done.stderr


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


@pytest.fixture(scope="module")
def sm100_device():
    from fp8_mlir import gpu

    reason = gpu.unavailable_reason()
    if reason is not None:
        pytest.skip(f"no GPU: {reason}")
    device = gpu.default_device()
    if device.chip != gpu_cases.SM100:
        pytest.skip(f"the FP4/FP6 kernels are sm_100a code; {device} cannot "
                    "run them")
    return device


@pytest.mark.gpu
@pytest.mark.parametrize("case", QUANTIZE, ids=lambda c: c.name)
def test_sub_byte_quantize_kernel(sm100_device, case):
    from fp8_mlir import gpu

    binary, spec = _compile(case)
    if binary is None:
        pytest.skip(spec)
    kernel = gpu.load(binary, spec, sm100_device)
    inputs = case.inputs()
    (output,) = kernel.launch(timeout=TIMEOUT, **inputs)
    expected = case.reference(inputs)["output"]
    got = gpu_cases.output_bits(output, expected, inputs["scale"].dtype)
    bad = np.argwhere(got.view(np.uint8) != expected.view(np.uint8))
    assert bad.size == 0, (
        f"{case.name}: {len(bad)} of {expected.size} elements differ; first "
        f"at {tuple(bad[0])}: got {got[tuple(bad[0])]!r}, expected "
        f"{expected[tuple(bad[0])]!r}")


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
    """The MX GEMM on FP4/FP6 containers against the float64 product of the
    same dequantized operands: f32 accumulation in tensor memory, so the
    error stays within K * 2^-22 of sum |a_k b_k| (a loose bound: f32
    accumulation of K products) per element."""
    from fp8_mlir import gpu

    binary, spec = _compile(case)
    if binary is None:
        pytest.skip(spec)
    kernel = gpu.load(binary, spec, sm100_device)
    inputs = case.inputs()
    device_inputs = {name: gpu_cases.device_operand(value)
                     for name, value in inputs.items()}
    (d,) = kernel.launch(timeout=TIMEOUT, **device_inputs)
    exact = case.reference(inputs)["exact"]
    a = ref.dequantize(inputs["a"], inputs["a_scale"], ref.Scaling.blocks(1, 32))
    b = ref.dequantize(inputs["b"], inputs["b_scale"], ref.Scaling.blocks(1, 32))
    magnitude = np.abs(a.astype(np.float64)) @ np.abs(b.astype(np.float64)).T
    got = np.asarray(d, np.float64).reshape(exact.shape)
    bound = case.gemm["k"] * 2.0**-22 * magnitude + 1e-30
    error = np.abs(got - exact)
    assert (error <= bound).all(), (
        f"{case.name}: {int((error > bound).sum())} elements outside the "
        f"bound; worst {float(np.max(error / bound)):.3g} x the bound")


@pytest.mark.gpu
@pytest.mark.parametrize("case", NVFP4_GEMMS, ids=lambda c: c.name)
def test_nvfp4_gemm_kernel(sm100_device, case):
    """The NVFP4 GEMM (packed FP4, E4M3 scales per 16 elements applied by
    the tensor core, a_global * b_global in the epilogue) against the
    float64 product of the dequantized operands: within K * 2^-22 of
    sum |a_k b_k| per element (f32 accumulation of K products)."""
    from fp8_mlir import gpu

    binary, spec = _compile(case)
    if binary is None:
        pytest.skip(spec)
    kernel = gpu.load(binary, spec, sm100_device)
    inputs = case.inputs()
    device_inputs = dict(inputs, a=gpu_cases.device_nvfp4(inputs["a"]),
                         b=gpu_cases.device_nvfp4(inputs["b"]))
    (d,) = kernel.launch(timeout=TIMEOUT, **device_inputs)
    expected = case.reference(inputs)
    exact = expected["exact"]
    got = np.asarray(d, np.float64).reshape(exact.shape)
    bound = case.gemm["k"] * 2.0**-22 * expected["magnitude"] + 1e-30
    error = np.abs(got - exact)
    assert (error <= bound).all(), (
        f"{case.name}: {int((error > bound).sum())} elements outside the "
        f"bound; worst {float(np.max(error / bound)):.3g} x the bound")


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
    kernels and kind::mxf8f6f4 GEMMs, each assembling without spills."""
    if not fp8_mlir.has_compiler():
        pytest.skip("fp8_mlir's compiler is not built here")
    files = _training_step_ptx(recipe, tmp_path)
    texts = [open(p).read() for p in files]
    gemms = [t for t in texts if "tcgen05.mma" in t]
    assert gemms and all(
        "kind::mxf8f6f4.block_scale.block32" in t for t in gemms)
    assert any("cvt.rn.satfinite.e2m" in t for t in texts)
    ptxas = shutil.which("ptxas") or "/usr/local/cuda/bin/ptxas"
    if not shutil.which(ptxas):
        pytest.skip("no ptxas (CUDA toolkit)")
    for path in files:
        done = subprocess.run([ptxas, "-arch=sm_100a", "-v", path, "-o",
                               path + ".cubin"], capture_output=True,
                              text=True)
        assert done.returncode == 0, (path, done.stderr)
        spills = re.findall(r"(\d+) bytes spill (?:stores|loads)", done.stderr)
        assert spills and all(c == "0" for c in spills), (path, done.stderr)


@pytest.mark.parametrize("recipe", ["nvfp4,rht=off,sr=off",
                                    "nvfp4,rht=off,sr=off,weight-blocks=1x16"])
def test_nvfp4_training_step_lowers_for_sm100(recipe, tmp_path):
    """The training step under recipe=nvfp4 lowers for sm_100a end to end:
    every GEMM is tcgen05.mma.kind::mxf4nvf4.block_scale.block16
    (scale_vec::4X) on the packed FP4 data, and every kernel assembles
    without spills; with `weight-blocks=1x16` the GEMMs take the weights'
    [1, 16] scales (the rowwise-blocked B of gemm_nvfp4_rowwise_blocks)
    and no quantize kernel makes 16x16 blocks. The random Hadamard
    transform and stochastic rounding have no GPU lowering yet
    (errors-nvfp4-training.mlir), so they are off here."""
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
    ptxas = shutil.which("ptxas") or "/usr/local/cuda/bin/ptxas"
    if not shutil.which(ptxas):
        pytest.skip("no ptxas (CUDA toolkit)")
    for path in files:
        done = subprocess.run([ptxas, "-arch=sm_100a", "-v", path, "-o",
                               path + ".cubin"], capture_output=True,
                              text=True)
        assert done.returncode == 0, (path, done.stderr)
        spills = re.findall(r"(\d+) bytes spill (?:stores|loads)", done.stderr)
        assert spills and all(c == "0" for c in spills), (path, done.stderr)
