# -*- Python -*-
# lit configuration for fp8-mlir (check-fp8).

import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "FP8"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.fp8_obj_root, "test")
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%shlibext", config.llvm_shlib_ext))
config.substitutions.append(("%mlir_lib_dir", config.mlir_lib_dir))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
# Sanitizer runtime options for the ASan/UBSan build (scripts/sanitize.sh).
# lit 22 passes most of these through already; naming them here keeps the
# sanitizer job independent of the lit version.
llvm_config.with_system_environment([
    "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "ASAN_SYMBOLIZER_PATH",
    "LLVM_SYMBOLIZER_PATH"])
llvm_config.use_default_substitutions()

llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
tool_dirs = [config.fp8_tools_dir, config.llvm_tools_dir]
tools = ["fp8-opt", "mlir-runner", "fp8-capi-test"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
tools = ["fp8-run"]
llvm_config.add_tool_substitutions(
    [ToolSubst(t, unresolved="ignore") for t in tools], tool_dirs)

# ptxas (CUDA toolkit): found through CUDA_HOME, CUDA_PATH, /usr/local/cuda or
# PATH. Tests that assemble PTX say `REQUIRES: ptxas` and are reported as
# UNSUPPORTED where it is missing.
def find_ptxas():
    for var in ("CUDA_HOME", "CUDA_PATH", "CUDA_ROOT"):
        root = os.environ.get(var)
        if root and os.access(os.path.join(root, "bin", "ptxas"), os.X_OK):
            return os.path.join(root, "bin", "ptxas")
    if os.access("/usr/local/cuda/bin/ptxas", os.X_OK):
        return "/usr/local/cuda/bin/ptxas"
    return shutil.which("ptxas")

ptxas = find_ptxas()
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))

# The project's venv python (numpy, ml_dtypes) for tests that make .npy files.
config.substitutions.append(("%fp8_python", config.python_executable))

# Writes each kernel's PTX and the manifest of --fp8-gpu-pipeline output:
# the command line of the fp8_mlir package built here, which reads them
# through the C API.
def python_sanitizer_env():
    """What Python needs to load the extension of an ASan+UBSan build
    (scripts/sanitize.sh): ASan's runtime first, and no leak check (CPython
    does not free everything at exit). Empty for other builds."""
    cache = os.path.join(config.fp8_obj_root, "CMakeCache.txt")
    try:
        with open(cache) as f:
            sanitized = "FP8_SANITIZE:STRING=address" in f.read()
    except OSError:
        sanitized = False
    if not sanitized:
        return ""
    runtime = subprocess.run(
        [os.path.join(config.llvm_tools_dir, "clang"),
         "-print-file-name=libclang_rt.asan-x86_64.so"],
        capture_output=True, text=True).stdout.strip()
    options = os.environ.get("ASAN_OPTIONS", "").replace("detect_leaks=1", "")
    return 'LD_PRELOAD="%s" ASAN_OPTIONS="%s:detect_leaks=0" PYTHONMALLOC=malloc ' % (
        runtime, options)


config.substitutions.append(
    ("%extract-ptx",
     'env %sPYTHONPATH="%s" "%s" -m fp8_mlir.ptx'
     % (python_sanitizer_env(),
        os.path.join(config.fp8_obj_root, "python_packages"),
        config.python_executable)))
