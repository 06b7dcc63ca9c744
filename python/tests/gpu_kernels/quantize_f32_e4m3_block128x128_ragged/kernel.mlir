func.func @kernel(%x: tensor<200x320xf32>, %s: tensor<2x3xf32>) -> (tensor<200x320xf8E4M3FN>) {
  %r0 = fp8.quantize %x, %s {scaling = #fp8.scaling<block [128, 128]>} : tensor<200x320xf32>, tensor<2x3xf32> -> tensor<200x320xf8E4M3FN>
  return %r0 : tensor<200x320xf8E4M3FN>
}
