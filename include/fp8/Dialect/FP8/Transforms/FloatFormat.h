//===- FloatFormat.h - Bit layout of a float format -------------*- C++ -*-===//
//
// Part of fp8-mlir. The bit-level description of a floating-point type that
// fp8-expand-casts builds its integer encode/decode code from. Every field is
// read off the type's APFloat semantics, so one routine serves f8E4M3FN,
// f8E5M2, f8E8M0FNU, f6E2M3FN, f6E3M2FN, f4E2M1FN (and f32 on the wide side).
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_FLOATFORMAT_H
#define FP8_DIALECT_FP8_TRANSFORMS_FLOATFORMAT_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Support/LLVM.h"
#include <cstdint>
#include <string>

namespace mlir::fp8 {

/// The layout of a binary floating-point format:
///
///   [sign] exponent mantissa      (the sign bit only in signed formats)
///
/// A value with exponent field `e` and mantissa field `f` is
///   (1 + f / 2^mantissaBits) * 2^(e - bias)   for e >= 1, or for every e in
///                                             formats without zero (E8M0),
///   (f / 2^mantissaBits) * 2^(1 - bias)       for e == 0 (zero, subnormals),
/// except for the non-finite encodings, which `nonFinite` describes.
/// Bit patterns are given without the sign bit ("magnitudes").
struct FloatFormat {
  /// How a format spells values that are not finite numbers.
  enum class NonFinite {
    /// IEEE 754: an all-ones exponent is infinity (mantissa 0) or NaN
    /// (mantissa != 0). Overflow gives infinity. (f32, f8E5M2)
    IEEE,
    /// No infinity; one NaN magnitude, all ones. Overflow and infinity give
    /// NaN. (f8E4M3FN, f8E8M0FNU)
    NaNOnly,
    /// No infinity and no NaN: every encoding is a finite number.
    /// (f6E2M3FN, f6E3M2FN, f4E2M1FN)
    FiniteOnly,
  };

  unsigned width = 0;
  unsigned exponentBits = 0;
  unsigned mantissaBits = 0;
  /// The exponent field of 1.0.
  int64_t bias = 0;
  bool isSigned = true;
  /// False for formats whose all-zero encoding is a number (E8M0: 2^-127).
  bool hasZero = true;
  NonFinite nonFinite = NonFinite::IEEE;
  /// Magnitude of the largest finite value.
  uint64_t maxFinite = 0;
  /// Magnitude of the quiet NaN (IEEE and NaNOnly formats).
  uint64_t quietNaN = 0;
  /// Magnitude of infinity (IEEE formats).
  uint64_t infinity = 0;

  /// The layout of `type`, or failure with the reason in `whyNot` (when
  /// given) for a layout this description cannot express, e.g. the FNUZ
  /// formats, which spell NaN as negative zero.
  static FailureOr<FloatFormat> get(FloatType type,
                                    std::string *whyNot = nullptr);

  /// The sign bit (0 for unsigned formats).
  uint64_t getSignBit() const {
    return isSigned ? uint64_t(1) << (width - 1) : 0;
  }
  /// All bits but the sign bit.
  uint64_t getMagnitudeMask() const {
    return (uint64_t(1) << (width - (isSigned ? 1 : 0))) - 1;
  }
  uint64_t getMantissaMask() const { return (uint64_t(1) << mantissaBits) - 1; }
  /// The exponent field's mask after shifting it down by `mantissaBits`.
  uint64_t getExponentFieldMask() const {
    return (uint64_t(1) << exponentBits) - 1;
  }
};

} // namespace mlir::fp8

#endif // FP8_DIALECT_FP8_TRANSFORMS_FLOATFORMAT_H
