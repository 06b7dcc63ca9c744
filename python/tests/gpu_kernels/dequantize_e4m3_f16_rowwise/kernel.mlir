func.func @kernel(%q: tensor<96x640xf8E4M3FN>, %s: tensor<96x1xf32>) -> (tensor<96x640xf16>) {
  %r0 = fp8.dequantize %q, %s {scaling = #fp8.scaling<rowwise>} : tensor<96x640xf8E4M3FN>, tensor<96x1xf32> -> tensor<96x640xf16>
  return %r0 : tensor<96x640xf16>
}
