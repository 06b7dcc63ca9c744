// The sm_90a FP8 GEMM assembles without spills: TMA bulk tensor loads into
// an mbarrier ring, wgmma.mma_async e4m3/e5m2 with f32 accumulators.
// REQUIRES: ptxas
// One warpgroup (the structure the heuristic picks for problems too small
// to fill the GPU), forced here for every size, accumulating all of K in
// the wgmma accumulators (scaled-matmul-ws-ptx.mlir has the split
// accumulator the E5M2 GEMMs get by default).
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-warp-specialize=off gemm-accumulate=fast" | %extract-ptx -o %t
// RUN: FileCheck %s --check-prefix=BIG < %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x128x128_s4.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x128x128_s4.ptx -o %t/big.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=EPI < %t/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s4_biasbf16_amax.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s4_biasbf16_amax.ptx -o %t/epi.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E5M2_f8E4M3FN_f32_tensor_tensor_256x384x512_tile128x64x128_s4.ptx -o %t/small.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS

// BIG: .version 8.0
// BIG: .target sm_90a
// BIG: .visible .entry fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x128x128_s4(
// BIG-COUNT-4: mbarrier.init.shared.b64
// BIG: fence.mbarrier_init.release.cluster
// BIG: prefetch.tensormap
// BIG: mov.b32 [[TX:%r[0-9]+]], 32768;
// BIG: mbarrier.arrive.expect_tx.shared.b64 {{.*}}, [[TX]];
// BIG: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// BIG: bar.sync 0
// BIG: mbarrier.try_wait.parity.shared.b64
// BIG: wgmma.fence.sync.aligned
// BIG-COUNT-8: wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e4m3
// BIG: wgmma.commit_group.sync.aligned
// BIG: wgmma.wait_group.sync.aligned 1
// BIG: bar.sync 0
// BIG: cp.async.bulk.tensor.2d
// BIG: wgmma.wait_group.sync.aligned 0
// bf16 pairs are staged in shared memory (rows padded to 272 bytes), then
// written out in 16-byte chunks.
// BIG: cvt.rn.bf16x2.f32
// BIG: st.shared.b32
// BIG: bar.sync 0
// BIG: ld.shared.v4.b32
// BIG: st.global.v4.b32

// EPI: wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e5m2
// EPI: div.rn.f32
// EPI: cvt.rn.satfinite.e4m3x2.f32
// EPI: st.global.b16
// EPI: atom.global.max.u32

// No ptxas advisory (C75xx): e.g. C7519, a warpgroup.arrive ptxas injects
// when registers feeding wgmma are written after wgmma.fence.
// PTXAS-NOT: (C75
// PTXAS: Compiling entry function 'fp8_gemm_sm90_{{.*}}' for 'sm_90a'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS: Used {{[0-9]+}} registers, used 1 barriers
// PTXAS-NOT: (C75

func.func @big(%a: tensor<4096x4096xf8E4M3FN>, %sa: tensor<f32>,
               %b: tensor<4096x4096xf8E4M3FN>, %sb: tensor<f32>) -> tensor<4096x4096xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<4096x4096xf8E4M3FN>, tensor<f32>, tensor<4096x4096xf8E4M3FN>, tensor<f32>
        -> tensor<4096x4096xbf16>
  return %d : tensor<4096x4096xbf16>
}

func.func @epilogue(%a: tensor<1000x1040xf8E4M3FN>, %sa: tensor<1000x1xf32>,
                    %b: tensor<2050x1040xf8E5M2>, %sb: tensor<2050x1xf32>,
                    %bias: tensor<2050xbf16>, %os: tensor<f32>)
    -> (tensor<1000x2050xf8E4M3FN>, tensor<f32>) {
  %d, %amax = fp8.scaled_matmul %a, %sa, %b, %sb
      bias(%bias : tensor<2050xbf16>) out_scale(%os : tensor<f32>)
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<1000x1040xf8E4M3FN>, tensor<1000x1xf32>, tensor<2050x1040xf8E5M2>, tensor<2050x1xf32>
        -> tensor<1000x2050xf8E4M3FN>, tensor<f32>
  return %d, %amax : tensor<1000x2050xf8E4M3FN>, tensor<f32>
}

func.func @small(%a: tensor<256x512xf8E5M2>, %sa: tensor<f32>,
                 %b: tensor<384x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<256x384xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<256x512xf8E5M2>, tensor<f32>, tensor<384x512xf8E4M3FN>, tensor<f32>
        -> tensor<256x384xf32>
  return %d : tensor<256x384xf32>
}
