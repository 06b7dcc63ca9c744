func.func @kernel(%x: tensor<128x768xbf16>, %s: tensor<128x1xf32>) -> (tensor<128x768xf8E5M2>) {
  %r0 = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>, saturate = false} : tensor<128x768xbf16>, tensor<128x1xf32> -> tensor<128x768xf8E5M2>
  return %r0 : tensor<128x768xf8E5M2>
}
