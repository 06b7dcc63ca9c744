// RUN: fp8-opt %s --fp8-test-float-ranges --split-input-file | FileCheck %s

// LayerNorm: with c = x - m, |c * rsqrt(mean(c^2) + eps)| <= sqrt(N) =
// sqrt(8) (widened by 8 ulps) whatever m is, provided the value multiplied
// and the value squared hold the same elements: one SSA value, or two
// structurally identical elementwise ops on the same operands (torch-mlir
// emits the subtraction twice).

// Tensor ops: two separate arith.subf %x, %mb.
// CHECK-LABEL: func @layernorm_tensors
// CHECK: arith.subf %arg0, %broadcasted {float_range = "[-INF, INF] nan"}
// CHECK: arith.mulf %{{[0-9]+}}, %broadcasted_{{[0-9]+}} {float_range = "[-2.828429e+00, 2.828429e+00] nan"}
func.func @layernorm_tensors(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %n = arith.constant dense<8.0> : tensor<4xf32>
  %eps = arith.constant dense<1.0e-05> : tensor<4xf32>
  %ri = tensor.empty() : tensor<4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%ri : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.reduce ins(%x : tensor<4x8xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %m = arith.divf %s, %n : tensor<4xf32>
  %bi = tensor.empty() : tensor<4x8xf32>
  %mb = linalg.broadcast ins(%m : tensor<4xf32>) outs(%bi : tensor<4x8xf32>) dimensions = [1]
  %c1 = arith.subf %x, %mb : tensor<4x8xf32>
  %c2 = arith.subf %x, %mb : tensor<4x8xf32>
  %sq = arith.mulf %c2, %c2 : tensor<4x8xf32>
  %ss = linalg.reduce ins(%sq : tensor<4x8xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %var = arith.divf %ss, %n : tensor<4xf32>
  %v = arith.addf %var, %eps : tensor<4xf32>
  %r = math.rsqrt %v : tensor<4xf32>
  %rb = linalg.broadcast ins(%r : tensor<4xf32>) outs(%bi : tensor<4x8xf32>) dimensions = [1]
  %y = arith.mulf %c1, %rb : tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// linalg.generic form: the centred value is computed by two identical
// generics; the square is summed by a generic whose body squares; gamma
// in [-2, 2] and beta in [0.25, 1.25] follow by interval arithmetic (as
// for RMSNorm).
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#col = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @layernorm_generics
// CHECK: arith.mulf %in, %in_{{[0-9]+}} {float_range = "[-2.828429e+00, 2.828429e+00] nan"}
// CHECK: arith.mulf {{.*}}float_range = "[-5.656857e+00, 5.656857e+00] nan"
// CHECK: arith.addf %{{.*}}, %{{.*}} {float_range = "[-5.406857e+00, 6.906857e+00] nan"}
func.func @layernorm_generics(%x: tensor<4x8xf32>, %m: tensor<4xf32>, %gi: tensor<8xi8>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %eps = arith.constant 1.0e-05 : f32
  %gf = arith.sitofp %gi : tensor<8xi8> to tensor<8xf32>
  %g = math.tanh %gf : tensor<8xf32>
  %init = tensor.empty() : tensor<4x8xf32>
  %c1 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m : tensor<4x8xf32>, tensor<4xf32>) outs(%init : tensor<4x8xf32>) {
  ^bb0(%in: f32, %mm: f32, %out: f32):
    %d = arith.subf %in, %mm : f32
    linalg.yield %d : f32
  } -> tensor<4x8xf32>
  %c2 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m : tensor<4x8xf32>, tensor<4xf32>) outs(%init : tensor<4x8xf32>) {
  ^bb0(%in: f32, %mm: f32, %out: f32):
    %d = arith.subf %in, %mm : f32
    linalg.yield %d : f32
  } -> tensor<4x8xf32>
  %rinit = tensor.empty() : tensor<4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%rinit : tensor<4xf32>) -> tensor<4xf32>
  %ss = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%c2 : tensor<4x8xf32>) outs(%fill : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %sq = arith.mulf %in, %in : f32
    %a = arith.addf %sq, %acc : f32
    linalg.yield %a : f32
  } -> tensor<4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%ss : tensor<4xf32>) outs(%rinit : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %c = arith.constant 0.125 : f32
    %mean = arith.mulf %in, %c : f32
    %v = arith.addf %mean, %eps : f32
    %rs = math.rsqrt %v : f32
    linalg.yield %rs : f32
  } -> tensor<4xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c1, %r, %g : tensor<4x8xf32>, tensor<4xf32>, tensor<8xf32>) outs(%init : tensor<4x8xf32>) {
  ^bb0(%xi: f32, %ri: f32, %gi2: f32, %out: f32):
    %n = arith.mulf %xi, %ri : f32
    %two = arith.constant 2.0 : f32
    %g2 = arith.mulf %gi2, %two : f32
    %scaled = arith.mulf %n, %g2 : f32
    %half = arith.constant 0.5 : f32
    %b = arith.addf %gi2, %half : f32
    %b2 = arith.mulf %b, %half : f32
    %b3 = arith.addf %b2, %half : f32
    %shift = arith.addf %scaled, %b3 : f32
    linalg.yield %shift : f32
  } -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// torch-mlir's style: the centred value in a generic, squared by a generic
// reading it twice (ins(%6, %6)), summed, divided by N in its own generic.
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func @layernorm_torch_style
// CHECK: arith.mulf %in, %in_{{[0-9]+}} {float_range = "[-INF, INF] nan"}
// CHECK: arith.mulf %in, %in_{{[0-9]+}} {float_range = "[-5.656857e+00, 5.656857e+00] nan"}
func.func @layernorm_torch_style(%x: tensor<4x32xf32>, %m: tensor<4xf32>) -> tensor<4x32xf32> {
  %zero = arith.constant 0.0 : f32
  %n = arith.constant 3.200000e+01 : f32
  %eps64 = arith.constant 1.000000e-05 : f64
  %init = tensor.empty() : tensor<4x32xf32>
  %c1 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m : tensor<4x32xf32>, tensor<4xf32>) outs(%init : tensor<4x32xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %d = arith.subf %in, %in_0 : f32
    linalg.yield %d : f32
  } -> tensor<4x32xf32>
  %c2 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %m : tensor<4x32xf32>, tensor<4xf32>) outs(%init : tensor<4x32xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %d = arith.subf %in, %in_0 : f32
    linalg.yield %d : f32
  } -> tensor<4x32xf32>
  %sq = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c2, %c2 : tensor<4x32xf32>, tensor<4x32xf32>) outs(%init : tensor<4x32xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %p = arith.mulf %in, %in_0 : f32
    linalg.yield %p : f32
  } -> tensor<4x32xf32>
  %rinit = tensor.empty() : tensor<4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%rinit : tensor<4xf32>) -> tensor<4xf32>
  %ss = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%sq : tensor<4x32xf32>) outs(%fill : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%ss : tensor<4xf32>) outs(%rinit : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %var = arith.divf %in, %n : f32
    %eps = arith.truncf %eps64 : f64 to f32
    %v = arith.addf %var, %eps : f32
    %rs = math.rsqrt %v : f32
    linalg.yield %rs : f32
  } -> tensor<4xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c1, %r : tensor<4x32xf32>, tensor<4xf32>) outs(%init : tensor<4x32xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %p = arith.mulf %in, %in_0 : f32
    linalg.yield %p : f32
  } -> tensor<4x32xf32>
  return %y : tensor<4x32xf32>
}

// -----

// What must stay unbounded.

// The squared value centres a different tensor.
// CHECK-LABEL: func @different_x
// CHECK: arith.mulf %{{[0-9]+}}, %broadcasted_{{[0-9]+}} {float_range = "[-INF, INF] nan"}
func.func @different_x(%x: tensor<4x8xf32>, %x2: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %n = arith.constant dense<8.0> : tensor<4xf32>
  %eps = arith.constant dense<1.0e-05> : tensor<4xf32>
  %ri = tensor.empty() : tensor<4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%ri : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.reduce ins(%x : tensor<4x8xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %m = arith.divf %s, %n : tensor<4xf32>
  %bi = tensor.empty() : tensor<4x8xf32>
  %mb = linalg.broadcast ins(%m : tensor<4xf32>) outs(%bi : tensor<4x8xf32>) dimensions = [1]
  %c1 = arith.subf %x, %mb : tensor<4x8xf32>
  %c2 = arith.subf %x2, %mb : tensor<4x8xf32>
  %sq = arith.mulf %c2, %c2 : tensor<4x8xf32>
  %ss = linalg.reduce ins(%sq : tensor<4x8xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %var = arith.divf %ss, %n : tensor<4xf32>
  %v = arith.addf %var, %eps : tensor<4xf32>
  %r = math.rsqrt %v : tensor<4xf32>
  %rb = linalg.broadcast ins(%r : tensor<4xf32>) outs(%bi : tensor<4x8xf32>) dimensions = [1]
  %y = arith.mulf %c1, %rb : tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// The squared value subtracts a different (broadcast) mean.
// CHECK-LABEL: func @different_mean
// CHECK: arith.mulf %{{[0-9]+}}, %broadcasted_{{[0-9]+}} {float_range = "[-INF, INF] nan"}
func.func @different_mean(%x: tensor<4x8xf32>, %mb2: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %n = arith.constant dense<8.0> : tensor<4xf32>
  %eps = arith.constant dense<1.0e-05> : tensor<4xf32>
  %ri = tensor.empty() : tensor<4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%ri : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.reduce ins(%x : tensor<4x8xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %m = arith.divf %s, %n : tensor<4xf32>
  %bi = tensor.empty() : tensor<4x8xf32>
  %mb = linalg.broadcast ins(%m : tensor<4xf32>) outs(%bi : tensor<4x8xf32>) dimensions = [1]
  %c1 = arith.subf %x, %mb : tensor<4x8xf32>
  %c2 = arith.subf %x, %mb2 : tensor<4x8xf32>
  %sq = arith.mulf %c2, %c2 : tensor<4x8xf32>
  %ss = linalg.reduce ins(%sq : tensor<4x8xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %var = arith.divf %ss, %n : tensor<4xf32>
  %v = arith.addf %var, %eps : tensor<4xf32>
  %r = math.rsqrt %v : tensor<4xf32>
  %rb = linalg.broadcast ins(%r : tensor<4xf32>) outs(%bi : tensor<4x8xf32>) dimensions = [1]
  %y = arith.mulf %c1, %rb : tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// No eps: mean(c^2) may be 0 and its rsqrt infinite.
// CHECK-LABEL: func @no_eps
// CHECK: arith.mulf %{{[0-9]+}}, %broadcasted_{{[0-9]+}} {float_range = "[-INF, INF] nan"}
func.func @no_eps(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %n = arith.constant dense<8.0> : tensor<4xf32>
  %eps = arith.constant dense<1.0e-05> : tensor<4xf32>
  %ri = tensor.empty() : tensor<4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%ri : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.reduce ins(%x : tensor<4x8xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %m = arith.divf %s, %n : tensor<4xf32>
  %bi = tensor.empty() : tensor<4x8xf32>
  %mb = linalg.broadcast ins(%m : tensor<4xf32>) outs(%bi : tensor<4x8xf32>) dimensions = [1]
  %c1 = arith.subf %x, %mb : tensor<4x8xf32>
  %c2 = arith.subf %x, %mb : tensor<4x8xf32>
  %sq = arith.mulf %c2, %c2 : tensor<4x8xf32>
  %ss = linalg.reduce ins(%sq : tensor<4x8xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %var = arith.divf %ss, %n : tensor<4xf32>
  %v = arith.addf %var, %var : tensor<4xf32>
  %r = math.rsqrt %v : tensor<4xf32>
  %rb = linalg.broadcast ins(%r : tensor<4xf32>) outs(%bi : tensor<4x8xf32>) dimensions = [1]
  %y = arith.mulf %c1, %rb : tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// The variance squares x, not the centred value.
// CHECK-LABEL: func @square_of_x
// CHECK: arith.mulf %{{[0-9]+}}, %broadcasted_{{[0-9]+}} {float_range = "[-INF, INF] nan"}
func.func @square_of_x(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %n = arith.constant dense<8.0> : tensor<4xf32>
  %eps = arith.constant dense<1.0e-05> : tensor<4xf32>
  %ri = tensor.empty() : tensor<4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%ri : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.reduce ins(%x : tensor<4x8xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %m = arith.divf %s, %n : tensor<4xf32>
  %bi = tensor.empty() : tensor<4x8xf32>
  %mb = linalg.broadcast ins(%m : tensor<4xf32>) outs(%bi : tensor<4x8xf32>) dimensions = [1]
  %c1 = arith.subf %x, %mb : tensor<4x8xf32>
  %c2 = arith.subf %x, %mb : tensor<4x8xf32>
  %sq = arith.mulf %x, %x : tensor<4x8xf32>
  %ss = linalg.reduce ins(%sq : tensor<4x8xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %var = arith.divf %ss, %n : tensor<4xf32>
  %v = arith.addf %var, %eps : tensor<4xf32>
  %r = math.rsqrt %v : tensor<4xf32>
  %rb = linalg.broadcast ins(%r : tensor<4xf32>) outs(%bi : tensor<4x8xf32>) dimensions = [1]
  %y = arith.mulf %c1, %rb : tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// c2 = x + m is not the same expression as c1 = x - m.
// CHECK-LABEL: func @different_op
// CHECK: arith.mulf %{{[0-9]+}}, %broadcasted_{{[0-9]+}} {float_range = "[-INF, INF] nan"}
func.func @different_op(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %n = arith.constant dense<8.0> : tensor<4xf32>
  %eps = arith.constant dense<1.0e-05> : tensor<4xf32>
  %ri = tensor.empty() : tensor<4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%ri : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.reduce ins(%x : tensor<4x8xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %m = arith.divf %s, %n : tensor<4xf32>
  %bi = tensor.empty() : tensor<4x8xf32>
  %mb = linalg.broadcast ins(%m : tensor<4xf32>) outs(%bi : tensor<4x8xf32>) dimensions = [1]
  %c1 = arith.subf %x, %mb : tensor<4x8xf32>
  %c2 = arith.addf %x, %mb : tensor<4x8xf32>
  %sq = arith.mulf %c2, %c2 : tensor<4x8xf32>
  %ss = linalg.reduce ins(%sq : tensor<4x8xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %var = arith.divf %ss, %n : tensor<4xf32>
  %v = arith.addf %var, %eps : tensor<4xf32>
  %r = math.rsqrt %v : tensor<4xf32>
  %rb = linalg.broadcast ins(%r : tensor<4xf32>) outs(%bi : tensor<4x8xf32>) dimensions = [1]
  %y = arith.mulf %c1, %rb : tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// Different fastmath flags: not structurally identical, not matched.
// CHECK-LABEL: func @different_fastmath
// CHECK: arith.mulf %{{[0-9]+}}, %broadcasted_{{[0-9]+}} {float_range = "[-INF, INF] nan"}
func.func @different_fastmath(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %n = arith.constant dense<8.0> : tensor<4xf32>
  %eps = arith.constant dense<1.0e-05> : tensor<4xf32>
  %ri = tensor.empty() : tensor<4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%ri : tensor<4xf32>) -> tensor<4xf32>
  %s = linalg.reduce ins(%x : tensor<4x8xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %m = arith.divf %s, %n : tensor<4xf32>
  %bi = tensor.empty() : tensor<4x8xf32>
  %mb = linalg.broadcast ins(%m : tensor<4xf32>) outs(%bi : tensor<4x8xf32>) dimensions = [1]
  %c1 = arith.subf %x, %mb : tensor<4x8xf32>
  %c2 = arith.subf %x, %mb fastmath<fast> : tensor<4x8xf32>
  %sq = arith.mulf %c2, %c2 : tensor<4x8xf32>
  %ss = linalg.reduce ins(%sq : tensor<4x8xf32>) outs(%z : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %var = arith.divf %ss, %n : tensor<4xf32>
  %v = arith.addf %var, %eps : tensor<4xf32>
  %r = math.rsqrt %v : tensor<4xf32>
  %rb = linalg.broadcast ins(%r : tensor<4xf32>) outs(%bi : tensor<4x8xf32>) dimensions = [1]
  %y = arith.mulf %c1, %rb : tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}
