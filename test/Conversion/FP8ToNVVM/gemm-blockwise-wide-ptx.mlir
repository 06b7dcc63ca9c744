// The sm_90a GEMMs with scales along K under the promotion and tile
// options of this file's kernels assemble without spills or ptxas
// advisories (C75xx: an overlapped loop that let ptxas lose track of which
// wgmma owns a partial-sum set would serialize every wgmma, C7514/C7515):
// gemm-promotion=overlapped warp-specialized (DeepSeek [1, 128] x
// [128, 128], the split accumulator of E5M2 operands, both also
// persistent; MX spills at 232 registers, see docs/gpu-pipeline.md) and
// with one warpgroup ([1, 128] x [128, 128] and MX), and the wide tiles
// 128x192 and 128x160 (blockwise: B's 128-row scale groups straddled) and
// 128x144 (MX; wider MX tiles spill, see docs/gpu-pipeline.md).
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-warp-specialize=on gemm-promotion=overlapped" | %extract-ptx -o %t/ovp
// RUN: %ptxas -arch=sm_90a -v %t/ovp/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_1024x1152x1024_tile128x128x128_s6_ws_c2x1_ovp.ptx -o %t/a.cubin 2>&1 | FileCheck %s
// RUN: %ptxas -arch=sm_90a -v %t/ovp/fp8_gemm_sm90_f8E4M3FN_f8E5M2_bf16_rowwise_rowwise_1024x1152x1024_tile128x128x128_s6_ws_c2x1_splitacc_ovp.ptx -o %t/s.cubin 2>&1 | FileCheck %s
// RUN: fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-warp-specialize=on gemm-persistent=on gemm-promotion=overlapped" | %extract-ptx -o %t/ovpp
// RUN: %ptxas -arch=sm_90a -v %t/ovpp/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_1024x1152x1024_tile128x128x128_s6_ws_c2x1_persistent_ovp.ptx -o %t/p.cubin 2>&1 | FileCheck %s
// RUN: %ptxas -arch=sm_90a -v %t/ovpp/fp8_gemm_sm90_f8E4M3FN_f8E5M2_bf16_rowwise_rowwise_1024x1152x1024_tile128x128x128_s6_ws_c2x1_persistent_splitacc_ovp.ptx -o %t/q.cubin 2>&1 | FileCheck %s
// RUN: fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-warp-specialize=off gemm-promotion=overlapped" | %extract-ptx -o %t/ovp1
// RUN: %ptxas -arch=sm_90a -v %t/ovp1/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_1024x1152x1024_tile64x128x128_s4_ovp.ptx -o %t/c.cubin 2>&1 | FileCheck %s
// RUN: %ptxas -arch=sm_90a -v %t/ovp1/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_1024x1152x1024_tile64x128x128_s4_e8m0_ovp.ptx -o %t/d.cubin 2>&1 | FileCheck %s
// RUN: fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-warp-specialize=on gemm-tile=128x192" | %extract-ptx -o %t/n192
// RUN: %ptxas -arch=sm_90a -v %t/n192/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_1024x1152x1024_tile128x192x128_s5_ws_c2x1.ptx -o %t/e.cubin 2>&1 | FileCheck %s
// RUN: fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-warp-specialize=on gemm-tile=128x160" | %extract-ptx -o %t/n160
// RUN: %ptxas -arch=sm_90a -v %t/n160/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_1024x1152x1024_tile128x160x128_s6_ws_c2x1.ptx -o %t/f.cubin 2>&1 | FileCheck %s
// RUN: fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-warp-specialize=on gemm-tile=128x144" | %extract-ptx -o %t/n144
// RUN: %ptxas -arch=sm_90a -v %t/n144/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_1024x1152x1024_tile128x144x128_s6_ws_c2x1_e8m0.ptx -o %t/g.cubin 2>&1 | FileCheck %s

// CHECK-NOT: (C75
// CHECK: Compiling entry function 'fp8_gemm_sm90_{{.*}}' for 'sm_90a'
// CHECK: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// CHECK-NOT: (C75

func.func @blockwise(%a: tensor<1024x1024xf8E4M3FN>, %sa: tensor<1024x8xf32>,
                     %b: tensor<1152x1024xf8E4M3FN>, %sb: tensor<9x8xf32>) -> tensor<1024x1152xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<1024x1024xf8E4M3FN>, tensor<1024x8xf32>, tensor<1152x1024xf8E4M3FN>, tensor<9x8xf32>
        -> tensor<1024x1152xbf16>
  return %d : tensor<1024x1152xbf16>
}

func.func @mx(%a: tensor<1024x1024xf8E4M3FN>, %sa: tensor<1024x32xf8E8M0FNU>,
              %b: tensor<1152x1024xf8E4M3FN>, %sb: tensor<1152x32xf8E8M0FNU>) -> tensor<1024x1152xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<1024x1024xf8E4M3FN>, tensor<1024x32xf8E8M0FNU>, tensor<1152x1024xf8E4M3FN>, tensor<1152x32xf8E8M0FNU>
        -> tensor<1024x1152xbf16>
  return %d : tensor<1024x1152xbf16>
}

func.func @split(%a: tensor<1024x1024xf8E4M3FN>, %sa: tensor<1024x1xf32>,
                 %b: tensor<1152x1024xf8E5M2>, %sb: tensor<1152x1xf32>) -> tensor<1024x1152xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<1024x1024xf8E4M3FN>, tensor<1024x1xf32>, tensor<1152x1024xf8E5M2>, tensor<1152x1xf32>
        -> tensor<1024x1152xbf16>
  return %d : tensor<1024x1152xbf16>
}
