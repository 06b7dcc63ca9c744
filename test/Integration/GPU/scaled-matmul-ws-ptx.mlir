// The warp-specialized sm_90a GEMM assembles without spills: a producer
// warpgroup (setmaxnreg.dec 40) whose thread 0 waits on the empty barrier
// of a stage and TMA-loads it, two consumer warpgroups (setmaxnreg.inc 232)
// that wait on its full barrier, issue wgmma and release it. Tensorwise
// 4096^3 and 8192 x 28672 x 4096 get 128x256 tiles (m64n256 per consumer),
// the rowwise GEMM with bias, FP8 output and amax 128x128 tiles.
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a" | %extract-ptx -o %t
// RUN: FileCheck %s --check-prefixes=WS,N256 < %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws.ptx -o %t/big.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefixes=WS,N256 < %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_8192x28672x4096_tile128x256x128_s4_ws.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_8192x28672x4096_tile128x256x128_s4_ws.ptx -o %t/llama.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefixes=WS,N128,EPI < %t/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s6_ws_biasbf16_amax.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s6_ws_biasbf16_amax.ptx -o %t/epi.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=MANIFEST < %t/manifest.json

// WS: .maxntid 384, 1, 1
// N256-COUNT-8: mbarrier.init.shared.b64
// N128-COUNT-12: mbarrier.init.shared.b64
// WS: fence.mbarrier_init.release.cluster
// WS: prefetch.tensormap
// WS: bar.sync 0
// Consumers (LLVM lays their branch out first).
// WS: setmaxnreg.inc.sync.aligned.u32 232;
// WS: mbarrier.try_wait.parity.shared.b64
// WS: wgmma.fence.sync.aligned
// N256-COUNT-4: wgmma.mma_async.sync.aligned.m64n256k32.f32.e4m3.e4m3
// N128-COUNT-4: wgmma.mma_async.sync.aligned.m64n128k32.f32.e4m3.e5m2
// WS: wgmma.commit_group.sync.aligned
// WS: wgmma.wait_group.sync.aligned 1
// WS: mbarrier.arrive.shared.b64
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
// The producer.
// WS: setmaxnreg.dec.sync.aligned.u32 40;
// WS: mbarrier.try_wait.parity.shared.b64
// WS: mbarrier.arrive.expect_tx.shared.b64
// WS: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// WS: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// All 12 warps meet for the amax reduction.
// EPI: bar.sync 0
// EPI: atom.global.max.u32

// PTXAS: Compiling entry function 'fp8_gemm_sm90_{{.*}}_ws{{.*}}' for 'sm_90a'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS: Used 168 registers, used {{[13]}} barriers

// 4 stages of (128 + 256) x 128 bytes + 1 KiB.
// MANIFEST: "block": [
// MANIFEST-NEXT: 384,
// MANIFEST: "dynamic_shared_memory": 197632,

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
