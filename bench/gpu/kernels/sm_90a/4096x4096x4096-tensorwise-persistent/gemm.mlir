func.func @gemm(%a: tensor<4096x4096xf8E4M3FN>, %sa: tensor<f32>, %b: tensor<4096x4096xf8E4M3FN>, %sb: tensor<f32>) -> (tensor<4096x4096xbf16>) {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<4096x4096xf8E4M3FN>, tensor<f32>, tensor<4096x4096xf8E4M3FN>, tensor<f32> -> tensor<4096x4096xbf16>
  return %d : tensor<4096x4096xbf16>
}
