"""fp8_mlir from several Python threads: the extension releases the GIL while
MLIR compiles and runs, so calls overlap; each must still give exactly the
result it gives alone, and its own diagnostics. (Timing is measured by
bench/threads/run.py, not asserted here.)"""

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

fp8_mlir = pytest.importorskip(
    "fp8_mlir", reason="fp8_mlir is not built (PYTHONPATH=<build>/python_packages)")
if not fp8_mlir.has_compiler():
    pytest.skip("fp8_mlir's compiled extension is not importable",
                allow_module_level=True)

REPO = Path(__file__).resolve().parents[2]
THREADS = 4


def in_threads(function, arguments):
    """function(argument) for each argument, all started at once from their
    own threads; the results (or the exception) in order."""
    barrier = threading.Barrier(len(arguments))

    def call(argument):
        barrier.wait()  # so the calls overlap
        return function(argument)

    with ThreadPoolExecutor(len(arguments)) as pool:
        return list(pool.map(call, arguments))


@pytest.fixture(scope="module")
def quantized_matmul():
    ir = (REPO / "examples" / "matmul.mlir").read_text()
    return fp8_mlir.compile(ir, "fp8-quantize-pipeline{recipe=tensorwise}")


def inputs(seed):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((256, 512), np.float32),
            rng.standard_normal((512, 128), np.float32))


def test_run_from_threads_matches_serial(quantized_matmul):
    """Each thread runs the quantized matmul on its own inputs (different
    scales): the results equal the serial ones bit for bit."""
    def run(seed):
        (d,) = fp8_mlir.run(quantized_matmul, "matmul", *inputs(seed))
        return d

    serial = [run(seed) for seed in range(THREADS)]
    threaded = in_threads(run, list(range(THREADS)))
    for seed, (alone, together) in enumerate(zip(serial, threaded)):
        np.testing.assert_array_equal(together, alone, err_msg=f"seed {seed}")
    # The inputs differed, and so do the results: no thread got another's.
    assert not np.array_equal(serial[0], serial[1])


def test_compile_from_threads_matches_serial():
    ir = (REPO / "examples" / "mlp.mlir").read_text()
    recipes = ["tensorwise", "rowwise", "blockwise", "mxfp8"]

    def compile_(recipe):
        return fp8_mlir.compile(
            ir, f"fp8-quantize-pipeline{{recipe={recipe}}},fp8-cpu-pipeline")

    serial = [compile_(recipe) for recipe in recipes]
    assert in_threads(compile_, recipes) == serial
    assert len(set(serial)) == len(recipes)


def test_errors_from_threads_keep_their_own_diagnostics():
    """Four threads compile four different invalid modules at once: each
    error carries its own diagnostic, and only its own."""
    def compile_error(rows):
        bad = (f"func.func @f(%x: tensor<{rows}x8xf32>) {{\n"
               f"  %0 = fp8.amax %x {{scaling = #fp8.scaling<rowwise>}} : "
               f"tensor<{rows}x8xf32> -> tensor<{rows}xf32>\n"
               "  return\n}\n")
        with pytest.raises(fp8_mlir.MLIRError) as error:
            fp8_mlir.compile(bad, "canonicalize")
        return str(error.value)

    rows = [4, 5, 6, 7]
    messages = in_threads(compile_error, rows)
    for count, message in zip(rows, messages):
        assert (f"<ir>:2:8: error: 'fp8.amax' op expected amax result of "
                f"shape [{count}, 1]") in message
        assert message.count("error:") == 1, message
