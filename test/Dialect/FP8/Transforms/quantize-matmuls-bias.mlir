// fp8-quantize-matmuls folds the row-broadcast bias add after a matmul into
// the fp8.scaled_matmul's bias operand, where that is exact: f32 result,
// f32 bias, the add the only user of the matmul result (FuseBias.cpp).
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-quantize-matmuls=recipe=tensorwise | FileCheck %s

#row = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>

// The second layer of examples/mlp.mlir: a generic whose body is one addf.
// CHECK-LABEL: func.func @mlp_layer2
// CHECK-SAME: %[[B:[a-z0-9]+]]: tensor<64xf32>
// CHECK: %[[Y:.+]] = fp8.scaled_matmul {{.*}} bias(%[[B]] : tensor<64xf32>)
// CHECK-SAME: -> tensor<16x64xf32>
// CHECK-NOT: linalg.generic
// CHECK: return %[[Y]]
func.func @mlp_layer2(%h: tensor<16x32xf32>, %w: tensor<32x64xf32>,
                      %b: tensor<64xf32>) -> tensor<16x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x64xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %mm = linalg.matmul ins(%h, %w : tensor<16x32xf32>, tensor<32x64xf32>)
      outs(%z : tensor<16x64xf32>) -> tensor<16x64xf32>
  %y = linalg.generic {indexing_maps = [#row, #bias, #row],
                       iterator_types = ["parallel", "parallel"]}
      ins(%mm, %b : tensor<16x64xf32>, tensor<64xf32>)
      outs(%e : tensor<16x64xf32>) {
  ^bb0(%v: f32, %bi: f32, %out: f32):
    %s = arith.addf %v, %bi : f32
    linalg.yield %s : f32
  } -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}

// -----

#row = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>

// Bias first in ins and in the addf; the bias also has another user (that
// is fine: only the matmul result must have no other user).
// CHECK-LABEL: func.func @bias_first_and_reused
// CHECK-SAME: %[[B:[a-z0-9]+]]: tensor<64xf32>
// CHECK: %[[Y:.+]] = fp8.scaled_matmul {{.*}} bias(%[[B]] : tensor<64xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return %[[Y]], %[[B]]
func.func @bias_first_and_reused(%h: tensor<16x32xf32>, %w: tensor<32x64xf32>,
                                 %b: tensor<64xf32>)
    -> (tensor<16x64xf32>, tensor<64xf32>) {
  %e = tensor.empty() : tensor<16x64xf32>
  %mm = linalg.matmul ins(%h, %w : tensor<16x32xf32>, tensor<32x64xf32>)
      outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %y = linalg.generic {indexing_maps = [#bias, #row, #row],
                       iterator_types = ["parallel", "parallel"]}
      ins(%b, %mm : tensor<64xf32>, tensor<16x64xf32>)
      outs(%e : tensor<16x64xf32>) {
  ^bb0(%bi: f32, %v: f32, %out: f32):
    %s = arith.addf %bi, %v : f32
    linalg.yield %s : f32
  } -> tensor<16x64xf32>
  return %y, %b : tensor<16x64xf32>, tensor<64xf32>
}

// -----

// linalg.add of the matmul and a linalg.broadcast of the 1-D bias; the
// broadcast goes away with the add.
// CHECK-LABEL: func.func @named_add
// CHECK-SAME: %[[B:[a-z0-9]+]]: tensor<64xf32>
// CHECK: %[[Y:.+]] = fp8.scaled_matmul {{.*}} bias(%[[B]] : tensor<64xf32>)
// CHECK-NOT: linalg.broadcast
// CHECK-NOT: linalg.add
// CHECK: return %[[Y]]
func.func @named_add(%h: tensor<16x32xf32>, %w: tensor<32x64xf32>,
                     %b: tensor<64xf32>) -> tensor<16x64xf32> {
  %e = tensor.empty() : tensor<16x64xf32>
  %mm = linalg.matmul ins(%h, %w : tensor<16x32xf32>, tensor<32x64xf32>)
      outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %bb = linalg.broadcast ins(%b : tensor<64xf32>)
      outs(%e : tensor<16x64xf32>) dimensions = [0]
  %y = linalg.add ins(%mm, %bb : tensor<16x64xf32>, tensor<16x64xf32>)
      outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}

// -----

#row3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#bias3 = affine_map<(d0, d1, d2) -> (d2)>

// Batched: the bias is broadcast over batch and rows.
// CHECK-LABEL: func.func @batched
// CHECK-SAME: %[[B:[a-z0-9]+]]: tensor<64xf32>
// CHECK: %[[Y:.+]] = fp8.scaled_matmul {{.*}} bias(%[[B]] : tensor<64xf32>)
// CHECK-SAME: -> tensor<2x16x64xf32>
// CHECK-NOT: linalg.generic
// CHECK: return %[[Y]]
func.func @batched(%h: tensor<2x16x32xf32>, %w: tensor<2x32x64xf32>,
                   %b: tensor<64xf32>) -> tensor<2x16x64xf32> {
  %e = tensor.empty() : tensor<2x16x64xf32>
  %mm = linalg.batch_matmul ins(%h, %w : tensor<2x16x32xf32>, tensor<2x32x64xf32>)
      outs(%e : tensor<2x16x64xf32>) -> tensor<2x16x64xf32>
  %y = linalg.generic {indexing_maps = [#row3, #bias3, #row3],
                       iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%mm, %b : tensor<2x16x64xf32>, tensor<64xf32>)
      outs(%e : tensor<2x16x64xf32>) {
  ^bb0(%v: f32, %bi: f32, %out: f32):
    %s = arith.addf %v, %bi : f32
    linalg.yield %s : f32
  } -> tensor<2x16x64xf32>
  return %y : tensor<2x16x64xf32>
}

// -----

#row = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>

// A body that starts with the bias add and goes on (the first layer of
// examples/mlp.mlir, here a ReLU): the add moves into the matmul, the rest
// stays in an elementwise generic on the fused result.
// CHECK-LABEL: func.func @add_then_relu
// CHECK-SAME: %[[B:[a-z0-9]+]]: tensor<64xf32>
// CHECK: %[[MM:.+]] = fp8.scaled_matmul {{.*}} bias(%[[B]] : tensor<64xf32>)
// CHECK: %[[Y:.+]] = linalg.generic
// CHECK-SAME: ins(%[[MM]] : tensor<16x64xf32>)
// CHECK-NEXT: ^bb0(%[[Z:.+]]: f32, %{{.+}}: f32):
// CHECK-NEXT: %[[C0:.+]] = arith.constant 0.0
// CHECK-NEXT: %[[R:.+]] = arith.maximumf %[[Z]], %[[C0]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
// CHECK: return %[[Y]]
func.func @add_then_relu(%h: tensor<16x32xf32>, %w: tensor<32x64xf32>,
                         %b: tensor<64xf32>) -> tensor<16x64xf32> {
  %e = tensor.empty() : tensor<16x64xf32>
  %mm = linalg.matmul ins(%h, %w : tensor<16x32xf32>, tensor<32x64xf32>)
      outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %y = linalg.generic {indexing_maps = [#row, #bias, #row],
                       iterator_types = ["parallel", "parallel"]}
      ins(%mm, %b : tensor<16x64xf32>, tensor<64xf32>)
      outs(%e : tensor<16x64xf32>) {
  ^bb0(%v: f32, %bi: f32, %out: f32):
    %s = arith.addf %v, %bi : f32
    %c0 = arith.constant 0.0 : f32
    %r = arith.maximumf %s, %c0 : f32
    linalg.yield %r : f32
  } -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}

// -----

#row = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>

// A bf16 result is left alone: the IR rounds acc to bf16 and then the sum
// to bf16; the fused op would round acc + bias once.
// CHECK-LABEL: func.func @bf16_result
// CHECK: %[[MM:.+]] = fp8.scaled_matmul
// CHECK-NOT: bias(
// CHECK-SAME: -> tensor<16x64xbf16>
// CHECK: linalg.generic {{.*}} ins(%[[MM]], %{{.+}} : tensor<16x64xbf16>, tensor<64xbf16>)
func.func @bf16_result(%h: tensor<16x32xbf16>, %w: tensor<32x64xbf16>,
                       %b: tensor<64xbf16>) -> tensor<16x64xbf16> {
  %e = tensor.empty() : tensor<16x64xbf16>
  %mm = linalg.matmul ins(%h, %w : tensor<16x32xbf16>, tensor<32x64xbf16>)
      outs(%e : tensor<16x64xbf16>) -> tensor<16x64xbf16>
  // expected-remark @below {{bias add not fused into fp8.scaled_matmul: its result is 'bf16'}}
  %y = linalg.generic {indexing_maps = [#row, #bias, #row],
                       iterator_types = ["parallel", "parallel"]}
      ins(%mm, %b : tensor<16x64xbf16>, tensor<64xbf16>)
      outs(%e : tensor<16x64xbf16>) {
  ^bb0(%v: bf16, %bi: bf16, %out: bf16):
    %s = arith.addf %v, %bi : bf16
    linalg.yield %s : bf16
  } -> tensor<16x64xbf16>
  return %y : tensor<16x64xbf16>
}

// -----

#row = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>

// The matmul result is also used without the bias: both are needed.
// CHECK-LABEL: func.func @result_used_twice
// CHECK: %[[MM:.+]] = fp8.scaled_matmul
// CHECK-NOT: bias(
// CHECK-SAME: -> tensor<16x64xf32>
// CHECK: %[[Y:.+]] = linalg.generic {{.*}} ins(%[[MM]], %{{.+}} :
// CHECK: return %[[Y]], %[[MM]]
func.func @result_used_twice(%h: tensor<16x32xf32>, %w: tensor<32x64xf32>,
                             %b: tensor<64xf32>)
    -> (tensor<16x64xf32>, tensor<16x64xf32>) {
  %e = tensor.empty() : tensor<16x64xf32>
  %mm = linalg.matmul ins(%h, %w : tensor<16x32xf32>, tensor<32x64xf32>)
      outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %y = linalg.generic {indexing_maps = [#row, #bias, #row],
                       iterator_types = ["parallel", "parallel"]}
      ins(%mm, %b : tensor<16x64xf32>, tensor<64xf32>)
      outs(%e : tensor<16x64xf32>) {
  ^bb0(%v: f32, %bi: f32, %out: f32):
    %s = arith.addf %v, %bi : f32
    linalg.yield %s : f32
  } -> tensor<16x64xf32>
  return %y, %mm : tensor<16x64xf32>, tensor<16x64xf32>
}

// -----

#row = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d0)>

// A bias per row (broadcast along columns) is not scaled_matmul's bias[n].
// CHECK-LABEL: func.func @column_bias
// CHECK: fp8.scaled_matmul
// CHECK-NOT: bias(
// CHECK-SAME: -> tensor<16x64xf32>
// CHECK: linalg.generic
func.func @column_bias(%h: tensor<16x32xf32>, %w: tensor<32x64xf32>,
                       %b: tensor<16xf32>) -> tensor<16x64xf32> {
  %e = tensor.empty() : tensor<16x64xf32>
  %mm = linalg.matmul ins(%h, %w : tensor<16x32xf32>, tensor<32x64xf32>)
      outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %y = linalg.generic {indexing_maps = [#row, #col, #row],
                       iterator_types = ["parallel", "parallel"]}
      ins(%mm, %b : tensor<16x64xf32>, tensor<16xf32>)
      outs(%e : tensor<16x64xf32>) {
  ^bb0(%v: f32, %bi: f32, %out: f32):
    %s = arith.addf %v, %bi : f32
    linalg.yield %s : f32
  } -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}

// -----

#row = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>

// Not an add of the two inputs alone: the body also reads the init.
// CHECK-LABEL: func.func @reads_init
// CHECK: fp8.scaled_matmul
// CHECK-NOT: bias(
// CHECK-SAME: -> tensor<16x64xf32>
// CHECK: linalg.generic
func.func @reads_init(%h: tensor<16x32xf32>, %w: tensor<32x64xf32>,
                      %b: tensor<64xf32>, %c: tensor<16x64xf32>)
    -> tensor<16x64xf32> {
  %e = tensor.empty() : tensor<16x64xf32>
  %mm = linalg.matmul ins(%h, %w : tensor<16x32xf32>, tensor<32x64xf32>)
      outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %y = linalg.generic {indexing_maps = [#row, #bias, #row],
                       iterator_types = ["parallel", "parallel"]}
      ins(%mm, %b : tensor<16x64xf32>, tensor<64xf32>)
      outs(%c : tensor<16x64xf32>) {
  ^bb0(%v: f32, %bi: f32, %out: f32):
    %s = arith.addf %v, %bi : f32
    %t = arith.addf %s, %out : f32
    linalg.yield %t : f32
  } -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}
