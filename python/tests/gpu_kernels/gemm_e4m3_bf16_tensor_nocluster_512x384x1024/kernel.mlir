func.func @kernel(%a: tensor<512x1024xf8E4M3FN>, %sa: tensor<f32>, %b: tensor<384x1024xf8E4M3FN>, %sb: tensor<f32>) -> (tensor<512x384xbf16>) {
  %r0 = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b} : tensor<512x1024xf8E4M3FN>, tensor<f32>, tensor<384x1024xf8E4M3FN>, tensor<f32> -> tensor<512x384xbf16>
  return %r0 : tensor<512x384xbf16>
}
