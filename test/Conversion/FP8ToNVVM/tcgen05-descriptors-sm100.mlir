// The tcgen05 descriptor builders of the sm_100a GEMM, one field at a time.
// Each function changes one field of a base descriptor; the expected value is
// the base plus exactly that field at its PTX ISA bit position, so a field
// encoded at a wrong bit (or not at all) changes the integer.
// RUN: fp8-opt %s --test-fp8-tcgen05-descriptors --canonicalize | FileCheck %s

//===----------------------------------------------------------------------===//
// .kind::f8f6f4: base M = 128, N = 128, E4M3 x E4M3, F32 accumulator:
// dtype F32 (bit 4) | N >> 3 = 16 (bits 17-22) | M >> 4 = 8 (bits 24-28)
// = 0x08200010.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func private @f8f6f4_base
// CHECK: arith.constant 136314896 : i32
func.func private @f8f6f4_base() -> i32 attributes {fp8.test.tcgen05_instr_desc = {}}

// atype (bits 7-9): E5M2 = 1, E2M3 = 3, E3M2 = 4, E2M1 = 5.
// CHECK-LABEL: func.func private @a_e5m2
// CHECK: arith.constant 136315024 : i32
func.func private @a_e5m2() -> i32 attributes {fp8.test.tcgen05_instr_desc = {a = f8E5M2}}
// CHECK-LABEL: func.func private @a_e2m3
// CHECK: arith.constant 136315280 : i32
func.func private @a_e2m3() -> i32 attributes {fp8.test.tcgen05_instr_desc = {a = f6E2M3FN}}
// CHECK-LABEL: func.func private @a_e3m2
// CHECK: arith.constant 136315408 : i32
func.func private @a_e3m2() -> i32 attributes {fp8.test.tcgen05_instr_desc = {a = f6E3M2FN}}
// CHECK-LABEL: func.func private @a_e2m1
// CHECK: arith.constant 136315536 : i32
func.func private @a_e2m1() -> i32 attributes {fp8.test.tcgen05_instr_desc = {a = f4E2M1FN}}

// btype (bits 10-12).
// CHECK-LABEL: func.func private @b_e5m2
// CHECK: arith.constant 136315920 : i32
func.func private @b_e5m2() -> i32 attributes {fp8.test.tcgen05_instr_desc = {b = f8E5M2}}
// CHECK-LABEL: func.func private @b_e2m1
// CHECK: arith.constant 136320016 : i32
func.func private @b_e2m1() -> i32 attributes {fp8.test.tcgen05_instr_desc = {b = f4E2M1FN}}

// dtype (bits 4-5): F16 = 0.
// CHECK-LABEL: func.func private @d_f16
// CHECK: arith.constant 136314880 : i32
func.func private @d_f16() -> i32 attributes {fp8.test.tcgen05_instr_desc = {accumulator = "f16"}}

// Sparsity (bit 2) and its selector (bits 0-1).
// CHECK-LABEL: func.func private @sparse
// CHECK: arith.constant 136314900 : i32
func.func private @sparse() -> i32 attributes {fp8.test.tcgen05_instr_desc = {sparse = true}}
// CHECK-LABEL: func.func private @sparsity_selector
// CHECK: arith.constant 136314903 : i32
func.func private @sparsity_selector() -> i32 attributes {fp8.test.tcgen05_instr_desc = {sparse = true, sparsity_selector = 3 : i64}}

// Negate A / B (bits 13, 14), transpose A / B (bits 15, 16).
// CHECK-LABEL: func.func private @negate_a
// CHECK: arith.constant 136323088 : i32
func.func private @negate_a() -> i32 attributes {fp8.test.tcgen05_instr_desc = {negate_a = true}}
// CHECK-LABEL: func.func private @negate_b
// CHECK: arith.constant 136331280 : i32
func.func private @negate_b() -> i32 attributes {fp8.test.tcgen05_instr_desc = {negate_b = true}}
// CHECK-LABEL: func.func private @transpose_a
// CHECK: arith.constant 136347664 : i32
func.func private @transpose_a() -> i32 attributes {fp8.test.tcgen05_instr_desc = {transpose_a = true}}
// CHECK-LABEL: func.func private @transpose_b
// CHECK: arith.constant 136380432 : i32
func.func private @transpose_b() -> i32 attributes {fp8.test.tcgen05_instr_desc = {transpose_b = true}}

// N >> 3 (bits 17-22): 8, 64, 248, 256.
// CHECK-LABEL: func.func private @n8
// CHECK: arith.constant 134348816 : i32
func.func private @n8() -> i32 attributes {fp8.test.tcgen05_instr_desc = {n = 8 : i64}}
// CHECK-LABEL: func.func private @n64
// CHECK: arith.constant 135266320 : i32
func.func private @n64() -> i32 attributes {fp8.test.tcgen05_instr_desc = {n = 64 : i64}}
// CHECK-LABEL: func.func private @n248
// CHECK: arith.constant 138280976 : i32
func.func private @n248() -> i32 attributes {fp8.test.tcgen05_instr_desc = {n = 248 : i64}}
// CHECK-LABEL: func.func private @n256
// CHECK: arith.constant 138412048 : i32
func.func private @n256() -> i32 attributes {fp8.test.tcgen05_instr_desc = {n = 256 : i64}}

// M >> 4 (bits 24-28): 64, 256.
// CHECK-LABEL: func.func private @m64
// CHECK: arith.constant 69206032 : i32
func.func private @m64() -> i32 attributes {fp8.test.tcgen05_instr_desc = {m = 64 : i64}}
// CHECK-LABEL: func.func private @m256
// CHECK: arith.constant 270532624 : i32
func.func private @m256() -> i32 attributes {fp8.test.tcgen05_instr_desc = {m = 256 : i64}}

// Maximum shift of .ws (bits 30-31); 3 sets bit 31 (printed as a negative
// i32: 0xC8200010).
// CHECK-LABEL: func.func private @max_shift1
// CHECK: arith.constant 1210056720 : i32
func.func private @max_shift1() -> i32 attributes {fp8.test.tcgen05_instr_desc = {max_shift = 1 : i64}}
// CHECK-LABEL: func.func private @max_shift3
// CHECK: arith.constant -937426928 : i32
func.func private @max_shift3() -> i32 attributes {fp8.test.tcgen05_instr_desc = {max_shift = 3 : i64}}

//===----------------------------------------------------------------------===//
// .kind::mxf8f6f4: base M = 128, N = 128, E4M3 x E4M3: no dtype field,
// scale type UE8M0 (bit 23) | N >> 3 = 16 | M >> 7 = 1 (bits 27-28)
// = 0x08A00000.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func private @mx_base
// CHECK: arith.constant 144703488 : i32
func.func private @mx_base() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf8f6f4"}}

// Scale factor B id (bits 4-5), where f8f6f4 has the dtype.
// CHECK-LABEL: func.func private @mx_sfb1
// CHECK: arith.constant 144703504 : i32
func.func private @mx_sfb1() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf8f6f4", sfb_id = 1 : i64}}
// CHECK-LABEL: func.func private @mx_sfb3
// CHECK: arith.constant 144703536 : i32
func.func private @mx_sfb3() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf8f6f4", sfb_id = 3 : i64}}

// Scale factor A id (bits 29-30).
// CHECK-LABEL: func.func private @mx_sfa1
// CHECK: arith.constant 681574400 : i32
func.func private @mx_sfa1() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf8f6f4", sfa_id = 1 : i64}}
// CHECK-LABEL: func.func private @mx_sfa2
// CHECK: arith.constant 1218445312 : i32
func.func private @mx_sfa2() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf8f6f4", sfa_id = 2 : i64}}
// CHECK-LABEL: func.func private @mx_sfa3
// CHECK: arith.constant 1755316224 : i32
func.func private @mx_sfa3() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf8f6f4", sfa_id = 3 : i64}}

// M >> 7 (bits 27-28), N, formats, negate, transpose, sparsity.
// CHECK-LABEL: func.func private @mx_m256
// CHECK: arith.constant 278921216 : i32
func.func private @mx_m256() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf8f6f4", m = 256 : i64}}
// CHECK-LABEL: func.func private @mx_n64
// CHECK: arith.constant 143654912 : i32
func.func private @mx_n64() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf8f6f4", n = 64 : i64}}
// CHECK-LABEL: func.func private @mx_e5m2
// CHECK: arith.constant 144704640 : i32
func.func private @mx_e5m2() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf8f6f4", a = f8E5M2, b = f8E5M2}}
// CHECK-LABEL: func.func private @mx_negate_a
// CHECK: arith.constant 144711680 : i32
func.func private @mx_negate_a() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf8f6f4", negate_a = true}}
// CHECK-LABEL: func.func private @mx_transpose_b
// CHECK: arith.constant 144769024 : i32
func.func private @mx_transpose_b() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf8f6f4", transpose_b = true}}
// CHECK-LABEL: func.func private @mx_sparse
// CHECK: arith.constant 144703492 : i32
func.func private @mx_sparse() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf8f6f4", sparse = true}}

//===----------------------------------------------------------------------===//
// Shared memory descriptors: start address >> 4 (bits 0-13), LBO >> 4
// (16-29), SBO >> 4 (32-45), fixed 0b001 (46-48), base offset (49-51),
// LBO mode (52), swizzle (61-63).
//===----------------------------------------------------------------------===//

// The GEMM operands: K-major, 128-byte swizzle, LBO 16 (unused), SBO 1024
// = 0x4000404000010000.
// CHECK-LABEL: func.func private @k_major_sw128
// CHECK: arith.constant 4611756662049538048 : i64
func.func private @k_major_sw128() -> i64 attributes {fp8.test.tcgen05_smem_desc = {}}
// Start address 0x1400 -> 0x140; addresses are taken modulo 256 KiB.
// CHECK-LABEL: func.func private @k_major_sw128_address
// CHECK: arith.constant 4611756662049538368 : i64
func.func private @k_major_sw128_address() -> i64 attributes {fp8.test.tcgen05_smem_desc = {address = 5120 : i64}}
// CHECK-LABEL: func.func private @address_wraps
// CHECK: arith.constant 4611756662049538368 : i64
func.func private @address_wraps() -> i64 attributes {fp8.test.tcgen05_smem_desc = {address = 267264 : i64}}

// The MX scale factors (tcgen05.cp .32x128b source): no swizzle, 8-row
// groups 128 bytes apart, at 0x200 = 0x0000400800000020.
// CHECK-LABEL: func.func private @scale_factor_rows
// CHECK: arith.constant 70403103916064 : i64
func.func private @scale_factor_rows() -> i64 attributes {fp8.test.tcgen05_smem_desc = {layout = "scale_factor_rows", address = 512 : i64}}

// Swizzle modes 0, 1, 4, 6 (6 sets bit 63: negative i64).
// CHECK-LABEL: func.func private @swizzle_none
// CHECK: arith.constant 70643622150144 : i64
func.func private @swizzle_none() -> i64 attributes {fp8.test.tcgen05_smem_desc = {swizzle = "none"}}
// CHECK-LABEL: func.func private @swizzle_128b_atom32b
// CHECK: arith.constant 2305913652835844096 : i64
func.func private @swizzle_128b_atom32b() -> i64 attributes {fp8.test.tcgen05_smem_desc = {swizzle = "128b_atom32b"}}
// CHECK-LABEL: func.func private @swizzle_64b
// CHECK: arith.constant -9223301393232625664 : i64
func.func private @swizzle_64b() -> i64 attributes {fp8.test.tcgen05_smem_desc = {swizzle = "64b"}}
// CHECK-LABEL: func.func private @swizzle_32b
// CHECK: arith.constant -4611615374805237760 : i64
func.func private @swizzle_32b() -> i64 attributes {fp8.test.tcgen05_smem_desc = {swizzle = "32b"}}

// Base offset, absolute LBO mode, and both byte offsets.
// CHECK-LABEL: func.func private @base_offset
// CHECK: arith.constant 4613445511909801984 : i64
func.func private @base_offset() -> i64 attributes {fp8.test.tcgen05_smem_desc = {base_offset = 3 : i64}}
// CHECK-LABEL: func.func private @absolute
// CHECK: arith.constant 4616260261676908544 : i64
func.func private @absolute() -> i64 attributes {fp8.test.tcgen05_smem_desc = {absolute = true}}
// CHECK-LABEL: func.func private @offsets
// CHECK: arith.constant 70918501040128 : i64
func.func private @offsets() -> i64 attributes {fp8.test.tcgen05_smem_desc = {swizzle = "none", lbo = 256 : i64, sbo = 2048 : i64}}

//===----------------------------------------------------------------------===//
// .kind::mxf4nvf4 (NVFP4, scale_vec::4X): base M = 128, N = 128,
// E2M1 x E2M1: atype E2M1 = 1 (bits 7-9, 0x80) | btype E2M1 = 1 (bits
// 10-11, 0x400) | N >> 3 = 16 (0x200000) | scale type UE4M3 = 0 (bit 23)
// | M >> 7 = 1 (bit 27) | K size 64 = 0 (bit 31) = 0x08200480.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func private @nvf4_base
// CHECK: arith.constant 136316032 : i32
func.func private @nvf4_base() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf4nvf4", a = f4E2M1FN, b = f4E2M1FN}}
// N = 64: N >> 3 = 8 (0x100000) = 0x08100480.
// CHECK-LABEL: func.func private @nvf4_n64
// CHECK: arith.constant 135267456 : i32
func.func private @nvf4_n64() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf4nvf4", a = f4E2M1FN, b = f4E2M1FN, n = 64 : i64}}
// M = 256: M >> 7 = 2 (bit 28) = 0x10200480.
// CHECK-LABEL: func.func private @nvf4_m256
// CHECK: arith.constant 270533760 : i32
func.func private @nvf4_m256() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf4nvf4", a = f4E2M1FN, b = f4E2M1FN, m = 256 : i64}}

//===----------------------------------------------------------------------===//
// .kind::mxf4 (MXFP4, scale_vec::2X): base M = 128, N = 128, E2M1 x E2M1:
// atype E2M1 = 1 (bits 7-9, 0x80) | btype E2M1 = 1 (bits 10-11, 0x400) |
// N >> 3 = 16 (0x200000) | scale type UE8M0 = 1 (bit 23, 0x800000) |
// M >> 7 = 1 (bit 27) | K size 64 = 0 (bit 31) = 0x08A00480.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func private @mxf4_base
// CHECK: arith.constant 144704640 : i32
func.func private @mxf4_base() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf4", a = f4E2M1FN, b = f4E2M1FN}}
// N = 64 and scale factor ids 2 (the upper half of the scale words): N >> 3
// = 8 (0x100000), A id 2 at bits 29-30 (0x40000000), B id 2 at bits 4-5
// (0x20) = 0x489004A0.
// CHECK-LABEL: func.func private @mxf4_n64_ids2
// CHECK: arith.constant 1217397920 : i32
func.func private @mxf4_n64_ids2() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf4", a = f4E2M1FN, b = f4E2M1FN, n = 64 : i64, sfa_id = 2 : i64, sfb_id = 2 : i64}}
