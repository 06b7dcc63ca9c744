func.func @kernel(%q: tensor<256x1024xf8E4M3FN>, %s: tensor<256x8xf32>) -> (tensor<256x1024xbf16>) {
  %r0 = fp8.dequantize %q, %s {scaling = #fp8.scaling<block [1, 128]>} : tensor<256x1024xf8E4M3FN>, tensor<256x8xf32> -> tensor<256x1024xbf16>
  return %r0 : tensor<256x1024xbf16>
}
