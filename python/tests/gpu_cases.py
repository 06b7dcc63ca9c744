"""The kernels the GPU tests run, with their inputs and CPU references.

Each case is one fp8 op as IR, so --fp8-gpu-pipeline makes exactly one
kernel of it. The tests (test_gpu_kernels.py) get that kernel from the
compiler when fp8_mlir's extension is importable, else from the copy
compiled ahead of time into python/tests/gpu_kernels/<case>/ (a GPU machine
gets only the source tree and that folder, generated, not committed, by
bench/gpu/prepare-device.sh, which runs

    PYTHONPATH=build/python_packages build/venv/bin/python python/tests/gpu_cases.py

). Without either, the GPU tests skip saying so. A case the compiler
rejects gets a `rejected.txt` with the diagnostic instead, and its test
skips with it.

Inputs come from numpy generators seeded per case; the references are the
numpy + ml_dtypes implementation in python/fp8_mlir_ref, which the CPU tests
hold bit-exact with `fp8_mlir.run` (the --fp8-cpu-pipeline semantics).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import ml_dtypes
import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # fp8_mlir_ref

import fp8_mlir_ref as ref  # noqa: E402

Scaling = ref.Scaling

#: Where the kernels compiled ahead of time live.
KERNEL_DIR = HERE / "gpu_kernels"
CHIP = "sm_90a"


@dataclass
class Case:
    """One kernel: its IR, inputs by parameter name, expected outputs."""

    name: str
    op: str                                   # "quantize", "amax", ...
    ir: str
    make_inputs: Callable[[np.random.Generator], dict]
    reference: Callable[[dict], dict]         # output name -> expected
    seed: int = 0
    gemm: dict = field(default_factory=dict)  # GEMM facts for tolerances
    may_be_rejected: bool = False             # the compiler may not take it
    options: dict = field(default_factory=dict)  # pipeline options, e.g.
    #                                              {"gemm_cluster": "1x2"}
    chip: str = CHIP                          # the target it is compiled for

    def inputs(self):
        return self.make_inputs(np.random.default_rng(self.seed))


# --- IR helpers -----------------------------------------------------------------


def ttype(shape, element):
    if len(shape) == 0:
        return f"tensor<{element}>"
    return f"tensor<{'x'.join(str(d) for d in shape)}x{element}>"


def single_op_ir(args, result_types, op_line):
    """func.func @kernel(args) -> results { %r... = <op_line>; return }."""
    params = ", ".join(f"%{name}: {type_}" for name, type_ in args)
    values = ", ".join(f"%r{i}" for i in range(len(result_types)))
    types = ", ".join(result_types)
    return (f"func.func @kernel({params}) -> ({types}) {{\n"
            f"  {values} = {op_line}\n"
            f"  return {values} : {types}\n}}\n")


# --- data -------------------------------------------------------------------------


def spread_normal(rng, shape, spread=8):
    """Normal data whose magnitude varies by rows (2^-spread .. 2^spread)."""
    x = rng.standard_normal(shape).astype(np.float32)
    x *= np.exp2(rng.integers(-spread, spread + 1, size=shape[:-1] + (1,)))
    return x.astype(np.float32)


def with_specials(x):
    """NaN, +-inf, huge values, zeros and values that land in the FP8
    subnormals or round on a tie, at fixed places."""
    x = np.array(x, dtype=np.float32)
    flat = x.reshape(-1)
    specials = [np.nan, np.inf, -np.inf, 3.0e38, -3.0e38, 0.0, -0.0,
                1e-30, -1e-30, 2.0**-9, 2.0**-10 * 3, 464.0, 480.0, -448.0]
    flat[7:7 + len(specials)] = specials
    return x


def random_fp8(rng, shape, dtype):
    """Every finite bit pattern of `dtype` with equal probability."""
    bits = rng.integers(0, 256, size=shape, dtype=np.uint8)
    values = bits.view(dtype)
    finite = np.isfinite(values.astype(np.float32))
    bits[~finite] = 0
    return bits.view(dtype)


def positive_scales(rng, shape, dtype=np.float32):
    """Log-uniform decode scales in [2^-8, 2^8], not powers of two."""
    scales = np.exp2(rng.uniform(-8, 8, size=shape)).astype(np.float32)
    return scales.astype(dtype)


def quantized(rng, shape, fmt, scaling, scale_type="f32"):
    """FP8 data and scales as a recipe makes them (amax -> scale -> cast)."""
    x = spread_normal(rng, shape, spread=3)
    scale = ref.scale_from_amax(ref.amax(x, scaling), fmt,
                                scale_type=scale_type)
    return ref.quantize(x, scale, scaling, fmt), scale


# --- cases ------------------------------------------------------------------------


def quantize_case(name, shape, in_dtype, fmt, scaling, scale_type="f32",
                  saturate=True, seed=1):
    in_name = {np.float32: "f32", ml_dtypes.bfloat16: "bf16",
               np.float16: "f16"}[in_dtype]
    s_shape = scaling.scale_shape(shape)
    attrs = f"scaling = {scaling.mlir()}" + ("" if saturate else ", saturate = false")
    ir = single_op_ir(
        [("x", ttype(shape, in_name)), ("s", ttype(s_shape, scale_type))],
        [ttype(shape, fmt)],
        f"fp8.quantize %x, %s {{{attrs}}} : {ttype(shape, in_name)}, "
        f"{ttype(s_shape, scale_type)} -> {ttype(shape, fmt)}")

    def make_inputs(rng):
        x = with_specials(spread_normal(rng, shape)).astype(in_dtype)
        if scale_type == "f8E8M0FNU":
            scale = ref.scale_from_amax(ref.amax(x, scaling), fmt,
                                        scale_type=scale_type)
        else:
            scale = positive_scales(rng, s_shape)
        return {"input": x, "scale": scale}

    def reference(inputs):
        return {"output": ref.quantize(inputs["input"], inputs["scale"],
                                       scaling, fmt, saturate)}

    return Case(name, "quantize", ir, make_inputs, reference, seed)


def dequantize_case(name, shape, fmt, out, scaling, seed=2):
    s_shape = scaling.scale_shape(shape)
    ir = single_op_ir(
        [("q", ttype(shape, fmt)), ("s", ttype(s_shape, "f32"))],
        [ttype(shape, out)],
        f"fp8.dequantize %q, %s {{scaling = {scaling.mlir()}}} : "
        f"{ttype(shape, fmt)}, {ttype(s_shape, 'f32')} -> {ttype(shape, out)}")

    def make_inputs(rng):
        return {"input": random_fp8(rng, shape, ref.dtype_of(fmt)),
                "scale": positive_scales(rng, s_shape)}

    def reference(inputs):
        return {"output": ref.dequantize(inputs["input"], inputs["scale"],
                                         scaling, out)}

    return Case(name, "dequantize", ir, make_inputs, reference, seed)


def amax_case(name, shape, in_dtype, scaling, specials=False, seed=3):
    in_name = {np.float32: "f32", ml_dtypes.bfloat16: "bf16",
               np.float16: "f16"}[in_dtype]
    a_shape = scaling.scale_shape(shape)
    ir = single_op_ir(
        [("x", ttype(shape, in_name))], [ttype(a_shape, "f32")],
        f"fp8.amax %x {{scaling = {scaling.mlir()}}} : {ttype(shape, in_name)}"
        f" -> {ttype(a_shape, 'f32')}")

    def make_inputs(rng):
        x = spread_normal(rng, shape)
        if specials:
            x = with_specials(x)
        return {"input": x.astype(in_dtype)}

    def reference(inputs):
        return {"amax": ref.amax(inputs["input"], scaling)}

    return Case(name, "amax", ir, make_inputs, reference, seed)


def gemm_case(name, m, n, k, a_fmt="f8E4M3FN", b_fmt="f8E4M3FN", out="bf16",
              a_scaling=Scaling.tensor(), b_scaling=Scaling.tensor(),
              bias=None, out_scale=False, amax=False, seed=4,
              may_be_rejected=False, options=None, batch=(),
              scale_type="f32"):
    batch = tuple(batch)
    a_shape, b_shape = batch + (m, k), batch + (n, k)
    a_s, b_s = a_scaling.scale_shape(a_shape), b_scaling.scale_shape(b_shape)
    args = [("a", ttype(a_shape, a_fmt)), ("sa", ttype(a_s, scale_type)),
            ("b", ttype(b_shape, b_fmt)), ("sb", ttype(b_s, scale_type))]
    extras = ""
    if bias:
        args.append(("bias", ttype((n,), bias)))
        extras += f" bias(%bias : {ttype((n,), bias)})"
    if out_scale:
        args.append(("os", "tensor<f32>"))
        extras += " out_scale(%os : tensor<f32>)"
    results = [ttype(batch + (m, n), out)] + (["tensor<f32>"] if amax else [])
    operand_types = ", ".join(type_ for _, type_ in args[:4])
    ir = single_op_ir(
        args, results,
        f"fp8.scaled_matmul %a, %sa, %b, %sb{extras} "
        f"{{a_scaling = {a_scaling.mlir()}, b_scaling = {b_scaling.mlir()}, "
        f"transpose_b}} : {operand_types} -> {', '.join(results)}")

    def make_inputs(rng):
        a, sa = quantized(rng, a_shape, a_fmt, a_scaling, scale_type)
        b, sb = quantized(rng, b_shape, b_fmt, b_scaling, scale_type)
        inputs = {"a": a, "a_scale": sa, "b": b, "b_scale": sb}
        if bias:
            inputs["bias"] = rng.standard_normal(n).astype(ref.dtype_of(bias))
        if out_scale:
            inputs["out_scale"] = np.float32(0.75)
        return inputs

    def reference(inputs):
        d, result, d_amax = ref.scaled_matmul(
            inputs["a"], inputs["a_scale"], inputs["b"], inputs["b_scale"],
            a_scaling, b_scaling, transpose_b=True, bias=inputs.get("bias"),
            out_scale=inputs.get("out_scale"), out=out)
        expected = {"d": result, "exact": d}
        if amax:
            expected["amax"] = d_amax
        return expected

    facts = {"m": m, "n": n, "k": k, "batch": batch, "out": out, "a_fmt": a_fmt,
             "b_fmt": b_fmt, "a_scaling": a_scaling, "b_scaling": b_scaling,
             "bias": bias, "out_scale": out_scale, "amax": amax}
    return Case(name, "gemm", ir, make_inputs, reference, seed, facts,
                may_be_rejected, dict(options or {}))


T, R, B = Scaling.tensor(), Scaling.rowwise(), Scaling.blocks
F32, BF16, F16 = np.float32, ml_dtypes.bfloat16, np.float16
#: Every GEMM schedule option away from its default, with a raster group
#: (3) that divides none of the row-tile counts below.
SCHEDULE = {"gemm_wait_hint": "spin", "gemm_raster": "grouped",
            "gemm_raster_group": 3, "gemm_l2_promotion": 256,
            "gemm_epilogue_prefetch": "on"}

CASES = [
    quantize_case("quantize_f32_e4m3_tensor", (256, 512), F32, "f8E4M3FN", T),
    quantize_case("quantize_bf16_e5m2_rowwise_nosat", (128, 768), BF16,
                  "f8E5M2", R, saturate=False),
    quantize_case("quantize_f16_e4m3_mx", (64, 512), F16, "f8E4M3FN",
                  B(1, 32), scale_type="f8E8M0FNU"),
    quantize_case("quantize_f32_e4m3_block128x128_ragged", (200, 320), F32,
                  "f8E4M3FN", B(128, 128)),
    dequantize_case("dequantize_e4m3_bf16_block1x128", (256, 1024),
                    "f8E4M3FN", "bf16", B(1, 128)),
    dequantize_case("dequantize_e5m2_f32_tensor", (128, 256), "f8E5M2",
                    "f32", T),
    dequantize_case("dequantize_e4m3_f16_rowwise", (96, 640), "f8E4M3FN",
                    "f16", R),
    amax_case("amax_f32_tensor", (1024, 1024), F32, T),
    amax_case("amax_f32_tensor_specials", (128, 256), F32, T, specials=True),
    amax_case("amax_bf16_block1x128", (512, 1024), BF16, B(1, 128)),
    amax_case("amax_f16_rowwise", (300, 200), F16, R, specials=True),
    amax_case("amax_f32_block128x128_ragged", (200, 300), F32, B(128, 128)),
    gemm_case("gemm_e4m3_bf16_tensor_256x384x512", 256, 384, 512),
    gemm_case("gemm_e5m2_e4m3_f32_tensor_256x384x512", 256, 384, 512,
              a_fmt="f8E5M2", out="f32"),
    gemm_case("gemm_e4m3_bf16_tensor_2048x2048x2048", 2048, 2048, 2048),
    gemm_case("gemm_e4m3_bf16_rowwise_512x768x1024", 512, 768, 1024,
              a_scaling=R, b_scaling=R),
    gemm_case("gemm_rowwise_bias_e4m3out_amax_1000x2050x1040", 1000, 2050,
              1040, b_fmt="f8E5M2", out="f8E4M3FN", a_scaling=R, b_scaling=R,
              bias="bf16", out_scale=True, amax=True),
    gemm_case("gemm_e4m3_bf16_blockwise_1024x1024x1024", 1024, 1024, 1024,
              a_scaling=B(1, 128), b_scaling=B(128, 128),
              may_be_rejected=True),
    # Thread block clusters sharing a tile through TMA multicast (the
    # 2048^3 and 1000x2050x1040 cases above get 2x1 from the heuristic):
    # 1x2 sharing A with ragged M and N, 2x1 with block scales, and the
    # same problem without a cluster.
    gemm_case("gemm_e4m3_bf16_tensor_cluster1x2_ragged_392x700x640", 392,
              700, 640, options={"gemm_warp_specialize": "on",
                                 "gemm_cluster": "1x2"}),
    gemm_case("gemm_e4m3_bf16_blockwise_cluster2x1_512x384x1024", 512, 384,
              1024, a_scaling=B(1, 128), b_scaling=B(128, 128),
              options={"gemm_warp_specialize": "on", "gemm_cluster": "2x1"}),
    gemm_case("gemm_e4m3_bf16_tensor_nocluster_512x384x1024", 512, 384,
              1024, options={"gemm_warp_specialize": "on",
                             "gemm_cluster": "1x1"}),
    # Batch dims, one GEMM per blockIdx.z: ragged M and N (a tile reads the
    # next GEMM's rows into masked rows of D), and block scales with two
    # batch dims in a clustered warp-specialized kernel.
    gemm_case("gemm_e4m3_bf16_rowwise_batched_3x200x136x256", 200, 136, 256,
              a_scaling=R, b_scaling=R, batch=(3,)),
    gemm_case("gemm_e4m3_bf16_blockwise_batched_2x2x256x256x512", 256, 256,
              512, a_scaling=B(1, 128), b_scaling=B(128, 128), batch=(2, 2),
              options={"gemm_warp_specialize": "on"}),
    # Persistent CTAs (gemm-persistent=on): clusters looping over several
    # cluster tiles (2048^3: 128 cluster tiles for 66 clusters), amax and
    # ragged tiles across the loop, batched block scales.
    gemm_case("gemm_e4m3_bf16_tensor_persistent_2048x2048x2048", 2048, 2048,
              2048, options={"gemm_persistent": "on"}),
    gemm_case("gemm_rowwise_bias_e4m3out_amax_persistent_1000x2050x1040",
              1000, 2050, 1040, b_fmt="f8E5M2", out="f8E4M3FN", a_scaling=R,
              b_scaling=R, bias="bf16", out_scale=True, amax=True,
              options={"gemm_persistent": "on"}),
    gemm_case("gemm_e4m3_bf16_blockwise_persistent_batched_8x1024x512x256",
              1024, 512, 256, a_scaling=B(1, 128), b_scaling=B(128, 128),
              batch=(8,), options={"gemm_warp_specialize": "on",
                                   "gemm_persistent": "on"}),
    # The split accumulator (E5M2 gradients get it by default) on a long K.
    gemm_case("gemm_e5m2_e4m3_f32_tensor_splitacc_256x256x4096", 256, 256,
              4096, a_fmt="f8E5M2", out="f32"),
    # The schedule options (off by default until measured): waits without
    # the suspend hint, the grouped tile order with a short last strip
    # (row tiles, or 2x1 cluster tiles, not a multiple of the group), 256-
    # byte L2 promotion of the TMA loads, epilogue scales loaded early; in
    # the clustered, one-cluster-free, one-warpgroup and persistent kernels.
    gemm_case("gemm_e4m3_bf16_tensor_spin_grouped3_l2p256_1000x768x512",
              1000, 768, 512, options={**SCHEDULE, "gemm_warp_specialize": "on"}),
    gemm_case("gemm_e4m3_bf16_blockwise_grouped3_nocluster_1280x384x1024",
              1280, 384, 1024, a_scaling=B(1, 128), b_scaling=B(128, 128),
              options={**SCHEDULE, "gemm_warp_specialize": "on",
                       "gemm_cluster": "1x1"}),
    gemm_case("gemm_e4m3_bf16_rowwise_onewarpgroup_grouped3_1280x256x512",
              1280, 256, 512, a_scaling=R, b_scaling=R,
              options={**SCHEDULE, "gemm_warp_specialize": "off"}),
    gemm_case("gemm_rowwise_bias_e4m3out_amax_persistent_sched_1000x2050x1040",
              1000, 2050, 1040, b_fmt="f8E5M2", out="f8E4M3FN", a_scaling=R,
              b_scaling=R, bias="bf16", out_scale=True, amax=True,
              options={**SCHEDULE, "gemm_persistent": "on"}),
    gemm_case("gemm_e4m3_bf16_tensor_persistent_sched_2048x2048x2048", 2048,
              2048, 2048, options={**SCHEDULE, "gemm_persistent": "on"}),
] + [
    # The persistent schedules (cooperative and direct by default until
    # measured): ping-pong consumers alternating whole tiles, the TMA-store
    # epilogue, both. 2100 x 2104 in 128-wide tiles: 17 x 17 = 289 tiles
    # (odd, not a multiple of the 132 CTAs: CTAs with 3 tiles and with 2,
    # ping-pong consumers with 2 and 1), ragged M and N (the TMA store clips
    # the tails); 128x256 tiles (cooperative default): 17 x 9 = 153.
    gemm_case("gemm_e4m3_bf16_tensor_pingpong_2100x2104x256", 2100, 2104,
              256, options={"gemm_persistent": "on",
                            "gemm_schedule": "pingpong"}),
    gemm_case("gemm_e4m3_bf16_tensor_tmastore_2100x2104x256", 2100, 2104,
              256, options={"gemm_persistent": "on",
                            "gemm_epilogue": "tma-store"}),
    gemm_case("gemm_rowwise_bias_f32_amax_pingpong_tmastore_2100x2104x384",
              2100, 2104, 384, out="f32", a_scaling=R, b_scaling=R,
              bias="bf16", amax=True,
              options={"gemm_persistent": "on", "gemm_schedule": "pingpong",
                       "gemm_epilogue": "tma-store",
                       "gemm_wait_hint": "spin", "gemm_raster": "grouped",
                       "gemm_raster_group": 3}),
    # Ping-pong with only the main loops in turn (gemm-pingpong-order=mma;
    # the default orders the epilogues too).
    gemm_case("gemm_e4m3_bf16_tensor_pingpong_mmaorder_2100x2104x256", 2100,
              2104, 256, options={"gemm_persistent": "on",
                                  "gemm_schedule": "pingpong",
                                  "gemm_pingpong_order": "mma"}),
    # gemm-epilogue=direct-wide: pairs exchanged within each fragment row,
    # then 16-byte (bf16/f16) or 8-byte (FP8) stores. Ragged M and N
    # (2104 and 2064: whole 8-element pieces), the column tail of 2052
    # (4-element pieces, one butterfly round), f16 / FP8 D with row and
    # column scales, bias, out_scale and amax, f32 D (stays pairs), block
    # scales in batched ping-pong tiles.
    gemm_case("gemm_e4m3_bf16_tensor_wide_2100x2104x256", 2100, 2104, 256,
              options={"gemm_persistent": "on",
                       "gemm_epilogue": "direct-wide"}),
    gemm_case("gemm_e4m3_bf16_tensor_pingpong_wide_1000x2052x256", 1000,
              2052, 256, options={"gemm_persistent": "on",
                                  "gemm_schedule": "pingpong",
                                  "gemm_epilogue": "direct-wide"}),
    # (With amax too, the 128-row ping-pong consumer spills 16 bytes: see
    # the ptxas table of docs/gpu-pipeline.md; the 64-row one does not.)
    gemm_case("gemm_rowwise_bias_f16_pingpong_wide_2100x2104x384", 2100,
              2104, 384, out="f16", a_scaling=R, b_scaling=R, bias="bf16",
              options={"gemm_persistent": "on", "gemm_schedule": "pingpong",
                       "gemm_epilogue": "direct-wide"}),
    gemm_case("gemm_rowwise_f32bias_f16_amax_wide_1000x2104x384", 1000, 2104,
              384, out="f16", a_scaling=R, b_scaling=R, bias="f32",
              amax=True, options={"gemm_persistent": "on",
                                  "gemm_epilogue": "direct-wide",
                                  "gemm_tile": "128x128"}),
    gemm_case("gemm_rowwise_bias_f32_amax_wide_1000x2104x384", 1000, 2104,
              384, out="f32", a_scaling=R, b_scaling=R, bias="f32",
              amax=True, options={"gemm_persistent": "on",
                                  "gemm_epilogue": "direct-wide"}),
    gemm_case("gemm_rowwise_bias_e4m3out_amax_wide_1000x2064x1040", 1000,
              2064, 1040, b_fmt="f8E5M2", out="f8E4M3FN", a_scaling=R,
              b_scaling=R, bias="bf16", out_scale=True, amax=True,
              options={"gemm_persistent": "on",
                       "gemm_epilogue": "direct-wide"}),
    gemm_case("gemm_e4m3_bf16_blockwise_pingpong_wide_batched_3x1000x520x512",
              1000, 520, 512, a_scaling=B(1, 128), b_scaling=B(128, 128),
              batch=(3,), options={"gemm_warp_specialize": "on",
                                   "gemm_persistent": "on",
                                   "gemm_schedule": "pingpong",
                                   "gemm_epilogue": "direct-wide"}),
    # FP8 D through 128-column boxes, with out_scale and amax.
    gemm_case("gemm_rowwise_bias_e4m3out_amax_tmastore_1000x2064x1040",
              1000, 2064, 1040, b_fmt="f8E5M2", out="f8E4M3FN", a_scaling=R,
              b_scaling=R, bias="bf16", out_scale=True, amax=True,
              options={"gemm_persistent": "on",
                       "gemm_epilogue": "tma-store"}),
    # Block scales in ping-pong's 64x128 tiles, batched with a ragged M
    # (the TMA store stays off: the batch's rows share one tensor map).
    gemm_case("gemm_e4m3_bf16_blockwise_pingpong_tmastore_batched_3x1000x512x512",
              1000, 512, 512, a_scaling=B(1, 128), b_scaling=B(128, 128),
              batch=(3,), options={"gemm_warp_specialize": "on",
                                   "gemm_persistent": "on",
                                   "gemm_schedule": "pingpong",
                                   "gemm_epilogue": "tma-store"}),
    # Block scales along K with gemm-promotion=overlapped and the wide tiles
    # (off by default until measured). K = 1392 ends in a tail group (of
    # 128 for [1, 128], 32 for MX) and leaves K steps after the overlapped
    # loop's iterations of 4 groups; N = 400 is a multiple of none of the
    # tiles, so the last column tile is ragged and a 192- or 144-wide tile
    # straddles two 128-row groups of B's [128, 128] scales.
    gemm_case("gemm_e4m3_bf16_blockwise_overlapped_256x384x1392", 256, 384,
              1392, a_scaling=B(1, 128), b_scaling=B(128, 128),
              options={"gemm_warp_specialize": "on",
                       "gemm_promotion": "overlapped"}),
    gemm_case("gemm_e4m3_bf16_blockwise_overlapped_onewarpgroup_192x256x1392",
              192, 256, 1392, a_scaling=B(1, 128), b_scaling=B(128, 128),
              options={"gemm_warp_specialize": "off",
                       "gemm_promotion": "overlapped"}),
    # MX overlapped in one warpgroup with E8M0 scales (the mxfp8 recipe's):
    # the warp-specialized MX kernel spills with its third register set.
    gemm_case("gemm_e4m3_f32_mx_e8m0_overlapped_onewarpgroup_256x384x1392",
              256, 384, 1392, out="f32", a_scaling=B(1, 32),
              b_scaling=B(1, 32), scale_type="f8E8M0FNU",
              options={"gemm_warp_specialize": "off",
                       "gemm_promotion": "overlapped"}),
    gemm_case("gemm_e4m3_bf16_blockwise_overlapped_persistent_640x384x1392",
              640, 384, 1392, a_scaling=B(1, 128), b_scaling=B(128, 128),
              options={"gemm_warp_specialize": "on", "gemm_persistent": "on",
                       "gemm_promotion": "overlapped"}),
    gemm_case("gemm_e4m3_e5m2_splitacc_overlapped_256x384x1392", 256, 384,
              1392, b_fmt="f8E5M2", a_scaling=R, b_scaling=R,
              options={"gemm_warp_specialize": "on",
                       "gemm_promotion": "overlapped"}),
    gemm_case("gemm_e4m3_bf16_blockwise_tile128x192_256x400x1392", 256, 400,
              1392, a_scaling=B(1, 128), b_scaling=B(128, 128),
              options={"gemm_warp_specialize": "on", "gemm_tile": "128x192"}),
    gemm_case("gemm_e4m3_bf16_blockwise_tile128x160_256x400x1392", 256, 400,
              1392, a_scaling=B(1, 128), b_scaling=B(128, 128),
              options={"gemm_warp_specialize": "on", "gemm_tile": "128x160"}),
    # MX at 128x144 with bf16 D, the bench's 8192^3 kernel's (f32 D spills
    # 28 bytes in ptxas, docs/gpu-pipeline.md).
    gemm_case("gemm_e4m3_bf16_mx_e8m0_tile128x144_256x432x1392", 256, 432,
              1392, a_scaling=B(1, 32), b_scaling=B(1, 32),
              scale_type="f8E8M0FNU",
              options={"gemm_warp_specialize": "on", "gemm_tile": "128x144"}),
    # A's scales by TMA into each stage (gemm-scale-load=tma, warp-
    # specialized, K a multiple of 512): M = 1000 leaves a ragged last row
    # tile (its box rows past M are TMA zero fill), N = 400 a ragged column
    # tile; with overlapped promotion and persistent CTAs, with a wide tile
    # that straddles B's 128-row groups, batched (box rows past one GEMM's
    # M are the next GEMM's scales), and MX with E8M0 scales (the step's
    # four groups are the first 4 bytes of a 16-byte box row; B's per-column
    # scales come by TMA too, a tileN x 16-byte box: N = 400 leaves its last
    # box's rows past N zero fill, and batched MX box rows past one GEMM's N
    # are the next GEMM's scales).
    gemm_case("gemm_e4m3_bf16_blockwise_tmascales_1000x400x1536", 1000, 400,
              1536, a_scaling=B(1, 128), b_scaling=B(128, 128),
              options={"gemm_warp_specialize": "on",
                       "gemm_scale_load": "tma"}),
    gemm_case("gemm_e4m3_bf16_blockwise_tmascales_overlapped_persistent_"
              "640x384x2048", 640, 384, 2048, a_scaling=B(1, 128),
              b_scaling=B(128, 128),
              options={"gemm_warp_specialize": "on", "gemm_persistent": "on",
                       "gemm_promotion": "overlapped",
                       "gemm_scale_load": "tma"}),
    gemm_case("gemm_e4m3_bf16_blockwise_tmascales_tile128x192_256x400x1024",
              256, 400, 1024, a_scaling=B(1, 128), b_scaling=B(128, 128),
              options={"gemm_warp_specialize": "on", "gemm_tile": "128x192",
                       "gemm_scale_load": "tma"}),
    gemm_case("gemm_e4m3_bf16_blockwise_tmascales_batched_3x200x256x512", 200,
              256, 512, a_scaling=B(1, 128), b_scaling=B(128, 128),
              batch=(3,), options={"gemm_warp_specialize": "on",
                                   "gemm_scale_load": "tma"}),
    gemm_case("gemm_e4m3_bf16_mx_e8m0_tmascales_1000x400x1024", 1000, 400,
              1024, a_scaling=B(1, 32), b_scaling=B(1, 32),
              scale_type="f8E8M0FNU",
              options={"gemm_warp_specialize": "on",
                       "gemm_scale_load": "tma"}),
    gemm_case("gemm_e4m3_bf16_mx_e8m0_tmascales_batched_2x200x272x512", 200,
              272, 512, a_scaling=B(1, 32), b_scaling=B(1, 32),
              scale_type="f8E8M0FNU", batch=(2,),
              options={"gemm_warp_specialize": "on",
                       "gemm_scale_load": "tma"}),
]

CASES_BY_NAME = {case.name: case for case in CASES}


# --- fused amax -> scale_from_amax -> quantize ------------------------------------
# One kernel for the whole chain (FusedQuantizeKernels.cpp): the IR is the
# three ops, and the kernel writes "output" (the FP8 data) and "scale" (the
# scales, bit-exact with the CPU rule). Listed after CASES_BY_NAME and
# added to both, so the cases above keep their order.


def fused_quantize_case(name, shape, in_dtype, fmt, scaling, margin=0,
                        pow2=False, saturate=True, scale_type="f32",
                        seed=5):
    in_name = {np.float32: "f32", ml_dtypes.bfloat16: "bf16",
               np.float16: "f16"}[in_dtype]
    s_shape = scaling.scale_shape(shape)
    x_t, q_t = ttype(shape, in_name), ttype(shape, fmt)
    a_t, s_t = ttype(s_shape, "f32"), ttype(s_shape, scale_type)
    rule = (f"format = {fmt}" + (f", margin = {margin} : i64" if margin else "")
            + (", pow2" if pow2 else ""))
    attrs = f"scaling = {scaling.mlir()}" + ("" if saturate else ", saturate = false")
    ir = (f"func.func @kernel(%x: {x_t}) -> ({q_t}, {s_t}) {{\n"
          f"  %a = fp8.amax %x {{scaling = {scaling.mlir()}}} : {x_t} -> {a_t}\n"
          f"  %s = fp8.scale_from_amax %a {{{rule}}} : {a_t} -> {s_t}\n"
          f"  %q = fp8.quantize %x, %s {{{attrs}}} : {x_t}, {s_t} -> {q_t}\n"
          f"  return %q, %s : {q_t}, {s_t}\n}}\n")

    def make_inputs(rng):
        # Specials land in the first group only: NaN there gives scale 1.
        return {"input": with_specials(spread_normal(rng, shape)).astype(in_dtype)}

    def reference(inputs):
        x = inputs["input"]
        scale = ref.scale_from_amax(ref.amax(x, scaling), fmt, margin=margin,
                                    pow2=pow2, scale_type=scale_type)
        return {"output": ref.quantize(x, scale, scaling, fmt, saturate),
                "scale": scale}

    return Case(name, "quantize", ir, make_inputs, reference, seed)


FUSED_QUANTIZE_CASES = [
    # A warp per group (the kernel that existed first).
    fused_quantize_case("fused_quantize_bf16_e4m3_block1x128", (256, 512),
                        BF16, "f8E4M3FN", B(1, 128)),
    fused_quantize_case("fused_quantize_f32_e4m3_mx", (128, 256), F32,
                        "f8E4M3FN", B(1, 32), scale_type="f8E8M0FNU"),
    # A CTA per group (FusedBlockQuantizeKernels.cpp).
    fused_quantize_case("fused_quantize_f32_e4m3_rowwise_4096", (64, 4096),
                        F32, "f8E4M3FN", R),
    fused_quantize_case("fused_quantize_bf16_e5m2_rowwise_8192_pow2_nosat",
                        (32, 8192), BF16, "f8E5M2", R, margin=1, pow2=True,
                        saturate=False),
    fused_quantize_case("fused_quantize_f32_e4m3_rowwise_768", (96, 768), F32,
                        "f8E4M3FN", R),
    fused_quantize_case("fused_quantize_f16_e4m3_block1x2048", (64, 4096),
                        F16, "f8E4M3FN", B(1, 2048)),
    fused_quantize_case("fused_quantize_bf16_e4m3_block128x128", (512, 768),
                        BF16, "f8E4M3FN", B(128, 128)),
    fused_quantize_case("fused_quantize_f32_e4m3_block128x128_ragged",
                        (200, 300), F32, "f8E4M3FN", B(128, 128)),
    fused_quantize_case("fused_quantize_f32_e5m2_block128x128_batched_ragged",
                        (2, 200, 320), F32, "f8E5M2", B(128, 128)),
]
CASES += FUSED_QUANTIZE_CASES
CASES_BY_NAME.update((case.name, case) for case in FUSED_QUANTIZE_CASES)


# --- dynamic rows -------------------------------------------------------------------
#
# The kernels of quantize, dequantize and amax on tensors with a dynamic
# token dim (`tensor<?x256xf32>`): ONE kernel per op, launched at M = 1, 7,
# 129 and 300 rows (the launcher takes the rows from the input's size, the
# grid and the output sizes from the manifest's formulas). Each launch is
# held bit-exact against the reference of the static shape [M, K], as the
# static cases are. The GEMMs take a runtime M (DYNAMIC_GEMM_CASES below);
# N and K stay static (docs/gpu-pipeline.md, "Dynamic shapes").

DYNAMIC_ROWS = (1, 7, 129, 300)


def dynamic_rows_case(case, rows):
    """`case` (built for `rows` rows) with its IR's row dim dynamic: the
    kernel is the one every row count shares."""
    import dataclasses
    import re

    ir = re.sub(rf"tensor<{rows}x", "tensor<?x", case.ir)
    assert "?" in ir, case.name
    return dataclasses.replace(case, name=f"dynamic_{case.name}_m{rows}",
                               ir=ir)


DYNAMIC_ROWS_CASES = [
    dynamic_rows_case(make(m), m)
    for m in DYNAMIC_ROWS
    for make in (
        lambda m: quantize_case("quantize_f32_e4m3_tensor", (m, 256), F32,
                                "f8E4M3FN", T),
        lambda m: quantize_case("quantize_bf16_e4m3_rowwise", (m, 256), BF16,
                                "f8E4M3FN", R),
        lambda m: quantize_case("quantize_f32_e4m3_block1x128", (m, 256), F32,
                                "f8E4M3FN", B(1, 128)),
        lambda m: quantize_case("quantize_f32_e4m3_mx", (m, 256), F32,
                                "f8E4M3FN", B(1, 32), scale_type="f8E8M0FNU"),
        lambda m: dequantize_case("dequantize_e4m3_bf16_rowwise", (m, 256),
                                  "f8E4M3FN", "bf16", R),
        lambda m: amax_case("amax_f32_tensor", (m, 256), F32, T,
                            specials=m > 1),
        lambda m: amax_case("amax_bf16_rowwise", (m, 256), BF16, R),
        lambda m: amax_case("amax_f32_block1x128", (m, 256), F32, B(1, 128)),
        lambda m: amax_case("amax_f32_mx", (m, 256), F32, B(1, 32)),
    )
]
CASES += DYNAMIC_ROWS_CASES
CASES_BY_NAME.update((case.name, case) for case in DYNAMIC_ROWS_CASES)

# The GEMM with a runtime M (A [?, 512] by a static B [384, 512]): one
# kernel per recipe's scaling, launched at the same row counts, each held
# against the reference of the static shape. N and K are none of the row
# counts, so only A's rows (and its scales' and D's) become dynamic.
DYNAMIC_GEMM_CASES = [
    dynamic_rows_case(make(m), m)
    for m in DYNAMIC_ROWS
    for make in (
        lambda m: gemm_case(f"gemm_e4m3_bf16_tensor_{m}x384x512", m, 384, 512,
                            bias="bf16"),
        lambda m: gemm_case(f"gemm_e4m3_bf16_rowwise_{m}x384x512", m, 384, 512,
                            a_scaling=R, b_scaling=R, amax=True),
        lambda m: gemm_case(f"gemm_e4m3_bf16_blockwise_{m}x384x512", m, 384,
                            512, a_scaling=B(1, 128), b_scaling=B(128, 128)),
        lambda m: gemm_case(f"gemm_e4m3_f32_mx_e8m0_{m}x384x512", m, 384,
                            512, out="f32", a_scaling=B(1, 32),
                            b_scaling=B(1, 32), scale_type="f8E8M0FNU"),
    )
]
CASES += DYNAMIC_GEMM_CASES
CASES_BY_NAME.update((case.name, case) for case in DYNAMIC_GEMM_CASES)


# --- FP4 / FP6 quantize kernels (sm_100a) ------------------------------------------
#
# Kept out of CASES: they are built for sm_100a (Blackwell), whose kernels
# the Hopper device run cannot load; written ahead of time with the rest
# (ALL_CASES), test_gpu_kernels_fp4.py runs them where the GPU is an sm_100a. FP4 output
# is packed two per byte in the first half of the output buffer
# and MX FP4/FP6 in 16-byte units (docs/gpu-pipeline.md "FP4 and FP6").



def nvfp4_quantize_case(name, shape, in_dtype, scaling, seed=11):
    """Two-level (NVFP4) quantize: E4M3 block scales and the f32 per-tensor
    scale as the recipe makes them from the data."""
    in_name = {np.float32: "f32", ml_dtypes.bfloat16: "bf16",
               np.float16: "f16"}[in_dtype]
    s_shape = scaling.scale_shape(shape)
    x_t, s_t = ttype(shape, in_name), ttype(s_shape, "f8E4M3FN")
    ir = single_op_ir(
        [("x", x_t), ("s", s_t), ("g", "tensor<f32>")],
        [ttype(shape, "f4E2M1FN")],
        f"fp8.quantize %x, %s global(%g : tensor<f32>) "
        f"{{scaling = {scaling.mlir()}}} : {x_t}, {s_t} -> "
        f"{ttype(shape, 'f4E2M1FN')}")

    def make_inputs(rng):
        x = with_specials(spread_normal(rng, shape)).astype(in_dtype)
        finite = np.where(np.isfinite(x.astype(np.float32)), x, 0)
        g = ref.nvfp4_global_scale(ref.amax(finite, T))
        s = ref.nvfp4_block_scale(ref.amax(finite, scaling), g)
        return {"input": x, "scale": s, "global": g.reshape(1)}

    def reference(inputs):
        return {"output": ref.nvfp4_quantize(
            inputs["input"], inputs["scale"], inputs["global"].reshape(()),
            scaling)}

    return Case(name, "quantize", ir, make_inputs, reference, seed, chip=SM100)


def mx_sub_byte_quantize_case(name, shape, in_dtype, fmt, seed=12):
    """MX quantize to FP4/FP6: E8M0 [1, 32] scales rounded down (the FP4/FP6
    recipes' `mx-scale=floor`)."""
    case = quantize_case(name, shape, in_dtype, fmt, B(1, 32),
                         scale_type="f8E8M0FNU", seed=seed)

    def make_inputs(rng):
        x = with_specials(spread_normal(rng, shape)).astype(in_dtype)
        scale = ref.scale_from_amax(ref.amax(x, B(1, 32)), fmt,
                                    scale_type="f8E8M0FNU", mx_scale="floor")
        return {"input": x, "scale": scale}

    case.make_inputs = make_inputs
    case.chip = SM100
    return case


# --- sm_100a: the warp-specialized GEMM ------------------------------------------
# gemm-warp-specialize=on (TMA warp, MMA warp, epilogue warps) and
# gemm-persistent=on (one CTA per SM looping over the tiles, two tensor-memory
# accumulators) on sm_100a. Their own list, run by test_gpu_sm100.py on a
# B200 only (CASES are compiled for sm_90a); written ahead of time with the
# rest. Tile counts: 2000x2050 in 128x128 tiles is 16 x 17 = 272 tiles for
# 148 SMs (CTAs run 1 or 2 tiles, the two accumulators alternate), and M, N
# tails in both dims.

SM100 = "sm_100a"
WS = {"gemm_warp_specialize": "on"}
WS_PERSISTENT = {"gemm_warp_specialize": "on", "gemm_persistent": "on"}
#: MXFP8 scale factors by TMA (K a multiple of 512).
WS_TMA_SCALES = {**WS, "gemm_scale_load": "tma"}
WS_PERSISTENT_TMA_SCALES = {**WS_PERSISTENT, "gemm_scale_load": "tma"}
#: A CTA pair per 256-row tile (tcgen05.mma.cta_group::2).
WS_CTA2 = {**WS, "gemm_cluster": "2x1"}


def sm100_case(case):
    case.chip = SM100
    return case


def nvfp4_sr_quantize_case(name, shape, in_dtype, scaling, sr_seed,
                           sr_offset, seed=15):
    """Two-level (NVFP4) quantize with stochastic rounding (`sr_seed`,
    `sr_offset`: the kernel's cvt.rs.satfinite.e2m1x4.f32 and SplitMix64
    words). The reference is docs/numerics.md's rule in numpy
    (sr_quantize_reference), which test_gpu_kernels_fp4.py holds bit-exact
    with the CPU runner."""
    case = nvfp4_quantize_case(name, shape, in_dtype, scaling, seed=seed)
    case.ir = case.ir.replace(
        f"{{scaling = {scaling.mlir()}}}",
        f"{{scaling = {scaling.mlir()}, sr_seed = {sr_seed} : i64, "
        f"sr_offset = {sr_offset} : i64}}")
    assert "sr_seed" in case.ir

    def reference(inputs):
        return {"output": sr_quantize_reference(
            inputs["input"], inputs["scale"], inputs["global"].reshape(()),
            scaling, sr_seed, sr_offset)}

    case.reference = reference
    return case


def sr_quantize_reference(x, block_scale, global_scale, scaling, sr_seed,
                          sr_offset):
    """fp8.quantize with two-level scales and stochastic rounding, as
    docs/numerics.md states it: v = x * ((1 / g) / s) in f32 (as
    ref.nvfp4_quantize), rounded at random to E2M1 with the byte of
    SplitMix64 word sr_offset + i / 4 of element i (fp8_mlir_ref's
    stochastic_round_fp4 and sr_random_bytes), then cast (NaN to the zero of
    its sign)."""
    x32 = np.asarray(x).astype(np.float32)
    g = np.asarray(global_scale).astype(np.float32)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        inverse = ((np.float32(1.0) / g).astype(np.float32)
                   / ref.group_scales(block_scale, x32.shape, scaling))
        scaled = (x32 * inverse.astype(np.float32)).astype(np.float32)
    rounded = ref.stochastic_round_fp4(
        scaled, ref.sr_random_bytes(x32.shape, sr_seed, sr_offset))
    # The values are E2M1 values already: a division by 1 and the cast.
    return ref.quantize(rounded, np.float32(1.0), T, "f4E2M1FN")


def hadamard_in_order(x, signs):
    """fp8.hadamard as the CPU lowering computes it: per block of n =
    len(signs) along the last dim, y[c] = sum over r in order, from +0, of
    f32(x[r]) * M[r][c] with M = D H / sqrt(n) in f32, each product and
    sum rounded to f32 (ref.random_hadamard multiplies by a matrix, in
    BLAS's order, so it is not bit-exact)."""
    n = len(signs)
    x32 = np.asarray(x).astype(np.float32)
    blocks = x32.reshape(x32.shape[:-1] + (x32.shape[-1] // n, n))
    norm = np.float32(1.0) / np.sqrt(np.float32(n))
    sign = np.where(np.asarray(signs), np.float32(-1), np.float32(1))
    parity = np.array([[bin(r & c).count("1") % 2 for c in range(n)]
                       for r in range(n)])
    matrix = (sign[:, None] * np.where(parity == 1, np.float32(-1),
                                       np.float32(1)) * norm).astype(np.float32)
    total = np.zeros(blocks.shape, np.float32)
    with np.errstate(over="ignore", invalid="ignore"):
        for r in range(n):
            total = (total + (blocks[..., r:r + 1] * matrix[r])
                     .astype(np.float32)).astype(np.float32)
    return total.reshape(x32.shape)


def hadamard_case(name, shape, in_dtype, out="f32", seed=16):
    """fp8.hadamard with Transformer Engine's signs (the nvfp4 recipe's
    weight-gradient transform): the GPU kernel bit-exact with the CPU
    lowering's order (hadamard_in_order; NaN compared as NaN)."""
    in_name = {np.float32: "f32", ml_dtypes.bfloat16: "bf16",
               np.float16: "f16"}[in_dtype]
    signs = ref.WGRAD_HADAMARD_SIGNS
    signs_attr = ", ".join("true" if s else "false" for s in signs)
    x_t, y_t = ttype(shape, in_name), ttype(shape, out)
    ir = single_op_ir(
        [("x", x_t)], [y_t],
        f"fp8.hadamard %x {{signs = array<i1: {signs_attr}>}} : "
        f"{x_t} -> {y_t}")

    def make_inputs(rng):
        x = with_specials(spread_normal(rng, shape)).astype(in_dtype)
        return {"input": x}

    def reference(inputs):
        y = hadamard_in_order(inputs["input"], signs)
        return {"output": y.astype(ref.dtype_of(out))}

    return Case(name, "hadamard", ir, make_inputs, reference, seed,
                chip=SM100)


FP4_CASES = [
    nvfp4_quantize_case("quantize_f32_e2m1_nvfp4_1x16", (256, 512), F32,
                        B(1, 16)),
    # NVFP4 training: the stochastically rounded gradient quantize (the
    # recipe's seed, a nonzero offset), the random Hadamard transform.
    nvfp4_sr_quantize_case("quantize_f32_e2m1_nvfp4_1x16_sr", (256, 512),
                           F32, B(1, 16), sr_seed=24301,
                           sr_offset=1 << 40),
    nvfp4_sr_quantize_case("quantize_bf16_e2m1_nvfp4_16x16_sr", (128, 256),
                           BF16, B(16, 16), sr_seed=7, sr_offset=0),
    hadamard_case("hadamard_f32_16_te_signs", (512, 256), F32),
    hadamard_case("hadamard_bf16_16_te_signs_to_bf16", (64, 512), BF16,
                  out="bf16"),
    nvfp4_quantize_case("quantize_bf16_e2m1_nvfp4_16x16", (512, 256), BF16,
                        B(16, 16)),
    mx_sub_byte_quantize_case("quantize_f32_e2m1_mx", (128, 256), F32,
                              "f4E2M1FN"),
    mx_sub_byte_quantize_case("quantize_bf16_e2m3_mx", (128, 256), BF16,
                              "f6E2M3FN"),
    mx_sub_byte_quantize_case("quantize_f32_e3m2_mx", (64, 96), F32,
                              "f6E3M2FN"),
]


def pack_padded16(values):
    """The Padded16 storage of FP4/FP6 `values` (last dim a multiple of
    16): per 16 elements, their codes bit-packed from bit 0 (element i at
    bits w*i, little-endian), then zero bytes; one byte per element in all,
    as uint8. The inverse of unpack_padded16."""
    values = np.asarray(values)
    width = 4 if values.dtype == np.dtype(ml_dtypes.float4_e2m1fn) else 6
    codes = values.view(np.uint8).reshape(-1, 16) & ((1 << width) - 1)
    bits = (codes[:, :, None] >> np.arange(width, dtype=np.uint8)) & 1
    packed = np.packbits(bits.reshape(-1, 16 * width).astype(np.uint8),
                         axis=1, bitorder="little")
    units = np.zeros((codes.shape[0], 16), np.uint8)
    units[:, :2 * width] = packed
    return units.reshape(values.shape)


def mx_sub_byte_gemm_case(name, m, n, k, a_fmt, b_fmt, seed=13):
    """An MX GEMM on FP4/FP6 (and FP8) operands, f32 out: the
    `.kind::mxf8f6f4` kernel. FP4/FP6 operands are passed in their Padded16
    storage; the reference multiplies the values."""
    a_t, b_t = ttype((m, k), a_fmt), ttype((n, k), b_fmt)
    sa_t, sb_t = ttype((m, k // 32), "f8E8M0FNU"), ttype((n, k // 32),
                                                         "f8E8M0FNU")
    ir = single_op_ir(
        [("a", a_t), ("sa", sa_t), ("b", b_t), ("sb", sb_t)],
        [ttype((m, n), "f32")],
        f"fp8.scaled_matmul %a, %sa, %b, %sb {{a_scaling = "
        f"{B(1, 32).mlir()}, b_scaling = {B(1, 32).mlir()}, transpose_b}} : "
        f"{a_t}, {sa_t}, {b_t}, {sb_t} -> {ttype((m, n), 'f32')}")

    def operand(rng, shape, fmt):
        x = spread_normal(rng, shape, spread=3)
        scale = ref.scale_from_amax(ref.amax(x, B(1, 32)), fmt,
                                    scale_type="f8E8M0FNU", mx_scale="floor")
        return ref.quantize(x, scale, B(1, 32), fmt), scale

    def make_inputs(rng):
        a, sa = operand(rng, (m, k), a_fmt)
        b, sb = operand(rng, (n, k), b_fmt)
        return {"a": a, "a_scale": sa, "b": b, "b_scale": sb}

    def reference(inputs):
        d, _, _ = ref.scaled_matmul(inputs["a"], inputs["a_scale"],
                                    inputs["b"], inputs["b_scale"], B(1, 32),
                                    B(1, 32), transpose_b=True)
        return {"exact": d}

    facts = {"m": m, "n": n, "k": k, "a_fmt": a_fmt, "b_fmt": b_fmt}
    return Case(name, "gemm", ir, make_inputs, reference, seed, facts,
                chip=SM100)


def mxfp4_gemm_case(name, m, n, k, out="f32", seed=15, options=None):
    """An MXFP4 x MXFP4 GEMM ([1, 32] E8M0 scales, K a multiple of 32): its
    operands feed only FP4 x FP4 GEMMs, so they are stored Packed
    (getSubByteStorage) and the kernel is `.kind::mxf4.block_scale`
    (scale_vec::2X). Operands are passed packed
    (gpu_testing.device_arguments: [rows, K / 2] bytes); `exact` is the float64 product of the operands dequantized
    here with numpy from the ml_dtypes values (E8M0 scales read by
    ml_dtypes, repeated over their 32 elements)."""
    a_t, b_t = ttype((m, k), "f4E2M1FN"), ttype((n, k), "f4E2M1FN")
    cols = -(-k // 32)
    sa_t, sb_t = ttype((m, cols), "f8E8M0FNU"), ttype((n, cols), "f8E8M0FNU")
    d_t = ttype((m, n), out)
    ir = single_op_ir(
        [("a", a_t), ("sa", sa_t), ("b", b_t), ("sb", sb_t)], [d_t],
        f"fp8.scaled_matmul %a, %sa, %b, %sb {{a_scaling = "
        f"{B(1, 32).mlir()}, b_scaling = {B(1, 32).mlir()}, transpose_b}} : "
        f"{a_t}, {sa_t}, {b_t}, {sb_t} -> {d_t}")

    def operand(rng, shape):
        x = spread_normal(rng, shape, spread=3)
        scale = ref.scale_from_amax(ref.amax(x, B(1, 32)), "f4E2M1FN",
                                    scale_type="f8E8M0FNU", mx_scale="floor")
        return ref.quantize(x, scale, B(1, 32), "f4E2M1FN"), scale

    def make_inputs(rng):
        a, sa = operand(rng, (m, k))
        b, sb = operand(rng, (n, k))
        return {"a": a, "a_scale": sa, "b": b, "b_scale": sb}

    def reference(inputs):
        def dequantized(q, s):
            scales = np.repeat(np.asarray(s).astype(np.float64), 32,
                               axis=1)[:, :q.shape[1]]
            return np.asarray(q).astype(np.float64) * scales
        a = dequantized(inputs["a"], inputs["a_scale"])
        b = dequantized(inputs["b"], inputs["b_scale"])
        return {"exact": a @ b.T, "magnitude": np.abs(a) @ np.abs(b).T}

    facts = {"m": m, "n": n, "k": k, "mxf4": True, "out": out}
    return Case(name, "gemm", ir, make_inputs, reference, seed, facts,
                options=dict(options or {}), chip=SM100)


def device_operand(value):
    """What the kernel reads for a GEMM operand: FP4/FP6 in Padded16 (an
    FP4 x FP4 GEMM's operands are Packed instead:
    gpu_testing.device_arguments)."""
    if np.dtype(value.dtype) in (np.dtype(ml_dtypes.float4_e2m1fn),
                                 np.dtype(ml_dtypes.float6_e2m3fn),
                                 np.dtype(ml_dtypes.float6_e3m2fn)):
        return pack_padded16(value)
    return value


def nvfp4_gemm_case(name, m, n, k, b_rows=16, seed=14, options=None):
    """An NVFP4 GEMM, f32 out: the `.kind::mxf4nvf4.scale_vec::4X` kernel.
    A has [1, 16] E4M3 scales, B [b_rows, 16] ones ([16, 16]: the weights'
    blocks), both an f32 per-tensor scale made as the recipe makes them
    (fp8_mlir_ref.nvfp4_*). Operands are passed packed (gpu_testing.device_arguments);
    `exact` is the float64 product of the dequantized operands, computed
    here with numpy from the ml_dtypes values."""
    sb_rows = -(-n // b_rows)
    a_t, b_t = ttype((m, k), "f4E2M1FN"), ttype((n, k), "f4E2M1FN")
    sa_t = ttype((m, k // 16), "f8E4M3FN")
    sb_t = ttype((sb_rows, k // 16), "f8E4M3FN")
    d_t = ttype((m, n), "f32")
    ir = single_op_ir(
        [("a", a_t), ("sa", sa_t), ("ga", "tensor<f32>"), ("b", b_t),
         ("sb", sb_t), ("gb", "tensor<f32>")],
        [d_t],
        f"fp8.scaled_matmul %a, %sa, %b, %sb a_global(%ga : tensor<f32>) "
        f"b_global(%gb : tensor<f32>) {{a_scaling = {B(1, 16).mlir()}, "
        f"b_scaling = {B(b_rows, 16).mlir()}, transpose_b}} : "
        f"{a_t}, {sa_t}, {b_t}, {sb_t} -> {d_t}")

    def operand(rng, shape, scaling):
        x = spread_normal(rng, shape, spread=3)
        g = ref.nvfp4_global_scale(ref.amax(x, T))
        s = ref.nvfp4_block_scale(ref.amax(x, scaling), g)
        return ref.nvfp4_quantize(x, s, g, scaling), s, g.reshape(1)

    def make_inputs(rng):
        a, sa, ga = operand(rng, (m, k), B(1, 16))
        b, sb, gb = operand(rng, (n, k), B(b_rows, 16))
        return {"a": a, "a_scale": sa, "a_global": ga, "b": b,
                "b_scale": sb, "b_global": gb}

    def reference(inputs):
        def dequantized(q, s, g, rows):
            scales = np.repeat(np.repeat(s.astype(np.float64), rows, axis=0),
                               16, axis=1)[:q.shape[0], :q.shape[1]]
            return q.astype(np.float64) * scales * float(g[0])
        a = dequantized(inputs["a"], inputs["a_scale"], inputs["a_global"], 1)
        b = dequantized(inputs["b"], inputs["b_scale"], inputs["b_global"],
                        b_rows)
        return {"exact": a @ b.T, "magnitude": np.abs(a) @ np.abs(b).T}

    facts = {"m": m, "n": n, "k": k, "nvfp4": True}
    return Case(name, "gemm", ir, make_inputs, reference, seed, facts,
                options=dict(options or {}), chip=SM100)


FP4_CASES += [
    mx_sub_byte_gemm_case("gemm_mxfp6_e2m3_e3m2", 256, 192, 512, "f6E2M3FN",
                 "f6E3M2FN"),
    # MXFP4 x MXFP4: packed operands, .kind::mxf4 (scale_vec::2X); M and N
    # tails (a ragged last tile row and column), and a K of 1.25 K steps
    # (TMA zero fill past K, E8M0 127 for the scale groups past K).
    mxfp4_gemm_case("gemm_mxfp4", 256, 256, 1024),
    mxfp4_gemm_case("gemm_mxfp4_tail", 200, 328, 768),
    mxfp4_gemm_case("gemm_mxfp4_ragged_k_bf16", 136, 72, 320, out="bf16"),
    mx_sub_byte_gemm_case("gemm_mxfp8_x_mxfp4", 384, 128, 512, "f8E4M3FN",
                 "f4E2M1FN"),
    # NVFP4: the recipe's [16, 16] weight scales with M and N tails (and a
    # ragged last scale row of B), and [1, 16] on both.
    nvfp4_gemm_case("gemm_nvfp4_weight_blocks_tail", 200, 328, 768),
    nvfp4_gemm_case("gemm_nvfp4_rowwise_blocks", 256, 256, 1024, b_rows=1),
    # The warp-specialized kernel (producer warp stages the scale sets):
    # MXFP4 with M and N tails, persistent MXFP4 (two accumulators, several
    # tiles per CTA, a ragged K), NVFP4 [16, 16] weight blocks with tails.
    mxfp4_gemm_case("gemm_mxfp4_ws_tail", 200, 328, 768,
                    options={"gemm_warp_specialize": "on"}),
    mxfp4_gemm_case("gemm_mxfp4_ws_persistent_ragged_k_bf16", 392, 200, 320,
                    out="bf16", options={"gemm_warp_specialize": "on",
                                         "gemm_persistent": "on"}),
    nvfp4_gemm_case("gemm_nvfp4_ws_weight_blocks_tail", 200, 328, 768,
                    options={"gemm_warp_specialize": "on"}),
]


def random_sub_byte(rng, shape, fmt):
    """Every bit pattern of the FP4/FP6 `fmt` with equal probability (all
    are finite, -0 included)."""
    width = 4 if fmt == "f4E2M1FN" else 6
    bits = rng.integers(0, 1 << width, size=shape, dtype=np.uint8)
    return bits.view(ref.dtype_of(fmt))


def sub_byte_dequantize_case(name, shape, fmt, out, scaling, seed=15):
    """FP4/FP6 dequantize: NVFP4 (f4E2M1FN with E4M3 `scaling` scales and an
    f32 per-tensor scale, `(q * s) * g`) when `scaling` is [1, 16] or
    [16, 16], else MX (E8M0 [1, 32], `q * s`). The kernel reads `input` in
    its GPU storage (device_sub_byte_input); the reference is the CPU
    lowering's arithmetic in numpy (fp8_mlir_ref), which
    test_gpu_kernels_fp4.py holds bit-exact with fp8_mlir.run."""
    two_level = scaling.block[1] == 16
    scale_type = "f8E4M3FN" if two_level else "f8E8M0FNU"
    s_shape = scaling.scale_shape(shape)
    q_t, s_t, x_t = ttype(shape, fmt), ttype(s_shape, scale_type), ttype(
        shape, out)
    args = [("q", q_t), ("s", s_t)]
    global_text = ""
    if two_level:
        args.append(("g", "tensor<f32>"))
        global_text = " global(%g : tensor<f32>)"
    ir = single_op_ir(
        args, [x_t],
        f"fp8.dequantize %q, %s{global_text} {{scaling = {scaling.mlir()}}} "
        f": {q_t}, {s_t} -> {x_t}")

    def make_inputs(rng):
        q = random_sub_byte(rng, shape, fmt)
        if two_level:
            # E4M3 block scales over their whole range, normal and
            # subnormal, and a per-tensor scale that is not a power of two.
            s = np.exp2(rng.uniform(-9, 8.8, size=s_shape)).astype(
                np.float32).astype(ml_dtypes.float8_e4m3fn)
            g = np.array([0.0123], np.float32)
            return {"input": q, "scale": s, "global": g}
        s = np.exp2(rng.integers(-8, 9, size=s_shape)).astype(
            np.float32).astype(ml_dtypes.float8_e8m0fnu)
        return {"input": q, "scale": s}

    def reference(inputs):
        if two_level:
            x = ref.nvfp4_dequantize(inputs["input"], inputs["scale"],
                                     inputs["global"].reshape(()), scaling)
            return {"output": x.astype(ref.dtype_of(out))}
        return {"output": ref.dequantize(inputs["input"], inputs["scale"],
                                         scaling, out)}

    return Case(name, "dequantize", ir, make_inputs, reference, seed,
                chip=SM100)


def device_sub_byte_input(inputs):
    """`inputs` of a sub_byte_dequantize_case as the kernel reads them: the
    FP4/FP6 `input` in its GPU storage (Packed for NVFP4, E4M3 scales;
    Padded16 for MX)."""
    q = inputs["input"]
    if np.dtype(inputs["scale"].dtype) == np.dtype(ml_dtypes.float8_e4m3fn):
        return dict(inputs, input=device_nvfp4(q))
    return dict(inputs, input=pack_padded16(q))


FP4_CASES += [
    sub_byte_dequantize_case("dequantize_e2m1_f32_nvfp4_1x16", (256, 512),
                             "f4E2M1FN", "f32", B(1, 16)),
    sub_byte_dequantize_case("dequantize_e2m1_bf16_nvfp4_16x16", (200, 320),
                             "f4E2M1FN", "bf16", B(16, 16)),
    sub_byte_dequantize_case("dequantize_e2m1_f32_mx", (128, 256), "f4E2M1FN",
                             "f32", B(1, 32)),
    sub_byte_dequantize_case("dequantize_e2m3_bf16_mx", (128, 256), "f6E2M3FN",
                             "bf16", B(1, 32)),
    sub_byte_dequantize_case("dequantize_e3m2_f16_mx", (64, 96), "f6E3M2FN",
                             "f16", B(1, 32)),
]
FP4_CASES_BY_NAME = {case.name: case for case in FP4_CASES}


def unpack_padded16(raw, dtype, shape):
    """FP4/FP6 values of `dtype` from their Padded16 storage: each 16 bytes
    hold 16 values bit-packed from bit 0 (element i at bits w*i, w = 4 or 6,
    little-endian), then zero bytes (`.kind::mxf8f6f4`'s containers)."""
    width = 4 if np.dtype(dtype) == np.dtype(ml_dtypes.float4_e2m1fn) else 6
    units = np.asarray(raw, np.uint8).reshape(-1, 16)
    bits = np.unpackbits(units[:, :2 * width], axis=1, bitorder="little")
    fields = bits.reshape(-1, 16, width).astype(np.uint8)
    values = (fields << np.arange(width, dtype=np.uint8)).sum(
        axis=2, dtype=np.uint8)
    return values.reshape(shape).view(dtype)


def output_bits(output, expected, scale_dtype):
    """The kernel's `output` buffer read as `expected` (the reference's
    values) is laid out (FP8Converts.h, SubByteStorage): NVFP4 (E4M3
    scales) packs two FP4 values per byte (element 2i in the low nibble) in
    the first half; MX FP4/FP6 (E8M0 scales) is Padded16."""
    raw = np.asarray(output).view(np.uint8).reshape(-1)
    if np.dtype(scale_dtype) == np.dtype(ml_dtypes.float8_e4m3fn):
        packed = raw[:expected.size // 2]
        return ref.unpack_fp4(packed.reshape(
            expected.shape[:-1] + (expected.shape[-1] // 2,)))
    return unpack_padded16(raw[:expected.size], expected.dtype,
                           expected.shape)


def mx_gemm_case(name, m, n, k, options, out="bf16", seed=6, batch=()):
    """An MXFP8 GEMM: [1, 32] E8M0 scales on A and B (sm_100a's
    tcgen05.mma.block_scale), quantized as the recipe does."""
    batch = tuple(batch)
    mx = Scaling.blocks(1, 32)
    a_shape, b_shape = batch + (m, k), batch + (n, k)
    a_s, b_s = mx.scale_shape(a_shape), mx.scale_shape(b_shape)
    args = [("a", ttype(a_shape, "f8E4M3FN")), ("sa", ttype(a_s, "f8E8M0FNU")),
            ("b", ttype(b_shape, "f8E4M3FN")), ("sb", ttype(b_s, "f8E8M0FNU"))]
    results = [ttype(batch + (m, n), out)]
    operand_types = ", ".join(type_ for _, type_ in args)
    ir = single_op_ir(
        args, results,
        f"fp8.scaled_matmul %a, %sa, %b, %sb "
        f"{{a_scaling = {mx.mlir()}, b_scaling = {mx.mlir()}, transpose_b}} "
        f": {operand_types} -> {results[0]}")

    def quantize_mx(rng, shape):
        x = spread_normal(rng, shape, spread=3)
        scale = ref.scale_from_amax(ref.amax(x, mx), "f8E4M3FN",
                                    scale_type="f8E8M0FNU")
        return ref.quantize(x, scale, mx, "f8E4M3FN"), scale

    def make_inputs(rng):
        a, sa = quantize_mx(rng, a_shape)
        b, sb = quantize_mx(rng, b_shape)
        return {"a": a, "a_scale": sa, "b": b, "b_scale": sb}

    def reference(inputs):
        d, result, _ = ref.scaled_matmul(
            inputs["a"], inputs["a_scale"], inputs["b"], inputs["b_scale"],
            mx, mx, transpose_b=True, out=out)
        return {"d": result, "exact": d}

    facts = {"m": m, "n": n, "k": k, "batch": batch, "out": out,
             "a_fmt": "f8E4M3FN", "b_fmt": "f8E4M3FN", "a_scaling": mx,
             "b_scaling": mx, "bias": None, "out_scale": False, "amax": False}
    return Case(name, "gemm", ir, make_inputs, reference, seed, facts,
                options=dict(options), chip=SM100)


SM100_CASES = [
    sm100_case(gemm_case("sm100_ws_e4m3_bf16_tensor_2000x2050x1040", 2000,
                         2050, 1040, options=WS)),
    sm100_case(gemm_case("sm100_ws_persistent_e4m3_bf16_tensor_2000x2050x1040",
                         2000, 2050, 1040, options=WS_PERSISTENT)),
    sm100_case(gemm_case(
        "sm100_ws_persistent_rowwise_bias_e4m3out_amax_1000x2050x1040", 1000,
        2050, 1040, b_fmt="f8E5M2", out="f8E4M3FN", a_scaling=R, b_scaling=R,
        bias="bf16", out_scale=True, amax=True, options=WS_PERSISTENT)),
    sm100_case(gemm_case(
        "sm100_ws_persistent_sched_rowwise_batched_3x200x136x256", 200, 136,
        256, a_scaling=R, b_scaling=R, batch=(3,),
        options={**WS_PERSISTENT, "gemm_wait_hint": "spin",
                 "gemm_raster": "grouped", "gemm_raster_group": 3})),
    # 16 GEMMs of 4 x 3 128x256 tiles (N tail 520): 192 tiles on 148 SMs,
    # a CTA's second tile in another GEMM of the batch.
    sm100_case(gemm_case("sm100_ws_persistent_tensor_batched_16x512x520x256",
                         512, 520, 256, batch=(16,), options=WS_PERSISTENT)),
    mx_gemm_case("sm100_ws_mx_bf16_1000x2050x1056", 1000, 2050, 1056, WS),
    mx_gemm_case("sm100_ws_persistent_mx_f32_2000x2050x1056", 2000, 2050,
                 1056, WS_PERSISTENT, out="f32"),
    # Scales by TMA: ragged M and N (zero-filled box rows past the tensor),
    # 128x256 tiles (two B boxes), a batch (boxes of GEMM z at rows z * M),
    # persistent; K = 1536 and 512 (one box per step from group 4 kt).
    mx_gemm_case("sm100_ws_tmascales_mx_bf16_1000x2050x1536", 1000, 2050,
                 1536, WS_TMA_SCALES),
    mx_gemm_case("sm100_ws_tmascales_mx_bf16_tile256_520x600x1024", 520, 600,
                 1024, {**WS_TMA_SCALES, "gemm_tile": "128x256"}),
    mx_gemm_case("sm100_ws_persistent_tmascales_mx_f32_2000x2050x512", 2000,
                 2050, 512, WS_PERSISTENT_TMA_SCALES, out="f32"),
    mx_gemm_case("sm100_ws_tmascales_mx_bf16_batched_3x200x136x1024", 200, 136,
                 1024, WS_TMA_SCALES, batch=(3,)),
    # CTA pairs: ragged M and N (the odd CTA of the last pair partly past
    # M), a whole odd CTA past M (384 = 1.5 pairs), the rowwise epilogue
    # with bias, FP8 output and amax, and a batch (the odd CTA's rows of
    # GEMM z are GEMM z + 1's, never stored).
    sm100_case(gemm_case("sm100_ws_cta2_e4m3_bf16_tensor_2000x2050x1040",
                         2000, 2050, 1040, options=WS_CTA2)),
    sm100_case(gemm_case("sm100_ws_cta2_e4m3_f32_tensor_384x256x512", 384,
                         256, 512, out="f32", options=WS_CTA2)),
    sm100_case(gemm_case(
        "sm100_ws_cta2_rowwise_bias_e4m3out_amax_1000x2050x1040", 1000,
        2050, 1040, b_fmt="f8E5M2", out="f8E4M3FN", a_scaling=R, b_scaling=R,
        bias="bf16", out_scale=True, amax=True, options=WS_CTA2)),
    sm100_case(gemm_case("sm100_ws_cta2_tensor_batched_3x200x136x256", 200,
                         136, 256, batch=(3,), options=WS_CTA2)),
]
SM100_CASES_BY_NAME = {case.name: case for case in SM100_CASES}
#: Every case whose kernel is written ahead of time (main).
ALL_CASES = CASES + SM100_CASES + FP4_CASES


# --- kernels ahead of time --------------------------------------------------------


def compile_case(case):
    """``(binary, spec)`` of `case` from the compiler; MLIRError when it
    rejects the IR."""
    from fp8_mlir.gpu import compile_kernel

    return compile_kernel(case.ir, case.chip, **case.options)


def write_case(case, directory=KERNEL_DIR):
    """Compiles `case` into `directory`/<name>/ (manifest.json + PTX, or
    rejected.txt). Returns a one-line summary."""
    import fp8_mlir
    from fp8_mlir import ptx

    target = Path(directory) / case.name
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    settings = [f"chip={case.chip}", "format=isa"] + [
        f"{key.replace('_', '-')}={value}"
        for key, value in case.options.items()]
    try:
        gpu_ir = fp8_mlir.compile(
            case.ir, f"fp8-gpu-pipeline{{{' '.join(settings)}}}")
    except fp8_mlir.MLIRError as error:
        if not case.may_be_rejected:
            raise
        (target / "rejected.txt").write_text(str(error).rstrip() + "\n")
        return f"{case.name}: rejected by the compiler"
    paths = ptx.write(gpu_ir, str(target), compress=True)
    (target / "kernel.mlir").write_text(case.ir)
    return f"{case.name}: " + ", ".join(os.path.basename(p) for p in paths)


def read_case(case, directory=KERNEL_DIR):
    """``(binary, spec)`` compiled ahead of time, or ``(None, reason)``."""
    from fp8_mlir import ptx

    target = Path(directory) / case.name
    rejected = target / "rejected.txt"
    if rejected.exists():
        return None, ("the compiler rejected this case when the kernels were "
                      f"generated: {rejected.read_text().strip()}")
    if not (target / "manifest.json").exists():
        return None, (f"no kernel compiled ahead of time in {target} and no "
                      "compiler here (run bench/gpu/prepare-device.sh where "
                      "fp8-mlir is built)")
    binaries, manifest = ptx.read(str(target))
    (spec,) = manifest["kernels"]
    return binaries[spec["module"]], spec


_kernels = {}


def kernel_for(case):
    """``(binary, spec)`` of `case`: compiled now (once per case) when
    fp8_mlir's extension is importable, else read from the kernels compiled
    ahead of time; ``(None, reason)`` when neither has it."""
    import fp8_mlir

    if not fp8_mlir.has_compiler():
        return read_case(case)
    if case.name not in _kernels:
        try:
            _kernels[case.name] = compile_case(case)
        except fp8_mlir.MLIRError as error:
            if not case.may_be_rejected:
                raise
            _kernels[case.name] = (None, f"the compiler rejects {case.name}: "
                                         f"{error}")
    return _kernels[case.name]


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Compile the GPU test kernels into python/tests/gpu_kernels")
    parser.add_argument("--output-dir", default=str(KERNEL_DIR))
    args = parser.parse_args(argv)
    out = Path(args.output_dir)
    if out.exists():
        shutil.rmtree(out)
    for case in ALL_CASES:
        print(write_case(case, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
