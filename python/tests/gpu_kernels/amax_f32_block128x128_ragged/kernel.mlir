func.func @kernel(%x: tensor<200x300xf32>) -> (tensor<2x3xf32>) {
  %r0 = fp8.amax %x {scaling = #fp8.scaling<block [128, 128]>} : tensor<200x300xf32> -> tensor<2x3xf32>
  return %r0 : tensor<2x3xf32>
}
