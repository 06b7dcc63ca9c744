//===- KernelPlan.cpp - Kernel names and target checks --------------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "KernelPlan.h"

#include "IRBuildingBlocks.h"

#include "fp8/Support/CheckedShape.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

//===----------------------------------------------------------------------===//
// Runtime sizes
//===----------------------------------------------------------------------===//

int64_t RuntimeExtent::evaluate(int64_t rows) const {
  int64_t extent = ceilDiv(rows * mul, div);
  return max != 0 ? std::min(extent, max) : extent;
}

Value RuntimeExtent::build(ImplicitLocOpBuilder &b, Value rows) const {
  Value extent = rows;
  if (mul != 1)
    extent = b.create<arith::MulIOp>(extent, indexConst(b, mul));
  if (div != 1)
    extent = b.create<arith::CeilDivUIOp>(extent, indexConst(b, div));
  if (max != 0)
    extent = b.create<arith::MinUIOp>(extent, indexConst(b, max));
  return extent;
}

bool gpu_kernels::hasStaticRowLength(ShapedType type) {
  return type.hasRank() && type.getRank() >= 1 &&
         !ShapedType::isDynamic(type.getShape().back());
}

SmallVector<int64_t> gpu_kernels::rowDims(ShapedType type) {
  return llvm::to_vector(llvm::seq<int64_t>(0, type.getRank() - 1));
}

LogicalResult gpu_kernels::checkRuntimeRowShape(Operation *op,
                                                RankedTensorType data,
                                                ScalingAttr scaling) {
  if (!hasStaticRowLength(data))
    return op->emitOpError("has no GPU kernel for ")
           << data << ": the last dim must be static (the kernels take "
              "the leading dims, folded into the rows, at run time)";
  if (!scaling.isTensor() && scaling.getGroupExtent(data.getShape()).first != 1)
    return op->emitOpError("has no GPU kernel for ")
           << scaling << " of " << data
           << " with dynamic rows: only scale groups one row tall (tensor, "
              "rowwise, [1, c]) take the rows at run time";
  return success();
}

unsigned gpu_kernels::addRuntimeRowsParam(KernelPlan &plan,
                                          MLIRContext *ctx) {
  plan.params.push_back({KernelParam::Kind::RuntimeRows, "rows", 0,
                         IndexType::get(ctx)});
  return plan.params.size() - 1;
}

MemRefType
gpu_kernels::kernelBufferType(int64_t size, Type elementType,
                              const std::optional<RuntimeExtent> &length) {
  return MemRefType::get({length ? kRuntimeBufferExtent : size}, elementType);
}

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
  // Dynamic dims are `d`: `dx256`.
  llvm::interleave(
      shape, os,
      [&](int64_t size) {
        if (ShapedType::isDynamic(size))
          os << "d";
        else
          os << size;
      },
      "x");
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
