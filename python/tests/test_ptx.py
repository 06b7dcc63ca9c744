"""fp8_mlir.to_ptx and fp8_mlir.ptx: PTX and the kernel manifest out of
--fp8-gpu-pipeline (no GPU needed), and the kernels compiled ahead of time
for GPU machines (python/tests/gpu_kernels, bench/gpu/kernels): complete,
deterministic, and accepted by ptxas."""

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
from conftest import REPO_ROOT, find_fp8_opt
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
# A GPU machine gets the kernels generated (not committed) before a device
# run: python/tests/gpu_kernels by gpu_cases.py, bench/gpu/kernels by
# bench/gpu/prepare.py (both run by bench/gpu/prepare-device.sh). These
# tests generate them into temporary folders.


def _tree(directory):
    """{relative path: bytes} of every file under `directory`."""
    return {str(path.relative_to(directory)): path.read_bytes()
            for path in sorted(Path(directory).rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def test_kernels(tmp_path_factory):
    """python/tests/gpu_kernels, generated twice by gpu_cases.py's command
    line: (first, second)."""
    if not fp8_mlir.has_compiler():
        pytest.skip("fp8_mlir's compiled extension is not importable")
    first = tmp_path_factory.mktemp("gpu-kernels")
    second = tmp_path_factory.mktemp("gpu-kernels-again")
    for out in (first, second):
        assert gpu_cases.main(["--output-dir", str(out)]) == 0
    return first, second


def test_gpu_test_kernels_are_complete(test_kernels, capsys):
    """Every GPU test case gets its kernel (manifest, gzipped PTX of one
    .entry, the IR it came from), which read_case loads as the compiler
    made it, or the compiler's diagnostic."""
    out, _ = test_kernels
    assert sorted(p.name for p in out.iterdir()) == \
        sorted(case.name for case in gpu_cases.ALL_CASES)
    for case in gpu_cases.ALL_CASES:
        binary, spec = gpu_cases.read_case(case, out)
        if binary is None:
            assert case.may_be_rejected, spec
            assert "error:" in (out / case.name / "rejected.txt").read_text()
            continue
        assert (out / case.name / "kernel.mlir").read_text() == case.ir
        assert entry_names(binary) == [spec["name"]]
        assert f".target {case.chip}" in binary
        assert spec["file"].endswith(".ptx.gz")
        assert (binary, dict(spec, file=None)) == \
            (gpu_cases.kernel_for(case)[0], dict(gpu_cases.kernel_for(case)[1], file=None))


def test_gpu_test_kernels_are_deterministic(test_kernels):
    """Generating the GPU test kernels twice gives the same bytes, so a
    device run tests exactly what this commit compiles."""
    first, second = test_kernels
    assert _tree(first) == _tree(second)


def _ptxas():
    import shutil

    for root in (os.environ.get("CUDA_HOME"), "/usr/local/cuda"):
        if root and os.access(os.path.join(root, "bin", "ptxas"), os.X_OK):
            return os.path.join(root, "bin", "ptxas")
    return shutil.which("ptxas")


def _assemble(ptx_text, chip, tmp_path, spills=False):
    """Assembles PTX with ptxas for `chip`; unless `spills`, nothing may
    spill."""
    ptxas = _ptxas()
    if ptxas is None:
        pytest.skip("no ptxas (CUDA toolkit): cannot assemble the kernels")
    source = tmp_path / "kernel.ptx"
    source.write_text(ptx_text)
    done = subprocess.run([ptxas, f"-arch={chip}", "-v", str(source), "-o",
                           str(tmp_path / "kernel.cubin")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    if not spills:
        counts = re.findall(r"(\d+) bytes spill (?:stores|loads)", done.stderr)
        assert counts and all(count == "0" for count in counts), done.stderr


@pytest.mark.parametrize("case", gpu_cases.CASES, ids=lambda c: c.name)
def test_gpu_test_kernel_assembles(test_kernels, case, tmp_path):
    """Each generated GPU test kernel assembles with ptxas, spilling
    nothing."""
    binary, spec = gpu_cases.read_case(case, test_kernels[0])
    if binary is None:
        pytest.skip(spec)
    _assemble(binary, gpu_cases.CHIP, tmp_path)


def test_bench_kernels_are_complete(bench_kernels):
    """Every benchmark case of every chip is prepared (its kernel, or the
    compiler's reason), listed in its chip's index.json, and the recipe
    table says how each recipe scales A and B, as the compiler does."""
    from fp8_mlir.gpu.bench import cases

    kernel_dir, table = bench_kernels
    recipes = cases.read_recipes(table)
    assert set(recipes) == set(cases.RECIPES + cases.FP4_RECIPES)
    for recipe, entry in recipes.items():
        a = fp8_mlir.recipe_operand(recipe, "activation", "a")
        b = fp8_mlir.recipe_operand(recipe, "weight", "b")
        assert entry == {"a": a["scaling"], "b": b["scaling"],
                         "scale_type": a["scale_type"]}
    for chip in cases.CHIPS:
        index = json.loads((kernel_dir / chip / "index.json").read_text())
        names = [cases.case_name(*case) for case in cases.chip_cases(chip)]
        assert index["chip"] == chip
        assert [entry["name"] for entry in index["cases"]] == names
        for entry in index["cases"]:
            folder = kernel_dir / chip / entry["name"]
            if entry["status"] == "rejected":
                assert entry["reason"] in (folder / "rejected.txt").read_text()
                continue
            binaries, manifest = ptx.read(str(folder))
            (kernel,) = manifest["kernels"]
            assert kernel["name"] == entry["kernel"] and manifest["chip"] == chip
            assert entry_names(binaries[kernel["module"]]) == [kernel["name"]]


def test_bench_kernels_are_deterministic(bench_kernels):
    """Compiling the benchmark's cases again gives the same kernels,
    manifests and rejections (the 1024^3 and 4096^3 cases: every recipe and
    variant)."""
    from fp8_mlir.gpu.bench import prepare

    shapes = [(1024, 1024, 1024), (4096, 4096, 4096)]
    assert prepare.stale_cases(find_fp8_opt(), bench_kernels[0],
                               shapes=shapes) == []


@pytest.mark.parametrize("chip", ["sm_90a", "sm_100a"])
def test_bench_kernels_assemble(bench_kernels, chip, tmp_path):
    """The benchmark's 1024^3 kernels assemble with ptxas. (Spills are not
    checked here: the sm_100a rowwise GEMM spills 4 bytes today; the lit
    PTX tests pin the spills of the kernels they cover.)"""
    from fp8_mlir.gpu.bench import cases

    index = json.loads((bench_kernels[0] / chip / "index.json").read_text())
    compiled = [e for e in index["cases"]
                if e["status"] == "compiled" and e["m"] == 1024]
    assert compiled
    for entry in compiled:
        binaries, _ = ptx.read(str(cases.chip_dir(bench_kernels[0], chip) /
                                   entry["name"]))
        (text,) = binaries.values()
        _assemble(text, chip, tmp_path, spills=True)
