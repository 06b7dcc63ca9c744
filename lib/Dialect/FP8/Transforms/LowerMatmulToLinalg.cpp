//===- LowerMatmulToLinalg.cpp - fp8.scaled_matmul to linalg --------------===//
//
// Part of fp8-mlir. The reference GEMM: both operands are dequantized to f32
// with their scales (B into [b..., K, N] order), multiplied with f32
// accumulation, and the epilogue adds the bias, takes the amax of D and casts
// D to the result type.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/LowerToLinalgUtils.h"

#include "fp8/Dialect/FP8/IR/FP8Ops.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::lowering;

/// The f32 product `sum_k a[b.., m, k] * b[b.., k, n]` accumulated into the
/// zero-filled `init` ([b..., M, N]). The loops run (b.., m, k, n) with k a
/// reduction in the middle, so that after linalg-to-loops the innermost loop
/// walks a row of B and of the accumulator contiguously and vectorizes.
static Value buildMatmulF32(OpBuilder &b, Location loc, Value lhs, Value rhs,
                            Value init) {
  MLIRContext *context = b.getContext();
  unsigned numBatch = cast<RankedTensorType>(init.getType()).getRank() - 2;
  unsigned numLoops = numBatch + 3;
  SmallVector<AffineExpr> batch = getLoopExprs(numBatch, context);
  AffineExpr m = getAffineDimExpr(numBatch, context);
  AffineExpr k = getAffineDimExpr(numBatch + 1, context);
  AffineExpr n = getAffineDimExpr(numBatch + 2, context);
  auto mapOf = [&](AffineExpr row, AffineExpr col) {
    SmallVector<AffineExpr> results(batch);
    results.push_back(row);
    results.push_back(col);
    return AffineMap::get(numLoops, 0, results, context);
  };
  SmallVector<AffineMap> maps = {mapOf(m, k), mapOf(k, n), mapOf(m, n)};
  SmallVector<utils::IteratorType> iterators(numLoops,
                                             utils::IteratorType::parallel);
  iterators[numBatch + 1] = utils::IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{lhs, rhs}, ValueRange{init},
      maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value product =
            arith::MulFOp::create(nested, nestedLoc, args[0], args[1]);
        Value sum = arith::AddFOp::create(nested, nestedLoc, args[2], product);
        linalg::YieldOp::create(nested, nestedLoc, sum);
      });
  return generic.getResult(0);
}

namespace {

/// Lowers `fp8.scaled_matmul`:
///
///   A32 = dequantize(A, sA)                       [b..., M, K] f32
///   B32 = dequantize(B, sB), transposed if stored [b..., N, K]
///   D   = A32 x B32 (f32 accumulation)            [b..., M, N] f32
///         (* a_global * b_global) (+ bias)
///   amax = max |D|                                 (optional)
///   result = D rounded, or saturate_cast(D / out_scale) for FP8
struct ScaledMatmulToLinalg : OpRewritePattern<ScaledMatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ScaledMatmulOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = getContext();
    Type f32 = rewriter.getF32Type();
    Value a = op.getA(), b = op.getB();
    RankedTensorType aType = op.getA().getType(), bType = op.getB().getType();
    RankedTensorType resultType = op.getResult().getType();
    unsigned rank = aType.getRank();
    bool transposeB = op.getTransposeB();

    // Sizes: batch and M from A; N from B as stored.
    SmallVector<OpFoldResult> aSizes = tensor::getMixedSizes(rewriter, loc, a);
    SmallVector<OpFoldResult> bSizes = tensor::getMixedSizes(rewriter, loc, b);
    OpFoldResult n = transposeB ? bSizes[rank - 2] : bSizes[rank - 1];

    // A in f32.
    Value aInit = createEmptyTensor(
        rewriter, loc, RankedTensorType::get(aType.getShape(), f32), aSizes);
    Value a32 =
        buildDequantize(rewriter, loc, a, op.getAScale(), op.getAScaling(),
                        aInit, getLoopExprs(rank, context));

    // B in f32 as [b..., K, N]; with transpose_b element (k, n) is read at
    // (n, k) of the stored [b..., N, K] B.
    SmallVector<AffineExpr> bIndices = getLoopExprs(rank, context);
    SmallVector<int64_t> bShape(bType.getShape());
    SmallVector<OpFoldResult> bKNSizes(bSizes);
    if (transposeB) {
      std::swap(bIndices[rank - 2], bIndices[rank - 1]);
      std::swap(bShape[rank - 2], bShape[rank - 1]);
      std::swap(bKNSizes[rank - 2], bKNSizes[rank - 1]);
    }
    Value bInit = createEmptyTensor(
        rewriter, loc, RankedTensorType::get(bShape, f32), bKNSizes);
    Value b32 = buildDequantize(rewriter, loc, b, op.getBScale(),
                                op.getBScaling(), bInit, bIndices);

    // D = A32 x B32 (+ bias), in f32.
    auto dType = RankedTensorType::get(resultType.getShape(), f32);
    SmallVector<OpFoldResult> dSizes(ArrayRef(aSizes).drop_back());
    dSizes.push_back(n);
    Value d =
        buildMatmulF32(rewriter, loc, a32, b32,
                       createFilledTensor(rewriter, loc, dType, dSizes, 0.0));
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    if (Value aGlobal = op.getAGlobal()) {
      // Two-level (NVFP4): D *= a_global * b_global, once, after the
      // accumulation (the verifier requires both).
      AffineMap scalarMap = AffineMap::get(rank, 0, context);
      d = buildElementwise(
          rewriter, loc, createEmptyTensor(rewriter, loc, dType, dSizes),
          {d, aGlobal, op.getBGlobal()}, {identity, scalarMap, scalarMap},
          [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
            Value alpha =
                arith::MulFOp::create(nested, nestedLoc, args[1], args[2]);
            return arith::MulFOp::create(nested, nestedLoc, args[0], alpha);
          });
    }
    if (Value bias = op.getBias()) {
      AffineMap biasMap =
          AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, context));
      d = buildElementwise(
          rewriter, loc, createEmptyTensor(rewriter, loc, dType, dSizes),
          {d, bias}, {identity, biasMap},
          [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
            return arith::AddFOp::create(
                nested, nestedLoc, args[0],
                castFloat(nested, nestedLoc, args[1], f32));
          });
    }

    // The result: D itself, D rounded, or saturate_cast(D / out_scale).
    Value result = d;
    Type resultElementType = resultType.getElementType();
    if (Value outScale = op.getOutScale()) {
      AffineMap scalarMap = AffineMap::get(rank, 0, context);
      result = buildElementwise(
          rewriter, loc, createEmptyTensor(rewriter, loc, resultType, dSizes),
          {d, outScale}, {identity, scalarMap},
          [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
            Value scaled =
                arith::DivFOp::create(nested, nestedLoc, args[0], args[1]);
            return castToNarrow(nested, nestedLoc, scaled, resultElementType,
                                /*saturate=*/true);
          });
    } else if (resultElementType != f32) {
      result = buildElementwise(
          rewriter, loc, createEmptyTensor(rewriter, loc, resultType, dSizes),
          {d}, {identity},
          [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
            return castFloat(nested, nestedLoc, args[0], resultElementType);
          });
    }

    SmallVector<Value> replacements = {result};
    if (Value amax = op.getAmax()) {
      auto amaxType = cast<RankedTensorType>(amax.getType());
      Value init = createFilledTensor(rewriter, loc, amaxType, {}, 0.0);
      replacements.push_back(buildMaxReduction(rewriter, loc, d, init,
                                               AffineMap::get(rank, 0, context),
                                               /*absolute=*/true));
    }
    rewriter.replaceOp(op, replacements);
    return success();
  }
};

} // namespace

void fp8::populateLowerMatmulToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ScaledMatmulToLinalg>(patterns.getContext());
}
