// sm_100a: the elementwise kernels exist, the tcgen05 GEMM does not yet.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --convert-fp8-to-gpu="chip=sm_100a"

func.func @gemm(%a: tensor<128x256xf8E4M3FN>, %sa: tensor<f32>,
                %b: tensor<64x256xf8E4M3FN>, %sb: tensor<f32>) -> tensor<128x64xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op has no sm_100a kernel yet (the tcgen05 GEMM is not implemented)}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>, tensor<f32>
        -> tensor<128x64xbf16>
  return %d : tensor<128x64xbf16>
}

// -----

func.func @fp4(%x: tensor<16x32xf32>, %s: tensor<f32>) -> tensor<16x32xf4E2M1FN> {
  // expected-error @+1 {{'fp8.quantize' op has no sm_100a kernel for 'f4E2M1FN' yet (only f8E4M3FN and f8E5M2)}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<16x32xf32>, tensor<f32> -> tensor<16x32xf4E2M1FN>
  return %q : tensor<16x32xf4E2M1FN>
}
