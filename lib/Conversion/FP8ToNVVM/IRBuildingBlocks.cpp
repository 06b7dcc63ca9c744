//===- IRBuildingBlocks.cpp - Small IR pieces of every kernel -------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "IRBuildingBlocks.h"
#include "FP8Converts.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

//===----------------------------------------------------------------------===//
// IR building blocks
//===----------------------------------------------------------------------===//

Value gpu_kernels::indexConst(ImplicitLocOpBuilder &b, int64_t value) {
  return b.create<arith::ConstantIndexOp>(value);
}

Value gpu_kernels::i32Const(ImplicitLocOpBuilder &b, int64_t value) {
  return b.create<arith::ConstantIntOp>(b.getI32Type(), value);
}

Value gpu_kernels::f32Const(ImplicitLocOpBuilder &b, double value) {
  return b.create<arith::ConstantOp>(b.getF32FloatAttr(value));
}

Value gpu_kernels::globalThreadIndex(ImplicitLocOpBuilder &b,
                                     int64_t blockSize) {
  Value block = b.create<gpu::BlockIdOp>(gpu::Dimension::x);
  Value thread = b.create<gpu::ThreadIdOp>(gpu::Dimension::x);
  return b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(block, indexConst(b, blockSize)), thread);
}

Value gpu_kernels::extendToF32(ImplicitLocOpBuilder &b, Value value) {
  if (value.getType().isF32())
    return value;
  return b.create<arith::ExtFOp>(b.getF32Type(), value);
}
Value gpu_kernels::loadScaleAsF32(ImplicitLocOpBuilder &b, Value scales,
                                  Value index) {
  Value scale = b.create<memref::LoadOp>(scales, index);
  if (scale.getType().isF32())
    return scale;
  if (isa<Float8E4M3FNType>(scale.getType())) {
    // The E4M3 block scales of two-level (NVFP4) scaling: decoded exactly
    // by the paired cvt, the byte alone in the low half.
    Value byte = b.create<arith::BitcastOp>(b.getI8Type(), scale);
    Value pair = b.create<arith::ExtUIOp>(b.getI16Type(), byte);
    return convertFP8PairToF32(b, pair, scale.getType()).first;
  }
  // E8M0: 2^(e - 127) is the f32 with biased exponent e, except e = 0
  // (2^-127, the f32 subnormal 0x00400000) and e = 0xFF (NaN).
  Value byte = b.create<arith::BitcastOp>(b.getI8Type(), scale);
  Value e = b.create<arith::ExtUIOp>(b.getI32Type(), byte);
  Value normal = b.create<arith::ShLIOp>(e, i32Const(b, 23));
  Value isZero =
      b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, e, i32Const(b, 0));
  Value isNaN =
      b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, e, i32Const(b, 0xff));
  Value bits = b.create<arith::SelectOp>(isZero, i32Const(b, 0x00400000),
                                         normal);
  bits = b.create<arith::SelectOp>(isNaN, i32Const(b, 0x7fc00000), bits);
  return b.create<arith::BitcastOp>(b.getF32Type(), bits);
}

/// The alignment in bytes of a whole-vector access: its size, at most 16.
static int64_t vectorAlignment(VectorType vectorType) {
  int64_t bytes = vectorType.getNumElements() *
                  vectorType.getElementTypeBitWidth() / 8;
  return std::min<int64_t>(16, std::max<int64_t>(1, bytes));
}

Value gpu_kernels::loadAligned(ImplicitLocOpBuilder &b, Value buffer,
                               Value offset, VectorType vectorType) {
  auto load = b.create<vector::LoadOp>(vectorType, buffer, ValueRange{offset});
  load.setAlignment(vectorAlignment(vectorType));
  return load;
}

void gpu_kernels::storeAligned(ImplicitLocOpBuilder &b, Value value,
                               Value buffer, Value offset) {
  auto store = b.create<vector::StoreOp>(value, buffer, ValueRange{offset});
  store.setAlignment(
      vectorAlignment(cast<VectorType>(value.getType())));
}
int64_t gpu_kernels::chooseVectorWidth(int64_t elementBytes,
                                       ArrayRef<int64_t> extents,
                                       int64_t maxBytes) {
  for (int64_t width : {16, 8, 4, 2}) {
    if (width * elementBytes > maxBytes)
      continue;
    if (llvm::all_of(extents, [&](int64_t e) { return e % width == 0; }))
      return width;
  }
  return 1;
}
