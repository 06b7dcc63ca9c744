//===- VerifyVectorSizes.cpp - Vectors small enough to lower --------------===//
//
// Part of fp8-mlir. Implements fp8-verify-vector-sizes: the lowering of
// vector ops to LLVM unrolls them (per element, or per row of an n-D
// vector), so a huge static vector type makes the pipelines hang. This pass
// reports such types at the op before anything is lowered.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/OpTypes.h"
#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/CheckedArithmetic.h"

namespace mlir::fp8 {
#define GEN_PASS_DEF_FP8VERIFYVECTORSIZES
#include "fp8/Dialect/FP8/Transforms/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;

/// The element count of the largest vector type in `type` (itself or a
/// nested one), saturated at INT64_MAX; 0 when it holds no vector.
static int64_t getLargestVector(Type type) {
  int64_t largest = 0;
  type.walk([&](VectorType vector) {
    int64_t count = 1;
    for (int64_t size : vector.getShape()) {
      std::optional<int64_t> product = llvm::checkedMul(count, size);
      count = product ? *product : INT64_MAX;
    }
    largest = std::max(largest, count);
  });
  return largest;
}

namespace {
struct FP8VerifyVectorSizesPass
    : public fp8::impl::FP8VerifyVectorSizesBase<FP8VerifyVectorSizesPass> {
  using Base::Base;

  void runOnOperation() override {
    bool failed = false;
    getOperation()->walk([&](Operation *op) {
      for (Type type : fp8::getOpTypes(op)) {
        int64_t elements = getLargestVector(type);
        if (elements <= int64_t(maxElements))
          continue;
        op->emitOpError() << "has type " << type << " with "
                          << (elements == INT64_MAX ? "more than INT64_MAX"
                                                    : std::to_string(elements))
                          << " vector elements, more than the "
                          << int64_t(maxElements)
                          << " a vector may have here "
                             "(fp8-verify-vector-sizes{max-elements=N})";
        failed = true;
        return;
      }
    });
    if (failed)
      signalPassFailure();
  }
};
} // namespace
