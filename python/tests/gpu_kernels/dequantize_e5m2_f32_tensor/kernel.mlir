func.func @kernel(%q: tensor<128x256xf8E5M2>, %s: tensor<f32>) -> (tensor<128x256xf32>) {
  %r0 = fp8.dequantize %q, %s {scaling = #fp8.scaling<tensor>} : tensor<128x256xf8E5M2>, tensor<f32> -> tensor<128x256xf32>
  return %r0 : tensor<128x256xf32>
}
