// The two-level (NVFP4) operands and the FP4/FP6 recipes print as they parse.
// RUN: fp8-opt %s | fp8-opt | FileCheck %s

// CHECK-LABEL: func.func @nvfp4
// CHECK: %[[G:.*]] = fp8.scale_from_amax %{{.*}} {block_scale_type = f8E4M3FN, format = f4E2M1FN} : tensor<f32> -> tensor<f32>
// CHECK: %[[S:.*]] = fp8.scale_from_amax %{{.*}} global(%[[G]] : tensor<f32>) {format = f4E2M1FN} : tensor<4x4xf32> -> tensor<4x4xf8E4M3FN>
// CHECK: %[[Q:.*]] = fp8.quantize %{{.*}}, %[[S]] global(%[[G]] : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>} : tensor<4x64xf32>, tensor<4x4xf8E4M3FN> -> tensor<4x64xf4E2M1FN>
// CHECK: fp8.dequantize %[[Q]], %[[S]] global(%[[G]] : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>} : tensor<4x64xf4E2M1FN>, tensor<4x4xf8E4M3FN> -> tensor<4x64xf32>
// CHECK: fp8.scaled_matmul %[[Q]], %[[S]], %[[Q]], %[[S]] a_global(%[[G]] : tensor<f32>) b_global(%[[G]] : tensor<f32>) {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [1, 16]>, transpose_b}
func.func @nvfp4(%x: tensor<4x64xf32>, %t: tensor<f32>, %a: tensor<4x4xf32>)
    -> (tensor<4x64xf32>, tensor<4x4xf32>) {
  %g = fp8.scale_from_amax %t {format = f4E2M1FN, block_scale_type = f8E4M3FN} : tensor<f32> -> tensor<f32>
  %s = fp8.scale_from_amax %a global(%g : tensor<f32>) {format = f4E2M1FN} : tensor<4x4xf32> -> tensor<4x4xf8E4M3FN>
  %q = fp8.quantize %x, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<4x64xf32>, tensor<4x4xf8E4M3FN> -> tensor<4x64xf4E2M1FN>
  %d = fp8.dequantize %q, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<4x64xf4E2M1FN>, tensor<4x4xf8E4M3FN> -> tensor<4x64xf32>
  %m = fp8.scaled_matmul %q, %s, %q, %s a_global(%g : tensor<f32>) b_global(%g : tensor<f32>)
      {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [1, 16]>, transpose_b}
      : tensor<4x64xf4E2M1FN>, tensor<4x4xf8E4M3FN>, tensor<4x64xf4E2M1FN>, tensor<4x4xf8E4M3FN> -> tensor<4x4xf32>
  return %d, %m : tensor<4x64xf32>, tensor<4x4xf32>
}

// CHECK-LABEL: func.func private @recipes()
// CHECK-SAME: a = #fp8.recipe<mxfp4>
// CHECK-SAME: b = #fp8.recipe<mxfp6, formats = e2m3, mx_scale = ceil>
// CHECK-SAME: c = #fp8.recipe<nvfp4, margin = 1>
func.func private @recipes() attributes {
  a = #fp8.recipe<mxfp4>, b = #fp8.recipe<mxfp6, formats = e2m3, mx-scale = ceil>,
  c = #fp8.recipe<nvfp4, margin = 1>}
