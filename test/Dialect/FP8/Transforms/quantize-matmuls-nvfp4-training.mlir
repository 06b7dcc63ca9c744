// NVFP4 training (Transformer Engine's NVFP4BlockScaling): the random
// Hadamard transform on both operands of weight-gradient matmuls only, and
// stochastic rounding of gradients, each on by default and switched off by
// a recipe field.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-quantize-matmuls=recipe=nvfp4 | FileCheck %s
// RUN: fp8-opt %s -split-input-file --fp8-quantize-matmuls="recipe=nvfp4,rht=off" | FileCheck %s --check-prefix=NORHT
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-quantize-matmuls="recipe=nvfp4,sr=off" | FileCheck %s --check-prefix=NOSR
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-quantize-matmuls="recipe=nvfp4,sr-seed=99" | FileCheck %s --check-prefix=SEED

// dW = X^T dY (activation x gradient, K = 128 tokens) gets fp8.hadamard on
// both K-major operands (X^T and dY^T); dX = dY W (gradient x weight) gets
// none. Both quantizes of dY round stochastically, with distinct offsets;
// X is not a gradient and rounds to nearest.
// CHECK-LABEL: func.func @backward
// CHECK-SAME: (%[[X:[^:]*]]: tensor<128x64xf32> {{.*}}, %[[W:[^:]*]]: tensor<32x64xf32> {{.*}}, %[[DY:[^:]*]]: tensor<128x32xf32>
// CHECK-DAG: %[[HX:.*]] = fp8.hadamard %{{.*}} {signs = array<i1: false, false, false, true, false, true, true, true, true, true, true, false, true, false, true, true>} : tensor<64x128xf32> -> tensor<64x128xf32>
// CHECK-DAG: %[[HG:.*]] = fp8.hadamard %{{.*}} {signs = array<i1: false, false, false, true, false, true, true, true, true, true, true, false, true, false, true, true>} : tensor<32x128xf32> -> tensor<32x128xf32>
// CHECK-DAG: %[[QX:.*]] = fp8.quantize %[[HX]], %{{.*}} global(%{{.*}} : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>} : tensor<64x128xf32>
// CHECK-DAG: %[[QG:.*]] = fp8.quantize %[[HG]], %{{.*}} global(%{{.*}} : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>, sr_offset = {{[0-9]+}} : i64, sr_seed = 24301 : i64} : tensor<32x128xf32>
// CHECK-DAG: %[[QD:.*]] = fp8.quantize %[[DY]], %{{.*}} global(%{{.*}} : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>, sr_offset = {{[0-9]+}} : i64, sr_seed = 24301 : i64} : tensor<128x32xf32>
// CHECK-DAG: fp8.scaled_matmul %[[QX]], %{{.*}}, %[[QG]], {{.*}} -> tensor<64x32xf32>
// CHECK-DAG: fp8.scaled_matmul %[[QD]], {{.*}} -> tensor<128x64xf32>
// CHECK-NOT: fp8.hadamard
// NORHT-LABEL: func.func @backward
// NORHT-NOT: fp8.hadamard
// NORHT-COUNT-2: sr_seed = 24301
// NOSR-LABEL: func.func @backward
// NOSR-COUNT-2: fp8.hadamard
// NOSR-NOT: sr_seed
// SEED-LABEL: func.func @backward
// SEED-COUNT-2: sr_seed = 99 : i64
func.func @backward(%x: tensor<128x64xf32> {fp8.role = #fp8.role<activation>},
                    %w: tensor<32x64xf32> {fp8.role = #fp8.role<weight>},
                    %dy: tensor<128x32xf32> {fp8.role = #fp8.role<gradient>})
    -> (tensor<64x32xf32>, tensor<128x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<64x128xf32>
  %xt = linalg.transpose ins(%x : tensor<128x64xf32>) outs(%e0 : tensor<64x128xf32>) permutation = [1, 0]
  %e1 = tensor.empty() : tensor<64x32xf32>
  %c1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<64x32xf32>) -> tensor<64x32xf32>
  %dw = linalg.matmul ins(%xt, %dy : tensor<64x128xf32>, tensor<128x32xf32>)
      outs(%c1 : tensor<64x32xf32>) -> tensor<64x32xf32>
  %e2 = tensor.empty() : tensor<128x64xf32>
  %c2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<128x64xf32>) -> tensor<128x64xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<128x32xf32>, tensor<32x64xf32>)
      outs(%c2 : tensor<128x64xf32>) -> tensor<128x64xf32>
  return %dw, %dx : tensor<64x32xf32>, tensor<128x64xf32>
}

// -----

// A forward matmul (activation x weight) gets neither.
// CHECK-LABEL: func.func @forward
// CHECK-NOT: fp8.hadamard
// CHECK-NOT: sr_seed
// CHECK: fp8.scaled_matmul
func.func @forward(%x: tensor<128x64xf32> {fp8.role = #fp8.role<activation>},
                   %w: tensor<64x32xf32> {fp8.role = #fp8.role<weight>}) -> tensor<128x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<128x32xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<128x32xf32>) -> tensor<128x32xf32>
  %y = linalg.matmul ins(%x, %w : tensor<128x64xf32>, tensor<64x32xf32>)
      outs(%c : tensor<128x32xf32>) -> tensor<128x32xf32>
  return %y : tensor<128x32xf32>
}

// -----

// A weight gradient whose K (24 tokens) is no multiple of 16 is quantized
// without the transform, with a remark.
// CHECK-LABEL: func.func @ragged_tokens
// CHECK-NOT: fp8.hadamard
// CHECK: fp8.scaled_matmul
func.func @ragged_tokens(%xt: tensor<64x24xf32> {fp8.role = #fp8.role<activation>},
                         %dy: tensor<24x32xf32> {fp8.role = #fp8.role<gradient>}) -> tensor<64x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x32xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<64x32xf32>) -> tensor<64x32xf32>
  // expected-remark @+1 {{weight gradient quantized without the random Hadamard transform: K = 24 is not a static multiple of 16}}
  %dw = linalg.matmul ins(%xt, %dy : tensor<64x24xf32>, tensor<24x32xf32>)
      outs(%c : tensor<64x32xf32>) -> tensor<64x32xf32>
  return %dw : tensor<64x32xf32>
}
