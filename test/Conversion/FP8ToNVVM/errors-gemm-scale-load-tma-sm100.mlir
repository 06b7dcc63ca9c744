// gemm-scale-load=tma on sm_100a: the warp-specialized MXFP8 kernel with K
// a multiple of 512 (TMA reads the [rows, K / 32] E8M0 scales with 16-byte
// row strides); other GEMMs keep their kernel.
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=on gemm-scale-load=tma" -verify-diagnostics -split-input-file

func.func @k_tail(%a: tensor<256x1056xf8E4M3FN>, %sa: tensor<256x33xf8E8M0FNU>,
                  %b: tensor<256x1056xf8E4M3FN>, %sb: tensor<256x33xf8E8M0FNU>) -> tensor<256x256xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op cannot use the GEMM options: gemm-scale-load=tma needs K to be a multiple of 512 on sm_100a (TMA reads the [rows, K / 32] E8M0 scales with 16-byte row strides), got K = 1056; use gemm-scale-load=global}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<256x1056xf8E4M3FN>, tensor<256x33xf8E8M0FNU>, tensor<256x1056xf8E4M3FN>, tensor<256x33xf8E8M0FNU>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}

// -----

// K = 640: a multiple of 128 (no K tail inside a step) but not of 512.
func.func @k_640(%a: tensor<256x640xf8E4M3FN>, %sa: tensor<256x20xf8E8M0FNU>,
                 %b: tensor<256x640xf8E4M3FN>, %sb: tensor<256x20xf8E8M0FNU>) -> tensor<256x256xbf16> {
  // expected-error @+1 {{gemm-scale-load=tma needs K to be a multiple of 512 on sm_100a}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<256x640xf8E4M3FN>, tensor<256x20xf8E8M0FNU>, tensor<256x640xf8E4M3FN>, tensor<256x20xf8E8M0FNU>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}

// -----

// Without MX scales the option does not apply: no diagnostic.
func.func @tensorwise(%a: tensor<256x1040xf8E4M3FN>, %sa: tensor<f32>,
                      %b: tensor<256x1040xf8E4M3FN>, %sb: tensor<f32>) -> tensor<256x256xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<256x1040xf8E4M3FN>, tensor<f32>, tensor<256x1040xf8E4M3FN>, tensor<f32>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}
