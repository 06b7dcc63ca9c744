//===- HighPrecisionMatmuls.h - Matmuls kept out of FP8 ---------*- C++ -*-===//
//
// Part of fp8-mlir. Which matmuls fp8-quantize-matmuls keeps in high
// precision besides those it cannot quantize: weight gradients under a
// recipe's `wgrad = bf16 | f32`, and matmuls marked `fp8.high_precision`.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_HIGHPRECISIONMATMULS_H
#define FP8_DIALECT_FP8_TRANSFORMS_HIGHPRECISIONMATMULS_H

#include "fp8/Dialect/FP8/IR/FP8Attrs.h"
#include "mlir/IR/Builders.h"

#include <string>
#include <utility>

namespace mlir::fp8 {

/// The unit attribute that keeps one matmul-like op out of FP8:
/// `linalg.matmul {fp8.high_precision} ins(...)`.
inline constexpr llvm::StringLiteral kHighPrecisionAttrName =
    "fp8.high_precision";

/// True for the matmul of a weight gradient, dW = X^T dY: one operand is an
/// activation and the other a gradient (`roles` are those of A and B).
bool isWeightGradientMatmul(std::pair<Role, Role> roles);

/// The element type of a weight-gradient matmul under `wgrad`: bf16 or
/// f32; null for `fp8`.
Type getWeightGradientType(MLIRContext *context, WgradPrecision wgrad);

/// Computes `matmul` (a linalg.matmul or linalg.batch_matmul) on operands
/// of element type `type`: float operands of another type get an
/// `arith.truncf`/`arith.extf`, and the op is rebuilt on them (its result
/// type is kept; the named op accumulates in it). Returns the new op, or
/// failure with `whyNot` set for any other op.
FailureOr<Operation *> computeMatmulIn(Operation *matmul, Type type,
                                       OpBuilder &builder,
                                       std::string &whyNot);

} // namespace mlir::fp8

#endif // FP8_DIALECT_FP8_TRANSFORMS_HIGHPRECISIONMATMULS_H
