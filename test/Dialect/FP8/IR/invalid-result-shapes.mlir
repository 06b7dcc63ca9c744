// A result may be static where the operands are dynamic, never dynamic where
// the operands fix its size: the lowerings size results from the operands.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics

func.func @quantize(%x: tensor<16x32xf32>, %s: tensor<f32>) -> tensor<?x32xf8E4M3FN> {
  // expected-error @+1 {{'fp8.quantize' op expected result of the input shape [16, 32], found [?, 32]}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<16x32xf32>, tensor<f32> -> tensor<?x32xf8E4M3FN>
  return %q : tensor<?x32xf8E4M3FN>
}

// -----

func.func @dequantize(%q: tensor<16x32xf8E4M3FN>, %s: tensor<16x1xf32>) -> tensor<16x?xf32> {
  // expected-error @+1 {{'fp8.dequantize' op expected result of the input shape [16, 32], found [16, ?]}}
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<rowwise>}
      : tensor<16x32xf8E4M3FN>, tensor<16x1xf32> -> tensor<16x?xf32>
  return %x : tensor<16x?xf32>
}

// -----

func.func @amax(%x: tensor<16x256xf32>) -> tensor<16x?xf32> {
  // expected-error @+1 {{'fp8.amax' op expected amax result of shape [16, 2] for data of shape [16, 256] under #fp8.scaling<block [1, 128]>, found [16, ?]}}
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 128]>} : tensor<16x256xf32> -> tensor<16x?xf32>
  return %a : tensor<16x?xf32>
}

// -----

func.func @scale_from_amax(%a: tensor<16x2xf32>) -> tensor<?x2xf32> {
  // expected-error @+1 {{'fp8.scale_from_amax' op expected scale of the amax shape [16, 2], found [?, 2]}}
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<16x2xf32> -> tensor<?x2xf32>
  return %s : tensor<?x2xf32>
}

// -----

func.func @scaled_matmul_m(%a: tensor<128x64xf8E4M3FN>, %sa: tensor<f32>,
                           %b: tensor<32x64xf8E4M3FN>, %sb: tensor<f32>) -> tensor<?x32xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op expected result of shape [128, 32] (static where A and B are), found [?, 32]}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x64xf8E4M3FN>, tensor<f32>, tensor<32x64xf8E4M3FN>, tensor<f32> -> tensor<?x32xbf16>
  return %d : tensor<?x32xbf16>
}

// -----

// A batch dim static in B (dynamic in A) is static in the result too.
func.func @scaled_matmul_batch(%a: tensor<?x128x64xf8E4M3FN>, %sa: tensor<f32>,
                               %b: tensor<3x32x64xf8E4M3FN>, %sb: tensor<f32>) -> tensor<?x128x32xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op expected result of shape [3, 128, 32] (static where A and B are), found [?, 128, 32]}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<?x128x64xf8E4M3FN>, tensor<f32>, tensor<3x32x64xf8E4M3FN>, tensor<f32> -> tensor<?x128x32xbf16>
  return %d : tensor<?x128x32xbf16>
}

// -----

// A static N that disagrees with B is reported with a dynamic M shown as '?'.
func.func @scaled_matmul_n(%a: tensor<?x64xf8E4M3FN>, %sa: tensor<f32>,
                           %b: tensor<32x64xf8E4M3FN>, %sb: tensor<f32>) -> tensor<?x16xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op expected result of shape [..., ?, 32], found [?, 16]}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<?x64xf8E4M3FN>, tensor<f32>, tensor<32x64xf8E4M3FN>, tensor<f32> -> tensor<?x16xbf16>
  return %d : tensor<?x16xbf16>
}

// -----

func.func @scale_from_history(%h: tensor<16x4xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{'fp8.scale_from_history' op expected scale of shape [4] (the history [16, 4] without its first dim), found [?]}}
  %s = fp8.scale_from_history %h {algo = #fp8.algo<max>, format = f8E4M3FN}
      : tensor<16x4xf32> -> tensor<?xf32>
  return %s : tensor<?xf32>
}

// -----

// Accepted: results as dynamic as the operands, or static where the operands
// are dynamic.
func.func @accepted(%x: tensor<?x32xf32>, %s: tensor<f32>, %h: tensor<16x?xf32>,
                    %a: tensor<?x64xf8E4M3FN>, %b: tensor<?x64xf8E4M3FN>) {
  %q0 = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<?x32xf32>, tensor<f32> -> tensor<?x32xf8E4M3FN>
  %q1 = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<?x32xf32>, tensor<f32> -> tensor<16x32xf8E4M3FN>
  %a0 = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<?x32xf32> -> tensor<?x1xf32>
  %a1 = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<?x32xf32> -> tensor<16x1xf32>
  %s0 = fp8.scale_from_history %h {algo = #fp8.algo<max>, format = f8E4M3FN}
      : tensor<16x?xf32> -> tensor<4xf32>
  %d = fp8.scaled_matmul %a, %s, %b, %s
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<?x64xf8E4M3FN>, tensor<f32>, tensor<?x64xf8E4M3FN>, tensor<f32> -> tensor<8x?xbf16>
  return
}
