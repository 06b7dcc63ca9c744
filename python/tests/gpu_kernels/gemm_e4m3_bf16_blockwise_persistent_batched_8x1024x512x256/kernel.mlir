func.func @kernel(%a: tensor<8x1024x256xf8E4M3FN>, %sa: tensor<8x1024x2xf32>, %b: tensor<8x512x256xf8E4M3FN>, %sb: tensor<8x4x2xf32>) -> (tensor<8x1024x512xbf16>) {
  %r0 = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b} : tensor<8x1024x256xf8E4M3FN>, tensor<8x1024x2xf32>, tensor<8x512x256xf8E4M3FN>, tensor<8x4x2xf32> -> tensor<8x1024x512xbf16>
  return %r0 : tensor<8x1024x512xbf16>
}
