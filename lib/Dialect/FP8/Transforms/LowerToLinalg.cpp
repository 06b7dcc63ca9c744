//===- LowerToLinalg.cpp - fp8-lower-to-linalg pass -----------------------===//
//
// Part of fp8-mlir. The reference lowering of every fp8 op to linalg, tensor,
// arith and math on tensors: the executable semantics of the dialect. The
// patterns live in one file per op group (Lower*ToLinalg.cpp); this file
// applies them all and fails, with a located error, on any fp8 op left.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/LowerToLinalgUtils.h"

#include "fp8/Dialect/FP8/IR/FP8Dialect.h"
#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::fp8 {
#define GEN_PASS_DEF_FP8LOWERTOLINALG
#include "fp8/Dialect/FP8/Transforms/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;
using namespace mlir::fp8;

namespace {

struct FP8LowerToLinalgPass
    : fp8::impl::FP8LowerToLinalgBase<FP8LowerToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    populateLowerScalingToLinalgPatterns(patterns);
    populateLowerMatmulToLinalgPatterns(patterns);
    populateLowerHistoryToLinalgPatterns(patterns);

    ConversionTarget target(*context);
    target.addIllegalDialect<FP8Dialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
