func.func @gemm(%a: tensor<16384x8192xf8E4M3FN>, %sa: tensor<16384x1xf32>, %b: tensor<8192x8192xf8E4M3FN>, %sb: tensor<8192x1xf32>) -> (tensor<16384x8192xbf16>) {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<16384x8192xf8E4M3FN>, tensor<16384x1xf32>, tensor<8192x8192xf8E4M3FN>, tensor<8192x1xf32> -> tensor<16384x8192xbf16>
  return %d : tensor<16384x8192xbf16>
}
