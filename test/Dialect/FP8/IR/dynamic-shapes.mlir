// The fp8 ops verify on data with dynamic sizes: a scale's size is dynamic
// where the data's size it counts is, or static (a refinement the program
// guarantees at run time). invalid-dynamic-shapes.mlir has what does not.
// RUN: fp8-opt %s | fp8-opt | FileCheck %s

// CHECK-LABEL: func.func @rowwise_dynamic
// CHECK: fp8.amax {{.*}} : tensor<?x?xf32> -> tensor<?x1xf32>
// CHECK: fp8.quantize {{.*}} : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf8E4M3FN>
// CHECK: fp8.scaled_matmul {{.*}} -> tensor<?x?xbf16>
func.func @rowwise_dynamic(%x: tensor<?x?xf32>, %b: tensor<?x?xf8E4M3FN>, %sb: tensor<?x1xf32>)
    -> tensor<?x?xbf16> {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<?x?xf32> -> tensor<?x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN, pow2} : tensor<?x1xf32> -> tensor<?x1xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>}
      : tensor<?x?xf32>, tensor<?x1xf32> -> tensor<?x?xf8E4M3FN>
  %d = fp8.scaled_matmul %q, %s, %b, %sb
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<?x?xf8E4M3FN>, tensor<?x1xf32>, tensor<?x?xf8E4M3FN>, tensor<?x1xf32> -> tensor<?x?xbf16>
  return %d : tensor<?x?xbf16>
}

// Block and MX scales over a dynamic K: dynamic group counts, or a static
// count on one side only.
// CHECK-LABEL: func.func @block_dynamic_k
// CHECK: fp8.scaled_matmul {{.*}} : tensor<?x?xf8E4M3FN>, tensor<?x?xf32>, tensor<?x?xf8E4M3FN>, tensor<2x3xf32> -> tensor<?x?xf32>
// CHECK: fp8.scaled_matmul {{.*}} : tensor<?x?xf8E4M3FN>, tensor<?x?xf8E8M0FNU>, tensor<64x?xf8E4M3FN>, tensor<64x?xf8E8M0FNU> -> tensor<?x64xf32>
func.func @block_dynamic_k(%a: tensor<?x?xf8E4M3FN>, %sa: tensor<?x?xf32>,
                           %b: tensor<?x?xf8E4M3FN>, %sb: tensor<2x3xf32>,
                           %ma: tensor<?x?xf8E8M0FNU>, %mb: tensor<64x?xf8E4M3FN>,
                           %msb: tensor<64x?xf8E8M0FNU>) -> (tensor<?x?xf32>, tensor<?x64xf32>) {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<?x?xf8E4M3FN>, tensor<?x?xf32>, tensor<?x?xf8E4M3FN>, tensor<2x3xf32> -> tensor<?x?xf32>
  %e = fp8.scaled_matmul %a, %ma, %mb, %msb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<?x?xf8E4M3FN>, tensor<?x?xf8E8M0FNU>, tensor<64x?xf8E4M3FN>, tensor<64x?xf8E8M0FNU> -> tensor<?x64xf32>
  return %d, %e : tensor<?x?xf32>, tensor<?x64xf32>
}

// A rowwise A (one group: all of K) with a block-scaled B along a dynamic
// K: right when K is at most the block, which only the run time knows.
// CHECK-LABEL: func.func @rowwise_a_block_b_dynamic_k
// CHECK: fp8.scaled_matmul {{.*}} {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
func.func @rowwise_a_block_b_dynamic_k(%a: tensor<16x?xf8E4M3FN>, %sa: tensor<16x1xf32>,
                                       %b: tensor<64x?xf8E4M3FN>, %sb: tensor<1x?xf32>) -> tensor<16x64xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<16x?xf8E4M3FN>, tensor<16x1xf32>, tensor<64x?xf8E4M3FN>, tensor<1x?xf32> -> tensor<16x64xf32>
  return %d : tensor<16x64xf32>
}
