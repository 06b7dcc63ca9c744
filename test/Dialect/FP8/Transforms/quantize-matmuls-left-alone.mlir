// fp8-quantize-matmuls leaves matmuls it cannot or should not quantize
// untouched, with a remark that says why.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-quantize-matmuls=recipe=blockwise | FileCheck %s

// CHECK-LABEL: func.func @integer
// CHECK: linalg.matmul
// CHECK-NOT: = fp8.
func.func @integer(%a: tensor<16x32xi8>, %b: tensor<32x16xi8>,
                   %c: tensor<16x16xi32>) -> tensor<16x16xi32> {
  // expected-remark @+1 {{not quantized to FP8: integer matmul (i8 x i8 -> i32); FP8 quantization applies to floating-point matmuls}}
  %r = linalg.matmul ins(%a, %b : tensor<16x32xi8>, tensor<32x16xi8>)
      outs(%c : tensor<16x16xi32>) -> tensor<16x16xi32>
  return %r : tensor<16x16xi32>
}

// -----

// CHECK-LABEL: func.func @already_fp8
// CHECK: linalg.matmul
// CHECK-NOT: = fp8.
func.func @already_fp8(%a: tensor<16x32xf32>, %b: tensor<32x16xf8E5M2>,
                       %c: tensor<16x16xf32>) -> tensor<16x16xf32> {
  // expected-remark @+1 {{not quantized to FP8: operand B is already f8E5M2}}
  %r = linalg.matmul ins(%a, %b : tensor<16x32xf32>, tensor<32x16xf8E5M2>)
      outs(%c : tensor<16x16xf32>) -> tensor<16x16xf32>
  return %r : tensor<16x16xf32>
}

// -----

// CHECK-LABEL: func.func @f64
// CHECK: linalg.matmul
// CHECK-NOT: = fp8.
func.func @f64(%a: tensor<16x32xf64>, %b: tensor<32x16xf64>,
               %c: tensor<16x16xf64>) -> tensor<16x16xf64> {
  // expected-remark @+1 {{not quantized to FP8: element types (f64 x f64 -> f64) are not all f32, bf16 or f16}}
  %r = linalg.matmul ins(%a, %b : tensor<16x32xf64>, tensor<32x16xf64>)
      outs(%c : tensor<16x16xf64>) -> tensor<16x16xf64>
  return %r : tensor<16x16xf64>
}

// -----

// Two M dims in another order in the result than in A ([B, S, K] x [K, N]
// -> [S, B, N]) cannot be collapsed into one (quantize-matmuls-collapse.mlir
// has the forms that are).
// CHECK-LABEL: func.func @two_m_dims
// CHECK: linalg.generic
// CHECK-NOT: = fp8.
func.func @two_m_dims(%a: tensor<2x16x64xf32>, %b: tensor<64x32xf32>,
                      %c: tensor<16x2x32xf32>) -> tensor<16x2x32xf32> {
  // expected-remark @+1 {{not quantized to FP8: contraction with 2 M, 1 N and 1 K dims; one N and one K dim are supported, and several M dims when they are one run of dims in the same order in A and the result (a linalg.generic), which is collapsed into one}}
  %r = linalg.generic {
      indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>,
                       affine_map<(b, m, n, k) -> (k, n)>,
                       affine_map<(b, m, n, k) -> (m, b, n)>],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<2x16x64xf32>, tensor<64x32xf32>)
      outs(%c : tensor<16x2x32xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<16x2x32xf32>
  return %r : tensor<16x2x32xf32>
}

// -----

// A B shared by every batch (broadcast) makes the batch dim a second M dim.
// CHECK-LABEL: func.func @broadcast_operand
// CHECK: linalg.batch_matmul
// CHECK-NOT: = fp8.
func.func @broadcast_operand(%a: tensor<2x16x64xf32>, %b: tensor<64x32xf32>,
                             %c: tensor<2x16x32xf32>) -> tensor<2x16x32xf32> {
  // expected-remark @+1 {{not quantized to FP8: contraction with 2 M, 1 N and 1 K dims}}
  %r = linalg.batch_matmul indexing_maps = [
          affine_map<(b, m, n, k) -> (b, m, k)>,
          affine_map<(b, m, n, k) -> (k, n)>,
          affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%a, %b : tensor<2x16x64xf32>, tensor<64x32xf32>)
      outs(%c : tensor<2x16x32xf32>) -> tensor<2x16x32xf32>
  return %r : tensor<2x16x32xf32>
}

// -----

// Matmuls on buffers are not rewritten.
// CHECK-LABEL: func.func @buffers
// CHECK: linalg.matmul
// CHECK-NOT: = fp8.
func.func @buffers(%a: memref<16x32xf32>, %b: memref<32x16xf32>, %c: memref<16x16xf32>) {
  // expected-remark @+1 {{not quantized to FP8: works on buffers; quantization runs on tensors, before bufferization}}
  linalg.matmul ins(%a, %b : memref<16x32xf32>, memref<32x16xf32>)
      outs(%c : memref<16x16xf32>)
  return
}
