func.func @gemm(%a: tensor<2048x2048xf8E4M3FN>, %sa: tensor<2048x16xf32>, %b: tensor<2048x2048xf8E4M3FN>, %sb: tensor<16x16xf32>) -> (tensor<2048x2048xbf16>) {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<2048x2048xf8E4M3FN>, tensor<2048x16xf32>, tensor<2048x2048xf8E4M3FN>, tensor<16x16xf32> -> tensor<2048x2048xbf16>
  return %d : tensor<2048x2048xbf16>
}
