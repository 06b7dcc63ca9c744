// Malformed persistent-schedule options: ping-pong, the TMA-store and the
// wide direct epilogues need the persistent kernel, a ping-pong tile is one consumer's
// (M 64 or 128, at most 128 accumulator registers a thread), and unknown
// choices are option errors; each is reported at the matmul and the pass
// fails.
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-schedule=pingpong" 2>&1 | FileCheck %s --check-prefix=PP
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-epilogue=tma-store" 2>&1 | FileCheck %s --check-prefix=TMA
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-persistent=on gemm-schedule=pingpong gemm-tile=256x128" 2>&1 | FileCheck %s --check-prefix=TILEM
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-persistent=on gemm-schedule=pingpong gemm-tile=128x256" 2>&1 | FileCheck %s --check-prefix=REGS
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-schedule=stream-k" 2>&1 | FileCheck %s --check-prefix=SCHED
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-epilogue=staged" 2>&1 | FileCheck %s --check-prefix=EPI
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-epilogue=direct-wide" 2>&1 | FileCheck %s --check-prefix=WIDE
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-pingpong-order=epilogue" 2>&1 | FileCheck %s --check-prefix=ORDER

// PP: errors-gemm-persistent-schedule.mlir:[[@LINE+10]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-schedule=pingpong needs gemm-persistent=on (the consumers alternate over a CTA's tiles)
// TMA: errors-gemm-persistent-schedule.mlir:[[@LINE+9]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-epilogue=tma-store needs gemm-persistent=on
// TILEM: errors-gemm-persistent-schedule.mlir:[[@LINE+8]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile M must be 64 or 128 with gemm-schedule=pingpong (one consumer warpgroup's m64 wgmma rows), got 256
// REGS: errors-gemm-persistent-schedule.mlir:[[@LINE+7]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile 128x256 needs 256 f32 accumulator registers per consumer thread; at most 128 fit
// SCHED: for the --gemm-schedule option: Cannot find option named 'stream-k'!
// EPI: for the --gemm-epilogue option: Cannot find option named 'staged'!
// WIDE: errors-gemm-persistent-schedule.mlir:[[@LINE+4]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-epilogue=direct-wide needs gemm-persistent=on (the other kernels stage bf16/f16/FP8 D in the ring)
// ORDER: for the --gemm-pingpong-order option: Cannot find option named 'epilogue'!
func.func @tensorwise(%a: tensor<2048x512xf8E4M3FN>, %sa: tensor<f32>,
                      %b: tensor<2048x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<2048x2048xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<2048x512xf8E4M3FN>, tensor<f32>, tensor<2048x512xf8E4M3FN>, tensor<f32>
        -> tensor<2048x2048xbf16>
  return %d : tensor<2048x2048xbf16>
}
