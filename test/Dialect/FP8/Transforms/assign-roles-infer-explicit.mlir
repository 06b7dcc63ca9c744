// fp8-assign-roles: explicit roles win over inference, which only fills
// in unannotated arguments; a forward-only function infers nothing.
// RUN: fp8-opt %s -split-input-file --fp8-assign-roles -verify-diagnostics | FileCheck %s

// The step of assign-roles-infer.mlir with W2 and dY explicitly marked
// activations: W2 is no weight (rule 1 never overrides), so dY's dgrad is
// no dgrad (rule 2), no gradient exists, and W1 stays an activation too
// (rule 3). No remark.
// CHECK-LABEL: func.func @explicit_activations_win
func.func @explicit_activations_win(
    %x: tensor<8x32xf32>,
    %w1: tensor<64x32xf32>,
    %w2: tensor<16x64xf32> {fp8.role = #fp8.role<activation>},
    %dy: tensor<8x16xf32> {fp8.role = #fp8.role<activation>})
    -> (tensor<8x16xf32>, tensor<64x32xf32>, tensor<16x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<32x64xf32>
  %w1t = linalg.transpose ins(%w1 : tensor<64x32xf32>) outs(%e1 : tensor<32x64xf32>) permutation = [1, 0]
  %eh = tensor.empty() : tensor<8x64xf32>
  %zh = linalg.fill ins(%zero : f32) outs(%eh : tensor<8x64xf32>) -> tensor<8x64xf32>
  // CHECK: linalg.matmul {fp8.roles = [#fp8.role<activation>, #fp8.role<activation>]}
  %h = linalg.matmul ins(%x, %w1t : tensor<8x32xf32>, tensor<32x64xf32>) outs(%zh : tensor<8x64xf32>) -> tensor<8x64xf32>
  %e2 = tensor.empty() : tensor<64x16xf32>
  %w2t = linalg.transpose ins(%w2 : tensor<16x64xf32>) outs(%e2 : tensor<64x16xf32>) permutation = [1, 0]
  %ey = tensor.empty() : tensor<8x16xf32>
  %zy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x16xf32>) -> tensor<8x16xf32>
  // CHECK: linalg.matmul {fp8.roles = [#fp8.role<activation>, #fp8.role<activation>]}
  %y = linalg.matmul ins(%h, %w2t : tensor<8x64xf32>, tensor<64x16xf32>) outs(%zy : tensor<8x16xf32>) -> tensor<8x16xf32>
  // CHECK: linalg.matmul {fp8.roles = [#fp8.role<activation>, #fp8.role<activation>]}
  %dh = linalg.matmul ins(%dy, %w2 : tensor<8x16xf32>, tensor<16x64xf32>) outs(%zh : tensor<8x64xf32>) -> tensor<8x64xf32>
  %edyt = tensor.empty() : tensor<16x8xf32>
  %dyt = linalg.transpose ins(%dy : tensor<8x16xf32>) outs(%edyt : tensor<16x8xf32>) permutation = [1, 0]
  %edw2 = tensor.empty() : tensor<16x64xf32>
  %zdw2 = linalg.fill ins(%zero : f32) outs(%edw2 : tensor<16x64xf32>) -> tensor<16x64xf32>
  // CHECK: linalg.matmul {fp8.roles = [#fp8.role<activation>, #fp8.role<activation>]}
  %dw2 = linalg.matmul ins(%dyt, %h : tensor<16x8xf32>, tensor<8x64xf32>) outs(%zdw2 : tensor<16x64xf32>) -> tensor<16x64xf32>
  %edht = tensor.empty() : tensor<64x8xf32>
  %dht = linalg.transpose ins(%dh : tensor<8x64xf32>) outs(%edht : tensor<64x8xf32>) permutation = [1, 0]
  %edw1 = tensor.empty() : tensor<64x32xf32>
  %zdw1 = linalg.fill ins(%zero : f32) outs(%edw1 : tensor<64x32xf32>) -> tensor<64x32xf32>
  // CHECK: linalg.matmul {fp8.roles = [#fp8.role<activation>, #fp8.role<activation>]}
  %dw1 = linalg.matmul ins(%dht, %x : tensor<64x8xf32>, tensor<8x32xf32>) outs(%zdw1 : tensor<64x32xf32>) -> tensor<64x32xf32>
  return %y, %dw1, %dw2 : tensor<8x16xf32>, tensor<64x32xf32>, tensor<16x64xf32>
}


// -----

// W1 and dY explicit: only W2 is inferred (one remark); the explicit
// gradient feeds rules 2 and 3.
// CHECK-LABEL: func.func @explicit_and_inferred
func.func @explicit_and_inferred(
    %x: tensor<8x32xf32>,
    %w1: tensor<64x32xf32> {fp8.role = #fp8.role<weight>},
        // expected-remark @+1 {{argument 2 of @explicit_and_inferred inferred to be a weight}}
    %w2: tensor<16x64xf32>,
    %dy: tensor<8x16xf32> {fp8.role = #fp8.role<gradient>})
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

// Forward only (Y = relu(X W1^T) W2^T without a backward): nothing is
// inferred, no remark; the weights stay activations without fp8.role.
// CHECK-LABEL: func.func @forward_only
func.func @forward_only(%x: tensor<8x32xf32>, %w1: tensor<64x32xf32>,
                        %w2: tensor<16x64xf32>) -> tensor<8x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<32x64xf32>
  %w1t = linalg.transpose ins(%w1 : tensor<64x32xf32>) outs(%e1 : tensor<32x64xf32>) permutation = [1, 0]
  %eh = tensor.empty() : tensor<8x64xf32>
  %zh = linalg.fill ins(%zero : f32) outs(%eh : tensor<8x64xf32>) -> tensor<8x64xf32>
  // CHECK: linalg.matmul {fp8.roles = [#fp8.role<activation>, #fp8.role<activation>]}
  %h = linalg.matmul ins(%x, %w1t : tensor<8x32xf32>, tensor<32x64xf32>) outs(%zh : tensor<8x64xf32>) -> tensor<8x64xf32>
  %r = arith.maximumf %h, %zh : tensor<8x64xf32>
  %e2 = tensor.empty() : tensor<64x16xf32>
  %w2t = linalg.transpose ins(%w2 : tensor<16x64xf32>) outs(%e2 : tensor<64x16xf32>) permutation = [1, 0]
  %ey = tensor.empty() : tensor<8x16xf32>
  %zy = linalg.fill ins(%zero : f32) outs(%ey : tensor<8x16xf32>) -> tensor<8x16xf32>
  // CHECK: linalg.matmul {fp8.roles = [#fp8.role<activation>, #fp8.role<activation>]}
  %y = linalg.matmul ins(%r, %w2t : tensor<8x64xf32>, tensor<64x16xf32>) outs(%zy : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}
