// fp8-lower-to-linalg of two-level (NVFP4) scaling: the per-tensor scale,
// the E4M3 block scales, quantize and dequantize with the per-tensor scale,
// and the matmul's alpha.
// RUN: fp8-opt %s --fp8-lower-to-linalg --split-input-file | FileCheck %s --implicit-check-not=fp8.

// CHECK-LABEL: func.func @global_scale
// CHECK: linalg.generic
// CHECK: %[[C:.*]] = arith.constant 2.688000e+03 : f32
// CHECK: arith.divf %{{.*}}, %[[C]] : f32
func.func @global_scale(%a: tensor<f32>) -> tensor<f32> {
  %g = fp8.scale_from_amax %a {format = f4E2M1FN, block_scale_type = f8E4M3FN} : tensor<f32> -> tensor<f32>
  return %g : tensor<f32>
}

// -----

// (amax / 6) / g, clamped to [2^-6, 448], 1 for a bad amax, to E4M3.
// CHECK-LABEL: func.func @block_scale
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<4x4xf32>, tensor<f32>)
// CHECK: ^bb0(%[[A:.*]]: f32, %[[G:.*]]: f32,
// CHECK: %[[SIX:.*]] = arith.constant 6.000000e+00 : f32
// CHECK: %[[R:.*]] = arith.divf %[[A]], %[[SIX]] : f32
// CHECK: %[[Q:.*]] = arith.divf %[[R]], %[[G]] : f32
// CHECK: %[[TINY:.*]] = arith.constant 1.562500e-02 : f32
// CHECK: %[[LO:.*]] = arith.maximumf %[[Q]], %[[TINY]]
// CHECK: %[[MAX:.*]] = arith.constant 4.480000e+02 : f32
// CHECK: arith.minimumf %[[LO]], %[[MAX]]
// CHECK: arith.select
// CHECK: arith.truncf %{{.*}} : f32 to f8E4M3FN
func.func @block_scale(%a: tensor<4x4xf32>, %g: tensor<f32>) -> tensor<4x4xf8E4M3FN> {
  %s = fp8.scale_from_amax %a global(%g : tensor<f32>) {format = f4E2M1FN} : tensor<4x4xf32> -> tensor<4x4xf8E4M3FN>
  return %s : tensor<4x4xf8E4M3FN>
}

// -----

// x * ((1 / g) / s), saturating to +-6, to E2M1.
// CHECK-LABEL: func.func @quantize
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<4x64xf32>, tensor<4x4xf8E4M3FN>, tensor<f32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[S:.*]]: f8E4M3FN, %[[G:.*]]: f32,
// CHECK: %[[S32:.*]] = arith.extf %[[S]] : f8E4M3FN to f32
// CHECK: %[[INVG:.*]] = arith.divf %{{.*}}, %[[G]] : f32
// CHECK: %[[INV:.*]] = arith.divf %[[INVG]], %[[S32]] : f32
// CHECK: arith.mulf %[[X]], %[[INV]] : f32
// CHECK: arith.truncf %{{.*}} : f32 to f4E2M1FN
func.func @quantize(%x: tensor<4x64xf32>, %s: tensor<4x4xf8E4M3FN>, %g: tensor<f32>) -> tensor<4x64xf4E2M1FN> {
  %q = fp8.quantize %x, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<4x64xf32>, tensor<4x4xf8E4M3FN> -> tensor<4x64xf4E2M1FN>
  return %q : tensor<4x64xf4E2M1FN>
}

// -----

// (q * s) * g, one rounding to bf16.
// CHECK-LABEL: func.func @dequantize
// CHECK: ^bb0(%[[Q:.*]]: f4E2M1FN, %[[S:.*]]: f8E4M3FN, %[[G:.*]]: f32,
// CHECK: %[[P:.*]] = arith.mulf
// CHECK: %[[V:.*]] = arith.mulf %[[P]], %[[G]] : f32
// CHECK: arith.truncf %[[V]] : f32 to bf16
func.func @dequantize(%q: tensor<4x64xf4E2M1FN>, %s: tensor<4x4xf8E4M3FN>, %g: tensor<f32>) -> tensor<4x64xbf16> {
  %x = fp8.dequantize %q, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<4x64xf4E2M1FN>, tensor<4x4xf8E4M3FN> -> tensor<4x64xbf16>
  return %x : tensor<4x64xbf16>
}

// -----

// The f32 accumulation times a_global * b_global, before the bias.
// CHECK-LABEL: func.func @matmul
// CHECK: iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<f32>, tensor<f32>)
// CHECK: ^bb0(%[[D:.*]]: f32, %[[GA:.*]]: f32, %[[GB:.*]]: f32,
// CHECK: %[[ALPHA:.*]] = arith.mulf %[[GA]], %[[GB]] : f32
// CHECK: arith.mulf %[[D]], %[[ALPHA]] : f32
// CHECK: linalg.generic
// CHECK: arith.addf
func.func @matmul(%a: tensor<4x64xf4E2M1FN>, %sa: tensor<4x4xf8E4M3FN>, %ga: tensor<f32>,
                  %b: tensor<8x64xf4E2M1FN>, %sb: tensor<8x4xf8E4M3FN>, %gb: tensor<f32>,
                  %bias: tensor<8xf32>) -> tensor<4x8xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb bias(%bias : tensor<8xf32>) a_global(%ga : tensor<f32>) b_global(%gb : tensor<f32>)
      {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [1, 16]>, transpose_b}
      : tensor<4x64xf4E2M1FN>, tensor<4x4xf8E4M3FN>, tensor<8x64xf4E2M1FN>, tensor<8x4xf8E4M3FN> -> tensor<4x8xf32>
  return %d : tensor<4x8xf32>
}
