// What the sm_100a CTA-pair GEMM (gemm-warp-specialize=on gemm-cluster=2x1,
// tcgen05.mma.cta_group::2) does not take is reported at the op: MX and
// NVFP4 scales (no block-scaled pair kernel yet) and a runtime M (the 1-D
// grid of pair tiles is compiled in).
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=on gemm-cluster=2x1" -verify-diagnostics -split-input-file

func.func @mx(%a: tensor<1024x2048xf8E4M3FN>, %sa: tensor<1024x64xf8E8M0FNU>,
              %b: tensor<1024x2048xf8E4M3FN>, %sb: tensor<1024x64xf8E8M0FNU>) -> tensor<1024x1024xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op cannot use the GEMM options: gemm-cluster=2x1 has no block-scaled (MX, NVFP4) CTA-pair kernel yet on sm_100a; use gemm-cluster=1x1}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<1024x2048xf8E4M3FN>, tensor<1024x64xf8E8M0FNU>, tensor<1024x2048xf8E4M3FN>, tensor<1024x64xf8E8M0FNU>
        -> tensor<1024x1024xbf16>
  return %d : tensor<1024x1024xbf16>
}

// -----

func.func @runtime_m(%a: tensor<?x256xf8E4M3FN>, %sa: tensor<f32>,
                     %b: tensor<512x256xf8E4M3FN>, %sb: tensor<f32>) -> tensor<?x512xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op has a runtime M (A's rows), which the sm_100a GEMM does not take with gemm-warp-specialize=on (nor its CTA pairs, gemm-cluster=2x1): its 1-D grid of tiles is compiled in}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<?x256xf8E4M3FN>, tensor<f32>, tensor<512x256xf8E4M3FN>, tensor<f32> -> tensor<?x512xbf16>
  return %d : tensor<?x512xbf16>
}
