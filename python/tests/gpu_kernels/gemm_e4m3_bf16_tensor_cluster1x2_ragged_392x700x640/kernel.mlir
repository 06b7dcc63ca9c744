func.func @kernel(%a: tensor<392x640xf8E4M3FN>, %sa: tensor<f32>, %b: tensor<700x640xf8E4M3FN>, %sb: tensor<f32>) -> (tensor<392x700xbf16>) {
  %r0 = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b} : tensor<392x640xf8E4M3FN>, tensor<f32>, tensor<700x640xf8E4M3FN>, tensor<f32> -> tensor<392x700xbf16>
  return %r0 : tensor<392x700xbf16>
}
