// The wgmma shared memory descriptor builders of the sm_90a GEMM, one field
// at a time. Each function changes one field of the GEMM's descriptor; the
// expected value is that descriptor plus exactly that field at its PTX ISA
// bit position ("Matrix Descriptor Format"), so a field encoded at a wrong
// bit (or not at all) changes the integer. Both the runtime builder (the
// folded body) and the compile-time encode() (the `_encoded` attribute) are
// checked.
// RUN: fp8-opt %s --test-fp8-wgmma-descriptors --canonicalize | FileCheck %s

//===----------------------------------------------------------------------===//
// Start address >> 4 (bits 0-13), LBO >> 4 (16-29), SBO >> 4 (32-45), base
// offset (49-51), swizzle mode (62-63); bits 14-15, 30-31, 46-48 and 52-61
// are reserved (0).
//===----------------------------------------------------------------------===//

// The GEMM operands: K-major, 128-byte swizzle (1), LBO 16 (unused), SBO
// 1024 = 0x4000004000010000, the constant GemmSM90Mma.cpp always or'ed in.
// CHECK-LABEL: func.func private @k_major_sw128()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4611686293305360384 : i64
// CHECK: arith.constant 4611686293305360384 : i64
func.func private @k_major_sw128() -> i64 attributes {fp8.test.wgmma_smem_desc = {}}
// CHECK-LABEL: func.func private @k_major_sw128_named()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4611686293305360384 : i64
// CHECK: arith.constant 4611686293305360384 : i64
func.func private @k_major_sw128_named() -> i64 attributes {fp8.test.wgmma_smem_desc = {layout = "k_major_sw128"}}

// Start address 0x1400 -> 0x140; the 4 low bits are dropped and addresses
// are taken modulo 256 KiB; 0x3FFF0 fills the 14-bit field.
// CHECK-LABEL: func.func private @address()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4611686293305360704 : i64
// CHECK: arith.constant 4611686293305360704 : i64
func.func private @address() -> i64 attributes {fp8.test.wgmma_smem_desc = {address = 5120 : i64}}
// CHECK-LABEL: func.func private @address_low_bits()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4611686293305360704 : i64
// CHECK: arith.constant 4611686293305360704 : i64
func.func private @address_low_bits() -> i64 attributes {fp8.test.wgmma_smem_desc = {address = 5127 : i64}}
// CHECK-LABEL: func.func private @address_wraps()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4611686293305360704 : i64
// CHECK: arith.constant 4611686293305360704 : i64
func.func private @address_wraps() -> i64 attributes {fp8.test.wgmma_smem_desc = {address = 267264 : i64}}
// CHECK-LABEL: func.func private @address_max()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4611686293305376767 : i64
// CHECK: arith.constant 4611686293305376767 : i64
func.func private @address_max() -> i64 attributes {fp8.test.wgmma_smem_desc = {address = 262128 : i64}}

// Moving inside the tile adds bytes >> 4 to the start address: the next k32
// step (32 bytes), and, as the GEMM's main loop does, the last k32 step of
// the second m64 block of a 128-byte wide tile at 0x1000 (64 rows * 128
// bytes + 3 * 32 bytes further).
// CHECK-LABEL: func.func private @advance_k32()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4611686293305360386 : i64
// CHECK: arith.constant 4611686293305360386 : i64
func.func private @advance_k32() -> i64 attributes {fp8.test.wgmma_smem_desc = {advance = 32 : i64}}
// CHECK-LABEL: func.func private @advance_m64_k32()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4611686293305361158 : i64
// CHECK: arith.constant 4611686293305361158 : i64
func.func private @advance_m64_k32() -> i64 attributes {fp8.test.wgmma_smem_desc = {address = 4096 : i64, advance = 8288 : i64}}

// Leading dimension byte offset (bits 16-29).
// CHECK-LABEL: func.func private @lbo0()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4611686293305294848 : i64
// CHECK: arith.constant 4611686293305294848 : i64
func.func private @lbo0() -> i64 attributes {fp8.test.wgmma_smem_desc = {lbo = 0 : i64}}
// CHECK-LABEL: func.func private @lbo256()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4611686293306343424 : i64
// CHECK: arith.constant 4611686293306343424 : i64
func.func private @lbo256() -> i64 attributes {fp8.test.wgmma_smem_desc = {lbo = 256 : i64}}
// CHECK-LABEL: func.func private @lbo_max()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4611686294378971136 : i64
// CHECK: arith.constant 4611686294378971136 : i64
func.func private @lbo_max() -> i64 attributes {fp8.test.wgmma_smem_desc = {lbo = 262128 : i64}}

// Stride dimension byte offset (bits 32-45).
// CHECK-LABEL: func.func private @sbo0()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4611686018427453440 : i64
// CHECK: arith.constant 4611686018427453440 : i64
func.func private @sbo0() -> i64 attributes {fp8.test.wgmma_smem_desc = {sbo = 0 : i64}}
// CHECK-LABEL: func.func private @sbo2048()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4611686568183267328 : i64
// CHECK: arith.constant 4611686568183267328 : i64
func.func private @sbo2048() -> i64 attributes {fp8.test.wgmma_smem_desc = {sbo = 2048 : i64}}
// CHECK-LABEL: func.func private @sbo_max()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4611756382876663808 : i64
// CHECK: arith.constant 4611756382876663808 : i64
func.func private @sbo_max() -> i64 attributes {fp8.test.wgmma_smem_desc = {sbo = 262128 : i64}}

// Matrix base offset (bits 49-51).
// CHECK-LABEL: func.func private @base_offset1()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4612249243258781696 : i64
// CHECK: arith.constant 4612249243258781696 : i64
func.func private @base_offset1() -> i64 attributes {fp8.test.wgmma_smem_desc = {base_offset = 1 : i64}}
// CHECK-LABEL: func.func private @base_offset7()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4615626942979309568 : i64
// CHECK: arith.constant 4615626942979309568 : i64
func.func private @base_offset7() -> i64 attributes {fp8.test.wgmma_smem_desc = {base_offset = 7 : i64}}

// Swizzle modes (bits 62-63): none 0, 128B 1, 64B 2, 32B 3 (2 and 3 set
// bit 63: negative i64); raw codes give the same.
// CHECK-LABEL: func.func private @swizzle_none()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 274877972480 : i64
// CHECK: arith.constant 274877972480 : i64
func.func private @swizzle_none() -> i64 attributes {fp8.test.wgmma_smem_desc = {swizzle = "none"}}
// CHECK-LABEL: func.func private @swizzle_128b()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 4611686293305360384 : i64
// CHECK: arith.constant 4611686293305360384 : i64
func.func private @swizzle_128b() -> i64 attributes {fp8.test.wgmma_smem_desc = {swizzle = "128b"}}
// CHECK-LABEL: func.func private @swizzle_64b()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = -9223371761976803328 : i64
// CHECK: arith.constant -9223371761976803328 : i64
func.func private @swizzle_64b() -> i64 attributes {fp8.test.wgmma_smem_desc = {swizzle = "64b"}}
// CHECK-LABEL: func.func private @swizzle_32b()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = -4611685743549415424 : i64
// CHECK: arith.constant -4611685743549415424 : i64
func.func private @swizzle_32b() -> i64 attributes {fp8.test.wgmma_smem_desc = {swizzle = "32b"}}
// CHECK-LABEL: func.func private @swizzle_code3()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = -4611685743549415424 : i64
// CHECK: arith.constant -4611685743549415424 : i64
func.func private @swizzle_code3() -> i64 attributes {fp8.test.wgmma_smem_desc = {swizzle = 3 : i64}}

// A non-swizzled (interleaved) layout: core matrices 128 bytes apart along
// K, 8-row groups 256 bytes apart, at 0x200 = 0x0000001000080020.
// CHECK-LABEL: func.func private @interleaved()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = 68720001056 : i64
// CHECK: arith.constant 68720001056 : i64
func.func private @interleaved() -> i64 attributes {fp8.test.wgmma_smem_desc = {swizzle = "none", lbo = 128 : i64, sbo = 256 : i64, address = 512 : i64}}

// Every field at its maximum: no field spills into a reserved bit
// (0xC00E3FFF3FFF3FFF).
// CHECK-LABEL: func.func private @all_max()
// CHECK-SAME: fp8.test.wgmma_smem_desc_encoded = -4607675003230535681 : i64
// CHECK: arith.constant -4607675003230535681 : i64
func.func private @all_max() -> i64 attributes {fp8.test.wgmma_smem_desc = {address = 262128 : i64, lbo = 262128 : i64, sbo = 262128 : i64, base_offset = 7 : i64, swizzle = "32b"}}
