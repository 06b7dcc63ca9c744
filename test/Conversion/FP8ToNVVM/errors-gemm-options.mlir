// Malformed GEMM overrides are reported at the matmul they would apply to.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --convert-fp8-to-gpu="gemm-tile=96x128"
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-tile=128x256" 2>&1 | FileCheck %s --check-prefix=REGS
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-tile=128x128 gemm-stages=8" 2>&1 | FileCheck %s --check-prefix=SMEM

// REGS: errors-gemm-options.mlir:[[@LINE+6]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile 128x256 needs more than 128 f32 accumulator registers per thread (M * N <= 16384)
// SMEM: errors-gemm-options.mlir:[[@LINE+5]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-stages 8 does not fit in 227 KiB of shared memory with tile 128x128

func.func @gemm(%a: tensor<128x256xf8E4M3FN>, %sa: tensor<f32>,
                %b: tensor<64x256xf8E4M3FN>, %sb: tensor<f32>) -> tensor<128x64xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile M must be 64 or 128 (m64 wgmma rows of one warpgroup), got 96}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>, tensor<f32>
        -> tensor<128x64xbf16>
  return %d : tensor<128x64xbf16>
}
