// fp8-assign-roles: explicit roles, weights from constants and globals,
// gradients propagated forward, activations otherwise.
// RUN: fp8-opt %s -split-input-file --fp8-assign-roles | FileCheck %s

#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>

// Forward Y = X W^T: W is a weight by its argument attribute.
// CHECK-LABEL: func.func @forward
func.func @forward(%x: tensor<128x256xf32>,
                   %w: tensor<64x256xf32> {fp8.role = #fp8.role<weight>})
    -> tensor<128x64xf32> {
  %e = tensor.empty() : tensor<128x64xf32>
  // CHECK: linalg.matmul
  // CHECK-SAME: fp8.roles = [#fp8.role<activation>, #fp8.role<weight>]
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%x, %w : tensor<128x256xf32>, tensor<64x256xf32>)
      outs(%e : tensor<128x64xf32>) -> tensor<128x64xf32>
  return %y : tensor<128x64xf32>
}

// -----

// Dgrad dX = dY W.
// CHECK-LABEL: func.func @dgrad
func.func @dgrad(%dy: tensor<128x64xf32> {fp8.role = #fp8.role<gradient>},
                 %w: tensor<64x256xf32> {fp8.role = #fp8.role<weight>})
    -> tensor<128x256xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<128x256xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<128x256xf32>) -> tensor<128x256xf32>
  // CHECK: linalg.matmul
  // CHECK-SAME: fp8.roles = [#fp8.role<gradient>, #fp8.role<weight>]
  %dx = linalg.matmul ins(%dy, %w : tensor<128x64xf32>, tensor<64x256xf32>)
      outs(%acc : tensor<128x256xf32>) -> tensor<128x256xf32>
  return %dx : tensor<128x256xf32>
}

// -----

// Wgrad dW = dY^T X: the gradient keeps its role through the transpose.
// CHECK-LABEL: func.func @wgrad
func.func @wgrad(%dy: tensor<128x64xf32> {fp8.role = #fp8.role<gradient>},
                 %x: tensor<128x256xf32>) -> tensor<64x256xf32> {
  %e = tensor.empty() : tensor<64x128xf32>
  %dyt = linalg.transpose ins(%dy : tensor<128x64xf32>)
      outs(%e : tensor<64x128xf32>) permutation = [1, 0]
  %e2 = tensor.empty() : tensor<64x256xf32>
  // CHECK: linalg.matmul
  // CHECK-SAME: fp8.roles = [#fp8.role<gradient>, #fp8.role<activation>]
  %dw = linalg.matmul ins(%dyt, %x : tensor<64x128xf32>, tensor<128x256xf32>)
      outs(%e2 : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %dw : tensor<64x256xf32>
}

// -----

// Without attributes every argument is an activation.
// CHECK-LABEL: func.func @no_attributes
func.func @no_attributes(%x: tensor<16x32xf32>, %w: tensor<32x8xf32>,
                         %acc: tensor<16x8xf32>) -> tensor<16x8xf32> {
  // CHECK: fp8.roles = [#fp8.role<activation>, #fp8.role<activation>]
  %y = linalg.matmul ins(%x, %w : tensor<16x32xf32>, tensor<32x8xf32>)
      outs(%acc : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %y : tensor<16x8xf32>
}

// -----

// Constants and globals are weights, also after a transpose or a cast;
// mixing in an activation gives an activation.
ml_program.global private @w1(dense<1.0> : tensor<32x8xf32>) : tensor<32x8xf32>
memref.global "private" constant @w2 : memref<8x32xf32> = dense<2.0>

// CHECK-LABEL: func.func @weights_from_globals
func.func @weights_from_globals(%x: tensor<16x32xf32>, %a: tensor<32x8xf32>)
    -> (tensor<16x8xf32>, tensor<16x8xf32>) {
  %w1 = ml_program.global_load_const @w1 : tensor<32x8xf32>
  %m2 = memref.get_global @w2 : memref<8x32xf32>
  %w2 = bufferization.to_tensor %m2 restrict : memref<8x32xf32> to tensor<8x32xf32>
  %w3 = arith.constant dense<3.0> : tensor<32x8xbf16>
  %e = tensor.empty() : tensor<16x8xf32>
  // CHECK: fp8.roles = [#fp8.role<activation>, #fp8.role<weight>]
  %y1 = linalg.matmul ins(%x, %w1 : tensor<16x32xf32>, tensor<32x8xf32>)
      outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
  %et = tensor.empty() : tensor<32x8xf32>
  %w2t = linalg.transpose ins(%w2 : tensor<8x32xf32>)
      outs(%et : tensor<32x8xf32>) permutation = [1, 0]
  // CHECK: fp8.roles = [#fp8.role<activation>, #fp8.role<weight>]
  %y2 = linalg.matmul ins(%x, %w2t : tensor<16x32xf32>, tensor<32x8xf32>)
      outs(%y1 : tensor<16x8xf32>) -> tensor<16x8xf32>
  %w3f = arith.extf %w3 : tensor<32x8xbf16> to tensor<32x8xf32>
  %w13 = arith.mulf %w3f, %w1 : tensor<32x8xf32>
  // CHECK: fp8.roles = [#fp8.role<activation>, #fp8.role<weight>]
  %y3 = linalg.matmul ins(%x, %w13 : tensor<16x32xf32>, tensor<32x8xf32>)
      outs(%y2 : tensor<16x8xf32>) -> tensor<16x8xf32>
  %mixed = arith.mulf %a, %w1 : tensor<32x8xf32>
  // CHECK: fp8.roles = [#fp8.role<activation>, #fp8.role<activation>]
  %z = linalg.matmul ins(%x, %mixed : tensor<16x32xf32>, tensor<32x8xf32>)
      outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %y3, %z : tensor<16x8xf32>, tensor<16x8xf32>
}

// -----

// A gradient stays a gradient through elementwise ops (with a weight),
// reshape, broadcast and matmul.
// CHECK-LABEL: func.func @gradient_propagation
func.func @gradient_propagation(
    %dy: tensor<4x8x16xf32> {fp8.role = #fp8.role<gradient>},
    %w: tensor<16x32xf32> {fp8.role = #fp8.role<weight>},
    %x: tensor<32x32xf32>, %bias: tensor<32xf32>) -> tensor<32x32xf32> {
  %flat = tensor.collapse_shape %dy [[0, 1], [2]]
      : tensor<4x8x16xf32> into tensor<32x16xf32>
  %cst = arith.constant dense<0.5> : tensor<32x16xf32>
  %scaled = arith.mulf %flat, %cst : tensor<32x16xf32>
  %e = tensor.empty() : tensor<32x32xf32>
  // CHECK: fp8.roles = [#fp8.role<gradient>, #fp8.role<weight>]
  %dx = linalg.matmul ins(%scaled, %w : tensor<32x16xf32>, tensor<16x32xf32>)
      outs(%e : tensor<32x32xf32>) -> tensor<32x32xf32>
  %b = linalg.broadcast ins(%bias : tensor<32xf32>)
      outs(%e : tensor<32x32xf32>) dimensions = [0]
  %g = linalg.add ins(%dx, %b : tensor<32x32xf32>, tensor<32x32xf32>)
      outs(%e : tensor<32x32xf32>) -> tensor<32x32xf32>
  // CHECK: fp8.roles = [#fp8.role<activation>, #fp8.role<gradient>]
  %r = linalg.matmul ins(%x, %g : tensor<32x32xf32>, tensor<32x32xf32>)
      outs(%e : tensor<32x32xf32>) -> tensor<32x32xf32>
  return %r : tensor<32x32xf32>
}

// -----

// Explicit roles on the defining op win over propagation; an existing
// fp8.roles is kept.
// CHECK-LABEL: func.func @explicit_op_roles
func.func @explicit_op_roles(%x: tensor<16x32xf32>, %w: tensor<32x8xf32>)
    -> (tensor<16x8xf32>, tensor<16x8xf32>) {
  %e = tensor.empty() : tensor<16x8xf32>
  %g = arith.negf %x {fp8.role = #fp8.role<gradient>} : tensor<16x32xf32>
  %cst = arith.constant {fp8.role = #fp8.role<activation>} dense<1.0> : tensor<32x8xf32>
  // CHECK: fp8.roles = [#fp8.role<gradient>, #fp8.role<activation>]
  %y = linalg.matmul ins(%g, %cst : tensor<16x32xf32>, tensor<32x8xf32>)
      outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
  // CHECK: fp8.roles = [#fp8.role<weight>, #fp8.role<weight>]
  %z = linalg.matmul {fp8.roles = [#fp8.role<weight>, #fp8.role<weight>]}
      ins(%x, %w : tensor<16x32xf32>, tensor<32x8xf32>)
      outs(%e : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %y, %z : tensor<16x8xf32>, tensor<16x8xf32>
}

// -----

// Attention: Q K^T and P V read activations only; in the backward pass
// dP = dO V^T reads a gradient.
// CHECK-LABEL: func.func @attention
func.func @attention(%q: tensor<4x64x32xbf16>, %k: tensor<4x64x32xbf16>,
                     %v: tensor<4x64x32xbf16>,
                     %do: tensor<4x64x32xbf16> {fp8.role = #fp8.role<gradient>})
    -> (tensor<4x64x32xf32>, tensor<4x64x64xf32>) {
  %et = tensor.empty() : tensor<4x32x64xbf16>
  %kt = linalg.transpose ins(%k : tensor<4x64x32xbf16>)
      outs(%et : tensor<4x32x64xbf16>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<4x64x64xf32>
  // CHECK: linalg.batch_matmul
  // CHECK-SAME: fp8.roles = [#fp8.role<activation>, #fp8.role<activation>]
  %s = linalg.batch_matmul ins(%q, %kt : tensor<4x64x32xbf16>, tensor<4x32x64xbf16>)
      outs(%es : tensor<4x64x64xf32>) -> tensor<4x64x64xf32>
  %p = arith.truncf %s : tensor<4x64x64xf32> to tensor<4x64x64xbf16>
  %eo = tensor.empty() : tensor<4x64x32xf32>
  // CHECK: linalg.batch_matmul
  // CHECK-SAME: fp8.roles = [#fp8.role<activation>, #fp8.role<activation>]
  %o = linalg.batch_matmul ins(%p, %v : tensor<4x64x64xbf16>, tensor<4x64x32xbf16>)
      outs(%eo : tensor<4x64x32xf32>) -> tensor<4x64x32xf32>
  %vt = linalg.transpose ins(%v : tensor<4x64x32xbf16>)
      outs(%et : tensor<4x32x64xbf16>) permutation = [0, 2, 1]
  // CHECK: linalg.batch_matmul
  // CHECK-SAME: fp8.roles = [#fp8.role<gradient>, #fp8.role<activation>]
  %dp = linalg.batch_matmul ins(%do, %vt : tensor<4x64x32xbf16>, tensor<4x32x64xbf16>)
      outs(%es : tensor<4x64x64xf32>) -> tensor<4x64x64xf32>
  return %o, %dp : tensor<4x64x32xf32>, tensor<4x64x64xf32>
}

// -----

// Contraction generics, integer matmuls and matmuls in loops get roles too;
// a loop that reads a gradient carries gradients.
// CHECK-LABEL: func.func @generic_and_loops
func.func @generic_and_loops(
    %a: tensor<8x16xi8>, %b: tensor<16x8xi8>,
    %dy: tensor<8x8xf32> {fp8.role = #fp8.role<gradient>},
    %w: tensor<8x8xf32> {fp8.role = #fp8.role<weight>}) -> tensor<8x8xf32> {
  %e = tensor.empty() : tensor<8x8xi32>
  // CHECK: linalg.generic
  // CHECK-SAME: fp8.roles = [#fp8.role<activation>, #fp8.role<activation>]
  %i = linalg.generic {
      indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                       affine_map<(m, n, k) -> (k, n)>,
                       affine_map<(m, n, k) -> (m, n)>],
      iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<8x16xi8>, tensor<16x8xi8>) outs(%e : tensor<8x8xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extsi %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %m = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  } -> tensor<8x8xi32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r = scf.for %iv = %c0 to %c4 step %c1 iter_args(%g = %dy) -> tensor<8x8xf32> {
    %ef = tensor.empty() : tensor<8x8xf32>
    // CHECK: scf.for
    // CHECK: linalg.matmul
    // CHECK-SAME: fp8.roles = [#fp8.role<gradient>, #fp8.role<weight>]
    %n = linalg.matmul ins(%g, %w : tensor<8x8xf32>, tensor<8x8xf32>)
        outs(%ef : tensor<8x8xf32>) -> tensor<8x8xf32>
    scf.yield %n : tensor<8x8xf32>
  }
  return %r : tensor<8x8xf32>
}
