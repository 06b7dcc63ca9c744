// Fused ops written by hand that no kernel runs are reported at their
// location (by the planner of the unfused chain they stand for), and the
// pass fails with the IR untouched.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_90a" -verify-diagnostics

func.func @tensor_scaling(%x: tensor<64x256xf32>) -> tensor<64x256xf8E4M3FN> {
  // expected-error @+1 {{'fp8.quantize' op has no fused amax/scale/quantize kernel for these shapes and scaling}}
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
  // expected-error @+1 {{'fp8.quantize' op converts 'f4E2M1FN', which sm_90a cannot do in hardware: the FP4/FP6 cvt instructions need sm_100a}}
  %q = fp8.quantize_transposed %x, %s {scaling = #fp8.scaling<tensor>} : tensor<64x128xf32>, tensor<f32> -> tensor<128x64xf4E2M1FN>
  return %q : tensor<128x64xf4E2M1FN>
}
