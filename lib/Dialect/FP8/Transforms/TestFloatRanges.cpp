//===- TestFloatRanges.cpp - Print FloatRangeAnalysis results -------------===//
//
// Part of fp8-mlir. The test pass fp8-test-float-ranges: every float result
// gets its range as an attribute, for lit tests of the analysis.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/FloatRangeAnalysis.h"
#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "mlir/Analysis/DataFlowFramework.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/TypeUtilities.h"

namespace mlir::fp8 {
#define GEN_PASS_DEF_FP8TESTFLOATRANGES
#include "fp8/Dialect/FP8/Transforms/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;
using namespace mlir::fp8;

namespace {
struct TestFloatRangesPass
    : fp8::impl::FP8TestFloatRangesBase<TestFloatRangesPass> {
  void runOnOperation() override {
    Operation *top = getOperation();
    DataFlowSolver solver;
    loadFloatRangeAnalysis(solver);
    if (failed(solver.initializeAndRun(top)))
      return signalPassFailure();
    top->walk([&](Operation *op) {
      if (op == top || op->getNumResults() == 0)
        return;
      SmallVector<Attribute> ranges;
      bool anyFloat = false;
      for (Value result : op->getResults()) {
        std::string text;
        if (isa<FloatType>(getElementTypeOrSelf(result.getType()))) {
          anyFloat = true;
          llvm::raw_string_ostream os(text);
          getFloatRange(solver, result).print(os);
        }
        ranges.push_back(StringAttr::get(op->getContext(), text));
      }
      if (!anyFloat)
        return;
      if (ranges.size() == 1)
        op->setAttr("float_range", ranges.front());
      else
        op->setAttr("float_range", ArrayAttr::get(op->getContext(), ranges));
    });
  }
};
} // namespace
