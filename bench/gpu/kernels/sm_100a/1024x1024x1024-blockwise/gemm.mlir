func.func @gemm(%a: tensor<1024x1024xf8E4M3FN>, %sa: tensor<1024x8xf32>, %b: tensor<1024x1024xf8E4M3FN>, %sb: tensor<8x8xf32>) -> (tensor<1024x1024xbf16>) {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<1024x1024xf8E4M3FN>, tensor<1024x8xf32>, tensor<1024x1024xf8E4M3FN>, tensor<8x8xf32> -> tensor<1024x1024xbf16>
  return %d : tensor<1024x1024xbf16>
}
