func.func @kernel(%x: tensor<32x8192xbf16>) -> (tensor<32x8192xf8E5M2>, tensor<32x1xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<32x8192xbf16> -> tensor<32x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E5M2, margin = 1 : i64, pow2} : tensor<32x1xf32> -> tensor<32x1xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>, saturate = false} : tensor<32x8192xbf16>, tensor<32x1xf32> -> tensor<32x8192xf8E5M2>
  return %q, %s : tensor<32x8192xf8E5M2>, tensor<32x1xf32>
}
