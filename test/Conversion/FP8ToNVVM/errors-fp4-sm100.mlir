// FP4/FP6 programs sm_100a has no kernel for (yet): a diagnostic at the op,
// never an abort.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu=chip=sm_100a -verify-diagnostics

// NVFP4 GEMMs read packed rows of K / 2 bytes with TMA: K a multiple of 32.
func.func @nvfp4_gemm_k48(%a: tensor<128x48xf4E2M1FN>, %sa: tensor<128x3xf8E4M3FN>, %ga: tensor<f32>, %b: tensor<64x48xf4E2M1FN>, %sb: tensor<64x3xf8E4M3FN>, %gb: tensor<f32>) -> tensor<128x64xf32> {
  // expected-error @+1 {{'fp8.scaled_matmul' op with NVFP4 operands needs K to be a multiple of 32 (packed rows of K / 2 bytes need TMA's 16-byte row strides), got K = 48}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb a_global(%ga : tensor<f32>) b_global(%gb : tensor<f32>)
      {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [1, 16]>, transpose_b}
      : tensor<128x48xf4E2M1FN>, tensor<128x3xf8E4M3FN>, tensor<64x48xf4E2M1FN>, tensor<64x3xf8E4M3FN> -> tensor<128x64xf32>
  return %d : tensor<128x64xf32>
}

// -----

// The sub-byte cvt's saturate.
func.func @fp4_nosat(%x: tensor<128x256xf32>, %s: tensor<128x8xf8E8M0FNU>) -> tensor<128x256xf4E2M1FN> {
  // expected-error @+1 {{'fp8.quantize' op has no sm_100a kernel for 'f4E2M1FN' with saturate = false (the FP4/FP6 cvt's saturate)}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>, saturate = false}
      : tensor<128x256xf32>, tensor<128x8xf8E8M0FNU> -> tensor<128x256xf4E2M1FN>
  return %q : tensor<128x256xf4E2M1FN>
}

// -----

// MX containers are 16 elements wide.
func.func @fp6_rows_of_8(%x: tensor<64x8xf32>, %s: tensor<64x1xf8E8M0FNU>) -> tensor<64x8xf6E3M2FN> {
  // expected-error @+1 {{'fp8.quantize' op has no sm_100a kernel for 'f6E3M2FN' rows or scale groups whose width is not a multiple of 16 (the MMA's 16-element containers)}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<64x8xf32>, tensor<64x1xf8E8M0FNU> -> tensor<64x8xf6E3M2FN>
  return %q : tensor<64x8xf6E3M2FN>
}

// -----

// FP4 pairs need rows of even length.
func.func @nvfp4_odd_rows(%x: tensor<4x15xf32>, %s: tensor<4x1xf8E4M3FN>, %g: tensor<f32>) -> tensor<4x15xf4E2M1FN> {
  // expected-error @+1 {{'fp8.quantize' op has no sm_100a kernel for 'f4E2M1FN' rows of odd length or scale groups of odd width (FP4/FP6 convert pairs; FP4 packs two per byte along the row)}}
  %q = fp8.quantize %x, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<4x15xf32>, tensor<4x1xf8E4M3FN> -> tensor<4x15xf4E2M1FN>
  return %q : tensor<4x15xf4E2M1FN>
}

// -----

// The FP6 dequantize kernel reads 16-element Padded16 containers.
func.func @fp6_dequantize_rows_of_8(%q: tensor<64x8xf6E2M3FN>, %s: tensor<64x1xf8E8M0FNU>) -> tensor<64x8xf32> {
  // expected-error @+1 {{'fp8.dequantize' op has no sm_100a kernel for 'f6E2M3FN' rows or scale groups whose width is not a multiple of 16 (the MMA's 16-element containers)}}
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<64x8xf6E2M3FN>, tensor<64x1xf8E8M0FNU> -> tensor<64x8xf32>
  return %x : tensor<64x8xf32>
}

// -----

// Packed FP4 holds pairs: rows of even length.
func.func @nvfp4_dequantize_odd_rows(%q: tensor<4x15xf4E2M1FN>, %s: tensor<4x1xf8E4M3FN>, %g: tensor<f32>) -> tensor<4x15xf32> {
  // expected-error @+1 {{'fp8.dequantize' op has no sm_100a kernel for 'f4E2M1FN' rows of odd length or scale groups of odd width (FP4/FP6 convert pairs; FP4 packs two per byte along the row)}}
  %x = fp8.dequantize %q, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<4x15xf4E2M1FN>, tensor<4x1xf8E4M3FN> -> tensor<4x15xf32>
  return %x : tensor<4x15xf32>
}

// -----

// FP4/FP6 kernels need static rows.
func.func @fp4_dequantize_dynamic_rows(%q: tensor<?x32xf4E2M1FN>, %s: tensor<?x1xf8E8M0FNU>) -> tensor<?x32xf32> {
  // expected-error @+1 {{'fp8.dequantize' op has no GPU kernel for 'f4E2M1FN' with dynamic rows yet (FP4/FP6 kernels need static shapes)}}
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<?x32xf4E2M1FN>, tensor<?x1xf8E8M0FNU> -> tensor<?x32xf32>
  return %x : tensor<?x32xf32>
}

// -----

// An MX FP4 tensor read by an FP8 x FP4 GEMM keeps the Padded16 containers,
// while the FP4 x FP4 GEMM's other operand (read by it alone) is Packed:
// no MMA reads both.
func.func @mxfp4_mixed_storage(%a: tensor<128x256xf4E2M1FN>, %sa: tensor<128x8xf8E8M0FNU>, %b: tensor<64x256xf4E2M1FN>, %sb: tensor<64x8xf8E8M0FNU>, %a8: tensor<128x256xf8E4M3FN>) -> (tensor<128x64xf32>, tensor<128x128xf32>) {
  // expected-error @+1 {{'fp8.scaled_matmul' op has no sm_100a kernel for MX FP4 operands stored padded (A) and packed (B): an MX FP4 tensor that also feeds a GEMM with a non-FP4 operand keeps the 16-byte containers of .kind::mxf8f6f4, so every FP4 GEMM it meets must too}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<128x256xf4E2M1FN>, tensor<128x8xf8E8M0FNU>, tensor<64x256xf4E2M1FN>, tensor<64x8xf8E8M0FNU> -> tensor<128x64xf32>
  %d2 = fp8.scaled_matmul %a8, %sa, %a, %sa
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<128x8xf8E8M0FNU>, tensor<128x256xf4E2M1FN>, tensor<128x8xf8E8M0FNU> -> tensor<128x128xf32>
  return %d, %d2 : tensor<128x64xf32>, tensor<128x128xf32>
}
