func.func @kernel(%a: tensor<1000x1040xf8E4M3FN>, %sa: tensor<1000x1xf32>, %b: tensor<2050x1040xf8E5M2>, %sb: tensor<2050x1xf32>, %bias: tensor<2050xbf16>, %os: tensor<f32>) -> (tensor<1000x2050xf8E4M3FN>, tensor<f32>) {
  %r0, %r1 = fp8.scaled_matmul %a, %sa, %b, %sb bias(%bias : tensor<2050xbf16>) out_scale(%os : tensor<f32>) {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b} : tensor<1000x1040xf8E4M3FN>, tensor<1000x1xf32>, tensor<2050x1040xf8E5M2>, tensor<2050x1xf32> -> tensor<1000x2050xf8E4M3FN>, tensor<f32>
  return %r0, %r1 : tensor<1000x2050xf8E4M3FN>, tensor<f32>
}
