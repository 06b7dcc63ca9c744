//===- FuseQuantize.cpp - Fuse the chains one GPU kernel runs -------------===//
//
// Part of fp8-mlir. The `fp8-fuse-quantize` pass: rewrites the op chains a
// fused or transposing GPU kernel runs into fp8.quantize_with_amax,
// fp8.quantize_transposed and fp8.amax_transposed. Which chains fuse is
// what the kernels handle (hasFusedQuantizeKernel, hasQuantizeTransposeKernel,
// hasAmaxTransposeKernel in KernelPlan.h); convert-fp8-to-gpu then launches
// one kernel per op.
//
//===----------------------------------------------------------------------===//

#include "fp8/Conversion/FP8ToNVVM/FP8ToGPU.h"
#include "fp8/Conversion/Passes.h"

#include "FP8Converts.h"
#include "KernelPlan.h"

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

//===----------------------------------------------------------------------===//
// Matchers
//===----------------------------------------------------------------------===//

/// `x` when `value` is `linalg.transpose(x)` with a permutation that swaps
/// the last two dimensions and keeps any leading ones, `x` of static shape.
static TypedValue<RankedTensorType> getTransposedSource(Value value) {
  auto transpose = value.getDefiningOp<linalg::TransposeOp>();
  if (!transpose || !transpose.hasPureTensorSemantics())
    return nullptr;
  ArrayRef<int64_t> permutation = transpose.getPermutation();
  int64_t rank = permutation.size();
  if (rank < 2)
    return nullptr;
  for (int64_t i = 0; i < rank - 2; ++i)
    if (permutation[i] != i)
      return nullptr;
  if (permutation[rank - 2] != rank - 1 || permutation[rank - 1] != rank - 2)
    return nullptr;
  auto source = dyn_cast<TypedValue<RankedTensorType>>(transpose.getInput());
  if (!source || !source.getType().hasStaticShape())
    return nullptr;
  return source;
}

/// `x` when `op`'s input is `linalg.transpose(x)` swapping the last two
/// dimensions and the transposing kernel quantizes it; else null, and the
/// plain kernel reads the transpose's result.
static Value getFusableTransposeSource(QuantizeOp op) {
  // The fused ops carry no per-tensor (NVFP4 second-level) scale, and the
  // transposing kernel writes FP8 bytes only (FP4/FP6 keep the plain kernel).
  if (op.getGlobalScale() ||
      isSubByteFormat(op.getResult().getType().getElementType()))
    return nullptr;
  TypedValue<RankedTensorType> source = getTransposedSource(op.getInput());
  if (!source || !op.getScale().getType().hasStaticShape() ||
      !hasQuantizeTransposeKernel(source.getType(), op.getScaling()))
    return nullptr;
  return source;
}

/// As above, for the transposing amax kernel.
static Value getFusableTransposeSource(AmaxOp op) {
  TypedValue<RankedTensorType> source = getTransposedSource(op.getInput());
  if (!source || !hasAmaxTransposeKernel(source.getType(), op.getScaling()))
    return nullptr;
  return source;
}

/// The scale_from_amax op when `op` quantizes its input with
/// `fp8.scale_from_amax(fp8.amax(input))` of the same scaling and a fused
/// kernel runs the three; else null, and they keep their own kernels.
static ScaleFromAmaxOp getFusableScaleFromAmax(QuantizeOp op) {
  auto scale = op.getScale().getDefiningOp<ScaleFromAmaxOp>();
  // A transposed input keeps the transposing kernels, which read it in place;
  // the fused op carries no per-tensor (NVFP4 second-level) scale.
  if (!scale || getFusableTransposeSource(op) || op.getGlobalScale() ||
      scale.getGlobalScale())
    return nullptr;
  auto amax = scale.getAmax().getDefiningOp<AmaxOp>();
  if (!amax || amax.getInput() != op.getInput() ||
      amax.getScaling() != op.getScaling())
    return nullptr;
  // The scales are produced at the launch, i.e. at `op`: every other user
  // must come after it.
  for (Operation *user : scale->getUsers())
    if (user != op.getOperation() &&
        (user->getBlock() != op->getBlock() || !op->isBeforeInBlock(user)))
      return nullptr;
  if (!hasFusedQuantizeKernel(op.getInput().getType(), op.getScaling(),
                              op.getResult().getType().getElementType()))
    return nullptr;
  return scale;
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

/// The value under the `linalg.transpose` that the transposing kernel of
/// `op` (a quantize or an amax) reads in place, or a match failure that
/// says why there is none.
template <typename OpTy>
static FailureOr<Value> matchTransposeSource(OpTy op,
                                             PatternRewriter &rewriter) {
  if (!hasStaticShapes(op))
    return rewriter.notifyMatchFailure(op, "dynamic shapes");
  Value source = getFusableTransposeSource(op);
  if (!source)
    return rewriter.notifyMatchFailure(op, "no transpose the kernel reads");
  return source;
}

namespace {

/// `fp8.quantize(linalg.transpose(x))` -> `fp8.quantize_transposed(x)`,
/// where the transposing quantize kernel handles the shapes and scaling.
struct FuseQuantizeTranspose : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    // The transposing kernel rounds to nearest; stochastic rounding keeps
    // the plain kernel.
    if (op.getSrSeed())
      return rewriter.notifyMatchFailure(op, "stochastic rounding");
    FailureOr<Value> source = matchTransposeSource(op, rewriter);
    if (failed(source))
      return failure();
    rewriter.replaceOpWithNewOp<QuantizeTransposedOp>(
        op, op.getType(), *source, op.getScale(), op.getScalingAttr(),
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
    FailureOr<Value> source = matchTransposeSource(op, rewriter);
    if (failed(source))
      return failure();
    rewriter.replaceOpWithNewOp<AmaxTransposedOp>(op, op.getType(), *source,
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
    if (op.getSrSeed())
      return rewriter.notifyMatchFailure(op, "stochastic rounding");
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
