//===- Tcgen05Descriptors.cpp - tcgen05 instruction/matrix descriptors ----===//
//
// Part of fp8-mlir. See Tcgen05Descriptors.h for the field tables.
//
//===----------------------------------------------------------------------===//

#include "Tcgen05Descriptors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

//===----------------------------------------------------------------------===//
// Instruction descriptor
//===----------------------------------------------------------------------===//

std::optional<Tcgen05ElementFormat>
gpu_kernels::getTcgen05ElementFormat(Type type) {
  if (isa<Float8E4M3FNType>(type))
    return Tcgen05ElementFormat::E4M3;
  if (isa<Float8E5M2Type>(type))
    return Tcgen05ElementFormat::E5M2;
  if (isa<Float6E2M3FNType>(type))
    return Tcgen05ElementFormat::E2M3;
  if (isa<Float6E3M2FNType>(type))
    return Tcgen05ElementFormat::E3M2;
  if (isa<Float4E2M1FNType>(type))
    return Tcgen05ElementFormat::E2M1;
  return std::nullopt;
}

FailureOr<Tcgen05MmaChoice>
gpu_kernels::chooseTcgen05Mma(Type aType, Type bType, Type aScale,
                              Type bScale, bool mx, bool packed,
                              std::string &whyNot) {
  auto isFP8 = [](Type t) { return isa<Float8E4M3FNType, Float8E5M2Type>(t); };
  auto isFP4 = [](Type t) { return isa<Float4E2M1FNType>(t); };
  if (isFP4(aType) && isFP4(bType) && isa<Float8E4M3FNType>(aScale) &&
      isa<Float8E4M3FNType>(bScale))
    return Tcgen05MmaChoice{Tcgen05MmaKind::MXF4NVF4, /*scaleVector=*/4,
                            /*elementsPerByte=*/2};
  bool e8m0 = isa<Float8E8M0FNUType>(aScale) && isa<Float8E8M0FNUType>(bScale);
  if (mx && e8m0 && packed && isFP4(aType) && isFP4(bType))
    return Tcgen05MmaChoice{Tcgen05MmaKind::MXF4, /*scaleVector=*/2,
                            /*elementsPerByte=*/2};
  if (packed) {
    whyNot = "packed FP4 storage (MX FP4 x FP4 with [1, 32] E8M0 scales on "
             "both operands only)";
    return failure();
  }
  if (mx && e8m0 && getTcgen05ElementFormat(aType) &&
      getTcgen05ElementFormat(bType))
    return Tcgen05MmaChoice{Tcgen05MmaKind::MXF8F6F4, /*scaleVector=*/1,
                            /*elementsPerByte=*/1};
  if (isFP8(aType) && isFP8(bType))
    return Tcgen05MmaChoice{Tcgen05MmaKind::F8F6F4, /*scaleVector=*/0,
                            /*elementsPerByte=*/1};
  whyNot = "FP4/FP6 operands without MX [1, 32] E8M0 scales on both "
           "operands";
  return failure();
}

static bool isSubByte(Tcgen05ElementFormat format) {
  return format != Tcgen05ElementFormat::E4M3 &&
         format != Tcgen05ElementFormat::E5M2;
}

static std::string str(int64_t value) { return std::to_string(value); }

static bool isBlockScaled(Tcgen05MmaKind kind) {
  return kind != Tcgen05MmaKind::F8F6F4;
}

static std::string kindName(Tcgen05MmaKind kind) {
  switch (kind) {
  case Tcgen05MmaKind::F8F6F4:
    return ".kind::f8f6f4";
  case Tcgen05MmaKind::MXF8F6F4:
    return ".kind::mxf8f6f4";
  case Tcgen05MmaKind::MXF4NVF4:
    return ".kind::mxf4nvf4";
  case Tcgen05MmaKind::MXF4:
    return ".kind::mxf4";
  }
  return "";
}

std::optional<std::string> Tcgen05InstrDescriptor::verify() const {
  bool blockScaled = isBlockScaled(kind);
  // Shapes of the "Various combinations of .kind and shapes" table.
  if (blockScaled ? (m != 128 && m != 256)
                  : (m != 64 && m != 128 && m != 256))
    return std::string("M must be ") +
           (blockScaled ? "128 or 256" : "64, 128 or 256") + " for " +
           kindName(kind) + ", got " + str(m);
  if (kind == Tcgen05MmaKind::MXF4NVF4) {
    if (aFormat != Tcgen05ElementFormat::E2M1 ||
        bFormat != Tcgen05ElementFormat::E2M1)
      return std::string(".kind::mxf4nvf4 multiplies E2M1 x E2M1 only");
    if (scaleFactorAId != 0 || scaleFactorBId != 0)
      return std::string(".scale_vec::4X reads whole scale words: scale "
                         "factor ids must be 0");
  }
  if (kind == Tcgen05MmaKind::MXF4) {
    if (aFormat != Tcgen05ElementFormat::E2M1 ||
        bFormat != Tcgen05ElementFormat::E2M1)
      return std::string(".kind::mxf4 multiplies E2M1 x E2M1 only");
    if (scaleFactorAId % 2 != 0 || scaleFactorBId % 2 != 0)
      return ".scale_vec::2X reads two scale bytes: scale factor ids must "
             "be 0 or 2, got " +
             str(scaleFactorAId) + " / " + str(scaleFactorBId);
  }
  if (n < 8 || n > 256 || n % 8 != 0)
    return "N must be a multiple of 8 in [8, 256], got " + str(n);
  if (sparsitySelector > 3)
    return "the sparsity selector is 2 bits, got " + str(sparsitySelector);
  if (sparsitySelector != 0 && (!sparse || blockScaled))
    return std::string("a sparsity selector needs a sparse .kind::f8f6f4 MMA");
  if (scaleFactorAId > 3 || scaleFactorBId > 3)
    return "scale factor ids select a byte of a 32-bit word (0-3), got " +
           str(scaleFactorAId) + " / " + str(scaleFactorBId);
  if (!blockScaled && (scaleFactorAId != 0 || scaleFactorBId != 0))
    return std::string("scale factor ids need a block-scaled kind");
  if (maxShift > 3)
    return "the maximum shift is 2 bits, got " + str(maxShift);
  if (blockScaled && maxShift != 0)
    return kindName(kind) + " has no .ws form (no maximum shift)";
  if (blockScaled && accumulator != Tcgen05AccumulatorFormat::F32)
    return kindName(kind) + " accumulates in F32 only";
  if ((transposeA && isSubByte(aFormat)) || (transposeB && isSubByte(bFormat)))
    return std::string("4-bit and 6-bit operands must be K-major (no "
                       "transpose)");
  return std::nullopt;
}

uint32_t Tcgen05InstrDescriptor::encode() const {
  uint32_t bits = 0;
  auto set = [&](uint32_t value, unsigned lsb, unsigned width) {
    uint32_t mask = (width == 32 ? ~0u : ((1u << width) - 1));
    bits |= (value & mask) << lsb;
  };
  bool blockScaled = isBlockScaled(kind);
  bool nvf4 = kind == Tcgen05MmaKind::MXF4NVF4;
  // .kind::mxf4 and .kind::mxf4nvf4 code E2M1 as 1 (verify() allows
  // nothing else) in a 2-bit btype.
  bool packedE2M1 = nvf4 || kind == Tcgen05MmaKind::MXF4;
  set(sparse ? 1 : 0, 2, 1);
  if (blockScaled) {
    set(scaleFactorBId, 4, 2);
  } else {
    set(sparsitySelector, 0, 2);
    set(static_cast<uint32_t>(accumulator), 4, 2);
  }
  set(packedE2M1 ? 1 : static_cast<uint32_t>(aFormat), 7, 3);
  set(packedE2M1 ? 1 : static_cast<uint32_t>(bFormat), 10, packedE2M1 ? 2 : 3);
  set(negateA ? 1 : 0, 13, 1);
  set(negateB ? 1 : 0, 14, 1);
  set(transposeA ? 1 : 0, 15, 1);
  set(transposeB ? 1 : 0, 16, 1);
  set(static_cast<uint32_t>(n >> 3), 17, 6);
  if (blockScaled) {
    // Scale type: UE8M0 = 1 (mxf8f6f4, mxf4), UE4M3 = 0 (mxf4nvf4); bit 31
    // (K size of mxf4 / mxf4nvf4) stays 0: K 64, dense.
    set(nvf4 ? /*UE4M3=*/0 : /*UE8M0=*/1, 23, 1);
    set(static_cast<uint32_t>(m >> 7), 27, 2);
    set(scaleFactorAId, 29, 2);
  } else {
    set(static_cast<uint32_t>(m >> 4), 24, 5);
    set(maxShift, 30, 2);
  }
  return bits;
}

Value gpu_kernels::buildInstrDescriptor(
    ImplicitLocOpBuilder &b, const Tcgen05InstrDescriptor &descriptor) {
  assert(!descriptor.verify() && "invalid tcgen05 instruction descriptor");
  return b.create<arith::ConstantIntOp>(
      b.getI32Type(), static_cast<int32_t>(descriptor.encode()));
}

//===----------------------------------------------------------------------===//
// Shared memory descriptor
//===----------------------------------------------------------------------===//

Tcgen05SmemDescriptor Tcgen05SmemDescriptor::kMajorSwizzle128B() {
  Tcgen05SmemDescriptor descriptor;
  descriptor.leadingByteOffset = 16;
  descriptor.strideByteOffset = 1024;
  descriptor.swizzle = Tcgen05Swizzle::Swizzle128B;
  return descriptor;
}

Tcgen05SmemDescriptor Tcgen05SmemDescriptor::scaleFactorRows() {
  Tcgen05SmemDescriptor descriptor;
  // One 16-byte column only: the leading offset is never used.
  descriptor.leadingByteOffset = 0;
  descriptor.strideByteOffset = 8 * 16;
  descriptor.swizzle = Tcgen05Swizzle::None;
  return descriptor;
}

/// `matrix-descriptor-encode(x) = (x & 0x3FFFF) >> 4`.
static uint64_t encode14(uint64_t x) { return (x & 0x3FFFF) >> 4; }

std::optional<std::string> Tcgen05SmemDescriptor::verify() const {
  for (int64_t offset : {leadingByteOffset, strideByteOffset})
    if (offset < 0 || offset % 16 != 0 || offset > 0x3FFFF)
      return "byte offsets must be multiples of 16 below 256 KiB, got " +
             str(offset);
  if (baseOffset > 7)
    return "the base offset is 3 bits, got " + str(baseOffset);
  switch (swizzle) {
  case Tcgen05Swizzle::None:
  case Tcgen05Swizzle::Swizzle128BAtom32B:
  case Tcgen05Swizzle::Swizzle128B:
  case Tcgen05Swizzle::Swizzle64B:
  case Tcgen05Swizzle::Swizzle32B:
    return std::nullopt;
  }
  return std::string("invalid swizzle mode");
}

uint64_t Tcgen05SmemDescriptor::encodeFields() const {
  uint64_t bits = 0;
  bits |= encode14(static_cast<uint64_t>(leadingByteOffset)) << 16;
  bits |= encode14(static_cast<uint64_t>(strideByteOffset)) << 32;
  bits |= uint64_t(1) << 46;
  bits |= uint64_t(baseOffset & 7) << 49;
  bits |= uint64_t(leadingAbsolute ? 1 : 0) << 52;
  bits |= static_cast<uint64_t>(swizzle) << 61;
  return bits;
}

uint64_t Tcgen05SmemDescriptor::encode(uint64_t address) const {
  return encode14(address) | encodeFields();
}

Value gpu_kernels::buildSmemDescriptor(
    ImplicitLocOpBuilder &b, Value address,
    const Tcgen05SmemDescriptor &descriptor) {
  assert(!descriptor.verify() && "invalid tcgen05 shared memory descriptor");
  return buildSmemDescriptorAt(b, address, descriptor.encodeFields());
}
