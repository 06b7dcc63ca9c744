// gemm-promotion=overlapped (off by default until measured): K group G
// accumulates into partial-sum set G % 2 (the set is its wgmma's input,
// ignored with scale-d = 0, so it keeps its registers); the next group is
// issued before the previous one's scales are loaded, `wait_group 1` waits
// for the previous group only, and it is promoted while the next runs.
// One K-loop iteration covers 4 groups (here 4 K steps of one 128-wide
// group) and ends drained (`wait_group 0`); the 2 K steps left over follow
// the loop. The stage of step kt is released once step kt + 1's group is
// issued and step kt's has completed.
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x128 gemm-stages=3 gemm-cluster=1x1 gemm-promotion=overlapped" --canonicalize --cse | FileCheck %s --check-prefix=ON
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x128 gemm-stages=3 gemm-cluster=1x1" --canonicalize --cse | FileCheck %s --check-prefix=OFF

// ON-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_256x256x1280_tile128x128x128_s3_ws_ovp(
// ON-SAME:      %{{.*}}: !llvm.ptr, %[[SA:.*]]: memref<2560xf32>, %{{.*}}: !llvm.ptr, %[[SB:.*]]: memref<20xf32>
// ON:         nvvm.setmaxregister increase 232
// ON:         scf.for %{{.*}} = %c0 to %c8 step %c4 iter_args(%[[ACC:.*]] = %{{.*}}, %[[SET0:.*]] = %{{.*}}, %[[SET1:.*]] = %{{.*}})
// Step kt: its group goes into set 0; nothing to promote yet.
// ON:           nvvm.mbarrier.try_wait.parity
// ON:           nvvm.wgmma.fence.aligned
// ON-NEXT:      nvvm.wgmma.mma_async %{{.*}}, %{{.*}}, %[[SET0]], <m = 64, n = 128, k = 32>, D[<f32>, <zero>]
// ON:           nvvm.wgmma.mma_async {{.*}}, D[<f32>, <one>]
// ON:           nvvm.wgmma.mma_async {{.*}}, D[<f32>, <one>]
// ON:           %[[G0:.*]] = nvvm.wgmma.mma_async {{.*}}, D[<f32>, <one>]
// ON-NEXT:      nvvm.wgmma.commit.group.sync.aligned
// ON-NOT:       nvvm.wgmma.wait.group
// Step kt + 1: its group goes into set 1, then group kt is promoted.
// ON:           nvvm.mbarrier.try_wait.parity
// ON:           nvvm.wgmma.fence.aligned
// ON-NEXT:      nvvm.wgmma.mma_async %{{.*}}, %{{.*}}, %[[SET1]], <m = 64, n = 128, k = 32>, D[<f32>, <zero>]
// ON:           nvvm.wgmma.mma_async {{.*}}, D[<f32>, <one>]
// ON:           nvvm.wgmma.mma_async {{.*}}, D[<f32>, <one>]
// ON:           %[[G1:.*]] = nvvm.wgmma.mma_async {{.*}}, D[<f32>, <one>]
// ON-NEXT:      nvvm.wgmma.commit.group.sync.aligned
// ON-NOT:       nvvm.wgmma
// ON:           memref.load %[[SA]]
// ON:           memref.load %[[SA]]
// ON:           memref.load %[[SB]]
// ON-NEXT:      nvvm.wgmma.wait.group.sync.aligned 1
// ON-NEXT:      llvm.extractvalue %[[G0]][0]
// ON-NEXT:      llvm.extractvalue %[[ACC]][0]
// ON-NEXT:      arith.mulf
// ON-NEXT:      llvm.intr.fma
// ON-COUNT-63:  llvm.intr.fma
// ON-NOT:       nvvm.wgmma
// Then step kt's stage is free.
// ON:           scf.if
// ON:             nvvm.mbarrier.arrive
// Steps kt + 2 and kt + 3 alternate the sets the same way ...
// ON:           nvvm.wgmma.mma_async %{{.*}}, %{{.*}}, %[[G0]], <m = 64, n = 128, k = 32>, D[<f32>, <zero>]
// ON:           nvvm.wgmma.wait.group.sync.aligned 1
// ON:           nvvm.wgmma.mma_async %{{.*}}, %{{.*}}, %[[G1]], <m = 64, n = 128, k = 32>, D[<f32>, <zero>]
// ON:           nvvm.wgmma.wait.group.sync.aligned 1
// ... and the iteration's last group is drained before the back edge.
// ON:           nvvm.wgmma.wait.group.sync.aligned 0
// ON:           scf.if
// ON:             nvvm.mbarrier.arrive
// ON-COUNT-64:  llvm.intr.fma
// ON:           scf.yield
// The 2 K steps after the loop: one overlapped promotion, one drained.
// ON:         nvvm.wgmma.mma_async
// ON:         nvvm.wgmma.mma_async
// ON:         nvvm.wgmma.wait.group.sync.aligned 1
// ON:         nvvm.wgmma.wait.group.sync.aligned 0
// ON-NOT:     nvvm.wgmma.mma_async

// The default waits for each group before promoting it.
// OFF-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_256x256x1280_tile128x128x128_s3_ws(
// OFF:         scf.for %{{.*}} = %c0 to %c10 step %c1
// OFF:           nvvm.wgmma.commit.group.sync.aligned
// OFF-NOT:       nvvm.wgmma.wait.group.sync.aligned 1
// OFF:           nvvm.wgmma.wait.group.sync.aligned 0
// OFF-NOT:     nvvm.wgmma.wait.group.sync.aligned 1
func.func @blockwise(%a: tensor<256x1280xf8E4M3FN>, %sa: tensor<256x10xf32>,
                     %b: tensor<256x1280xf8E4M3FN>, %sb: tensor<2x10xf32>) -> tensor<256x256xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<256x1280xf8E4M3FN>, tensor<256x10xf32>, tensor<256x1280xf8E4M3FN>, tensor<2x10xf32>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}
