func.func @gemm(%a: tensor<16384x8192xf8E4M3FN>, %sa: tensor<f32>, %b: tensor<8192x8192xf8E4M3FN>, %sb: tensor<f32>) -> (tensor<16384x8192xbf16>) {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<16384x8192xf8E4M3FN>, tensor<f32>, tensor<8192x8192xf8E4M3FN>, tensor<f32> -> tensor<16384x8192xbf16>
  return %d : tensor<16384x8192xbf16>
}
