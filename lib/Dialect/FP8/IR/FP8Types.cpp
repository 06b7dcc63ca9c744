//===- FP8Types.cpp - Facts about the narrow float formats ----------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/IR/FP8Types.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;

bool fp8::isNarrowDataType(Type type) {
  return isa<Float8E4M3FNType, Float8E5M2Type, Float6E2M3FNType,
             Float6E3M2FNType, Float4E2M1FNType>(type);
}

bool fp8::isWideFloatType(Type type) {
  return type.isF32() || type.isBF16() || type.isF16();
}

double fp8::getFormatMax(Type narrowType) {
  auto floatType = cast<FloatType>(narrowType);
  return llvm::APFloat::getLargest(floatType.getFloatSemantics())
      .convertToDouble();
}

int fp8::getFormatEmax(Type narrowType) {
  auto floatType = cast<FloatType>(narrowType);
  return llvm::ilogb(llvm::APFloat::getLargest(floatType.getFloatSemantics()));
}
