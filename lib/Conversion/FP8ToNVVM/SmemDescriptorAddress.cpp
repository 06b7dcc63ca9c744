//===- SmemDescriptorAddress.cpp - Address part of MMA descriptors --------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "SmemDescriptorAddress.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::fp8;

Value gpu_kernels::buildSmemDescriptorAt(ImplicitLocOpBuilder &b,
                                         Value address, uint64_t fields) {
  Type i64 = b.getI64Type();
  Value start = b.create<arith::ShRUIOp>(
      b.create<arith::AndIOp>(address,
                              b.create<arith::ConstantIntOp>(i64, 0x3FFFF)),
      b.create<arith::ConstantIntOp>(i64, 4));
  return b.create<arith::OrIOp>(
      start,
      b.create<arith::ConstantIntOp>(i64, static_cast<int64_t>(fields)));
}

Value gpu_kernels::advanceSmemDescriptor(ImplicitLocOpBuilder &b,
                                         Value descriptor, int64_t bytes) {
  assert(bytes % 16 == 0 && "descriptor addresses count 16-byte units");
  if (bytes == 0)
    return descriptor;
  return b.create<arith::AddIOp>(
      descriptor, b.create<arith::ConstantIntOp>(b.getI64Type(), bytes >> 4));
}
