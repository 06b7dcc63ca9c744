//===- GemmEpilogue.cpp - What the GEMM epilogues share -------------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "GemmEpilogue.h"
#include "FP8Converts.h"
#include "IRBuildingBlocks.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

Value gpu_kernels::conjoin(ImplicitLocOpBuilder &b, Value lhs, Value rhs) {
  return lhs ? b.create<arith::AndIOp>(lhs, rhs).getResult() : rhs;
}

Value gpu_kernels::convertToOutputType(ImplicitLocOpBuilder &b,
                                       ArrayRef<Value> values, Type outType,
                                       Value outScale) {
  int64_t width = values.size();
  if (!isa<Float8E4M3FNType, Float8E5M2Type>(outType)) {
    SmallVector<Value> d(values);
    if (!outType.isF32())
      for (Value &v : d)
        v = b.create<arith::TruncFOp>(outType, v);
    return b.create<vector::FromElementsOp>(VectorType::get({width}, outType),
                                            d);
  }
  // Pairs of bytes: one element (paired with 0), or an even number.
  assert((width == 1 || width % 2 == 0) && "odd FP8 store width");
  SmallVector<Value> pairs;
  for (int64_t i = 0; i < width; i += 2) {
    Value lo = b.create<arith::DivFOp>(values[i], outScale);
    Value hi = i + 1 < width ? b.create<arith::DivFOp>(values[i + 1], outScale)
                             : f32Const(b, 0.0);
    pairs.push_back(convertPairToFP8(b, lo, hi, outType, /*saturate=*/true));
  }
  if (width == 1) {
    Value byte = b.create<arith::TruncIOp>(b.getI8Type(), pairs.front());
    return b.create<vector::BitCastOp>(
        VectorType::get({1}, outType),
        b.create<vector::FromElementsOp>(VectorType::get({1}, b.getI8Type()),
                                         byte));
  }
  return b.create<vector::BitCastOp>(
      VectorType::get({width}, outType),
      b.create<vector::FromElementsOp>(
          VectorType::get({width / 2}, b.getI16Type()), pairs));
}

Value gpu_kernels::emitIfInBounds(ImplicitLocOpBuilder &b, Value inBounds,
                                  Value amax,
                                  function_ref<Value(Value amax)> emitStore) {
  if (!inBounds)
    return emitStore(amax);
  auto guard = b.create<scf::IfOp>(TypeRange{b.getI32Type()}, inBounds,
                                   /*withElseRegion=*/true);
  b.setInsertionPointToStart(&guard.getThenRegion().front());
  Value updated = emitStore(amax);
  b.create<scf::YieldOp>(updated);
  b.setInsertionPointToStart(&guard.getElseRegion().front());
  b.create<scf::YieldOp>(amax);
  b.setInsertionPointAfter(guard);
  return guard.getResult(0);
}
