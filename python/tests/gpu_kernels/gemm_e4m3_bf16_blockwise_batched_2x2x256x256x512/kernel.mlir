func.func @kernel(%a: tensor<2x2x256x512xf8E4M3FN>, %sa: tensor<2x2x256x4xf32>, %b: tensor<2x2x256x512xf8E4M3FN>, %sb: tensor<2x2x2x4xf32>) -> (tensor<2x2x256x256xbf16>) {
  %r0 = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b} : tensor<2x2x256x512xf8E4M3FN>, tensor<2x2x256x4xf32>, tensor<2x2x256x512xf8E4M3FN>, tensor<2x2x2x4xf32> -> tensor<2x2x256x256xbf16>
  return %r0 : tensor<2x2x256x256xbf16>
}
