//===- OpTypes.h - Every type an operation carries --------------*- C++ -*-===//
//
// Part of fp8-mlir. The types the checks before lowering
// (fp8-verify-llvm-types, fp8-verify-vector-sizes) look at.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_OPTYPES_H
#define FP8_DIALECT_FP8_TRANSFORMS_OPTYPES_H

#include "mlir/IR/Operation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir::fp8 {

/// The types `op` carries: its operands and results, its blocks' arguments,
/// and a function's signature.
inline SmallVector<Type> getOpTypes(Operation *op) {
  SmallVector<Type> types(op->getOperandTypes());
  llvm::append_range(types, op->getResultTypes());
  if (auto function = dyn_cast<FunctionOpInterface>(op))
    types.push_back(function.getFunctionType());
  for (Region &region : op->getRegions())
    for (Block &block : region)
      llvm::append_range(types, block.getArgumentTypes());
  return types;
}

} // namespace mlir::fp8

#endif // FP8_DIALECT_FP8_TRANSFORMS_OPTYPES_H
