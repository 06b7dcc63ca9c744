"""fp8_mlir.run keeps nothing on disk: MLIR's ExecutionEngine enables LLVM's
perf JIT listener by default, which writes
$HOME/.debug/jit/llvm-IR-jit-*/jit-<pid>.dump (or under $JITDUMPDIR) for
every compiled module; the runner turns it off."""

import os

import numpy as np
import pytest

fp8_mlir = pytest.importorskip("fp8_mlir")

IR = """
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = arith.addf %x, %x : tensor<4xf32>
  return %r : tensor<4xf32>
}
"""


def files_under(*roots):
    return sorted(os.path.join(d, f) for root in roots
                  for d, _, names in os.walk(root) for f in names)


def test_run_leaves_no_files(tmp_path, monkeypatch):
    if not fp8_mlir.has_compiler():
        pytest.skip("the compiled extension is not available")
    home, dump = tmp_path / "home", tmp_path / "dump"
    home.mkdir()
    dump.mkdir()
    # The listener reads these when each engine is created.
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("JITDUMPDIR", str(dump))
    before = files_under(home, dump)
    for _ in range(3):
        (result,) = fp8_mlir.run(IR, "f", np.arange(4, dtype=np.float32))
        assert result.tolist() == [0.0, 2.0, 4.0, 6.0]
    assert files_under(home, dump) == before == []
