// A linear layer with dynamic tokens, which fp8-quantize-matmuls quantizes
// under every recipe. Its GEMM takes M at run time on both chips
// (test/Integration/GPU/mlp-dynamic-batch-ptx.mlir lowers the dynamic-batch
// MLP under all five recipes); what still stops the GPU pipeline is not the
// dynamic M: the blockwise recipe's [1, 128] x [128, 128] GEMM has no
// sm_100a kernel, static or not, and it says so.
// RUN: fp8-opt %s -verify-diagnostics --fp8-quantize-pipeline="recipe=blockwise" --fp8-gpu-pipeline="chip=sm_100a"
// The other recipes lower for both chips (checked by FileCheck: the GEMM
// kernel has a dynamic M, and no fp8 op is left).
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=tensorwise" --fp8-gpu-pipeline="chip=sm_90a" | FileCheck %s --check-prefix=SM90
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=blockwise" --fp8-gpu-pipeline="chip=sm_90a" | FileCheck %s --check-prefix=SM90
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=delayed" --fp8-gpu-pipeline="chip=sm_100a" | FileCheck %s --check-prefix=SM100
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=mxfp8" --fp8-gpu-pipeline="chip=sm_100a" | FileCheck %s --check-prefix=SM100

// SM90: gpu.binary @fp8_gemm_sm90_{{.*}}_dx64x256_
// SM90-NOT: fp8.scaled_matmul
// SM100: gpu.binary @fp8_gemm_sm100_{{.*}}_dx64x256_
// SM100-NOT: fp8.scaled_matmul

func.func @linear(
    %x: tensor<?x256xf32>,
    %w: tensor<256x64xf32> {fp8.role = #fp8.role<weight>},
    %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'fp8.scaled_matmul' op with block scaling #fp8.scaling<block [1, 128]> has no sm_100a kernel yet}}
  %y = linalg.matmul ins(%x, %w : tensor<?x256xf32>, tensor<256x64xf32>)
      outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}
