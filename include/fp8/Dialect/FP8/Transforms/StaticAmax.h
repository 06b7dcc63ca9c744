//===- StaticAmax.h - Compile-time amax from float ranges -------*- C++ -*-===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_STATICAMAX_H
#define FP8_DIALECT_FP8_TRANSFORMS_STATICAMAX_H

#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir::fp8 {

/// How many `fp8.amax` ops of a function were replaced, of how many.
struct StaticAmaxCount {
  unsigned replaced = 0;
  unsigned total = 0;
};

/// Replaces each per-tensor `fp8.amax` in `function` whose input
/// FloatRangeAnalysis bounds (both ends finite, largest magnitude B > 0) by
/// `arith.constant dense<B'> : tensor<f32>`, B' being B rounded up to f32:
/// every non-NaN element x then has |x| <= B', so the scale computed from
/// B' never lets a finite element saturate. A NaN element stays NaN after
/// quantization either way (the runtime amax would be NaN and give scale
/// 1; the static one keeps the scale right for the other elements).
/// Per-group amaxes (rowwise, block) are left alone: one global bound is
/// a worse scale than each group's own maximum. Reports, at the function,
/// "static ranges removed R of T amax ops" when R > 0.
StaticAmaxCount replaceBoundedAmaxes(FunctionOpInterface function);

} // namespace mlir::fp8

#endif // FP8_DIALECT_FP8_TRANSFORMS_STATICAMAX_H
