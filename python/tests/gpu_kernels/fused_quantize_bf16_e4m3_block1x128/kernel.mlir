func.func @kernel(%x: tensor<256x512xbf16>) -> (tensor<256x512xf8E4M3FN>, tensor<256x4xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 128]>} : tensor<256x512xbf16> -> tensor<256x4xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<256x4xf32> -> tensor<256x4xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 128]>} : tensor<256x512xbf16>, tensor<256x4xf32> -> tensor<256x512xf8E4M3FN>
  return %q, %s : tensor<256x512xf8E4M3FN>, tensor<256x4xf32>
}
