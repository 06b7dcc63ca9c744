func.func @gemm(%a: tensor<8192x4096xf8E4M3FN>, %sa: tensor<8192x128xf8E8M0FNU>, %b: tensor<28672x4096xf8E4M3FN>, %sb: tensor<28672x128xf8E8M0FNU>) -> (tensor<8192x28672xbf16>) {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<8192x4096xf8E4M3FN>, tensor<8192x128xf8E8M0FNU>, tensor<28672x4096xf8E4M3FN>, tensor<28672x128xf8E8M0FNU> -> tensor<8192x28672xbf16>
  return %d : tensor<8192x28672xbf16>
}
