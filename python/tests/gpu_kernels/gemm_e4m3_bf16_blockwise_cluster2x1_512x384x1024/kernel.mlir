func.func @kernel(%a: tensor<512x1024xf8E4M3FN>, %sa: tensor<512x8xf32>, %b: tensor<384x1024xf8E4M3FN>, %sb: tensor<3x8xf32>) -> (tensor<512x384xbf16>) {
  %r0 = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b} : tensor<512x1024xf8E4M3FN>, tensor<512x8xf32>, tensor<384x1024xf8E4M3FN>, tensor<3x8xf32> -> tensor<512x384xbf16>
  return %r0 : tensor<512x384xbf16>
}
