// gemm-scale-load=tma on sm_90a needs the warp-specialized kernel (its
// producer warpgroup loads A's scale box with the stage): reported when
// gemm-warp-specialize=off, or when the heuristic picks one warpgroup
// (a problem that does not fill the GPU).
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_90a gemm-warp-specialize=off gemm-scale-load=tma" -verify-diagnostics -split-input-file
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_90a gemm-scale-load=tma" -verify-diagnostics -split-input-file

func.func @blockwise(%a: tensor<256x1024xf8E4M3FN>, %sa: tensor<256x8xf32>,
                     %b: tensor<256x1024xf8E4M3FN>, %sb: tensor<2x8xf32>) -> tensor<256x256xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op cannot use the GEMM options: gemm-scale-load=tma needs the warp-specialized kernel on sm_90a (its producer loads the scales with the stage); the heuristic or gemm-warp-specialize chose one warpgroup}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<256x1024xf8E4M3FN>, tensor<256x8xf32>, tensor<256x1024xf8E4M3FN>, tensor<2x8xf32>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}

// -----

func.func @mx(%a: tensor<256x1024xf8E4M3FN>, %sa: tensor<256x32xf8E8M0FNU>,
              %b: tensor<256x1024xf8E4M3FN>, %sb: tensor<256x32xf8E8M0FNU>) -> tensor<256x256xbf16> {
  // expected-error @+1 {{gemm-scale-load=tma needs the warp-specialized kernel on sm_90a}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<256x1024xf8E4M3FN>, tensor<256x32xf8E8M0FNU>, tensor<256x1024xf8E4M3FN>, tensor<256x32xf8E8M0FNU>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}
