// A GEMM with a runtime M whose A scales in groups taller than one row: where
// a group ends depends on M, so the GEMM kernels refuse it (at the matmul).
// sm_90a only: sm_100a has no kernel for [128, 128] blocks at all.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --convert-fp8-to-gpu="chip=sm_90a"

func.func @gemm_runtime_m_tall_blocks(%a: tensor<?x256xf8E4M3FN>, %sa: tensor<?x2xf32>,
                                      %b: tensor<512x256xf8E4M3FN>, %sb: tensor<4x2xf32>) -> tensor<?x512xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op has no GPU kernel for #fp8.scaling<block [128, 128]> of A with a runtime M: only scale groups one row tall (tensor, rowwise, [1, c]) take A's rows at run time}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [128, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<?x256xf8E4M3FN>, tensor<?x2xf32>, tensor<512x256xf8E4M3FN>, tensor<4x2xf32> -> tensor<?x512xbf16>
  return %d : tensor<?x512xbf16>
}
