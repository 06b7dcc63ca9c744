//===- KernelPlan.cpp - Kernel names and target checks --------------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "KernelPlan.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

//===----------------------------------------------------------------------===//
// Naming
//===----------------------------------------------------------------------===//

std::string gpu_kernels::typeName(Type type) {
  std::string name;
  llvm::raw_string_ostream os(name);
  type.print(os);
  return name;
}

std::string gpu_kernels::scalingName(ScalingAttr scaling) {
  switch (scaling.getKind()) {
  case ScalingKind::tensor:
    return "tensor";
  case ScalingKind::rowwise:
    return "rowwise";
  case ScalingKind::block:
    return "block" + shapeName(scaling.getBlock());
  }
  llvm_unreachable("unknown scaling kind");
}

std::string gpu_kernels::shapeName(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string name;
  llvm::raw_string_ostream os(name);
  llvm::interleave(shape, os, "x");
  return name;
}

//===----------------------------------------------------------------------===//
// Target checks
//===----------------------------------------------------------------------===//

LogicalResult gpu_kernels::checkNarrowType(Operation *op, Type narrowType,
                                           const ChipInfo &chip) {
  if (isa<Float8E4M3FNType, Float8E5M2Type>(narrowType))
    return success();
  if (!chip.hasFP4FP6Converts())
    return op->emitOpError("converts ")
           << narrowType << ", which " << chip.getName()
           << " cannot do in hardware: the FP4/FP6 cvt "
              "instructions need sm_100a";
  return op->emitOpError("has no ")
         << chip.getName() << " kernel for " << narrowType
         << " yet (only f8E4M3FN and f8E5M2)";
}
