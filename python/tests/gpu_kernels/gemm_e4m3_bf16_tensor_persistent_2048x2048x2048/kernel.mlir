func.func @kernel(%a: tensor<2048x2048xf8E4M3FN>, %sa: tensor<f32>, %b: tensor<2048x2048xf8E4M3FN>, %sb: tensor<f32>) -> (tensor<2048x2048xbf16>) {
  %r0 = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b} : tensor<2048x2048xf8E4M3FN>, tensor<f32>, tensor<2048x2048xf8E4M3FN>, tensor<f32> -> tensor<2048x2048xbf16>
  return %r0 : tensor<2048x2048xbf16>
}
