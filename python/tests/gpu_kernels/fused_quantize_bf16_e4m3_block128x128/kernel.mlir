func.func @kernel(%x: tensor<512x768xbf16>) -> (tensor<512x768xf8E4M3FN>, tensor<4x6xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [128, 128]>} : tensor<512x768xbf16> -> tensor<4x6xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<4x6xf32> -> tensor<4x6xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [128, 128]>} : tensor<512x768xbf16>, tensor<4x6xf32> -> tensor<512x768xf8E4M3FN>
  return %q, %s : tensor<512x768xf8E4M3FN>, tensor<4x6xf32>
}
