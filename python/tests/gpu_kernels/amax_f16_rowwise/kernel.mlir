func.func @kernel(%x: tensor<300x200xf16>) -> (tensor<300x1xf32>) {
  %r0 = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<300x200xf16> -> tensor<300x1xf32>
  return %r0 : tensor<300x1xf32>
}
