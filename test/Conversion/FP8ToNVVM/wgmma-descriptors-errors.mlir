// Descriptor fields the PTX ISA does not allow are reported, not encoded.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --test-fp8-wgmma-descriptors

// expected-error @+1 {{invalid wgmma shared memory descriptor: the leading dimension byte offset must be a multiple of 16, got 8}}
func.func private @lbo8() -> i64 attributes {fp8.test.wgmma_smem_desc = {lbo = 8 : i64}}

// -----

// expected-error @+1 {{invalid wgmma shared memory descriptor: the leading dimension byte offset must be in [0, 262128] (14 bits of 16-byte units), got -16}}
func.func private @lbo_negative() -> i64 attributes {fp8.test.wgmma_smem_desc = {lbo = -16 : i64}}

// -----

// expected-error @+1 {{invalid wgmma shared memory descriptor: the leading dimension byte offset must be in [0, 262128] (14 bits of 16-byte units), got 262144}}
func.func private @lbo_256k() -> i64 attributes {fp8.test.wgmma_smem_desc = {lbo = 262144 : i64}}

// -----

// expected-error @+1 {{invalid wgmma shared memory descriptor: the stride dimension byte offset must be a multiple of 16, got 1000}}
func.func private @sbo1000() -> i64 attributes {fp8.test.wgmma_smem_desc = {sbo = 1000 : i64}}

// -----

// expected-error @+1 {{invalid wgmma shared memory descriptor: the stride dimension byte offset must be in [0, 262128] (14 bits of 16-byte units), got 262144}}
func.func private @sbo_256k() -> i64 attributes {fp8.test.wgmma_smem_desc = {sbo = 262144 : i64}}

// -----

// expected-error @+1 {{invalid wgmma shared memory descriptor: the base offset is 3 bits (0-7), got 8}}
func.func private @base8() -> i64 attributes {fp8.test.wgmma_smem_desc = {base_offset = 8 : i64}}

// -----

// expected-error @+1 {{invalid wgmma shared memory descriptor: the swizzle mode is 2 bits (0-3), got 4}}
func.func private @swizzle_code4() -> i64 attributes {fp8.test.wgmma_smem_desc = {swizzle = 4 : i64}}

// -----

// expected-error @+1 {{invalid descriptor fields: 'swizzle' must be none, 128b, 64b, 32b or a 2-bit code}}
func.func private @swizzle16() -> i64 attributes {fp8.test.wgmma_smem_desc = {swizzle = "16b"}}

// -----

// expected-error @+1 {{invalid descriptor fields: 'layout' must be "k_major_sw128"}}
func.func private @layout() -> i64 attributes {fp8.test.wgmma_smem_desc = {layout = "scale_factor_rows"}}

// -----

// expected-error @+1 {{invalid descriptor fields: 'sbo' must be an integer}}
func.func private @sbo_string() -> i64 attributes {fp8.test.wgmma_smem_desc = {sbo = "1024"}}

// -----

// expected-error @+1 {{invalid descriptor fields: 'advance' must be a multiple of 16 bytes}}
func.func private @advance8() -> i64 attributes {fp8.test.wgmma_smem_desc = {advance = 8 : i64}}

// -----

// expected-error @+1 {{invalid descriptor fields: 'address' must be a shared memory address (not negative)}}
func.func private @address_negative() -> i64 attributes {fp8.test.wgmma_smem_desc = {address = -1024 : i64}}

// -----

// expected-error @+1 {{invalid descriptor fields: 'absolute' must be a known descriptor field}}
func.func private @tcgen05_only() -> i64 attributes {fp8.test.wgmma_smem_desc = {absolute = true}}

// -----

// expected-error @+1 {{must be a declaration without arguments returning 'i64'}}
func.func private @wrong_type() -> i32 attributes {fp8.test.wgmma_smem_desc = {}}
