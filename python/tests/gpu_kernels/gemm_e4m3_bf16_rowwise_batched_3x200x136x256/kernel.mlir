func.func @kernel(%a: tensor<3x200x256xf8E4M3FN>, %sa: tensor<3x200x1xf32>, %b: tensor<3x136x256xf8E4M3FN>, %sb: tensor<3x136x1xf32>) -> (tensor<3x200x136xbf16>) {
  %r0 = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b} : tensor<3x200x256xf8E4M3FN>, tensor<3x200x1xf32>, tensor<3x136x256xf8E4M3FN>, tensor<3x136x1xf32> -> tensor<3x200x136xbf16>
  return %r0 : tensor<3x200x136xbf16>
}
