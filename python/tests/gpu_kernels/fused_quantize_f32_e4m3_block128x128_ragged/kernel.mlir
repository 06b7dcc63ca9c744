func.func @kernel(%x: tensor<200x300xf32>) -> (tensor<200x300xf8E4M3FN>, tensor<2x3xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [128, 128]>} : tensor<200x300xf32> -> tensor<2x3xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<2x3xf32> -> tensor<2x3xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [128, 128]>} : tensor<200x300xf32>, tensor<2x3xf32> -> tensor<200x300xf8E4M3FN>
  return %q, %s : tensor<200x300xf8E4M3FN>, tensor<2x3xf32>
}
