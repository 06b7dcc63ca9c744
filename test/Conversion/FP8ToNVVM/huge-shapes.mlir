// Huge sizes that a launch can address lower on both chips: block extents
// past the tensor's edge give one group, and a transposing kernel whose
// grid would pass 65535 along z leaves the transpose to the host and runs
// the plain kernel (a 1-D grid) instead.
// RUN: fp8-opt %s -split-input-file --fp8-fuse-quantize --convert-fp8-to-gpu="chip=sm_90a" | FileCheck %s
// RUN: fp8-opt %s -split-input-file --fp8-fuse-quantize --convert-fp8-to-gpu="chip=sm_100a" | FileCheck %s

// ceil(4 / INT64_MAX) = 1 group of rows, 8 groups of 4 columns.
// CHECK-LABEL: gpu.func @fp8_amax_f32_block9223372036854775807x4_4x32(
// CHECK-SAME:      memref<128xf32>, %{{.*}}: memref<8xf32>)
// CHECK-SAME:      known_grid_size = array<i32: 1, 1, 1>
// CHECK-LABEL: func.func @huge_block
// CHECK:         gpu.launch_func @fp8_amax_f32_block9223372036854775807x4_4x32::
func.func @huge_block(%x: tensor<4x32xf32>) -> tensor<1x8xf32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [9223372036854775807, 4]>} : tensor<4x32xf32> -> tensor<1x8xf32>
  return %a : tensor<1x8xf32>
}

// -----

// 65535 batches: one tile per CTA along z still fits.
// CHECK-LABEL: gpu.func @fp8_quantize_transpose_f32_tensor_65535x128x32_f8E4M3FN(
// CHECK-SAME:      known_grid_size = array<i32: 1, 1, 65535>
// CHECK-LABEL: func.func @batch_65535
// CHECK-NOT:     linalg.transpose
// CHECK:         gpu.launch_func @fp8_quantize_transpose_f32_tensor_65535x128x32_f8E4M3FN::
func.func @batch_65535(%x: tensor<65535x128x32xf32>, %s: tensor<f32>) -> tensor<65535x32x128xf8E4M3FN> {
  %e = tensor.empty() : tensor<65535x32x128xf32>
  %t = linalg.transpose ins(%x : tensor<65535x128x32xf32>) outs(%e : tensor<65535x32x128xf32>) permutation = [0, 2, 1]
  %q = fp8.quantize %t, %s {scaling = #fp8.scaling<tensor>}
      : tensor<65535x32x128xf32>, tensor<f32> -> tensor<65535x32x128xf8E4M3FN>
  return %q : tensor<65535x32x128xf8E4M3FN>
}

// -----

// 70000 batches: the plain kernel on the transposed tensor.
// CHECK-LABEL: gpu.func @fp8_quantize_f32_f8E4M3FN_tensor_70000x32x128(
// CHECK-SAME:      known_grid_size = array<i32: 70000, 1, 1>
// CHECK-LABEL: func.func @batch_70000
// CHECK:         %[[T:.*]] = linalg.transpose
// CHECK:         gpu.launch_func @fp8_quantize_f32_f8E4M3FN_tensor_70000x32x128::
func.func @batch_70000(%x: tensor<70000x128x32xf32>, %s: tensor<f32>) -> tensor<70000x32x128xf8E4M3FN> {
  %e = tensor.empty() : tensor<70000x32x128xf32>
  %t = linalg.transpose ins(%x : tensor<70000x128x32xf32>) outs(%e : tensor<70000x32x128xf32>) permutation = [0, 2, 1]
  %q = fp8.quantize %t, %s {scaling = #fp8.scaling<tensor>}
      : tensor<70000x32x128xf32>, tensor<f32> -> tensor<70000x32x128xf8E4M3FN>
  return %q : tensor<70000x32x128xf8E4M3FN>
}
