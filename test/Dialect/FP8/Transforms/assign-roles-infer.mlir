// fp8-assign-roles infers weights and gradients among unannotated
// arguments of a joint forward + backward graph as PyTorch exports it, with
// a remark for each guess (RoleInference.cpp, docs/quantize-pipeline.md).
// RUN: fp8-opt %s -split-input-file --fp8-assign-roles -verify-diagnostics | FileCheck %s

// Two linear layers without bias, one training step:
//   H = X W1^T, Y = H W2^T, dH = dY W2, dW2 = dY^T H, dW1 = dH^T X.
// Rule 1: W2 is read transposed (forward) and as it is (dgrad): a weight.
// Rule 2: dY is the A operand of that dgrad: a gradient.
// Rule 3: W1 is the B operand of a forward matmul, and dW1, a result of its
// type, is computed from dY: a weight. X (the B operand of the wgrad dW1 =
// dH^T X, whose A is a gradient) stays an activation.
// CHECK-LABEL: func.func @mlp_step
func.func @mlp_step(
    %x: tensor<8x32xf32>,
    // expected-remark @+1 {{argument 1 of @mlp_step inferred to be a weight: the B operand of a forward matmul, and a result of its type is computed from a gradient}}
    %w1: tensor<64x32xf32>,
    // expected-remark @+1 {{argument 2 of @mlp_step inferred to be a weight: the B operand of a forward matmul (transposed, X W^T) and of a dgrad matmul (as it is, dY W)}}
    %w2: tensor<16x64xf32>,
    // expected-remark @+1 {{argument 3 of @mlp_step inferred to be a gradient: the A operand of a dgrad matmul (dY in dX = dY W)}}
    %dy: tensor<8x16xf32>)
    -> (tensor<8x16xf32>, tensor<64x32xf32>, tensor<16x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<32x64xf32>
  %w1t = linalg.transpose ins(%w1 : tensor<64x32xf32>) outs(%e1 : tensor<32x64xf32>) permutation = [1, 0]
  %eh = tensor.empty() : tensor<8x64xf32>
  %zh = linalg.fill ins(%zero : f32) outs(%eh : tensor<8x64xf32>) -> tensor<8x64xf32>
  // CHECK: linalg.matmul {fp8.roles = [#fp8.role<activation>, #fp8.role<weight>]}
  %h = linalg.matmul ins(%x, %w1t : tensor<8x32xf32>, tensor<32x64xf32>) outs(%zh : tensor<8x64xf32>) -> tensor<8x64xf32>
  %e2 = tensor.empty() : tensor<64x16xf32>
  %w2t = linalg.transpose ins(%w2 : tensor<16x64xf32>) outs(%e2 : tensor<64x16xf32>) permutation = [1, 0]
  %ey = tensor.empty() : tensor<8x16xf32>
  %zy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x16xf32>) -> tensor<8x16xf32>
  // CHECK: linalg.matmul {fp8.roles = [#fp8.role<activation>, #fp8.role<weight>]}
  %y = linalg.matmul ins(%h, %w2t : tensor<8x64xf32>, tensor<64x16xf32>) outs(%zy : tensor<8x16xf32>) -> tensor<8x16xf32>
  // CHECK: linalg.matmul {fp8.roles = [#fp8.role<gradient>, #fp8.role<weight>]}
  %dh = linalg.matmul ins(%dy, %w2 : tensor<8x16xf32>, tensor<16x64xf32>) outs(%zh : tensor<8x64xf32>) -> tensor<8x64xf32>
  %edyt = tensor.empty() : tensor<16x8xf32>
  %dyt = linalg.transpose ins(%dy : tensor<8x16xf32>) outs(%edyt : tensor<16x8xf32>) permutation = [1, 0]
  %edw2 = tensor.empty() : tensor<16x64xf32>
  %zdw2 = linalg.fill ins(%zero : f32) outs(%edw2 : tensor<16x64xf32>) -> tensor<16x64xf32>
  // CHECK: linalg.matmul {fp8.roles = [#fp8.role<gradient>, #fp8.role<activation>]}
  %dw2 = linalg.matmul ins(%dyt, %h : tensor<16x8xf32>, tensor<8x64xf32>) outs(%zdw2 : tensor<16x64xf32>) -> tensor<16x64xf32>
  %edht = tensor.empty() : tensor<64x8xf32>
  %dht = linalg.transpose ins(%dh : tensor<8x64xf32>) outs(%edht : tensor<64x8xf32>) permutation = [1, 0]
  %edw1 = tensor.empty() : tensor<64x32xf32>
  %zdw1 = linalg.fill ins(%zero : f32) outs(%edw1 : tensor<64x32xf32>) -> tensor<64x32xf32>
  // CHECK: linalg.matmul {fp8.roles = [#fp8.role<gradient>, #fp8.role<activation>]}
  %dw1 = linalg.matmul ins(%dht, %x : tensor<64x8xf32>, tensor<8x32xf32>) outs(%zdw1 : tensor<64x32xf32>) -> tensor<64x32xf32>
  return %y, %dw1, %dw2 : tensor<8x16xf32>, tensor<64x32xf32>, tensor<16x64xf32>
}

// -----

// A linear layer on [B, S, K] activations as torch-mlir lowers it: the
// weight reaches the forward matmul through a transpose and the dgrad
// through nothing, the incoming gradient through a collapse_shape.
// CHECK-LABEL: func.func @collapsed_linear_step
func.func @collapsed_linear_step(
    %x: tensor<1x8x32xf32>,
    // expected-remark @+1 {{argument 1 of @collapsed_linear_step inferred to be a weight: the B operand of a forward matmul (transposed, X W^T)}}
    %w: tensor<16x32xf32>,
    // expected-remark @+1 {{argument 2 of @collapsed_linear_step inferred to be a gradient}}
    %dy: tensor<1x8x16xf32>) -> (tensor<8x16xf32>, tensor<8x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %x2 = tensor.collapse_shape %x [[0, 1], [2]] : tensor<1x8x32xf32> into tensor<8x32xf32>
  %et = tensor.empty() : tensor<32x16xf32>
  %wt = linalg.transpose ins(%w : tensor<16x32xf32>) outs(%et : tensor<32x16xf32>) permutation = [1, 0]
  %ey = tensor.empty() : tensor<8x16xf32>
  %zy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x16xf32>) -> tensor<8x16xf32>
  // CHECK: linalg.matmul {fp8.roles = [#fp8.role<activation>, #fp8.role<weight>]}
  %y = linalg.matmul ins(%x2, %wt : tensor<8x32xf32>, tensor<32x16xf32>) outs(%zy : tensor<8x16xf32>) -> tensor<8x16xf32>
  %dy2 = tensor.collapse_shape %dy [[0, 1], [2]] : tensor<1x8x16xf32> into tensor<8x16xf32>
  %ex = tensor.empty() : tensor<8x32xf32>
  %zx = linalg.fill ins(%zero : f32) outs(%ex : tensor<8x32xf32>) -> tensor<8x32xf32>
  // CHECK: linalg.matmul {fp8.roles = [#fp8.role<gradient>, #fp8.role<weight>]}
  %dx = linalg.matmul ins(%dy2, %w : tensor<8x16xf32>, tensor<16x32xf32>) outs(%zx : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %y, %dx : tensor<8x16xf32>, tensor<8x32xf32>
}
