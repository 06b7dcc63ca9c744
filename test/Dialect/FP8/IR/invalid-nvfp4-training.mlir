// One case per verifier rule of fp8.hadamard, of stochastic rounding on
// fp8.quantize and of the NVFP4 training recipe fields.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics

func.func @signs_not_pow2(%x: tensor<4x48xf32>) -> tensor<4x48xf32> {
  // expected-error @+1 {{'signs' gives the block size, a power of two >= 2 (the order of a Sylvester Hadamard matrix); found 3 signs}}
  %y = fp8.hadamard %x {signs = array<i1: false, true, false>} : tensor<4x48xf32> -> tensor<4x48xf32>
  return %y : tensor<4x48xf32>
}

// -----

func.func @k_not_multiple(%x: tensor<4x40xf32>) -> tensor<4x40xf32> {
  // expected-error @+1 {{the last (transformed) dimension, 40, is not a multiple of the block size 16}}
  %y = fp8.hadamard %x {signs = array<i1: false, false, false, true, false, true, true, true, true, true, true, false, true, false, true, true>} : tensor<4x40xf32> -> tensor<4x40xf32>
  return %y : tensor<4x40xf32>
}

// -----

func.func @k_dynamic(%x: tensor<4x?xf32>) -> tensor<4x?xf32> {
  // expected-error @+1 {{the last (transformed) dimension must be static, a multiple of the block size 2}}
  %y = fp8.hadamard %x {signs = array<i1: false, true>} : tensor<4x?xf32> -> tensor<4x?xf32>
  return %y : tensor<4x?xf32>
}

// -----

func.func @rank0(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{transforms the last dimension; the input has rank 0}}
  %y = fp8.hadamard %x {signs = array<i1: false, true>} : tensor<f32> -> tensor<f32>
  return %y : tensor<f32>
}

// -----

func.func @shape_mismatch(%x: tensor<4x32xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %y = fp8.hadamard %x {signs = array<i1: false, true>} : tensor<4x32xf32> -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

func.func @sr_not_fp4(%x: tensor<4x64xf32>, %s: tensor<f32>) -> tensor<4x64xf8E4M3FN> {
  // expected-error @+1 {{stochastic rounding ('sr_seed') is defined for f4E2M1FN results only, found 'f8E4M3FN'}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>, sr_seed = 1 : i64}
      : tensor<4x64xf32>, tensor<f32> -> tensor<4x64xf8E4M3FN>
  return %q : tensor<4x64xf8E4M3FN>
}

// -----

func.func @sr_not_saturating(%x: tensor<4x64xf32>, %s: tensor<f32>) -> tensor<4x64xf4E2M1FN> {
  // expected-error @+1 {{stochastic rounding ('sr_seed') saturates (cvt.rs.satfinite); it cannot be combined with 'saturate = false'}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>, saturate = false, sr_seed = 1 : i64}
      : tensor<4x64xf32>, tensor<f32> -> tensor<4x64xf4E2M1FN>
  return %q : tensor<4x64xf4E2M1FN>
}

// -----

func.func @sr_offset_alone(%x: tensor<4x64xf32>, %s: tensor<f32>) -> tensor<4x64xf4E2M1FN> {
  // expected-error @+1 {{'sr_offset' needs 'sr_seed' (stochastic rounding is on where a seed is given)}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>, sr_offset = 4 : i64}
      : tensor<4x64xf32>, tensor<f32> -> tensor<4x64xf4E2M1FN>
  return %q : tensor<4x64xf4E2M1FN>
}

// -----

func.func @sr_offset_negative(%x: tensor<4x64xf32>, %s: tensor<f32>) -> tensor<4x64xf4E2M1FN> {
  // expected-error @+1 {{'sr_offset' must be >= 0, found -4}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>, sr_seed = 1 : i64, sr_offset = -4 : i64}
      : tensor<4x64xf32>, tensor<f32> -> tensor<4x64xf4E2M1FN>
  return %q : tensor<4x64xf4E2M1FN>
}

// -----

// expected-error @+1 {{recipe fields 'rht', 'sr' and 'sr_seed' apply to the 'nvfp4' recipe only, not 'mxfp8'}}
module attributes {fp8.recipe = #fp8.recipe<mxfp8, rht = off>} {}

// -----

// expected-error @+1 {{recipe fields 'rht', 'sr' and 'sr_seed' apply to the 'nvfp4' recipe only, not 'mxfp4'}}
module attributes {fp8.recipe = #fp8.recipe<mxfp4, sr_seed = 3>} {}

// -----

// expected-error @+1 {{invalid value 'yes' for recipe field 'sr'; expected 'on' or 'off'}}
module attributes {fp8.recipe = #fp8.recipe<nvfp4, sr = yes>} {}

// -----

// expected-error @+1 {{invalid value '-1' for recipe field 'keep_first'; expected an integer >= 0}}
module attributes {fp8.recipe = #fp8.recipe<nvfp4, keep_first = -1>} {}
