//===- StaticAmax.cpp - Compile-time amax from float ranges ---------------===//
//
// Part of fp8-mlir. Replaces runtime amax reductions whose inputs have a
// bound known at compile time (FloatRangeAnalysis) by that bound.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/StaticAmax.h"
#include "fp8/Dialect/FP8/IR/FP8Ops.h"
#include "fp8/Dialect/FP8/Transforms/FloatRangeAnalysis.h"
#include "mlir/Analysis/DataFlowFramework.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;
using namespace mlir::fp8;

/// The largest magnitude of `range` rounded up to f32, when it is finite
/// and positive.
static std::optional<APFloat> getStaticAmax(const FloatRange &range) {
  if (!range.isFinite())
    return std::nullopt;
  double magnitude = range.getMaxMagnitude();
  if (!(magnitude > 0.0))
    return std::nullopt;
  APFloat amax(magnitude);
  bool losesInfo;
  amax.convert(APFloat::IEEEsingle(), APFloat::rmTowardPositive, &losesInfo);
  if (amax.isInfinity())
    return std::nullopt;
  return amax;
}

StaticAmaxCount mlir::fp8::replaceBoundedAmaxes(FunctionOpInterface function) {
  StaticAmaxCount count;
  // Only per-tensor amaxes are candidates; without any, the analysis is
  // not run at all.
  SmallVector<AmaxOp> amaxes;
  function->walk([&](AmaxOp amax) {
    ++count.total;
    if (amax.getScaling().isTensor())
      amaxes.push_back(amax);
  });
  if (amaxes.empty())
    return count;

  DataFlowSolver solver;
  loadFloatRangeAnalysis(solver);
  if (failed(solver.initializeAndRun(function)))
    return count;

  OpBuilder builder(function->getContext());
  for (AmaxOp amax : amaxes) {
    std::optional<APFloat> bound =
        getStaticAmax(getFloatRange(solver, amax.getInput()));
    if (!bound)
      continue;
    builder.setInsertionPoint(amax);
    auto type = cast<RankedTensorType>(amax.getType());
    Value constant = arith::ConstantOp::create(
        builder, amax.getLoc(), type, DenseElementsAttr::get(type, *bound));
    amax.getResult().replaceAllUsesWith(constant);
    amax.erase();
    ++count.replaced;
  }
  if (count.replaced > 0)
    // At the function's location, without printing the whole function.
    emitRemark(function->getLoc()) << "static ranges removed " << count.replaced
                           << " of " << count.total << " amax ops";
  return count;
}
