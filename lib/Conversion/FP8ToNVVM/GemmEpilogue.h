//===- GemmEpilogue.h - What the GEMM epilogues share -----------*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: the pieces of
// the epilogue the sm_90a and sm_100a GEMMs write the same way, from
// scaled f32 values of D to its elements: the output conversion (FP8
// through out_scale with satfinite, other types truncated) and the bounds
// guard of a ragged tile that carries the thread's amax.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_GEMMEPILOGUE_H
#define FP8_LIB_CONVERSION_FP8TONVVM_GEMMEPILOGUE_H

#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::fp8::gpu_kernels {

/// `lhs && rhs` (i1), where `lhs` may be absent (true).
Value conjoin(ImplicitLocOpBuilder &b, Value lhs, Value rhs);

/// Consecutive elements of D, `values` (f32, scaled and biased), as a
/// vector of `outType`: FP8 types divided by `outScale` and converted in
/// pairs with `cvt.rn.satfinite` (one element, paired with 0, or an even
/// number of them), other types truncated (f32 as is).
Value convertToOutputType(ImplicitLocOpBuilder &b, ArrayRef<Value> values,
                          Type outType, Value outScale);

/// Emits the stores of one piece of D with `emitStore`, which takes the
/// thread's amax bits (i32) and returns them updated. With `inBounds` (i1;
/// null: the piece is inside D), only when it holds. Returns the amax bits
/// after the piece.
Value emitIfInBounds(ImplicitLocOpBuilder &b, Value inBounds, Value amax,
                     function_ref<Value(Value amax)> emitStore);

} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_GEMMEPILOGUE_H
