// keep-first=N / keep-last=N: the matmuls of the first / last N layers,
// forward and backward, stay in high precision. Layers are numbered by
// their weights in program order; dX = dY W joins W's layer, dW = dY^T X
// the layer whose forward reads X.
// RUN: fp8-opt %s -verify-diagnostics --fp8-quantize-matmuls="recipe=mxfp8,keep-first=1" | FileCheck %s --check-prefix=FIRST
// RUN: fp8-opt %s --fp8-quantize-matmuls="recipe=mxfp8,keep-last=1" 2>&1 | FileCheck %s --check-prefix=LAST
// RUN: fp8-opt %s --fp8-quantize-matmuls="recipe=mxfp8,keep-first=1,keep-last=1" | FileCheck %s --check-prefix=BOTH
// RUN: fp8-opt %s --fp8-quantize-matmuls="recipe=mxfp8" | FileCheck %s --check-prefix=NONE

// Layer 0: %h (X W1^T), %dx (dH W1), %dw1 (dH^T X).
// Layer 1: %y (A W2^T), %da (dY W2), %dw2 (dY^T A).
// FIRST-LABEL: func.func @mlp
// FIRST: %[[H:.*]] = linalg.matmul {{.*}}ins(%{{.*}}, %{{.*}} : tensor<32x16xf32>, tensor<64x16xf32>)
// FIRST: fp8.scaled_matmul {{.*}} -> tensor<32x16xf32>
// FIRST: fp8.scaled_matmul {{.*}} -> tensor<32x64xf32>
// FIRST: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<32x64xf32>, tensor<64x16xf32>)
// FIRST: fp8.scaled_matmul {{.*}} -> tensor<16x64xf32>
// FIRST: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<64x32xf32>, tensor<32x16xf32>)
// LAST: remark: not quantized to FP8: it is in layer 1 of 2, kept in high precision (keep-first = 0, keep-last = 1)
// LAST-LABEL: func.func @mlp
// LAST-COUNT-3: fp8.scaled_matmul
// LAST-NOT: fp8.scaled_matmul
// BOTH-LABEL: func.func @mlp
// BOTH-NOT: fp8.scaled_matmul
// NONE-LABEL: func.func @mlp
// NONE-COUNT-6: fp8.scaled_matmul
#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @mlp(%x: tensor<32x16xf32>,
               %w1: tensor<64x16xf32> {fp8.role = #fp8.role<weight>},
               %w2: tensor<16x64xf32> {fp8.role = #fp8.role<weight>},
               %dy: tensor<32x16xf32> {fp8.role = #fp8.role<gradient>})
    -> (tensor<32x16xf32>, tensor<32x16xf32>, tensor<64x16xf32>, tensor<16x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %eh = tensor.empty() : tensor<32x64xf32>
  %fh = linalg.fill ins(%zero : f32) outs(%eh : tensor<32x64xf32>) -> tensor<32x64xf32>
  // expected-remark @+1 {{not quantized to FP8: it is in layer 0 of 2, kept in high precision (keep-first = 1, keep-last = 0)}}
  %h = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%x, %w1 : tensor<32x16xf32>, tensor<64x16xf32>)
      outs(%fh : tensor<32x64xf32>) -> tensor<32x64xf32>
  %a = math.tanh %h : tensor<32x64xf32>
  %ey = tensor.empty() : tensor<32x16xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<32x16xf32>) -> tensor<32x16xf32>
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%a, %w2 : tensor<32x64xf32>, tensor<16x64xf32>)
      outs(%fy : tensor<32x16xf32>) -> tensor<32x16xf32>
  %da = linalg.matmul ins(%dy, %w2 : tensor<32x16xf32>, tensor<16x64xf32>)
      outs(%fh : tensor<32x64xf32>) -> tensor<32x64xf32>
  %dh = arith.mulf %da, %a : tensor<32x64xf32>
  // expected-remark @+1 {{not quantized to FP8: it is in layer 0 of 2}}
  %dx = linalg.matmul ins(%dh, %w1 : tensor<32x64xf32>, tensor<64x16xf32>)
      outs(%fy : tensor<32x16xf32>) -> tensor<32x16xf32>
  %edyt = tensor.empty() : tensor<16x32xf32>
  %dyt = linalg.transpose ins(%dy : tensor<32x16xf32>) outs(%edyt : tensor<16x32xf32>) permutation = [1, 0]
  %ew2 = tensor.empty() : tensor<16x64xf32>
  %fw2 = linalg.fill ins(%zero : f32) outs(%ew2 : tensor<16x64xf32>) -> tensor<16x64xf32>
  %dw2 = linalg.matmul ins(%dyt, %a : tensor<16x32xf32>, tensor<32x64xf32>)
      outs(%fw2 : tensor<16x64xf32>) -> tensor<16x64xf32>
  %edht = tensor.empty() : tensor<64x32xf32>
  %dht = linalg.transpose ins(%dh : tensor<32x64xf32>) outs(%edht : tensor<64x32xf32>) permutation = [1, 0]
  %ew1 = tensor.empty() : tensor<64x16xf32>
  %fw1 = linalg.fill ins(%zero : f32) outs(%ew1 : tensor<64x16xf32>) -> tensor<64x16xf32>
  // expected-remark @+1 {{not quantized to FP8: it is in layer 0 of 2}}
  %dw1 = linalg.matmul ins(%dht, %x : tensor<64x32xf32>, tensor<32x16xf32>)
      outs(%fw1 : tensor<64x16xf32>) -> tensor<64x16xf32>
  return %y, %dx, %dw1, %dw2 : tensor<32x16xf32>, tensor<32x16xf32>, tensor<64x16xf32>, tensor<16x64xf32>
}
