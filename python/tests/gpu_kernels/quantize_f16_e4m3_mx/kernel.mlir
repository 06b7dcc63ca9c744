func.func @kernel(%x: tensor<64x512xf16>, %s: tensor<64x16xf8E8M0FNU>) -> (tensor<64x512xf8E4M3FN>) {
  %r0 = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>} : tensor<64x512xf16>, tensor<64x16xf8E8M0FNU> -> tensor<64x512xf8E4M3FN>
  return %r0 : tensor<64x512xf8E4M3FN>
}
