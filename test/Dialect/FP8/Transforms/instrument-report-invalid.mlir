// fp8-instrument-report reports programs it cannot instrument at the op or
// function, with a message saying what it needs.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-instrument-report=entry=f
// RUN: not fp8-opt %s -split-input-file --fp8-instrument-report 2>&1 | FileCheck %s
// CHECK: error: fp8-instrument-report: no function in the module has an fp8.quantize op; the report needs a quantized program (the output of --fp8-quantize-pipeline)

// expected-error @+1 {{@f has no fp8.quantize op; the report needs a quantized program (the output of --fp8-quantize-pipeline)}}
func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  return %x : tensor<4x8xf32>
}

// -----

func.func @f(%x: tensor<64x32xf32>) -> tensor<32x64xf8E4M3FN> {
  %s = arith.constant dense<1.0> : tensor<f32>
  // expected-error @+1 {{the numerics report does not read fp8.quantize_transposed (formed by the GPU pipeline); report on the output of --fp8-quantize-pipeline}}
  %q = fp8.quantize_transposed %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<64x32xf32>, tensor<f32> -> tensor<32x64xf8E4M3FN>
  return %q : tensor<32x64xf8E4M3FN>
}

// -----

func.func @f(%x: tensor<4x8xf32>, %c: i1) -> tensor<4x8xf8E4M3FN> {
  %s = arith.constant dense<1.0> : tensor<f32>
  %q = scf.if %c -> tensor<4x8xf8E4M3FN> {
    // expected-error @+1 {{the numerics report reads only ops in the function's body, not in nested regions}}
    %a = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
        : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf8E4M3FN>
    scf.yield %a : tensor<4x8xf8E4M3FN>
  } else {
    // expected-error @+1 {{the numerics report reads only ops in the function's body, not in nested regions}}
    %b = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>, saturate = false}
        : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf8E4M3FN>
    scf.yield %b : tensor<4x8xf8E4M3FN>
  }
  return %q : tensor<4x8xf8E4M3FN>
}

// -----

// expected-error @+1 {{@f is called in the module; the numerics report instruments only functions nothing calls (its results change)}}
func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf8E4M3FN> {
  %s = arith.constant dense<1.0> : tensor<f32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf8E4M3FN>
  return %q : tensor<4x8xf8E4M3FN>
}

func.func @caller(%x: tensor<4x8xf32>) -> tensor<4x8xf8E4M3FN> {
  %q = func.call @f(%x) : (tensor<4x8xf32>) -> tensor<4x8xf8E4M3FN>
  return %q : tensor<4x8xf8E4M3FN>
}
