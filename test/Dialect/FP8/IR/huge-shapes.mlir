// Huge static sizes that int64 holds verify, with the exact scale shapes.
// RUN: fp8-opt %s | FileCheck %s

// CHECK-LABEL: func.func @huge_block
// CHECK: fp8.amax {{.*}} : tensor<4x32xf32> -> tensor<1x8xf32>
func.func @huge_block(%x: tensor<4x32xf32>) -> tensor<1x8xf32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [9223372036854775807, 4]>} : tensor<4x32xf32> -> tensor<1x8xf32>
  return %a : tensor<1x8xf32>
}

// INT64_MAX one-byte elements: the largest buffer int64 can size.
// CHECK-LABEL: func.func @int64_max_rows
// CHECK: fp8.amax {{.*}} : tensor<9223372036854775807x1xf8E4M3FN> -> tensor<1x1xf32>
func.func @int64_max_rows(%x: tensor<9223372036854775807x1xf8E4M3FN>) -> tensor<1x1xf32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [9223372036854775807, 1]>} : tensor<9223372036854775807x1xf8E4M3FN> -> tensor<1x1xf32>
  return %a : tensor<1x1xf32>
}

// CHECK-LABEL: func.func @int64_max_rowwise_blocks
// CHECK: fp8.quantize {{.*}} -> tensor<2x1152921504606846976xf8E4M3FN>
func.func @int64_max_rowwise_blocks(%x: tensor<2x1152921504606846976xbf16>, %s: tensor<2x1xf32>)
    -> tensor<2x1152921504606846976xf8E4M3FN> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 9223372036854775807]>}
      : tensor<2x1152921504606846976xbf16>, tensor<2x1xf32> -> tensor<2x1152921504606846976xf8E4M3FN>
  return %q : tensor<2x1152921504606846976xf8E4M3FN>
}
