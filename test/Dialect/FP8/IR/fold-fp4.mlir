// Two-level (NVFP4) scales do not fold: their rules are the lowering's only.
// RUN: fp8-opt %s -canonicalize | FileCheck %s

// CHECK-LABEL: func.func @global_scale_not_folded
// CHECK: fp8.scale_from_amax %{{.*}} {block_scale_type = f8E4M3FN, format = f4E2M1FN}
func.func @global_scale_not_folded() -> tensor<f32> {
  %a = arith.constant dense<2688.0> : tensor<f32>
  %g = fp8.scale_from_amax %a {format = f4E2M1FN, block_scale_type = f8E4M3FN} : tensor<f32> -> tensor<f32>
  return %g : tensor<f32>
}

// A quantize of a dequantize with a per-tensor scale is not the identity
// fold of one-level scales.
// CHECK-LABEL: func.func @no_roundtrip_fold
// CHECK: fp8.dequantize
// CHECK: fp8.quantize
func.func @no_roundtrip_fold(%q: tensor<4x16xf4E2M1FN>, %g: tensor<f32>) -> tensor<4x16xf4E2M1FN> {
  %s = arith.constant dense<1.0> : tensor<4x1xf8E4M3FN>
  %x = fp8.dequantize %q, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<4x16xf4E2M1FN>, tensor<4x1xf8E4M3FN> -> tensor<4x16xf32>
  %r = fp8.quantize %x, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<4x16xf32>, tensor<4x1xf8E4M3FN> -> tensor<4x16xf4E2M1FN>
  return %r : tensor<4x16xf4E2M1FN>
}
