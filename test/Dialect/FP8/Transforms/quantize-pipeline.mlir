// --fp8-quantize-pipeline on a 2-layer MLP training step (forward, dgrad and
// wgrad of both layers).
// RUN: fp8-opt %s --fp8-quantize-pipeline=recipe=tensorwise | FileCheck %s --check-prefix=TENSOR
// RUN: fp8-opt %s --fp8-quantize-pipeline=recipe=tensorwise | FileCheck %s --check-prefix=FORMATS
// RUN: fp8-opt %s --fp8-quantize-pipeline=recipe=blockwise | FileCheck %s --check-prefix=BLOCK
// RUN: fp8-opt %s --fp8-quantize-pipeline=recipe=delayed,history=16 | FileCheck %s --check-prefix=DELAYED
// The recipe from the module attribute: delayed scaling runs for `delayed` only.
// RUN: sed -e 's/^module {/module attributes {fp8.recipe = #fp8.recipe<delayed, algo = most_recent>} {/' %s | fp8-opt --fp8-quantize-pipeline | FileCheck %s --check-prefix=MODDELAYED
// RUN: sed -e 's/^module {/module attributes {fp8.recipe = #fp8.recipe<tensorwise>} {/' %s | fp8-opt --fp8-quantize-pipeline | FileCheck %s --check-prefix=TENSOR

#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>

// Every matmul is quantized; nothing of the high-precision matmuls, and no
// transpose that only fed them, is left. X is read K-major by the first
// layer and transposed by the wgrad of the first layer: one amax for both.
// The gradient dY and everything derived from it are E5M2, the rest E4M3.
// TENSOR-LABEL: func.func @mlp_step
// TENSOR-SAME: (%[[X:[^:]*]]: tensor<256x128xf32>, %[[W1:[^:]*]]: tensor<512x128xf32> {fp8.role = #fp8.role<weight>}, %[[W2:[^:]*]]: tensor<128x512xf32> {fp8.role = #fp8.role<weight>}, %[[DY:[^:]*]]: tensor<256x128xf32> {fp8.role = #fp8.role<gradient>})
// TENSOR-NOT: linalg.matmul
// TENSOR-COUNT-1: fp8.amax %[[X]] {scaling = #fp8.scaling<tensor>}
// TENSOR-NOT: fp8.amax %[[X]]
// TENSOR-NOT: linalg.matmul
// TENSOR-NOT: fp8.scale_from_history
// TENSOR: return
// The two forward matmuls read E4M3 activations, the four backward ones the
// E5M2 gradient (dY, dA, dH); all weights and activations are E4M3.
// FORMATS-LABEL: func.func @mlp_step
// FORMATS-COUNT-2: fp8.scaled_matmul {{.*}} : tensor<{{[0-9x]+}}xf8E4M3FN>, tensor<f32>, tensor<{{[0-9x]+}}xf8E4M3FN>, tensor<f32>
// FORMATS-COUNT-4: fp8.scaled_matmul {{.*}} : tensor<{{[0-9x]+}}xf8E5M2>, tensor<f32>, tensor<{{[0-9x]+}}xf8E4M3FN>, tensor<f32>
// FORMATS-NOT: fp8.scaled_matmul

// BLOCK-LABEL: func.func @mlp_step
// BLOCK-NOT: f8E5M2
// BLOCK-NOT: linalg.matmul
// BLOCK: fp8.scaled_matmul {{.*}} {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b} : tensor<256x128xf8E4M3FN>, tensor<256x1xf32>, tensor<512x128xf8E4M3FN>, tensor<4x1xf32> -> tensor<256x512xf32>

// Six scaled tensors (X, W1, W2, dY, A, dH), six histories; X is the A of
// the first matmul and the B of the last (dW1 = dH^T X).
// DELAYED-LABEL: func.func @mlp_step
// DELAYED-SAME: tensor<16xf32> {fp8.amax_history = "A of scaled_matmul 0, B of scaled_matmul 5"}
// DELAYED-SAME: tensor<16xf32> {fp8.amax_history = "A of scaled_matmul 4, A of scaled_matmul 5"})
// DELAYED-SAME: -> (tensor<256x128xf32>, tensor<256x128xf32>, tensor<512x128xf32>, tensor<128x512xf32>, tensor<16xf32> {fp8.amax_history = "A of scaled_matmul 0, B of scaled_matmul 5"}
// DELAYED-NOT: fp8.scale_from_amax
// DELAYED: fp8.scale_from_history %{{.*}} {algo = #fp8.algo<max>, format = f8E4M3FN} : tensor<16xf32> -> tensor<f32>
// DELAYED: fp8.scale_from_history %{{.*}} {algo = #fp8.algo<max>, format = f8E5M2} : tensor<16xf32> -> tensor<f32>
// DELAYED-COUNT-6: fp8.amax_history_push
// DELAYED: return

// MODDELAYED-LABEL: func.func @mlp_step
// MODDELAYED-SAME: tensor<1024xf32> {fp8.amax_history = "A of scaled_matmul 0, B of scaled_matmul 5"}
// MODDELAYED: fp8.scale_from_history %{{.*}} {algo = #fp8.algo<most_recent>, format = f8E4M3FN} : tensor<1024xf32> -> tensor<f32>
module {
func.func @mlp_step(%x: tensor<256x128xf32>,
                    %w1: tensor<512x128xf32> {fp8.role = #fp8.role<weight>},
                    %w2: tensor<128x512xf32> {fp8.role = #fp8.role<weight>},
                    %dy: tensor<256x128xf32> {fp8.role = #fp8.role<gradient>})
    -> (tensor<256x128xf32>, tensor<256x128xf32>, tensor<512x128xf32>,
        tensor<128x512xf32>) {
  %zero = arith.constant 0.0 : f32
  // Forward: H = X W1^T, A = tanh(H), Y = A W2^T.
  %eh = tensor.empty() : tensor<256x512xf32>
  %fh = linalg.fill ins(%zero : f32) outs(%eh : tensor<256x512xf32>) -> tensor<256x512xf32>
  %h = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%x, %w1 : tensor<256x128xf32>, tensor<512x128xf32>)
      outs(%fh : tensor<256x512xf32>) -> tensor<256x512xf32>
  %a = math.tanh %h : tensor<256x512xf32>
  %ey = tensor.empty() : tensor<256x128xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<256x128xf32>) -> tensor<256x128xf32>
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%a, %w2 : tensor<256x512xf32>, tensor<128x512xf32>)
      outs(%fy : tensor<256x128xf32>) -> tensor<256x128xf32>
  // Backward of layer 2: dA = dY W2, dW2 = dY^T A.
  %da = linalg.matmul ins(%dy, %w2 : tensor<256x128xf32>, tensor<128x512xf32>)
      outs(%fh : tensor<256x512xf32>) -> tensor<256x512xf32>
  %edyt = tensor.empty() : tensor<128x256xf32>
  %dyt = linalg.transpose ins(%dy : tensor<256x128xf32>)
      outs(%edyt : tensor<128x256xf32>) permutation = [1, 0]
  %ew2 = tensor.empty() : tensor<128x512xf32>
  %fw2 = linalg.fill ins(%zero : f32) outs(%ew2 : tensor<128x512xf32>) -> tensor<128x512xf32>
  %dw2 = linalg.matmul ins(%dyt, %a : tensor<128x256xf32>, tensor<256x512xf32>)
      outs(%fw2 : tensor<128x512xf32>) -> tensor<128x512xf32>
  // Through tanh: dH = dA * (1 - A^2).
  %one = arith.constant dense<1.0> : tensor<256x512xf32>
  %a2 = arith.mulf %a, %a : tensor<256x512xf32>
  %d = arith.subf %one, %a2 : tensor<256x512xf32>
  %dh = arith.mulf %da, %d : tensor<256x512xf32>
  // Backward of layer 1: dX = dH W1, dW1 = dH^T X.
  %dx = linalg.matmul ins(%dh, %w1 : tensor<256x512xf32>, tensor<512x128xf32>)
      outs(%fy : tensor<256x128xf32>) -> tensor<256x128xf32>
  %edht = tensor.empty() : tensor<512x256xf32>
  %dht = linalg.transpose ins(%dh : tensor<256x512xf32>)
      outs(%edht : tensor<512x256xf32>) permutation = [1, 0]
  %ew1 = tensor.empty() : tensor<512x128xf32>
  %fw1 = linalg.fill ins(%zero : f32) outs(%ew1 : tensor<512x128xf32>) -> tensor<512x128xf32>
  %dw1 = linalg.matmul ins(%dht, %x : tensor<512x256xf32>, tensor<256x128xf32>)
      outs(%fw1 : tensor<512x128xf32>) -> tensor<512x128xf32>
  return %y, %dx, %dw1, %dw2
      : tensor<256x128xf32>, tensor<256x128xf32>, tensor<512x128xf32>,
        tensor<128x512xf32>
}
}
