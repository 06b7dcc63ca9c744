// --fp8-gpu-pipeline on FP4 programs (mxfp4, nvfp4) for sm_90a, which has
// no FP4 converts or MMA: a diagnostic at each op, never an abort.
// RUN: fp8-opt %s -split-input-file --fp8-gpu-pipeline=chip=sm_90a -verify-diagnostics

// An mxfp4 forward matmul.
func.func @mxfp4(%x: tensor<128x256xf32>, %b: tensor<64x256xf4E2M1FN>, %sb: tensor<64x8xf8E8M0FNU>) -> tensor<128x64xf32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 32]>} : tensor<128x256xf32> -> tensor<128x8xf32>
  %sa = fp8.scale_from_amax %a {format = f4E2M1FN} : tensor<128x8xf32> -> tensor<128x8xf8E8M0FNU>
  // expected-error @+1 {{'fp8.quantize' op converts 'f4E2M1FN', which sm_90a cannot do in hardware: the FP4/FP6 cvt instructions need sm_100a}}
  %q = fp8.quantize %x, %sa {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<128x256xf32>, tensor<128x8xf8E8M0FNU> -> tensor<128x256xf4E2M1FN>
  // expected-error @+1 {{'fp8.scaled_matmul' op has 'f4E2M1FN' operands, which sm_90a wgmma cannot multiply (FP4/FP6 need sm_100a)}}
  %d = fp8.scaled_matmul %q, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<128x256xf4E2M1FN>, tensor<128x8xf8E8M0FNU>, tensor<64x256xf4E2M1FN>, tensor<64x8xf8E8M0FNU> -> tensor<128x64xf32>
  return %d : tensor<128x64xf32>
}

// -----

// An nvfp4 forward matmul: two-level scales.
func.func @nvfp4(%x: tensor<128x256xf32>, %b: tensor<64x256xf4E2M1FN>, %sb: tensor<64x16xf8E4M3FN>, %gb: tensor<f32>) -> tensor<128x64xf32> {
  %t = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<128x256xf32> -> tensor<f32>
  %g = fp8.scale_from_amax %t {format = f4E2M1FN, block_scale_type = f8E4M3FN} : tensor<f32> -> tensor<f32>
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 16]>} : tensor<128x256xf32> -> tensor<128x16xf32>
  %sa = fp8.scale_from_amax %a global(%g : tensor<f32>) {format = f4E2M1FN} : tensor<128x16xf32> -> tensor<128x16xf8E4M3FN>
  // expected-error @+1 {{'fp8.quantize' op converts 'f4E2M1FN', which sm_90a cannot do in hardware: the FP4/FP6 cvt instructions need sm_100a}}
  %q = fp8.quantize %x, %sa global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<128x256xf32>, tensor<128x16xf8E4M3FN> -> tensor<128x256xf4E2M1FN>
  // expected-error @+1 {{'fp8.scaled_matmul' op has 'f4E2M1FN' operands, which sm_90a wgmma cannot multiply (FP4/FP6 need sm_100a)}}
  %d = fp8.scaled_matmul %q, %sa, %b, %sb a_global(%g : tensor<f32>) b_global(%gb : tensor<f32>)
      {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [1, 16]>, transpose_b}
      : tensor<128x256xf4E2M1FN>, tensor<128x16xf8E4M3FN>, tensor<64x256xf4E2M1FN>, tensor<64x16xf8E4M3FN> -> tensor<128x64xf32>
  return %d : tensor<128x64xf32>
}

// -----

// FP4/FP6 dequantize kernels decode with sm_100a's cvt.rn.f16x2.e2m1x2.
func.func @mxfp4_dequantize(%q: tensor<128x256xf4E2M1FN>, %s: tensor<128x8xf8E8M0FNU>) -> tensor<128x256xf32> {
  // expected-error @+1 {{'fp8.dequantize' op converts 'f4E2M1FN', which sm_90a cannot do in hardware: the FP4/FP6 cvt instructions need sm_100a}}
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<128x256xf4E2M1FN>, tensor<128x8xf8E8M0FNU> -> tensor<128x256xf32>
  return %x : tensor<128x256xf32>
}
