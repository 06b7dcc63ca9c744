// The sm_100a CTA-pair GEMM (gemm-warp-specialize=on gemm-cluster=2x1)
// assembles for sm_100a without spills or ptxas advisories: the 8192^3
// kernel of the device benchmark (128x256 per CTA, 256x256 per pair),
// ragged M and N with the rowwise epilogue, bias, FP8 output and amax, and
// a batch. Every tcgen05 instruction is cta_group::2; the TMA loads of both
// CTAs complete on the leader's barrier (mapa to rank 0).
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_100a gemm-warp-specialize=on gemm-cluster=2x1" | %extract-ptx -o %t
// RUN: %ptxas -arch=sm_100a -v %t/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_8192x8192x8192_tile128x256x128_s4_ws_cta2.ptx -o %t/a.cubin 2>&1 | FileCheck %s
// RUN: %ptxas -arch=sm_100a -v %t/fp8_gemm_sm100_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s4_ws_cta2_biasbf16_amax.ptx -o %t/b.cubin 2>&1 | FileCheck %s
// RUN: %ptxas -arch=sm_100a -v %t/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_3x200x136x256_tile128x64x128_s2_ws_cta2.ptx -o %t/c.cubin 2>&1 | FileCheck %s
// RUN: FileCheck %s --check-prefix=PTX < %t/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_8192x8192x8192_tile128x256x128_s4_ws_cta2.ptx

// CHECK-NOT: (C75
// CHECK: Compiling entry function 'fp8_gemm_sm100_{{.*}}_ws_cta2{{.*}}' for 'sm_100a'
// CHECK: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// CHECK-NOT: (C75

// PTX-NOT: cta_group::1
// PTX: tcgen05.alloc.cta_group::2.sync.aligned.shared::cta.b32
// PTX: tcgen05.relinquish_alloc_permit.cta_group::2.sync.aligned;
// PTX: barrier.cluster.arrive;
// PTX: barrier.cluster.wait;
// PTX: tcgen05.mma.cta_group::2.kind::f8f6f4
// PTX: tcgen05.commit.cta_group::2.mbarrier::arrive::one.shared::cluster.multicast::cluster.b64
// PTX: barrier.cluster.arrive;
// PTX: barrier.cluster.wait;
// PTX: tcgen05.dealloc.cta_group::2.sync.aligned.b32
// PTX: mapa.shared::cluster.u64 [[LEADER:%rd[0-9]+]], %rd{{[0-9]+}}, 0;
// PTX: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes.cta_group::2 [%rd{{[0-9]+}}], [%rd{{[0-9]+}}, {%r{{[0-9]+}}, %r{{[0-9]+}}}], [[[LEADER]]];
// PTX-NOT: cta_group::1

func.func @bench(%a: tensor<8192x8192xf8E4M3FN>, %sa: tensor<f32>,
                 %b: tensor<8192x8192xf8E4M3FN>, %sb: tensor<f32>) -> tensor<8192x8192xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<8192x8192xf8E4M3FN>, tensor<f32>, tensor<8192x8192xf8E4M3FN>, tensor<f32>
        -> tensor<8192x8192xbf16>
  return %d : tensor<8192x8192xbf16>
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
func.func @batched(%a: tensor<3x200x256xf8E4M3FN>, %sa: tensor<f32>,
                   %b: tensor<3x136x256xf8E4M3FN>, %sb: tensor<f32>) -> tensor<3x200x136xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<3x200x256xf8E4M3FN>, tensor<f32>, tensor<3x136x256xf8E4M3FN>, tensor<f32>
        -> tensor<3x200x136xbf16>
  return %d : tensor<3x200x136xbf16>
}
