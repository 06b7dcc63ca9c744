// A `gemm-cluster` override the kernel cannot honour is reported at the
// matmul, and the pass fails: a cluster for the one-warpgroup kernel
// (whose consumers have no empty barriers through which the peer's
// producer would learn a stage is free), and a grid that does not divide
// into clusters (384 rows: 3 row tiles of 128). An unknown shape is
// rejected when the option is parsed.
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-cluster=2x2" 2>&1 | FileCheck %s --check-prefix=SHAPE
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=off gemm-cluster=1x2" 2>&1 | FileCheck %s --check-prefix=ONEWG
// RUN: not fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-cluster=2x1" 2>&1 | FileCheck %s --check-prefix=ODD
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x128 gemm-cluster=1x2" | FileCheck %s --check-prefix=OK
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-cluster=1x1" | FileCheck %s --check-prefix=NONE

// SHAPE: for the --gemm-cluster option: Cannot find option named '2x2'!
// ONEWG: errors-gemm-cluster.mlir:[[@LINE+9]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-cluster 1x2 needs the warp-specialized kernel (its consumers release stages to both CTAs through empty barriers); the heuristic or gemm-warp-specialize chose one warpgroup
// ODD: errors-gemm-cluster.mlir:[[@LINE+8]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-cluster 2x1 needs an even number of row tiles, got 3
// SHAPE-NOT: gpu.module
// OK: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_384x512x512_tile128x128x128_s4_ws_c1x2(
// OK: nvvm.read.ptx.sreg.cluster.nctarank
// NONE: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_384x512x512_tile128x128x128_s4_ws(
// NONE-NOT: nvvm.read.ptx.sreg.cluster
func.func @gemm(%a: tensor<384x512xf8E4M3FN>, %sa: tensor<f32>,
                %b: tensor<512x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<384x512xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<384x512xf8E4M3FN>, tensor<f32>, tensor<512x512xf8E4M3FN>, tensor<f32>
        -> tensor<384x512xbf16>
  return %d : tensor<384x512xbf16>
}
