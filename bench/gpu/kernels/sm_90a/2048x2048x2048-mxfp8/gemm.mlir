func.func @gemm(%a: tensor<2048x2048xf8E4M3FN>, %sa: tensor<2048x64xf8E8M0FNU>, %b: tensor<2048x2048xf8E4M3FN>, %sb: tensor<2048x64xf8E8M0FNU>) -> (tensor<2048x2048xbf16>) {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<2048x2048xf8E4M3FN>, tensor<2048x64xf8E8M0FNU>, tensor<2048x2048xf8E4M3FN>, tensor<2048x64xf8E8M0FNU> -> tensor<2048x2048xbf16>
  return %d : tensor<2048x2048xbf16>
}
