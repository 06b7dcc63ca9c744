func.func @kernel(%x: tensor<128x256xf32>) -> (tensor<128x256xf8E4M3FN>, tensor<128x8xf8E8M0FNU>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 32]>} : tensor<128x256xf32> -> tensor<128x8xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<128x8xf32> -> tensor<128x8xf8E8M0FNU>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>} : tensor<128x256xf32>, tensor<128x8xf8E8M0FNU> -> tensor<128x256xf8E4M3FN>
  return %q, %s : tensor<128x256xf8E4M3FN>, tensor<128x8xf8E8M0FNU>
}
