// fp8-lower-to-linalg lowers the fused ops of fp8-fuse-quantize as the
// chains they stand for (numbers: python/tests/test_fused_ops.py).
// RUN: fp8-opt %s -split-input-file --fp8-lower-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @quantize_with_amax
// CHECK-NOT: fp8.
// The amax reduction (maximumf of |x|), the scale rule, the quantize.
// CHECK: math.absf
// CHECK: arith.maximumf
// CHECK: arith.truncf %{{.*}} : f32 to f8E4M3FN
// CHECK-NOT: fp8.
// CHECK: return %{{.*}}, %{{.*}} : tensor<64x256xf8E4M3FN>, tensor<64x2xf32>
func.func @quantize_with_amax(%x: tensor<64x256xf32>) -> (tensor<64x256xf8E4M3FN>, tensor<64x2xf32>) {
  %q, %s = fp8.quantize_with_amax %x {format = f8E4M3FN, scaling = #fp8.scaling<block [1, 128]>}
      : tensor<64x256xf32> -> tensor<64x256xf8E4M3FN>, tensor<64x2xf32>
  return %q, %s : tensor<64x256xf8E4M3FN>, tensor<64x2xf32>
}

// -----

// Dynamic sizes: the transposed init takes them swapped.
// CHECK-LABEL: func.func @quantize_transposed
// CHECK-SAME: (%[[X:.*]]: tensor<?x?xf32>, %{{.*}}: tensor<f32>)
// CHECK-DAG: %[[D0:.*]] = tensor.dim %[[X]], %c0
// CHECK-DAG: %[[D1:.*]] = tensor.dim %[[X]], %c1
// CHECK: %[[INIT:.*]] = tensor.empty(%[[D1]], %[[D0]]) : tensor<?x?xf32>
// CHECK: linalg.transpose ins(%[[X]] : tensor<?x?xf32>) outs(%[[INIT]] : tensor<?x?xf32>) permutation = [1, 0]
// CHECK-NOT: fp8.
func.func @quantize_transposed(%x: tensor<?x?xf32>, %s: tensor<f32>) -> tensor<?x?xf8E5M2> {
  %q = fp8.quantize_transposed %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<?x?xf32>, tensor<f32> -> tensor<?x?xf8E5M2>
  return %q : tensor<?x?xf8E5M2>
}

// -----

// CHECK-LABEL: func.func @amax_transposed
// CHECK: linalg.transpose ins(%{{.*}} : tensor<3x256x64xbf16>) outs(%{{.*}} : tensor<3x64x256xbf16>) permutation = [0, 2, 1]
// CHECK: arith.maximumf
// CHECK-NOT: fp8.
func.func @amax_transposed(%x: tensor<3x256x64xbf16>) -> tensor<3x64x2xf32> {
  %a = fp8.amax_transposed %x {scaling = #fp8.scaling<block [1, 128]>}
      : tensor<3x256x64xbf16> -> tensor<3x64x2xf32>
  return %a : tensor<3x64x2xf32>
}
