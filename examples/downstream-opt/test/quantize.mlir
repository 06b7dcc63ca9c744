// The installed fp8-mlir quantizes a matmul inside a downstream tool.
// RUN: downstream-opt %s --fp8-quantize-pipeline="recipe=tensorwise" | FileCheck %s

// CHECK-LABEL: func.func @linear
// CHECK-DAG: fp8.amax %{{.*}} {scaling = #fp8.scaling<tensor>}
// CHECK-DAG: fp8.quantize {{.*}} -> tensor<128x256xf8E4M3FN>
// CHECK: fp8.scaled_matmul {{.*}} -> tensor<128x64xf32>
// CHECK-NOT: linalg.matmul
func.func @linear(%x: tensor<128x256xf32>, %w: tensor<256x64xf32>) -> tensor<128x64xf32> {
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<128x64xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<128x64xf32>) -> tensor<128x64xf32>
  %y = linalg.matmul ins(%x, %w : tensor<128x256xf32>, tensor<256x64xf32>)
      outs(%acc : tensor<128x64xf32>) -> tensor<128x64xf32>
  return %y : tensor<128x64xf32>
}
