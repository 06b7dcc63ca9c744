//===- VerifyLLVMTypes.cpp - Types LLVM IR can hold -----------------------===//
//
// Part of fp8-mlir. Implements fp8-verify-llvm-types: the LLVM dialect
// accepts types that the translation to LLVM IR cannot represent (an
// `!llvm.array` of f8E4M3FN, say), and the translation then crashes. This
// pass reports them, at the op, before the pipelines translate.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMTypes.h"

namespace mlir::fp8 {
#define GEN_PASS_DEF_FP8VERIFYLLVMTYPES
#include "fp8/Dialect/FP8/Transforms/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;

/// The innermost part of `type` that LLVM IR cannot represent, or null when
/// it can represent all of `type`.
static Type findIncompatibleType(Type type) {
  if (LLVM::isCompatibleType(type))
    return {};
  Type innermost = type;
  type.walk([&](Type part) {
    // The walk visits nested types before the types that hold them.
    if (!LLVM::isCompatibleType(part) && innermost == type)
      innermost = part;
  });
  return innermost;
}

/// The types of `op` that the translation converts: its operands and
/// results, a global's type, a function's type and its blocks' arguments.
static SmallVector<Type> getTranslatedTypes(Operation *op) {
  SmallVector<Type> types(op->getOperandTypes());
  llvm::append_range(types, op->getResultTypes());
  if (auto global = dyn_cast<LLVM::GlobalOp>(op))
    types.push_back(global.getGlobalType());
  if (auto function = dyn_cast<LLVM::LLVMFuncOp>(op))
    types.push_back(function.getFunctionType());
  for (Region &region : op->getRegions())
    for (Block &block : region)
      llvm::append_range(types, block.getArgumentTypes());
  return types;
}

namespace {
struct FP8VerifyLLVMTypesPass
    : public fp8::impl::FP8VerifyLLVMTypesBase<FP8VerifyLLVMTypesPass> {
  void runOnOperation() override {
    bool failed = false;
    getOperation()->walk([&](Operation *op) {
      if (!isa<LLVM::LLVMDialect>(op->getDialect()))
        return;
      for (Type type : getTranslatedTypes(op)) {
        Type incompatible = findIncompatibleType(type);
        if (!incompatible)
          continue;
        InFlightDiagnostic diag = op->emitOpError()
                                  << "has type " << type
                                  << ", which LLVM IR cannot represent";
        if (incompatible != type)
          diag << " (element type " << incompatible << ")";
        failed = true;
        return;
      }
    });
    if (failed)
      signalPassFailure();
  }
};
} // namespace
