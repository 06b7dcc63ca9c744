func.func @kernel(%x: tensor<96x768xf32>) -> (tensor<96x768xf8E4M3FN>, tensor<96x1xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<96x768xf32> -> tensor<96x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<96x1xf32> -> tensor<96x1xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>} : tensor<96x768xf32>, tensor<96x1xf32> -> tensor<96x768xf8E4M3FN>
  return %q, %s : tensor<96x768xf8E4M3FN>, tensor<96x1xf32>
}
