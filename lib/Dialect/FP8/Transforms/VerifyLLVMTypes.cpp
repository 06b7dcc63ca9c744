//===- VerifyLLVMTypes.cpp - Types LLVM IR can hold -----------------------===//
//
// Part of fp8-mlir. Implements fp8-verify-llvm-types: the LLVM dialect
// accepts types that the translation to LLVM IR cannot represent (an
// `!llvm.array` of f8E4M3FN, say), and globals too large to build, on which
// the translation crashes. This pass reports them, at the op, before the
// pipelines translate.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/OpTypes.h"
#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMTypes.h"
#include "llvm/Support/CheckedArithmetic.h"

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

/// The size in bytes of a global of `type` as its initializer is built
/// (scalars rounded up to whole bytes, no padding), or std::nullopt when it
/// overflows int64 or the type is not one the translation sizes this way.
static std::optional<int64_t> getGlobalBytes(Type type) {
  if (type.isIntOrFloat())
    return int64_t((type.getIntOrFloatBitWidth() + 7) / 8);
  if (isa<LLVM::LLVMPointerType>(type))
    return int64_t(8);
  auto elementsOf = [](Type element, int64_t count) -> std::optional<int64_t> {
    std::optional<int64_t> size = getGlobalBytes(element);
    return size ? llvm::checkedMul(*size, count) : std::nullopt;
  };
  if (auto array = dyn_cast<LLVM::LLVMArrayType>(type))
    return elementsOf(array.getElementType(), array.getNumElements());
  if (auto vector = dyn_cast<VectorType>(type))
    return elementsOf(vector.getElementType(), vector.getNumElements());
  if (auto structType = dyn_cast<LLVM::LLVMStructType>(type)) {
    int64_t total = 0;
    for (Type field : structType.getBody()) {
      std::optional<int64_t> size = getGlobalBytes(field);
      std::optional<int64_t> sum =
          size ? llvm::checkedAdd(total, *size) : std::nullopt;
      if (!sum)
        return std::nullopt;
      total = *sum;
    }
    return total;
  }
  return std::nullopt;
}

/// The types of `op` that the translation converts: those it carries (a
/// function's signature included) and a global's type.
static SmallVector<Type> getTranslatedTypes(Operation *op) {
  SmallVector<Type> types = fp8::getOpTypes(op);
  if (auto global = dyn_cast<LLVM::GlobalOp>(op))
    types.push_back(global.getGlobalType());
  return types;
}

namespace {
struct FP8VerifyLLVMTypesPass
    : public fp8::impl::FP8VerifyLLVMTypesBase<FP8VerifyLLVMTypesPass> {
  using Base::Base;

  void runOnOperation() override {
    bool failed = false;
    getOperation()->walk([&](Operation *op) {
      if (!isa<LLVM::LLVMDialect>(op->getDialect()))
        return;
      if (auto global = dyn_cast<LLVM::GlobalOp>(op)) {
        Type type = global.getGlobalType();
        std::optional<int64_t> bytes = getGlobalBytes(type);
        if (LLVM::isCompatibleType(type) &&
            (!bytes || *bytes > int64_t(maxGlobalBytes))) {
          InFlightDiagnostic diag = global.emitOpError()
                                    << "is a global of type " << type << " (";
          if (bytes)
            diag << *bytes << " bytes";
          else
            diag << "a size that overflows int64";
          diag << "), more than the " << int64_t(maxGlobalBytes)
               << " bytes the translation to LLVM IR may build "
                  "(fp8-verify-llvm-types{max-global-bytes=N})";
          failed = true;
          return;
        }
      }
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
