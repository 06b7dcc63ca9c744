// Block scales the sm_90a GEMM cannot promote are reported at the matmul:
// the partial sums are promoted every 32, 64 or 128 elements of K.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --convert-fp8-to-gpu="chip=sm_90a"

func.func @groups_of_256(%a: tensor<128x512xf8E4M3FN>, %sa: tensor<128x2xf32>,
                         %b: tensor<128x512xf8E4M3FN>, %sb: tensor<128x2xf32>) -> tensor<128x128xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op with block scaling #fp8.scaling<block [1, 256]> groups 256 elements of K; the sm_90a kernel promotes partial sums every 32, 64 or 128 elements of K (one to four k32 wgmma steps)}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 256]>, b_scaling = #fp8.scaling<block [1, 256]>, transpose_b}
      : tensor<128x512xf8E4M3FN>, tensor<128x2xf32>, tensor<128x512xf8E4M3FN>, tensor<128x2xf32>
        -> tensor<128x128xbf16>
  return %d : tensor<128x128xbf16>
}

// -----

func.func @groups_of_16(%a: tensor<128x64xf8E4M3FN>, %sa: tensor<128x4xf32>,
                        %b: tensor<64x64xf8E4M3FN>, %sb: tensor<f32>) -> tensor<128x64xf32> {
  // expected-error @+1 {{'fp8.scaled_matmul' op with block scaling #fp8.scaling<block [1, 16]> groups 16 elements of K; the sm_90a kernel promotes}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x64xf8E4M3FN>, tensor<128x4xf32>, tensor<64x64xf8E4M3FN>, tensor<f32>
        -> tensor<128x64xf32>
  return %d : tensor<128x64xf32>
}

// -----

// A block that spans all of K is a per-row-group scale: no promotion, it is
// applied in the epilogue like a rowwise scale (no error).
func.func @block_spanning_k(%a: tensor<256x128xf8E4M3FN>, %sa: tensor<2x1xf32>,
                            %b: tensor<128x128xf8E4M3FN>, %sb: tensor<1x1xf32>) -> tensor<256x128xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [128, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<256x128xf8E4M3FN>, tensor<2x1xf32>, tensor<128x128xf8E4M3FN>, tensor<1x1xf32>
        -> tensor<256x128xf32>
  return %d : tensor<256x128xf32>
}
