"""fp8_mlir.torch on live nn.Modules: export (forward, train=True, dynamic
shapes) with the roles PyTorch knows, compile to quantized IR and PTX.
The references are PyTorch's own forward and autograd. Skipped without torch
and torch-mlir (scripts/setup.sh --torch)."""

import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import find_fp8_opt

fp8_mlir = pytest.importorskip(
    "fp8_mlir", reason="fp8_mlir is not built (PYTHONPATH=<build>/python_packages)")

REPO = Path(__file__).resolve().parents[2]
ROLE = r"\{fp8\.role = #fp8\.role<(\w+)>\}"


def test_fp8_mlir_does_not_import_torch():
    """torch is imported only when fp8_mlir.torch's functions are called."""
    code = ("import sys, fp8_mlir, fp8_mlir.torch; "
            "assert 'torch' not in sys.modules, 'torch imported'; "
            "assert 'torch_mlir' not in sys.modules, 'torch_mlir imported'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, env=os.environ)
    assert done.returncode == 0, done.stderr


def test_missing_torch_mlir_says_how_to_install(monkeypatch):
    fp8_torch = importlib.import_module("fp8_mlir.torch")
    monkeypatch.setitem(sys.modules, "torch_mlir", None)  # import fails
    with pytest.raises(ImportError, match=r"scripts/setup\.sh --torch"):
        fp8_torch.export(None)


@pytest.fixture(scope="module")
def torch():
    torch = pytest.importorskip("torch", reason="needs PyTorch "
                                "(scripts/setup.sh --torch)")
    pytest.importorskip("torch_mlir", reason="needs torch-mlir "
                        "(scripts/setup.sh --torch)")
    return torch


@pytest.fixture(scope="module")
def fp8_torch(torch):
    if not fp8_mlir.has_compiler():
        pytest.skip("fp8_mlir's compiled extension is not importable")
    return importlib.import_module("fp8_mlir.torch")


def make_mlp(torch, d_in=32, hidden=64, d_out=16):
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(d_in, hidden), torch.nn.ReLU(),
                               torch.nn.Linear(hidden, d_out))


def signature(ir):
    return next(line for line in ir.splitlines() if "func.func @main" in line)


def arguments(ir):
    """The roles of @main's arguments, None where it has no fp8.role."""
    params = signature(ir).split("->")[0]
    return [(match.group(1) if match else None) for match in
            (re.search(ROLE, arg) for arg in params.split("%arg")[1:])]


def numpy_args(module, *tensors):
    return ([p.detach().numpy() for p in module.parameters()] +
            [t.numpy() for t in tensors])


def test_export_forward(torch, fp8_torch):
    mlp = make_mlp(torch)
    x = torch.randn(8, 32)
    ir = fp8_torch.export(mlp, x)
    # fc1.weight, fc1.bias, fc2.weight, fc2.bias, x: parameters are weights.
    assert arguments(ir) == ["weight"] * 4 + [None]
    (y,) = fp8_mlir.run(ir, "main", *numpy_args(mlp, x))
    np.testing.assert_allclose(y, mlp(x).detach().numpy(), rtol=1e-5,
                               atol=1e-6)


def test_export_train_step(torch, fp8_torch):
    mlp = make_mlp(torch)
    x = torch.randn(8, 32)
    ir = fp8_torch.export(mlp, x, train=True)
    # Parameters, the input, then the tangent (the gradient of the output).
    assert arguments(ir) == ["weight"] * 4 + [None, "gradient"]
    dy = torch.randn(8, 16)
    results = fp8_mlir.run(ir, "main", *numpy_args(mlp, x, dy))
    y = mlp(x)
    grads = torch.autograd.grad(y, list(mlp.parameters()), dy)
    expected = [y] + list(grads)
    assert len(results) == len(expected)  # y, then d(each parameter)
    for result, reference in zip(results, expected):
        np.testing.assert_allclose(result, reference.detach().numpy(),
                                   rtol=1e-5, atol=1e-5)


def test_done_when_train_step_quantizes_with_framework_roles(torch, fp8_torch):
    """fp8-mlir issue 16's done-when: `export(mlp, x, train=True)` then
    `fp8-opt --fp8-quantize-pipeline="recipe=tensorwise"` gives E5M2
    gradients and weight-role scaling, with no hand-written attribute."""
    fp8_opt = find_fp8_opt()
    if fp8_opt is None:
        pytest.skip("no fp8-opt ($FP8_BUILD_DIR/bin or build/bin)")
    mlp = make_mlp(torch)
    ir = fp8_torch.export(mlp, torch.randn(8, 32), train=True)

    def opt(*flags):
        done = subprocess.run([str(fp8_opt), "-", *flags], input=ir,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert "inferred" not in done.stderr  # the roles came from PyTorch
        return [line for line in done.stdout.splitlines()
                if "fp8.scaled_matmul" in line or "fp8.roles" in line]

    quantized = opt("--fp8-quantize-pipeline=recipe=tensorwise")
    # fc1 and fc2 forward, fc2's dgrad (dY W2), fc2's and fc1's wgrad.
    assert len(quantized) == 5
    types = [line.split(" : ")[-1].split(", ") for line in quantized]
    a_formats = [t[0].split("x")[-1] for t in types]
    b_formats = [t[2].split("x")[-1] for t in types]
    assert a_formats == ["f8E4M3FN>"] * 2 + ["f8E5M2>"] * 3
    assert b_formats == ["f8E4M3FN>"] * 5
    # The weights are read as weights: roles of the forward and dgrad
    # matmuls, and under blockwise their [128, 128] blocks.
    roles = opt("--fp8-assign-roles")
    weight = "#fp8.role<weight>]"
    assert [line.count(weight) for line in roles] == [1, 1, 1, 0, 0]
    blockwise = opt("--fp8-quantize-pipeline=recipe=blockwise")
    assert ["b_scaling = #fp8.scaling<block [128, 128]>" in line
            for line in blockwise] == [True] * 3 + [False] * 2


def test_export_dynamic_batch(torch, fp8_torch):
    mlp = make_mlp(torch)
    batch = torch.export.Dim("batch", min=2, max=1024)
    ir = fp8_torch.export(mlp, torch.randn(8, 32),
                          dynamic_shapes=({0: batch},))
    assert "tensor<?x32xf32>" in signature(ir)
    assert arguments(ir) == ["weight"] * 4 + [None]
    for rows in (3, 17):
        x = torch.randn(rows, 32)
        (y,) = fp8_mlir.run(ir, "main", *numpy_args(mlp, x))
        np.testing.assert_allclose(y, mlp(x).detach().numpy(), rtol=1e-5,
                                   atol=1e-6)


@pytest.mark.parametrize("recipe", ["tensorwise", "delayed", "rowwise",
                                    "blockwise", "mxfp8"])
def test_dynamic_batch_quantizes_and_runs(torch, fp8_torch, recipe):
    """A dynamic-batch export is quantized by every recipe (row, block and
    MX scales sized at run time) and runs at batch sizes the export never
    saw, within FP8's error of PyTorch."""
    fp8_opt = find_fp8_opt()
    if fp8_opt is None:
        pytest.skip("no fp8-opt ($FP8_BUILD_DIR/bin or build/bin)")
    batch = torch.export.Dim("batch", min=2, max=1024)
    module = make_mlp(torch)
    ir = fp8_torch.export(module, torch.randn(8, 32),
                          dynamic_shapes=({0: batch},))
    done = subprocess.run(
        [str(fp8_opt), "-", f"--fp8-quantize-pipeline=recipe={recipe}"],
        input=ir, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("fp8.scaled_matmul") == 2, done.stderr
    assert "remark:" not in done.stderr, done.stderr
    if recipe == "delayed":
        return  # its amax histories are extra arguments (test_recipes.py)
    for rows in (3, 37):
        x = torch.randn(rows, 32)
        expected = module(x).detach().numpy()
        (result,) = fp8_mlir.run(done.stdout, "main",
                                 *numpy_args(module, x))
        assert result.shape == expected.shape
        error = np.linalg.norm(result - expected) / np.linalg.norm(expected)
        assert error < 0.12, (rows, error)


def test_train_step_with_dynamic_batch(torch, fp8_torch):
    """train=True with a dynamic batch: the input and the tangent share the
    symbolic batch, the step runs at batch sizes the trace never saw, and
    every recipe quantizes its five matmuls (the wgrads contract over the
    dynamic batch)."""
    mlp = make_mlp(torch)
    batch = torch.export.Dim("batch", min=2, max=1024)
    ir = fp8_torch.export(mlp, torch.randn(8, 32), train=True,
                          dynamic_shapes=({0: batch},))
    assert "tensor<?x32xf32>" in signature(ir)
    assert "tensor<?x16xf32> {fp8.role = #fp8.role<gradient>}" in \
        signature(ir)
    assert arguments(ir) == ["weight"] * 4 + [None, "gradient"]
    for rows in (3, 37):
        x, dy = torch.randn(rows, 32), torch.randn(rows, 16)
        results = fp8_mlir.run(ir, "main", *numpy_args(mlp, x, dy))
        y = mlp(x)
        expected = [y, *torch.autograd.grad(y, list(mlp.parameters()), dy)]
        assert len(results) == len(expected)
        for result, reference in zip(results, expected):
            np.testing.assert_allclose(result, reference.detach().numpy(),
                                       rtol=1e-5, atol=1e-5)
    fp8_opt = find_fp8_opt()
    if fp8_opt is None:
        pytest.skip("no fp8-opt ($FP8_BUILD_DIR/bin or build/bin)")
    for recipe in ("tensorwise", "delayed", "rowwise", "blockwise", "mxfp8"):
        done = subprocess.run(
            [str(fp8_opt), "-", f"--fp8-quantize-pipeline=recipe={recipe}"],
            input=ir, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert done.stdout.count("fp8.scaled_matmul") == 5, (recipe,
                                                              done.stderr)


def test_dynamic_shapes_must_match_the_inputs(torch, fp8_torch):
    with pytest.raises(ValueError, match="2 entries for 1 inputs"):
        fp8_torch.export(make_mlp(torch), torch.randn(8, 32), train=True,
                         dynamic_shapes=({0: torch.export.Dim("b")}, None))
    with pytest.raises(ValueError, match="outside"):
        fp8_torch.export(make_mlp(torch), torch.randn(8, 32), train=True,
                         dynamic_shapes=({2: torch.export.Dim("b")},))


def test_compile_quantized(torch, fp8_torch):
    """compile() is export + --fp8-quantize-pipeline: the result runs on the
    CPU within FP8's error of PyTorch (rowwise E4M3: below 12%, see
    test_torch_exported.py)."""
    mlp = make_mlp(torch)
    x = torch.randn(8, 32)
    quantized = fp8_torch.compile(mlp, x, recipe="rowwise")
    assert quantized.count("fp8.scaled_matmul") == 2
    assert "scaling = #fp8.scaling<rowwise>" in quantized
    (y,) = fp8_mlir.run(quantized, "main", *numpy_args(mlp, x))
    expected = mlp(x).detach().numpy()
    error = np.linalg.norm(y - expected) / np.linalg.norm(expected)
    assert 1e-3 < error < 0.12, error


def _ptxas():
    for root in (os.environ.get("CUDA_HOME"), "/usr/local/cuda"):
        if root and os.access(os.path.join(root, "bin", "ptxas"), os.X_OK):
            return os.path.join(root, "bin", "ptxas")
    return shutil.which("ptxas")


@pytest.mark.parametrize("train", [False, True])
def test_compile_to_sm90a_ptx(torch, fp8_torch, train, tmp_path):
    ptxas = _ptxas()
    if ptxas is None:
        pytest.skip("no ptxas (CUDA toolkit): cannot assemble the PTX")
    mlp = make_mlp(torch, 256, 512, 256)
    ptx, manifest = fp8_torch.compile(mlp, torch.randn(128, 256),
                                      chip="sm_90a", train=train)
    assert ".target sm_90a" in ptx
    gemms = [k for k in manifest["kernels"] if k["op"] == "fp8.scaled_matmul"]
    assert len(gemms) == (5 if train else 2), manifest["kernels"]
    from fp8_mlir import ptx as ptx_module

    for kernel in manifest["kernels"]:  # one PTX module per kernel
        source = tmp_path / f"{kernel['name']}.ptx"
        source.write_text(ptx_module.select(ptx, kernel["name"]))
        done = subprocess.run([ptxas, "-arch=sm_90a", str(source), "-o",
                               str(tmp_path / "kernel.cubin")],
                              capture_output=True, text=True)
        assert done.returncode == 0, (kernel["name"], done.stderr)


def test_readme_torch_example(torch, fp8_torch):
    """README.md's PyTorch example runs as written: the MLP step has E5M2
    gradient operands (dY in fc2's dgrad and wgrad, dH in fc1's wgrad) and
    compiles to sm_90a kernels."""
    blocks = [block for block in
              re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(),
                         re.S) if "fp8_mlir.torch" in block]
    assert len(blocks) == 1
    done = subprocess.run([sys.executable, "-c", blocks[0]], cwd=REPO,
                          capture_output=True, text=True, env=os.environ)
    assert done.returncode == 0, done.stderr
    assert re.search(r"^3 of 5 FP8 matmuls read an E5M2 gradient$",
                     done.stdout, re.M), done.stdout
    kernels = int(re.search(r"^(\d+) sm_90a kernels$", done.stdout,
                            re.M).group(1))
    assert kernels >= 5, done.stdout  # at least the five GEMMs
