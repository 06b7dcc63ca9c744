//===- LowerScalingToLinalg.cpp - amax, scales, quantize to linalg --------===//
//
// Part of fp8-mlir. Lowers fp8.amax, fp8.scale_from_amax, fp8.quantize and
// fp8.dequantize to linalg.generic on tensors. Each element finds the scale
// of its group through an indexing map (floordiv by the block extents), so
// ragged last tiles and batch dims need no special cases.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/LowerToLinalgUtils.h"

#include "fp8/Dialect/FP8/IR/FP8Ops.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::lowering;

namespace {

/// Lowers `fp8.amax` to a reduction of `|x|` with `arith.maximumf` (NaN
/// propagates) into a zero-filled tensor of the scale shape; the group map
/// sends every element to the amax of its group.
struct AmaxToLinalg : OpRewritePattern<AmaxOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AmaxOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    unsigned rank = op.getInput().getType().getRank();
    AffineMap groupMap = getScaleMap(
        op.getScaling(), getLoopExprs(rank, getContext()), rank, getContext());
    Value init = createFilledTensor(
        rewriter, loc, op.getType(),
        getScaleSizes(rewriter, loc, op.getScaling(), input), 0.0);
    rewriter.replaceOp(op, buildMaxReduction(rewriter, loc, input, init,
                                             groupMap, /*absolute=*/true));
    return success();
  }
};

/// Lowers `fp8.scale_from_amax` to an elementwise generic applying the scale
/// rule of docs/numerics.md ("Scale from amax") to every amax.
struct ScaleFromAmaxToLinalg : OpRewritePattern<ScaleFromAmaxOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ScaleFromAmaxOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType scaleType = op.getType();
    ScaleRule rule;
    rule.format = op.getFormat();
    rule.margin = op.getMargin();
    rule.pow2 = op.getPow2();
    rule.scaleType = scaleType.getElementType();
    rule.mxRounding = op.getMxScale().value_or(MXScaleRounding::ceil);
    if (std::optional<Type> blockScaleType = op.getBlockScaleType())
      rule.blockScaleType = *blockScaleType;

    Value amax = op.getAmax();
    Value init = createEmptyTensor(rewriter, loc, scaleType,
                                   tensor::getMixedSizes(rewriter, loc, amax));
    if (Value global = op.getGlobalScale()) {
      // Two-level (NVFP4) block scales, relative to the per-tensor scale.
      unsigned rank = scaleType.getRank();
      rewriter.replaceOp(
          op, buildElementwise(
                  rewriter, loc, init, {amax, global},
                  {rewriter.getMultiDimIdentityMap(rank),
                   AffineMap::get(rank, 0, getContext())},
                  [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
                    return buildTwoLevelBlockScale(b, nestedLoc, args[0],
                                                   args[1], rule);
                  }));
      return success();
    }
    rewriter.replaceOp(op,
                       buildScalesFromAmaxes(rewriter, loc, amax, init, rule));
    return success();
  }
};

/// The 8 random bits of the element at the current loop indices of a generic
/// over a tensor of `sizes`, for stochastic rounding with `seed` and
/// `offset`: byte 3, 1, 2 or 0 (for i % 4 = 0, 1, 2, 3) of the random word
/// `offset + i / 4`, where i is the row-major linear index (the bytes PTX
/// `cvt.rs...e2m1x4` gives its operands a, b, e, f). An i64 in [0, 256).
static Value buildElementRandomByte(OpBuilder &b, Location loc,
                                    ArrayRef<Value> sizes, int64_t seed,
                                    int64_t offset) {
  Type i64 = b.getI64Type();
  auto constant = [&](int64_t value) {
    return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(value));
  };
  Value linear = constant(0);
  for (auto [dim, size] : llvm::enumerate(sizes)) {
    Value index = arith::IndexCastOp::create(
        b, loc, i64, linalg::IndexOp::create(b, loc, dim));
    linear = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, linear, size), index);
  }
  Value word = arith::AddIOp::create(
      b, loc, constant(offset),
      arith::ShRUIOp::create(b, loc, linear, constant(2)));
  Value bits = buildRandomBits(b, loc, constant(seed), word);
  // shift = 24 - 16 * (i & 1) - 8 * ((i >> 1) & 1): 24, 8, 16, 0.
  Value lane = arith::AndIOp::create(b, loc, linear, constant(3));
  Value odd = arith::AndIOp::create(b, loc, lane, constant(1));
  Value high = arith::ShRUIOp::create(b, loc, lane, constant(1));
  Value shift = arith::SubIOp::create(
      b, loc,
      arith::SubIOp::create(b, loc, constant(24),
                            arith::MulIOp::create(b, loc, odd, constant(16))),
      arith::MulIOp::create(b, loc, high, constant(8)));
  return arith::AndIOp::create(b, loc,
                               arith::ShRUIOp::create(b, loc, bits, shift),
                               constant(0xFF));
}

/// Lowers `fp8.quantize` to an elementwise generic computing
/// `cast(f32(x) / f32(scale of x's group))`: saturating (clamp, then
/// `arith.truncf`) or a plain `arith.truncf`; with `sr_seed`, the value is
/// first rounded stochastically to an E2M1 value (buildStochasticRoundToFP4),
/// which the cast then keeps exactly.
struct QuantizeToLinalg : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    RankedTensorType resultType = op.getType();
    Type format = resultType.getElementType();
    bool saturate = op.getSaturate();
    unsigned rank = resultType.getRank();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap scaleMap = getScaleMap(
        op.getScaling(), getLoopExprs(rank, getContext()), rank, getContext());

    Value init = createEmptyTensor(rewriter, loc, resultType,
                                   tensor::getMixedSizes(rewriter, loc, input));
    // The sizes (i64) that give each element its linear index, for the
    // random bits of stochastic rounding.
    SmallVector<Value> sizes;
    std::optional<int64_t> srSeed = op.getSrSeed();
    if (srSeed) {
      for (OpFoldResult size : tensor::getMixedSizes(rewriter, loc, input))
        sizes.push_back(arith::IndexCastOp::create(
            rewriter, loc, rewriter.getI64Type(),
            getValueOrCreateConstantIndexOp(rewriter, loc, size)));
    }
    int64_t srOffset = op.getSrOffset().value_or(0);
    SmallVector<Value> inputs = {input, op.getScale()};
    SmallVector<AffineMap> maps = {identity, scaleMap};
    if (Value global = op.getGlobalScale()) {
      inputs.push_back(global);
      maps.push_back(AffineMap::get(rank, 0, getContext()));
    }
    Value result = buildElementwise(
        rewriter, loc, init, inputs, maps,
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
          Type f32 = b.getF32Type();
          Value x = castFloat(b, nestedLoc, args[0], f32);
          Value scale = castFloat(b, nestedLoc, args[1], f32);
          Value scaled;
          if (args.size() == 3) {
            // Two-level: x * ((1 / global) / scale), torchao's form.
            Value one = arith::ConstantOp::create(b, nestedLoc,
                                                  b.getF32FloatAttr(1.0f));
            Value inverse = arith::DivFOp::create(
                b, nestedLoc, arith::DivFOp::create(b, nestedLoc, one, args[2]),
                scale);
            scaled = arith::MulFOp::create(b, nestedLoc, x, inverse);
          } else {
            scaled = arith::DivFOp::create(b, nestedLoc, x, scale);
          }
          if (srSeed)
            scaled = buildStochasticRoundToFP4(
                b, nestedLoc, scaled,
                buildElementRandomByte(b, nestedLoc, sizes, *srSeed,
                                       srOffset));
          return castToNarrow(b, nestedLoc, scaled, format, saturate);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers `fp8.dequantize` to an elementwise generic computing
/// `round(f32(q) * f32(scale of q's group))`.
struct DequantizeToLinalg : OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DequantizeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    RankedTensorType resultType = op.getType();
    Value init = createEmptyTensor(rewriter, loc, resultType,
                                   tensor::getMixedSizes(rewriter, loc, input));
    if (Value global = op.getGlobalScale()) {
      // Two-level: (q * scale) * global in f32, then one rounding.
      unsigned rank = resultType.getRank();
      AffineMap scaleMap =
          getScaleMap(op.getScaling(), getLoopExprs(rank, getContext()), rank,
                      getContext());
      Type resultElement = resultType.getElementType();
      rewriter.replaceOp(
          op, buildElementwise(
                  rewriter, loc, init, {input, op.getScale(), global},
                  {rewriter.getMultiDimIdentityMap(rank), scaleMap,
                   AffineMap::get(rank, 0, getContext())},
                  [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
                    Type f32 = b.getF32Type();
                    Value value = arith::MulFOp::create(
                        b, nestedLoc, castFloat(b, nestedLoc, args[0], f32),
                        castFloat(b, nestedLoc, args[1], f32));
                    value = arith::MulFOp::create(b, nestedLoc, value, args[2]);
                    return castFloat(b, nestedLoc, value, resultElement);
                  }));
      return success();
    }
    rewriter.replaceOp(
        op, buildDequantize(rewriter, loc, input, op.getScale(),
                            op.getScaling(), init,
                            getLoopExprs(resultType.getRank(), getContext())));
    return success();
  }
};

} // namespace

void fp8::populateLowerScalingToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<AmaxToLinalg, ScaleFromAmaxToLinalg, QuantizeToLinalg,
               DequantizeToLinalg>(patterns.getContext());
}
