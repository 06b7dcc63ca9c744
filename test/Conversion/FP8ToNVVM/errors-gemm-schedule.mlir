// Malformed GEMM schedule options: an unknown choice is an option error,
// a raster group outside [1, 64] is reported at the matmul on both chips,
// and the pass fails.
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-raster=grouped gemm-raster-group=0" 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-raster=grouped gemm-raster-group=65" 2>&1 | FileCheck %s --check-prefix=BIG
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-wait-hint=sleep" 2>&1 | FileCheck %s --check-prefix=HINT
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-raster=n" 2>&1 | FileCheck %s --check-prefix=RASTER
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-l2-promotion=32" 2>&1 | FileCheck %s --check-prefix=L2
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-epilogue-prefetch=auto" 2>&1 | FileCheck %s --check-prefix=EPF

// ZERO: errors-gemm-schedule.mlir:[[@LINE+8]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-raster-group must be in [1, 64], got 0
// BIG: errors-gemm-schedule.mlir:[[@LINE+7]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-raster-group must be in [1, 64], got 65
// HINT: for the --gemm-wait-hint option: Cannot find option named 'sleep'!
// RASTER: for the --gemm-raster option: Cannot find option named 'n'!
// L2: for the --gemm-l2-promotion option: Cannot find option named '32'!
// EPF: for the --gemm-epilogue-prefetch option: Cannot find option named 'auto'!
func.func @tensorwise(%a: tensor<256x512xf8E4M3FN>, %sa: tensor<f32>,
                      %b: tensor<256x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<256x256xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<256x512xf8E4M3FN>, tensor<f32>, tensor<256x512xf8E4M3FN>, tensor<f32>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}
