// Gradient x gradient matmuls: hybrid formats never pair E5M2 with E5M2, so
// such a matmul stays in high precision (with a remark) rather than silently
// degrading one gradient to E4M3; all-E4M3 formats quantize it.
// RUN: fp8-opt %s -verify-diagnostics --fp8-quantize-matmuls=recipe=tensorwise | FileCheck %s --check-prefix=HYBRID
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise,formats=e4m3 | FileCheck %s --check-prefix=E4M3
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=blockwise | FileCheck %s --check-prefix=E4M3

// HYBRID-LABEL: func.func @gradient_by_gradient
// HYBRID: linalg.matmul
// HYBRID-NOT: fp8.scaled_matmul
// E4M3-LABEL: func.func @gradient_by_gradient
// E4M3: fp8.scaled_matmul {{.*}} : tensor<128x128xf8E4M3FN>, {{.*}}, tensor<128x128xf8E4M3FN>, {{.*}} -> tensor<128x128xf32>
func.func @gradient_by_gradient(
    %g1: tensor<128x128xf32> {fp8.role = #fp8.role<gradient>},
    %g2: tensor<128x128xf32> {fp8.role = #fp8.role<gradient>})
    -> tensor<128x128xf32> {
  %e = tensor.empty() : tensor<128x128xf32>
  // expected-remark @+1 {{not quantized to FP8: both operands are gradients and hybrid formats never pair E5M2 with E5M2; use formats=e4m3 to quantize it}}
  %r = linalg.matmul ins(%g1, %g2 : tensor<128x128xf32>, tensor<128x128xf32>)
      outs(%e : tensor<128x128xf32>) -> tensor<128x128xf32>
  return %r : tensor<128x128xf32>
}
