// What the sm_100a lowering does not support is reported at the op.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --convert-fp8-to-gpu="chip=sm_100a"

// DeepSeek-style [1, 128] x [128, 128] block scales: no sm_100a kernel yet.
func.func @blockwise(%a: tensor<128x256xf8E4M3FN>, %sa: tensor<128x2xf32>,
                     %b: tensor<128x256xf8E4M3FN>, %sb: tensor<1x2xf32>) -> tensor<128x128xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op with block scaling #fp8.scaling<block [1, 128]> has no sm_100a kernel yet (tensor, rowwise, and MX [1, 32] with E8M0 scales)}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<128x2xf32>, tensor<128x256xf8E4M3FN>, tensor<1x2xf32>
        -> tensor<128x128xbf16>
  return %d : tensor<128x128xbf16>
}

// -----

// [1, 32] groups with f32 scales are not UE8M0.
func.func @mx_f32_scales(%a: tensor<128x256xf8E4M3FN>, %sa: tensor<128x8xf32>,
                         %b: tensor<64x256xf8E4M3FN>, %sb: tensor<64x8xf32>) -> tensor<128x64xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op with MX block scaling needs f8E8M0FNU scales on sm_100a (tcgen05.mma.block_scale reads UE8M0), got 'f32' and 'f32'}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<128x8xf32>, tensor<64x256xf8E4M3FN>, tensor<64x8xf32>
        -> tensor<128x64xbf16>
  return %d : tensor<128x64xbf16>
}

// -----

func.func @not_k_major(%a: tensor<128x256xf8E4M3FN>, %sa: tensor<f32>,
                       %b: tensor<256x64xf8E4M3FN>, %sb: tensor<f32>) -> tensor<128x64xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op needs B K-major ([N, K], `transpose_b`) on sm_100a: the tcgen05 GEMM reads both operands K-major}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>}
      : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<256x64xf8E4M3FN>, tensor<f32>
        -> tensor<128x64xbf16>
  return %d : tensor<128x64xbf16>
}

// -----

// One GEMM of a batched op per blockIdx.z: at most 65535.
func.func @batched(%a: tensor<65536x16x64xf8E4M3FN>, %sa: tensor<f32>,
                   %b: tensor<65536x16x64xf8E4M3FN>, %sb: tensor<f32>) -> tensor<65536x16x16xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op has 65536 GEMMs in its batch dims, more than the grid's z limit (65535)}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<65536x16x64xf8E4M3FN>, tensor<f32>, tensor<65536x16x64xf8E4M3FN>, tensor<f32>
        -> tensor<65536x16x16xbf16>
  return %d : tensor<65536x16x16xbf16>
}

// -----

func.func @k_not_16(%a: tensor<128x40xf8E4M3FN>, %sa: tensor<f32>,
                    %b: tensor<64x40xf8E4M3FN>, %sb: tensor<f32>) -> tensor<128x64xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op needs K to be a multiple of 16 on sm_100a (TMA needs 16-byte row strides), got K = 40}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x40xf8E4M3FN>, tensor<f32>, tensor<64x40xf8E4M3FN>, tensor<f32>
        -> tensor<128x64xbf16>
  return %d : tensor<128x64xbf16>
}
