// The warp-specialized sm_90a GEMM assembles without spills: a producer
// warpgroup (setmaxnreg.dec 40) whose thread 0 waits on the empty barrier
// of a stage and TMA-loads it, two consumer warpgroups (setmaxnreg.inc 232)
// that wait on its full barrier, issue wgmma and release it. Tensorwise
// 4096^3 and 8192 x 28672 x 4096 get 128x256 tiles (m64n256 per consumer),
// the rowwise GEMM with bias, FP8 output and amax 128x128 tiles, with a
// split accumulator because B is E5M2 (a gradient). All three
// have an even number of row tiles, so they run as 2x1 clusters: B's tile
// comes half from each CTA by TMA multicast, and the consumers release a
// stage in both CTAs (a local arrive, and a remote one through mapa). With
// gemm-cluster=1x1 the same GEMM keeps CTA-local loads and releases.
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a" | %extract-ptx -o %t
// RUN: FileCheck %s --check-prefixes=WS,C2,N256 < %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws_c2x1.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws_c2x1.ptx -o %t/big.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefixes=WS,C2,N256 < %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_8192x28672x4096_tile128x256x128_s4_ws_c2x1.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_8192x28672x4096_tile128x256x128_s4_ws_c2x1.ptx -o %t/llama.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=SPLIT < %t/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s6_ws_c2x1_splitacc_biasbf16_amax.ptx
// RUN: FileCheck %s --check-prefixes=WS,C2,N128,EPI < %t/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s6_ws_c2x1_splitacc_biasbf16_amax.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s6_ws_c2x1_splitacc_biasbf16_amax.ptx -o %t/epi.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=MANIFEST < %t/manifest.json
// The ring lives in dynamic shared memory, the amax partials in static
// shared memory; the dynamic buffer is an extern array that ptxas places
// after the static variables (fp8-extern-dynamic-shared-memory), not a
// demoted 1-byte variable among them.
// RUN: FileCheck %s --check-prefix=EXTERN < %t/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s6_ws_c2x1_splitacc_biasbf16_amax.ptx
// RUN: rm -rf %t1 && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-cluster=1x1" | %extract-ptx -o %t1
// RUN: FileCheck %s --check-prefixes=WS,C1,N256 < %t1/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws.ptx
// RUN: %ptxas -arch=sm_90a -v %t1/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws.ptx -o %t1/big.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// A 256x64 tile needs fewer registers (C7508 without .minnctapersm).
// RUN: rm -rf %t3 && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-warp-specialize=on gemm-tile=256x64" | %extract-ptx -o %t3
// RUN: %ptxas -arch=sm_90a -v %t3/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile256x64x128_s5_ws_c2x1.ptx -o %t3/narrow.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// Persistent CTAs (gemm-persistent=on): the same GEMMs in 132 CTAs.
// RUN: rm -rf %t2 && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-persistent=on" | %extract-ptx -o %t2
// RUN: %ptxas -arch=sm_90a -v %t2/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws_c2x1_persistent.ptx -o %t2/big.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t2/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s6_ws_c2x1_persistent_splitacc_biasbf16_amax.ptx -o %t2/epi.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS

// WS: .maxntid 384, 1, 1
// One CTA per SM fixes the register count at entry (168), which setmaxnreg
// needs: without it ptxas ignores setmaxnreg (advisory C7508) whenever the
// kernel needs fewer registers.
// WS-NEXT: .minnctapersm 1
// The cluster size is a launch attribute: no compile-time cluster. A launch
// without it traps instead of hanging.
// WS-NOT: .reqnctapercluster
// C1-NOT: cluster
// C2: mov.u32 [[NCTA:%r[0-9]+]], %cluster_nctarank;
// C2-NEXT: setp.eq.b32 [[RIGHT:%p[0-9]+]], [[NCTA]], 2;
// C2-NEXT: @[[RIGHT]] bra [[GO:\$L__BB[0-9_]+]];
// C2-NEXT: bra.uni [[TRAP:\$L__BB[0-9_]+]];
// C2: %cluster_ctarank
// N256-COUNT-8: mbarrier.init.shared.b64
// N128-COUNT-12: mbarrier.init.shared.b64
// WS: fence.mbarrier_init.release.cluster
// WS: prefetch.tensormap
// C1: bar.sync 0
// C2: barrier.cluster.arrive;
// C2-NEXT: barrier.cluster.wait;
// Consumers (LLVM lays their branch out first).
// WS: setmaxnreg.inc.sync.aligned.u32 232;
// WS: mbarrier.try_wait.parity.shared.b64
// WS: wgmma.fence.sync.aligned
// N256-COUNT-4: wgmma.mma_async.sync.aligned.m64n256k32.f32.e4m3.e4m3
// N128-COUNT-4: wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e5m2
// WS: wgmma.commit_group.sync.aligned
// N256: wgmma.wait_group.sync.aligned 1
// N128: wgmma.wait_group.sync.aligned 0
// C1: mbarrier.arrive.shared.b64
// And the peer's empty barrier (rank ^ 1), with the default .release.cta
// semantics: .release.cluster would add two fences to every release.
// C2-DAG: mbarrier.arrive.shared.b64
// C2-DAG: mapa.shared::cluster.u64 [[PEER:%rd[0-9]+]], %rd{{[0-9]+}}, %r{{[0-9]+}};
// C2-DAG: mbarrier.arrive.shared::cluster.b64 _, [[[PEER]]]
// WS-NOT: mbarrier.arrive.release.cluster
// WS: wgmma.wait_group.sync.aligned 0
// bf16: both consumers meet on named barrier 1 before reusing the ring as
// the staging tile, on barrier 2 before copying it out in 16-byte chunks.
// N256: bar.sync 1, 256;
// N256: cvt.rn.bf16x2.f32
// N256: st.shared.b32
// N256: bar.sync 2, 256;
// N256: ld.shared.v4.b32
// N256: st.global.v4.b32
// EPI: div.rn.f32
// EPI: cvt.rn.satfinite.e4m3x2.f32
// WS-NOT: bar.sync 0
// The producer: A's tile from this CTA only, B's half to both CTAs.
// WS: setmaxnreg.dec.sync.aligned.u32 40;
// WS: mbarrier.try_wait.parity.shared.b64
// WS: mbarrier.arrive.expect_tx.shared.b64
// WS: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [
// C1: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [
// C2: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes.multicast::cluster [{{.*}}], [{{.*}}], [{{.*}}], [[MASK:%rs[0-9]+]];
// All 12 warps meet for the amax reduction.
// EPI: bar.sync 0
// EPI: atom.global.max.u32
// A CTA leaves once its peer stops releasing into its barriers.
// C2: barrier.cluster.arrive;
// C2-NEXT: barrier.cluster.wait;
// C2: [[TRAP]]:
// C2-NEXT: trap;
// C1-NOT: multicast

// The split accumulator: each K step's first k32 wgmma overwrites the
// partial sums (scale-d false), the step is waited for, and its 64 partial
// sums per thread are added to the f32 totals (LLVM puts that block at the
// loop head).
// SPLIT-COUNT-64: add.rn.f32 %r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}};
// SPLIT: setp.ne.b32 p, 0, 0;
// SPLIT-NEXT: wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e5m2
// SPLIT-COUNT-3: wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e5m2
// SPLIT: wgmma.commit_group.sync.aligned;
// SPLIT-NEXT: wgmma.wait_group.sync.aligned 0;

// EXTERN: .extern .shared .align 1024 .b8 __dynamic_shmem__0[];
// EXTERN-NOT: __dynamic_shmem__0 has been demoted
// EXTERN: .shared .align 4 .b8 __wg_{{.*}}[48];

// No ptxas advisory (C75xx): e.g. C7519, a warpgroup.arrive ptxas injects
// when registers feeding wgmma are written after wgmma.fence.
// PTXAS-NOT: (C75
// PTXAS: Compiling entry function 'fp8_gemm_sm90_{{.*}}_ws{{.*}}' for 'sm_90a'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS: Used 168 registers, used {{[13]}} barriers
// PTXAS-NOT: (C75

// 4 stages of (128 + 256) x 128 bytes, 1 KiB of alignment, 8 mbarriers.
// B's TMA box is half of its 256-row tile.
// MANIFEST: "block": [
// MANIFEST-NEXT: 384,
// MANIFEST: "cluster": [
// MANIFEST-NEXT: 2,
// MANIFEST-NEXT: 1,
// MANIFEST: "dynamic_shared_memory": 197696,
// MANIFEST: "name": "fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws_c2x1"
// MANIFEST: "box_dim": [
// MANIFEST-NEXT: 128,
// MANIFEST-NEXT: 128
// MANIFEST: "box_dim": [
// MANIFEST-NEXT: 128,
// MANIFEST-NEXT: 128

func.func @big(%a: tensor<4096x4096xf8E4M3FN>, %sa: tensor<f32>,
               %b: tensor<4096x4096xf8E4M3FN>, %sb: tensor<f32>) -> tensor<4096x4096xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<4096x4096xf8E4M3FN>, tensor<f32>, tensor<4096x4096xf8E4M3FN>, tensor<f32>
        -> tensor<4096x4096xbf16>
  return %d : tensor<4096x4096xbf16>
}

func.func @llama(%a: tensor<8192x4096xf8E4M3FN>, %sa: tensor<f32>,
                 %b: tensor<28672x4096xf8E4M3FN>, %sb: tensor<f32>) -> tensor<8192x28672xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<8192x4096xf8E4M3FN>, tensor<f32>, tensor<28672x4096xf8E4M3FN>, tensor<f32>
        -> tensor<8192x28672xbf16>
  return %d : tensor<8192x28672xbf16>
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
