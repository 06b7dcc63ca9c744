// sm_100a gemm-cluster choices without a kernel are reported at the op: a
// CTA pair (2x1) needs the warp-specialized kernel and one tile per pair
// (no persistence); 1x2 has no kernel (cta_group::2 splits M).
// RUN: not fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-cluster=2x1" 2>&1 | FileCheck %s --check-prefix=ONEWG
// RUN: not fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=on gemm-persistent=on gemm-cluster=2x1" 2>&1 | FileCheck %s --check-prefix=PERSISTENT
// RUN: not fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=on gemm-cluster=1x2" 2>&1 | FileCheck %s --check-prefix=ALONGN
// The default and 1x1 keep one CTA per tile.
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=on gemm-cluster=1x1" | FileCheck %s --check-prefix=NONE
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=on" | FileCheck %s --check-prefix=NONE

// ONEWG: errors-gemm-cta-pair-options-sm100.mlir:[[@LINE+11]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-cluster=2x1 (a CTA pair with tcgen05.mma.cta_group::2) needs the warp-specialized kernel on sm_100a (gemm-warp-specialize=on)
// PERSISTENT: errors-gemm-cta-pair-options-sm100.mlir:[[@LINE+10]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-cluster=2x1 has no persistent CTA-pair kernel yet on sm_100a; use gemm-persistent=off
// ALONGN: errors-gemm-cta-pair-options-sm100.mlir:[[@LINE+9]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-cluster=1x2 has no sm_100a kernel: the CTA pair of tcgen05.mma.cta_group::2 splits M (use 2x1)
// NONE: \22cluster\22:[1,1,1]
// NONE-NOT: cta_2
// NONE: nvvm.tcgen05.mma
// NONE-NOT: cta_2
// NONE: gpu.launch_func
// NONE-NOT: clusters in
func.func @tensorwise(%a: tensor<512x512xf8E4M3FN>, %sa: tensor<f32>,
                      %b: tensor<256x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<512x256xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<512x512xf8E4M3FN>, tensor<f32>, tensor<256x512xf8E4M3FN>, tensor<f32>
        -> tensor<512x256xbf16>
  return %d : tensor<512x256xbf16>
}
