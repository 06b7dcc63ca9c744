// --fp8-gpu-pipeline on the NVFP4 training ops where no GPU kernel applies:
// a located diagnostic naming the op, never an abort and never a silent
// host fallback or a dropped attribute. fp8.hadamard lowers on both chips
// (hadamard.mlir), stochastically rounded FP4 quantizes on sm_100a
// (quantize-sr-sm100.mlir); what is left is reported here.
// RUN: fp8-opt %s -split-input-file --fp8-gpu-pipeline=chip=sm_100a -verify-diagnostics
// RUN: fp8-opt %s -split-input-file --fp8-gpu-pipeline=chip=sm_90a -verify-diagnostics

// The kernel transforms blocks of at most 16 (the recipe's).
func.func @hadamard_block_32(%x: tensor<64x128xf32>) -> tensor<64x128xf32> {
  // expected-error @+1 {{'fp8.hadamard' op has no GPU kernel for blocks of 32 elements (at most 16, the NVFP4 recipe's 16)}}
  %y = fp8.hadamard %x {signs = array<i1: false, false, false, true, false, true, true, true, true, true, true, false, true, false, true, true, false, false, false, true, false, true, true, true, true, true, true, false, true, false, true, true>}
      : tensor<64x128xf32> -> tensor<64x128xf32>
  return %y : tensor<64x128xf32>
}

// -----

func.func @hadamard_dynamic(%x: tensor<?x128xf32>) -> tensor<?x128xf32> {
  // expected-error @+1 {{'fp8.hadamard' op has no GPU kernel for dynamic shapes; the GPU lowering needs static shapes}}
  %y = fp8.hadamard %x {signs = array<i1: false, false, false, true, false, true, true, true, true, true, true, false, true, false, true, true>}
      : tensor<?x128xf32> -> tensor<?x128xf32>
  return %y : tensor<?x128xf32>
}
