//===- FloatRangePatterns.h - Relational rules of the float ranges -*- C++ -*-===//
//
// Part of fp8-mlir. The bounds interval arithmetic cannot see because they
// relate an element to a reduction of its own row: x - max(x) <= 0,
// e / sum(e) <= 1 (softmax) and |x| / sqrt(mean(x^2) + eps) <= sqrt(N)
// (RMSNorm, and LayerNorm on the centred value). Used by
// FloatRangeAnalysis.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_FLOATRANGEPATTERNS_H
#define FP8_DIALECT_FP8_TRANSFORMS_FLOATRANGEPATTERNS_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include <optional>

namespace mlir::fp8 {

/// True when `op` is `arith.subf %x, %m` where, at every point of the
/// iteration (the tensor itself for an op on tensors, the linalg op's loops
/// for an op in a linalg body), %m is the max (`arith.maximumf` or
/// `arith.maxnumf`) of a set of elements of the same tensor that contains
/// the element %x: %m comes from a `linalg.reduce` or reduction
/// `linalg.generic` of %x's tensor over some dims, read through a
/// `linalg.broadcast` or a broadcasting `linalg.generic` over the same dims
/// (possibly of a `tensor.collapse_shape` removing those dims where they
/// have size 1) or through a linalg indexing map that drops them or sets
/// them to 0 (torch-mlir's keepdim `(d0, d1) -> (d0, 0)`). Then every non-NaN result is <= 0: m >= x, so the
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

/// When `op` is `arith.mulf %x, %r` (either order) of RMSNorm, where %r,
/// read at each point where %x is read (as for the rules above), is
/// `rsqrt(s / n + eps)` or `rsqrt(s * c + eps)` (n = 1 / c), s the row sum
/// of x * x (a reduction of %x's tensor, or of `arith.mulf %X, %X`, onto a
/// nonnegative init) and eps >= 1e-30 (`rangeOf` gives the ranges of n, c,
/// eps and the init), each step possibly in its own elementwise
/// `linalg.generic` read through the identity: returns n. Then every non-NaN |result| is at most
/// sqrt(n) up to rounding: s >= x * x for the x read (a sum of
/// nonnegative terms never drops below a term, rounding being monotone),
/// so x^2 / (s / n + eps) <= n; each of the about six rounded steps adds
/// at most one unit in the last place, which the caller widens by.
///
/// LayerNorm is the same rule applied to the centred value c = x - m: the
/// bound holds for ANY c, so the value multiplied and the value squared
/// need only hold the same elements. They may be one SSA value or two
/// structurally identical deterministic elementwise ops on the same
/// operands (two `arith.subf %x, %m`, two identical `linalg.generic`), as
/// torch-mlir emits; the squares may be `arith.mulf %c, %c` on tensors or
/// a `linalg.generic` yielding `arith.mulf` of two identity-read copies.
/// A variance from a different mean or a different precision (an f64 x
/// and mean, as torch-mlir's var_mean upcast gives) is not matched: the
/// multiplied c is then not bounded by it (an all-equal row has variance
/// 0 while the f32 row sum may round, leaving x - mean != 0).
std::optional<double> getRMSNormLength(
    Operation *op,
    llvm::function_ref<std::optional<double>(Value)> getLowerBound,
    llvm::function_ref<std::optional<double>(Value)> getConstant);

} // namespace mlir::fp8

#endif // FP8_DIALECT_FP8_TRANSFORMS_FLOATRANGEPATTERNS_H
