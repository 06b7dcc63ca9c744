// Every GEMM schedule option at once assembles without spills or ptxas
// advisories (C75xx), in each structure of the sm_90a GEMM: the
// warp-specialized 2x1-cluster kernel (tensorwise 128x256 tiles; rowwise
// with bias, FP8 output, amax and a split accumulator), the one-warpgroup
// kernel (block scales; rowwise), and all four persistent. Every wait is
// the try_wait loop without the suspend-time operand (gemm-wait-hint=spin);
// by default the waits keep it.
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-wait-hint=spin gemm-raster=grouped gemm-raster-group=8 gemm-l2-promotion=256 gemm-epilogue-prefetch=on" | %extract-ptx -o %t
// RUN: FileCheck %s --check-prefix=SPIN < %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws_c2x1_spin_grp8_l2p256_epf.ptx
// RUN: FileCheck %s --check-prefix=SPIN < %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_1024x1024x1024_tile64x128x128_s4_spin_grp8_l2p256_epf.ptx
// RUN: FileCheck %s --check-prefix=MANIFEST < %t/manifest.json
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws_c2x1_spin_grp8_l2p256_epf.ptx -o %t/big.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s6_ws_c2x1_splitacc_biasbf16_amax_spin_grp8_l2p256_epf.ptx -o %t/epi.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_1024x1024x1024_tile64x128x128_s4_spin_grp8_l2p256_epf.ptx -o %t/block.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_rowwise_rowwise_256x256x512_tile128x64x128_s4_spin_grp8_l2p256_epf.ptx -o %t/small.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: rm -rf %t2 && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-warp-specialize=on gemm-persistent=on gemm-wait-hint=spin gemm-raster=grouped gemm-raster-group=8 gemm-l2-promotion=256 gemm-epilogue-prefetch=on" | %extract-ptx -o %t2
// RUN: FileCheck %s --check-prefix=SPIN < %t2/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws_c2x1_persistent_spin_grp8_l2p256_epf.ptx
// RUN: %ptxas -arch=sm_90a -v %t2/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws_c2x1_persistent_spin_grp8_l2p256_epf.ptx -o %t2/big.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t2/fp8_gemm_sm90_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s6_ws_c2x1_persistent_splitacc_biasbf16_amax_spin_grp8_l2p256_epf.ptx -o %t2/epi.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t2/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_1024x1024x1024_tile128x128x128_s6_ws_c2x1_persistent_spin_grp8_l2p256_epf.ptx -o %t2/block.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t2/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_rowwise_rowwise_256x256x512_tile128x128x128_s4_ws_c2x1_persistent_spin_grp8_l2p256_epf.ptx -o %t2/small.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: rm -rf %t3 && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a" | %extract-ptx -o %t3
// RUN: FileCheck %s --check-prefix=SUSPEND < %t3/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws_c2x1.ptx

// SPIN: mbarrier.try_wait.parity.shared.b64 P1, [%r{{[0-9]+}}], {{%r[0-9]+|0}};
// SPIN-NOT: mbarrier.try_wait.parity.shared.b64 P1, [{{.*}}], {{.*}}, {{.*}};
// SUSPEND: mbarrier.try_wait.parity.shared.b64 P1, [%r{{[0-9]+}}], {{%r[0-9]+|0}}, 10000000;

// The host encoder promotes both operands' TMA loads to 256 bytes.
// MANIFEST: "name": "fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws_c2x1_spin_grp8_l2p256_epf"
// MANIFEST: "l2_promotion": "CU_TENSOR_MAP_L2_PROMOTION_L2_256B",
// MANIFEST-NEXT: "name": "a",
// MANIFEST: "l2_promotion": "CU_TENSOR_MAP_L2_PROMOTION_L2_256B",
// MANIFEST-NEXT: "name": "b",

// PTXAS-NOT: (C75
// PTXAS: Compiling entry function 'fp8_gemm_sm90_{{.*}}_spin_grp8_l2p256_epf' for 'sm_90a'
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
