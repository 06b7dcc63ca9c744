// --fp8-gpu-pipeline on the NVFP4 training ops that have no GPU lowering
// yet (fp8.hadamard, stochastically rounded fp8.quantize): a located
// diagnostic naming the op, on sm_100a and sm_90a, never an abort and never
// a silent host fallback or a dropped attribute.
// RUN: fp8-opt %s -split-input-file --fp8-gpu-pipeline=chip=sm_100a -verify-diagnostics
// RUN: fp8-opt %s -split-input-file --fp8-gpu-pipeline=chip=sm_90a -verify-diagnostics

func.func @hadamard(%x: tensor<64x128xf32>) -> tensor<64x128xf32> {
  // expected-error-re @+1 {{'fp8.hadamard' op has no GPU lowering yet (sm_{{(100|90)}}a); the random Hadamard transform runs in the CPU pipeline only}}
  %y = fp8.hadamard %x {signs = array<i1: false, false, false, true, false, true, true, true, true, true, true, false, true, false, true, true>}
      : tensor<64x128xf32> -> tensor<64x128xf32>
  return %y : tensor<64x128xf32>
}

// -----

func.func @stochastic(%x: tensor<64x128xf32>) -> tensor<64x128xf4E2M1FN> {
  %t = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<64x128xf32> -> tensor<f32>
  %g = fp8.scale_from_amax %t {format = f4E2M1FN, block_scale_type = f8E4M3FN} : tensor<f32> -> tensor<f32>
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 16]>} : tensor<64x128xf32> -> tensor<64x8xf32>
  %s = fp8.scale_from_amax %a global(%g : tensor<f32>) {format = f4E2M1FN} : tensor<64x8xf32> -> tensor<64x8xf8E4M3FN>
  // expected-error-re @+1 {{'fp8.quantize' op with stochastic rounding ('sr_seed') has no GPU lowering yet (sm_{{(100|90)}}a); it runs in the CPU pipeline only}}
  %q = fp8.quantize %x, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>, sr_seed = 24301 : i64}
      : tensor<64x128xf32>, tensor<64x8xf8E4M3FN> -> tensor<64x128xf4E2M1FN>
  return %q : tensor<64x128xf4E2M1FN>
}
