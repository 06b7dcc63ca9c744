func.func @kernel(%x: tensor<256x512xf32>, %s: tensor<f32>) -> (tensor<256x512xf8E4M3FN>) {
  %r0 = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>} : tensor<256x512xf32>, tensor<f32> -> tensor<256x512xf8E4M3FN>
  return %r0 : tensor<256x512xf8E4M3FN>
}
