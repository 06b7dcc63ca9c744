// The sm_100a (tcgen05) GEMM variants assemble with ptxas -arch=sm_100a
// without spills: a large tensor-scaled GEMM (128x256 tiles, a K loop that
// refills the ring), rowwise scales with bias, FP8 output and amax, and MX
// with a ragged M, N and K (K / 32 = 33 scale columns).
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_100a" | %extract-ptx -o %t
// RUN: FileCheck %s --check-prefix=BIG < %t/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4.ptx
// RUN: %ptxas -arch=sm_100a -v %t/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4.ptx -o %t/big.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=EPI < %t/fp8_gemm_sm100_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s4_biasbf16_amax.ptx
// RUN: %ptxas -arch=sm_100a -v %t/fp8_gemm_sm100_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s4_biasbf16_amax.ptx -o %t/epi.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=MX < %t/fp8_gemm_sm100_f8E4M3FN_f8E5M2_bf16_block1x32_block1x32_300x200x1040_tile128x64x128_s4_biasf32_amax.ptx
// RUN: %ptxas -arch=sm_100a -v %t/fp8_gemm_sm100_f8E4M3FN_f8E5M2_bf16_block1x32_block1x32_300x200x1040_tile128x64x128_s4_biasf32_amax.ptx -o %t/mx.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS

// PTXAS: Compiling entry function 'fp8_gemm_sm100_{{.*}}' for 'sm_100a'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads

// 32 K steps through a 4-stage ring: the loop waits for the stage of the
// previous K step to be released (its empty barrier) and refills it.
// BIG: .version 8.8
// BIG: .target sm_100a
// BIG: tcgen05.alloc.cta_group::1.sync.aligned.shared::cta.b32
// BIG: mbarrier.try_wait.parity.shared.b64
// BIG-COUNT-4: tcgen05.mma.cta_group::1.kind::f8f6f4
// BIG: tcgen05.commit.cta_group::1.mbarrier::arrive::one.shared::cluster.b64
// BIG: mbarrier.try_wait.parity.shared.b64
// BIG: mbarrier.arrive.expect_tx.shared.b64
// BIG: cp.async.bulk.tensor.2d.shared::cta.global.tile.mbarrier::complete_tx::bytes
// BIG: tcgen05.ld.sync.aligned.32x32b.x16.b32
// BIG: cvt.rn.bf16x2.f32
// BIG: st.global.v4.b32
// BIG: tcgen05.dealloc.cta_group::1.sync.aligned.b32

// EPI: tcgen05.mma.cta_group::1.kind::f8f6f4
// EPI: tcgen05.ld.sync.aligned.32x32b.x16.b32
// EPI: div.rn.f32
// EPI: cvt.rn.satfinite.e4m3x2.f32
// EPI: redux.sync.max.abs.NaN.f32
// EPI: redux.sync.max.abs.NaN.f32
// EPI: atom.global.max.u32

// MX: tcgen05.cp.cta_group::1.32x128b.warpx4
// MX-COUNT-4: tcgen05.mma.cta_group::1.kind::mxf8f6f4.block_scale.block32
// MX: redux.sync.max.abs.NaN.f32

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

func.func @mx(%a: tensor<300x1040xf8E4M3FN>, %sa: tensor<300x33xf8E8M0FNU>,
              %b: tensor<200x1040xf8E5M2>, %sb: tensor<200x33xf8E8M0FNU>,
              %bias: tensor<200xf32>) -> (tensor<300x200xbf16>, tensor<f32>) {
  %d, %amax = fp8.scaled_matmul %a, %sa, %b, %sb bias(%bias : tensor<200xf32>)
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<300x1040xf8E4M3FN>, tensor<300x33xf8E8M0FNU>, tensor<200x1040xf8E5M2>, tensor<200x33xf8E8M0FNU>
        -> tensor<300x200xbf16>, tensor<f32>
  return %d, %amax : tensor<300x200xbf16>, tensor<f32>
}
