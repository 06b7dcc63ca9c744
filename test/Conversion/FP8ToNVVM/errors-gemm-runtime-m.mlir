// A GEMM with a runtime M (A [?, K]) under options its kernels cannot take
// with a runtime M is reported at the matmul: persistent CTAs (their tile
// counts are compiled in), the grouped raster order (it needs the number of
// row tiles), a cluster along M (ceil(M / tileM) need not divide into
// clusters), and A's scale groups taller than one row.
// RUN: not fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_90a gemm-warp-specialize=on gemm-persistent=on" 2>&1 | FileCheck %s --check-prefix=PERSISTENT
// RUN: not fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_90a gemm-raster=grouped" 2>&1 | FileCheck %s --check-prefix=GROUPED
// RUN: not fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_90a gemm-warp-specialize=on gemm-cluster=2x1" 2>&1 | FileCheck %s --check-prefix=CLUSTER
// RUN: not fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=on gemm-persistent=on" 2>&1 | FileCheck %s --check-prefix=PERSISTENT100
// RUN: not fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a gemm-raster=grouped" 2>&1 | FileCheck %s --check-prefix=GROUPED100

// PERSISTENT: error: 'fp8.scaled_matmul' op has a runtime M (A's rows), which the sm_90a GEMM does not take with gemm-persistent=on: the persistent CTAs' tile counts are compiled in
// GROUPED: error: 'fp8.scaled_matmul' op has a runtime M (A's rows), which the sm_90a GEMM does not take with gemm-raster=grouped: the grouped order needs the number of row tiles
// CLUSTER: error: 'fp8.scaled_matmul' op has a runtime M (A's rows), which the sm_90a GEMM does not take with a cluster along M (gemm-cluster=2x1): ceil(M / tileM) row tiles need not divide into clusters
// PERSISTENT100: error: 'fp8.scaled_matmul' op has a runtime M (A's rows), which the sm_100a GEMM does not take with gemm-persistent=on
// GROUPED100: error: 'fp8.scaled_matmul' op has a runtime M (A's rows), which the sm_100a GEMM does not take with gemm-raster=grouped
func.func @gemm_runtime_m(%a: tensor<?x256xf8E4M3FN>, %sa: tensor<f32>,
                          %b: tensor<512x256xf8E4M3FN>, %sb: tensor<f32>) -> tensor<?x512xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<?x256xf8E4M3FN>, tensor<f32>, tensor<512x256xf8E4M3FN>, tensor<f32> -> tensor<?x512xbf16>
  return %d : tensor<?x512xbf16>
}
