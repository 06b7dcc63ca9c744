// A linear layer written directly in the fp8 dialect: every op of the dialect
// appears once. Current (tensor-wise) scaling for the activation, 128x128
// block scaling for the weight, and an E5M2 output with delayed scaling: the
// output scale comes from the amax history, and this step's output amax is
// pushed into it.
func.func @fp8_linear(%x: tensor<256x512xbf16> {fp8.role = #fp8.role<activation>},
                      %w: tensor<1024x512xf32> {fp8.role = #fp8.role<weight>},
                      %bias: tensor<1024xbf16>,
                      %history: tensor<16xf32>)
    -> (tensor<256x1024xbf16>, tensor<16xf32>) {
  // Activation: one scale for the tensor, E4M3.
  %xa = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<256x512xbf16> -> tensor<f32>
  %xs = fp8.scale_from_amax %xa {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
  %xq = fp8.quantize %x, %xs {scaling = #fp8.scaling<tensor>}
      : tensor<256x512xbf16>, tensor<f32> -> tensor<256x512xf8E4M3FN>

  // Weight [N, K] (K-major): one scale per 128x128 block, E4M3.
  %wa = fp8.amax %w {scaling = #fp8.scaling<block [128, 128]>} : tensor<1024x512xf32> -> tensor<8x4xf32>
  %ws = fp8.scale_from_amax %wa {format = f8E4M3FN} : tensor<8x4xf32> -> tensor<8x4xf32>
  %wq = fp8.quantize %w, %ws {scaling = #fp8.scaling<block [128, 128]>}
      : tensor<1024x512xf32>, tensor<8x4xf32> -> tensor<1024x512xf8E4M3FN>

  // Output: E5M2 with a delayed scale from the history (max over 16 steps).
  %ys = fp8.scale_from_history %history {algo = #fp8.algo<max>, format = f8E5M2}
      : tensor<16xf32> -> tensor<f32>
  %yq, %yamax = fp8.scaled_matmul %xq, %xs, %wq, %ws bias(%bias : tensor<1024xbf16>)
      out_scale(%ys : tensor<f32>)
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<256x512xf8E4M3FN>, tensor<f32>, tensor<1024x512xf8E4M3FN>, tensor<8x4xf32>
      -> tensor<256x1024xf8E5M2>, tensor<f32>
  %new_history = fp8.amax_history_push %history, %yamax : tensor<16xf32>, tensor<f32>

  // The next layer wants bf16.
  %y = fp8.dequantize %yq, %ys {scaling = #fp8.scaling<tensor>}
      : tensor<256x1024xf8E5M2>, tensor<f32> -> tensor<256x1024xbf16>
  return %y, %new_history : tensor<256x1024xbf16>, tensor<16xf32>
}
