// Fused ops written by hand that no kernel runs are reported at their
// location by their planners, and the pass fails with the IR untouched.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_90a" -verify-diagnostics

func.func @tensor_scaling(%x: tensor<64x256xf32>) -> tensor<64x256xf8E4M3FN> {
  // expected-error @+1 {{'fp8.quantize_with_amax' op has no fused amax/scale/quantize kernel for these shapes and scaling}}
  %q, %s = fp8.quantize_with_amax %x {format = f8E4M3FN, scaling = #fp8.scaling<tensor>} : tensor<64x256xf32> -> tensor<64x256xf8E4M3FN>, tensor<f32>
  return %q : tensor<64x256xf8E4M3FN>
}

// -----

func.func @dynamic(%x: tensor<?x256xf32>) -> tensor<?x256xf8E4M3FN> {
  // expected-error @+1 {{'fp8.quantize_with_amax' op has no GPU kernel for dynamic shapes; the GPU lowering needs static shapes}}
  %q, %s = fp8.quantize_with_amax %x {format = f8E4M3FN, scaling = #fp8.scaling<rowwise>} : tensor<?x256xf32> -> tensor<?x256xf8E4M3FN>, tensor<?x1xf32>
  return %q : tensor<?x256xf8E4M3FN>
}

// -----

func.func @fp4_transposed(%x: tensor<64x128xf32>, %s: tensor<f32>) -> tensor<128x64xf4E2M1FN> {
  // expected-error @+1 {{'fp8.quantize_transposed' op converts 'f4E2M1FN', which sm_90a cannot do in hardware: the FP4/FP6 cvt instructions need sm_100a}}
  %q = fp8.quantize_transposed %x, %s {scaling = #fp8.scaling<tensor>} : tensor<64x128xf32>, tensor<f32> -> tensor<128x64xf4E2M1FN>
  return %q : tensor<128x64xf4E2M1FN>
}

// -----

// The 40 rows of %x, the output's rows of 40 elements, are no multiple of
// the 16-element chunks the kernel converts.
func.func @ragged_transposed(%x: tensor<40x64xf32>, %s: tensor<f32>) -> tensor<64x40xf8E4M3FN> {
  // expected-error @+1 {{'fp8.quantize_transposed' op has no transposing kernel for these shapes and scaling}}
  %q = fp8.quantize_transposed %x, %s {scaling = #fp8.scaling<tensor>} : tensor<40x64xf32>, tensor<f32> -> tensor<64x40xf8E4M3FN>
  return %q : tensor<64x40xf8E4M3FN>
}

// -----

// Groups of 48 along the output rows neither span nor divide a 128-wide tile.
func.func @amax_transposed_groups(%x: tensor<96x64xf32>) -> tensor<64x2xf32> {
  // expected-error @+1 {{'fp8.amax_transposed' op has no transposing kernel for these shapes and scaling}}
  %a = fp8.amax_transposed %x {scaling = #fp8.scaling<block [1, 48]>} : tensor<96x64xf32> -> tensor<64x2xf32>
  return %a : tensor<64x2xf32>
}
