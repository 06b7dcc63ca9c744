// gemm-scale-load=tma needs the warp-specialized sm_100a kernel.
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-scale-load=tma" -verify-diagnostics
// Values other than global and tma are rejected when the option is parsed.
// RUN: not fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-scale-load=auto" 2>&1 | FileCheck %s --check-prefix=VALUE
// RUN: not fp8-opt %s --fp8-gpu-pipeline="chip=sm_100a gemm-scale-load=ldg" 2>&1 | FileCheck %s --check-prefix=PIPELINE
// VALUE: for the --gemm-scale-load option: Cannot find option named 'auto'!
// PIPELINE: for the --gemm-scale-load option: Cannot find option named 'ldg'!

func.func @mx(%a: tensor<256x1024xf8E4M3FN>, %sa: tensor<256x32xf8E8M0FNU>,
              %b: tensor<256x1024xf8E4M3FN>, %sb: tensor<256x32xf8E8M0FNU>) -> tensor<256x256xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op cannot use the GEMM options: gemm-scale-load=tma needs the warp-specialized kernel on sm_100a (gemm-warp-specialize=on)}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<256x1024xf8E4M3FN>, tensor<256x32xf8E8M0FNU>, tensor<256x1024xf8E4M3FN>, tensor<256x32xf8E8M0FNU>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}
