//===- FuseBias.h - Fold a row-broadcast bias add into scaled_matmul -*- C++ -*-===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_FUSEBIAS_H
#define FP8_DIALECT_FP8_TRANSFORMS_FUSEBIAS_H

#include "fp8/Dialect/FP8/IR/FP8Ops.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::fp8 {

/// Folds the bias add that is the only user of `op`'s result into `op`'s
/// `bias` operand, where that is exact (see FuseBias.cpp): the add is a
/// `linalg.generic` with maps (d.., n) -> (d.., n), (d.., n) -> (n) whose
/// body begins with `arith.addf` of the two inputs (anything after it stays
/// in a new elementwise generic), or a `linalg.add` of the result and a
/// `linalg.broadcast` of a 1-D tensor along all dims but the last. `op`
/// must have no bias, out_scale or amax result and an f32 result; for a
/// bf16/f16 result the add is left alone with a remark (fusing would round
/// once where the IR rounds twice). On success `op` (moved to the add's
/// position) has the bias and replaces the add.
LogicalResult fuseBiasAdd(ScaledMatmulOp op, RewriterBase &rewriter);

} // namespace mlir::fp8

#endif // FP8_DIALECT_FP8_TRANSFORMS_FUSEBIAS_H
