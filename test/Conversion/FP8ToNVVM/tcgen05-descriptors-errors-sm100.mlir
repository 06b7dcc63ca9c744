// Descriptor fields the PTX ISA does not allow are reported, not encoded.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --test-fp8-tcgen05-descriptors

// expected-error @+1 {{invalid tcgen05 instruction descriptor: M must be 64, 128 or 256 for .kind::f8f6f4, got 96}}
func.func private @m96() -> i32 attributes {fp8.test.tcgen05_instr_desc = {m = 96 : i64}}

// -----

// expected-error @+1 {{invalid tcgen05 instruction descriptor: M must be 128 or 256 for .kind::mxf8f6f4, got 64}}
func.func private @mx_m64() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf8f6f4", m = 64 : i64}}

// -----

// expected-error @+1 {{invalid tcgen05 instruction descriptor: N must be a multiple of 8 in [8, 256], got 12}}
func.func private @n12() -> i32 attributes {fp8.test.tcgen05_instr_desc = {n = 12 : i64}}

// -----

// expected-error @+1 {{invalid tcgen05 instruction descriptor: N must be a multiple of 8 in [8, 256], got 264}}
func.func private @n264() -> i32 attributes {fp8.test.tcgen05_instr_desc = {n = 264 : i64}}

// -----

// expected-error @+1 {{invalid tcgen05 instruction descriptor: scale factor ids need a block-scaled kind}}
func.func private @sfa_without_mx() -> i32 attributes {fp8.test.tcgen05_instr_desc = {sfa_id = 1 : i64}}

// -----

// expected-error @+1 {{invalid tcgen05 instruction descriptor: scale factor ids select a byte of a 32-bit word (0-3), got 0 / 4}}
func.func private @sfb4() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf8f6f4", sfb_id = 4 : i64}}

// -----

// expected-error @+1 {{invalid tcgen05 instruction descriptor: .kind::mxf8f6f4 accumulates in F32 only}}
func.func private @mx_f16() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf8f6f4", accumulator = "f16"}}

// -----

// expected-error @+1 {{invalid tcgen05 instruction descriptor: .kind::mxf8f6f4 has no .ws form (no maximum shift)}}
func.func private @mx_shift() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf8f6f4", max_shift = 1 : i64}}

// -----

// expected-error @+1 {{invalid tcgen05 instruction descriptor: a sparsity selector needs a sparse .kind::f8f6f4 MMA}}
func.func private @selector_dense() -> i32 attributes {fp8.test.tcgen05_instr_desc = {sparsity_selector = 1 : i64}}

// -----

// expected-error @+1 {{invalid tcgen05 instruction descriptor: 4-bit and 6-bit operands must be K-major (no transpose)}}
func.func private @fp4_transposed() -> i32 attributes {fp8.test.tcgen05_instr_desc = {b = f4E2M1FN, transpose_b = true}}

// -----

// expected-error @+1 {{invalid descriptor fields: 'a' must be an FP8, FP6 or FP4 type}}
func.func private @bf16() -> i32 attributes {fp8.test.tcgen05_instr_desc = {a = bf16}}

// -----

// expected-error @+1 {{invalid descriptor fields: 'trans_b' must be a known descriptor field}}
func.func private @typo() -> i32 attributes {fp8.test.tcgen05_instr_desc = {trans_b = true}}

// -----

// expected-error @+1 {{invalid descriptor fields: 'kind' must be "f8f6f4", "mxf8f6f4", "mxf4" or "mxf4nvf4"}}
func.func private @kind() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf6"}}

// -----

// expected-error @+1 {{must be a declaration without arguments returning 'i32'}}
func.func private @wrong_type() -> i64 attributes {fp8.test.tcgen05_instr_desc = {}}

// -----

// expected-error @+1 {{invalid tcgen05 shared memory descriptor: byte offsets must be multiples of 16 below 256 KiB, got 8}}
func.func private @lbo8() -> i64 attributes {fp8.test.tcgen05_smem_desc = {lbo = 8 : i64}}

// -----

// expected-error @+1 {{invalid tcgen05 shared memory descriptor: the base offset is 3 bits, got 8}}
func.func private @base8() -> i64 attributes {fp8.test.tcgen05_smem_desc = {base_offset = 8 : i64}}

// -----

// expected-error @+1 {{invalid descriptor fields: 'swizzle' must be none, 128b_atom32b, 128b, 64b or 32b}}
func.func private @swizzle16() -> i64 attributes {fp8.test.tcgen05_smem_desc = {swizzle = "16b"}}

// -----

// expected-error @+1 {{invalid tcgen05 instruction descriptor: .kind::mxf4nvf4 multiplies E2M1 x E2M1 only}}
func.func private @nvf4_e4m3() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf4nvf4", b = f4E2M1FN}}

// -----

// expected-error @+1 {{invalid tcgen05 instruction descriptor: .scale_vec::4X reads whole scale words: scale factor ids must be 0}}
func.func private @nvf4_sfa1() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf4nvf4", a = f4E2M1FN, b = f4E2M1FN, sfa_id = 1 : i64}}

// -----

// expected-error @+1 {{invalid tcgen05 instruction descriptor: M must be 128 or 256 for .kind::mxf4nvf4, got 64}}
func.func private @nvf4_m64() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf4nvf4", a = f4E2M1FN, b = f4E2M1FN, m = 64 : i64}}

// -----

// expected-error @+1 {{invalid tcgen05 instruction descriptor: .kind::mxf4 multiplies E2M1 x E2M1 only}}
func.func private @mxf4_e4m3() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf4", a = f8E4M3FN, b = f4E2M1FN}}

// -----

// expected-error @+1 {{invalid tcgen05 instruction descriptor: .scale_vec::2X reads two scale bytes: scale factor ids must be 0 or 2, got 1 / 0}}
func.func private @mxf4_sfa1() -> i32 attributes {fp8.test.tcgen05_instr_desc = {kind = "mxf4", a = f4E2M1FN, b = f4E2M1FN, sfa_id = 1 : i64}}
