//===- DecomposeAggregatedOps.cpp - linalg.softmax to generics ------------===//
//
// Part of fp8-mlir. Implements fp8-decompose-aggregated-ops: linalg ops that
// stand for several (AggregatedOpInterface, e.g. linalg.softmax) become the
// linalg ops that compute them, which the CPU pipeline bufferizes and
// lowers to loops.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

namespace mlir::fp8 {
#define GEN_PASS_DEF_FP8DECOMPOSEAGGREGATEDOPS
#include "fp8/Dialect/FP8/Transforms/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;

namespace {
struct FP8DecomposeAggregatedOpsPass
    : public fp8::impl::FP8DecomposeAggregatedOpsBase<
          FP8DecomposeAggregatedOpsPass> {
  void runOnOperation() override {
    SmallVector<linalg::AggregatedOpInterface> ops;
    getOperation().walk(
        [&](linalg::AggregatedOpInterface op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (linalg::AggregatedOpInterface op : ops) {
      // Upstream's decompositions build identity values (e.g. -inf for a
      // max) that exist only for these types; others would crash them.
      for (Type type : op->getOperandTypes()) {
        if (isa<Float16Type, BFloat16Type, Float32Type, Float64Type>(
                getElementTypeOrSelf(type)))
          continue;
        op->emitOpError("has elements of type ")
            << getElementTypeOrSelf(type)
            << "; only f16, bf16, f32 and f64 decompose into linalg.generic "
               "ops";
        return signalPassFailure();
      }
      rewriter.setInsertionPoint(op);
      FailureOr<SmallVector<Value>> results = op.decomposeOperation(rewriter);
      if (failed(results) || results->size() != op->getNumResults()) {
        op->emitOpError("cannot be decomposed into linalg.generic ops");
        return signalPassFailure();
      }
      rewriter.replaceOp(op, *results);
    }
  }
};
} // namespace
