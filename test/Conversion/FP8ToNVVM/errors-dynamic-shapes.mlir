// Dynamic sizes never reach the kernel planners, on both chips: the op
// verifiers reject a result that is dynamic where its operands are static
// (the lowering sized the result from the operands and built an invalid
// tensor.expand_shape, then crashed), and the conversion rejects any dynamic
// operand or result with one message.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-gpu-pipeline="chip=sm_90a"
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-gpu-pipeline="chip=sm_100a"

func.func @quantize_dynamic_result(%x: tensor<16x32xf32>, %s: tensor<f32>) -> tensor<?x32xf8E4M3FN> {
  // expected-error @+1 {{'fp8.quantize' op expected result of the input shape [16, 32], found [?, 32]}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<16x32xf32>, tensor<f32> -> tensor<?x32xf8E4M3FN>
  return %q : tensor<?x32xf8E4M3FN>
}

// -----

func.func @amax_dynamic_result(%x: tensor<16x256xf32>) -> tensor<?x2xf32> {
  // expected-error @+1 {{'fp8.amax' op expected amax result of shape [16, 2] for data of shape [16, 256] under #fp8.scaling<block [1, 128]>, found [?, 2]}}
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 128]>} : tensor<16x256xf32> -> tensor<?x2xf32>
  return %a : tensor<?x2xf32>
}

// -----

func.func @gemm_dynamic_result(%a: tensor<128x64xf8E4M3FN>, %sa: tensor<f32>,
                               %b: tensor<32x64xf8E4M3FN>, %sb: tensor<f32>) -> tensor<128x?xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op expected result of shape [128, 32] (static where A and B are), found [128, ?]}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x64xf8E4M3FN>, tensor<f32>, tensor<32x64xf8E4M3FN>, tensor<f32> -> tensor<128x?xbf16>
  return %d : tensor<128x?xbf16>
}

// -----

// A dynamic bias of a static GEMM.
func.func @gemm_dynamic_bias(%a: tensor<128x64xf8E4M3FN>, %sa: tensor<f32>,
                             %b: tensor<32x64xf8E4M3FN>, %sb: tensor<f32>,
                             %bias: tensor<?xbf16>) -> tensor<128x32xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op has no GPU kernel for dynamic shapes; the GPU lowering needs static shapes}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb bias(%bias : tensor<?xbf16>)
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x64xf8E4M3FN>, tensor<f32>, tensor<32x64xf8E4M3FN>, tensor<f32> -> tensor<128x32xbf16>
  return %d : tensor<128x32xbf16>
}

// -----

// A dynamic scale of a static quantize.
func.func @quantize_dynamic_scale(%x: tensor<16x32xf32>, %s: tensor<?x1xf32>) -> tensor<16x32xf8E4M3FN> {
  // expected-error @+1 {{'fp8.quantize' op has no GPU kernel for dynamic shapes; the GPU lowering needs static shapes}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>}
      : tensor<16x32xf32>, tensor<?x1xf32> -> tensor<16x32xf8E4M3FN>
  return %q : tensor<16x32xf8E4M3FN>
}
