// Every variant of the warp-specialized sm_100a GEMM assembles for sm_100a
// without spills or ptxas advisories: one tile per CTA and persistent,
// tensorwise, rowwise with bias, FP8 output and amax, and MXFP8.
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_100a gemm-warp-specialize=on" | %extract-ptx -o %t
// RUN: %ptxas -arch=sm_100a -v %t/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2000x2050x1040_tile128x128x128_s4_ws.ptx -o %t/a.cubin 2>&1 | FileCheck %s
// RUN: %ptxas -arch=sm_100a -v %t/fp8_gemm_sm100_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s4_ws_biasbf16_amax.ptx -o %t/b.cubin 2>&1 | FileCheck %s
// RUN: %ptxas -arch=sm_100a -v %t/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_1000x2050x1056_tile128x128x128_s4_ws.ptx -o %t/c.cubin 2>&1 | FileCheck %s
// RUN: rm -rf %t.p && fp8-opt %s --fp8-gpu-pipeline="chip=sm_100a gemm-warp-specialize=on gemm-persistent=on gemm-raster=grouped gemm-wait-hint=spin" | %extract-ptx -o %t.p
// RUN: %ptxas -arch=sm_100a -v %t.p/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2000x2050x1040_tile128x128x128_s4_ws_persistent_spin_grp8.ptx -o %t.p/a.cubin 2>&1 | FileCheck %s
// RUN: %ptxas -arch=sm_100a -v %t.p/fp8_gemm_sm100_f8E4M3FN_f8E5M2_f8E4M3FN_rowwise_rowwise_1000x2050x1040_tile128x128x128_s4_ws_persistent_biasbf16_amax_spin_grp8.ptx -o %t.p/b.cubin 2>&1 | FileCheck %s
// RUN: %ptxas -arch=sm_100a -v %t.p/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_1000x2050x1056_tile128x128x128_s4_ws_persistent_spin_grp8.ptx -o %t.p/c.cubin 2>&1 | FileCheck %s
// The 8192^3 kernels of the device benchmark (128x256 tiles; persistent
// MXFP8 falls back to 128x128 so two accumulators fit tensor memory).
// RUN: rm -rf %t.b && fp8-opt %s --fp8-gpu-pipeline="chip=sm_100a gemm-warp-specialize=on gemm-persistent=on" | %extract-ptx -o %t.b
// RUN: %ptxas -arch=sm_100a -v %t.b/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_8192x8192x8192_tile128x256x128_s4_ws_persistent.ptx -o %t.b/a.cubin 2>&1 | FileCheck %s
// RUN: %ptxas -arch=sm_100a -v %t.b/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_8192x8192x8192_tile128x128x128_s4_ws_persistent.ptx -o %t.b/b.cubin 2>&1 | FileCheck %s

// CHECK-NOT: (C75
// CHECK: Compiling entry function 'fp8_gemm_sm100_{{.*}}_ws{{.*}}' for 'sm_100a'
// CHECK: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// CHECK-NOT: (C75

func.func @tensorwise(%a: tensor<2000x1040xf8E4M3FN>, %sa: tensor<f32>,
                      %b: tensor<2050x1040xf8E4M3FN>, %sb: tensor<f32>) -> tensor<2000x2050xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<2000x1040xf8E4M3FN>, tensor<f32>, tensor<2050x1040xf8E4M3FN>, tensor<f32>
        -> tensor<2000x2050xbf16>
  return %d : tensor<2000x2050xbf16>
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
func.func @mx(%a: tensor<1000x1056xf8E4M3FN>, %sa: tensor<1000x33xf8E8M0FNU>,
              %b: tensor<2050x1056xf8E4M3FN>, %sb: tensor<2050x33xf8E8M0FNU>) -> tensor<1000x2050xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<1000x1056xf8E4M3FN>, tensor<1000x33xf8E8M0FNU>, tensor<2050x1056xf8E4M3FN>, tensor<2050x33xf8E8M0FNU>
        -> tensor<1000x2050xbf16>
  return %d : tensor<1000x2050xbf16>
}

func.func @big(%a: tensor<8192x8192xf8E4M3FN>, %sa: tensor<f32>,
               %b: tensor<8192x8192xf8E4M3FN>, %sb: tensor<f32>) -> tensor<8192x8192xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<8192x8192xf8E4M3FN>, tensor<f32>, tensor<8192x8192xf8E4M3FN>, tensor<f32>
        -> tensor<8192x8192xbf16>
  return %d : tensor<8192x8192xbf16>
}

func.func @big_mx(%a: tensor<8192x8192xf8E4M3FN>, %sa: tensor<8192x256xf8E8M0FNU>,
                  %b: tensor<8192x8192xf8E4M3FN>, %sb: tensor<8192x256xf8E8M0FNU>) -> tensor<8192x8192xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<8192x8192xf8E4M3FN>, tensor<8192x256xf8E8M0FNU>, tensor<8192x8192xf8E4M3FN>, tensor<8192x256xf8E8M0FNU>
        -> tensor<8192x8192xbf16>
  return %d : tensor<8192x8192xbf16>
}
