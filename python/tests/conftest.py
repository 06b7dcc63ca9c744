"""Shared pytest fixtures of fp8-mlir's Python tests."""

import os
import subprocess
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

# --- fp8-run (added with the fp8-lower-to-linalg tests) ----------------------

#: MLIR element type name -> numpy dtype of the element itself.
MLIR_ELEMENT_DTYPES = {
    "f32": np.dtype(np.float32),
    "f16": np.dtype(np.float16),
    "f64": np.dtype(np.float64),
    "bf16": np.dtype(ml_dtypes.bfloat16),
    "f8E4M3FN": np.dtype(ml_dtypes.float8_e4m3fn),
    "f8E5M2": np.dtype(ml_dtypes.float8_e5m2),
    "f8E8M0FNU": np.dtype(ml_dtypes.float8_e8m0fnu),
    "f6E2M3FN": np.dtype(ml_dtypes.float6_e2m3fn),
    "f6E3M2FN": np.dtype(ml_dtypes.float6_e3m2fn),
    "f4E2M1FN": np.dtype(ml_dtypes.float4_e2m1fn),
}


def mlir_element_type(dtype) -> str:
    """The MLIR element type name of a numpy dtype."""
    for name, candidate in MLIR_ELEMENT_DTYPES.items():
        if np.dtype(dtype) == candidate:
            return name
    raise KeyError(f"no MLIR element type for {dtype}")


def to_npy_encoding(array: np.ndarray) -> np.ndarray:
    """fp8-run's .npy encoding: FP8/FP6/FP4/E8M0 as uint8 bit patterns, bf16
    as uint16 bit patterns, everything else as itself."""
    array = np.asarray(array, order="C")  # keeps 0-d arrays 0-d
    name = mlir_element_type(array.dtype)
    if name == "bf16":
        return array.view(np.uint16)
    if name not in ("f32", "f16", "f64"):
        return array.view(np.uint8)
    return array


def from_npy_encoding(array: np.ndarray, element_type: str) -> np.ndarray:
    """Inverse of to_npy_encoding for a result of MLIR type `element_type`."""
    dtype = MLIR_ELEMENT_DTYPES.get(element_type)
    if dtype is None or array.dtype == dtype:
        return array
    return np.asarray(array, order="C").view(dtype)


def find_fp8_opt():
    """fp8-opt: $FP8_OPT, else $FP8_BUILD_DIR/bin/fp8-opt, else
    <repo>/build/bin/fp8-opt; None when it is not there."""
    build_dir = Path(os.environ.get("FP8_BUILD_DIR", REPO_ROOT / "build"))
    path = Path(os.environ.get("FP8_OPT", build_dir / "bin" / "fp8-opt"))
    if path.is_file() and os.access(path, os.X_OK):
        return path
    return None


def _find_fp8_run():
    """(path, None) or (None, reason): $FP8_RUN, else $FP8_BUILD_DIR/bin/fp8-run,
    else <repo>/build/bin/fp8-run."""
    explicit = os.environ.get("FP8_RUN")
    build_dir = Path(os.environ.get("FP8_BUILD_DIR", REPO_ROOT / "build"))
    path = Path(explicit) if explicit else build_dir / "bin" / "fp8-run"
    if not (path.is_file() and os.access(path, os.X_OK)):
        how = "$FP8_RUN" if explicit else "$FP8_BUILD_DIR or build/"
        return None, f"fp8-run not found at {path} ({how}); build it or set FP8_RUN"
    return path, None


class Fp8Run:
    """Runs one function of an MLIR module through `fp8-run`."""

    def __init__(self, binary: Path, workdir: Path):
        self.binary = binary
        self.workdir = workdir
        self._count = 0

    def __call__(self, module: str, entry: str, inputs, result_types,
                 timeout=300, extra_args=()):
        """Writes `module` and the `inputs` (numpy arrays, ml_dtypes types
        allowed), runs @`entry`, and returns its results decoded to the
        numpy dtypes of `result_types` (MLIR element type names)."""
        self._count += 1
        case = self.workdir / f"case{self._count}"
        case.mkdir()
        source = case / "module.mlir"
        source.write_text(module)
        command = [str(self.binary), str(source), "--entry", entry,
                   "--output-dir", str(case / "out"), *extra_args]
        for index, array in enumerate(inputs):
            path = case / f"input{index}.npy"
            np.save(path, to_npy_encoding(np.asarray(array)))
            command += ["--input", str(path)]
        (case / "out").mkdir()
        completed = subprocess.run(command, capture_output=True, text=True,
                                   timeout=timeout)
        if completed.returncode != 0:
            raise AssertionError(
                f"fp8-run failed ({completed.returncode}) on {source}:\n"
                f"{completed.stderr}\n--- module ---\n{module}")
        self.last_output = (completed.stdout + completed.stderr).strip()
        return [from_npy_encoding(np.load(case / "out" / f"result{i}.npy"),
                                  element_type)
                for i, element_type in enumerate(result_types)]


@pytest.fixture(scope="session")
def fp8_run(tmp_path_factory):
    """An Fp8Run; skips the test (with the reason) when fp8-run is absent."""
    binary, reason = _find_fp8_run()
    if binary is None:
        pytest.skip(reason)
    return Fp8Run(binary, tmp_path_factory.mktemp("fp8-run"))


# --- GPU tests: stop at a lost CUDA context --------------------------------------

#: CUDA errors after which the context cannot run anything else (sticky).
_STICKY_CUDA_ERRORS = (
    "CUDA_ERROR_ILLEGAL_ADDRESS", "CUDA_ERROR_LAUNCH_FAILED",
    "CUDA_ERROR_MISALIGNED_ADDRESS", "CUDA_ERROR_ILLEGAL_INSTRUCTION",
    "CUDA_ERROR_INVALID_ADDRESS_SPACE", "CUDA_ERROR_INVALID_PC",
    "CUDA_ERROR_HARDWARE_STACK_ERROR", "CUDA_ERROR_ASSERT",
    "CUDA_ERROR_LAUNCH_TIMEOUT")


def _lost_context(excinfo):
    """Why a test's exception leaves the CUDA context unusable, or None: a
    hung kernel (GPUTimeoutError: it keeps running, and every later copy
    waits behind it) or a sticky CUDA error."""
    if excinfo is None:
        return None
    error = excinfo.value
    if type(error).__name__ == "GPUTimeoutError":
        return "a kernel hung"
    sticky = [name for name in _STICKY_CUDA_ERRORS if name in str(error)]
    return f"{sticky[0]}" if sticky else None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """After a GPU test lost the CUDA context, stop the session (as -x
    would) instead of letting every later GPU test wait or fail on it."""
    yield
    reason = _lost_context(call.excinfo) if "gpu" in item.keywords else None
    if reason:
        item.session.shouldstop = (
            f"{item.nodeid}: {reason}; the CUDA context is lost, so the "
            "remaining GPU tests cannot run in this process")


# --- kernels compiled ahead of time -------------------------------------------


@pytest.fixture(scope="session")
def bench_kernels(tmp_path_factory):
    """The GPU benchmark's kernel sets and recipe table, prepared into a
    temporary folder as bench/gpu/prepare.py prepares them: (kernel dir,
    recipe table). Skips without the compiled extension or fp8-opt."""
    import fp8_mlir
    from fp8_mlir.gpu.bench import cases, prepare

    if not fp8_mlir.has_compiler():
        pytest.skip("fp8_mlir's compiled extension is not importable: "
                    "cannot prepare the benchmark's kernels")
    fp8_opt = find_fp8_opt()
    if fp8_opt is None:
        pytest.skip("no fp8-opt ($FP8_BUILD_DIR/bin or build/bin): cannot "
                    "prepare the benchmark's kernels")
    out = tmp_path_factory.mktemp("bench-kernels")
    for chip in cases.CHIPS:
        prepare.prepare(fp8_opt, out, chip, quiet=True)
    return out, prepare.write_recipes(out / "recipes.json")


# --- GPU tests: the device of a chip's kernels --------------------------------------


@pytest.fixture(scope="session")
def sm90_device():
    """The GPU the sm_90a (Hopper) kernels run on; skips the test, saying
    why, without a usable GPU or on another chip (gpu_testing.device_for)."""
    import gpu_testing

    return gpu_testing.device_for("sm_90a")


@pytest.fixture(scope="session")
def sm100_device():
    """The GPU the sm_100a (Blackwell) kernels run on; skips the test,
    saying why, without a usable GPU or on another chip
    (gpu_testing.device_for)."""
    import gpu_testing

    return gpu_testing.device_for("sm_100a")
