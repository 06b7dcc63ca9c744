// The warp-specialized sm_100a GEMM takes packed FP4 (NVFP4 and MXFP4
// .kind::mxf4) with its scales staged by the producer warp, but not by TMA
// boxes (one scale word per row and K step): gemm-scale-load=tma is
// reported at the op.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=on gemm-scale-load=tma" -verify-diagnostics

func.func @nvfp4(%a: tensor<128x512xf4E2M1FN>, %sa: tensor<128x32xf8E4M3FN>, %ga: tensor<f32>, %b: tensor<64x512xf4E2M1FN>, %sb: tensor<4x32xf8E4M3FN>, %gb: tensor<f32>) -> tensor<128x64xf32> {
  // expected-error @+1 {{'fp8.scaled_matmul' op cannot use the GEMM options: gemm-scale-load=tma has no packed FP4 (.kind::mxf4, NVFP4 .kind::mxf4nvf4) kernel yet on sm_100a; use gemm-scale-load=global}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb a_global(%ga : tensor<f32>) b_global(%gb : tensor<f32>)
      {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [16, 16]>, transpose_b}
      : tensor<128x512xf4E2M1FN>, tensor<128x32xf8E4M3FN>, tensor<64x512xf4E2M1FN>, tensor<4x32xf8E4M3FN> -> tensor<128x64xf32>
  return %d : tensor<128x64xf32>
}

// -----

// Nor packed MXFP4 (.kind::mxf4).
func.func @mxfp4(%a: tensor<128x512xf4E2M1FN>, %sa: tensor<128x16xf8E8M0FNU>, %b: tensor<64x512xf4E2M1FN>, %sb: tensor<64x16xf8E8M0FNU>) -> tensor<128x64xf32> {
  // expected-error @+1 {{'fp8.scaled_matmul' op cannot use the GEMM options: gemm-scale-load=tma has no packed FP4 (.kind::mxf4, NVFP4 .kind::mxf4nvf4) kernel yet on sm_100a; use gemm-scale-load=global}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<128x512xf4E2M1FN>, tensor<128x16xf8E8M0FNU>, tensor<64x512xf4E2M1FN>, tensor<64x16xf8E8M0FNU> -> tensor<128x64xf32>
  return %d : tensor<128x64xf32>
}
