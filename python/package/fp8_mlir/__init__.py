"""fp8-mlir from Python.

    import fp8_mlir
    ir = fp8_mlir.compile(model_ir, "fp8-quantize-pipeline{recipe=tensorwise}")
    outputs = fp8_mlir.run(ir, "mlp", x, w1, b1, w2, b2)   # numpy in and out
    stats = fp8_mlir.report(ir, "mlp", x, w1, b1, w2, b2)  # docs/report.md
    ptx, manifest = fp8_mlir.to_ptx(model_ir, chip="sm_90a", recipe="tensorwise")

From a PyTorch nn.Module: fp8_mlir.torch.export / fp8_mlir.torch.compile
(needs torch and torch-mlir; imported only there).

Errors MLIR reports arrive as fp8_mlir.MLIRError carrying the diagnostics.
FP8/FP6/FP4/E8M0 and bf16 arrays are ml_dtypes arrays. `run` converts its
arguments only without loss, else raises fp8_mlir.ArgumentError
(docs/run-arguments.md).
"""

import numpy as np

from ._dtypes import (CAST_MODES, FP4_MODES, Refused, convert_argument,
                      pack_fp4, unpack_fp4,
                      dtype_for_element_type)

try:
    from . import _fp8_mlir
    from ._fp8_mlir import MLIRError
except ImportError as _error:
    # Without the compiled extension (e.g. on a GPU machine that got only the
    # source tree) the pure-Python parts still work: fp8_mlir.gpu, reading
    # prepared kernels (fp8_mlir.ptx.read/select); what needs the compiler
    # (compile, run, to_ptx, the recipe table, ptx.extract) raises MLIRError
    # saying why.
    _fp8_mlir = None
    _EXTENSION_ERROR = f"{type(_error).__name__}: {_error}"

    class MLIRError(RuntimeError):
        """An error MLIR reported (stand-in: the extension is missing)."""


class ArgumentError(MLIRError, TypeError):
    """An argument `run` cannot pass to its parameter as given: a lossy
    conversion, a wrong count of arguments (docs/run-arguments.md)."""


__all__ = ["MLIRError", "ArgumentError", "compile", "run", "report",
           "calibrate", "to_ptx",
           "has_compiler", "recipe_names", "recipe_operand"]


def has_compiler() -> bool:
    """Whether the compiled extension (compile, run, to_ptx) is importable."""
    return _fp8_mlir is not None


def _extension():
    if _fp8_mlir is None:
        raise MLIRError("fp8_mlir's compiled extension is not available "
                        f"({_EXTENSION_ERROR}); build it (scripts/build.sh) "
                        "and put <build>/python_packages on PYTHONPATH")
    return _fp8_mlir


def compile(ir: str, pipeline: str) -> str:
    """Run `pipeline` (as `mlir-opt --pass-pipeline` takes it, with or without
    the `builtin.module(...)` wrapper) on `ir`; returns the resulting IR."""
    return _extension().compile(ir, pipeline)


def run(ir: str, entry: str, *arrays, cast: str = "safe",
        fp4: str = "unpacked"):
    """Compile `ir` with --fp8-cpu-pipeline and call @entry on `arrays`.

    Each argument (a numpy/ml_dtypes array, a numpy scalar or a Python
    scalar) is passed as its parameter's element type. With
    ``cast="safe"`` (the default) it must have that dtype, or one that
    converts to it without loss (float16 -> f32, int8 -> i32,
    float8_e4m3fn -> f32; a Python scalar whose value is exactly
    representable). ``cast="bits"`` lets bf16/FP8/FP6/FP4/E8M0 parameters
    take uint8 (uint16 for bf16) bit patterns; ``cast="unsafe"`` converts
    with numpy's ``astype``, losing what it loses. Anything else raises
    ArgumentError (an MLIRError and a TypeError) naming the argument; the
    full table is in docs/run-arguments.md.

    ``fp4="packed"``: f4E2M1FN parameters take uint8 arrays holding two
    values per byte along the last dimension (element 2i in the low
    nibble, torchao's packing), and f4E2M1FN results come back so.

    Returns the results as numpy/ml_dtypes arrays."""
    inputs = _convert_arguments(ir, entry, arrays, cast, fp4)
    results = []
    for element_type, shape, data in _fp8_mlir.run(ir, entry, inputs):
        dtype = dtype_for_element_type(element_type)
        result = np.frombuffer(data, dtype=dtype).reshape(shape).copy()
        if fp4 == "packed" and element_type == "f4E2M1FN":
            try:
                result = pack_fp4(result)
            except Refused as error:
                raise ArgumentError(f"result of @{entry}: {error}") from None
        results.append(result)
    return results


def report(ir: str, entry: str, *arrays, recipe: str = None,
           cast: str = "safe") -> dict:
    """The numerics report of a quantized program (the output of
    ``compile(model, "fp8-quantize-pipeline{recipe=...}")``), or of a model
    quantized here with `recipe` (then the locations in the report are
    lines of `ir`, the model), run on
    `arrays` (converted as `run` converts them): per quantize op its format,
    scaling, amax, scales, % saturated / flushed to zero / subnormal, SQNR
    and the same figures for INT8, a log2|x| histogram, and per scaled
    matmul its error against the matmul of the unquantized inputs. Returns
    the JSON of docs/report.md as a dict; the statistics are computed in
    C++ (lib/Runner/Report.cpp), as for ``fp8-run --report``. A program
    without quantize ops raises MLIRError.

        r = fp8_mlir.report(quantized_ir, "mlp", x, w1, b1, w2, b2)
        worst = min(r["tensors"], key=lambda t: t["fp8"]["sqnr_db"] or 1e9)
    """
    import json

    pipeline = ""
    quantized = ir
    if recipe is not None:
        pipeline = f"fp8-quantize-pipeline{{recipe={recipe}}}"
        quantized = compile(ir, pipeline)  # its arguments (delayed adds some)
    inputs = _convert_arguments(quantized, entry, arrays, cast)
    return json.loads(_fp8_mlir.report(ir, entry, inputs, pipeline))


def _convert_arguments(ir, entry, arrays, cast, fp4="unpacked"):
    """(shape, bytes) of each argument of @entry, converted as `run`
    documents."""
    if cast not in CAST_MODES:
        raise ValueError(f"cast must be one of {', '.join(CAST_MODES)}; "
                         f"got {cast!r}")
    if fp4 not in FP4_MODES:
        raise ValueError(f"fp4 must be one of {', '.join(FP4_MODES)}; "
                         f"got {fp4!r}")
    element_types = _extension().argument_element_types(ir, entry)
    if len(arrays) != len(element_types):
        raise ArgumentError(f"@{entry} takes {len(element_types)} arguments, "
                            f"{len(arrays)} given")
    inputs = []
    for index, (value, element_type) in enumerate(zip(arrays, element_types)):
        try:
            if fp4 == "packed" and element_type == "f4E2M1FN":
                value = unpack_fp4(value)
            array = convert_argument(
                value, dtype_for_element_type(element_type), cast)
        except (Refused, TypeError) as error:
            raise ArgumentError(f"argument {index} of @{entry} is "
                                f"{element_type}: {error}") from None
        inputs.append((list(array.shape), array.tobytes()))  # C order
    return inputs


def to_ptx(ir: str, chip: str = "sm_90a", recipe: str = "tensorwise",
           **options):
    """Quantize `ir` with `recipe` (None: `ir` already holds fp8 ops), compile
    it with --fp8-gpu-pipeline for `chip`, and return ``(ptx, manifest)``.

    `ptx` is the PTX text of all kernels, one module after another;
    `manifest` is the kernel manifest (a dict, see docs/gpu-pipeline.md): per
    kernel its name, grid, block, cluster, dynamic shared memory and
    parameters. `fp8_mlir.ptx.select(ptx, kernel["name"])` is the module of
    one kernel; `fp8_mlir.gpu.load(ptx, kernel)` loads it. Further keyword
    arguments are pipeline options, underscores for dashes:
    ``to_ptx(ir, gemm_tile="128x64")``. Errors (an unsupported chip, shape
    or type) raise MLIRError with the diagnostics.

        ptx, manifest = fp8_mlir.to_ptx(model_ir, chip="sm_90a")
        kernels = [fp8_mlir.gpu.load(ptx, k) for k in manifest["kernels"]]
    """
    from . import ptx as _ptx

    binaries, manifest = _compile_kernels(ir, chip, recipe, options)
    return _ptx.join(binaries, manifest), manifest


def recipe_names():
    """The recipe names that `recipe=` accepts, from the compiler."""
    return _extension().recipe_names()


_ROLES = {"activation": 0, "weight": 1, "gradient": 2}
_OPERANDS = {"a": 0, "b": 1}


def recipe_operand(recipe: str, role: str = "activation", operand: str = "a"):
    """How `recipe` (the option form: "blockwise", "tensorwise,margin=1")
    quantizes matmul operand `operand` ("a" or "b", K-major: A [M, K], B
    [N, K]) when it has `role` ("activation", "weight" or "gradient"): the
    compiler's own answer (Recipe.h, through the C API), as a dict with
    ``format`` and ``scale_type`` (MLIR type names), ``scaling`` ("tensor",
    "rowwise" or a block (rows, cols)), ``margin`` and ``pow2``. A
    malformed recipe raises MLIRError."""
    if role not in _ROLES or operand not in _OPERANDS:
        raise ValueError(f"role must be one of {', '.join(_ROLES)} and "
                         f"operand 'a' or 'b'; got {role!r}, {operand!r}")
    (data_format, kind, rows, cols, scale_type, margin,
     pow2) = _extension().recipe_operand(recipe, _ROLES[role],
                                         _OPERANDS[operand])
    return {"format": data_format,
            "scaling": (rows, cols) if kind == "block" else kind,
            "scale_type": scale_type, "margin": margin, "pow2": pow2}


def _compile_kernels(ir, chip, recipe, options):
    """``(binaries, manifest)`` as fp8_mlir.ptx.extract gives them."""
    from . import ptx as _ptx

    if recipe is not None:
        ir = compile(ir, f"fp8-quantize-pipeline{{recipe={recipe}}}")
    settings = [f"chip={chip}", "format=isa"]
    settings += [f"{key.replace('_', '-')}={value}"
                 for key, value in options.items()]
    try:
        binaries, manifest = _ptx.compile_kernels(
            ir, f"fp8-gpu-pipeline{{{' '.join(settings)}}}")
    except _ptx.ExtractError as error:
        raise MLIRError(f"--fp8-gpu-pipeline output: {error}") from error
    if not binaries:
        # Nothing ran on the GPU (no fp8 op, e.g. every matmul too small).
        return {}, {"version": _ptx.MANIFEST_VERSION, "chip": chip,
                    "kernels": []}
    return binaries, manifest


def calibrate(ir: str, entry: str, *arrays, **options) -> dict:
    """The fewest matmuls of `ir` to keep in high precision so that every
    output of @entry on `arrays` is within `max_output_error` of the
    unquantized program's; see fp8_mlir.calibration.calibrate for the
    options and the result (docs/quantize-pipeline.md, "Calibrated high
    precision")."""
    # Imported here so that `python -m fp8_mlir.calibration` does not find
    # the module already imported.
    from .calibration import calibrate as _calibrate

    return _calibrate(ir, entry, *arrays, **options)
