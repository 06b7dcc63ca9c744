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

// torch-mlir's own linalg for aten.native_layer_norm in f32 (copied from
// python/tests/fixtures/linalg/norm.mlir): one centred value %6, keepdim
// reductions ((d0, d1, d2) -> (d0, d1, 0)), the mean and rsqrt broadcast
// back by a generic from a collapse_shape of the unit dim, each step of
// rsqrt(var / 8 + eps) in its own generic. The normalized product is
// bounded; gamma and beta are function arguments, so the result is not.
#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#map1 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
#map2 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map3 = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func @layer_norm
// CHECK: math.rsqrt
// CHECK: arith.mulf %in, %in_{{[0-9]+}} {float_range = "[-2.828429e+00, 2.828429e+00] nan"}
// CHECK: arith.mulf %in, %in_{{[0-9]+}} {float_range = "[-INF, INF] nan"}
func.func @layer_norm(%arg0: tensor<2x3x8xf32>, %arg1: tensor<8xf32>, %arg2: tensor<8xf32>) -> tensor<2x3x8xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant 1.000000e-05 : f64
  %cst_1 = arith.constant 8.000000e+00 : f32
  %0 = tensor.empty() : tensor<2x3x1xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<2x3x1xf32>) -> tensor<2x3x1xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0 : tensor<2x3x8xf32>) outs(%1 : tensor<2x3x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %16 = arith.addf %in, %out : f32
    linalg.yield %16 : f32
  } -> tensor<2x3x1xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%2 : tensor<2x3x1xf32>) outs(%0 : tensor<2x3x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %16 = arith.divf %in, %cst_1 : f32
    linalg.yield %16 : f32
  } -> tensor<2x3x1xf32>
  %4 = tensor.empty() : tensor<2x3x8xf32>
  %collapsed = tensor.collapse_shape %3 [[0], [1, 2]] : tensor<2x3x1xf32> into tensor<2x3xf32>
  %5 = linalg.generic {indexing_maps = [#map2, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%collapsed : tensor<2x3xf32>) outs(%4 : tensor<2x3x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x3x8xf32>
  %6 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %5 : tensor<2x3x8xf32>, tensor<2x3x8xf32>) outs(%4 : tensor<2x3x8xf32>) {
  ^bb0(%in: f32, %in_3: f32, %out: f32):
    %16 = arith.subf %in, %in_3 : f32
    linalg.yield %16 : f32
  } -> tensor<2x3x8xf32>
  %7 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%6, %6 : tensor<2x3x8xf32>, tensor<2x3x8xf32>) outs(%4 : tensor<2x3x8xf32>) {
  ^bb0(%in: f32, %in_3: f32, %out: f32):
    %16 = arith.mulf %in, %in_3 : f32
    linalg.yield %16 : f32
  } -> tensor<2x3x8xf32>
  %8 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "parallel", "reduction"]} ins(%7 : tensor<2x3x8xf32>) outs(%1 : tensor<2x3x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %16 = arith.addf %in, %out : f32
    linalg.yield %16 : f32
  } -> tensor<2x3x1xf32>
  %9 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%8 : tensor<2x3x1xf32>) outs(%0 : tensor<2x3x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %16 = arith.divf %in, %cst_1 : f32
    linalg.yield %16 : f32
  } -> tensor<2x3x1xf32>
  %10 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%9 : tensor<2x3x1xf32>) outs(%0 : tensor<2x3x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %16 = arith.truncf %cst_0 : f64 to f32
    %17 = arith.addf %in, %16 : f32
    linalg.yield %17 : f32
  } -> tensor<2x3x1xf32>
  %11 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%10 : tensor<2x3x1xf32>) outs(%0 : tensor<2x3x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %16 = math.rsqrt %in : f32
    linalg.yield %16 : f32
  } -> tensor<2x3x1xf32>
  %collapsed_2 = tensor.collapse_shape %11 [[0], [1, 2]] : tensor<2x3x1xf32> into tensor<2x3xf32>
  %12 = linalg.generic {indexing_maps = [#map2, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%collapsed_2 : tensor<2x3xf32>) outs(%4 : tensor<2x3x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2x3x8xf32>
  %13 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%6, %12 : tensor<2x3x8xf32>, tensor<2x3x8xf32>) outs(%4 : tensor<2x3x8xf32>) {
  ^bb0(%in: f32, %in_3: f32, %out: f32):
    %16 = arith.mulf %in, %in_3 : f32
    linalg.yield %16 : f32
  } -> tensor<2x3x8xf32>
  %14 = linalg.generic {indexing_maps = [#map, #map3, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%13, %arg1 : tensor<2x3x8xf32>, tensor<8xf32>) outs(%4 : tensor<2x3x8xf32>) {
  ^bb0(%in: f32, %in_3: f32, %out: f32):
    %16 = arith.mulf %in, %in_3 : f32
    linalg.yield %16 : f32
  } -> tensor<2x3x8xf32>
  %15 = linalg.generic {indexing_maps = [#map, #map3, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%14, %arg2 : tensor<2x3x8xf32>, tensor<8xf32>) outs(%4 : tensor<2x3x8xf32>) {
  ^bb0(%in: f32, %in_3: f32, %out: f32):
    %16 = arith.addf %in, %in_3 : f32
    linalg.yield %16 : f32
  } -> tensor<2x3x8xf32>
  return %15 : tensor<2x3x8xf32>
}

// -----

// torch-mlir's linalg for GPT-2's LayerNorm (copied from
// python/tests/fixtures/linalg/gpt2_block.mlir): the variance is computed
// from f64 x minus an f64 mean, but the value multiplied is f32 x minus an
// f32 mean (%18). It must stay unbounded: for a row of equal values
// 1.1e30 the f64 variance is 0 while the f32 row sum rounds, so x - mean
// is 3e23 and the product about 1e26.
#map = affine_map<(d0, d1) -> (d0, d1)>
#map1 = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func @gpt2_layer_norm
// CHECK: math.rsqrt
// CHECK: arith.subf %in, %in_{{[0-9]+}} {float_range = "[-INF, INF] nan"}
// CHECK: arith.mulf %in, %in_{{[0-9]+}} {float_range = "[-INF, INF] nan"}
func.func @gpt2_layer_norm(%arg0: tensor<4x32xf32>) -> tensor<4x32xf32> {
  %cst = arith.constant 0.000000e+00 : f64
  %cst_0 = arith.constant 0.000000e+00 : f32
  %cst_19 = arith.constant 1.000000e-05 : f64
  %cst_22 = arith.constant 3.200000e+01 : f64
  %cst_23 = arith.constant 3.200000e+01 : f32
    %0 = tensor.empty() : tensor<4x32xf64>
    %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%arg0 : tensor<4x32xf32>) outs(%0 : tensor<4x32xf64>) {
    ^bb0(%in: f32, %out: f64):
      %80 = arith.extf %in : f32 to f64
      linalg.yield %80 : f64
    } -> tensor<4x32xf64>
    %2 = tensor.empty() : tensor<4x1xf64>
    %3 = linalg.fill ins(%cst : f64) outs(%2 : tensor<4x1xf64>) -> tensor<4x1xf64>
    %4 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "reduction"]} ins(%1 : tensor<4x32xf64>) outs(%3 : tensor<4x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %80 = arith.addf %in, %out : f64
      linalg.yield %80 : f64
    } -> tensor<4x1xf64>
    %5 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%4 : tensor<4x1xf64>) outs(%2 : tensor<4x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %80 = arith.divf %in, %cst_22 : f64
      linalg.yield %80 : f64
    } -> tensor<4x1xf64>
    %6 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%1, %5 : tensor<4x32xf64>, tensor<4x1xf64>) outs(%0 : tensor<4x32xf64>) {
    ^bb0(%in: f64, %in_36: f64, %out: f64):
      %80 = arith.subf %in, %in_36 : f64
      linalg.yield %80 : f64
    } -> tensor<4x32xf64>
    %7 = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel", "parallel"]} ins(%6, %6 : tensor<4x32xf64>, tensor<4x32xf64>) outs(%0 : tensor<4x32xf64>) {
    ^bb0(%in: f64, %in_36: f64, %out: f64):
      %80 = arith.mulf %in, %in_36 : f64
      linalg.yield %80 : f64
    } -> tensor<4x32xf64>
    %8 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "reduction"]} ins(%7 : tensor<4x32xf64>) outs(%3 : tensor<4x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %80 = arith.addf %in, %out : f64
      linalg.yield %80 : f64
    } -> tensor<4x1xf64>
    %9 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%8 : tensor<4x1xf64>) outs(%2 : tensor<4x1xf64>) {
    ^bb0(%in: f64, %out: f64):
      %80 = arith.divf %in, %cst_22 : f64
      linalg.yield %80 : f64
    } -> tensor<4x1xf64>
    %10 = tensor.empty() : tensor<4x1xf32>
    %11 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%9 : tensor<4x1xf64>) outs(%10 : tensor<4x1xf32>) {
    ^bb0(%in: f64, %out: f32):
      %80 = arith.truncf %in : f64 to f32
      linalg.yield %80 : f32
    } -> tensor<4x1xf32>
    %12 = linalg.fill ins(%cst_0 : f32) outs(%10 : tensor<4x1xf32>) -> tensor<4x1xf32>
    %13 = linalg.generic {indexing_maps = [#map, #map1], iterator_types = ["parallel", "reduction"]} ins(%arg0 : tensor<4x32xf32>) outs(%12 : tensor<4x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %80 = arith.addf %in, %out : f32
      linalg.yield %80 : f32
    } -> tensor<4x1xf32>
    %14 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%13 : tensor<4x1xf32>) outs(%10 : tensor<4x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %80 = arith.divf %in, %cst_23 : f32
      linalg.yield %80 : f32
    } -> tensor<4x1xf32>
    %15 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%11 : tensor<4x1xf32>) outs(%10 : tensor<4x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %80 = arith.truncf %cst_19 : f64 to f32
      %81 = arith.addf %in, %80 : f32
      linalg.yield %81 : f32
    } -> tensor<4x1xf32>
    %16 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]} ins(%15 : tensor<4x1xf32>) outs(%10 : tensor<4x1xf32>) {
    ^bb0(%in: f32, %out: f32):
      %80 = math.rsqrt %in : f32
      linalg.yield %80 : f32
    } -> tensor<4x1xf32>
    %17 = tensor.empty() : tensor<4x32xf32>
    %18 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%arg0, %14 : tensor<4x32xf32>, tensor<4x1xf32>) outs(%17 : tensor<4x32xf32>) {
    ^bb0(%in: f32, %in_36: f32, %out: f32):
      %80 = arith.subf %in, %in_36 : f32
      linalg.yield %80 : f32
    } -> tensor<4x32xf32>
    %19 = linalg.generic {indexing_maps = [#map, #map1, #map], iterator_types = ["parallel", "parallel"]} ins(%18, %16 : tensor<4x32xf32>, tensor<4x1xf32>) outs(%17 : tensor<4x32xf32>) {
    ^bb0(%in: f32, %in_36: f32, %out: f32):
      %80 = arith.mulf %in, %in_36 : f32
      linalg.yield %80 : f32
    } -> tensor<4x32xf32>
  return %19 : tensor<4x32xf32>
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

// -----

// torch-mlir's keepdim layout, but rsqrt(var + eps) of row i is broadcast
// along the other dim (to column i): not the row c belongs to.
#id = affine_map<(d0, d1) -> (d0, d1)>
#keep = affine_map<(d0, d1) -> (d0, 0)>
#col = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @keepdim_wrong_broadcast
// CHECK: math.rsqrt
// CHECK: arith.mulf %in, %in_{{[0-9]+}} {float_range = "[-INF, INF] nan"}
func.func @keepdim_wrong_broadcast(%c: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %n = arith.constant 4.0 : f32
  %eps = arith.constant 1.0e-05 : f32
  %k0 = tensor.empty() : tensor<4x1xf32>
  %k1 = linalg.fill ins(%zero : f32) outs(%k0 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %ei = tensor.empty() : tensor<4x4xf32>
  %sq = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c, %c : tensor<4x4xf32>, tensor<4x4xf32>) outs(%ei : tensor<4x4xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %p = arith.mulf %in, %in_0 : f32
    linalg.yield %p : f32
  } -> tensor<4x4xf32>
  %ss = linalg.generic {indexing_maps = [#id, #keep], iterator_types = ["parallel", "reduction"]}
      ins(%sq : tensor<4x4xf32>) outs(%k1 : tensor<4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<4x1xf32>
  %rs = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%ss : tensor<4x1xf32>) outs(%k0 : tensor<4x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %var = arith.divf %in, %n : f32
    %v = arith.addf %var, %eps : f32
    %q = math.rsqrt %v : f32
    linalg.yield %q : f32
  } -> tensor<4x1xf32>
  %rc = tensor.collapse_shape %rs [[0, 1]] : tensor<4x1xf32> into tensor<4xf32>
  %rb = linalg.generic {indexing_maps = [#col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%rc : tensor<4xf32>) outs(%ei : tensor<4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<4x4xf32>
  %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c, %rb : tensor<4x4xf32>, tensor<4x4xf32>) outs(%ei : tensor<4x4xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %p = arith.mulf %in, %in_0 : f32
    linalg.yield %p : f32
  } -> tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}
