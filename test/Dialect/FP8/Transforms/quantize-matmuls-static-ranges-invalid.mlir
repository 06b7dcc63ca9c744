// static-ranges takes on or off; anything else is a located error.
// RUN: not fp8-opt %s --fp8-quantize-matmuls="recipe=tensorwise static-ranges=maybe" 2>&1 | FileCheck %s
// RUN: not fp8-opt %s --fp8-quantize-pipeline="recipe=tensorwise static-ranges=yes" 2>&1 | FileCheck %s --check-prefix=PIPELINE

// CHECK: quantize-matmuls-static-ranges-invalid.mlir:{{[0-9]+}}:{{[0-9]+}}: error: fp8-quantize-matmuls: static-ranges must be on or off, not 'maybe'
// PIPELINE: error: fp8-quantize-matmuls: static-ranges must be on or off, not 'yes'
module {
  func.func @f(%x: tensor<8x16xf32>, %w: tensor<16x16xf32>) -> tensor<8x16xf32> {
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<8x16xf32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
    %y = linalg.matmul ins(%x, %w : tensor<8x16xf32>, tensor<16x16xf32>)
        outs(%z : tensor<8x16xf32>) -> tensor<8x16xf32>
    return %y : tensor<8x16xf32>
  }
}
