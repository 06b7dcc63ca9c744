// RUN: fp8-opt %s --fp8-test-float-ranges --split-input-file | FileCheck %s

// What the analysis must NOT bound.

// An unbounded input stays unbounded; arithmetic keeps it so.
// CHECK-LABEL: func @unbounded_input
// CHECK: math.exp {{.*}}float_range = "[0.000000e+00, INF] nan"
// CHECK: arith.mulf {{.*}}float_range = "[-INF, INF] nan"
func.func @unbounded_input(%x: tensor<8xf32>) -> tensor<8xf32> {
  %e = math.exp %x : tensor<8xf32>
  %m = arith.mulf %e, %x : tensor<8xf32>
  return %m : tensor<8xf32>
}

// -----

// NaN-able results: sqrt and log of values that may be negative, inf - inf,
// 0 * inf. (log(1) = 0 is widened by two ulps like every transcendental.)
// CHECK-LABEL: func @nan_able
// CHECK: math.sqrt {{.*}}float_range = "[0.000000e+00, 1.000000e+00] nan"
// CHECK: math.log {{.*}}float_range = "[-INF, 2.802597e-45] nan"
// CHECK: arith.subf {{.*}}float_range = "[-INF, INF] nan"
// CHECK: arith.mulf {{.*}}float_range = "[-INF, INF] nan"
func.func @nan_able(%i: tensor<8xi8>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %f = arith.sitofp %i : tensor<8xi8> to tensor<8xf32>
  %t = math.tanh %f : tensor<8xf32>
  %s = math.sqrt %t : tensor<8xf32>
  %l = math.log %t : tensor<8xf32>
  %inf = arith.constant dense<0x7F800000> : tensor<8xf32>
  %big = arith.mulf %f, %inf : tensor<8xf32>
  %d = arith.subf %big, %big : tensor<8xf32>
  %z = arith.mulf %t, %inf : tensor<8xf32>
  return %s, %l, %d, %z : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// Division by a value that may be 0 may give either infinity.
// CHECK-LABEL: func @division_by_maybe_zero
// CHECK: arith.divf {{.*}}float_range = "[-INF, INF] nan"
func.func @division_by_maybe_zero(%i: tensor<8xi8>) -> tensor<8xf32> {
  %f = arith.sitofp %i : tensor<8xi8> to tensor<8xf32>
  %one = arith.constant dense<1.0> : tensor<8xf32>
  %q = arith.divf %one, %f : tensor<8xf32>
  return %q : tensor<8xf32>
}

// -----

// Look like softmax but are not: the sum is of another tensor, over the
// other dim, onto a negative init; and x - min(x) is not <= 0.
// CHECK-LABEL: func @not_softmax
// CHECK: arith.divf {{.*}}float_range = "[-INF, INF] nan"
// CHECK: arith.divf {{.*}}float_range = "[-INF, INF] nan"
// CHECK: arith.divf {{.*}}float_range = "[-INF, INF] nan"
// CHECK: arith.subf {{.*}}float_range = "[-INF, INF] nan"
func.func @not_softmax(%x: tensor<8x8xf32>, %y: tensor<8x8xf32>)
    -> (tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %minus = arith.constant -1.0 : f32
  %inf = arith.constant 0x7F800000 : f32
  %e = math.exp %x : tensor<8x8xf32>
  %f = math.exp %y : tensor<8x8xf32>
  %rinit = tensor.empty() : tensor<8xf32>
  %z = linalg.fill ins(%zero : f32) outs(%rinit : tensor<8xf32>) -> tensor<8xf32>
  %n = linalg.fill ins(%minus : f32) outs(%rinit : tensor<8xf32>) -> tensor<8xf32>
  %binit = tensor.empty() : tensor<8x8xf32>
  // Sum of another tensor.
  %sf = linalg.reduce ins(%f : tensor<8x8xf32>) outs(%z : tensor<8xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %bf = linalg.broadcast ins(%sf : tensor<8xf32>) outs(%binit : tensor<8x8xf32>) dimensions = [1]
  %p1 = arith.divf %e, %bf : tensor<8x8xf32>
  // Summed over dim 0, broadcast along dim 1.
  %s0 = linalg.reduce ins(%e : tensor<8x8xf32>) outs(%z : tensor<8xf32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %b0 = linalg.broadcast ins(%s0 : tensor<8xf32>) outs(%binit : tensor<8x8xf32>) dimensions = [1]
  %p2 = arith.divf %e, %b0 : tensor<8x8xf32>
  // Onto -1: the sum may be smaller than an element, even 0.
  %sn = linalg.reduce ins(%e : tensor<8x8xf32>) outs(%n : tensor<8xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %bn = linalg.broadcast ins(%sn : tensor<8xf32>) outs(%binit : tensor<8x8xf32>) dimensions = [1]
  %p3 = arith.divf %e, %bn : tensor<8x8xf32>
  // x - min(x).
  %i = linalg.fill ins(%inf : f32) outs(%rinit : tensor<8xf32>) -> tensor<8xf32>
  %mn = linalg.reduce ins(%x : tensor<8x8xf32>) outs(%i : tensor<8xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.minimumf %in, %acc : f32
      linalg.yield %a : f32
    }
  %bm = linalg.broadcast ins(%mn : tensor<8xf32>) outs(%binit : tensor<8x8xf32>) dimensions = [1]
  %d = arith.subf %x, %bm : tensor<8x8xf32>
  return %p1, %p2, %p3, %d : tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>
}

// -----

// A matmul's accumulation is widened to infinity (the analysis does not
// count reduction lengths), though of finite, NaN-free terms.
// CHECK-LABEL: func @matmul
// CHECK: linalg.matmul {float_range = "[-INF, INF]"}
func.func @matmul(%i: tensor<4x4xi8>) -> tensor<4x4xf32> {
  %f = arith.sitofp %i : tensor<4x4xi8> to tensor<4x4xf32>
  %t = math.tanh %f : tensor<4x4xf32>
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<4x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%init : tensor<4x4xf32>) -> tensor<4x4xf32>
  %m = linalg.matmul ins(%t, %t : tensor<4x4xf32>, tensor<4x4xf32>) outs(%z : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %m : tensor<4x4xf32>
}
