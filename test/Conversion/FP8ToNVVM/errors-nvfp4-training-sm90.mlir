// The NVFP4 training step's stochastically rounded gradient quantize on
// sm_90a, which has no FP4 cvt (and no cvt.rs): the FP4 diagnostic at the
// op, never an abort or a host fallback. (fp8.hadamard lowers on sm_90a:
// hadamard.mlir.)
// RUN: fp8-opt %s --fp8-gpu-pipeline=chip=sm_90a -verify-diagnostics

func.func @stochastic(%x: tensor<64x128xf32>, %s: tensor<64x8xf8E4M3FN>, %g: tensor<f32>) -> tensor<64x128xf4E2M1FN> {
  // expected-error @+1 {{'fp8.quantize' op converts 'f4E2M1FN', which sm_90a cannot do in hardware: the FP4/FP6 cvt instructions need sm_100a}}
  %q = fp8.quantize %x, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>, sr_seed = 24301 : i64}
      : tensor<64x128xf32>, tensor<64x8xf8E4M3FN> -> tensor<64x128xf4E2M1FN>
  return %q : tensor<64x128xf4E2M1FN>
}
