//===- LowerHistoryToLinalg.cpp - delayed scaling state to linalg ---------===//
//
// Part of fp8-mlir. Lowers fp8.amax_history_push to tensor slices and
// fp8.scale_from_history to a reduction over the history followed by the
// scale_from_amax rule.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/LowerToLinalgUtils.h"

#include "fp8/Dialect/FP8/IR/FP8Ops.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::lowering;

namespace {
/// The offsets, sizes and strides of a slice of a history.
struct HistorySlice {
  SmallVector<OpFoldResult> offsets, sizes, strides;
};
} // namespace

/// `[offset, 0, ...]`, `[length, sizes...]` and unit strides: the slice of
/// `length` entries of a history `[L, sizes...]` starting at entry `offset`.
static HistorySlice getHistorySlice(OpBuilder &b, OpFoldResult offset,
                                    OpFoldResult length,
                                    ArrayRef<OpFoldResult> groupSizes) {
  HistorySlice slice;
  slice.offsets.assign(groupSizes.size() + 1, b.getIndexAttr(0));
  slice.offsets[0] = offset;
  slice.sizes.push_back(length);
  llvm::append_range(slice.sizes, groupSizes);
  slice.strides.assign(groupSizes.size() + 1, b.getIndexAttr(1));
  return slice;
}

namespace {

/// Lowers `fp8.amax_history_push` to slice copies into a new history:
/// entries [0, L - 1) of the old history go to [1, L), and the amax goes to
/// entry 0.
struct AmaxHistoryPushToLinalg : OpRewritePattern<AmaxHistoryPushOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AmaxHistoryPushOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value history = op.getHistory();
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, history);
    ArrayRef<OpFoldResult> groupSizes = ArrayRef(sizes).drop_front();

    // L - 1 entries are kept.
    OpFoldResult kept;
    if (std::optional<int64_t> length = getConstantIntValue(sizes[0])) {
      kept = rewriter.getIndexAttr(*length - 1);
    } else {
      Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
      kept = arith::SubIOp::create(rewriter, loc, cast<Value>(sizes[0]), one)
                 .getResult();
    }

    Value result = createEmptyTensor(rewriter, loc, op.getType(), sizes);
    HistorySlice older =
        getHistorySlice(rewriter, rewriter.getIndexAttr(0), kept, groupSizes);
    Value olderEntries = tensor::ExtractSliceOp::create(
        rewriter, loc, history, older.offsets, older.sizes, older.strides);
    HistorySlice shifted =
        getHistorySlice(rewriter, rewriter.getIndexAttr(1), kept, groupSizes);
    result = tensor::InsertSliceOp::create(rewriter, loc, olderEntries, result,
                                           shifted.offsets, shifted.sizes,
                                           shifted.strides);
    HistorySlice newest = getHistorySlice(rewriter, rewriter.getIndexAttr(0),
                                          rewriter.getIndexAttr(1), groupSizes);
    result = tensor::InsertSliceOp::create(rewriter, loc, op.getAmax(), result,
                                           newest.offsets, newest.sizes,
                                           newest.strides);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers `fp8.scale_from_history` to one amax per group (the max over the
/// history with `arith.maximumf`, NaN propagating, or entry 0), then an
/// elementwise generic applying the scale_from_amax rule.
struct ScaleFromHistoryToLinalg : OpRewritePattern<ScaleFromHistoryOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ScaleFromHistoryOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = getContext();
    Value history = op.getHistory();
    RankedTensorType scaleType = op.getType();
    unsigned historyRank = op.getHistory().getType().getRank();
    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, history);
    ArrayRef<OpFoldResult> groupSizes = ArrayRef(sizes).drop_front();

    Value amax;
    if (op.getAlgo() == HistoryAlgo::max) {
      Value init =
          createFilledTensor(rewriter, loc, scaleType, groupSizes, -INFINITY);
      AffineMap groupMap = AffineMap::get(
          historyRank, 0,
          ArrayRef(getLoopExprs(historyRank, context)).drop_front(), context);
      amax = buildMaxReduction(rewriter, loc, history, init, groupMap,
                               /*absolute=*/false);
    } else {
      HistorySlice newest =
          getHistorySlice(rewriter, rewriter.getIndexAttr(0),
                          rewriter.getIndexAttr(1), groupSizes);
      // Entry 0, with the unit history dim dropped.
      RankedTensorType entryType =
          tensor::ExtractSliceOp::inferCanonicalRankReducedResultType(
              scaleType.getRank(), op.getHistory().getType(), newest.sizes);
      amax = tensor::ExtractSliceOp::create(rewriter, loc, entryType, history,
                                            newest.offsets, newest.sizes,
                                            newest.strides);
    }

    ScaleRule rule;
    rule.format = op.getFormat();
    rule.margin = op.getMargin();
    rule.pow2 = op.getPow2();
    rule.scaleType = scaleType.getElementType();
    Value init = createEmptyTensor(rewriter, loc, scaleType, groupSizes);
    rewriter.replaceOp(op,
                       buildScalesFromAmaxes(rewriter, loc, amax, init, rule));
    return success();
  }
};

} // namespace

void fp8::populateLowerHistoryToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<AmaxHistoryPushToLinalg, ScaleFromHistoryToLinalg>(
      patterns.getContext());
}
