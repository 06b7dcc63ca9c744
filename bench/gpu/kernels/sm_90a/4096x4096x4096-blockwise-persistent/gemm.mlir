func.func @gemm(%a: tensor<4096x4096xf8E4M3FN>, %sa: tensor<4096x32xf32>, %b: tensor<4096x4096xf8E4M3FN>, %sb: tensor<32x32xf32>) -> (tensor<4096x4096xbf16>) {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<4096x4096xf8E4M3FN>, tensor<4096x32xf32>, tensor<4096x4096xf8E4M3FN>, tensor<32x32xf32> -> tensor<4096x4096xbf16>
  return %d : tensor<4096x4096xbf16>
}
