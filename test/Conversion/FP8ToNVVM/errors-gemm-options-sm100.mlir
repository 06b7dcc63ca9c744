// sm_100a GEMM options that name a kernel the hardware or the SM cannot run.
// RUN: not fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-tile=64x128" 2>&1 | FileCheck %s --check-prefix=TILEM
// RUN: not fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-tile=128x72" 2>&1 | FileCheck %s --check-prefix=TILEN
// RUN: not fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-tile=128" 2>&1 | FileCheck %s --check-prefix=SYNTAX
// RUN: not fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-tile=128x256 gemm-stages=5" 2>&1 | FileCheck %s --check-prefix=SMEM

// TILEM: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile M must be 128 on sm_100a (one M = 128 tcgen05.mma per CTA), got 64
// TILEN: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile N must be a multiple of 16 in [16, 256], got 72
// SYNTAX: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile must be `MxN` (e.g. 128x128), got '128'
// 5 stages of 128 x 256 (48 KiB each, plus 1.5 KiB of MX scales) exceed
// 226 KiB.
// SMEM: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-stages: 5 stages of tile 128x256 need 254560 bytes of dynamic shared memory, more than 226 KiB

func.func @mx(%a: tensor<1024x2048xf8E4M3FN>, %sa: tensor<1024x64xf8E8M0FNU>,
              %b: tensor<1024x2048xf8E4M3FN>, %sb: tensor<1024x64xf8E8M0FNU>) -> tensor<1024x1024xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<1024x2048xf8E4M3FN>, tensor<1024x64xf8E8M0FNU>, tensor<1024x2048xf8E4M3FN>, tensor<1024x64xf8E8M0FNU>
        -> tensor<1024x1024xbf16>
  return %d : tensor<1024x1024xbf16>
}
