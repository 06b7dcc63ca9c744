func.func @gemm(%a: tensor<8192x8192xf8E4M3FN>, %sa: tensor<8192x64xf32>, %b: tensor<8192x8192xf8E4M3FN>, %sb: tensor<64x64xf32>) -> (tensor<8192x8192xbf16>) {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<8192x8192xf8E4M3FN>, tensor<8192x64xf32>, tensor<8192x8192xf8E4M3FN>, tensor<64x64xf32> -> tensor<8192x8192xbf16>
  return %d : tensor<8192x8192xbf16>
}
