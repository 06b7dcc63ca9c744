//===- WgmmaDescriptors.cpp - wgmma shared memory descriptors -------------===//
//
// Part of fp8-mlir. See WgmmaDescriptors.h for the field table.
//
//===----------------------------------------------------------------------===//

#include "WgmmaDescriptors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/Twine.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

WgmmaSmemDescriptor WgmmaSmemDescriptor::kMajorSwizzle128B() {
  WgmmaSmemDescriptor descriptor;
  descriptor.leadingByteOffset = 16;
  descriptor.strideByteOffset = 1024;
  descriptor.baseOffset = 0;
  descriptor.swizzle = WgmmaSwizzle::Swizzle128B;
  return descriptor;
}

/// `matrix-descriptor-encode(x) = (x & 0x3FFFF) >> 4`: 14 bits of 16-byte
/// units.
static uint64_t encode14(uint64_t x) { return (x & 0x3FFFF) >> 4; }

/// The largest byte offset the 14-bit fields hold.
static constexpr int64_t kMaxByteOffset = 0x3FFF0;

/// Why `bytes`, the field `name`, is not a byte offset of a descriptor.
static std::optional<std::string> verifyByteOffset(StringRef name,
                                                   int64_t bytes) {
  if (bytes % 16 != 0)
    return ("the " + name + " must be a multiple of 16, got " + Twine(bytes))
        .str();
  if (bytes < 0 || bytes > kMaxByteOffset)
    return ("the " + name + " must be in [0, " + Twine(kMaxByteOffset) +
            "] (14 bits of 16-byte units), got " + Twine(bytes))
        .str();
  return std::nullopt;
}

std::optional<std::string> WgmmaSmemDescriptor::verify() const {
  if (auto error =
          verifyByteOffset("leading dimension byte offset", leadingByteOffset))
    return error;
  if (auto error =
          verifyByteOffset("stride dimension byte offset", strideByteOffset))
    return error;
  if (baseOffset > 7)
    return ("the base offset is 3 bits (0-7), got " + Twine(baseOffset)).str();
  switch (swizzle) {
  case WgmmaSwizzle::None:
  case WgmmaSwizzle::Swizzle128B:
  case WgmmaSwizzle::Swizzle64B:
  case WgmmaSwizzle::Swizzle32B:
    return std::nullopt;
  }
  return ("the swizzle mode is 2 bits (0-3), got " +
          Twine(static_cast<uint64_t>(swizzle)))
      .str();
}

uint64_t WgmmaSmemDescriptor::encode(uint64_t address) const {
  uint64_t bits = encode14(address);
  bits |= encode14(static_cast<uint64_t>(leadingByteOffset)) << 16;
  bits |= encode14(static_cast<uint64_t>(strideByteOffset)) << 32;
  bits |= uint64_t(baseOffset & 7) << 49;
  bits |= (static_cast<uint64_t>(swizzle) & 3) << 62;
  return bits;
}

Value gpu_kernels::buildWgmmaSmemDescriptor(
    ImplicitLocOpBuilder &b, Value address,
    const WgmmaSmemDescriptor &descriptor) {
  assert(!descriptor.verify() && "invalid wgmma shared memory descriptor");
  return buildSmemDescriptorAt(b, address, descriptor.encode());
}
