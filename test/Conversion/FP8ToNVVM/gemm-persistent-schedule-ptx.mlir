// The persistent schedules assemble without spills or ptxas advisories
// (C75xx): ping-pong (tensorwise, rowwise with bias, amax and a split
// accumulator, block scales in 64x128 tiles), the cooperative TMA-store
// epilogue, and both together. The TMA-store kernels store D with
// cp.async.bulk.tensor from shared memory, commit each tile's boxes as a
// bulk group and wait for the buffer to be read before reusing it; D's
// descriptor is in the manifest, over D's memory. An FP8 D of 2050 columns
// (rows not whole 16 bytes) keeps the direct epilogue. The wide direct
// epilogue (gemm-epilogue=direct-wide, cooperative and ping-pong) stores
// 16 bytes a lane (bf16, f16) or 8 (FP8) after butterfly shuffles, also
// without spills or advisories.
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-warp-specialize=on gemm-persistent=on gemm-schedule=pingpong gemm-wait-hint=spin" | %extract-ptx -o %t
// RUN: FileCheck %s --check-prefix=PINGPONG < %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x128x128_s6_ws_c2x1_persistent_pingpong_spin.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x128x128_s6_ws_c2x1_persistent_pingpong_spin.ptx -o %t/big.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile64x128x128_s6_ws_c2x1_persistent_pingpong_splitacc_biasbf16_amax_spin.ptx -o %t/epi.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_1024x1024x1024_tile64x128x128_s6_ws_c2x1_persistent_pingpong_spin.ptx -o %t/block.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: rm -rf %t2 && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-warp-specialize=on gemm-persistent=on gemm-epilogue=tma-store" | %extract-ptx -o %t2
// RUN: FileCheck %s --check-prefix=TMA < %t2/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s3_ws_c2x1_persistent_tmastore.ptx
// RUN: FileCheck %s --check-prefix=MANIFEST < %t2/manifest.json
// RUN: %ptxas -arch=sm_90a -v %t2/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s3_ws_c2x1_persistent_tmastore.ptx -o %t2/big.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t2/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_1024x1024x1024_tile128x128x128_s6_ws_c2x1_persistent_tmastore.ptx -o %t2/block.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=DIRECT < %t2/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s6_ws_c2x1_persistent_splitacc_biasbf16_amax.ptx
// RUN: rm -rf %t3 && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-warp-specialize=on gemm-persistent=on gemm-schedule=pingpong gemm-epilogue=tma-store gemm-raster=grouped" | %extract-ptx -o %t3
// RUN: FileCheck %s --check-prefix=TMA < %t3/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x128x128_s5_ws_c2x1_persistent_pingpong_tmastore_grp8.ptx
// RUN: %ptxas -arch=sm_90a -v %t3/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x128x128_s5_ws_c2x1_persistent_pingpong_tmastore_grp8.ptx -o %t3/big.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t3/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_rowwise_rowwise_256x256x512_tile128x128x128_s4_ws_c2x1_persistent_pingpong_tmastore_grp8.ptx -o %t3/small.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: rm -rf %t4 && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-warp-specialize=on gemm-persistent=on gemm-epilogue=direct-wide" | %extract-ptx -o %t4
// RUN: FileCheck %s --check-prefix=WIDE < %t4/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws_c2x1_persistent_widestore.ptx
// RUN: %ptxas -arch=sm_90a -v %t4/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws_c2x1_persistent_widestore.ptx -o %t4/big.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t4/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_1024x1024x1024_tile128x128x128_s6_ws_c2x1_persistent_widestore.ptx -o %t4/block.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t4/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2064x1040_tile128x128x128_s6_ws_c2x1_persistent_widestore_splitacc_biasbf16_amax.ptx -o %t4/fp8.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t4/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_f16_rowwise_rowwise_1000x2104x384_tile128x128x128_s3_ws_c2x1_persistent_widestore_biasf32_amax.ptx -o %t4/f16.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: rm -rf %t5 && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-warp-specialize=on gemm-persistent=on gemm-schedule=pingpong gemm-epilogue=direct-wide" | %extract-ptx -o %t5
// RUN: %ptxas -arch=sm_90a -v %t5/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x128x128_s6_ws_c2x1_persistent_pingpong_widestore.ptx -o %t5/big.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t5/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2064x1040_tile64x128x128_s6_ws_c2x1_persistent_pingpong_widestore_splitacc_biasbf16_amax.ptx -o %t5/fp8.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t5/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_f16_rowwise_rowwise_1000x2104x384_tile128x128x128_s3_ws_c2x1_persistent_pingpong_widestore_biasf32_amax.ptx -o %t5/f16.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS

// Ping-pong: the four order barriers of 128 arrivals (main loops and
// epilogues); each consumer's turn is a try_wait before its main loop
// and an arrive after it.
// PINGPONG: mov.b32 [[N:%r[0-9]+]], 128;
// PINGPONG-NEXT: mbarrier.init.shared.b64 [{{.*}}], [[N]];
// PINGPONG-NEXT: mbarrier.init.shared.b64 [{{.*}}], [[N]];
// PINGPONG-NEXT: mbarrier.init.shared.b64 [{{.*}}], [[N]];
// PINGPONG-NEXT: mbarrier.init.shared.b64 [{{.*}}], [[N]];
// PINGPONG-NEXT: fence.mbarrier_init.release.cluster;
// PINGPONG: setmaxnreg.inc.sync.aligned.u32 232;
// PINGPONG: mbarrier.arrive.shared.b64 {{.*}};
// PINGPONG-NEXT: wgmma.wait_group.sync.aligned 0;

// TMA: setmaxnreg.inc.sync.aligned.u32 232;
// TMA: cp.async.bulk.wait_group.read 0;
// TMA: bar.sync %r{{[0-9]+}}, 128;
// TMA: st.shared.b32
// TMA: fence.proxy.async.shared::cta;
// TMA-NEXT: bar.sync %r{{[0-9]+}}, 128;
// TMA: cp.async.bulk.tensor.2d.global.shared::cta.tile.bulk_group [[[MAP:%rd[0-9]+]], {%r{{[0-9]+}}, [[ROW:%r[0-9]+]]}], [%rd{{[0-9]+}}];
// TMA: cp.async.bulk.tensor.2d.global.shared::cta.tile.bulk_group [[[MAP]], {%r{{[0-9]+}}, [[ROW]]}], [%rd{{[0-9]+}}];
// TMA: cp.async.bulk.commit_group;
// TMA: cp.async.bulk.wait_group 0;

// Wide direct stores of bf16: two butterfly rounds (lane masks 1 and 2),
// then 16-byte stores, no 4-byte pair stores left.
// WIDE-NOT: st.global.b32
// WIDE: shfl.sync.bfly.b32 {{.*}}, 1, 31, -1;
// WIDE: shfl.sync.bfly.b32 {{.*}}, 2, 31, -1;
// WIDE: st.global.v4.b32
// WIDE-NOT: st.global.b32

// DIRECT-NOT: cp.async.bulk.tensor.2d.global.shared::cta
// DIRECT-NOT: cp.async.bulk.commit_group
// DIRECT: st.global

// MANIFEST: "name": "fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s3_ws_c2x1_persistent_tmastore"
// MANIFEST: "name": "d",
// MANIFEST: "box_dim": [
// MANIFEST-NEXT: 64,
// MANIFEST-NEXT: 64
// MANIFEST-NEXT: ],
// MANIFEST: "data_type": "CU_TENSOR_MAP_DATA_TYPE_BFLOAT16",
// MANIFEST: "global_dim": [
// MANIFEST-NEXT: 4096,
// MANIFEST-NEXT: 4096
// MANIFEST-NEXT: ],
// MANIFEST: "global_strides_bytes": [
// MANIFEST-NEXT: 8192
// MANIFEST-NEXT: ],
// MANIFEST: "kind": "tensor_map",
// MANIFEST: "name": "d_map",
// MANIFEST-NEXT: "of": "d",
// MANIFEST: "swizzle": "CU_TENSOR_MAP_SWIZZLE_128B"

// PTXAS-NOT: (C75
// PTXAS: Compiling entry function 'fp8_gemm_sm90_{{.*}}_persistent{{.*}}' for 'sm_90a'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
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

func.func @wide_fp8(%a: tensor<1000x1040xf8E4M3FN>, %sa: tensor<1000x1xf32>,
                    %b: tensor<2064x1040xf8E5M2>, %sb: tensor<2064x1xf32>,
                    %bias: tensor<2064xbf16>, %os: tensor<f32>)
    -> (tensor<1000x2064xf8E4M3FN>, tensor<f32>) {
  %d, %amax = fp8.scaled_matmul %a, %sa, %b, %sb
      bias(%bias : tensor<2064xbf16>) out_scale(%os : tensor<f32>)
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<1000x1040xf8E4M3FN>, tensor<1000x1xf32>, tensor<2064x1040xf8E5M2>, tensor<2064x1xf32>
        -> tensor<1000x2064xf8E4M3FN>, tensor<f32>
  return %d, %amax : tensor<1000x2064xf8E4M3FN>, tensor<f32>
}

func.func @wide_f16(%a: tensor<1000x384xf8E4M3FN>, %sa: tensor<1000x1xf32>,
                    %b: tensor<2104x384xf8E4M3FN>, %sb: tensor<2104x1xf32>,
                    %bias: tensor<2104xf32>) -> (tensor<1000x2104xf16>, tensor<f32>) {
  %d, %amax = fp8.scaled_matmul %a, %sa, %b, %sb bias(%bias : tensor<2104xf32>)
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<1000x384xf8E4M3FN>, tensor<1000x1xf32>, tensor<2104x384xf8E4M3FN>, tensor<2104x1xf32>
        -> tensor<1000x2104xf16>, tensor<f32>
  return %d, %amax : tensor<1000x2104xf16>, tensor<f32>
}

func.func @blockwise(%a: tensor<1024x1024xf8E4M3FN>, %sa: tensor<1024x8xf32>,
                     %b: tensor<1024x1024xf8E4M3FN>, %sb: tensor<8x8xf32>) -> tensor<1024x1024xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<1024x1024xf8E4M3FN>, tensor<1024x8xf32>, tensor<1024x1024xf8E4M3FN>, tensor<8x8xf32>
        -> tensor<1024x1024xbf16>
  return %d : tensor<1024x1024xbf16>
}

func.func @small(%a: tensor<256x512xf8E4M3FN>, %sa: tensor<256x1xf32>,
                 %b: tensor<256x512xf8E4M3FN>, %sb: tensor<256x1xf32>) -> tensor<256x256xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<256x512xf8E4M3FN>, tensor<256x1xf32>, tensor<256x512xf8E4M3FN>, tensor<256x1xf32>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}
