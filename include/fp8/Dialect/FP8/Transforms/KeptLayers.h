//===- KeptLayers.h - Layers kept in high precision -------------*- C++ -*-===//
//
// Part of fp8-mlir. Which matmuls of a function belong to its first or last
// N layers (recipe fields `keep_first`, `keep_last`), forward and backward.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_KEPTLAYERS_H
#define FP8_DIALECT_FP8_TRANSFORMS_KEPTLAYERS_H

#include "fp8/Dialect/FP8/IR/FP8Attrs.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::fp8 {

/// The layer of each matmul of `matmuls` (a function's matmuls in program
/// order, with the roles of their A and B operands) that belongs to one;
/// layers are numbered from 0 in program order. The rule:
///   * a matmul with a weight operand belongs to that weight's layer; a
///     weight not seen before starts a new layer (so the layers are
///     numbered in the order of their forward matmuls, and a data-gradient
///     matmul dX = dY W joins the layer of W);
///   * a weight-gradient matmul (activation x gradient) belongs to the
///     layer whose forward matmul reads the same activation (dW = dY^T X
///     joins the layer of Y = X W^T);
///   * other matmuls belong to no layer.
/// Operands are compared after looking through transposes, broadcasts,
/// reshapes and tensor.cast.
llvm::DenseMap<Operation *, int64_t>
getMatmulLayers(ArrayRef<Operation *> matmuls,
                ArrayRef<std::pair<Role, Role>> roles, int64_t &numLayers);

} // namespace mlir::fp8

#endif // FP8_DIALECT_FP8_TRANSFORMS_KEPTLAYERS_H
