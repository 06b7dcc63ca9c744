"""One FP8 GEMM (`fp8.scaled_matmul`) as IR, compiled, and run on the GPU.

    d = run_gemm(a_q, sa, b_q, sb, "bf16")   # D = (A * sA) x (B * sB)^T

A is [M, K], B is [N, K] (K-major, the op's `transpose_b`, what the sm_90a
kernel reads), both FP8 (ml_dtypes arrays). The scaling of each operand
follows from its scale's shape (one scale: tensor; [M, 1]: rowwise; [M/r,
K/c]: block [r, c], with the recipes' blocks [1, 128], [128, 128] and MX
[1, 32] recognised) or is given as `a_scaling` / `b_scaling`.
"""

import numpy as np

from .._dtypes import _DTYPES

__all__ = ["gemm_ir", "infer_scaling", "recipe_scalings", "run_gemm",
           "scale_shape", "scaling_attr"]


def recipe_scalings(recipe):
    """``(a_scaling, b_scaling, scale_type)`` of a GEMM of an activation A
    and a weight B quantized with `recipe`, as the compiler's recipe table
    says (fp8_mlir.recipe_operand; needs the compiled extension)."""
    import fp8_mlir

    a = fp8_mlir.recipe_operand(recipe, "activation", "a")
    b = fp8_mlir.recipe_operand(recipe, "weight", "b")
    return a["scaling"], b["scaling"], a["scale_type"]

_MLIR_NAMES = {dtype: name for name, dtype in _DTYPES.items()
               if name not in ("index",)}


def mlir_type_name(dtype):
    """The MLIR element type of a numpy dtype, or `dtype` itself when it is
    already an MLIR name ("bf16", "f8E4M3FN", ...)."""
    if isinstance(dtype, str) and dtype in _DTYPES:
        return dtype
    try:
        return _MLIR_NAMES[np.dtype(dtype)]
    except (KeyError, TypeError) as error:
        raise ValueError(f"no MLIR element type for {dtype!r}") from error


def scaling_attr(scaling):
    """`#fp8.scaling<...>` of "tensor", "rowwise" or a block (rows, cols)."""
    if scaling in ("tensor", "rowwise"):
        return f"#fp8.scaling<{scaling}>"
    rows, cols = scaling
    return f"#fp8.scaling<block [{rows}, {cols}]>"


def scale_shape(scaling, rows, cols):
    """Shape of the scale of a [rows, cols] operand."""
    if scaling == "tensor":
        return ()
    if scaling == "rowwise":
        return (rows, 1)
    r, c = scaling
    return (-(-rows // r), -(-cols // c))


def infer_scaling(scale, rows, cols):
    """The scaling of a [rows, cols] operand whose scale array is `scale`."""
    shape = np.shape(scale)
    if int(np.prod(shape)) == 1 and len(shape) != 2:
        return "tensor"
    candidates = ["rowwise", (1, 128), (128, 128), (1, 32)]
    if rows == 1 and shape == (1, 1):
        return "tensor"
    for scaling in candidates:
        if scale_shape(scaling, rows, cols) == tuple(shape):
            return scaling
    raise ValueError(f"cannot tell the scaling of a [{rows}, {cols}] operand "
                     f"from a scale of shape {shape}; pass a_scaling/b_scaling")


def _tensor(shape, element):
    dims = "x".join(str(d) for d in shape)
    return f"tensor<{dims}x{element}>" if shape else f"tensor<{element}>"


def gemm_ir(m, n, k, a_type="f8E4M3FN", b_type="f8E4M3FN", out_type="bf16",
            a_scaling="tensor", b_scaling="tensor", scale_type="f32",
            bias_type=None, out_scale=False, amax=False, name="gemm"):
    """A func.func @`name` holding one fp8.scaled_matmul: A [m, k], B [n, k]
    (transpose_b), scales of `a_scaling` / `b_scaling` with element type
    `scale_type`, optional bias [n], output scale and amax result."""
    a = _tensor((m, k), a_type)
    b = _tensor((n, k), b_type)
    sa = _tensor(scale_shape(a_scaling, m, k), scale_type)
    sb = _tensor(scale_shape(b_scaling, n, k), scale_type)
    d = _tensor((m, n), out_type)
    args = [f"%a: {a}", f"%sa: {sa}", f"%b: {b}", f"%sb: {sb}"]
    extras = ""
    if bias_type is not None:
        bias = _tensor((n,), bias_type)
        args.append(f"%bias: {bias}")
        extras += f" bias(%bias : {bias})"
    if out_scale:
        args.append("%os: tensor<f32>")
        extras += " out_scale(%os : tensor<f32>)"
    results, values = [d], ["%d"]
    if amax:
        results.append("tensor<f32>")
        values.append("%amax")
    return (
        f"func.func @{name}({', '.join(args)}) -> ({', '.join(results)}) {{\n"
        f"  {', '.join(values)} = fp8.scaled_matmul %a, %sa, %b, %sb{extras}\n"
        f"      {{a_scaling = {scaling_attr(a_scaling)}, "
        f"b_scaling = {scaling_attr(b_scaling)}, transpose_b}}\n"
        f"      : {a}, {sa}, {b}, {sb} -> {', '.join(results)}\n"
        f"  return {', '.join(values)} : {', '.join(results)}\n"
        f"}}\n")


_kernels = {}


def run_gemm(a_q, sa, b_q, sb, out_dtype="bf16", *, bias=None, out_scale=None,
             amax=False, a_scaling=None, b_scaling=None, chip=None,
             kernel=None, timeout=None, **options):
    """``D = (A * sA) x (B * sB)^T (+ bias)`` on the GPU, with the kernel
    fp8_mlir compiles for one fp8.scaled_matmul of this shape and scaling.

    `a_q` [M, K] and `b_q` [N, K] are FP8 arrays (host or device, see
    fp8_mlir.gpu.load); `sa`/`sb` their decode scales; `out_dtype` an MLIR
    type name or numpy dtype ("bf16", "f32", "f16", "f8E4M3FN" with
    `out_scale`). Returns D as a host [M, N] array (and the amax of D when
    `amax`). `kernel` skips the compiler: a (binary, spec) pair compiled
    ahead of time for exactly this GEMM. `timeout`: as Kernel.launch.
    `options` go to the pipeline (gemm_tile="128x64", gemm_stages=3).
    """
    from .device import default_device
    from .kernel import load

    (m, k), (n, k_b) = np.shape(a_q), np.shape(b_q)
    if k != k_b:
        raise ValueError(f"A is [{m}, {k}] but B is [{n}, {k_b}]: B must be "
                         "[N, K] (K-major)")
    a_scaling = a_scaling or infer_scaling(sa, m, k)
    b_scaling = b_scaling or infer_scaling(sb, n, k)
    device = default_device()
    chip = chip or device.chip or "sm_90a"
    if kernel is None:
        ir = gemm_ir(m, n, k, _dtype_name(a_q), _dtype_name(b_q),
                     mlir_type_name(out_dtype), a_scaling, b_scaling,
                     scale_type=_scale_type(sa),
                     bias_type=None if bias is None else _dtype_name(bias),
                     out_scale=out_scale is not None, amax=amax)
        key = (ir, chip, tuple(sorted(options.items())))
        if key not in _kernels:
            from .compile import compile_kernel

            binary, spec = compile_kernel(ir, chip, "fp8.scaled_matmul",
                                          **options)
            _kernels[key] = load(binary, spec, device)
        loaded = _kernels[key]
    else:
        loaded = load(kernel[0], kernel[1], device)
    arguments = {"a": a_q, "a_scale": sa, "b": b_q, "b_scale": sb}
    if bias is not None:
        arguments["bias"] = bias
    if out_scale is not None:
        arguments["out_scale"] = out_scale
    outputs = loaded.launch(timeout=timeout, **arguments)
    d = outputs[0]
    if isinstance(d, np.ndarray):
        d = d.reshape(m, n)
    if not amax:
        return d
    d_amax = outputs[1]
    if isinstance(d_amax, np.ndarray):
        d_amax = d_amax.reshape(())
    return d, d_amax


def _scale_type(scale):
    """f8E8M0FNU for E8M0 (MX) scales, else f32 (what the op takes)."""
    return "f8E8M0FNU" if _dtype_name(scale, "f32") == "f8E8M0FNU" else "f32"


def _dtype_name(value, default=None):
    """The MLIR element type of an array (host, or a torch tensor)."""
    dtype = getattr(value, "dtype", None)
    if dtype is None:
        if default is None:
            raise ValueError(f"cannot tell the element type of {value!r}")
        return default
    if type(dtype).__module__.startswith("torch"):
        torch_names = {"float32": "f32", "float16": "f16", "bfloat16": "bf16",
                       "float8_e4m3fn": "f8E4M3FN", "float8_e5m2": "f8E5M2",
                       "float8_e8m0fnu": "f8E8M0FNU"}
        return torch_names[str(dtype).split(".")[-1]]
    return mlir_type_name(dtype)
