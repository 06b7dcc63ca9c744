// gemm-promotion=overlapped holds a third set of f32 registers (two sets
// of partial sums and the totals) and, when one K-loop iteration spans
// several K steps, waits for step kt + 1 before it releases the stage of
// kt: tiles whose three sets exceed 192 registers and a single stage are
// reported at the matmul. Kernels that do not promote ignore the option.
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x160 gemm-promotion=overlapped" 2>&1 | FileCheck %s --check-prefix=REGS
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=off gemm-stages=1 gemm-promotion=overlapped" 2>&1 | FileCheck %s --check-prefix=STAGES
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=off gemm-promotion=overlapped" | FileCheck %s --check-prefix=OK

// REGS: errors-gemm-promotion.mlir:[[@LINE+7]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile 128x160 needs 240 f32 accumulator registers per consumer thread (partial sums and totals for the scales along K), three sets with gemm-promotion=overlapped; at most 192 fit
// STAGES: errors-gemm-promotion.mlir:[[@LINE+6]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-promotion=overlapped needs at least 2 stages with groups of 128 elements of K (K step kt + 1 is waited for before the stage of kt is released), got 1
// OK-DAG: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_128x128x512_tile64x64x128_s4_ovp(
// OK-DAG: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_128x128x512_tile128x64x128_s4(

func.func @blockwise(%a: tensor<128x512xf8E4M3FN>, %sa: tensor<128x4xf32>,
                     %b: tensor<128x512xf8E4M3FN>, %sb: tensor<1x4xf32>) -> tensor<128x128xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<128x512xf8E4M3FN>, tensor<128x4xf32>, tensor<128x512xf8E4M3FN>, tensor<1x4xf32>
        -> tensor<128x128xbf16>
  return %d : tensor<128x128xbf16>
}

func.func @tensorwise(%a: tensor<128x512xf8E4M3FN>, %sa: tensor<f32>,
                      %b: tensor<128x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<128x128xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x512xf8E4M3FN>, tensor<f32>, tensor<128x512xf8E4M3FN>, tensor<f32>
        -> tensor<128x128xbf16>
  return %d : tensor<128x128xbf16>
}
