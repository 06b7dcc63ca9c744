// Malformed or unbuildable GEMM overrides are reported at the matmul they
// would apply to, and the pass fails without touching the IR.
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-tile=96x128" 2>&1 | FileCheck %s --check-prefix=TILEM
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-tile=128by128" 2>&1 | FileCheck %s --check-prefix=SYNTAX
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-tile=128x200" 2>&1 | FileCheck %s --check-prefix=TILEN
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-tile=128x256" 2>&1 | FileCheck %s --check-prefix=REGS
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-tile=128x128 gemm-stages=8" 2>&1 | FileCheck %s --check-prefix=SMEM
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=yes" 2>&1 | FileCheck %s --check-prefix=WSVALUE
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=64x128" 2>&1 | FileCheck %s --check-prefix=WSTILEM
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=256x256" 2>&1 | FileCheck %s --check-prefix=WSREGS
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x256" 2>&1 | FileCheck %s --check-prefix=BLOCKREGS
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=256x64 gemm-stages=4" | FileCheck %s --check-prefix=OK

// TILEM: errors-gemm-options.mlir:[[@LINE+23]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile M must be 64 or 128 (m64 wgmma rows of one warpgroup), got 96
// SYNTAX: errors-gemm-options.mlir:[[@LINE+22]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile must be `MxN` (e.g. 128x128), got '128by128'
// TILEN: errors-gemm-options.mlir:[[@LINE+21]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile N must be a multiple of 16 in [16, 256], got 200
// REGS: errors-gemm-options.mlir:[[@LINE+20]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile 128x256 needs 256 f32 accumulator registers per consumer thread; at most 128 fit
// SMEM: errors-gemm-options.mlir:[[@LINE+19]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-stages 8 does not fit in 226 KiB of dynamic shared memory with tile 128x128
// WSVALUE: for the --gemm-warp-specialize option: Cannot find option named 'yes'!
// WSTILEM: errors-gemm-options.mlir:[[@LINE+17]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile M must be 128 or 256 with warp specialization (two consumer warpgroups of 64 or 128 rows), got 64
// WSREGS: errors-gemm-options.mlir:[[@LINE+16]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile 256x256 needs 256 f32 accumulator registers per consumer thread; at most 128 fit

// Every failing op is reported; the IR stays untouched.
// TILEM: errors-gemm-options.mlir:[[@LINE+22]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile M must be 64 or 128
// TILEM-NOT: gpu.module

// Two accumulator sets (partial sums and totals) for block scales along K.
// BLOCKREGS-NOT: errors-gemm-options.mlir:[[@LINE+9]]
// BLOCKREGS: errors-gemm-options.mlir:[[@LINE+17]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile 128x256 needs 256 f32 accumulator registers per consumer thread (partial sums and totals for the scales along K); at most 192 fit

// 256x64 tiles: two consumers of 2 x m64 rows (2 x 2 x 32 f32 with blocks).
// OK-DAG: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_128x64x256_tile256x64x128_s2_ws({{.*}}known_block_size = array<i32: 384, 1, 1>
// OK-DAG: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_128x64x256_tile256x64x128_s2_ws(

func.func @gemm(%a: tensor<128x256xf8E4M3FN>, %sa: tensor<f32>,
                %b: tensor<64x256xf8E4M3FN>, %sb: tensor<f32>) -> tensor<128x64xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>, tensor<f32>
        -> tensor<128x64xbf16>
  return %d : tensor<128x64xbf16>
}

func.func @blockwise(%a: tensor<128x256xf8E4M3FN>, %sa: tensor<128x2xf32>,
                     %b: tensor<64x256xf8E4M3FN>, %sb: tensor<1x2xf32>) -> tensor<128x64xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<128x2xf32>, tensor<64x256xf8E4M3FN>, tensor<1x2xf32>
        -> tensor<128x64xbf16>
  return %d : tensor<128x64xbf16>
}
