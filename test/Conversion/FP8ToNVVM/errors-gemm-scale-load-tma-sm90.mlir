// gemm-scale-load=tma on sm_90a: the warp-specialized kernel (its producer
// loads A's scale box with the stage) with A's [M, K / group] scales in
// rows of a multiple of 16 bytes (TMA's row pitch): K a multiple of 512
// for [1, 128] f32 and MX [1, 32] E8M0. GEMMs whose A scales do not change
// along K per row keep their kernel.
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_90a gemm-warp-specialize=on gemm-scale-load=tma" -verify-diagnostics -split-input-file

// K = 640: whole K steps, but rows of 5 f32 scales (20 bytes).
func.func @blockwise_k640(%a: tensor<256x640xf8E4M3FN>, %sa: tensor<256x5xf32>,
                          %b: tensor<256x640xf8E4M3FN>, %sb: tensor<2x5xf32>) -> tensor<256x256xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op cannot use the GEMM options: gemm-scale-load=tma needs K to be a multiple of 512 on sm_90a (A's scale rows, K / 128 x 4 bytes, are TMA's row pitch, a multiple of 16 bytes), got K = 640; use gemm-scale-load=global}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<256x640xf8E4M3FN>, tensor<256x5xf32>, tensor<256x640xf8E4M3FN>, tensor<2x5xf32>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}

// -----

// MX with E8M0 scales and a K tail: rows of 33 bytes.
func.func @mx_k_tail(%a: tensor<256x1056xf8E4M3FN>, %sa: tensor<256x33xf8E8M0FNU>,
                     %b: tensor<256x1056xf8E4M3FN>, %sb: tensor<256x33xf8E8M0FNU>) -> tensor<256x256xbf16> {
  // expected-error @+1 {{gemm-scale-load=tma needs K to be a multiple of 512 on sm_90a (A's scale rows, K / 32 x 1 bytes, are TMA's row pitch, a multiple of 16 bytes), got K = 1056}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<256x1056xf8E4M3FN>, tensor<256x33xf8E8M0FNU>, tensor<256x1056xf8E4M3FN>, tensor<256x33xf8E8M0FNU>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}

// -----

// MX with f32 scales: 4 groups of 4 bytes a K step, so K % 128 suffices.
func.func @mx_f32_k640(%a: tensor<256x640xf8E4M3FN>, %sa: tensor<256x20xf32>,
                       %b: tensor<256x640xf8E4M3FN>, %sb: tensor<256x20xf32>) -> tensor<256x256xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<256x640xf8E4M3FN>, tensor<256x20xf32>, tensor<256x640xf8E4M3FN>, tensor<256x20xf32>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}

// -----

// Tensor scales (and B's block scales with tensor A): nothing to load per
// K step of A, the option does not apply: no diagnostic at K = 1040.
func.func @tensorwise(%a: tensor<256x1040xf8E4M3FN>, %sa: tensor<f32>,
                      %b: tensor<256x1040xf8E4M3FN>, %sb: tensor<f32>) -> tensor<256x256xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<256x1040xf8E4M3FN>, tensor<f32>, tensor<256x1040xf8E4M3FN>, tensor<f32>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}
