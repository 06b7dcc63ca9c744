//===- KeptLayers.cpp - Layers kept in high precision ---------------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/KeptLayers.h"
#include "fp8/Dialect/FP8/Transforms/HighPrecisionMatmuls.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"

using namespace mlir;
using namespace mlir::fp8;

/// `value` followed back through ops that only move data.
static Value traceLayout(Value value) {
  while (Operation *op = value.getDefiningOp()) {
    if (auto transpose = dyn_cast<linalg::TransposeOp>(op))
      value = transpose.getInput();
    else if (auto broadcast = dyn_cast<linalg::BroadcastOp>(op))
      value = broadcast.getInput();
    else if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op))
      value = collapse.getSrc();
    else if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op))
      value = expand.getSrc();
    else if (auto cast = dyn_cast<tensor::CastOp>(op))
      value = cast.getSource();
    else
      break;
  }
  return value;
}

llvm::DenseMap<Operation *, int64_t>
fp8::getMatmulLayers(ArrayRef<Operation *> matmuls,
                     ArrayRef<std::pair<Role, Role>> roles,
                     int64_t &numLayers) {
  llvm::DenseMap<Value, int64_t> weightLayers, activationLayers;
  llvm::DenseMap<Operation *, int64_t> layers;
  numLayers = 0;
  // Weights first, in program order: forward and data-gradient matmuls.
  for (auto [op, opRoles] : llvm::zip_equal(matmuls, roles)) {
    auto dps = cast<DestinationStyleOpInterface>(op);
    Value a = traceLayout(dps.getDpsInputOperand(0)->get());
    Value b = traceLayout(dps.getDpsInputOperand(1)->get());
    auto [aRole, bRole] = opRoles;
    Value weight = bRole == Role::weight   ? b
                   : aRole == Role::weight ? a
                                           : Value();
    if (!weight)
      continue;
    auto [it, inserted] = weightLayers.try_emplace(weight, numLayers);
    if (inserted)
      ++numLayers;
    layers[op] = it->second;
    Value other = weight == b ? a : b;
    Role otherRole = weight == b ? aRole : bRole;
    if (otherRole == Role::activation)
      activationLayers.try_emplace(other, it->second);
  }
  // Then weight gradients, by the activation of their layer's forward.
  for (auto [op, opRoles] : llvm::zip_equal(matmuls, roles)) {
    if (!isWeightGradientMatmul(opRoles))
      continue;
    auto dps = cast<DestinationStyleOpInterface>(op);
    Value activation = traceLayout(
        dps.getDpsInputOperand(opRoles.first == Role::activation ? 0 : 1)
            ->get());
    auto it = activationLayers.find(activation);
    if (it != activationLayers.end())
      layers[op] = it->second;
  }
  return layers;
}
