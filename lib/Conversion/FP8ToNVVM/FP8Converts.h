//===- FP8Converts.h - Conversions between f32 and FP8 pairs ----*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: the packed
// `cvt` conversions between f32 and E4M3FN / E5M2 the kernels use.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_FP8CONVERTS_H
#define FP8_LIB_CONVERSION_FP8TONVVM_FP8CONVERTS_H

#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <utility>

namespace mlir::fp8::gpu_kernels {

/// i16 holds `lo` in its low byte (first in memory) and `hi` in its high
/// byte. With `saturate` false, values that overflow the format become NaN
/// (E4M3FN) or +-inf (E5M2) as `arith.truncf` does.
Value convertPairToFP8(ImplicitLocOpBuilder &b, Value lo, Value hi,
                       Type fp8Type, bool saturate);

/// Decodes the two FP8 bytes of an i16 (low byte first) with
/// `cvt.rn.f16x2.<fmt>x2` (exact) and extends them to f32.
std::pair<Value, Value> convertFP8PairToF32(ImplicitLocOpBuilder &b,
                                            Value pair, Type fp8Type);

/// `cvt.rn.satfinite` pairs of `f32Elements[i] / scale` (an even count),
/// packed into a vector of `fp8Type` in element order. With `saturate`
/// false, overflows become NaN / inf as in convertPairToFP8.
Value quantizePairsToFP8(ImplicitLocOpBuilder &b, ArrayRef<Value> f32Elements,
                         Value scale, Type fp8Type, bool saturate);

} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_FP8CONVERTS_H
