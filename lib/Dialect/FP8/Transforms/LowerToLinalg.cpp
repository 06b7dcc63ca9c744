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
#include "mlir/Interfaces/FunctionInterfaces.h"
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
    populateLowerFusedToLinalgPatterns(patterns);
    populateLowerHadamardToLinalgPatterns(patterns);

    ConversionTarget target(*context);
    target.addIllegalDialect<FP8Dialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      return signalPassFailure();
    eraseFP8Attributes(getOperation());
  }

  /// Erases the attributes whose values are or hold fp8 attributes (the
  /// module's `fp8.recipe`, `fp8.role` on ops and function arguments and
  /// results): they describe how the IR was quantized, and no fp8 op is
  /// left to read them. Without them the output needs no fp8 dialect to be
  /// read (mlir-translate, mlir-runner).
  static void eraseFP8Attributes(Operation *root) {
    // Also fp8 attributes nested in arrays and dictionaries.
    auto isFP8 = [](NamedAttribute attr) {
      bool found = false;
      attr.getValue().walk([&](Attribute nested) {
        found |= isa<FP8Dialect>(nested.getDialect());
      });
      return found;
    };
    auto withoutFP8 = [&](DictionaryAttr attrs) {
      SmallVector<NamedAttribute> kept;
      llvm::copy_if(attrs.getValue(), std::back_inserter(kept),
                    [&](NamedAttribute attr) { return !isFP8(attr); });
      return DictionaryAttr::get(attrs.getContext(), kept);
    };
    root->walk([&](Operation *op) {
      SmallVector<StringAttr> names;
      for (NamedAttribute attr : op->getDiscardableAttrs())
        if (isFP8(attr))
          names.push_back(attr.getName());
      for (StringAttr name : names)
        op->removeDiscardableAttr(name);
      auto function = dyn_cast<FunctionOpInterface>(op);
      if (!function)
        return;
      for (unsigned i = 0, e = function.getNumArguments(); i < e; ++i)
        if (DictionaryAttr attrs = function.getArgAttrDict(i))
          function.setArgAttrs(i, withoutFP8(attrs));
      for (unsigned i = 0, e = function.getNumResults(); i < e; ++i)
        if (DictionaryAttr attrs = function.getResultAttrDict(i))
          function.setResultAttrs(i, withoutFP8(attrs));
    });
  }
};

} // namespace
