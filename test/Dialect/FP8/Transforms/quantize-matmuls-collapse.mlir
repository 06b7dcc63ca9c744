// A linear layer on [B, S, K] activations, a contraction with two M dims,
// is quantized as the matmul of A viewed as [B * S, K]: A and the
// accumulator are collapsed, the scaled_matmul result expanded back. A
// rowwise scale is then one per token.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-quantize-matmuls=recipe=rowwise | FileCheck %s

// CHECK-LABEL: func.func @linear_3d(
// CHECK-SAME:      %[[X:.*]]: tensor<4x128x512xf32>, %[[W:.*]]: tensor<512x256xf32>)
// CHECK:         %[[X2:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1], [2]] : tensor<4x128x512xf32> into tensor<512x512xf32>
// CHECK:         %[[AMAX:.*]] = fp8.amax %[[X2]] {scaling = #fp8.scaling<rowwise>} : tensor<512x512xf32> -> tensor<512x1xf32>
// CHECK:         %[[QX:.*]] = fp8.quantize %[[X2]]
// CHECK:         %[[D2:.*]] = fp8.scaled_matmul %[[QX]], %{{.*}}, %{{.*}}, %{{.*}} {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b} : tensor<512x512xf8E4M3FN>, tensor<512x1xf32>, tensor<256x512xf8E4M3FN>, tensor<256x1xf32> -> tensor<512x256xf32>
// The zero accumulator is seen through its collapse: nothing is added.
// CHECK-NOT:     linalg.add
// CHECK:         %[[D:.*]] = tensor.expand_shape %[[D2]] {{\[}}[0, 1], [2]] output_shape [4, 128, 256] : tensor<512x256xf32> into tensor<4x128x256xf32>
// CHECK:         return %[[D]]
func.func @linear_3d(%x: tensor<4x128x512xf32>, %w: tensor<512x256xf32>) -> tensor<4x128x256xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x128x256xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x128x256xf32>) -> tensor<4x128x256xf32>
  %y = linalg.generic {
      indexing_maps = [affine_map<(b, s, n, k) -> (b, s, k)>,
                       affine_map<(b, s, n, k) -> (k, n)>,
                       affine_map<(b, s, n, k) -> (b, s, n)>],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<4x128x512xf32>, tensor<512x256xf32>) outs(%f : tensor<4x128x256xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x128x256xf32>
  return %y : tensor<4x128x256xf32>
}

// -----

// Three M dims ([B, H, S, K], loops in another order than A's dims), with
// the weight K-major ([N, K]) and a non-zero accumulator, which is added
// back to the collapsed result before the expansion.
// CHECK-LABEL: func.func @four_d(
// CHECK-SAME:      %[[X:.*]]: tensor<2x4x64x128xf32>, %[[W:.*]]: tensor<96x128xf32>, %[[C:.*]]: tensor<2x4x64x96xf32>)
// CHECK:         %[[X2:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1, 2], [3]] : tensor<2x4x64x128xf32> into tensor<512x128xf32>
// CHECK:         %[[C2:.*]] = tensor.collapse_shape %[[C]] {{\[}}[0, 1, 2], [3]] : tensor<2x4x64x96xf32> into tensor<512x96xf32>
// CHECK:         %[[D2:.*]] = fp8.scaled_matmul {{.*}} -> tensor<512x96xf32>
// CHECK:         %[[SUM:.*]] = linalg.add ins(%[[D2]], %[[C2]] : tensor<512x96xf32>, tensor<512x96xf32>)
// CHECK:         tensor.expand_shape %[[SUM]] {{\[}}[0, 1, 2], [3]] output_shape [2, 4, 64, 96]
func.func @four_d(%x: tensor<2x4x64x128xf32>, %w: tensor<96x128xf32>, %c: tensor<2x4x64x96xf32>) -> tensor<2x4x64x96xf32> {
  %y = linalg.generic {
      indexing_maps = [affine_map<(n, b, h, k, s) -> (b, h, s, k)>,
                       affine_map<(n, b, h, k, s) -> (n, k)>,
                       affine_map<(n, b, h, k, s) -> (b, h, s, n)>],
      iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel"]}
      ins(%x, %w : tensor<2x4x64x128xf32>, tensor<96x128xf32>) outs(%c : tensor<2x4x64x96xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x4x64x96xf32>
  return %y : tensor<2x4x64x96xf32>
}

// -----

// A dynamic M dim is collapsed too: the tokens of [B, S, K] with S dynamic
// become one dynamic M, and the expand back reads S off the accumulator.
// CHECK-LABEL: func.func @dynamic_tokens(
// CHECK-SAME:      %[[X:[^:]*]]: tensor<4x?x512xf32>, %[[W:[^:]*]]: tensor<512x256xf32>, %[[C:[^:]*]]: tensor<4x?x256xf32>)
// CHECK-DAG:     %[[S:.*]] = tensor.dim %[[C]], %c1 : tensor<4x?x256xf32>
// CHECK-DAG:     %[[X2:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<4x?x512xf32> into tensor<?x512xf32>
// CHECK-DAG:     fp8.amax %[[X2]] {scaling = #fp8.scaling<rowwise>} : tensor<?x512xf32> -> tensor<?x1xf32>
// CHECK:         %[[D:.*]] = fp8.scaled_matmul {{.*}} -> tensor<?x256xf32>
// CHECK:         %[[SUM:.*]] = linalg.add ins(%[[D]],
// CHECK:         tensor.expand_shape %[[SUM]] {{\[\[}}0, 1], [2]] output_shape [4, %[[S]], 256] : tensor<?x256xf32> into tensor<4x?x256xf32>
func.func @dynamic_tokens(%x: tensor<4x?x512xf32>, %w: tensor<512x256xf32>, %c: tensor<4x?x256xf32>) -> tensor<4x?x256xf32> {
  %y = linalg.generic {
      indexing_maps = [affine_map<(b, s, n, k) -> (b, s, k)>,
                       affine_map<(b, s, n, k) -> (k, n)>,
                       affine_map<(b, s, n, k) -> (b, s, n)>],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<4x?x512xf32>, tensor<512x256xf32>) outs(%c : tensor<4x?x256xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x?x256xf32>
  return %y : tensor<4x?x256xf32>
}

// -----

// Two dynamic M dims are collapsed too; the expand back is a tensor.reshape
// with the sizes read off the accumulator (a tensor.expand_shape would
// become a memref.expand_shape with two dynamic sizes in one group, which
// MLIR 22's expand-strided-metadata, in the CPU pipeline, crashes on).
// CHECK-LABEL: func.func @dynamic_batch_and_tokens(
// CHECK-SAME:    %[[X:.*]]: tensor<?x?x512xf32>, %{{.*}}: tensor<512x256xf32>, %[[C:.*]]: tensor<?x?x256xf32>)
// CHECK-DAG:     %[[B:.*]] = tensor.dim %[[C]], %c0
// CHECK-DAG:     %[[S:.*]] = tensor.dim %[[C]], %c1
// CHECK-DAG:     tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<?x?x512xf32> into tensor<?x512xf32>
// CHECK:         %[[D:.*]] = fp8.scaled_matmul
// CHECK-SAME:    -> tensor<?x256xf32>
// CHECK:         %[[SUM:.*]] = linalg.add ins(%[[D]],
// CHECK:         %[[SHAPE:.*]] = tensor.from_elements %[[B]], %[[S]], %c256 : tensor<3xindex>
// CHECK:         %[[Y:.*]] = tensor.reshape %[[SUM]](%[[SHAPE]]) : (tensor<?x256xf32>, tensor<3xindex>) -> tensor<?x?x256xf32>
// CHECK:         return %[[Y]]
func.func @dynamic_batch_and_tokens(%x: tensor<?x?x512xf32>, %w: tensor<512x256xf32>, %c: tensor<?x?x256xf32>) -> tensor<?x?x256xf32> {
  %y = linalg.generic {
      indexing_maps = [affine_map<(b, s, n, k) -> (b, s, k)>,
                       affine_map<(b, s, n, k) -> (k, n)>,
                       affine_map<(b, s, n, k) -> (b, s, n)>],
      iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<?x?x512xf32>, tensor<512x256xf32>) outs(%c : tensor<?x?x256xf32>) {
  ^bb0(%p: f32, %q: f32, %r: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %r, %m : f32
    linalg.yield %s : f32
  } -> tensor<?x?x256xf32>
  return %y : tensor<?x?x256xf32>
}
