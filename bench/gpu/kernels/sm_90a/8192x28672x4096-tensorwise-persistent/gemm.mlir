func.func @gemm(%a: tensor<8192x4096xf8E4M3FN>, %sa: tensor<f32>, %b: tensor<28672x4096xf8E4M3FN>, %sb: tensor<f32>) -> (tensor<8192x28672xbf16>) {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<8192x4096xf8E4M3FN>, tensor<f32>, tensor<28672x4096xf8E4M3FN>, tensor<f32> -> tensor<8192x28672xbf16>
  return %d : tensor<8192x28672xbf16>
}
