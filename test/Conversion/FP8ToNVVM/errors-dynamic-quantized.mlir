// A linear layer with dynamic tokens, which fp8-quantize-matmuls quantizes
// under every recipe: the activation's amax and quantize get runtime-row
// kernels (dynamic-rows.mlir), the static weight's chain is converted as
// usual, and the GEMM stops the GPU pipeline with one clear message (its M
// is dynamic; the GEMM kernels need static shapes).
// RUN: fp8-opt %s -verify-diagnostics --fp8-quantize-pipeline="recipe=tensorwise" --fp8-gpu-pipeline="chip=sm_90a"
// RUN: fp8-opt %s -verify-diagnostics --fp8-quantize-pipeline="recipe=delayed" --fp8-gpu-pipeline="chip=sm_100a"
// RUN: fp8-opt %s -verify-diagnostics --fp8-quantize-pipeline="recipe=rowwise" --fp8-gpu-pipeline="chip=sm_90a"
// RUN: fp8-opt %s -verify-diagnostics --fp8-quantize-pipeline="recipe=rowwise" --fp8-gpu-pipeline="chip=sm_100a"
// RUN: fp8-opt %s -verify-diagnostics --fp8-quantize-pipeline="recipe=blockwise" --fp8-gpu-pipeline="chip=sm_90a"
// RUN: fp8-opt %s -verify-diagnostics --fp8-quantize-pipeline="recipe=mxfp8" --fp8-gpu-pipeline="chip=sm_100a"
// RUN: fp8-opt %s -verify-diagnostics --fp8-quantize-pipeline="recipe=mxfp8" --fp8-gpu-pipeline="chip=sm_90a"

func.func @linear(
    %x: tensor<?x256xf32>,
    %w: tensor<256x64xf32> {fp8.role = #fp8.role<weight>},
    %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'fp8.scaled_matmul' op has no GPU kernel for a dynamic M (A's rows, batch dims folded in) yet}}
  %y = linalg.matmul ins(%x, %w : tensor<?x256xf32>, tensor<256x64xf32>)
      outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}
