// RUN: fp8-opt %s --fp8-test-float-ranges --split-input-file | FileCheck %s

// Dense constants give their min and max; a NaN element sets `nan`.
// CHECK-LABEL: func @constants
// CHECK: arith.constant {float_range = "[-2.000000e+00, 3.000000e+00]"}
// CHECK: arith.constant {float_range = "[1.000000e+00, 1.000000e+00] nan"}
func.func @constants() -> (tensor<3xf32>, tensor<2xf32>) {
  %a = arith.constant dense<[-2.0, 3.0, 0.5]> : tensor<3xf32>
  %b = arith.constant dense<[1.0, 0x7FC00000]> : tensor<2xf32>
  return %a, %b : tensor<3xf32>, tensor<2xf32>
}

// -----

// tanh is in [-1, 1]; from an integer source it is never NaN.
// CHECK-LABEL: func @tanh
// CHECK: arith.sitofp {{.*}}float_range = "[-1.280000e+02, 1.270000e+02]"
// CHECK: math.tanh {{.*}}float_range = "[-1.000000e+00, 1.000000e+00]"}
// CHECK: math.tanh {{.*}}float_range = "[-1.000000e+00, 1.000000e+00] nan"
func.func @tanh(%i: tensor<8xi8>, %x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %f = arith.sitofp %i : tensor<8xi8> to tensor<8xf32>
  %t = math.tanh %f : tensor<8xf32>
  %u = math.tanh %x : tensor<8xf32>
  return %t, %u : tensor<8xf32>, tensor<8xf32>
}

// -----

// sigmoid 1 / (1 + exp(-x)): the divisor is >= 1, so the quotient is in
// [0, 1] by interval arithmetic alone.
// CHECK-LABEL: func @sigmoid
// CHECK: math.exp {{.*}}float_range = "[0.000000e+00, INF] nan"
// CHECK: arith.addf {{.*}}float_range = "[1.000000e+00, INF] nan"
// CHECK: arith.divf {{.*}}float_range = "[0.000000e+00, 1.000000e+00] nan"
func.func @sigmoid(%x: tensor<8xf32>) -> tensor<8xf32> {
  %one = arith.constant dense<1.0> : tensor<8xf32>
  %n = arith.negf %x : tensor<8xf32>
  %e = math.exp %n : tensor<8xf32>
  %d = arith.addf %one, %e : tensor<8xf32>
  %s = arith.divf %one, %d : tensor<8xf32>
  return %s : tensor<8xf32>
}

// -----

// Softmax on tensors, as bench/compile_time writes it: exp / broadcast of
// the row sum of the same exp.
// CHECK-LABEL: func @softmax_tensors
// CHECK: linalg.reduce {{.*}}float_range = "[0.000000e+00, INF] nan"
// CHECK: arith.divf {{.*}}float_range = "[0.000000e+00, 1.000000e+00] nan"
func.func @softmax_tensors(%s: tensor<2x4x8xbf16>) -> tensor<2x4x8xbf16> {
  %zero = arith.constant 0.0 : bf16
  %e = math.exp %s : tensor<2x4x8xbf16>
  %init = tensor.empty() : tensor<2x4xbf16>
  %z = linalg.fill ins(%zero : bf16) outs(%init : tensor<2x4xbf16>) -> tensor<2x4xbf16>
  %sum = linalg.reduce ins(%e : tensor<2x4x8xbf16>) outs(%z : tensor<2x4xbf16>) dimensions = [2]
    (%in: bf16, %acc: bf16) {
      %a = arith.addf %in, %acc : bf16
      linalg.yield %a : bf16
    }
  %binit = tensor.empty() : tensor<2x4x8xbf16>
  %b = linalg.broadcast ins(%sum : tensor<2x4xbf16>) outs(%binit : tensor<2x4x8xbf16>) dimensions = [2]
  %p = arith.divf %e, %b : tensor<2x4x8xbf16>
  return %p : tensor<2x4x8xbf16>
}

// -----

// Softmax as torch-mlir writes it, in linalg.generic ops: exp(x - max(x))
// is in [0, 1] (x - max(x) <= 0), e / sum(e) too.
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func @softmax_generics
// CHECK: arith.subf {{.*}}float_range = "[-INF, 0.000000e+00] nan"
// CHECK: math.exp {{.*}}float_range = "[0.000000e+00, 1.000000e+00] nan"
// CHECK: arith.divf {{.*}}float_range = "[0.000000e+00, 1.000000e+00] nan"
func.func @softmax_generics(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %rinit = tensor.empty() : tensor<4xf32>
  %mfill = linalg.fill ins(%ninf : f32) outs(%rinit : tensor<4xf32>) -> tensor<4xf32>
  %max = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%mfill : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.maximumf %in, %acc : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  %einit = tensor.empty() : tensor<4x8xf32>
  %e = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %max : tensor<4x8xf32>, tensor<4xf32>) outs(%einit : tensor<4x8xf32>) {
  ^bb0(%in: f32, %m: f32, %out: f32):
    %d = arith.subf %in, %m : f32
    %ex = math.exp %d : f32
    linalg.yield %ex : f32
  } -> tensor<4x8xf32>
  %sfill = linalg.fill ins(%zero : f32) outs(%rinit : tensor<4xf32>) -> tensor<4xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%e : tensor<4x8xf32>) outs(%sfill : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %a = arith.addf %in, %acc : f32
    linalg.yield %a : f32
  } -> tensor<4xf32>
  %p = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%e, %sum : tensor<4x8xf32>, tensor<4xf32>) outs(%einit : tensor<4x8xf32>) {
  ^bb0(%in: f32, %s: f32, %out: f32):
    %q = arith.divf %in, %s : f32
    linalg.yield %q : f32
  } -> tensor<4x8xf32>
  return %p : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func @linalg_softmax
// CHECK: linalg.softmax {{.*}}float_range = "[0.000000e+00, 1.000000e+00] nan"
func.func @linalg_softmax(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %init = tensor.empty() : tensor<4x8xf32>
  %p = linalg.softmax dimension(1) ins(%x : tensor<4x8xf32>) outs(%init : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %p : tensor<4x8xf32>
}

// -----

// relu and clamps; maxnumf/minnumf ignore a NaN operand.
// CHECK-LABEL: func @relu_and_clamp
// CHECK: arith.maximumf {{.*}}float_range = "[0.000000e+00, INF] nan"
// CHECK: arith.minimumf {{.*}}float_range = "[0.000000e+00, 6.000000e+00] nan"
// CHECK: arith.maxnumf {{.*}}float_range = "[-2.000000e+00, INF]"}
// CHECK: arith.minnumf {{.*}}float_range = "[-2.000000e+00, 3.000000e+00]"}
func.func @relu_and_clamp(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %zero = arith.constant dense<0.0> : tensor<8xf32>
  %six = arith.constant dense<6.0> : tensor<8xf32>
  %lo = arith.constant dense<-2.0> : tensor<8xf32>
  %hi = arith.constant dense<3.0> : tensor<8xf32>
  %r = arith.maximumf %x, %zero : tensor<8xf32>
  %r6 = arith.minimumf %r, %six : tensor<8xf32>
  %c0 = arith.maxnumf %x, %lo : tensor<8xf32>
  %c = arith.minnumf %c0, %hi : tensor<8xf32>
  return %r6, %c : tensor<8xf32>, tensor<8xf32>
}

// -----

// GELU (tanh form, simplified) and SiLU after a clamp to [-4, 4]: interval
// arithmetic bounds both by 4 (loosely: it does not see that the factors
// move together).
// CHECK-LABEL: func @gelu_silu_after_clamp
// CHECK: arith.minimumf {{.*}}float_range = "[-4.000000e+00, 4.000000e+00]"}
// CHECK: math.tanh {{.*}}float_range = "[-9.966260e-01, 9.966260e-01]"}
// CHECK: arith.mulf {{.*}}float_range = "[-3.993252e+00, 3.993252e+00]"}
// CHECK: arith.divf {{.*}}float_range = "[1.798621e-02, 9.820139e-01]"}
// CHECK: arith.mulf {{.*}}float_range = "[-3.928056e+00, 3.928056e+00]"}
func.func @gelu_silu_after_clamp(%i: tensor<8xi32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %x0 = arith.sitofp %i : tensor<8xi32> to tensor<8xf32>
  %lo = arith.constant dense<-4.0> : tensor<8xf32>
  %hi = arith.constant dense<4.0> : tensor<8xf32>
  %one = arith.constant dense<1.0> : tensor<8xf32>
  %half = arith.constant dense<0.5> : tensor<8xf32>
  %k = arith.constant dense<0.7978846> : tensor<8xf32>
  %x1 = arith.maximumf %x0, %lo : tensor<8xf32>
  %x = arith.minimumf %x1, %hi : tensor<8xf32>
  %h = arith.mulf %x, %half : tensor<8xf32>
  %kx = arith.mulf %x, %k : tensor<8xf32>
  %t = math.tanh %kx : tensor<8xf32>
  %t1 = arith.addf %t, %one : tensor<8xf32>
  %gelu = arith.mulf %h, %t1 : tensor<8xf32>
  %n = arith.negf %x : tensor<8xf32>
  %e = math.exp %n : tensor<8xf32>
  %d = arith.addf %one, %e : tensor<8xf32>
  %s = arith.divf %one, %d : tensor<8xf32>
  %silu = arith.mulf %x, %s : tensor<8xf32>
  return %gelu, %silu : tensor<8xf32>, tensor<8xf32>
}

// -----

// RMSNorm pieces: x * x >= 0, so mean(x^2) + eps >= eps and its rsqrt is
// at most 1/sqrt(eps).
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func @rms_pieces
// CHECK: arith.mulf {{.*}}float_range = "[0.000000e+00, INF] nan"
// CHECK: math.rsqrt {{.*}}float_range = "[0.000000e+00, 1.000000e+03] nan"
func.func @rms_pieces(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  %zero = arith.constant 0.0 : f32
  %eps = arith.constant 1.0e-06 : f32
  %rinit = tensor.empty() : tensor<4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%rinit : tensor<4xf32>) -> tensor<4xf32>
  %ss = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%fill : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %sq = arith.mulf %in, %in : f32
    %a = arith.addf %sq, %acc : f32
    linalg.yield %a : f32
  } -> tensor<4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%ss : tensor<4xf32>) outs(%rinit : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.constant 8.0 : f32
    %mean = arith.divf %in, %n : f32
    %v = arith.addf %mean, %eps : f32
    %rs = math.rsqrt %v : f32
    linalg.yield %rs : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// Data movement keeps ranges; insert_slice and concat join them.
// CHECK-LABEL: func @data_movement
// CHECK: tensor.extract_slice {{.*}}float_range = "[-1.000000e+00, 1.000000e+00]"
// CHECK: tensor.expand_shape {{.*}}float_range = "[-1.000000e+00, 1.000000e+00]"
// CHECK: tensor.collapse_shape {{.*}}float_range = "[-1.000000e+00, 1.000000e+00]"
// CHECK: linalg.transpose {{.*}}float_range = "[-1.000000e+00, 1.000000e+00]"
// CHECK: tensor.concat {{.*}}float_range = "[-1.000000e+00, 5.000000e+00]"
// CHECK: tensor.insert_slice {{.*}}float_range = "[-1.000000e+00, 5.000000e+00]"
// CHECK: linalg.fill {{.*}}float_range = "[5.000000e+00, 5.000000e+00]"
// CHECK: linalg.broadcast {{.*}}float_range = "[-1.000000e+00, 1.000000e+00]"
func.func @data_movement(%i: tensor<4x8xi8>) -> (tensor<8x2x2xf32>, tensor<8x8xf32>, tensor<4x8xf32>, tensor<3x4x8xf32>) {
  %f = arith.sitofp %i : tensor<4x8xi8> to tensor<4x8xf32>
  %t = math.tanh %f : tensor<4x8xf32>
  %five = arith.constant dense<5.0> : tensor<4x8xf32>
  %s = tensor.extract_slice %t[0, 0] [4, 4] [1, 1] : tensor<4x8xf32> to tensor<4x4xf32>
  %x = tensor.expand_shape %s [[0], [1, 2]] output_shape [4, 2, 2] : tensor<4x4xf32> into tensor<4x2x2xf32>
  %c = tensor.collapse_shape %x [[0], [1, 2]] : tensor<4x2x2xf32> into tensor<4x4xf32>
  %tinit = tensor.empty() : tensor<4x4xf32>
  %tr = linalg.transpose ins(%c : tensor<4x4xf32>) outs(%tinit : tensor<4x4xf32>) permutation = [1, 0]
  %cat = tensor.concat dim(0) %t, %five : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<8x8xf32>
  %ins = tensor.insert_slice %tr into %five[0, 0] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<4x8xf32>
  %v = arith.constant 5.0 : f32
  %finit = tensor.empty() : tensor<8x2x2xf32>
  %fill = linalg.fill ins(%v : f32) outs(%finit : tensor<8x2x2xf32>) -> tensor<8x2x2xf32>
  %binit = tensor.empty() : tensor<3x4x8xf32>
  %b = linalg.broadcast ins(%t : tensor<4x8xf32>) outs(%binit : tensor<3x4x8xf32>) dimensions = [0]
  return %fill, %cat, %ins, %b : tensor<8x2x2xf32>, tensor<8x8xf32>, tensor<4x8xf32>, tensor<3x4x8xf32>
}

// -----

// Reductions: a max of tanh onto 0 is in [0, 1]; a sum
// that keeps growing is widened to infinity on that side only.
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func @reductions
// CHECK: linalg.generic {{.*}}float_range = "[0.000000e+00, 1.000000e+00]"
// CHECK: linalg.reduce {{.*}}float_range = "[-INF, INF]"
// CHECK: linalg.reduce {{.*}}float_range = "[0.000000e+00, INF]"
func.func @reductions(%i: tensor<4x8xi8>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %f = arith.sitofp %i : tensor<4x8xi8> to tensor<4x8xf32>
  %t = math.tanh %f : tensor<4x8xf32>
  %zero = arith.constant 0.0 : f32
  %rinit = tensor.empty() : tensor<4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%rinit : tensor<4xf32>) -> tensor<4xf32>
  %max = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%t : tensor<4x8xf32>) outs(%fill : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.maximumf %in, %acc : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  %sum = linalg.reduce ins(%t : tensor<4x8xf32>) outs(%fill : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %sq = arith.mulf %t, %t : tensor<4x8xf32>
  %sumsq = linalg.reduce ins(%sq : tensor<4x8xf32>) outs(%fill : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  return %max, %sum, %sumsq : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Rounding: bounds are rounded outward in the result's type (1.001 lies
// between the bf16 values 1 and 1.0078125; 1/3 between 0.33203125 and
// 0.333984375).
// CHECK-LABEL: func @rounding
// CHECK: arith.truncf {{.*}}float_range = "[1.000000e+00, 1.007812e+00]"
// CHECK: arith.divf {{.*}}float_range = "[3.320312e-01, 3.339844e-01]"
func.func @rounding() -> (bf16, bf16) {
  %a = arith.constant 1.001 : f32
  %b = arith.truncf %a : f32 to bf16
  %one = arith.constant 1.0 : bf16
  %three = arith.constant 3.0 : bf16
  %q = arith.divf %one, %three : bf16
  return %b, %q : bf16, bf16
}

// -----

// RMSNorm: x * rsqrt(mean(x^2) + eps) is at most sqrt(N) = sqrt(8) in
// magnitude (widened by 8 ulps); times gamma in [-2, 2], plus beta in
// [0.25, 1.25], by interval arithmetic.
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#col = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @rmsnorm
// CHECK: arith.mulf %{{.*}}, %{{.*}} {float_range = "[-2.828429e+00, 2.828429e+00] nan"}
// CHECK: arith.mulf {{.*}}float_range = "[-5.656857e+00, 5.656857e+00] nan"
// CHECK: arith.addf %{{.*}}, %{{.*}} {float_range = "[-5.406857e+00, 6.906857e+00] nan"}
func.func @rmsnorm(%x: tensor<4x8xf32>, %gi: tensor<8xi8>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %eps = arith.constant 1.0e-06 : f32
  %gf = arith.sitofp %gi : tensor<8xi8> to tensor<8xf32>
  %g = math.tanh %gf : tensor<8xf32>
  %rinit = tensor.empty() : tensor<4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%rinit : tensor<4xf32>) -> tensor<4xf32>
  %ss = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%fill : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %sq = arith.mulf %in, %in : f32
    %a = arith.addf %sq, %acc : f32
    linalg.yield %a : f32
  } -> tensor<4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%ss : tensor<4xf32>) outs(%rinit : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.constant 8.0 : f32
    %mean = arith.divf %in, %n : f32
    %v = arith.addf %mean, %eps : f32
    %rs = math.rsqrt %v : f32
    linalg.yield %rs : f32
  } -> tensor<4xf32>
  %init = tensor.empty() : tensor<4x8xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %r, %g : tensor<4x8xf32>, tensor<4xf32>, tensor<8xf32>) outs(%init : tensor<4x8xf32>) {
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
