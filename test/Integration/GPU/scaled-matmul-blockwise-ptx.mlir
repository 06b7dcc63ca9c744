// Block-scaled sm_90a GEMMs assemble without spills: warp-specialized
// (TMA producer warpgroup, two wgmma consumer warpgroups) for DeepSeek-style
// [1, 128] x [128, 128] scales at 4096^3 and 8192 x 28672 x 4096, with a
// bias, FP8 output and amax, for MX [1, 32] E8M0 scales, and the
// one-warpgroup kernel for a small problem. Every K group's partial sums are
// promoted into the accumulators with fma.rn.f32.
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a" | %extract-ptx -o %t
// RUN: FileCheck %s --check-prefixes=WS,BW,STAGED < %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_4096x4096x4096_tile128x128x128_s6_ws_c2x1.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_4096x4096x4096_tile128x128x128_s6_ws_c2x1.ptx -o %t/bw4k.cubin 2>&1 | FileCheck %s --check-prefixes=PTXAS,PTXAS-WS
// RUN: FileCheck %s --check-prefixes=WS,BW < %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_8192x28672x4096_tile128x128x128_s6_ws_c2x1.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_8192x28672x4096_tile128x128x128_s6_ws_c2x1.ptx -o %t/bwllama.cubin 2>&1 | FileCheck %s --check-prefixes=PTXAS,PTXAS-WS
// RUN: FileCheck %s --check-prefixes=WS,BW,EPI < %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_f8E4M3FN_block1x128_block128x128_1000x2050x1040_tile128x128x128_s6_ws_c2x1_biasbf16_amax.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_f8E4M3FN_block1x128_block128x128_1000x2050x1040_tile128x128x128_s6_ws_c2x1_biasbf16_amax.ptx -o %t/bwepi.cubin 2>&1 | FileCheck %s --check-prefixes=PTXAS,PTXAS-WS
// RUN: FileCheck %s --check-prefixes=WS,MX < %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_4096x4096x4096_tile128x128x128_s6_ws_c2x1_e8m0.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_4096x4096x4096_tile128x128x128_s6_ws_c2x1_e8m0.ptx -o %t/mx.cubin 2>&1 | FileCheck %s --check-prefixes=PTXAS,PTXAS-WS
// RUN: FileCheck %s --check-prefix=SMALL < %t/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f32_block1x128_block128x128_256x256x512_tile64x64x128_s4.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f32_block1x128_block128x128_256x256x512_tile64x64x128_s4.ptx -o %t/small.cubin 2>&1 | FileCheck %s --check-prefixes=PTXAS,PTXAS-1WG
// RUN: FileCheck %s --check-prefix=MANIFEST < %t/manifest.json
// Ragged M, N and K with MX scales, in both structures (32 per-column B
// scales per thread stay within the consumer's 232 registers).
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_520x136x224_tile64x64x128_s2_e8m0.ptx -o %t/mxr.cubin 2>&1 | FileCheck %s --check-prefixes=PTXAS,PTXAS-1WG
// RUN: rm -rf %t.ws && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-warp-specialize=on" | %extract-ptx -o %t.ws
// RUN: %ptxas -arch=sm_90a -v %t.ws/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_520x136x224_tile128x128x128_s2_ws_c1x2_e8m0.ptx -o %t/mxrws.cubin 2>&1 | FileCheck %s --check-prefixes=PTXAS,PTXAS-WS
// RUN: FileCheck %s --check-prefix=FMA64 < %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_4096x4096x4096_tile128x128x128_s6_ws_c2x1.ptx
// RUN: FileCheck %s --check-prefix=FMA64 < %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_f8E4M3FN_block1x128_block128x128_1000x2050x1040_tile128x128x128_s6_ws_c2x1_biasbf16_amax.ptx
// RUN: FileCheck %s --check-prefix=FMA256 < %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_4096x4096x4096_tile128x128x128_s6_ws_c2x1_e8m0.ptx
// RUN: FileCheck %s --check-prefix=FMA32 < %t/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f32_block1x128_block128x128_256x256x512_tile64x64x128_s4.ptx

// Producer and consumers; LLVM places the consumer branch first.
// WS: .maxntid 384, 1, 1
// WS-COUNT-6: mbarrier.init.shared.b64 {{.*}}, [[FULL:%r[0-9]+]];
// WS-COUNT-6: mbarrier.init.shared.b64 {{.*}}, [[EMPTY:%r[0-9]+]];
// WS: fence.mbarrier_init.release.cluster
// The large problems run as 2x1 clusters.
// WS: barrier.cluster.wait
// WS: setmaxnreg.inc.sync.aligned.u32 232;
// WS: mbarrier.try_wait.parity.shared.b64
// WS: wgmma.fence.sync.aligned
// BW-COUNT-4: wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e4m3
// BW: wgmma.commit_group.sync.aligned
// BW: wgmma.wait_group.sync.aligned 0
// BW: mbarrier.arrive.shared::cluster.b64
// MX-COUNT-4: wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e4m3
// MX: mbarrier.arrive.shared::cluster.b64
// bf16 D is staged in shared memory; FP8 D with N = 2050 (not whole
// 16-byte rows) is stored from the fragments.
// STAGED: bar.sync 1, 256;
// STAGED: st.shared.b32
// STAGED: bar.sync 2, 256;
// STAGED: st.global.v4.b32
// EPI-NOT: bar.sync 1
// EPI: cvt.rn.satfinite.e4m3x2.f32
// EPI: st.global.b16
// WS: setmaxnreg.dec.sync.aligned.u32 40;
// WS: mbarrier.try_wait.parity.shared.b64
// WS: mbarrier.arrive.expect_tx.shared.b64
// WS: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [
// WS: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes.multicast::cluster
// EPI: atom.global.max.u32

// SMALL: .maxntid 128, 1, 1
// SMALL-NOT: setmaxnreg
// SMALL: cp.async.bulk.tensor.2d
// SMALL: mbarrier.try_wait.parity.shared.b64
// SMALL-COUNT-4: wgmma.mma_async.sync.aligned.m64n64k32.f32.e4m3.e5m2
// SMALL: wgmma.wait_group.sync.aligned 0

// The promotion FMAs (wherever LLVM places their block): one per
// accumulator register and K group of a step, 64 per m64n128 group with
// 128-wide groups, 4 x 64 for MX.
// FMA64-COUNT-64: fma.rn.f32
// FMA64-NOT: fma.rn.f32
// FMA256-COUNT-256: fma.rn.f32
// FMA256-NOT: fma.rn.f32
// FMA32-COUNT-32: fma.rn.f32
// FMA32-NOT: fma.rn.f32

// No ptxas advisory (C75xx): e.g. C7519, a warpgroup.arrive ptxas injects
// when registers feeding wgmma are written after wgmma.fence.
// PTXAS-NOT: (C75
// PTXAS: Compiling entry function 'fp8_gemm_sm90_{{.*}}' for 'sm_90a'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// 384 threads get 168 registers each at launch; setmaxnreg moves them from
// the producer (40) to the consumers (232).
// PTXAS-WS: Used 168 registers, used {{[13]}} barriers
// PTXAS-1WG: Used {{[0-9]+}} registers, used 1 barriers
// PTXAS-NOT: (C75

// MANIFEST: "block": [
// MANIFEST-NEXT: 384,
// MANIFEST: "cluster": [
// MANIFEST-NEXT: 2,
// MANIFEST: "dynamic_shared_memory": 197728,

func.func @blockwise_4k(%a: tensor<4096x4096xf8E4M3FN>, %sa: tensor<4096x32xf32>,
                        %b: tensor<4096x4096xf8E4M3FN>, %sb: tensor<32x32xf32>) -> tensor<4096x4096xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<4096x4096xf8E4M3FN>, tensor<4096x32xf32>, tensor<4096x4096xf8E4M3FN>, tensor<32x32xf32>
        -> tensor<4096x4096xbf16>
  return %d : tensor<4096x4096xbf16>
}

func.func @blockwise_llama(%a: tensor<8192x4096xf8E4M3FN>, %sa: tensor<8192x32xf32>,
                           %b: tensor<28672x4096xf8E4M3FN>, %sb: tensor<224x32xf32>) -> tensor<8192x28672xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<8192x4096xf8E4M3FN>, tensor<8192x32xf32>, tensor<28672x4096xf8E4M3FN>, tensor<224x32xf32>
        -> tensor<8192x28672xbf16>
  return %d : tensor<8192x28672xbf16>
}
func.func @blockwise_epilogue(%a: tensor<1000x1040xf8E4M3FN>, %sa: tensor<1000x9xf32>,
                              %b: tensor<2050x1040xf8E4M3FN>, %sb: tensor<17x9xf32>,
                              %bias: tensor<2050xbf16>, %os: tensor<f32>)
    -> (tensor<1000x2050xf8E4M3FN>, tensor<f32>) {
  %d, %amax = fp8.scaled_matmul %a, %sa, %b, %sb
      bias(%bias : tensor<2050xbf16>) out_scale(%os : tensor<f32>)
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<1000x1040xf8E4M3FN>, tensor<1000x9xf32>, tensor<2050x1040xf8E4M3FN>, tensor<17x9xf32>
        -> tensor<1000x2050xf8E4M3FN>, tensor<f32>
  return %d, %amax : tensor<1000x2050xf8E4M3FN>, tensor<f32>
}

func.func @mxfp8(%a: tensor<4096x4096xf8E4M3FN>, %sa: tensor<4096x128xf8E8M0FNU>,
                 %b: tensor<4096x4096xf8E4M3FN>, %sb: tensor<4096x128xf8E8M0FNU>) -> tensor<4096x4096xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<4096x4096xf8E4M3FN>, tensor<4096x128xf8E8M0FNU>, tensor<4096x4096xf8E4M3FN>, tensor<4096x128xf8E8M0FNU>
        -> tensor<4096x4096xbf16>
  return %d : tensor<4096x4096xbf16>
}

func.func @blockwise_small(%a: tensor<256x512xf8E4M3FN>, %sa: tensor<256x4xf32>,
                           %b: tensor<256x512xf8E5M2>, %sb: tensor<2x4xf32>) -> tensor<256x256xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<256x512xf8E4M3FN>, tensor<256x4xf32>, tensor<256x512xf8E5M2>, tensor<2x4xf32>
        -> tensor<256x256xf32>
  return %d : tensor<256x256xf32>
}

func.func @mx_ragged(%a: tensor<520x224xf8E4M3FN>, %sa: tensor<520x7xf8E8M0FNU>,
                     %b: tensor<136x224xf8E4M3FN>, %sb: tensor<136x7xf8E8M0FNU>) -> tensor<520x136xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<520x224xf8E4M3FN>, tensor<520x7xf8E8M0FNU>, tensor<136x224xf8E4M3FN>, tensor<136x7xf8E8M0FNU>
        -> tensor<520x136xbf16>
  return %d : tensor<520x136xbf16>
}
