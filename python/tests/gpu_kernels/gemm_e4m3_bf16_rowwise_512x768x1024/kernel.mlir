func.func @kernel(%a: tensor<512x1024xf8E4M3FN>, %sa: tensor<512x1xf32>, %b: tensor<768x1024xf8E4M3FN>, %sb: tensor<768x1xf32>) -> (tensor<512x768xbf16>) {
  %r0 = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b} : tensor<512x1024xf8E4M3FN>, tensor<512x1xf32>, tensor<768x1024xf8E4M3FN>, tensor<768x1xf32> -> tensor<512x768xbf16>
  return %r0 : tensor<512x768xbf16>
}
