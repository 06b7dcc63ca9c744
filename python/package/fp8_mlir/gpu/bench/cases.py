"""The cases of the GPU GEMM benchmark and where their kernels are prepared.

Pure Python: the GPU machine imports it without the compiled extension.
The prepared kernels live in one folder per chip, and the recipe table
that prepare.py writes from the compiler's recipes in a JSON file beside
(bench/gpu/recipes.json):

    <kernel dir>/<chip>/index.json
    <kernel dir>/<chip>/<M>x<N>x<K>-<recipe>[-<variant>]/...
"""

import json
import math
from pathlib import Path

#: (M, N, K): square sizes, then LLM projections (Llama-3-70B-like MLP up
#: projection 8192x28672x4096 and a 16384-token 8192x8192 projection).
SHAPES = [(1024, 1024, 1024), (2048, 2048, 2048), (4096, 4096, 4096),
          (8192, 8192, 8192), (8192, 28672, 4096), (16384, 8192, 8192)]
RECIPES = ["tensorwise", "rowwise", "blockwise", "mxfp8"]
#: The recipes compiled per chip. sm_90a runs MX by promoting wgmma partial
#: sums with the decoded E8M0 scales; sm_100a has no `[1, 128] x [128, 128]`
#: GEMM, so its `blockwise` cases record the compiler's diagnostic.
#: FP4 x FP4 recipes (sm_100a only): `nvfp4` (E4M3 scales per 16
#: elements, [16, 16] on the weight, f32 per-tensor scales;
#: `.kind::mxf4nvf4`) and `mxfp4` (E8M0 per 32; `.kind::mxf4` on packed
#: operands). Their GEMMs are FP4 x FP4, not E4M3 x E4M3.
FP4_RECIPES = ["nvfp4", "mxfp4"]
#: The shapes of the FP4 rows (the large square and the 16k-token one).
FP4_SHAPES = ((8192, 8192, 8192), (16384, 8192, 8192))
CHIP_RECIPES = {"sm_90a": RECIPES, "sm_100a": RECIPES + FP4_RECIPES}
CHIPS = list(CHIP_RECIPES)


def is_fp4(recipe):
    """Whether the benchmark GEMM of `recipe` multiplies FP4 operands."""
    return recipe in FP4_RECIPES
#: The one shape of the schedule variants: each costs a compile here and
#: about a second on the device, so they run where the schedule matters most.
SCHEDULE_SHAPES = ((8192, 8192, 8192),)
#: Kernels compiled with non-default pipeline options besides the default
#: one, to measure what a choice buys: name -> (options, recipes, smallest
#: M*N*K[, the only shapes]). sm_90a: the 2-CTA clusters (TMA multicast),
#: the fast accumulation of E4M3 x E4M3 GEMMs, and persistent CTAs (off by
#: default until measured). Both chips: the schedule options (waits
#: without a suspend hint, grouped tile order, L2 promotion of the TMA
#: loads, epilogue scales loaded early; all off by default until measured)
#: one at a time and together, at 8192^3 only; sm_90a's persistent
#: ping-pong schedule (epilogues ordered, the default, and unordered),
#: TMA-store and wide direct epilogues, alone, together, and with the
#: schedule options, at 8192^3 tensorwise (wide also rowwise) only; sm_90a's
#: blockwise / MX promotion, wide-tile and scale-load (TMA) choices, at
#: 8192^3 only. sm_100a: the warp-specialized kernel, one tile per CTA and
#: persistent, with MXFP8 scales by ld.global or by TMA, and the CTA pair
#: (`cta_group::2`, tensorwise; 8192^3 only).
CHIP_VARIANTS = {
    "sm_90a": {
        "nocluster": ("gemm-cluster=1x1", ("tensorwise", "blockwise"),
                      4096 ** 3),
        "splitacc": ("gemm-accumulate=split", ("tensorwise",), 4096 ** 3),
        "persistent": ("gemm-persistent=on", ("tensorwise", "blockwise"),
                       4096 ** 3),
        "spin": ("gemm-wait-hint=spin", ("tensorwise", "blockwise"), 0,
                 SCHEDULE_SHAPES),
        "grouped8": ("gemm-raster=grouped gemm-raster-group=8",
                     ("tensorwise",), 0, SCHEDULE_SHAPES),
        "grouped16": ("gemm-raster=grouped gemm-raster-group=16",
                      ("tensorwise",), 0, SCHEDULE_SHAPES),
        "l2p256": ("gemm-l2-promotion=256", ("tensorwise",), 0,
                   SCHEDULE_SHAPES),
        "epf": ("gemm-epilogue-prefetch=on", ("rowwise",), 0,
                SCHEDULE_SHAPES),
        "sched": ("gemm-wait-hint=spin gemm-raster=grouped "
                  "gemm-raster-group=8 gemm-l2-promotion=256 "
                  "gemm-epilogue-prefetch=on",
                  ("tensorwise", "rowwise", "blockwise"), 0,
                  SCHEDULE_SHAPES),
        "persistent-sched": ("gemm-persistent=on gemm-wait-hint=spin "
                             "gemm-raster=grouped gemm-raster-group=8 "
                             "gemm-l2-promotion=256 "
                             "gemm-epilogue-prefetch=on",
                             ("tensorwise", "blockwise"), 0,
                             SCHEDULE_SHAPES),
        # The persistent schedules that overlap the epilogue with MMAs
        # (cooperative and direct by default until measured).
        "pingpong": ("gemm-persistent=on gemm-schedule=pingpong",
                     ("tensorwise",), 0, SCHEDULE_SHAPES),
        "tmastore": ("gemm-persistent=on gemm-epilogue=tma-store",
                     ("tensorwise",), 0, SCHEDULE_SHAPES),
        "pingpong-tmastore": ("gemm-persistent=on gemm-schedule=pingpong "
                              "gemm-epilogue=tma-store",
                              ("tensorwise",), 0, SCHEDULE_SHAPES),
        # The ping-pong's epilogues unordered (its default orders them as
        # CUTLASS does), and the direct epilogue's wide stores (whole
        # 32-byte sectors per warp store), cooperative and ping-pong.
        "pingpong-mmaorder": ("gemm-persistent=on gemm-schedule=pingpong "
                              "gemm-pingpong-order=mma",
                              ("tensorwise",), 0, SCHEDULE_SHAPES),
        "persistent-wide": ("gemm-persistent=on gemm-epilogue=direct-wide",
                            ("tensorwise", "rowwise"), 0, SCHEDULE_SHAPES),
        "pingpong-wide": ("gemm-persistent=on gemm-schedule=pingpong "
                          "gemm-epilogue=direct-wide",
                          ("tensorwise",), 0, SCHEDULE_SHAPES),
        "pingpong-tmastore-sched": ("gemm-persistent=on "
                                    "gemm-schedule=pingpong "
                                    "gemm-epilogue=tma-store "
                                    "gemm-wait-hint=spin "
                                    "gemm-raster=grouped "
                                    "gemm-raster-group=8 "
                                    "gemm-l2-promotion=256",
                                    ("tensorwise",), 0, SCHEDULE_SHAPES),
        # Scales along K: promotion overlapped with the next K group's
        # wgmma's (blockwise; the warp-specialized MX kernel spills with
        # its third register set), and tiles wider than 128 (B's
        # [128, 128] scale groups straddled by 192- and 160-wide tiles; MX
        # only up to 144, wider MX tiles spill). Compare with the default
        # blockwise / mxfp8 rows.
        "ovp": ("gemm-promotion=overlapped", ("blockwise",), 0,
                SCHEDULE_SHAPES),
        "n192": ("gemm-tile=128x192", ("blockwise",), 0, SCHEDULE_SHAPES),
        "n160": ("gemm-tile=128x160", ("blockwise",), 0, SCHEDULE_SHAPES),
        "n144": ("gemm-tile=128x144", ("mxfp8",), 0, SCHEDULE_SHAPES),
        # A's scales (MX: B's too) by TMA into each stage (gemm-scale-load=
        # tma) instead of ld.global by every consumer thread: alone
        # (blockwise, MX) and
        # with the overlapped promotion and a wide tile (blockwise).
        "tmascales": ("gemm-scale-load=tma", ("blockwise", "mxfp8"), 0,
                      SCHEDULE_SHAPES),
        "ovp-tmascales": ("gemm-promotion=overlapped gemm-scale-load=tma",
                          ("blockwise",), 0, SCHEDULE_SHAPES),
        "n192-tmascales": ("gemm-tile=128x192 gemm-scale-load=tma",
                           ("blockwise",), 0, SCHEDULE_SHAPES),
    },
    "sm_100a": {
        "sched": ("gemm-wait-hint=spin gemm-raster=grouped "
                  "gemm-raster-group=8 gemm-l2-promotion=256",
                  ("tensorwise",), 0, SCHEDULE_SHAPES),
        # The warp-specialized kernel (TMA warp, MMA warp, epilogue warps),
        # one tile per CTA and persistent with two tensor-memory
        # accumulators; off by default until a B200 measured them.
        "ws": ("gemm-warp-specialize=on", ("tensorwise", "mxfp8"), 0,
               SCHEDULE_SHAPES),
        "ws-persistent": ("gemm-warp-specialize=on gemm-persistent=on",
                          ("tensorwise", "mxfp8"), 0, SCHEDULE_SHAPES),
        # MXFP8 scale factors by TMA boxes in each stage (no ld.global of
        # scales), one tile per CTA and persistent.
        "ws-tmascales": ("gemm-warp-specialize=on gemm-scale-load=tma",
                         ("mxfp8",), 0, SCHEDULE_SHAPES),
        "ws-persistent-tmascales": ("gemm-warp-specialize=on "
                                    "gemm-persistent=on gemm-scale-load=tma",
                                    ("mxfp8",), 0, SCHEDULE_SHAPES),
        # A CTA pair (2x1 cluster) per 256 x N tile with
        # tcgen05.mma.cta_group::2; tensorwise only (no MX pair kernel).
        "ws-cta2": ("gemm-warp-specialize=on gemm-cluster=2x1",
                    ("tensorwise",), 0, SCHEDULE_SHAPES),
    },
}


def variant_applies(chip, variant, shape, recipe):
    """Whether `variant` of `chip` has a case for `shape` and `recipe`."""
    _, recipes, least, *only = CHIP_VARIANTS[chip][variant]
    if only and tuple(shape) not in only[0]:
        return False
    return recipe in recipes and math.prod(shape) >= least


def case_name(shape, recipe, variant=None):
    name = "x".join(str(d) for d in shape) + "-" + recipe
    return name + "-" + variant if variant else name


def chip_cases(chip, shapes=None):
    """(shape, recipe, variant or None) of every case of `chip` (of the
    given `shapes` only, when not None)."""
    for shape in SHAPES:
        if shapes is not None and shape not in shapes:
            continue
        for recipe in CHIP_RECIPES[chip]:
            if is_fp4(recipe) and shape not in FP4_SHAPES:
                continue
            yield shape, recipe, None
            for variant in CHIP_VARIANTS[chip]:
                if variant_applies(chip, variant, shape, recipe):
                    yield shape, recipe, variant


def chip_dir(kernel_dir, chip):
    """The folder of one chip's kernel set."""
    return Path(kernel_dir) / chip


def _scaling_from_json(scaling):
    return scaling if isinstance(scaling, str) else tuple(scaling)


def read_recipes(path):
    """The recipe table prepare.py wrote to `path`: recipe -> {"a":
    scaling, "b": scaling, "scale_type": MLIR type}, a scaling being
    "tensor", "rowwise" or a block (rows, cols). OSError or ValueError when
    it is missing or malformed."""
    table = json.loads(Path(path).read_text())
    return {recipe: {"a": _scaling_from_json(entry["a"]),
                     "b": _scaling_from_json(entry["b"]),
                     "scale_type": entry["scale_type"]}
            for recipe, entry in table.items()}
