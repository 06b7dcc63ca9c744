func.func @gemm(%a: tensor<8192x4096xf8E4M3FN>, %sa: tensor<8192x32xf32>, %b: tensor<28672x4096xf8E4M3FN>, %sb: tensor<224x32xf32>) -> (tensor<8192x28672xbf16>) {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<8192x4096xf8E4M3FN>, tensor<8192x32xf32>, tensor<28672x4096xf8E4M3FN>, tensor<224x32xf32> -> tensor<8192x28672xbf16>
  return %d : tensor<8192x28672xbf16>
}
