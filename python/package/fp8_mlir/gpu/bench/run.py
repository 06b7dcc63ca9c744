"""FP8 GEMM throughput on the GPU: fp8-mlir's sm_90a / sm_100a kernel
against cuBLASLt (torch._scaled_mm, same FP8 inputs and scales) and bf16
torch.matmul. The body of bench/gpu/run.py (see bench/gpu/README.md).

Runs on the GPU machine from the source tree alone: the kernels were
compiled ahead of time (fp8_mlir.gpu.bench.prepare) into <kernels>/<chip>/,
with the recipe table beside, and are launched with fp8_mlir.gpu
(cuda-python); the set of the GPU's chip runs (Hopper: sm_90a, B200:
sm_100a). Needs numpy and ml_dtypes; torch for the inputs, the baselines
and the checks (without it only our kernels are timed, on random FP8 data,
checked on sampled entries). Where torch has no FP8 GEMM for a recipe,
sampled entries of D are also checked against the CPU reference
(fp8_mlir_ref, python/ on the path).

Every prepared kernel set and manifest is loaded and checked first; without
a GPU `main` stops there ("no GPU: ...") with exit status 0.
"""

import argparse
import datetime
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from ... import gpu, ptx
from .. import _driver
from ..gemm import scale_shape
from ..memory import manifest_dtype
from .cases import CHIPS, chip_dir, is_fp4, read_recipes

E4M3_MAX = 448.0
#: Relative Frobenius error a bf16-output FP8 GEMM must stay under (bf16
#: rounding is 2^-9 relative; Hopper's FP8 accumulation adds a little).
CHECK_TOLERANCE = 2.0**-7
#: Rows and columns of D checked against fp8_mlir_ref when torch has no FP8
#: GEMM for the recipe (a [SAMPLE, K] x [K, SAMPLE] product on the CPU).
REFERENCE_SAMPLE = 128
#: The manifest dtype of each recipe's decode scales.
SCALE_DTYPES = {"f32": "float32", "f8E8M0FNU": "float8_e8m0fnu",
                "f8E4M3FN": "float8_e4m3fn"}
#: The MMA each FP4 recipe's kernel must issue.
FP4_MMA = {"nvfp4": "kind::mxf4nvf4.block_scale.block16",
           "mxfp4": "kind::mxf4.block_scale.block32"}


# --- the prepared kernels ---------------------------------------------------------


class Case:
    """One (shape, recipe) of the benchmark and its prepared kernel."""

    def __init__(self, entry, directory, chip, recipe):
        """`recipe`: the recipe's row of the recipe table (its A and B
        scalings and scale type)."""
        self.entry = entry
        self.chip = chip
        self.name = entry["name"]
        self.m, self.n, self.k = entry["m"], entry["n"], entry["k"]
        self.recipe = entry["recipe"]
        self.a_scaling, self.b_scaling = recipe["a"], recipe["b"]
        self.scale_type = recipe["scale_type"]
        self.directory = directory
        self.binary = self.spec = None
        self.reason = None

    @property
    def flops(self):
        return 2.0 * self.m * self.n * self.k


def scale_elements(param):
    """Elements of a scale parameter: a buffer, or (gemm-scale-load=tma) a
    byte tensor map over the [rows, K / group] scales (its rows count the
    scales' bytes: 4 per f32 scale)."""
    if param["kind"] == "tensor_map":
        return (math.prod(param["global_dim"])
                // manifest_dtype(param["element_type"]).itemsize)
    return math.prod(param["shape"])


def scale_dtype_name(param):
    """The manifest dtype of a scale parameter (buffer or tensor map)."""
    return param["element_type"] if param["kind"] == "tensor_map" else param["dtype"]


def validate_case(case):
    """Loads the case's kernel and checks its manifest against the GEMM it
    should be (for case.chip); returns a list of problems."""
    if case.entry["status"] == "rejected":
        rejected = case.directory / "rejected.txt"
        if not rejected.exists():
            case.reason = "invalid prepared kernel: rejected.txt is missing"
            return [f"{case.name}: rejected, but {rejected} is missing"]
        case.reason = "rejected by the compiler: " + \
            rejected.read_text().splitlines()[0]
        return []
    try:
        binaries, manifest = ptx.read(str(case.directory))
    except ptx.ExtractError as error:
        case.reason = f"invalid prepared kernel: {error}"
        return [f"{case.name}: {error}"]
    if len(manifest["kernels"]) != 1:
        case.reason = "invalid prepared kernel: not one kernel"
        return [f"{case.name}: {len(manifest['kernels'])} kernels, expected 1"]
    (spec,) = manifest["kernels"]
    text = binaries[spec["module"]]
    problems = []

    def expect(condition, what):
        if not condition:
            problems.append(f"{case.name}: {what}")

    m, n, k = case.m, case.n, case.k
    a_scaling, b_scaling = case.a_scaling, case.b_scaling
    scale_dtype = SCALE_DTYPES[case.scale_type]
    expect(manifest["chip"] == case.chip, f"chip {manifest['chip']}")
    expect(spec["op"] == "fp8.scaled_matmul", f"op {spec['op']}")
    expect(spec["name"] == case.entry.get("kernel"), "kernel name differs from index.json")
    expect(f".visible .entry {spec['name']}(" in text, "no .entry of that name in the PTX")
    expect(f".target {case.chip}" in text, f"PTX is not for {case.chip}")
    expect(text.count(".param .u64") == len(spec["params"]),
           "PTX and manifest disagree on the parameter count")
    params = {p["name"]: p for p in spec["params"]}
    fp4 = is_fp4(case.recipe)
    globals_ = ["a_global", "b_global"] if case.scale_type == "f8E4M3FN" else []
    # gemm-epilogue=tma-store adds D's tensor map, encoded over D.
    expect(list(params) in (["a", "a_scale", "b", "b_scale"] + globals_ + ["d"],
                            ["a", "a_scale", "b", "b_scale", "d", "d_map"]),
           f"parameters {list(params)}")
    if fp4:
        # Packed FP4: the maps cover [rows, K / 2] bytes.
        expect(FP4_MMA[case.recipe] in text,
               f"no tcgen05.mma.{FP4_MMA[case.recipe]} in the PTX")
        expect(all(params.get(name, {}).get("packed_fp4") for name in ("a", "b")),
               "A and B are not packed FP4 tensor maps")
    if "d_map" in params and not problems:
        expect(params["d_map"].get("of") == "d"
               and params["d_map"]["global_dim"] == [n, m],
               "D's tensor map")
    if not problems:
        k_bytes = k // 2 if fp4 else k
        expect(params["a"]["global_dim"] == [k_bytes, m], "A's tensor map dims")
        expect(params["b"]["global_dim"] == [k_bytes, n], "B's tensor map dims")
        expect(params["d"]["shape"] == [m * n] and params["d"]["dtype"] == "bfloat16",
               "D's buffer")
        expect(scale_elements(params["a_scale"])
               == max(1, math.prod(scale_shape(a_scaling, m, k))),
               "A's scale buffer")
        expect(scale_elements(params["b_scale"])
               == max(1, math.prod(scale_shape(b_scaling, n, k))),
               "B's scale buffer")
        a_dtype, b_dtype = (scale_dtype_name(params[name])
                            for name in ("a_scale", "b_scale"))
        expect(a_dtype == scale_dtype == b_dtype,
               f"scale dtypes {a_dtype}, {b_dtype} (expected {scale_dtype})")
        # Whole warps: warpgroups, or sm_100a's warp-specialized 6 warps.
        expect(spec["block"][0] % 32 == 0 and spec["block"][1:] == [1, 1]
               and spec["block"][0] <= 1024, f"block {spec['block']}")
        expect(all(g % c == 0 for g, c in zip(spec["grid"], spec["cluster"])),
               f"grid {spec['grid']} is not made of clusters {spec['cluster']}")
        expect(0 < spec["dynamic_shared_memory"] <= 227 * 1024,
               f"dynamic shared memory {spec['dynamic_shared_memory']}")
        expect(all(d >= 1 for d in spec["grid"]), f"grid {spec['grid']}")
    if problems:
        case.reason = "invalid prepared kernel: " + "; ".join(problems)
    else:
        case.binary, case.spec = text, spec
    return problems


def load_cases(kernel_dir, recipe_file, shapes, recipes, chip):
    """The prepared cases of one chip (kernel_dir/<chip>/), validated, with
    their scalings from the recipe table in `recipe_file`: (index, cases,
    problems)."""
    set_dir = chip_dir(kernel_dir, chip)
    index_path = set_dir / "index.json"
    try:
        index = json.loads(index_path.read_text())
        table = read_recipes(recipe_file)
    except (OSError, ValueError) as error:
        sys.exit(f"run.py: cannot read the prepared kernels ({error}); run "
                 "bench/gpu/prepare-device.sh where fp8-opt is built")
    cases, problems = [], []
    if index.get("chip") != chip:
        problems.append(f"{index_path}: chip {index.get('chip')}, expected {chip}")
    for entry in index["cases"]:
        shape = entry["name"].split("-")[0]
        if (shapes and shape not in shapes) or (recipes and entry["recipe"] not in recipes):
            continue
        if entry["recipe"] not in table:
            problems.append(f"{chip}/{entry['name']}: recipe {entry['recipe']} "
                            f"is not in {recipe_file}")
            continue
        case = Case(entry, set_dir / entry["name"], chip, table[entry["recipe"]])
        problems += [f"{chip}/{p}" for p in validate_case(case)]
        cases.append(case)
    return index, cases, problems


# --- measuring ---------------------------------------------------------------------


def iterations(measure, min_time):
    """How many launches make `min_time` seconds, from a 3-launch probe."""
    probe_ms = max(measure(3), 1e-3)
    return int(min(max(min_time * 1e3 / probe_ms, 5), 500))


def torch_time(torch, fn, iters, warmup=3, graph=False):
    """Mean ms of `fn` over `iters` calls; with `graph`, the calls are
    captured in one CUDA graph first (no launch cost between them)."""
    if graph:
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            for _ in range(warmup):
                fn()
        torch.cuda.current_stream().wait_stream(side)
        captured = torch.cuda.CUDAGraph()
        with torch.cuda.graph(captured):
            for _ in range(iters):
                fn()
        captured.replay()  # the first replay would include the upload
        torch.cuda.synchronize()
        run = captured.replay
    else:
        for _ in range(warmup):
            fn()

        def run():
            for _ in range(iters):
                fn()
    start = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    start.record()
    run()
    end.record()
    end.synchronize()
    return start.elapsed_time(end) / iters


def first_line(error):
    """The first line of an exception's message (its type when empty)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def timed(measure):
    """`measure(graph)` with CUDA graphs, or without when capturing fails
    (an old driver, a torch op that cannot be captured): (ms, how)."""
    try:
        return measure(True), "cuda graph"
    except Exception as error:  # noqa: BLE001 - recorded, then the loop
        if isinstance(error, gpu.GPUTimeoutError):
            raise  # a hung kernel: no second try in this process
        return measure(False), f"launch loop ({first_line(error)})"


def relative_error(torch, x, reference):
    """||x - reference||_F / ||reference||_F in float64."""
    x, reference = x.double(), reference.double()
    return float(torch.linalg.norm(x - reference) / torch.linalg.norm(reference))


# --- inputs (torch) -------------------------------------------------------------------


def quantize(torch, x, scaling, power_of_two=False):
    """E4M3 data and decode scales of `x` [R, C] (scale = amax / 448, 1 where
    amax is 0; with `power_of_two`, MX's E8M0 rule 2^ceil(log2(amax / 448)),
    which clips nothing): what a recipe computes, on the GPU."""
    rows, cols = x.shape
    x = x.float()
    if scaling == "tensor":
        amax = x.abs().amax().reshape(())
        view, scale_view = x, None
    elif scaling == "rowwise":
        amax = x.abs().amax(dim=1, keepdim=True)
        view, scale_view = x, None
    else:
        r, c = scaling
        view = x.reshape(rows // r, r, cols // c, c)
        amax = view.abs().amax(dim=(1, 3))
        scale_view = (slice(None), None, slice(None), None)
    scale = amax / E4M3_MAX
    if power_of_two:
        scale = torch.exp2(torch.ceil(torch.log2(scale)))
    scale = torch.where(amax > 0, scale, torch.ones_like(amax))
    divided = view / (scale[scale_view] if scale_view else scale)
    q = divided.clamp(-E4M3_MAX, E4M3_MAX).to(torch.float8_e4m3fn)
    return q.reshape(rows, cols).contiguous(), scale.contiguous()


def dequantize(torch, q, scale, scaling):
    x = q.float()
    if scaling in ("tensor", "rowwise"):
        return x * scale
    r, c = scaling
    return x * scale.repeat_interleave(r, 0).repeat_interleave(c, 1)


def e8m0_bits(torch, scale):
    """The E8M0 encoding (biased exponent, uint8) of power-of-two scales."""
    return (torch.log2(scale).round() + 127).to(torch.uint8)


def block_scale_layout(rows, cols):
    """Where cuBLASLt's block-scaled GEMMs (and torch's MX `_scaled_mm`, the
    "32_4_4" swizzle) read the scale of group (r, c) of a [rows, cols] scale
    matrix: a flat offset per entry, as an int64 [rows, cols] array.

    The scales are cut into 128 x 4 tiles of 512 bytes, laid out row-major
    by tile; inside a tile, row r sits at (r % 32) * 16 + (r // 32) * 4 and
    its four columns follow. Needs rows % 128 == 0 and cols % 4 == 0 (no
    padding)."""
    if rows % 128 or cols % 4:
        raise ValueError(f"a [{rows}, {cols}] scale matrix needs padding to "
                         "128 x 4 tiles")
    r = np.arange(rows, dtype=np.int64)[:, None]
    c = np.arange(cols, dtype=np.int64)[None, :]
    tile = (r // 128) * (cols // 4) + c // 4
    return tile * 512 + (r % 32) * 16 + (r % 128) // 32 * 4 + c % 4


def swizzled_e8m0(torch, scale):
    """`scale` [rows, cols] (powers of two) as E8M0 in block_scale_layout."""
    rows, cols = scale.shape
    offsets = torch.as_tensor(block_scale_layout(rows, cols).reshape(-1),
                              device=scale.device)
    out = torch.empty(rows * cols, dtype=torch.uint8, device=scale.device)
    out[offsets] = e8m0_bits(torch, scale).reshape(-1)
    return out.view(torch.float8_e8m0fnu)


def _enum_member(kind, *names):
    """The first of `names` that enum `kind` has (the spelling changed
    between torch releases)."""
    for name in names:
        if hasattr(kind, name):
            return getattr(kind, name)
    raise AttributeError(f"{kind.__name__} has none of {', '.join(names)}")


def torch_mx_gemm(torch, a_q, sa, b_q, sb):
    """torch's MXFP8 GEMM (E8M0 scales in the swizzled layout; cuBLASLt on
    sm_100 only): (callable, api) or (None, why)."""
    if not hasattr(torch, "float8_e8m0fnu"):
        return None, f"torch {torch.__version__} has no float8_e8m0fnu"
    b_t = b_q.t()
    try:
        scale_a, scale_b = swizzled_e8m0(torch, sa), swizzled_e8m0(torch, sb)
    except ValueError as error:
        return None, str(error)
    attempts = [("torch._scaled_mm", lambda: torch._scaled_mm(
        a_q, b_t, scale_a=scale_a, scale_b=scale_b, out_dtype=torch.bfloat16))]
    functional = getattr(torch.nn.functional, "scaled_mm", None)
    if functional is not None:
        def call():
            kinds = torch.nn.functional.ScalingType
            swizzles = torch.nn.functional.SwizzleType
            mx = _enum_member(kinds, "BlockWise1x32", "Blockwise_1x32")
            swizzle = _enum_member(swizzles, "SWIZZLE_32_4_4", "Swizzle_32_4_4")
            return functional(a_q, b_t, scale_a=scale_a, scale_recipe_a=mx,
                              scale_b=scale_b, scale_recipe_b=mx,
                              swizzle_a=swizzle, swizzle_b=swizzle,
                              output_dtype=torch.bfloat16)
        attempts.append(("torch.nn.functional.scaled_mm", call))
    return _first_that_runs(torch, attempts)


def _first_that_runs(torch, attempts):
    """The first (api, callable) of `attempts` that runs: (callable, api),
    or (None, every error)."""
    errors = []
    for api, call in attempts:
        try:
            call()
            torch.cuda.synchronize()
            return call, api
        except Exception as error:  # noqa: BLE001 - recorded
            errors.append(f"{api}: {first_line(error)}")
    return None, "; ".join(errors)


def torch_fp8_gemm(torch, recipe, a_q, sa, b_q, sb):
    """A callable running torch's FP8 GEMM (cuBLASLt) of the recipe on the
    same data and decode scales, B column-major, bf16 out; with the API used,
    or (None, why) when torch does not take it."""
    if recipe == "mxfp8":
        return torch_mx_gemm(torch, a_q, sa, b_q, sb)
    b_t = b_q.t()
    # Our E4M3 x E4M3 tensorwise/rowwise kernels accumulate all of K in the
    # wgmma accumulators (gemm-accumulate=auto is "fast" without an E5M2
    # operand), so cuBLASLt runs in the same mode; blockwise promotes.
    fast = recipe in ("tensorwise", "rowwise")
    if recipe == "tensorwise":
        scale_a, scale_b = sa.reshape(()), sb.reshape(())
    elif recipe == "rowwise":
        scale_a, scale_b = sa.reshape(-1, 1), sb.reshape(1, -1)
    else:  # blockwise: A [M, K/128] outer-dim-major, B's [K/128, N/128]
        scale_a, scale_b = sa.t().contiguous().t(), sb.t()

    def scaled_mm():
        return torch._scaled_mm(a_q, b_t, scale_a=scale_a, scale_b=scale_b,
                                out_dtype=torch.bfloat16, use_fast_accum=fast)
    attempts = [("torch._scaled_mm" + ("(use_fast_accum=True)" if fast else ""),
                 scaled_mm)]
    functional = getattr(torch.nn.functional, "scaled_mm", None)
    if recipe == "blockwise" and functional is not None:
        kinds = torch.nn.functional.ScalingType

        def functional_scaled_mm():
            return functional(
                a_q, b_t, scale_a=scale_a,
                scale_recipe_a=_enum_member(kinds, "BlockWise1x128", "Blockwise_1x128"),
                scale_b=scale_b,
                scale_recipe_b=_enum_member(kinds, "BlockWise128x128",
                                            "Blockwise_128x128"),
                output_dtype=torch.bfloat16)
        attempts.append(("torch.nn.functional.scaled_mm", functional_scaled_mm))
    return _first_that_runs(torch, attempts)


# --- FP4 inputs and torch's FP4 GEMMs (sm_100a) ---------------------------------------

#: E2M1's non-negative values, code i = index i.
E2M1_VALUES = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)


def e2m1_codes(torch, x):
    """The 4-bit E2M1 codes (uint8, sign in bit 3) of `x` rounded to the
    nearest value (ties to the even code), saturated to +-6."""
    values = torch.tensor(E2M1_VALUES, device=x.device)
    midpoints = (values[1:] + values[:-1]) / 2
    magnitude = x.abs().clamp(max=6.0).contiguous()
    low = torch.bucketize(magnitude, midpoints, right=False)
    high = torch.bucketize(magnitude, midpoints, right=True)
    # A tie sits between codes low and high = low + 1: keep the even one.
    code = torch.where((low != high) & (low % 2 == 1), high, low)
    return (code | ((x < 0).to(code.dtype) << 3)).to(torch.uint8)


def pack_e2m1(torch, codes):
    """Two codes a byte along the row, element 2i in the low nibble: the
    Packed storage of our kernels and torch's float4_e2m1fn_x2."""
    return (codes[:, 0::2] | (codes[:, 1::2] << 4)).contiguous()


def fp4_quantize(torch, x, block, nvfp4, global_scale=None):
    """E2M1 codes and f32 decode scales ([R, C / block]) of `x` [R, C] with
    scales over `block` = (rows, cols): MX (E8M0: 2^(floor(log2 amax) - 2),
    the OCP rule) or NVFP4 (E4M3 scales amax / 6 / global, rounded to
    E4M3, times the f32 global scale)."""
    rows, cols = x.shape
    r, c = block
    view = x.float().reshape(rows // r, r, cols // c, c)
    amax = view.abs().amax(dim=(1, 3))
    if nvfp4:
        scale = (amax / 6.0 / global_scale).clamp(max=E4M3_MAX)
        scale = scale.to(torch.float8_e4m3fn).float()
        decode = scale * global_scale
    else:
        decode = torch.exp2(torch.floor(torch.log2(amax)) - 2)
    decode = torch.where(decode > 0, decode, torch.ones_like(decode))
    if not nvfp4:
        scale = decode
    codes = e2m1_codes(torch, view / decode[:, None, :, None])
    return codes.reshape(rows, cols), scale, decode


def fp4_operands(torch, case, a, b):
    """FP4 quantizations of the bf16 inputs `a`, `b` as the recipe says
    (NVFP4: A [1, 16], B [16, 16] E4M3 scales and f32 global scales
    amax / (448 * 6); MXFP4: [1, 32] E8M0), the packed operands, the scale
    bytes our kernel reads, and the float32 product of the dequantized
    operands (no TF32)."""
    nvfp4 = case.scale_type == "f8E4M3FN"
    values = torch.tensor(E2M1_VALUES + tuple(-v for v in E2M1_VALUES),
                          device=a.device)
    data = {"a": a, "b": b}
    operands = {}
    for name, x, scaling in (("a", a, case.a_scaling), ("b", b, case.b_scaling)):
        global_scale = None
        if nvfp4:
            global_scale = (x.float().abs().amax() / (E4M3_MAX * 6.0)).reshape(())
            data[name + "_global"] = global_scale.reshape(1).contiguous()
        codes, scale, decode = fp4_quantize(torch, x, scaling, nvfp4,
                                            global_scale)
        r, c = scaling
        dequantized = values[codes.long()] * decode.repeat_interleave(
            r, 0).repeat_interleave(c, 1)
        operands[name] = dequantized
        data[name + "_q"] = pack_e2m1(torch, codes)
        bits = (scale.to(torch.float8_e4m3fn).view(torch.uint8) if nvfp4
                else e8m0_bits(torch, scale))
        data[name + "_scale"] = bits.reshape(-1).contiguous()
        # cuBLASLt's scales: one per 16 (32) elements of every row.
        data["s" + name] = bits.repeat_interleave(r, 0)
    torch.backends.cuda.matmul.allow_tf32 = False
    data["reference"] = operands["a"] @ operands["b"].t()
    return data


def swizzled_scale_bytes(torch, bits, dtype):
    """Scale bytes [rows, cols] in cuBLASLt's 128 x 4 tile layout
    (block_scale_layout), as `dtype`."""
    rows, cols = bits.shape
    offsets = torch.as_tensor(block_scale_layout(rows, cols).reshape(-1),
                              device=bits.device)
    out = torch.empty(rows * cols, dtype=torch.uint8, device=bits.device)
    out[offsets] = bits.reshape(-1)
    return out.view(dtype)


def torch_fp4_gemm(torch, recipe, data):
    """torch's block-scaled FP4 GEMM (cuBLASLt VEC16_UE4M3 for NVFP4 with
    a_global * b_global as alpha, VEC32_UE8M0 for MXFP4; sm_100 only) on
    the same packed data and scales: (callable, api) or (None, why)."""
    if not hasattr(torch, "float4_e2m1fn_x2"):
        return None, f"torch {torch.__version__} has no float4_e2m1fn_x2"
    nvfp4 = recipe == "nvfp4"
    scale_dtype = torch.float8_e4m3fn if nvfp4 else torch.float8_e8m0fnu
    try:
        scale_a = swizzled_scale_bytes(torch, data["sa"], scale_dtype)
        scale_b = swizzled_scale_bytes(torch, data["sb"], scale_dtype)
    except ValueError as error:
        return None, str(error)
    a_q = data["a_q"].view(torch.float4_e2m1fn_x2)
    b_t = data["b_q"].view(torch.float4_e2m1fn_x2).t()
    attempts = []
    functional = getattr(torch.nn.functional, "scaled_mm", None)
    if functional is not None:
        def call():
            kinds = torch.nn.functional.ScalingType
            swizzle = _enum_member(torch.nn.functional.SwizzleType,
                                   "SWIZZLE_32_4_4", "Swizzle_32_4_4")
            none = _enum_member(torch.nn.functional.SwizzleType,
                                "NO_SWIZZLE", "No_Swizzle")
            block = _enum_member(kinds, "BlockWise1x16" if nvfp4
                                 else "BlockWise1x32")
            if nvfp4:
                tensor = _enum_member(kinds, "TensorWise")
                return functional(
                    a_q, b_t, scale_a=[scale_a, data["a_global"]],
                    scale_recipe_a=[block, tensor],
                    scale_b=[scale_b, data["b_global"]],
                    scale_recipe_b=[block, tensor],
                    swizzle_a=[swizzle, none], swizzle_b=[swizzle, none],
                    output_dtype=torch.bfloat16)
            return functional(a_q, b_t, scale_a=scale_a, scale_recipe_a=block,
                              scale_b=scale_b, scale_recipe_b=block,
                              swizzle_a=swizzle, swizzle_b=swizzle,
                              output_dtype=torch.bfloat16)
        attempts.append(("torch.nn.functional.scaled_mm", call))
    if nvfp4:
        # Without the two-level form: alpha applied by a second kernel,
        # which the timing then includes (the row's api says so).
        alpha = data["a_global"] * data["b_global"]
        attempts.append(("torch._scaled_mm, then * a_global * b_global",
                         lambda: torch._scaled_mm(
                             a_q, b_t, scale_a=scale_a, scale_b=scale_b,
                             out_dtype=torch.bfloat16) * alpha))
    else:
        attempts.append(("torch._scaled_mm", lambda: torch._scaled_mm(
            a_q, b_t, scale_a=scale_a, scale_b=scale_b,
            out_dtype=torch.bfloat16)))
    return _first_that_runs(torch, attempts)


# --- one shape ----------------------------------------------------------------------


class CaseHang(Exception):
    """A case's kernel hung (a launch did not finish in time) or failed on
    the GPU: the CUDA context is lost, the process must end."""

    def __init__(self, case, error):
        super().__init__(f"{case.name}: {first_line(error)}")
        self.case = case
        self.status = ("hang" if isinstance(error, gpu.GPUTimeoutError)
                       else "crash")


def run_shape(args, torch, cases, bf16_cache, rows):
    """Measures every recipe of one shape, appending a result row per case
    to `rows` as it goes (so a hang keeps the rows before it). CaseHang when
    a kernel hangs."""
    for case in cases:
        row = case_row(case)
        if "options" in case.entry:
            row["options"] = case.entry["options"]
        data = torch_operands(torch, case) if torch is not None else {}
        if torch is not None:
            if row["shape"] not in bf16_cache:
                a, b = data["a"], data["b"]
                matmul = lambda: torch.matmul(a, b.t())  # noqa: E731
                iters = iterations(lambda i: torch_time(torch, matmul, i, 1),
                                   args.min_time)
                ms, how = timed(lambda graph: torch_time(
                    torch, matmul, iters, graph=graph))
                bf16_cache[row["shape"]] = {"ms": ms, "timing": how,
                                            "tflops": case.flops / ms / 1e9}
            row["bf16"] = bf16_cache[row["shape"]]
            row["torch_fp8"] = measure_torch_fp8(args, torch, case, data)
        try:
            row["ours"] = measure_ours(args, torch, case, data)
        except gpu.GPUError as error:  # a hang, or a kernel fault (sticky)
            raise CaseHang(case, error) from error
        rows.append(row)
        print_row(row)
        data.clear()
        if torch is not None:
            torch.cuda.empty_cache()


def torch_operands(torch, case):
    """bf16 inputs, their E4M3 quantization with the recipe's scales, and
    the float32 product of the dequantized operands (no TF32)."""
    a_scaling, b_scaling = case.a_scaling, case.b_scaling
    generator = torch.Generator(device="cuda").manual_seed(case.m + case.n + case.k)
    a = torch.randn(case.m, case.k, device="cuda", dtype=torch.bfloat16,
                    generator=generator)
    b = torch.randn(case.n, case.k, device="cuda", dtype=torch.bfloat16,
                    generator=generator)
    if is_fp4(case.recipe):
        return fp4_operands(torch, case, a, b)
    mx = case.scale_type == "f8E8M0FNU"
    a_q, sa = quantize(torch, a, a_scaling, power_of_two=mx)
    b_q, sb = quantize(torch, b, b_scaling, power_of_two=mx)
    torch.backends.cuda.matmul.allow_tf32 = False
    reference = dequantize(torch, a_q, sa, a_scaling) @ \
        dequantize(torch, b_q, sb, b_scaling).t()
    # What our kernel reads: f32 decode scales, or their E8M0 bytes (MX).
    a_scale = e8m0_bits(torch, sa) if mx else sa
    b_scale = e8m0_bits(torch, sb) if mx else sb
    return {"a": a, "b": b, "a_q": a_q, "sa": sa, "b_q": b_q, "sb": sb,
            "a_scale": a_scale.reshape(-1).contiguous(),
            "b_scale": b_scale.reshape(-1).contiguous(),
            "reference": reference}


def sampled_reference_error(torch, case, data, d):
    """Relative error of REFERENCE_SAMPLE x REFERENCE_SAMPLE sampled entries
    of our D against fp8_mlir_ref's scaled_matmul (float64, on the CPU) of
    the same FP8 data and scales."""
    import ml_dtypes

    import fp8_mlir_ref as ref

    generator = np.random.default_rng(2)
    rows = np.sort(generator.choice(case.m, min(REFERENCE_SAMPLE, case.m), replace=False))
    cols = np.sort(generator.choice(case.n, min(REFERENCE_SAMPLE, case.n), replace=False))
    a_scaling, b_scaling = case.a_scaling, case.b_scaling

    def operand(q, scale, scaling, picked):
        """The picked rows of an operand and their scales, as the CPU
        reference takes them: a block [r, c] becomes [1, c] per picked row."""
        index = torch.as_tensor(picked, device=q.device)
        bits = q.view(torch.uint8).index_select(0, index).cpu().numpy()
        data = bits.view(ml_dtypes.float8_e4m3fn)
        if scaling == "tensor":
            return data, scale.reshape(()).cpu().numpy(), ref.Scaling.tensor()
        if scaling == "rowwise":
            return (data, scale.reshape(-1, 1).index_select(0, index).cpu().numpy(),
                    ref.Scaling.rowwise())
        r, c = scaling
        picked_scales = scale.index_select(0, torch.div(index, r, rounding_mode="floor"))
        return data, picked_scales.cpu().numpy(), ref.Scaling.blocks(1, c)

    a, sa, a_kind = operand(data["a_q"], data["sa"], a_scaling, rows)
    b, sb, b_kind = operand(data["b_q"], data["sb"], b_scaling, cols)
    exact, _, _ = ref.scaled_matmul(a, sa, b, sb, a_kind, b_kind, transpose_b=True)
    picked = d.index_select(0, torch.as_tensor(rows, device=d.device)) \
        .index_select(1, torch.as_tensor(cols, device=d.device))
    ours = picked.float().cpu().numpy().astype(np.float64)
    return float(np.linalg.norm(ours - exact) / max(np.linalg.norm(exact), 1e-300))


def measure_torch_fp8(args, torch, case, data):
    if is_fp4(case.recipe):
        fn, api = torch_fp4_gemm(torch, case.recipe, data)
    else:
        fn, api = torch_fp8_gemm(torch, case.recipe, data["a_q"], data["sa"],
                                 data["b_q"], data["sb"])
    if fn is None:
        return {"status": "unsupported", "reason": api}
    data["theirs"] = fn()
    iters = iterations(lambda i: torch_time(torch, fn, i, 1), args.min_time)
    ms, how = timed(lambda graph: torch_time(torch, fn, iters, graph=graph))
    return {"status": "ok", "api": api, "ms": ms, "timing": how,
            "tflops": case.flops / ms / 1e9,
            "error_vs_fp32": relative_error(torch, data["theirs"],
                                            data["reference"])}


def measure_ours(args, torch, case, data):
    """Our kernel: one launch watched for hangs, the check, then timing."""
    if case.binary is None:
        status = "rejected" if case.entry["status"] == "rejected" else "invalid"
        return {"status": status, "reason": case.reason}
    result = {"kernel": case.spec["name"], "grid": case.spec["grid"],
              "dynamic_shared_memory": case.spec["dynamic_shared_memory"]}
    if torch is None and is_fp4(case.recipe):
        return {"status": "skipped",
                "reason": "the FP4 operands are made with torch, which is "
                          "not importable here"}
    kernel = gpu.load(case.binary, case.spec)
    if torch is not None:
        d = torch.empty(case.m, case.n, device="cuda", dtype=torch.bfloat16)
        arguments = {"a": data["a_q"], "a_scale": data["a_scale"],
                     "b": data["b_q"], "b_scale": data["b_scale"], "d": d}
        for name in ("a_global", "b_global"):
            if name in data:
                arguments[name] = data[name]
    else:
        arguments, host = random_device_operands(case)
    # The first launch is watched: a hung kernel must not hang the run.
    kernel.launch(timeout=args.hang_timeout, **arguments)
    if torch is not None:
        result["error_vs_fp32"] = relative_error(torch, d, data["reference"])
        result["checked_against"] = ["fp32 product of the dequantized operands (torch)"]
        if "theirs" in data:
            result["error_vs_torch"] = relative_error(torch, d, data["theirs"])
            result["checked_against"].append("torch FP8 GEMM")
        elif not is_fp4(case.recipe):
            # torch has no FP8 GEMM for the recipe here: the CPU reference
            result["error_vs_reference_sampled"] = sampled_reference_error(
                torch, case, data, d)
            result["checked_against"].append(
                f"fp8_mlir_ref on {REFERENCE_SAMPLE}x{REFERENCE_SAMPLE} sampled entries")
        worst = max(result["error_vs_fp32"], result.get("error_vs_torch", 0.0),
                    result.get("error_vs_reference_sampled", 0.0))
    else:
        worst = sampled_error(case, arguments["d"], *host)
        result["error_vs_fp64_sampled"] = worst
    result["check"] = "pass" if worst <= CHECK_TOLERANCE else "FAIL"
    iters = iterations(lambda i: gpu.time(kernel, iters=i, warmup=1,
                                          timeout=args.hang_timeout,
                                          **arguments),
                       args.min_time)
    ms, how = timed(lambda graph: gpu.time(kernel, iters=iters, warmup=3,
                                           graph=graph,
                                           timeout=args.hang_timeout,
                                           **arguments))
    result.update(status="ok", ms=ms, timing=how, tflops=case.flops / ms / 1e9)
    return result


def random_device_operands(case):
    """Without torch: random finite E4M3 bit patterns and unit scales, as
    device buffers; returns (arguments, (a, b) on the host)."""
    rng = np.random.default_rng(0)

    def fp8(rows, cols):
        bits = rng.integers(0, 256, size=(rows, cols), dtype=np.uint8)
        bits[(bits & 0x7F) == 0x7F] = 0  # no NaN
        return bits

    a, b = fp8(case.m, case.k), fp8(case.n, case.k)
    a_scaling, b_scaling = case.a_scaling, case.b_scaling
    params = {p["name"]: p for p in case.spec["params"]}
    # Unit scales in the kernel's scale type (E8M0 1.0 is 0x7f).
    sa = np.ones(max(1, math.prod(scale_shape(a_scaling, case.m, case.k))),
                 manifest_dtype(scale_dtype_name(params["a_scale"])))
    sb = np.ones(max(1, math.prod(scale_shape(b_scaling, case.n, case.k))),
                 manifest_dtype(scale_dtype_name(params["b_scale"])))
    arguments = {name: gpu.DeviceBuffer.from_array(value)
                 for name, value in dict(a=a, a_scale=sa, b=b, b_scale=sb).items()}
    arguments["d"] = gpu.DeviceBuffer(case.m * case.n * 2)
    return arguments, (a, b)


def sampled_error(case, d_buffer, a, b):
    """Relative error of 256 sampled entries of D against float64."""
    import ml_dtypes

    d = d_buffer.to_array(ml_dtypes.bfloat16).reshape(case.m, case.n)
    rng = np.random.default_rng(1)
    rows = rng.integers(0, case.m, 256)
    cols = rng.integers(0, case.n, 256)
    a64 = a.view(ml_dtypes.float8_e4m3fn)[rows].astype(np.float64)
    b64 = b.view(ml_dtypes.float8_e4m3fn)[cols].astype(np.float64)
    exact = np.einsum("ij,ij->i", a64, b64)
    got = d[rows, cols].astype(np.float64)
    return float(np.linalg.norm(got - exact) / max(np.linalg.norm(exact), 1e-300))


# --- reporting ------------------------------------------------------------------------


def _fmt(value, spec=".1f"):
    return "-" if value is None else format(value, spec)


def print_row(row):
    ours, theirs = row["ours"], row.get("torch_fp8", {})
    bf16 = row.get("bf16", {})
    ratio = (ours["tflops"] / theirs["tflops"]
             if ours.get("tflops") and theirs.get("tflops") else None)
    check = ours.get("check", ours.get("status"))
    recipe = row["recipe"]
    if row.get("variant", "default") != "default":
        recipe += "-" + row["variant"]
    print(f"| {row['shape']:>16} | {recipe:27} | "
          f"{_fmt(ours.get('tflops')):>7} | {_fmt(theirs.get('tflops')):>7} | "
          f"{_fmt(bf16.get('tflops')):>7} | {_fmt(ratio, '.2f'):>5} | "
          f"{_fmt(ours.get('error_vs_fp32'), '.2e'):>8} | {check} |", flush=True)


TABLE_HEADER = ("| shape (MxNxK)    | recipe (variant)            |    ours | cuBLASLt|    bf16 | ratio"
                " | err(ours)| check |\n|---:|---|---:|---:|---:|---:|---:|---|")


def plot(rows, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:
        print(f"no plot: matplotlib is not importable ({error})")
        return None
    shapes = list(dict.fromkeys(r["shape"] for r in rows))
    series = {}
    for row in rows:
        i = shapes.index(row["shape"])
        variant = row.get("variant", "default")
        if row["ours"].get("tflops"):
            label = f"fp8-mlir {row['recipe']}"
            if variant != "default":
                label += f" ({variant})"
            series.setdefault(label, {})[i] = row["ours"]["tflops"]
        if variant != "default":
            continue  # the baselines are those of the default row
        if row.get("torch_fp8", {}).get("tflops"):
            series.setdefault(f"cuBLASLt {row['recipe']}", {})[i] = row["torch_fp8"]["tflops"]
        if row.get("bf16"):
            series.setdefault("bf16 torch.matmul", {})[i] = row["bf16"]["tflops"]
    figure, axes = plt.subplots(figsize=(max(8, 2 * len(shapes)), 5))
    width = 0.8 / max(len(series), 1)
    for j, (label, values) in enumerate(series.items()):
        xs = [i + j * width for i in values]
        axes.bar(xs, list(values.values()), width, label=label)
    axes.set_xticks([i + 0.4 - width / 2 for i in range(len(shapes))])
    axes.set_xticklabels(shapes, rotation=15)
    axes.set_ylabel("TFLOP/s")
    axes.set_title("FP8 GEMM (E4M3, bf16 out) on " + rows[0].get("device", "GPU"))
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    return path


def environment(device, torch):
    info = {"device": device.name, "compute_capability": list(device.compute_capability),
            "multiprocessors": device.multiprocessors}
    cu = _driver.driver()
    try:
        info["driver"] = _driver.check(cu.cuDriverGetVersion(), "cuDriverGetVersion")
    except Exception:  # noqa: BLE001 - informative only
        pass
    try:
        from importlib.metadata import version
        info["cuda_bindings"] = version("cuda-bindings")
    except Exception:  # noqa: BLE001
        pass
    if torch is not None:
        info["torch"] = torch.__version__
        info["torch_cuda"] = torch.version.cuda
    try:
        smi = subprocess.run(
            ["nvidia-smi", "--query-gpu=clocks.sm,clocks.max.sm,temperature.gpu,power.draw",
             "--format=csv,noheader"], capture_output=True, text=True, timeout=10)
        info["nvidia_smi"] = smi.stdout.strip()
    except Exception:  # noqa: BLE001
        pass
    return info


def output_paths(out_dir, results=None):
    """(JSON, PNG): `results` and its .png, or a new <date>.json in
    `out_dir`."""
    if results:
        path = Path(results)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path, path.with_suffix(".png")
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    out_dir.mkdir(parents=True, exist_ok=True)
    stem, n = stamp, 2
    while (out_dir / f"{stem}.json").exists():
        stem, n = f"{stamp}-{n}", n + 1
    return out_dir / f"{stem}.json", out_dir / f"{stem}.png"


def row_key(row):
    return (row["shape"], row["recipe"], row.get("variant", "default"))


def case_key(case):
    return (f"{case.m}x{case.n}x{case.k}", case.recipe,
            case.entry.get("variant", "default"))


def case_row(case, **fields):
    """The result row of `case`: its shape, recipe and variant, `fields`."""
    shape, recipe, variant = case_key(case)
    return dict({"shape": shape, "m": case.m, "n": case.n, "k": case.k,
                 "recipe": recipe, "variant": variant}, **fields)


def write_results(path, results):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=2)
        f.write("\n")


def main(argv=None, out_dir=None, kernel_dir=None, recipe_table=None):
    """The command line of bench/gpu/run.py; `out_dir`, `kernel_dir` and
    `recipe_table` are the defaults of --out, --kernels and
    --recipe-table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=out_dir, required=out_dir is None,
                        help="folder for <date>.json and <date>.png")
    parser.add_argument("--kernels", default=kernel_dir,
                        required=kernel_dir is None,
                        help="the prepared kernel sets, one folder per chip")
    parser.add_argument("--recipe-table", default=recipe_table,
                        required=recipe_table is None,
                        help="the recipe table prepare.py wrote (JSON)")
    parser.add_argument("--chip", choices=CHIPS,
                        help="the kernel set to validate and run (default: the "
                        "GPU's chip; without a GPU every set is validated)")
    parser.add_argument("--shapes", default="", help="e.g. 4096x4096x4096,... (default: all)")
    parser.add_argument("--recipes", default="", help="e.g. tensorwise,rowwise (default: all)")
    parser.add_argument("--min-time", type=float, default=0.2,
                        help="seconds of launches per measurement")
    parser.add_argument("--results", default="",
                        help="the results JSON to write (default: a new "
                        "<date>.json in --out)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the --results file of a run a hang "
                        "ended: keep its rows, record the hung case, run the "
                        "rest")
    parser.add_argument("--hang-timeout", type=float, default=30.0,
                        help="seconds a first launch may take before it counts as a hang")
    args = parser.parse_args(argv)

    shapes = set(filter(None, args.shapes.split(",")))
    recipes = set(filter(None, args.recipes.split(",")))
    reason = gpu.unavailable_reason()
    device = gpu.default_device() if reason is None else None
    chip = args.chip or (device.chip if device is not None else None)
    # Without a GPU (or with one no set is for) every set is checked.
    sets = {}
    problems = []
    for each in [chip] if chip else CHIPS:
        index, cases, set_problems = load_cases(
            Path(args.kernels), args.recipe_table, shapes, recipes, each)
        sets[each] = (index, cases)
        problems += set_problems
        valid = sum(c.binary is not None for c in cases)
        rejected = sum(c.entry["status"] == "rejected" for c in cases)
        print(f"validated {len(cases)} prepared {each} cases ({valid} kernels, "
              f"{rejected} rejected by the compiler) from commit "
              f"{index.get('commit')}")
    if problems:
        print("run.py: prepared kernels that do not check out (not run):\n  " +
              "\n  ".join(problems))
    if reason is not None:
        print(f"no GPU: {reason}")
        return 1 if problems else 0
    if device.chip is None or device.chip != chip:
        print(f"no GPU to run {chip or ' or '.join(CHIPS)} kernels on: "
              f"{device}")
        return 1 if problems else 0
    index, cases = sets[chip]
    try:
        import torch
        if not torch.cuda.is_available():
            raise ImportError("torch sees no CUDA device")
        torch.cuda.init()
        device.make_current()
    except ImportError as error:
        print(f"torch unavailable ({error}): timing our kernels only")
        torch = None

    json_path, png_path = output_paths(Path(args.out), args.results)
    results = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
               "chip": chip, "commit": index.get("commit"),
               "environment": environment(device, torch),
               "check_tolerance": CHECK_TOLERANCE, "rows": []}
    if args.resume and json_path.exists():
        previous = json.loads(json_path.read_text())
        results["rows"] = previous.get("rows", [])
        results["hangs"] = previous.get("hangs", [])
        results["resumed"] = previous.get("resumed", 0) + 1
        done = {row_key(r) for r in results["rows"]}
        cases = [c for c in cases if case_key(c) not in done]
        # A variant (not a default kernel) that hung or crashed once is not
        # run again: each of its cases would cost a restart.
        failed = {r.get("variant") for r in results["rows"]
                  if r["ours"].get("status") in ("hang", "crash")} - {"default"}
        for case in [c for c in cases if case_key(c)[2] in failed]:
            results["rows"].append(case_row(
                case, ours={"status": "skipped", "reason": f"variant "
                            f"{case_key(case)[2]} hung or crashed"}))
        cases = [c for c in cases if case_key(c)[2] not in failed]
        print(f"resuming {json_path}: {len(done)} rows kept, "
              f"{len(cases)} cases left")
    print(TABLE_HEADER)
    bf16_cache = {}
    by_shape = {}
    for case in cases:
        by_shape.setdefault((case.m, case.n, case.k), []).append(case)
    status = 1 if problems else 0
    for shape_cases in by_shape.values():
        rows = []
        try:
            run_shape(args, torch, shape_cases, bf16_cache, rows)
        except CaseHang as hang:
            # The case gets a row saying so; --resume runs the others in a
            # fresh process (a hung kernel cannot be stopped in this one).
            results["rows"].extend(dict(r, device=device.name) for r in rows)
            case = hang.case
            results["rows"].append(case_row(
                case, device=device.name,
                ours={"status": hang.status, "reason": str(hang),
                      "kernel": case.spec["name"] if case.spec else None}))
            results.setdefault("hangs", []).append(case.name)
            results["aborted"] = f"{hang.status}: {hang}"
            print(f"aborting: {results['aborted']}", flush=True)
            write_results(json_path, results)
            # A hung kernel cannot be stopped, a faulted context not reused:
            # leave now (exit 3: device-run.sh resumes in a new process).
            os._exit(3)
        except Exception as error:  # noqa: BLE001 - recorded, then stop
            results["rows"].extend(dict(r, device=device.name) for r in rows)
            results["aborted"] = f"{type(error).__name__}: {error}"
            print(f"aborting: {results['aborted']}", flush=True)
            status = 1
            break
        for row in rows:
            row["device"] = device.name
        results["rows"].extend(rows)
        write_results(json_path, results)  # partial results survive a crash
        if any(r["ours"].get("check") == "FAIL" for r in rows):
            status = 1
    write_results(json_path, results)
    print(f"wrote {json_path}")
    if results["rows"] and plot(results["rows"], png_path):
        print(f"wrote {png_path}")
    return status


if __name__ == "__main__":
    sys.exit(main())
