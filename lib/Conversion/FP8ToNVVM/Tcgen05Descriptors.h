//===- Tcgen05Descriptors.h - tcgen05 descriptors ---------------*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM. Blackwell's
// `tcgen05.mma` takes its shapes, element types and block-scale selectors
// in a 32-bit *instruction descriptor* and its shared-memory operands as
// 64-bit *matrix descriptors*; `tcgen05.cp` takes a matrix descriptor too.
// No NVVM op builds the instruction descriptor, so this file does, field by
// field, after the PTX ISA (section "Tensorcore 5th Generation Family
// Instructions", tables "Instruction descriptor format for .kind::f8f6f4"
// and "... for .kind::mxf8f6f4", and "Shared memory descriptor layout").
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_TCGEN05DESCRIPTORS_H
#define FP8_LIB_CONVERSION_FP8TONVVM_TCGEN05DESCRIPTORS_H

#include "SmemDescriptorAddress.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Types.h"
#include "mlir/Support/LogicalResult.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir::fp8::gpu_kernels {

//===----------------------------------------------------------------------===//
// Instruction descriptor
//===----------------------------------------------------------------------===//

/// The MMA kinds the fp8 kernels use. Their descriptors differ in bits 4-5
/// (D format vs. scale factor B id), 23 (reserved vs. scale type), 24-28
/// (M >> 4 vs. M >> 7 in bits 27-28) and 29-31.
enum class Tcgen05MmaKind {
  /// `.kind::f8f6f4`: FP8/FP6/FP4 operands, no block scaling.
  F8F6F4,
  /// `.kind::mxf8f6f4` with `.block_scale.block32`: the same operands with
  /// one E8M0 scale per 32 elements along K, read from tensor memory.
  MXF8F6F4,
  /// `.kind::mxf4nvf4` with `.block_scale.scale_vec::4X` (NVFP4): packed
  /// E2M1 x E2M1, K 64 per MMA, one UE4M3 scale per 16 elements along K
  /// (four per row per MMA, a whole 32-bit tensor-memory word).
  MXF4NVF4,
  /// `.kind::mxf4` with `.block_scale.block32` (= `scale_vec::2X`, MXFP4):
  /// packed E2M1 x E2M1, K 64 per MMA, one UE8M0 scale per 32 elements
  /// along K (two per row per MMA: half a tensor-memory word, the half the
  /// scale factor id, 0 or 2, selects). Twice the rate of `.kind::mxf8f6f4`
  /// on FP4.
  MXF4,
};

/// Element format codes of atype/btype (bits 7-9, 10-12) of `.kind::f8f6f4`
/// and `.kind::mxf8f6f4`. `.kind::mxf4nvf4` has its own code for E2M1 (1,
/// see Tcgen05InstrDescriptor).
enum class Tcgen05ElementFormat : uint32_t {
  E4M3 = 0,
  E5M2 = 1,
  E2M3 = 3,
  E3M2 = 4,
  E2M1 = 5,
};

/// The format code of `f8E4M3FN`, `f8E5M2`, `f6E2M3FN`, `f6E3M2FN` or
/// `f4E2M1FN`; none for any other type.
std::optional<Tcgen05ElementFormat> getTcgen05ElementFormat(Type type);

/// Which tcgen05.mma multiplies an operand pair, decided in this one place
/// (chooseTcgen05Mma) from the element types, the scale element types and
/// whether the scales are MX `[1, 32]` blocks on both operands.
struct Tcgen05MmaChoice {
  Tcgen05MmaKind kind;
  /// `.scale_vec::NX` of the block-scaled kinds (1: one scale per 32
  /// elements of K per MMA of K 32; 4: one per 16 elements per MMA of K
  /// 64); 0 without block scaling.
  int64_t scaleVector = 0;
  /// Elements of K per byte of an operand row in shared memory: 1 for FP8
  /// and for the 16-element containers of FP4/FP6 (16 elements in 16
  /// bytes), 2 for packed FP4 (NVFP4). Either way one MMA advances 32 bytes
  /// (K 32, or K 64 packed).
  int64_t elementsPerByte = 1;
};

/// The MMA for A/B element types `aType`/`bType` with scales of element
/// types `aScale`/`bScale` (`mx`: both are `[1, 32]` blocks; `packed`: both
/// operands are in the Packed storage, FP8Converts.h), or why the sm_100a
/// GEMM has none:
///
/// | A, B                    | scales                  | MMA                          |
/// |-------------------------|-------------------------|------------------------------|
/// | FP8 x FP8               | tensor / rowwise f32    | `.kind::f8f6f4`              |
/// | FP8 / FP6 / FP4 (mixed) | MX `[1, 32]` E8M0       | `.kind::mxf8f6f4.block_scale.scale_vec::1X` |
/// | FP4 x FP4, packed       | MX `[1, 32]` E8M0       | `.kind::mxf4.block_scale.scale_vec::2X` |
/// | FP4 x FP4               | `[1, 16]` / `[16, 16]` E4M3 (NVFP4) | `.kind::mxf4nvf4.block_scale.scale_vec::4X` |
///
/// MX FP4/FP6 operands are read in their Padded16 storage unless both are
/// FP4 stored Packed (getSubByteStorage decides), NVFP4 always Packed.
FailureOr<Tcgen05MmaChoice> chooseTcgen05Mma(Type aType, Type bType,
                                            Type aScale, Type bScale, bool mx,
                                            bool packed, std::string &whyNot);

/// D (accumulator) formats of `.kind::f8f6f4` (bits 4-5).
enum class Tcgen05AccumulatorFormat : uint32_t { F16 = 0, F32 = 1 };

/// Every field of the 32-bit instruction descriptor of `tcgen05.mma` for
/// `.kind::f8f6f4` and `.kind::mxf8f6f4`. Bit positions (LSB = 0):
///
/// | bits  | .kind::f8f6f4                | .kind::mxf8f6f4               |
/// |-------|------------------------------|-------------------------------|
/// | 0-1   | sparsity selector            | reserved (0)                  |
/// | 2     | sparsity (dense = 0)         | sparsity (dense = 0)          |
/// | 3     | saturate (0: integer only)   | reserved (0)                  |
/// | 4-5   | D format (F16 0, F32 1)      | scale factor B id (0-3)       |
/// | 6     | reserved                     | reserved                      |
/// | 7-9   | A format                     | A format                      |
/// | 10-12 | B format                     | B format                      |
/// | 13/14 | negate A / negate B          | negate A / negate B           |
/// | 15/16 | transpose A / transpose B    | transpose A / transpose B     |
/// | 17-22 | N >> 3                       | N >> 3                        |
/// | 23    | reserved                     | scale type (UE8M0 = 1)        |
/// |       |                              | (mxf4nvf4: UE4M3 = 0)         |
/// | 24-28 | M >> 4                       | 24-26 reserved, 27-28 M >> 7  |
/// | 29    | reserved                     | 29-30 scale factor A id (0-3) |
/// | 30-31 | max shift (`.ws` only)       | 31 reserved                   |
///
/// `.kind::mxf4nvf4` has the mxf8f6f4 layout with E2M1 coded 1 in atype
/// (bits 7-9) and btype (10-11, bit 12 reserved), UE4M3 scales (bit 23 =
/// 0), both scale factor ids 0 (`scale_vec::4X` reads whole words) and bit
/// 31 the K size (0: K 64, dense). `.kind::mxf4` likewise, with UE8M0
/// scales (bit 23 = 1) and scale factor ids 0 or 2 (`scale_vec::2X` reads
/// bytes id and id + 1 of the word).
///
/// "Transpose" means MN-major; the fp8 GEMMs read both operands K-major,
/// so both transpose bits are 0. The scale factor ids select the byte of
/// each 32-bit tensor-memory word that holds the scale of this MMA's K
/// block (`scale_vec::1X`).
struct Tcgen05InstrDescriptor {
  Tcgen05MmaKind kind = Tcgen05MmaKind::F8F6F4;
  bool sparse = false;
  /// f8f6f4 only.
  uint32_t sparsitySelector = 0;
  /// f8f6f4 only (the accumulator of mxf8f6f4 is always F32).
  Tcgen05AccumulatorFormat accumulator = Tcgen05AccumulatorFormat::F32;
  Tcgen05ElementFormat aFormat = Tcgen05ElementFormat::E4M3;
  Tcgen05ElementFormat bFormat = Tcgen05ElementFormat::E4M3;
  bool negateA = false;
  bool negateB = false;
  /// True: MN-major operand (PTX "transpose").
  bool transposeA = false;
  bool transposeB = false;
  int64_t m = 128;
  int64_t n = 128;
  /// Block-scaled kinds: the first byte of the scale words this MMA reads
  /// (mxf8f6f4 0-3, mxf4 0 or 2, mxf4nvf4 0).
  uint32_t scaleFactorAId = 0;
  uint32_t scaleFactorBId = 0;
  /// f8f6f4 with `.ws` only: 0 none, 1/2/3 max shift 8/16/32.
  uint32_t maxShift = 0;

  /// Why the fields do not form a valid dense, non-`.ws`, `cta_group::1`
  /// descriptor of the PTX ISA (shape table, field ranges), or none.
  std::optional<std::string> verify() const;
  /// The 32-bit descriptor. Only meaningful when verify() returns none.
  uint32_t encode() const;
};

/// Materializes `descriptor` as an `arith.constant` i32 (all its fields are
/// known when the kernel is built). `descriptor` must verify.
Value buildInstrDescriptor(ImplicitLocOpBuilder &b,
                           const Tcgen05InstrDescriptor &descriptor);

//===----------------------------------------------------------------------===//
// Shared memory (matrix) descriptor
//===----------------------------------------------------------------------===//

/// Swizzling modes of bits 61-63.
enum class Tcgen05Swizzle : uint64_t {
  None = 0,
  Swizzle128BAtom32B = 1,
  Swizzle128B = 2,
  Swizzle64B = 4,
  Swizzle32B = 6,
};

/// The 64-bit shared memory descriptor of a `tcgen05.mma` operand or of a
/// `tcgen05.cp` source:
///
/// | bits  | field                                               |
/// |-------|-----------------------------------------------------|
/// | 0-13  | start address: (address & 0x3FFFF) >> 4             |
/// | 16-29 | leading dimension byte offset >> 4 (or absolute)    |
/// | 32-45 | stride dimension byte offset >> 4                   |
/// | 46-48 | fixed 0b001 (the sm_100 descriptor version)         |
/// | 49-51 | matrix base offset                                  |
/// | 52    | leading dimension mode (0 relative, 1 absolute)     |
/// | 53-60 | fixed 0                                             |
/// | 61-63 | swizzle                                             |
///
/// For K-major operands the leading byte offset is the distance between
/// two 16-byte columns of core matrices (unused, conventionally 16, with
/// swizzling) and the stride byte offset the distance between two groups
/// of 8 rows.
struct Tcgen05SmemDescriptor {
  int64_t leadingByteOffset = 16;
  int64_t strideByteOffset = 1024;
  uint32_t baseOffset = 0;
  bool leadingAbsolute = false;
  Tcgen05Swizzle swizzle = Tcgen05Swizzle::Swizzle128B;

  /// The K-major layout TMA writes with the 128-byte swizzle: 128-byte rows,
  /// 8-row groups 1024 bytes apart, the tile 1024-byte aligned.
  static Tcgen05SmemDescriptor kMajorSwizzle128B();
  /// The source of `tcgen05.cp .32x128b`: 32 rows of 16 bytes stored one
  /// after the other without swizzle (core matrices of 8 rows 128 bytes
  /// apart).
  static Tcgen05SmemDescriptor scaleFactorRows();

  /// Why the fields cannot be encoded (16-byte granularity, 14-bit
  /// fields), or none.
  std::optional<std::string> verify() const;
  /// Every field but the start address.
  uint64_t encodeFields() const;
  /// The descriptor of a matrix at shared memory address `address`.
  uint64_t encode(uint64_t address) const;
};

/// The descriptor of the matrix at the shared memory address `address`
/// (i64, as `memref.extract_aligned_pointer_as_index` gives it for a
/// workgroup buffer): `((address & 0x3FFFF) >> 4) | fields`.
Value buildSmemDescriptor(ImplicitLocOpBuilder &b, Value address,
                          const Tcgen05SmemDescriptor &descriptor);


} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_TCGEN05DESCRIPTORS_H
