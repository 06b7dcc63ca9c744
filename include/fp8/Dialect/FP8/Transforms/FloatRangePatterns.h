//===- FloatRangePatterns.h - Relational rules of the float ranges -*- C++ -*-===//
//
// Part of fp8-mlir. The bounds interval arithmetic cannot see because they
// relate an element to a reduction of its own row: x - max(x) <= 0 and
// e / sum(e) <= 1 (softmax). Used by FloatRangeAnalysis.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_FLOATRANGEPATTERNS_H
#define FP8_DIALECT_FP8_TRANSFORMS_FLOATRANGEPATTERNS_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::fp8 {

/// True when `op` is `arith.subf %x, %m` where, at every point of the
/// iteration (the tensor itself for an op on tensors, the linalg op's loops
/// for an op in a linalg body), %m is the max (`arith.maximumf` or
/// `arith.maxnumf`) of a set of elements of the same tensor that contains
/// the element %x: %m comes from a `linalg.reduce` or reduction
/// `linalg.generic` of %x's tensor over some dims, read through a
/// `linalg.broadcast` over the same dims or through a linalg indexing map
/// that drops them. Then every non-NaN result is <= 0: m >= x, so the
/// exact difference is <= 0, and rounding is monotone and maps 0 to 0.
bool isSubtractionOfRowMax(Operation *op);

/// True when `op` is `arith.divf %e, %s` where %s, read as above, is the
/// sum (`arith.addf`) of a set of elements of %e's tensor containing %e,
/// accumulated onto an init, and `isNonNegative` holds for %e's tensor and
/// for the init. Then every non-NaN result is in [0, 1]: each partial sum
/// of nonnegative terms is >= the previous one and >= the term just added
/// (rounding is monotone and exact on the operands themselves), so
/// 0 <= e <= s, e / s <= 1 exactly, and rounding maps 1 to 1.
bool isDivisionByRowSum(Operation *op,
                        llvm::function_ref<bool(Value)> isNonNegative);

} // namespace mlir::fp8

#endif // FP8_DIALECT_FP8_TRANSFORMS_FLOATRANGEPATTERNS_H
