// The warp-specialized sm_100a GEMM has no NVFP4 (.kind::mxf4nvf4) scale
// staging yet: gemm-warp-specialize=on is reported at the op.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=on" -verify-diagnostics

func.func @nvfp4(%a: tensor<128x256xf4E2M1FN>, %sa: tensor<128x16xf8E4M3FN>, %ga: tensor<f32>, %b: tensor<64x256xf4E2M1FN>, %sb: tensor<4x16xf8E4M3FN>, %gb: tensor<f32>) -> tensor<128x64xf32> {
  // expected-error @+1 {{'fp8.scaled_matmul' op cannot use the GEMM options: gemm-warp-specialize=on has no NVFP4 (.kind::mxf4nvf4) kernel yet on sm_100a}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb a_global(%ga : tensor<f32>) b_global(%gb : tensor<f32>)
      {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [16, 16]>, transpose_b}
      : tensor<128x256xf4E2M1FN>, tensor<128x16xf8E4M3FN>, tensor<64x256xf4E2M1FN>, tensor<4x16xf8E4M3FN> -> tensor<128x64xf32>
  return %d : tensor<128x64xf32>
}

// -----

// Nor for packed MXFP4 (.kind::mxf4).
func.func @mxfp4(%a: tensor<128x256xf4E2M1FN>, %sa: tensor<128x8xf8E8M0FNU>, %b: tensor<64x256xf4E2M1FN>, %sb: tensor<64x8xf8E8M0FNU>) -> tensor<128x64xf32> {
  // expected-error @+1 {{'fp8.scaled_matmul' op cannot use the GEMM options: gemm-warp-specialize=on has no packed MXFP4 (.kind::mxf4) kernel yet on sm_100a}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<128x256xf4E2M1FN>, tensor<128x8xf8E8M0FNU>, tensor<64x256xf4E2M1FN>, tensor<64x8xf8E8M0FNU> -> tensor<128x64xf32>
  return %d : tensor<128x64xf32>
}
