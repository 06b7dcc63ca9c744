//===- FP8Converts.h - Conversions between f32 and FP8 pairs ----*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: the packed
// `cvt` conversions between f32 and E4M3FN / E5M2 (sm_89+) and between f32
// and the FP4 / FP6 formats (sm_100a) the kernels use.
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

/// Whether `type` is FP4 (`f4E2M1FN`) or FP6 (`f6E2M3FN`, `f6E3M2FN`).
bool isSubByteFormat(Type type);

/// Rounds the f32 pair (`lo`, `hi`) = elements (2i, 2i + 1) to the FP4/FP6
/// `format` with `cvt.rn.satfinite.{e2m1x2,e2m3x2,e3m2x2}.f32`: nearest
/// even, finite overflow and +-inf to +-max, and NaN to the zero of its sign
/// (docs/numerics.md "Casts"; selected before the cvt, whose own NaN result
/// is not that zero). FP4: an i8 with `lo` in the low nibble (the packed
/// storage of docs/gpu-pipeline.md). FP6: an i16 with `lo` in the low byte,
/// each value in the low 6 bits of its byte.
Value convertPairToSubByte(ImplicitLocOpBuilder &b, Value lo, Value hi,
                           Type format);

} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_FP8CONVERTS_H
