//===- WgmmaDescriptors.h - wgmma shared memory descriptors -----*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM. Hopper's
// `wgmma.mma_async` reads operands in shared memory through 64-bit *matrix
// descriptors*. Their fields are fixed when a kernel is built; only the
// start address is known at run time. This file packs them, field by field,
// after the PTX ISA (section "Asynchronous Warpgroup Level Matrix Shared
// Memory Layout", "Matrix Descriptor Format").
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_WGMMADESCRIPTORS_H
#define FP8_LIB_CONVERSION_FP8TONVVM_WGMMADESCRIPTORS_H

#include "SmemDescriptorAddress.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir::fp8::gpu_kernels {

/// Swizzle modes ("layout type") of bits 62-63.
enum class WgmmaSwizzle : uint64_t {
  /// No swizzling (the interleaved layout of 8x16-byte core matrices).
  None = 0,
  Swizzle128B = 1,
  Swizzle64B = 2,
  Swizzle32B = 3,
};

/// The 64-bit matrix descriptor of a `wgmma.mma_async` operand in shared
/// memory (bit 0 = LSB):
///
/// | bits  | field                                               |
/// |-------|-----------------------------------------------------|
/// | 0-13  | start address: (address & 0x3FFFF) >> 4             |
/// | 14-15 | reserved (0)                                        |
/// | 16-29 | leading dimension byte offset: (LBO & 0x3FFFF) >> 4 |
/// | 30-31 | reserved (0)                                        |
/// | 32-45 | stride dimension byte offset: (SBO & 0x3FFFF) >> 4  |
/// | 46-48 | reserved (0)                                        |
/// | 49-51 | matrix base offset                                  |
/// | 52-61 | reserved (0)                                        |
/// | 62-63 | swizzle mode (WgmmaSwizzle)                         |
///
/// Unlike the tcgen05 shared memory descriptor there is no fixed version
/// field, no leading dimension mode and the swizzle mode is 2 bits.
///
/// For K-major operands the leading byte offset is the distance between
/// two 16-byte columns of core matrices (unused with swizzling, where the
/// K extent of one MMA lies inside a swizzled row; conventionally 16) and
/// the stride byte offset the distance between two groups of 8 rows. The
/// base offset is 0 when the swizzle pattern starts at a multiple of its
/// repeat (1024 bytes for the 128-byte swizzle).
struct WgmmaSmemDescriptor {
  int64_t leadingByteOffset = 16;
  int64_t strideByteOffset = 1024;
  uint32_t baseOffset = 0;
  WgmmaSwizzle swizzle = WgmmaSwizzle::Swizzle128B;

  /// The K-major layout TMA writes with the 128-byte swizzle, which the
  /// sm_90a GEMM uses for both operands: 128-byte rows, 8-row groups 1024
  /// bytes apart, the tile 1024-byte aligned.
  static WgmmaSmemDescriptor kMajorSwizzle128B();

  /// Why the fields cannot be encoded (byte offsets not multiples of 16 or
  /// beyond their 14 bits of 16-byte units, a base offset beyond 3 bits, an
  /// unknown swizzle mode), or none.
  std::optional<std::string> verify() const;
  /// The descriptor of a matrix at shared memory address `address`. With
  /// the default address 0: every field but the start address, the
  /// constant part of the runtime descriptor. Only meaningful when verify()
  /// returns none.
  uint64_t encode(uint64_t address = 0) const;
};

/// The descriptor of the matrix at the shared memory address `address`
/// (i64, as `memref.extract_aligned_pointer_as_index` gives it for a
/// workgroup buffer): `((address & 0x3FFFF) >> 4) | descriptor.encode()`.
/// `descriptor` must verify.
Value buildWgmmaSmemDescriptor(ImplicitLocOpBuilder &b, Value address,
                               const WgmmaSmemDescriptor &descriptor);

/// advanceSmemDescriptor (SmemDescriptorAddress.h) moves it inside its
/// matrix; the moved address must stay below 256 KiB (no carry out of the
/// 14-bit field).

} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_WGMMADESCRIPTORS_H
