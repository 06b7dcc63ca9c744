// Stochastically rounded FP4 quantizes sm_100a has no kernel for: a
// diagnostic at the op, never an abort.
// RUN: fp8-opt %s -split-input-file --fp8-gpu-pipeline=chip=sm_100a -verify-diagnostics

// cvt.rs rounds four values with one random word: a thread's chunk (here 2
// elements: rows of 18) must hold whole words.
func.func @sr_rows_of_18(%x: tensor<64x18xf32>, %s: tensor<64x2xf8E4M3FN>, %g: tensor<f32>) -> tensor<64x18xf4E2M1FN> {
  // expected-error @+1 {{'fp8.quantize' op has no sm_100a kernel for stochastic rounding of rows or scale groups whose width is not a multiple of 4 (cvt.rs.satfinite.e2m1x4 rounds four values with one random word)}}
  %q = fp8.quantize %x, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>, sr_seed = 7 : i64}
      : tensor<64x18xf32>, tensor<64x2xf8E4M3FN> -> tensor<64x18xf4E2M1FN>
  return %q : tensor<64x18xf4E2M1FN>
}
