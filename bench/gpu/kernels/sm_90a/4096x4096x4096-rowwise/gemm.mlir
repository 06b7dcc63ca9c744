func.func @gemm(%a: tensor<4096x4096xf8E4M3FN>, %sa: tensor<4096x1xf32>, %b: tensor<4096x4096xf8E4M3FN>, %sb: tensor<4096x1xf32>) -> (tensor<4096x4096xbf16>) {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<4096x4096xf8E4M3FN>, tensor<4096x1xf32>, tensor<4096x4096xf8E4M3FN>, tensor<4096x1xf32> -> tensor<4096x4096xbf16>
  return %d : tensor<4096x4096xbf16>
}
