// fp8-fuse-quantize fuses only static shapes (its kernels need them): the
// chains fp8-quantize-matmuls makes for an activation with dynamic tokens
// pass through unfused, while the static weight's chain of the same matmul
// is fused as usual.
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=rowwise --fp8-fuse-quantize | FileCheck %s --check-prefixes=CHECK,ROW
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=blockwise --fp8-fuse-quantize | FileCheck %s --check-prefixes=CHECK,BLOCK
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=mxfp8 --fp8-fuse-quantize | FileCheck %s --check-prefixes=CHECK,MX

// CHECK-LABEL: func.func @linear(
// CHECK-SAME:      %[[X:[^:]*]]: tensor<?x256xf32>, %[[W:[^:]*]]: tensor<256x64xf32>
// CHECK-NOT:     fp8.quantize_with_amax %[[X]]
// CHECK-NOT:     fp8.quantize_transposed %[[X]]
// CHECK:         %[[XA:.*]] = fp8.amax %[[X]]
// CHECK:         %[[XS:.*]] = fp8.scale_from_amax %[[XA]]
// CHECK:         %[[XQ:.*]] = fp8.quantize %[[X]], %[[XS]]
// ROW-SAME:          tensor<?x256xf32>, tensor<?x1xf32> -> tensor<?x256xf8E4M3FN>
// BLOCK-SAME:        tensor<?x256xf32>, tensor<?x2xf32> -> tensor<?x256xf8E4M3FN>
// MX-SAME:           tensor<?x256xf32>, tensor<?x8xf8E8M0FNU> -> tensor<?x256xf8E4M3FN>
// CHECK:         fp8.amax_transposed %[[W]]
// CHECK:         %[[WQ:.*]] = fp8.quantize_transposed %[[W]]
// CHECK:         fp8.scaled_matmul %[[XQ]], %[[XS]], %[[WQ]]
func.func @linear(%x: tensor<?x256xf32>,
                  %w: tensor<256x64xf32> {fp8.role = #fp8.role<weight>},
                  %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %y = linalg.matmul ins(%x, %w : tensor<?x256xf32>, tensor<256x64xf32>)
      outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// A transposed activation with dynamic tokens (the A of a weight gradient,
// [D, M]) keeps its linalg.transpose: no fp8.amax_transposed or
// fp8.quantize_transposed reads it.
// CHECK-LABEL: func.func @wgrad(
// CHECK-NOT:     fp8.quantize_with_amax
// CHECK-NOT:     _transposed
// CHECK:         linalg.transpose
// CHECK:         fp8.scaled_matmul
func.func @wgrad(%dy: tensor<?x16xf32> {fp8.role = #fp8.role<gradient>},
                 %x: tensor<?x32xf32>, %c: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %dy, %c0 : tensor<?x16xf32>
  %e = tensor.empty(%m) : tensor<16x?xf32>
  %dyt = linalg.transpose ins(%dy : tensor<?x16xf32>)
      outs(%e : tensor<16x?xf32>) permutation = [1, 0]
  %dw = linalg.matmul ins(%dyt, %x : tensor<16x?xf32>, tensor<?x32xf32>)
      outs(%c : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %dw : tensor<16x32xf32>
}
