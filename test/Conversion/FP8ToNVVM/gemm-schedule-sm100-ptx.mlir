// The sm_100a GEMM with its schedule options (waits without the
// suspend-time hint, grouped tile order, 256-byte L2 promotion) assembles
// without spills or ptxas advisories: tensorwise 128x256 tiles, and
// rowwise with bias, FP8 output and amax.
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_100a gemm-wait-hint=spin gemm-raster=grouped gemm-raster-group=8 gemm-l2-promotion=256" | %extract-ptx -o %t
// RUN: FileCheck %s --check-prefix=SPIN < %t/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_spin_grp8_l2p256.ptx
// RUN: %ptxas -arch=sm_100a -v %t/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_spin_grp8_l2p256.ptx -o %t/big.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/fp8_gemm_sm100_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s4_biasbf16_amax_spin_grp8_l2p256.ptx -o %t/epi.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS

// The ring's full and empty waits and the wait for the accumulator.
// SPIN-COUNT-3: mbarrier.try_wait.parity.shared.b64 P1, [%r{{[0-9]+}}], {{%r[0-9]+|0}};
// SPIN-NOT: mbarrier.try_wait.parity.shared.b64 P1, [{{.*}}], {{.*}}, {{.*}};

// PTXAS-NOT: (C75
// PTXAS: Compiling entry function 'fp8_gemm_sm100_{{.*}}_spin_grp8_l2p256' for 'sm_100a'
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
