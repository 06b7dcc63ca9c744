//===- LowerHadamardToLinalg.cpp - fp8.hadamard to linalg -----------------===//
//
// Part of fp8-mlir. Lowers fp8.hadamard to one linalg.generic contracting
// each block of n elements along the last dim with the constant n x n
// matrix D H / sqrt(n), then a rounding to the result element type.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/LowerToLinalgUtils.h"

#include "fp8/Dialect/FP8/IR/FP8Ops.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/bit.h"

#include <cmath>

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::lowering;

/// The f32 matrix `M[r][c] = s[r] * (-1)^popcount(r & c) / sqrt(n)` of
/// fp8.hadamard, row-major.
static SmallVector<float> getRandomHadamardMatrix(ArrayRef<bool> signs) {
  int64_t n = signs.size();
  float norm = 1.0f / std::sqrt(static_cast<float>(n));
  SmallVector<float> matrix;
  matrix.reserve(n * n);
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < n; ++c) {
      bool negative = (llvm::popcount(static_cast<uint64_t>(r & c)) % 2 == 1) !=
                      signs[r];
      matrix.push_back(negative ? -norm : norm);
    }
  return matrix;
}

namespace {

/// Lowers `fp8.hadamard` to
///   y[..., k] = sum_r f32(x[..., (k floordiv n) * n + r]) * M[r, k mod n]
/// over the loops (..., k, r), accumulated in f32 from zero in order of r,
/// then rounded to the result element type.
struct HadamardToLinalg : OpRewritePattern<HadamardOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(HadamardOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = getContext();
    Value input = op.getInput();
    RankedTensorType resultType = op.getType();
    unsigned rank = resultType.getRank();
    int64_t n = op.getSigns().size();

    auto matrixType = RankedTensorType::get({n, n}, rewriter.getF32Type());
    SmallVector<float> matrixValues = getRandomHadamardMatrix(op.getSigns());
    Value matrix = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(matrixType,
                               ArrayRef<float>(matrixValues)));

    // Loops d0 .. d(rank - 1) index the result; d(rank) is r.
    SmallVector<AffineExpr> loops = getLoopExprs(rank + 1, context);
    AffineExpr k = loops[rank - 1], r = loops[rank];
    SmallVector<AffineExpr> inputExprs(loops.begin(), loops.begin() + rank);
    inputExprs.back() = k.floorDiv(n) * n + r;
    AffineMap inputMap = AffineMap::get(rank + 1, 0, inputExprs, context);
    AffineMap matrixMap = AffineMap::get(rank + 1, 0, {r, k % n}, context);
    AffineMap outputMap = AffineMap::get(
        rank + 1, 0, ArrayRef(loops).take_front(rank), context);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);

    SmallVector<OpFoldResult> sizes =
        tensor::getMixedSizes(rewriter, loc, input);
    Value zero = createFilledTensor(
        rewriter, loc, resultType.clone(rewriter.getF32Type()), sizes, 0.0);
    Value sum =
        linalg::GenericOp::create(
            rewriter, loc, zero.getType(), ValueRange{input, matrix},
            ValueRange{zero},
            SmallVector<AffineMap>{inputMap, matrixMap, outputMap},
            iterators,
            [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
              Value x = castFloat(b, nestedLoc, args[0], b.getF32Type());
              Value product = arith::MulFOp::create(b, nestedLoc, x, args[1]);
              Value total = arith::AddFOp::create(b, nestedLoc, args[2],
                                                  product);
              linalg::YieldOp::create(b, nestedLoc, total);
            })
            ->getResult(0);
    if (resultType.getElementType().isF32()) {
      rewriter.replaceOp(op, sum);
      return success();
    }
    Value init = createEmptyTensor(rewriter, loc, resultType, sizes);
    Type element = resultType.getElementType();
    rewriter.replaceOp(
        op, buildElementwise(rewriter, loc, init, {sum},
                             {rewriter.getMultiDimIdentityMap(rank)},
                             [&](OpBuilder &b, Location nestedLoc,
                                 ValueRange args) {
                               return castFloat(b, nestedLoc, args[0],
                                                element);
                             }));
    return success();
  }
};

} // namespace

void fp8::populateLowerHadamardToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<HadamardToLinalg>(patterns.getContext());
}
