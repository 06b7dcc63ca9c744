"""The Python example in README.md runs as written."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_readme_python_example():
    pytest.importorskip("fp8_mlir", reason="fp8_mlir is not built")
    readme = (REPO / "README.md").read_text()
    blocks = [block for block in
              re.findall(r"```python\n(.*?)```", readme, re.S)
              if "fp8_mlir.torch" not in block]  # test_torch_live.py's
    assert len(blocks) == 1, "README.md should hold one python example"
    code = blocks[0]
    assert len(code.strip().splitlines()) <= 10
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO,
                            capture_output=True, text=True, env=os.environ)
    assert result.returncode == 0, result.stderr
    error = float(re.search(r"relative error vs numpy: ([0-9.e-]+)",
                            result.stdout).group(1))
    # E4M3 x E4M3 with tensor scales on Gaussian data: about
    # sqrt(2) * 2.65% (docs/recipes-accuracy.md); far from f32 and from noise.
    assert 0.02 < error < 0.06, result.stdout
    assert ".target sm_90a" in result.stdout, result.stdout
