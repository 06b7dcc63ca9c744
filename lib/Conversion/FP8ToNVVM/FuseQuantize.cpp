//===- FuseQuantize.cpp - Fuse the chains one GPU kernel runs -------------===//
//
// Part of fp8-mlir. The `fp8-fuse-quantize` pass: rewrites the op chains a
// fused or transposing GPU kernel runs into fp8.quantize_with_amax,
// fp8.quantize_transposed and fp8.amax_transposed. Which chains fuse is
// what the kernels handle (getFusableScaleFromAmax, getFusableTransposeSource
// in KernelBuilder.h); convert-fp8-to-gpu then launches one kernel per op.
//
//===----------------------------------------------------------------------===//

#include "fp8/Conversion/FP8ToNVVM/FP8ToGPU.h"
#include "fp8/Conversion/Passes.h"

#include "KernelBuilder.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::fp8 {
#define GEN_PASS_DEF_FP8FUSEQUANTIZE
#include "fp8/Conversion/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

bool fp8::hasStaticShapes(Operation *op) {
  auto isStatic = [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    return !shaped || shaped.hasStaticShape();
  };
  return llvm::all_of(op->getOperandTypes(), isStatic) &&
         llvm::all_of(op->getResultTypes(), isStatic);
}

namespace {

/// `fp8.quantize(linalg.transpose(x))` -> `fp8.quantize_transposed(x)`,
/// where the transposing quantize kernel handles the shapes and scaling.
struct FuseQuantizeTranspose : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Value source = getFusableTransposeSource(op);
    if (!source)
      return rewriter.notifyMatchFailure(op, "no transpose the kernel reads");
    rewriter.replaceOpWithNewOp<QuantizeTransposedOp>(
        op, op.getType(), source, op.getScale(), op.getScalingAttr(),
        op.getSaturateAttr());
    return success();
  }
};

/// `fp8.amax(linalg.transpose(x))` -> `fp8.amax_transposed(x)`, where the
/// transposing amax kernel handles the shapes and scaling.
struct FuseAmaxTranspose : OpRewritePattern<AmaxOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AmaxOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    Value source = getFusableTransposeSource(op);
    if (!source)
      return rewriter.notifyMatchFailure(op, "no transpose the kernel reads");
    rewriter.replaceOpWithNewOp<AmaxTransposedOp>(op, op.getType(), source,
                                                  op.getScaling());
    return success();
  }
};

/// `fp8.quantize(x, fp8.scale_from_amax(fp8.amax(x)))` ->
/// `fp8.quantize_with_amax(x)`, where the fused kernel handles the shapes
/// and scaling. Every other user of the scales comes after the quantize
/// (getFusableScaleFromAmax checks it) and reads the fused op's scales.
struct FuseQuantizeWithAmax : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    ScaleFromAmaxOp scale = getFusableScaleFromAmax(op);
    if (!scale)
      return rewriter.notifyMatchFailure(op, "no amax chain the kernel fuses");
    auto fused = QuantizeWithAmaxOp::create(
        rewriter, op.getLoc(), op.getType(), scale.getType(), op.getInput(),
        op.getScalingAttr(), scale.getFormatAttr(), scale.getMarginAttr(),
        scale.getPow2Attr(), scale.getMxScaleAttr(), op.getSaturateAttr());
    rewriter.replaceOp(op, fused.getResult());
    // The scale_from_amax is not erased here: a walk may erase only the op
    // it visits (see UnusedProducers).
    rewriter.replaceAllUsesWith(scale.getScale(), fused.getScale());
    return success();
  }
};

/// Records the producers of the ops the fusions replace, then erases those
/// the fusions left unused: transposes read through, scale_from_amax ops
/// whose scales the fused op makes, and then their amax ops. Other ops,
/// used or not, stay as they are.
struct UnusedProducers : RewriterBase::Listener {
  void notifyOperationReplaced(Operation *op, ValueRange) override {
    for (Value operand : op->getOperands())
      if (Operation *producer = operand.getDefiningOp())
        candidates.insert(producer);
  }

  void eraseUnused() {
    while (!candidates.empty()) {
      Operation *op = candidates.pop_back_val();
      if (!isa<linalg::TransposeOp, ScaleFromAmaxOp, AmaxOp>(op) ||
          !op->use_empty())
        continue;
      for (Value operand : op->getOperands())
        if (Operation *producer = operand.getDefiningOp())
          candidates.insert(producer);
      op->erase();
    }
  }

  llvm::SetVector<Operation *> candidates;
};

struct FP8FuseQuantizePass
    : public fp8::impl::FP8FuseQuantizeBase<FP8FuseQuantizePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFP8FuseQuantizePatterns(patterns);
    UnusedProducers producers;
    walkAndApplyPatterns(getOperation(), std::move(patterns), &producers);
    producers.eraseUnused();
  }
};

} // namespace

void fp8::populateFP8FuseQuantizePatterns(RewritePatternSet &patterns) {
  patterns.add<FuseQuantizeTranspose, FuseAmaxTranspose, FuseQuantizeWithAmax>(
      patterns.getContext());
}
