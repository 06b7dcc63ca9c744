func.func @kernel(%x: tensor<2x200x320xf32>) -> (tensor<2x200x320xf8E5M2>, tensor<2x2x3xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [128, 128]>} : tensor<2x200x320xf32> -> tensor<2x2x3xf32>
  %s = fp8.scale_from_amax %a {format = f8E5M2} : tensor<2x2x3xf32> -> tensor<2x2x3xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [128, 128]>} : tensor<2x200x320xf32>, tensor<2x2x3xf32> -> tensor<2x200x320xf8E5M2>
  return %q, %s : tensor<2x200x320xf8E5M2>, tensor<2x2x3xf32>
}
