//===- FloatFormat.cpp - Bit layout of a binary floating-point format -----===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/FloatFormat.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/Twine.h"

using namespace mlir;
using namespace mlir::fp8;
using llvm::APFloat;

/// The bit pattern of `value` as an unsigned integer.
static uint64_t getBits(const APFloat &value) {
  return value.bitcastToAPInt().getZExtValue();
}

FailureOr<FloatFormat> FloatFormat::get(FloatType type, std::string *whyNot) {
  auto unsupported = [&](const llvm::Twine &reason) -> FailureOr<FloatFormat> {
    if (whyNot)
      *whyNot = reason.str();
    return failure();
  };

  const llvm::fltSemantics &semantics = type.getFloatSemantics();
  FloatFormat format;
  format.width = APFloat::semanticsSizeInBits(semantics);
  if (format.width > 32)
    return unsupported("is wider than 32 bits");
  format.isSigned = APFloat::semanticsHasSignedRepr(semantics);
  if (format.isSigned && !APFloat::hasSignBitInMSB(semantics))
    return unsupported("does not keep its sign in the top bit");
  format.hasZero = APFloat::semanticsHasZero(semantics);
  format.mantissaBits = APFloat::semanticsPrecision(semantics) - 1;
  format.exponentBits =
      format.width - format.mantissaBits - (format.isSigned ? 1 : 0);
  format.bias = getBits(APFloat(semantics, 1)) >> format.mantissaBits;
  format.maxFinite = getBits(APFloat::getLargest(semantics));

  bool hasInf = APFloat::semanticsHasInf(semantics);
  bool hasNaN = APFloat::semanticsHasNaN(semantics);
  if (hasNaN)
    format.quietNaN =
        getBits(APFloat::getQNaN(semantics)) & format.getMagnitudeMask();
  if (hasInf && hasNaN) {
    format.nonFinite = NonFinite::IEEE;
    format.infinity = getBits(APFloat::getInf(semantics));
    if (format.infinity != format.getExponentFieldMask() << format.mantissaBits)
      return unsupported("does not spell infinity as an all-ones exponent");
  } else if (hasNaN) {
    format.nonFinite = NonFinite::NaNOnly;
    if (format.quietNaN != format.getMagnitudeMask())
      return unsupported("spells NaN as negative zero (FNUZ), not as all ones");
  } else if (!hasInf) {
    format.nonFinite = NonFinite::FiniteOnly;
  } else {
    return unsupported("has infinity but no NaN");
  }

  // The layout formula must reproduce APFloat's largest finite value.
  int64_t largestExponent =
      static_cast<int64_t>(format.maxFinite >> format.mantissaBits) -
      format.bias;
  if (largestExponent != llvm::ilogb(APFloat::getLargest(semantics)))
    return unsupported("has an exponent layout this description cannot "
                       "express");
  return format;
}
