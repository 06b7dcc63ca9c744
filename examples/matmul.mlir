// One f32 matmul, D = A B, as a frontend emits it: the smallest input of the
// quantize pipeline (used by the Python example in README.md).
func.func @matmul(%a: tensor<256x512xf32>, %b: tensor<512x128xf32>) -> tensor<256x128xf32> {
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<256x128xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<256x128xf32>) -> tensor<256x128xf32>
  %d = linalg.matmul ins(%a, %b : tensor<256x512xf32>, tensor<512x128xf32>)
      outs(%acc : tensor<256x128xf32>) -> tensor<256x128xf32>
  return %d : tensor<256x128xf32>
}
