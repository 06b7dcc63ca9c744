func.func @kernel(%a: tensor<256x4096xf8E5M2>, %sa: tensor<f32>, %b: tensor<256x4096xf8E4M3FN>, %sb: tensor<f32>) -> (tensor<256x256xf32>) {
  %r0 = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b} : tensor<256x4096xf8E5M2>, tensor<f32>, tensor<256x4096xf8E4M3FN>, tensor<f32> -> tensor<256x256xf32>
  return %r0 : tensor<256x256xf32>
}
