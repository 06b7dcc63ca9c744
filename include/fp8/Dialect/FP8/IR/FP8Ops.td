//===- FP8Ops.td - fp8 dialect operations ------------------*- tablegen -*-===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_IR_FP8OPS_TD
#define FP8_DIALECT_FP8_IR_FP8OPS_TD

include "fp8/Dialect/FP8/IR/FP8Attrs.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class FP8_Op<string mnemonic, list<Trait> traits = []>
    : Op<FP8_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

/// High-precision element types that are quantized or produced.
def FP8_WideFloat : AnyTypeOf<[F32, BF16, F16]>;
/// Narrow data element types (FP8, FP6, FP4).
def FP8_NarrowFloat
    : AnyTypeOf<[F8E4M3FN, F8E5M2, F6E2M3FN, F6E3M2FN, F4E2M1FN]>;
/// Element types of a scale: f32, E8M0 for MX block scaling, or E4M3 for the
/// two-level (NVFP4) block scales.
def FP8_ScaleElement : AnyTypeOf<[F32, F8E8M0FNU, F8E4M3FN]>;

def FP8_WideTensor : RankedTensorOf<[FP8_WideFloat]>;
def FP8_NarrowTensor : RankedTensorOf<[FP8_NarrowFloat]>;
def FP8_ScaleTensor : RankedTensorOf<[FP8_ScaleElement]>;
def FP8_F32Tensor : RankedTensorOf<[F32]>;

def FP8_HistoryAlgoAttr : EnumAttr<FP8_Dialect, FP8_HistoryAlgoEnum, "algo"> {
  let assemblyFormat = "`<` $value `>`";
}
def FP8_MXScaleRoundingAttr
    : EnumAttr<FP8_Dialect, FP8_MXScaleRoundingEnum, "mx_scale"> {
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// fp8.amax
//===----------------------------------------------------------------------===//

def FP8_AmaxOp : FP8_Op<"amax", [Pure]> {
  let summary = "maximum absolute value per scale group";
  let description = [{
    Computes `max |x|` over each scale group of `scaling` and returns it as
    f32. The result has the scale shape of `scaling` for the input shape
    (see `#fp8.scaling`): rank 0 for `tensor`, `[b..., R, 1]` for
    `rowwise`, `[b..., ceildiv(R, r), ceildiv(C, c)]` for `block [r, c]`.
    A dynamic R or C gives a dynamic size there, counted at run time; the
    result is static wherever the input fixes it.
    NaN propagates: a group holding a NaN has amax NaN. The amax of +-inf
    is +inf.

    The amax of a constant folds to a constant.

    ```mlir
    %t = fp8.amax %x {scaling = #fp8.scaling<tensor>}
        : tensor<256x512xbf16> -> tensor<f32>
    %b = fp8.amax %x {scaling = #fp8.scaling<block [1, 128]>}
        : tensor<256x512xbf16> -> tensor<256x4xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat]>:$input,
                       FP8_ScalingAttr:$scaling);
  let results = (outs FP8_F32Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// fp8.scale_from_amax
//===----------------------------------------------------------------------===//

def FP8_ScaleFromAmaxOp : FP8_Op<"scale_from_amax", [Pure]> {
  let summary = "decode scale from an amax, per group";
  let description = [{
    Turns each amax into the decode scale of its group for the narrow
    `format` (`value ~= q * scale`):

    * f32 result: `scale = amax / max(format) * 2^margin`. With `pow2` the
      scale is rounded up to a power of two (the encode factor rounds down,
      so nothing clips).
    * `f8E8M0FNU` result (MX): with `mx_scale = ceil` (the default)
      `scale = 2^ceil(log2(amax / max(format))) * 2^margin`, so nothing
      clips (Transformer Engine, Blackwell `cvt.rp...ue8m0`); with
      `mx_scale = floor` the OCP MX v1.0 rule
      `2^(floor(log2(amax)) - emax(format) + margin)`, which may clip the
      top of the block. The exponent clamps to the E8M0 range
      `[-127, 127]`.

    Two-level (NVFP4) scaling, where a block scale is an E4M3 multiple of
    one f32 per-tensor scale (Transformer Engine's NVFP4BlockScaling):

    * f32 result with `block_scale_type = f8E4M3FN`: the per-tensor
      (second-level) scale `amax / (max(format) * 448) * 2^margin`
      (`amax / 2688` for FP4).
    * `f8E4M3FN` result, with the rank-0 per-tensor scale `global(%g)`
      (required then, and only then): the block scale
      `e4m3(clamp((amax / max(format)) * 2^margin / g, 2^-6, 448))`, rounded
      to nearest even (torchao's `nvfp4_quantize`); a block decodes as
      `q * f32(scale) * g`.

    Where amax is 0, +-inf or NaN the scale is 1 (Transformer Engine's rule).

    A constant amax folds to constant f32 scales when `pow2` and
    `block_scale_type` are not set (bit-exact with the lowering); the pow2,
    E8M0 and two-level rules do not fold.

    ```mlir
    %s = fp8.scale_from_amax %amax {format = f8E4M3FN}
        : tensor<f32> -> tensor<f32>
    %mx = fp8.scale_from_amax %amax {format = f8E4M3FN}
        : tensor<128x8xf32> -> tensor<128x8xf8E8M0FNU>
    %g = fp8.scale_from_amax %t {format = f4E2M1FN,
        block_scale_type = f8E4M3FN} : tensor<f32> -> tensor<f32>
    %nv = fp8.scale_from_amax %b global(%g : tensor<f32>)
        {format = f4E2M1FN} : tensor<128x16xf32> -> tensor<128x16xf8E4M3FN>
    ```
  }];
  let arguments = (ins FP8_F32Tensor:$amax,
                       Optional<FP8_F32Tensor>:$global_scale,
                       TypeAttr:$format,
                       DefaultValuedAttr<I64Attr, "0">:$margin,
                       UnitAttr:$pow2,
                       OptionalAttr<FP8_MXScaleRoundingAttr>:$mx_scale,
                       OptionalAttr<TypeAttr>:$block_scale_type);
  let results = (outs FP8_ScaleTensor:$scale);
  let assemblyFormat = [{
    $amax (`global` `(` $global_scale^ `:` type($global_scale) `)`)?
    attr-dict `:` type($amax) `->` type($scale)
  }];
  let builders = [
    OpBuilder<(ins "Type":$scale, "Value":$amax, "TypeAttr":$format,
                   "IntegerAttr":$margin, "UnitAttr":$pow2,
                   "MXScaleRoundingAttr":$mx_scale), [{
      build($_builder, $_state, scale, amax, /*global_scale=*/Value(), format,
            margin, pow2, mx_scale, /*block_scale_type=*/TypeAttr());
    }]>
  ];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// fp8.quantize
//===----------------------------------------------------------------------===//

def FP8_QuantizeOp : FP8_Op<"quantize", [Pure]> {
  let summary = "scale and cast high-precision data to FP8/FP6/FP4";
  let description = [{
    Computes `q = cast(x / scale)` elementwise, where `scale` is the decode
    scale of the element's group under `scaling`. The cast rounds to nearest
    even. With `saturate` (the default) finite values beyond the format's max
    clamp to +-max, +-inf clamps to +-max and NaN stays NaN; with
    `saturate = false` the cast equals `arith.truncf` (E4M3FN overflow gives
    NaN, E5M2 overflow gives inf). The result has the input's shape.

    Two-level (NVFP4) scaling: with `f8E4M3FN` block scales the rank-0 f32
    per-tensor scale `global(%g)` is required (and only then allowed), and
    `q = cast(x * ((1 / g) / f32(scale)))`, the reciprocal form of torchao's
    `nvfp4_quantize` and its kernels (docs/numerics.md).

    Stochastic rounding (FP4 E2M1 results only, saturating): with
    `sr_seed` the cast rounds each scaled value `v` to one of its two E2M1
    neighbours `lo <= |v| < hi` (|v| >= 6 gives 6) at random, away from
    zero exactly when `t + r >= 256`, where `t = floor(256 * (|v| - lo) /
    (hi - lo))` and `r` is an 8-bit random number: byte `j` of the 32-bit
    word `rbits(sr_seed, sr_offset + i / 4)` for the element of row-major
    linear index `i` (`j` = 3, 1, 2, 0 for `i % 4` = 0, 1, 2, 3, the bytes
    PTX `cvt.rs.satfinite.e2m1x4.f32 d, {a, b, e, f}, rbits` gives `a`,
    `b`, `e`, `f`). `rbits(seed, c)` is the high half of the `c`-th output
    (0-based) of SplitMix64 seeded with `seed` (docs/numerics.md,
    "Stochastic rounding"). So a value between two FP4 points rounds up
    with probability `t / 256`, and the same seed and offset give the same
    bits on every target. `sr_offset` (default 0) lets successive steps
    draw fresh bits with one seed.

    `quantize(dequantize(%q, %s), %s)` (same scale value, scaling and
    narrow type, f32 dequantize) folds to `%q` where that is exact: `%s` a
    constant power of two with `q * s` exact in f32 for every `q` of the
    format, and no inf that `saturate` would clamp (E5M2 folds only with
    `saturate = false`).

    ```mlir
    %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
        : tensor<256x512xbf16>, tensor<f32> -> tensor<256x512xf8E4M3FN>
    %m = fp8.quantize %x, %e8 {scaling = #fp8.scaling<block [1, 32]>}
        : tensor<256x512xf32>, tensor<256x16xf8E8M0FNU>
          -> tensor<256x512xf8E4M3FN>
    %nv = fp8.quantize %x, %s global(%g : tensor<f32>)
        {scaling = #fp8.scaling<block [1, 16]>}
        : tensor<256x512xf32>, tensor<256x32xf8E4M3FN>
          -> tensor<256x512xf4E2M1FN>
    %g = fp8.quantize %dy, %s global(%g : tensor<f32>)
        {scaling = #fp8.scaling<block [1, 16]>, sr_seed = 1234 : i64}
        : tensor<256x512xf32>, tensor<256x32xf8E4M3FN>
          -> tensor<256x512xf4E2M1FN>
    ```
  }];
  let arguments = (ins FP8_WideTensor:$input,
                       FP8_ScaleTensor:$scale,
                       Optional<FP8_F32Tensor>:$global_scale,
                       FP8_ScalingAttr:$scaling,
                       DefaultValuedAttr<BoolAttr, "true">:$saturate,
                       OptionalAttr<I64Attr>:$sr_seed,
                       OptionalAttr<I64Attr>:$sr_offset);
  let results = (outs FP8_NarrowTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale (`global` `(` $global_scale^ `:` type($global_scale) `)`)?
    attr-dict `:` type($input) `,` type($scale) `->` type($result)
  }];
  let builders = [
    OpBuilder<(ins "Type":$result, "Value":$input, "Value":$scale,
                   "ScalingAttr":$scaling, "bool":$saturate), [{
      build($_builder, $_state, result, input, scale, /*global_scale=*/Value(),
            scaling, saturate, /*sr_seed=*/IntegerAttr(),
            /*sr_offset=*/IntegerAttr());
    }]>,
    OpBuilder<(ins "Type":$result, "Value":$input, "Value":$scale,
                   "ScalingAttr":$scaling, "BoolAttr":$saturate), [{
      build($_builder, $_state, result, input, scale, /*global_scale=*/Value(),
            scaling, saturate, /*sr_seed=*/IntegerAttr(),
            /*sr_offset=*/IntegerAttr());
    }]>
  ];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// fp8.hadamard
//===----------------------------------------------------------------------===//

def FP8_HadamardOp : FP8_Op<"hadamard", [Pure, SameOperandsAndResultShape]> {
  let summary = "random Hadamard transform along the last dimension";
  let description = [{
    Multiplies every block of `n` consecutive elements along the last
    dimension by the orthogonal matrix `M = D H / sqrt(n)`, where `n` is
    the length of `signs` (a power of two; 16 in the NVFP4 recipe), `H` the
    Sylvester Hadamard matrix of order `n` (`H[r][c] = (-1)^popcount(r &
    c)`, symmetric) and `D` the diagonal of signs (`-1` where `signs[r]` is
    true, else `+1`):

    ```
    y[..., n*j + c] = sum_r x[..., n*j + r] * s[r] * H[r][c] / sqrt(n)
    ```

    summed in f32 in order of `r`, then rounded to the result element type.
    Since `M M^T = I`, transforming the contracted dim of both operands of
    a matmul leaves the product unchanged: `(A M)(B M)^T = A B^T`, for
    A `[M, K]` and B `[N, K]` K-major. The quantizer does that for
    weight-gradient matmuls under nvfp4 (Transformer Engine's random
    Hadamard transform): outliers spread over their block before the FP4
    cast. The last dim must be static and a multiple of `n`.

    ```mlir
    %y = fp8.hadamard %x {signs = array<i1: false, false, false, true, false,
        true, true, true, true, true, true, false, true, false, true, true>}
        : tensor<64x256xbf16> -> tensor<64x256xf32>
    ```
  }];
  let arguments = (ins FP8_WideTensor:$input, DenseBoolArrayAttr:$signs);
  let results = (outs FP8_WideTensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// fp8.dequantize
//===----------------------------------------------------------------------===//

def FP8_DequantizeOp : FP8_Op<"dequantize", [Pure]> {
  let summary = "decode FP8/FP6/FP4 data with its scales";
  let description = [{
    Computes `x = q * scale` elementwise in f32, where `scale` is the decode
    scale of the element's group under `scaling`, then rounds to the result
    element type (f32, bf16 or f16, nearest even). The result has the
    input's shape. With `f8E4M3FN` (two-level, NVFP4) block scales the
    rank-0 per-tensor scale `global(%g)` is required and
    `x = (q * f32(scale)) * g`.

    ```mlir
    %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<rowwise>}
        : tensor<256x512xf8E4M3FN>, tensor<256x1xf32> -> tensor<256x512xbf16>
    ```
  }];
  let arguments = (ins FP8_NarrowTensor:$input,
                       FP8_ScaleTensor:$scale,
                       Optional<FP8_F32Tensor>:$global_scale,
                       FP8_ScalingAttr:$scaling);
  let results = (outs FP8_WideTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale (`global` `(` $global_scale^ `:` type($global_scale) `)`)?
    attr-dict `:` type($input) `,` type($scale) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// fp8.scaled_matmul
//===----------------------------------------------------------------------===//

def FP8_ScaledMatmulOp : FP8_Op<"scaled_matmul",
    [Pure, AttrSizedOperandSegments]> {
  let summary = "FP8 GEMM with scales, bias, output cast and output amax";
  let description = [{
    Computes, with f32 accumulation,

    ```
    D[b.., m, n] = sum_k (A[b.., m, k] * sA(m, k)) * (B[b.., k, n] * sB(k, n))
                   (+ bias[n])
    ```

    where `sA`/`sB` are the decode scales of each element's group under
    `a_scaling`/`b_scaling`. `A` is `[b..., M, K]`. `B` is `[b..., K, N]`,
    or `[b..., N, K]` (K-major, what GPU tensor cores read) with
    `transpose_b`; `b_scaling` describes B as stored. Leading batch dims of
    A, B and the result are equal.

    The result is `[b..., M, N]`: `D` rounded to f32/bf16/f16, or for an
    FP8 result `saturate_cast(D / out_scale)` with the rank-0 f32
    `out_scale` (required then, and only then). The optional second result
    is `max |D|` (f32, rank 0) taken before the output cast, for the
    scaling of the next layer.

    Scale groups along K must agree where both operands are blocked along K
    (e.g. `[1, 128]` x `[128, 128]`, or MX `[1, 32]` x `[1, 32]`);
    E8M0 scales are for MX block scaling only, on both operands. With a
    dynamic K, the A and B scales must count the same groups along K where
    both counts are static (each is `ceildiv(K, group)`); a rowwise A (one
    group: all of K) next to a B blocked along a dynamic K is accepted, as
    it is right whenever K is at most the block.

    Two-level (NVFP4) operands: `f8E4M3FN` block scales on both A and B,
    16 elements along K, with the rank-0 per-tensor scales
    `a_global(%ga)` and `b_global(%gb)` (required then, and only then):
    `D = (sum_k (A * sA) * (B * sB)) * (ga * gb)`, the global product
    applied once after the f32 accumulation (the `alpha` of a block-scaled
    GEMM).

    ```mlir
    %d = fp8.scaled_matmul %a, %sa, %b, %sb
        {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>,
         transpose_b}
        : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>,
          tensor<f32> -> tensor<128x64xbf16>
    %y, %amax = fp8.scaled_matmul %a, %sa, %b, %sb
        bias(%bias : tensor<64xf32>) out_scale(%os : tensor<f32>)
        {a_scaling = #fp8.scaling<block [1, 128]>,
         b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
        : tensor<128x256xf8E4M3FN>, tensor<128x2xf32>, tensor<64x256xf8E4M3FN>,
          tensor<1x2xf32> -> tensor<128x64xf8E4M3FN>, tensor<f32>
    ```
  }];
  let arguments = (ins FP8_NarrowTensor:$a,
                       FP8_ScaleTensor:$a_scale,
                       FP8_NarrowTensor:$b,
                       FP8_ScaleTensor:$b_scale,
                       Optional<FP8_WideTensor>:$bias,
                       Optional<FP8_F32Tensor>:$out_scale,
                       Optional<FP8_F32Tensor>:$a_global,
                       Optional<FP8_F32Tensor>:$b_global,
                       FP8_ScalingAttr:$a_scaling,
                       FP8_ScalingAttr:$b_scaling,
                       UnitAttr:$transpose_b);
  let results = (outs
      RankedTensorOf<[F32, BF16, F16, F8E4M3FN, F8E5M2]>:$result,
      Optional<FP8_F32Tensor>:$amax);
  let assemblyFormat = [{
    $a `,` $a_scale `,` $b `,` $b_scale
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`out_scale` `(` $out_scale^ `:` type($out_scale) `)`)?
    (`a_global` `(` $a_global^ `:` type($a_global) `)`)?
    (`b_global` `(` $b_global^ `:` type($b_global) `)`)?
    attr-dict `:` type($a) `,` type($a_scale) `,` type($b) `,` type($b_scale)
    `->` type($result) (`,` type($amax)^)?
  }];
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "Type":$result, "Type":$amax, "Value":$a, "Value":$a_scale,
                   "Value":$b, "Value":$b_scale, "Value":$bias,
                   "Value":$out_scale, "ScalingAttr":$a_scaling,
                   "ScalingAttr":$b_scaling, "bool":$transpose_b), [{
      build($_builder, $_state, result, amax, a, a_scale, b, b_scale, bias,
            out_scale, /*a_global=*/Value(), /*b_global=*/Value(), a_scaling,
            b_scaling, transpose_b);
    }]>
  ];
  let extraClassDeclaration = [{
    /// A is [b..., M, K]; these give M, N, K (kDynamic where dynamic).
    int64_t getM();
    int64_t getN();
    int64_t getK();
  }];
}

//===----------------------------------------------------------------------===//
// Delayed scaling state
//===----------------------------------------------------------------------===//

def FP8_AmaxHistoryPushOp : FP8_Op<"amax_history_push",
    [Pure, AllTypesMatch<["history", "result"]>]> {
  let summary = "roll an amax history by one and write the newest amax";
  let description = [{
    `history` is `[L, g...]` f32, where `g...` is the amax shape. The result
    is the history rolled by one towards higher indices (the oldest entry,
    at `L - 1`, drops out) with `amax` written to slot 0:
    `result[0] = amax`, `result[i] = history[i - 1]` for `0 < i < L`.

    ```mlir
    %h1 = fp8.amax_history_push %h0, %amax : tensor<1024xf32>, tensor<f32>
    ```
  }];
  let arguments = (ins FP8_F32Tensor:$history, FP8_F32Tensor:$amax);
  let results = (outs FP8_F32Tensor:$result);
  let assemblyFormat = [{
    $history `,` $amax attr-dict `:` type($history) `,` type($amax)
  }];
  let hasVerifier = 1;
}

def FP8_ScaleFromHistoryOp : FP8_Op<"scale_from_history", [Pure]> {
  let summary = "decode scale from an amax history (delayed scaling)";
  let description = [{
    Reduces the history `[L, g...]` along its first dim to one amax per
    group (`algo = max`: the largest of the `L` entries, NaN propagating;
    `algo = most_recent`: entry 0), then applies the `fp8.scale_from_amax`
    rule for `format`, `margin` and `pow2` (f32 scales only). The result has
    shape `g...`.

    ```mlir
    %s = fp8.scale_from_history %h {algo = #fp8.algo<max>, format = f8E4M3FN}
        : tensor<1024xf32> -> tensor<f32>
    ```
  }];
  let arguments = (ins FP8_F32Tensor:$history,
                       FP8_HistoryAlgoAttr:$algo,
                       TypeAttr:$format,
                       DefaultValuedAttr<I64Attr, "0">:$margin,
                       UnitAttr:$pow2);
  let results = (outs FP8_F32Tensor:$scale);
  let assemblyFormat = [{
    $history attr-dict `:` type($history) `->` type($scale)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Fused ops: what `fp8-fuse-quantize` makes of op chains that one GPU kernel
// runs. Each equals the chain it replaces.
//===----------------------------------------------------------------------===//

def FP8_QuantizeWithAmaxOp : FP8_Op<"quantize_with_amax", [Pure]> {
  let summary = "quantize with the scales of the data's own amax";
  let description = [{
    Quantizes `input` with scales computed from its own amax, and returns
    the data and the scales. It equals

    ```mlir
    %a = fp8.amax %x {scaling = S} : ...
    %s = fp8.scale_from_amax %a {format = F, margin = M, pow2, mx_scale = R}
        : ...
    %q = fp8.quantize %x, %s {scaling = S, saturate = T} : ...
    ```

    with the attributes of those three ops (`scaling` of amax and quantize,
    `format`, `margin`, `pow2` and `mx_scale` of scale_from_amax, `saturate`
    of quantize) and results `%q, %s`. `fp8-fuse-quantize` forms it where
    one GPU kernel computes amax, scales and data (rowwise and block
    scaling), and `convert-fp8-to-gpu` launches that kernel.

    ```mlir
    %q, %s = fp8.quantize_with_amax %x {format = f8E4M3FN,
        scaling = #fp8.scaling<block [1, 128]>}
        : tensor<256x512xbf16> -> tensor<256x512xf8E4M3FN>, tensor<256x4xf32>
    ```
  }];
  let arguments = (ins FP8_WideTensor:$input,
                       FP8_ScalingAttr:$scaling,
                       TypeAttr:$format,
                       DefaultValuedAttr<I64Attr, "0">:$margin,
                       UnitAttr:$pow2,
                       OptionalAttr<FP8_MXScaleRoundingAttr>:$mx_scale,
                       DefaultValuedAttr<BoolAttr, "true">:$saturate);
  let results = (outs FP8_NarrowTensor:$result, FP8_ScaleTensor:$scale);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result) `,` type($scale)
  }];
  let hasVerifier = 1;
}

def FP8_QuantizeTransposedOp : FP8_Op<"quantize_transposed", [Pure]> {
  let summary = "quantize the transpose of the last two dimensions";
  let description = [{
    Quantizes the transpose of `input`'s last two dimensions: for `input`
    of shape `[b..., C, R]` the result has shape `[b..., R, C]`, and
    `scale` and `scaling` are those of the result shape. It equals

    ```mlir
    %t = linalg.transpose ins(%x : ...) outs(%init : ...)
        permutation = [0, ..., n - 1, n - 2]
    %q = fp8.quantize %t, %s {scaling = S, saturate = T} : ...
    ```

    `fp8-fuse-quantize` forms it where a GPU kernel reads `input` in place
    (tiles transposed through shared memory), so no transposed copy is
    made, e.g. for a weight made K-major for the GEMM.

    ```mlir
    %q = fp8.quantize_transposed %w, %s {scaling = #fp8.scaling<tensor>}
        : tensor<512x256xf32>, tensor<f32> -> tensor<256x512xf8E4M3FN>
    ```
  }];
  let arguments = (ins FP8_WideTensor:$input,
                       FP8_ScaleTensor:$scale,
                       FP8_ScalingAttr:$scaling,
                       DefaultValuedAttr<BoolAttr, "true">:$saturate);
  let results = (outs FP8_NarrowTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale attr-dict `:` type($input) `,` type($scale)
    `->` type($result)
  }];
  let hasVerifier = 1;
}

def FP8_AmaxTransposedOp : FP8_Op<"amax_transposed", [Pure]> {
  let summary = "amax per scale group of the transpose of the last two "
                "dimensions";
  let description = [{
    The `fp8.amax` of the transpose of `input`'s last two dimensions: for
    `input` of shape `[b..., C, R]` the groups of `scaling` are those of
    the shape `[b..., R, C]`, and so is the result's shape. It equals
    `fp8.amax` of `linalg.transpose` with permutation
    `[0, ..., n - 1, n - 2]`. `fp8-fuse-quantize` forms it where a GPU
    kernel reads `input` in place.

    ```mlir
    %a = fp8.amax_transposed %w {scaling = #fp8.scaling<block [1, 128]>}
        : tensor<512x256xf32> -> tensor<256x4xf32>
    ```
  }];
  let arguments = (ins FP8_WideTensor:$input, FP8_ScalingAttr:$scaling);
  let results = (outs FP8_F32Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // FP8_DIALECT_FP8_IR_FP8OPS_TD
