// The fused ops of fp8-fuse-quantize print and parse back, in the pretty
// form and through the generic form.
// RUN: fp8-opt %s | fp8-opt | FileCheck %s
// RUN: fp8-opt %s --mlir-print-op-generic | fp8-opt | FileCheck %s

// CHECK-LABEL: func.func @fused(
// CHECK:         fp8.quantize_with_amax %{{.*}} {format = f8E4M3FN, scaling = #fp8.scaling<block [1, 128]>} : tensor<256x512xbf16> -> tensor<256x512xf8E4M3FN>, tensor<256x4xf32>
// CHECK:         fp8.quantize_with_amax %{{.*}} {format = f8E4M3FN, margin = -2 : i64, mx_scale = #fp8.mx_scale<floor>, saturate = false, scaling = #fp8.scaling<block [1, 32]>} : tensor<64x128xf32> -> tensor<64x128xf8E4M3FN>, tensor<64x4xf8E8M0FNU>
// CHECK:         fp8.quantize_transposed %{{.*}}, %{{.*}} {scaling = #fp8.scaling<tensor>} : tensor<512x256xf32>, tensor<f32> -> tensor<256x512xf8E5M2>
// CHECK:         fp8.amax_transposed %{{.*}} {scaling = #fp8.scaling<rowwise>} : tensor<2x64x128xbf16> -> tensor<2x128x1xf32>
func.func @fused(%x: tensor<256x512xbf16>, %y: tensor<64x128xf32>, %w: tensor<512x256xf32>, %s: tensor<f32>, %b: tensor<2x64x128xbf16>) {
  %q0, %s0 = fp8.quantize_with_amax %x {format = f8E4M3FN, scaling = #fp8.scaling<block [1, 128]>} : tensor<256x512xbf16> -> tensor<256x512xf8E4M3FN>, tensor<256x4xf32>
  %q1, %s1 = fp8.quantize_with_amax %y {format = f8E4M3FN, margin = -2, mx_scale = #fp8.mx_scale<floor>, saturate = false, scaling = #fp8.scaling<block [1, 32]>} : tensor<64x128xf32> -> tensor<64x128xf8E4M3FN>, tensor<64x4xf8E8M0FNU>
  %q2 = fp8.quantize_transposed %w, %s {scaling = #fp8.scaling<tensor>} : tensor<512x256xf32>, tensor<f32> -> tensor<256x512xf8E5M2>
  %a = fp8.amax_transposed %b {scaling = #fp8.scaling<rowwise>} : tensor<2x64x128xbf16> -> tensor<2x128x1xf32>
  return
}
