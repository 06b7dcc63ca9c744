"""Compiling IR to kernels with fp8_mlir's compiler (the compiled extension).

On a machine without the extension, load kernels compiled ahead of time with
fp8_mlir.ptx.read instead.
"""

__all__ = ["compile_kernel", "compile_kernels"]


def compile_kernels(ir, chip="sm_90a", **options):
    """``(binaries, manifest)`` (as fp8_mlir.ptx.extract gives them: PTX per
    kernel module) of `ir`, which holds fp8 ops, compiled with
    --fp8-gpu-pipeline for `chip`; options as fp8_mlir.to_ptx takes them.
    Compiler errors raise fp8_mlir.MLIRError."""
    import fp8_mlir

    return fp8_mlir._compile_kernels(ir, chip, None, options)


def compile_kernel(ir, chip="sm_90a", op=None, **options):
    """``(binary, spec)`` of the one kernel of `ir` (the one for fp8 op `op`,
    e.g. "fp8.scaled_matmul", when `ir` has several)."""
    binaries, manifest = compile_kernels(ir, chip, **options)
    kernels = [k for k in manifest["kernels"] if op is None or k["op"] == op]
    if len(kernels) != 1:
        names = ", ".join(k["name"] for k in manifest["kernels"]) or "none"
        raise ValueError(f"expected one {op or 'fp8'} kernel, got: {names}")
    return binaries[kernels[0]["module"]], kernels[0]
