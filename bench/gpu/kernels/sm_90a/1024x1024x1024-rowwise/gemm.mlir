func.func @gemm(%a: tensor<1024x1024xf8E4M3FN>, %sa: tensor<1024x1xf32>, %b: tensor<1024x1024xf8E4M3FN>, %sb: tensor<1024x1xf32>) -> (tensor<1024x1024xbf16>) {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<1024x1024xf8E4M3FN>, tensor<1024x1xf32>, tensor<1024x1024xf8E4M3FN>, tensor<1024x1xf32> -> tensor<1024x1024xbf16>
  return %d : tensor<1024x1024xbf16>
}
