// A linear layer with dynamic tokens, which fp8-quantize-matmuls now
// quantizes under every recipe, still stops the GPU pipeline with its one
// clear message per op (no GPU kernel takes dynamic shapes): the activation's
// amax and quantize (at the argument they read) and the GEMM. The static
// weight's chain is converted as usual.
// RUN: fp8-opt %s -verify-diagnostics --fp8-quantize-pipeline="recipe=rowwise" --fp8-gpu-pipeline="chip=sm_90a"
// RUN: fp8-opt %s -verify-diagnostics --fp8-quantize-pipeline="recipe=blockwise" --fp8-gpu-pipeline="chip=sm_90a"
// RUN: fp8-opt %s -verify-diagnostics --fp8-quantize-pipeline="recipe=mxfp8" --fp8-gpu-pipeline="chip=sm_100a"

func.func @linear(
    // expected-error @+2 {{'fp8.amax' op has no GPU kernel for dynamic shapes; the GPU lowering needs static shapes}}
    // expected-error @+1 {{'fp8.quantize' op has no GPU kernel for dynamic shapes; the GPU lowering needs static shapes}}
    %x: tensor<?x256xf32>,
    %w: tensor<256x64xf32> {fp8.role = #fp8.role<weight>},
    %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'fp8.scaled_matmul' op has no GPU kernel for dynamic shapes; the GPU lowering needs static shapes}}
  %y = linalg.matmul ins(%x, %w : tensor<?x256xf32>, tensor<256x64xf32>)
      outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}
