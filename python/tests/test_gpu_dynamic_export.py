"""A PyTorch model exported with a dynamic batch dim compiles for the GPU:
quantized by each of the five recipes, `fp8_mlir.to_ptx` lowers it for
sm_90a and sm_100a, and every GEMM kernel takes its M (the batch) at run
time, its rows coming from A. (ptxas on the same kernels:
test/Integration/GPU/mlp-dynamic-batch-ptx.mlir.) Blockwise on sm_100a
stops at its GEMM, which has no sm_100a kernel for static shapes either."""

import importlib

import pytest

fp8_mlir = pytest.importorskip(
    "fp8_mlir", reason="fp8_mlir is not built (PYTHONPATH=<build>/python_packages)")

RECIPES = ["tensorwise", "delayed", "rowwise", "blockwise", "mxfp8"]
CHIPS = ["sm_90a", "sm_100a"]


@pytest.fixture(scope="module")
def dynamic_batch_mlp():
    torch = pytest.importorskip("torch", reason="needs PyTorch")
    pytest.importorskip("torch_mlir", reason="needs torch-mlir")
    if not fp8_mlir.has_compiler():
        pytest.skip("fp8_mlir's compiled extension is not importable")
    fp8_torch = importlib.import_module("fp8_mlir.torch")
    torch.manual_seed(0)
    mlp = torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(),
                              torch.nn.Linear(128, 32))
    batch = torch.export.Dim("batch", min=2, max=4096)
    ir = fp8_torch.export(mlp, torch.randn(8, 64),
                          dynamic_shapes=({0: batch},))
    assert "tensor<?x64xf32>" in ir
    return ir


@pytest.mark.parametrize("chip", CHIPS)
@pytest.mark.parametrize("recipe", RECIPES)
def test_dynamic_batch_export_lowers(dynamic_batch_mlp, recipe, chip):
    if recipe == "blockwise" and chip == "sm_100a":
        with pytest.raises(fp8_mlir.MLIRError,
                           match="has no sm_100a kernel yet"):
            fp8_mlir.to_ptx(dynamic_batch_mlp, chip=chip, recipe=recipe)
        return
    _, manifest = fp8_mlir.to_ptx(dynamic_batch_mlp, chip=chip, recipe=recipe)
    gemms = [k for k in manifest["kernels"] if k["op"] == "fp8.scaled_matmul"]
    # The two layers: [?, 64] x [128, 64]^T and [?, 128] x [32, 128]^T.
    assert sorted(k["rows"]["row_length"] for k in gemms) == [64, 128]
    for kernel in gemms:
        assert kernel["rows"]["param"] == "a"
        assert "_dx" in kernel["name"]
        assert isinstance(kernel["grid"][0], dict)
        assert kernel["params"][-1]["kind"] == "rows"
    # The weights' quantization stays static; the activations' takes rows.
    assert any("rows" in k for k in manifest["kernels"]
               if k["op"] != "fp8.scaled_matmul")
