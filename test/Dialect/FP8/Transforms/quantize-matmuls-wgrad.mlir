// Weight gradients kept in high precision (recipe field `wgrad`, torchao's
// rowwise_with_gw_hp) and matmuls marked `fp8.high_precision`.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-quantize-matmuls="recipe=rowwise,wgrad=bf16" | FileCheck %s --check-prefix=BF16
// RUN: fp8-opt %s -split-input-file --fp8-quantize-matmuls="recipe=rowwise,wgrad=f32" 2>&1 | FileCheck %s --check-prefix=F32
// RUN: fp8-opt %s -split-input-file --fp8-quantize-matmuls="recipe=rowwise" 2>&1 | FileCheck %s --check-prefix=DEFAULT

// dW = X^T dY (activation x gradient): with wgrad=bf16 its f32 operands
// are rounded to bf16 and the matmul accumulates into its f32 result; the
// data-gradient matmul dX = dY W (gradient x weight) is still FP8.
// BF16-LABEL: func.func @backward
// BF16-SAME: (%[[X:[^:]*]]: tensor<128x64xf32> {{.*}}, %[[DY:[^:]*]]: tensor<128x32xf32>
// BF16: %[[XT:.*]] = linalg.transpose ins(%[[X]] : tensor<128x64xf32>)
// BF16: %[[XB:.*]] = arith.truncf %[[XT]] : tensor<64x128xf32> to tensor<64x128xbf16>
// BF16: %[[GB:.*]] = arith.truncf %[[DY]] : tensor<128x32xf32> to tensor<128x32xbf16>
// BF16: %[[DW:.*]] = linalg.matmul ins(%[[XB]], %[[GB]] : tensor<64x128xbf16>, tensor<128x32xbf16>) outs(%{{.*}} : tensor<64x32xf32>)
// BF16: %[[DX:.*]] = fp8.scaled_matmul
// BF16: return %[[DW]], %[[DX]]
// With wgrad=f32 the f32 operands are already f32: the matmul stays as is.
// F32: remark: not quantized to FP8: a weight gradient, computed in f32 (wgrad = f32)
// F32-LABEL: func.func @backward
// F32-NOT: arith.truncf
// F32: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<64x128xf32>, tensor<128x32xf32>)
// F32-COUNT-1: fp8.scaled_matmul
// By default both matmuls are FP8.
// DEFAULT-LABEL: func.func @backward
// DEFAULT-COUNT-2: fp8.scaled_matmul
func.func @backward(%x: tensor<128x64xf32> {fp8.role = #fp8.role<activation>},
                    %w: tensor<32x64xf32> {fp8.role = #fp8.role<weight>},
                    %dy: tensor<128x32xf32> {fp8.role = #fp8.role<gradient>})
    -> (tensor<64x32xf32>, tensor<128x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<64x128xf32>
  %xt = linalg.transpose ins(%x : tensor<128x64xf32>) outs(%e0 : tensor<64x128xf32>) permutation = [1, 0]
  %e1 = tensor.empty() : tensor<64x32xf32>
  %c1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<64x32xf32>) -> tensor<64x32xf32>
  // expected-remark @+1 {{not quantized to FP8: a weight gradient, computed in bf16 (wgrad = bf16)}}
  %dw = linalg.matmul ins(%xt, %dy : tensor<64x128xf32>, tensor<128x32xf32>)
      outs(%c1 : tensor<64x32xf32>) -> tensor<64x32xf32>
  %e2 = tensor.empty() : tensor<128x64xf32>
  %c2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<128x64xf32>) -> tensor<128x64xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<128x32xf32>, tensor<32x64xf32>)
      outs(%c2 : tensor<128x64xf32>) -> tensor<128x64xf32>
  return %dw, %dx : tensor<64x32xf32>, tensor<128x64xf32>
}

// -----

// A matmul marked fp8.high_precision is left alone, under every recipe.
// BF16-LABEL: func.func @marked
// BF16: linalg.matmul {fp8.high_precision}
// BF16-NOT: fp8.
// DEFAULT-LABEL: func.func @marked
// DEFAULT-NOT: fp8.scaled_matmul
func.func @marked(%a: tensor<16x32xf32>, %b: tensor<32x16xf32>) -> tensor<16x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x16xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<16x16xf32>) -> tensor<16x16xf32>
  // expected-remark @+1 {{not quantized to FP8: it is marked fp8.high_precision}}
  %y = linalg.matmul {fp8.high_precision} ins(%a, %b : tensor<16x32xf32>, tensor<32x16xf32>)
      outs(%c : tensor<16x16xf32>) -> tensor<16x16xf32>
  return %y : tensor<16x16xf32>
}
