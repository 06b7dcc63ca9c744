//===- FP8Converts.cpp - Conversions between f32 and FP8 pairs ------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "FP8Converts.h"
#include "IRBuildingBlocks.h"
#include "Reductions.h"

#include "fp8/Dialect/FP8/IR/FP8Ops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

/// The byte `arith.truncf` gives for an f32 that overflows `fp8Type`:
/// NaN (0x7F) for E4M3FN, inf (0x7C) for E5M2, with the sign of `value`.
/// Overflow means rounding to nearest-even leaves the finite range: |x| >
/// 464 for E4M3FN (464 is the tie between 448 and 480 and rounds to 448),
/// |x| >= 61440 for E5M2 (the tie between 57344 and 65536 rounds to 65536).
static Value applyOverflow(ImplicitLocOpBuilder &b, Value value, Value byte,
                           Type fp8Type) {
  bool isE4M3 = isa<Float8E4M3FNType>(fp8Type);
  Value magnitude =
      b.create<arith::BitcastOp>(b.getF32Type(), absBits(b, value));
  Value overflows = b.create<arith::CmpFOp>(
      isE4M3 ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OGE,
      magnitude, f32Const(b, isE4M3 ? 464.0 : 61440.0));
  Value bits = b.create<arith::BitcastOp>(b.getI32Type(), value);
  Value sign = b.create<arith::ShRUIOp>(bits, i32Const(b, 24));
  sign = b.create<arith::AndIOp>(sign, i32Const(b, 0x80));
  Value special = b.create<arith::OrIOp>(sign, i32Const(b, isE4M3 ? 0x7f : 0x7c));
  special = b.create<arith::TruncIOp>(b.getI16Type(), special);
  return b.create<arith::SelectOp>(overflows, special, byte);
}

Value gpu_kernels::convertPairToFP8(ImplicitLocOpBuilder &b, Value lo,
                                    Value hi, Type fp8Type, bool saturate) {
  // PTX packs operand `a` into the high byte and `b` into the low byte.
  Value pair = b.create<NVVM::ConvertF32x2ToF8x2Op>(
      b.getI16Type(), hi, lo, NVVM::FPRoundingMode::RN,
      NVVM::SaturationMode::SATFINITE, /*relu=*/false, fp8Type);
  if (saturate)
    return pair;
  Value low = b.create<arith::AndIOp>(pair, b.create<arith::ConstantIntOp>(
                                                b.getI16Type(), 0xff));
  Value high = b.create<arith::ShRUIOp>(
      pair, b.create<arith::ConstantIntOp>(b.getI16Type(), 8));
  low = applyOverflow(b, lo, low, fp8Type);
  high = applyOverflow(b, hi, high, fp8Type);
  return b.create<arith::OrIOp>(
      low, b.create<arith::ShLIOp>(
               high, b.create<arith::ConstantIntOp>(b.getI16Type(), 8)));
}

std::pair<Value, Value> gpu_kernels::convertFP8PairToF32(ImplicitLocOpBuilder &b,
                                                         Value pair,
                                                         Type fp8Type) {
  auto bytesType = VectorType::get({2}, b.getI8Type());
  Value bytes = b.create<vector::BitCastOp>(
      bytesType, b.create<vector::BroadcastOp>(
                     VectorType::get({1}, b.getI16Type()), pair));
  auto halvesType = VectorType::get({2}, b.getF16Type());
  Value halves = b.create<NVVM::ConvertF8x2ToF16x2Op>(
      halvesType, bytes, /*relu=*/false, fp8Type);
  Value first = b.create<vector::ExtractOp>(halves, 0);
  Value second = b.create<vector::ExtractOp>(halves, 1);
  return {extendToF32(b, first), extendToF32(b, second)};
}

Value gpu_kernels::quantizePairsToFP8(ImplicitLocOpBuilder &b,
                                      ArrayRef<Value> f32Elements, Value scale,
                                      Type fp8Type, bool saturate) {
  assert(f32Elements.size() % 2 == 0 && "the cvt converts pairs");
  SmallVector<Value> pairs;
  for (size_t i = 0; i < f32Elements.size(); i += 2) {
    Value lo = b.create<arith::DivFOp>(f32Elements[i], scale);
    Value hi = b.create<arith::DivFOp>(f32Elements[i + 1], scale);
    pairs.push_back(convertPairToFP8(b, lo, hi, fp8Type, saturate));
  }
  int64_t count = f32Elements.size();
  Value packed = b.create<vector::FromElementsOp>(
      VectorType::get({count / 2}, b.getI16Type()), pairs);
  return b.create<vector::BitCastOp>(VectorType::get({count}, fp8Type),
                                     packed);
}

bool gpu_kernels::isSubByteFormat(Type type) {
  return isa<Float4E2M1FNType, Float6E2M3FNType, Float6E3M2FNType>(type);
}

/// Whether `value` is a function argument or the result of an
/// `fp8.quantize`: the values whose bytes a kernel choosing its storage
/// here (or the host) writes.
static bool hasStorageProducer(Value value) {
  if (isa<BlockArgument>(value))
    return isa_and_nonnull<func::FuncOp>(
        value.getParentRegion()->getParentOp());
  return isa<QuantizeOp>(value.getDefiningOp());
}

bool gpu_kernels::isPackedMXFP4Gemm(Operation *op) {
  auto gemm = dyn_cast<ScaledMatmulOp>(op);
  if (!gemm)
    return false;
  auto isMX = [](ScalingAttr scaling) {
    return scaling.isBlock() && scaling.getBlock() == ArrayRef<int64_t>{1, 32};
  };
  auto isMXFP4 = [&](Value data, Value scale, ScalingAttr scaling) {
    return isa<Float4E2M1FNType>(getElementTypeOrSelf(data.getType())) &&
           isa<Float8E8M0FNUType>(getElementTypeOrSelf(scale.getType())) &&
           isMX(scaling) && hasStorageProducer(data);
  };
  if (!isMXFP4(gemm.getA(), gemm.getAScale(), gemm.getAScaling()) ||
      !isMXFP4(gemm.getB(), gemm.getBScale(), gemm.getBScaling()))
    return false;
  auto aType = cast<ShapedType>(gemm.getA().getType());
  return aType.hasStaticShape() && aType.getShape().back() % 32 == 0;
}

SubByteStorage gpu_kernels::getSubByteStorage(Value data, Type scaleType) {
  Type format = getElementTypeOrSelf(data.getType());
  if (!isa<Float4E2M1FNType>(format))
    return SubByteStorage::Padded16;
  if (isa<Float8E4M3FNType>(scaleType))
    return SubByteStorage::Packed;
  // MX FP4: Packed when every reader is a .kind::mxf4 GEMM, whose other
  // operand then is Packed by the same rule (an operand also read by an
  // FP8 x FP4 GEMM is Padded16, and that GEMM is reported).
  if (!hasStorageProducer(data) || data.use_empty())
    return SubByteStorage::Padded16;
  for (OpOperand &use : data.getUses()) {
    auto gemm = dyn_cast<ScaledMatmulOp>(use.getOwner());
    if (!gemm || !isPackedMXFP4Gemm(gemm) ||
        (use.get() != gemm.getA() && use.get() != gemm.getB()))
      return SubByteStorage::Padded16;
  }
  return SubByteStorage::Packed;
}

/// `value`, or the zero of its sign when it is NaN.
static Value nanToSignedZero(ImplicitLocOpBuilder &b, Value value) {
  Value isNaN =
      b.create<arith::CmpFOp>(arith::CmpFPredicate::UNO, value, value);
  Value bits = b.create<arith::BitcastOp>(b.getI32Type(), value);
  Value sign = b.create<arith::AndIOp>(
      bits, b.create<arith::ConstantIntOp>(b.getI32Type(), 0x80000000LL));
  Value zero = b.create<arith::BitcastOp>(b.getF32Type(), sign);
  return b.create<arith::SelectOp>(isNaN, zero, value);
}

Value gpu_kernels::convertPairToSubByte(ImplicitLocOpBuilder &b, Value lo,
                                        Value hi, Type format) {
  assert(isSubByteFormat(format) && "FP4 or FP6");
  lo = nanToSignedZero(b, lo);
  hi = nanToSignedZero(b, hi);
  // PTX puts operand `a` in the high nibble / byte and `b` in the low one.
  if (isa<Float4E2M1FNType>(format))
    return b.create<NVVM::ConvertF32x2ToF4x2Op>(b.getI8Type(), hi, lo,
                                                /*relu=*/false, format);
  return b.create<NVVM::ConvertF32x2ToF6x2Op>(b.getI16Type(), hi, lo,
                                              /*relu=*/false, format);
}

Value gpu_kernels::convertQuadToFP4Stochastic(ImplicitLocOpBuilder &b,
                                              ArrayRef<Value> elements,
                                              Value rbits) {
  assert(elements.size() == 4 && "the cvt converts four values");
  // PTX puts a, b, e, f in bits 15-12, 11-8, 7-4, 3-0 of the result, so
  // (a, b, e, f) = elements (3, 2, 1, 0) gives the Packed order. Operand a
  // draws rbits[31:24], b [15:8], e [23:16], f [7:0]: byte-swapping rbits
  // hands element j the byte 3, 1, 2, 0 of the word.
  SmallVector<Value> reversed;
  for (Value element : llvm::reverse(elements))
    reversed.push_back(nanToSignedZero(b, element));
  Value quad = b.create<vector::FromElementsOp>(
      VectorType::get({4}, b.getF32Type()), reversed);
  Value swapped = b.create<LLVM::ByteSwapOp>(rbits);
  return b.create<NVVM::ConvertF32x4ToF4x4Op>(
      b.getI16Type(), quad, swapped, /*relu=*/false,
      Float4E2M1FNType::get(b.getContext()));
}

//===----------------------------------------------------------------------===//
// FP4 / FP6 decoding
//===----------------------------------------------------------------------===//

std::pair<Value, Value>
gpu_kernels::convertSubBytePairToF32(ImplicitLocOpBuilder &b, Value pair,
                                     Type format) {
  assert(isSubByteFormat(format) && "FP4 or FP6");
  auto halvesType = VectorType::get({2}, b.getF16Type());
  Value halves;
  // PTX converts the high nibble / byte of the source to the high half.
  if (isa<Float4E2M1FNType>(format)) {
    halves = b.create<NVVM::ConvertF4x2ToF16x2Op>(halvesType, pair,
                                                  /*relu=*/false, format);
  } else {
    Value bytes = b.create<vector::BitCastOp>(
        VectorType::get({2}, b.getI8Type()),
        b.create<vector::BroadcastOp>(VectorType::get({1}, b.getI16Type()),
                                      pair));
    halves = b.create<NVVM::ConvertF6x2ToF16x2Op>(halvesType, bytes,
                                                  /*relu=*/false, format);
  }
  Value first = b.create<vector::ExtractOp>(halves, 0);
  Value second = b.create<vector::ExtractOp>(halves, 1);
  return {extendToF32(b, first), extendToF32(b, second)};
}

SmallVector<Value> gpu_kernels::unpackPadded16Pairs(ImplicitLocOpBuilder &b,
                                                    Value unit, Type format) {
  assert(isSubByteFormat(format) && "FP4 or FP6");
  SmallVector<Value> pairs;
  if (isa<Float4E2M1FNType>(format)) {
    // Elements 2p, 2p + 1 are byte p, low nibble first.
    for (int64_t p = 0; p < 8; ++p)
      pairs.push_back(b.create<vector::ExtractOp>(unit, p));
    return pairs;
  }
  Value words = b.create<vector::BitCastOp>(
      VectorType::get({4}, b.getI32Type()), unit);
  SmallVector<Value> word;
  for (int64_t w = 0; w < 3; ++w)
    word.push_back(b.create<vector::ExtractOp>(words, w));
  for (int64_t p = 0; p < 8; ++p) {
    // The 12 bits of elements 2p, 2p + 1 start at bit 12p, little-endian
    // across the 32-bit words (p = 2 and 5 straddle two words).
    int64_t position = 12 * p, index = position / 32, shift = position % 32;
    Value field = b.create<arith::ShRUIOp>(word[index], i32Const(b, shift));
    if (shift + 12 > 32)
      field = b.create<arith::OrIOp>(
          field, b.create<arith::ShLIOp>(word[index + 1],
                                         i32Const(b, 32 - shift)));
    Value low = b.create<arith::AndIOp>(field, i32Const(b, 0x3f));
    Value high = b.create<arith::AndIOp>(
        b.create<arith::ShRUIOp>(field, i32Const(b, 6)), i32Const(b, 0x3f));
    Value bits = b.create<arith::OrIOp>(
        low, b.create<arith::ShLIOp>(high, i32Const(b, 8)));
    pairs.push_back(b.create<arith::TruncIOp>(b.getI16Type(), bits));
  }
  return pairs;
}
