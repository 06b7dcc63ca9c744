// The size threshold of fp8-quantize-matmuls: matmuls with fewer than
// min-flops = 2 * batch * M * N * K flops stay in high precision, with a remark.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-quantize-matmuls=recipe=tensorwise,min-flops=1048576 | FileCheck %s
// The same threshold from the module's recipe.
// RUN: sed -e 's/^module {/module attributes {fp8.recipe = #fp8.recipe<tensorwise, min_flops = 1048576>} {/' %s | fp8-opt -split-input-file -verify-diagnostics --fp8-quantize-matmuls | FileCheck %s

// 2*64*64*128 = 1048576 flops is quantized, 2*64*64*127 = 1040384 is not.
// CHECK-LABEL: func.func @size_threshold
// CHECK: fp8.scaled_matmul {{.*}} : tensor<64x128xf8E4M3FN>
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<64x127xf32>, tensor<127x64xf32>)
module {
func.func @size_threshold(%a: tensor<64x128xf32>, %b: tensor<128x64xf32>,
                          %c: tensor<64x127xf32>, %d: tensor<127x64xf32>)
    -> (tensor<64x64xf32>, tensor<64x64xf32>) {
  %e = tensor.empty() : tensor<64x64xf32>
  %big = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x64xf32>)
      outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
  // expected-remark @+1 {{not quantized to FP8: 2*M*N*K = 1040384 flops is below min-flops = 1048576}}
  %small = linalg.matmul ins(%c, %d : tensor<64x127xf32>, tensor<127x64xf32>)
      outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %big, %small : tensor<64x64xf32>, tensor<64x64xf32>
}
}

// -----

// Batch dims count: 2*4*32*32*64 = 524288 flops.
// CHECK-LABEL: func.func @batched_threshold
// CHECK: linalg.batch_matmul
// CHECK-NOT: fp8.scaled_matmul
module {
func.func @batched_threshold(%a: tensor<4x32x64xf32>, %b: tensor<4x64x32xf32>)
    -> tensor<4x32x32xf32> {
  %e = tensor.empty() : tensor<4x32x32xf32>
  // expected-remark @+1 {{not quantized to FP8: 2*M*N*K = 524288 flops is below min-flops = 1048576}}
  %r = linalg.batch_matmul ins(%a, %b : tensor<4x32x64xf32>, tensor<4x64x32xf32>)
      outs(%e : tensor<4x32x32xf32>) -> tensor<4x32x32xf32>
  return %r : tensor<4x32x32xf32>
}
}

// -----

// With min-flops set, a dynamic size cannot be compared.
// CHECK-LABEL: func.func @dynamic_with_threshold
// CHECK: linalg.matmul
// CHECK-NOT: fp8.scaled_matmul
module {
func.func @dynamic_with_threshold(%a: tensor<?x128xf32>, %b: tensor<128x64xf32>,
                                  %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-remark @+1 {{not quantized to FP8: dynamic shape; its flops cannot be compared with min-flops = 1048576}}
  %r = linalg.matmul ins(%a, %b : tensor<?x128xf32>, tensor<128x64xf32>)
      outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %r : tensor<?x64xf32>
}
}
