// gemm-persistent=on on sm_100a needs the warp-specialized kernel.
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-persistent=on" -verify-diagnostics -split-input-file

func.func @tensorwise(%a: tensor<256x512xf8E4M3FN>, %sa: tensor<f32>,
                      %b: tensor<256x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<256x256xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op cannot use the GEMM options: gemm-persistent=on needs the warp-specialized kernel on sm_100a (gemm-warp-specialize=on)}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<256x512xf8E4M3FN>, tensor<f32>, tensor<256x512xf8E4M3FN>, tensor<f32>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}
