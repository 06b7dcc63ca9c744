//===- LowerFusedToLinalg.cpp - fused fp8 ops to their unfused chains -----===//
//
// Part of fp8-mlir. The fused ops that fp8-fuse-quantize forms for the GPU
// (fp8.quantize_with_amax, fp8.quantize_transposed, fp8.amax_transposed)
// are defined as chains of unfused ops; their reference lowering builds
// exactly those chains, which the other fp8-lower-to-linalg patterns then
// lower. So a fused op computes, bit for bit, what the chain it replaced
// computed.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/LowerToLinalgUtils.h"

#include "fp8/Dialect/FP8/IR/FP8Ops.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::fp8;

/// `linalg.transpose` of the last two dimensions of `input` (dynamic sizes
/// included): `[b..., C, R]` to `[b..., R, C]`.
static Value transposeLastTwoDims(OpBuilder &builder, Location loc,
                                  Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(builder, loc, input);
  std::swap(sizes[rank - 2], sizes[rank - 1]);
  Value init =
      tensor::EmptyOp::create(builder, loc, sizes, type.getElementType());
  SmallVector<int64_t> permutation = llvm::to_vector(llvm::seq<int64_t>(rank));
  std::swap(permutation[rank - 2], permutation[rank - 1]);
  return linalg::TransposeOp::create(builder, loc, input, init, permutation)
      .getResult()
      .front();
}

namespace {

/// `fp8.quantize_with_amax` -> `fp8.amax`, `fp8.scale_from_amax`,
/// `fp8.quantize` with the op's attributes; the scales are its second
/// result.
struct QuantizeWithAmaxToChain : OpRewritePattern<QuantizeWithAmaxOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeWithAmaxOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto scaleType = cast<RankedTensorType>(op.getScale().getType());
    auto amaxType = scaleType.clone(rewriter.getF32Type());
    Value amax = AmaxOp::create(rewriter, loc, amaxType, op.getInput(),
                                op.getScalingAttr());
    Value scale = ScaleFromAmaxOp::create(
        rewriter, loc, scaleType, amax, op.getFormatAttr(),
        op.getMarginAttr(), op.getPow2Attr(), op.getMxScaleAttr());
    Value result = QuantizeOp::create(rewriter, loc, op.getResult().getType(),
                                      op.getInput(), scale,
                                      op.getScalingAttr(), op.getSaturateAttr());
    rewriter.replaceOp(op, {result, scale});
    return success();
  }
};

/// `fp8.quantize_transposed` -> `linalg.transpose` of the last two dims,
/// then `fp8.quantize`.
struct QuantizeTransposedToChain : OpRewritePattern<QuantizeTransposedOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeTransposedOp op,
                                PatternRewriter &rewriter) const override {
    Value transposed =
        transposeLastTwoDims(rewriter, op.getLoc(), op.getInput());
    rewriter.replaceOpWithNewOp<QuantizeOp>(
        op, op.getResult().getType(), transposed, op.getScale(),
        op.getScalingAttr(), op.getSaturateAttr());
    return success();
  }
};

/// `fp8.amax_transposed` -> `linalg.transpose` of the last two dims, then
/// `fp8.amax`.
struct AmaxTransposedToChain : OpRewritePattern<AmaxTransposedOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AmaxTransposedOp op,
                                PatternRewriter &rewriter) const override {
    Value transposed =
        transposeLastTwoDims(rewriter, op.getLoc(), op.getInput());
    rewriter.replaceOpWithNewOp<AmaxOp>(op, op.getResult().getType(),
                                        transposed, op.getScalingAttr());
    return success();
  }
};

} // namespace

void fp8::populateLowerFusedToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<QuantizeWithAmaxToChain, QuantizeTransposedToChain,
               AmaxTransposedToChain>(patterns.getContext());
}
