"""fp8_mlir.to_ptx and fp8_mlir.ptx: PTX and the kernel manifest out of
--fp8-gpu-pipeline (no GPU needed), and the kernels compiled ahead of time
for GPU machines (python/tests/gpu_kernels, bench/gpu/kernels) being those
the compiler makes today."""

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import fp8_mlir
import gpu_cases
from conftest import REPO_ROOT
from fp8_mlir import ptx

requires_compiler = pytest.mark.skipif(
    not fp8_mlir.has_compiler(),
    reason="fp8_mlir's compiled extension is not importable")

MLP = (REPO_ROOT / "examples" / "mlp.mlir").read_text()


def entry_names(text):
    return re.findall(r"\.visible \.entry (\w+)\(", text)


@requires_compiler
def test_to_ptx_mlp():
    """The 2-layer MLP quantized (tensorwise) and compiled for Hopper: two
    wgmma GEMMs plus the quantize/amax kernels in one PTX text, each with a
    launchable manifest entry."""
    text, manifest = fp8_mlir.to_ptx(MLP, chip="sm_90a")
    assert isinstance(text, str)
    assert "wgmma.mma_async.sync.aligned" in text
    assert manifest["version"] == 1 and manifest["chip"] == "sm_90a"
    kernels = manifest["kernels"]
    assert sorted(entry_names(text)) == sorted({k["name"] for k in kernels})
    gemms = [k for k in kernels if k["op"] == "fp8.scaled_matmul"]
    assert len(gemms) == 2
    assert {"fp8.quantize", "fp8.amax"} <= {k["op"] for k in kernels}
    for kernel in kernels:
        module = ptx.select(text, kernel["name"])
        assert module.count(".version 8.0") == 1 and ".target sm_90a" in module
        assert entry_names(module) == [kernel["name"]]
        assert len(kernel["grid"]) == 3 and all(d >= 1 for d in kernel["grid"])
        assert len(kernel["block"]) == 3 and kernel["block"][0] in (128, 256)
        assert kernel["cluster"] == [1, 1, 1]
        assert kernel["params"], kernel["name"]
        # One .param .u64 per manifest parameter, in order.
        assert module.count(".param .u64") == len(kernel["params"])
        assert kernel["file"] == kernel["module"] + ".ptx"
        assert kernel["location"].startswith("loc(")
    for gemm in gemms:
        module = ptx.select(text, gemm["name"])
        assert "wgmma.mma_async.sync.aligned" in module
        assert "cp.async.bulk.tensor.2d" in module
        maps = [p for p in gemm["params"] if p["kind"] == "tensor_map"]
        assert [p["name"] for p in maps] == ["a", "b"]
        for spec in maps:
            assert spec["data_type"] == "CU_TENSOR_MAP_DATA_TYPE_UINT8"
            assert spec["swizzle"] == "CU_TENSOR_MAP_SWIZZLE_128B"
            assert spec["rank"] == 2 and spec["box_dim"][0] == 128
        assert gemm["dynamic_shared_memory"] > 48 * 1024
        assert gemm["params"][-1]["name"] == "d"
        assert gemm["params"][-1]["access"] == "write"


@requires_compiler
def test_to_ptx_options_and_prequantized_ir():
    ir = gpu_cases.CASES_BY_NAME["gemm_e4m3_bf16_tensor_256x384x512"].ir
    text, manifest = fp8_mlir.to_ptx(ir, recipe=None, gemm_tile="64x128",
                                     gemm_stages=2)
    (kernel,) = manifest["kernels"]
    assert kernel["name"].endswith("_tile64x128x128_s2")
    # 1 KiB of alignment slack, the ring, 2 x 2 mbarriers of 8 bytes.
    assert kernel["dynamic_shared_memory"] == 1024 + 2 * (64 + 128) * 128 + 32
    assert "wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e4m3" in text
    assert ptx.select(text, kernel["name"]) == text


@requires_compiler
def test_to_ptx_without_kernels():
    """IR with no fp8 op gives no kernels (not an error)."""
    ir = ("func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {\n"
          "  return %x : tensor<4xf32>\n}\n")
    text, manifest = fp8_mlir.to_ptx(ir, recipe=None)
    assert text == "" and manifest["kernels"] == []


@requires_compiler
@pytest.mark.parametrize("chip, message", [
    ("sm_80", "unsupported chip 'sm_80': the fp8 GPU lowering targets sm_90a"),
    ("sm_90", "unsupported chip 'sm_90'"),
])
def test_to_ptx_bad_chip(chip, message):
    with pytest.raises(fp8_mlir.MLIRError) as error:
        fp8_mlir.to_ptx(MLP, chip=chip)
    assert message in str(error.value)
    assert "error:" in str(error.value)


@requires_compiler
def test_to_ptx_rejected_op_is_located():
    ir = gpu_cases.CASES_BY_NAME["gemm_e4m3_bf16_blockwise_1024x1024x1024"].ir
    try:
        fp8_mlir.to_ptx(ir, recipe=None)
    except fp8_mlir.MLIRError as error:
        assert re.search(r"<ir>:\d+:\d+: error: 'fp8.scaled_matmul' op", str(error))
    else:  # the block-scaled GEMM has landed
        pass


# --- fp8_mlir.ptx on text ----------------------------------------------------------

GPU_IR = '''module attributes {fp8.gpu_manifest = "{\\22version\\22:1,\\22chip\\22:\\22sm_90a\\22,\\22kernels\\22:[{\\22name\\22:\\22k\\22,\\22module\\22:\\22k\\22,\\22grid\\22:[1,1,1],\\22block\\22:[32,1,1],\\22params\\22:[]}]}"} {
  gpu.binary @k  [#gpu.object<#nvvm.target<chip = "sm_90a">, assembly = "//\\0A.version 8.0\\0A.visible .entry k()\\0A{ ret; }\\0A\\5C\\22">]
}
'''


@requires_compiler
def test_extract_decodes_string_literals():
    binaries, manifest = ptx.extract(GPU_IR)
    assert binaries == {"k": '//\n.version 8.0\n.visible .entry k()\n{ ret; }\n\\"'}
    assert manifest["kernels"][0]["file"] == "k.ptx"
    assert manifest["kernels"][0]["block"] == [32, 1, 1]


def test_join_and_select():
    first = "//\n// Generated by LLVM NVPTX Back-End\n//\n\n.version 8.0\n.visible .entry k1(\n)\n{ ret; }\n"
    second = first.replace("k1", "k2")
    manifest = {"kernels": [{"module": "k1"}, {"module": "k2"}]}
    text = ptx.join({"k1": first, "k2": second}, manifest)
    assert text == first + second
    assert ptx.select(text, "k1") == first
    assert ptx.select(text, "k2") == second
    assert ptx.select(first, "k1") == first
    with pytest.raises(ptx.ExtractError, match="0 PTX modules define .entry k3"):
        ptx.select(text, "k3")
    with pytest.raises(ptx.ExtractError, match="cubin"):
        ptx.join({"k1": b"\x7fELF"}, {"kernels": [{"module": "k1"}]})


@requires_compiler
def test_extract_errors():
    with pytest.raises(ptx.ExtractError, match="no gpu.binary"):
        ptx.extract("module {}")
    no_manifest = GPU_IR.replace("fp8.gpu_manifest", "test.other")
    with pytest.raises(ptx.ExtractError, match="no fp8.gpu_manifest"):
        ptx.extract(no_manifest)


@requires_compiler
@pytest.mark.parametrize("compress", [False, True])
def test_write_read_round_trip(tmp_path, compress):
    paths = ptx.write(GPU_IR, str(tmp_path), compress=compress)
    suffix = ".ptx.gz" if compress else ".ptx"
    assert [p.rsplit("/", 1)[1] for p in paths] == ["k" + suffix, "manifest.json"]
    written = json.loads((tmp_path / "manifest.json").read_text())
    assert written["kernels"][0]["file"] == "k" + suffix
    if compress:
        assert gzip.decompress((tmp_path / "k.ptx.gz").read_bytes()).startswith(b"//\n")
    assert ptx.read(str(tmp_path)) == ptx.extract(GPU_IR)[:1] + (written,)


@requires_compiler
def test_read_errors(tmp_path):
    with pytest.raises(ptx.ExtractError, match="cannot read"):
        ptx.read(str(tmp_path))
    ptx.write(GPU_IR, str(tmp_path))
    (tmp_path / "k.ptx").unlink()
    with pytest.raises(ptx.ExtractError, match="kernel k"):
        ptx.read(str(tmp_path))


@requires_compiler
def test_ptx_command_line(tmp_path):
    """`python -m fp8_mlir.ptx`, the command line the lit tests run: the
    files it wrote, one a line; an error and exit status 1 without
    kernels."""
    package = str(Path(fp8_mlir.__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=package)
    command = [sys.executable, "-m", "fp8_mlir.ptx", "-o", str(tmp_path)]
    done = subprocess.run(command, input=GPU_IR, text=True,
                          capture_output=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(tmp_path / "k.ptx"),
                                   str(tmp_path / "manifest.json")]
    done = subprocess.run(command, input="module {}", text=True,
                          capture_output=True, env=env)
    assert done.returncode == 1
    assert "fp8_mlir.ptx: no gpu.binary in the input" in done.stderr


# --- kernels compiled ahead of time ------------------------------------------------

REGENERATE = ("regenerate them: PYTHONPATH=build/python_packages "
              "build/venv/bin/python python/tests/gpu_cases.py")


@requires_compiler
@pytest.mark.parametrize("case", gpu_cases.CASES, ids=lambda c: c.name)
def test_gpu_test_kernels_are_current(case):
    """python/tests/gpu_kernels holds what the compiler makes today, so a
    GPU machine without the compiler tests the current kernels."""
    binary, spec = gpu_cases.read_case(case)
    try:
        current_binary, current_spec = gpu_cases.compile_case(case)
    except fp8_mlir.MLIRError as error:
        assert binary is None, f"{case.name} no longer compiles: {error}"
        diagnostics = [line for line in str(error).splitlines() if "error:" in line]
        assert diagnostics and all(line in spec for line in diagnostics), \
            f"the diagnostic changed; {REGENERATE}"
        return
    assert binary is not None, f"{case.name} compiles now; {REGENERATE}"
    spec = dict(spec, file=None)
    current_spec = dict(current_spec, file=None)
    assert current_spec == spec, f"{case.name}: the manifest changed; {REGENERATE}"
    assert current_binary == binary, f"{case.name}: the PTX changed; {REGENERATE}"


def test_bench_kernels_are_current():
    """bench/gpu/kernels holds what build/bin/fp8-opt makes today (the GPU
    benchmark machine has no compiler)."""
    import importlib.util
    import os

    path = REPO_ROOT / "bench" / "gpu" / "prepare.py"
    spec = importlib.util.spec_from_file_location("bench_gpu_prepare", path)
    prepare = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(prepare)
    fp8_opt = prepare.find_fp8_opt(None)
    if not os.access(fp8_opt, os.X_OK):
        pytest.skip(f"no fp8-opt at {fp8_opt}")
    stale = prepare.stale_cases(fp8_opt)
    assert not stale, (f"stale benchmark kernels {stale}: rerun "
                       "build/venv/bin/python bench/gpu/prepare.py")
