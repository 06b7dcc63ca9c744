func.func @kernel(%x: tensor<512x1024xbf16>) -> (tensor<512x8xf32>) {
  %r0 = fp8.amax %x {scaling = #fp8.scaling<block [1, 128]>} : tensor<512x1024xbf16> -> tensor<512x8xf32>
  return %r0 : tensor<512x8xf32>
}
