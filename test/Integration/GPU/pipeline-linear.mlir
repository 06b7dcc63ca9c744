// A tensorwise FP8 linear layer through --fp8-gpu-pipeline: amax and
// quantize kernels, scale_from_amax on the host (reference lowering on
// managed memory), the wgmma GEMM. The host code translates to LLVM IR
// that loads the PTX and launches the five kernels; every kernel assembles.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a" -o %t/lowered.mlir
// RUN: mlir-translate --mlir-to-llvmir %t/lowered.mlir | FileCheck %s --check-prefix=HOST
// RUN: %extract-ptx %t/lowered.mlir -o %t/ptx | FileCheck %s --check-prefix=FILES
// RUN: for f in %t/ptx/*.ptx; do %ptxas -arch=sm_90a -v $f -o %t/k.cubin 2>&1; done | FileCheck %s --check-prefix=PTXAS

// Managed buffers only (no malloc: kernels read the host-computed scales).
// HOST-NOT: call ptr @malloc
// HOST-COUNT-2: call void @mgpuMemset32
// HOST-COUNT-2: call ptr @mgpuTensorMapEncodeTiledMemref
// HOST: call void @mgpuLaunchKernel
// HOST-NOT: call ptr @malloc

// FILES-DAG: fp8_amax_bf16_tensor_256x512.ptx
// FILES-DAG: fp8_amax_bf16_tensor_384x512.ptx
// FILES-DAG: fp8_quantize_bf16_f8E4M3FN_tensor_256x512.ptx
// FILES-DAG: fp8_quantize_bf16_f8E4M3FN_tensor_384x512.ptx
// FILES-DAG: fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_256x384x512_tile128x64x128_s4.ptx

// PTXAS-COUNT-5: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS-NOT: error

func.func @linear(%x: tensor<256x512xbf16>, %w: tensor<384x512xbf16>) -> tensor<256x384xbf16> {
  %ax = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<256x512xbf16> -> tensor<f32>
  %sx = fp8.scale_from_amax %ax {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
  %qx = fp8.quantize %x, %sx {scaling = #fp8.scaling<tensor>}
      : tensor<256x512xbf16>, tensor<f32> -> tensor<256x512xf8E4M3FN>
  %aw = fp8.amax %w {scaling = #fp8.scaling<tensor>} : tensor<384x512xbf16> -> tensor<f32>
  %sw = fp8.scale_from_amax %aw {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
  %qw = fp8.quantize %w, %sw {scaling = #fp8.scaling<tensor>}
      : tensor<384x512xbf16>, tensor<f32> -> tensor<384x512xf8E4M3FN>
  %y = fp8.scaled_matmul %qx, %sx, %qw, %sw
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<256x512xf8E4M3FN>, tensor<f32>, tensor<384x512xf8E4M3FN>, tensor<f32>
        -> tensor<256x384xbf16>
  return %y : tensor<256x384xbf16>
}
