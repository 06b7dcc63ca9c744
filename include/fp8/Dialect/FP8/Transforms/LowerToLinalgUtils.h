//===- LowerToLinalgUtils.h - fp8-lower-to-linalg helpers -------*- C++ -*-===//
//
// Part of fp8-mlir. The pieces every fp8 -> linalg pattern shares (scale
// indexing maps, elementwise and max-reduction generics, the scalar numerics
// of docs/numerics.md) and the entry points of the per-op-group pattern
// files. The GPU kernels reuse the scalar numerics (buildScaleFromAmax) so
// that both paths compute scales with the same ops.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_LOWERTOLINALGUTILS_H
#define FP8_DIALECT_FP8_TRANSFORMS_LOWERTOLINALGUTILS_H

#include "fp8/Dialect/FP8/IR/FP8Attrs.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"

namespace mlir {
class RewritePatternSet;
namespace fp8 {

//===----------------------------------------------------------------------===//
// Pattern entry points (one per file)
//===----------------------------------------------------------------------===//

/// fp8.amax, fp8.scale_from_amax, fp8.quantize, fp8.dequantize.
void populateLowerScalingToLinalgPatterns(RewritePatternSet &patterns);
/// fp8.scaled_matmul.
void populateLowerMatmulToLinalgPatterns(RewritePatternSet &patterns);
/// fp8.amax_history_push, fp8.scale_from_history.
void populateLowerHistoryToLinalgPatterns(RewritePatternSet &patterns);
/// The fused ops of fp8-fuse-quantize, as the unfused chains they stand for.
void populateLowerFusedToLinalgPatterns(RewritePatternSet &patterns);
/// fp8.hadamard.
void populateLowerHadamardToLinalgPatterns(RewritePatternSet &patterns);

namespace lowering {

//===----------------------------------------------------------------------===//
// Scalar numerics (emitted inside generic bodies)
//===----------------------------------------------------------------------===//

/// Converts a float scalar to `type`: `arith.extf` to a wider type,
/// `arith.truncf` to a narrower one (round to nearest even), through f32
/// between two different types of the same width (bf16 <-> f16).
Value castFloat(OpBuilder &b, Location loc, Value value, Type type);

/// Rounds an f32 scalar to the narrow `format`. With `saturate`, clamps to
/// +-max(format) first (`arith.maximumf`/`minimumf`: NaN stays NaN, +-inf
/// becomes +-max); the cast itself is `arith.truncf`.
Value castToNarrow(OpBuilder &b, Location loc, Value value, Type format,
                   bool saturate);

/// The 32 random bits of word `counter` (i64) for stochastic rounding with
/// `seed` (i64): the high half of the counter-th output (0-based) of
/// SplitMix64 seeded with `seed`, as an i64 in [0, 2^32).
Value buildRandomBits(OpBuilder &b, Location loc, Value seed, Value counter);

/// Rounds an f32 scalar (already divided by its scale) to E2M1 at random
/// with the 8-bit random number `randomByte` (i64 in [0, 256)): |v| >= 6
/// gives 6; else, with E2M1 neighbours lo <= |v| < hi, away from zero
/// exactly when floor(256 * (|v| - lo) / (hi - lo)) + randomByte >= 256.
/// NaN stays NaN; the result (f32, an E2M1 value) keeps the sign of v.
Value buildStochasticRoundToFP4(OpBuilder &b, Location loc, Value value,
                                Value randomByte);

/// How an amax becomes a decode scale (docs/numerics.md, "Scale from amax").
struct ScaleRule {
  /// The narrow data format the scale targets.
  Type format;
  /// The scale is multiplied by 2^margin.
  int64_t margin = 0;
  /// f32 scales only: round the scale up to a power of two.
  bool pow2 = false;
  /// f32 or f8E8M0FNU.
  Type scaleType;
  /// E8M0 scales only.
  MXScaleRounding mxRounding = MXScaleRounding::ceil;
  /// f32 scales only: set (to f8E4M3FN) for the per-tensor scale of
  /// two-level (NVFP4) scaling, `amax / (fmax * max(blockScaleType))`.
  Type blockScaleType;
};

/// The decode scale of an f32 `amax` under `rule`, of type `rule.scaleType`:
///   f32:         (amax / fmax) * 2^margin, each step rounded to f32;
///   f32 + pow2:  2^(ceil(log2(amax / fmax)) + margin);
///   E8M0 ceil:   2^(ceil(log2(amax / fmax)) + margin);
///   E8M0 floor:  2^(floor(log2(amax)) - emax(format) + margin).
/// The logarithms are exact (read off the bits of amax; no rounded
/// quotient), and powers of two are built exactly with their exponent
/// clamped to [-149, 128] for f32 (128 gives +inf) and [-127, 127] for E8M0.
/// Where amax is not in (0, +inf), i.e. 0, +-inf, NaN or negative, the scale
/// is 1.
Value buildScaleFromAmax(OpBuilder &b, Location loc, Value amax,
                         const ScaleRule &rule);

//===----------------------------------------------------------------------===//
// Indexing maps
//===----------------------------------------------------------------------===//

/// The map from the `numLoops` loops of a generic to the scale of the group
/// that holds the data element at `dataIndices` (the element's indices in
/// the data tensor as stored, as expressions of the loops) under `scaling`:
/// `()` for tensor scaling, `(b.., row, 0)` for rowwise and
/// `(b.., row floordiv r, col floordiv c)` for block [r, c].
AffineMap getScaleMap(ScalingAttr scaling, ArrayRef<AffineExpr> dataIndices,
                      unsigned numLoops, MLIRContext *context);

/// The loops `d0 .. d(count - 1)` as affine expressions.
SmallVector<AffineExpr> getLoopExprs(unsigned count, MLIRContext *context);

//===----------------------------------------------------------------------===//
// Tensors and generics
//===----------------------------------------------------------------------===//

/// A `tensor.empty` of `type` whose dynamic dims take their size from
/// `sizes` (one per dim; static dims of `type` win).
Value createEmptyTensor(OpBuilder &b, Location loc, RankedTensorType type,
                        ArrayRef<OpFoldResult> sizes);

/// Like createEmptyTensor, every element set to the float `value`.
Value createFilledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                         ArrayRef<OpFoldResult> sizes, double value);

/// The sizes of the scale tensor of `data` under `scaling` (ceil-div for
/// block scaling, so a ragged last tile is a group of its own).
SmallVector<OpFoldResult> getScaleSizes(OpBuilder &b, Location loc,
                                        ScalingAttr scaling, Value data);

/// Builds the scalar result of an elementwise body from the block arguments
/// of the generic's inputs (the output's argument is not passed).
using ElementwiseBodyFn =
    function_ref<Value(OpBuilder &b, Location loc, ValueRange inputs)>;

/// A `linalg.generic` with all-parallel loops over the shape of `init`
/// (identity output map), reading `inputs` through `inputMaps`, whose body
/// yields `body(inputs...)`. Returns its result.
Value buildElementwise(OpBuilder &b, Location loc, Value init,
                       ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                       ElementwiseBodyFn body);

/// The f8E4M3FN block scale of two-level (NVFP4) scaling of an f32 `amax`
/// for the per-tensor scale `global` (f32):
/// `e4m3(clamp((amax / fmax) * 2^margin / global, 2^-6, 448))`, or 1 where
/// amax is 0, +-inf or NaN.
Value buildTwoLevelBlockScale(OpBuilder &b, Location loc, Value amax,
                              Value global, const ScaleRule &rule);

/// An elementwise generic turning every element of the f32 tensor `amax`
/// into its decode scale under `rule` (buildScaleFromAmax), written into
/// `init` (the shape of `amax`, elements of `rule.scaleType`).
Value buildScalesFromAmaxes(OpBuilder &b, Location loc, Value amax, Value init,
                            const ScaleRule &rule);

/// A `linalg.generic` that folds every element of `input` (identity map,
/// converted to f32, `|x|` when `absolute`) into `init` at `outputMap` with
/// `arith.maximumf`, which propagates NaN. A loop is parallel when it indexes
/// the output directly, a reduction otherwise.
Value buildMaxReduction(OpBuilder &b, Location loc, Value input, Value init,
                        AffineMap outputMap, bool absolute);

/// Dequantizes `data` into `init` (f32, bf16 or f16):
/// `init[i] = round(f32(data[dataIndices(i)]) * f32(scale of its group))`,
/// where `dataIndices` places each element of `init` in `data` (the
/// identity, or a transposition) and `scaling` groups `data` as stored.
Value buildDequantize(OpBuilder &b, Location loc, Value data, Value scale,
                      ScalingAttr scaling, Value init,
                      ArrayRef<AffineExpr> dataIndices);

} // namespace lowering
} // namespace fp8
} // namespace mlir

#endif // FP8_DIALECT_FP8_TRANSFORMS_LOWERTOLINALGUTILS_H
