//===- FP8Types.h - Facts about the narrow float formats --------*- C++ -*-===//
//
// Part of fp8-mlir. One place for what every part of the project needs to
// know about the builtin FP8/FP6/FP4/E8M0 element types.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_IR_FP8TYPES_H
#define FP8_DIALECT_FP8_IR_FP8TYPES_H

#include "mlir/IR/Types.h"

namespace mlir::fp8 {

/// True for the data formats of the dialect: f8E4M3FN, f8E5M2, f6E2M3FN,
/// f6E3M2FN and f4E2M1FN.
bool isNarrowDataType(Type type);

/// True for f32, bf16 and f16.
bool isWideFloatType(Type type);

/// The largest finite value of a narrow data format (448 for E4M3FN).
double getFormatMax(Type narrowType);

/// The exponent of the largest power of two of a narrow data format
/// (floor(log2(max)): 8 for E4M3FN, 15 for E5M2, 2 for E2M1).
int getFormatEmax(Type narrowType);

} // namespace mlir::fp8

#endif // FP8_DIALECT_FP8_IR_FP8TYPES_H
