func.func @kernel(%x: tensor<128x256xf32>) -> (tensor<f32>) {
  %r0 = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<128x256xf32> -> tensor<f32>
  return %r0 : tensor<f32>
}
