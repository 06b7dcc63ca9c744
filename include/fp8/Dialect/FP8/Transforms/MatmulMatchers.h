//===- MatmulMatchers.h - Recognizing matmul-like linalg ops ----*- C++ -*-===//
//
// Part of fp8-mlir. One matcher for every matmul form the quantization
// passes handle: `linalg.matmul` (with any indexing maps, i.e. the
// transposed forms), `linalg.batch_matmul`, `linalg.contract` and
// contraction `linalg.generic`s, all seen as
//
//   D[b..., m, n] = sum_k A[b..., m, k] * B[b..., k, n]  (+ C[b..., m, n])
//
// with the permutations that bring each operand into the K-major layout
// `fp8.scaled_matmul` reads.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_MATMULMATCHERS_H
#define FP8_DIALECT_FP8_TRANSFORMS_MATMULMATCHERS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <string>

namespace mlir::fp8 {

/// A matmul-like linalg op, its loop dims classified and the layouts of its
/// operands. A permutation `p` of an operand means: dim `i` of the
/// canonical layout is dim `p[i]` of the operand as the op reads it (the
/// `permutation` of a `linalg.transpose` from the operand to the canonical
/// layout).
struct MatmulView {
  linalg::LinalgOp op;
  Value a, b, init;
  /// Loop dims: batch dims in loop order, then M, N and K.
  SmallVector<unsigned> batchDims;
  unsigned m = 0, n = 0, k = 0;
  /// Permutation of A to `[b..., M, K]`.
  SmallVector<int64_t> aToKMajor;
  /// Permutation of B to `[b..., N, K]` (K-major, `transpose_b`).
  SmallVector<int64_t> bToKMajor;
  /// Permutation of the canonical result `[b..., M, N]` to the layout of
  /// `init` (identity for the usual `[b..., M, N]` result).
  SmallVector<int64_t> resultToInit;

  /// Static loop sizes (ShapedType::kDynamic where dynamic).
  SmallVector<int64_t> getLoopSizes() { return op.getStaticLoopRanges(); }
  int64_t getM() { return getLoopSizes()[m]; }
  int64_t getN() { return getLoopSizes()[n]; }
  int64_t getK() { return getLoopSizes()[k]; }
};

/// True for linalg ops that compute a contraction of two inputs into one
/// init (`linalg::isaContractionOpInterface`). These are the ops that get
/// `fp8.roles`; matchMatmul says whether a quantization pass can rewrite
/// one.
bool isMatmulLike(Operation *op);

/// Classifies a matmul-like op on tensors. Fails, with a sentence for an
/// optimization remark in `whyNot`, where the op is not one matmul `D = A x
/// B` with exactly one M, N and K dim (batch dims allowed) and operands
/// that are permutations of `[b..., M, K]`, `[b..., K, N]`, `[b..., M, N]`.
FailureOr<MatmulView> matchMatmul(Operation *op, std::string &whyNot);

/// Rewrites a contraction `linalg.generic` with several M dims and one N
/// and one K dim, whose M dims are one contiguous run in the same order in
/// A and in the init (a linear layer on [B, S, K] activations), into the
/// same contraction over A and the init collapsed to one M dim
/// (`tensor.collapse_shape`), its result expanded back (a dynamic M dim
/// takes its size from the init). Returns the new op; fails, changing
/// nothing, when the op has another form or more than one dynamic M dim
/// (CollapseMatmulDims.cpp).
FailureOr<linalg::GenericOp> collapseMatmulMDims(RewriterBase &rewriter,
                                                 linalg::GenericOp op);

/// Follows `value` through `linalg.transpose` producers (on tensors) whose
/// input is defined in the transpose's own block. Returns
/// the first value that is not a transpose result, and in `permutation`
/// (given as the permutation from `value` to some target layout) the
/// permutation from that source to the same target layout.
Value lookThroughTransposes(Value value, SmallVectorImpl<int64_t> &permutation);

} // namespace mlir::fp8

#endif // FP8_DIALECT_FP8_TRANSFORMS_MATMULMATCHERS_H
