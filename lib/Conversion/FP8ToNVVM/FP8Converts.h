//===- FP8Converts.h - Conversions between f32 and FP8 pairs ----*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: the packed
// `cvt` conversions between f32 and E4M3FN / E5M2 (sm_89+) and between f32
// and the FP4 / FP6 formats (sm_100a) the kernels use.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_FP8CONVERTS_H
#define FP8_LIB_CONVERSION_FP8TONVVM_FP8CONVERTS_H

#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <utility>

namespace mlir::fp8::gpu_kernels {

/// i16 holds `lo` in its low byte (first in memory) and `hi` in its high
/// byte. With `saturate` false, values that overflow the format become NaN
/// (E4M3FN) or +-inf (E5M2) as `arith.truncf` does.
Value convertPairToFP8(ImplicitLocOpBuilder &b, Value lo, Value hi,
                       Type fp8Type, bool saturate);

/// Decodes the two FP8 bytes of an i16 (low byte first) with
/// `cvt.rn.f16x2.<fmt>x2` (exact) and extends them to f32.
std::pair<Value, Value> convertFP8PairToF32(ImplicitLocOpBuilder &b,
                                            Value pair, Type fp8Type);

/// `cvt.rn.satfinite` pairs of `f32Elements[i] / scale` (an even count),
/// packed into a vector of `fp8Type` in element order. With `saturate`
/// false, overflows become NaN / inf as in convertPairToFP8.
Value quantizePairsToFP8(ImplicitLocOpBuilder &b, ArrayRef<Value> f32Elements,
                         Value scale, Type fp8Type, bool saturate);

/// Whether `type` is FP4 (`f4E2M1FN`) or FP6 (`f6E2M3FN`, `f6E3M2FN`).
bool isSubByteFormat(Type type);

/// How FP4/FP6 data lies in a GPU buffer between kernels: the layout the
/// tcgen05 MMA that multiplies it reads from shared memory, so TMA copies
/// bytes unchanged (docs/gpu-pipeline.md "FP4 and FP6").
enum class SubByteStorage {
  /// Two FP4 values per byte along the row, element 2i in the low nibble
  /// (`.kind::mxf4nvf4`, `.kind::mxf4`): the first half of the buffer.
  Packed,
  /// Units of 16 elements in 16 bytes: the 16 values bit-packed from the
  /// unit's first byte (element i at bits 4i or 6i, little-endian), then
  /// zero bytes (FP4: 8 + 8, FP6: 12 + 4): the operand containers of
  /// `.kind::mxf8f6f4` (TMA's 16U4_ALIGN8B / 16U6_ALIGN16B smem layouts).
  Padded16,
};

/// The storage of the FP4/FP6 tensor `data` (the result of a quantize, or a
/// function argument) quantized with `scaleType` scales, decided here for
/// the kernel that writes it and the GEMMs that read it alike:
/// * FP4 with E4M3 (two-level NVFP4) scales: Packed;
/// * MX FP4 (E8M0 scales) that only feeds FP4 x FP4 GEMMs
///   (isPackedMXFP4Gemm): Packed, so they run `.kind::mxf4`;
/// * every other FP4/FP6 (MX FP6, MX FP4 also read by an FP8 x FP4 GEMM of
///   `formats=fp4-weights`, returned, or reshaped): Padded16.
SubByteStorage getSubByteStorage(Value data, Type scaleType);

/// Whether the `fp8.scaled_matmul` `op` multiplies MX FP4 by MX FP4 in
/// Packed storage (`.kind::mxf4`): both operands FP4 with `[1, 32]` E8M0
/// scales, K a multiple of 32 (16-byte TMA row strides of K / 2 bytes), and
/// both operands a quantize result or a function argument (whose producer
/// can write Packed bytes).
bool isPackedMXFP4Gemm(Operation *op);

/// Rounds the f32 pair (`lo`, `hi`) = elements (2i, 2i + 1) to the FP4/FP6
/// `format` with `cvt.rn.satfinite.{e2m1x2,e2m3x2,e3m2x2}.f32`: nearest
/// even, finite overflow and +-inf to +-max, and NaN to the zero of its sign
/// (docs/numerics.md "Casts"; selected before the cvt, whose own NaN result
/// is not that zero). FP4: an i8 with `lo` in the low nibble (the packed
/// storage of docs/gpu-pipeline.md). FP6: an i16 with `lo` in the low byte,
/// each value in the low 6 bits of its byte.
Value convertPairToSubByte(ImplicitLocOpBuilder &b, Value lo, Value hi,
                           Type format);

/// Rounds the four f32 `elements` (4i .. 4i + 3) to E2M1 stochastically
/// with `cvt.rs.satfinite.e2m1x4.f32` and the 32 random bits `rbits` (i32)
/// of word i: element 4i + j draws byte 3, 1, 2, 0 of `rbits` for j = 0, 1,
/// 2, 3, the bytes PTX gives operands a, b, e, f (docs/numerics.md
/// "Stochastic rounding"). NaN becomes the zero of its sign first, as in
/// convertPairToSubByte. An i16 in the Packed order: element 4i in bits
/// 0-3, 4i + 1 in bits 4-7, ..., 4i + 3 in bits 12-15.
Value convertQuadToFP4Stochastic(ImplicitLocOpBuilder &b,
                                 ArrayRef<Value> elements, Value rbits);

//===----------------------------------------------------------------------===//
// FP4 / FP6 decoding (the dequantize kernel)
//===----------------------------------------------------------------------===//

/// Decodes the FP4/FP6 pair (elements 2i, 2i + 1) `pair` exactly with
/// `cvt.rn.f16x2.{e2m1x2,e2m3x2,e3m2x2}` (every E2M1, E2M3 and E3M2 value
/// is an f16) and extends both to f32, element 2i first. FP4: an i8 with
/// element 2i in the low nibble (what convertPairToSubByte returns); FP6:
/// an i16 with element 2i in the low 6 bits of the low byte and 2i + 1 in
/// the low 6 bits of the high byte, the other bits zero.
std::pair<Value, Value> convertSubBytePairToF32(ImplicitLocOpBuilder &b,
                                                Value pair, Type format);

/// The 8 pairs (as convertSubBytePairToF32 takes them) of the Padded16
/// unit `unit` (16 bytes, vector<16xi8>) of FP4/FP6 `format`: its first 8
/// bytes for FP4; for FP6 the 12-bit fields at bits 12p of its first 12
/// bytes, each split into two 6-bit bytes.
SmallVector<Value> unpackPadded16Pairs(ImplicitLocOpBuilder &b, Value unit,
                                       Type format);

} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_FP8CONVERTS_H
