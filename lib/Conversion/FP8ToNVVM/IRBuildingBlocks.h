//===- IRBuildingBlocks.h - Small IR pieces of every kernel -----*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: constants, the
// global thread index, f32 extension, scale loads and whole-vector loads
// and stores, the pieces the kernel bodies are made of.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_IRBUILDINGBLOCKS_H
#define FP8_LIB_CONVERSION_FP8TONVVM_IRBUILDINGBLOCKS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::fp8::gpu_kernels {

//===----------------------------------------------------------------------===//
// IR building blocks
//===----------------------------------------------------------------------===//

/// An `index` constant.
Value indexConst(ImplicitLocOpBuilder &b, int64_t value);
/// An i32 constant.
Value i32Const(ImplicitLocOpBuilder &b, int64_t value);
/// An f32 constant.
Value f32Const(ImplicitLocOpBuilder &b, double value);

/// `block_id.x * blockSize + thread_id.x`.
Value globalThreadIndex(ImplicitLocOpBuilder &b, int64_t blockSize);

/// Extends f16/bf16 to f32 (exact); f32 passes through.
Value extendToF32(ImplicitLocOpBuilder &b, Value value);

/// Loads the scale at `index` of a 1-D scale buffer as f32: f32 as is,
/// E8M0 `e` decoded to 2^(e - 127) (0xFF: NaN), E4M3FN (NVFP4 block
/// scales) decoded exactly.
Value loadScaleAsF32(ImplicitLocOpBuilder &b, Value scales, Value index);

/// Loads / stores `vectorType` at element `offset` of a 1-D buffer with the
/// alignment of the whole vector (at most 16 bytes), so the backend emits
/// one ld/st.global.v4 per 16 bytes.
Value loadAligned(ImplicitLocOpBuilder &b, Value buffer, Value offset,
                  VectorType vectorType);
void storeAligned(ImplicitLocOpBuilder &b, Value value, Value buffer,
                  Value offset);

/// Largest element count in {16, 8, 4, 2, 1} whose bytes fit in
/// `maxBytes` and that divides every value of `extents`.
int64_t chooseVectorWidth(int64_t elementBytes, ArrayRef<int64_t> extents,
                          int64_t maxBytes = 16);

} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_IRBUILDINGBLOCKS_H
