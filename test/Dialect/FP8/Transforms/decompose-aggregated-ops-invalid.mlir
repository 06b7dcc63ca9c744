// An integer softmax is an error at the op, not a crash in upstream's
// decomposition (found by scripts/fuzz.py).
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-decompose-aggregated-ops
// RUN: not fp8-opt %s -split-input-file --fp8-cpu-pipeline 2>&1 | FileCheck %s
// CHECK: error: 'linalg.softmax' op has elements of type 'i8'; only f16, bf16, f32 and f64 decompose into linalg.generic ops

func.func @softmax_i8(%x: tensor<2x16xi8>) -> tensor<2x16xi8> {
  %e = tensor.empty() : tensor<2x16xi8>
  // expected-error @+1 {{'linalg.softmax' op has elements of type 'i8'; only f16, bf16, f32 and f64 decompose into linalg.generic ops}}
  %y = linalg.softmax dimension(1) ins(%x : tensor<2x16xi8>)
      outs(%e : tensor<2x16xi8>) -> tensor<2x16xi8>
  return %y : tensor<2x16xi8>
}

// -----

func.func @softmax_e4m3(%x: tensor<2x16xf8E4M3FN>) -> tensor<2x16xf8E4M3FN> {
  %e = tensor.empty() : tensor<2x16xf8E4M3FN>
  // expected-error @+1 {{'linalg.softmax' op has elements of type 'f8E4M3FN'; only f16, bf16, f32 and f64 decompose into linalg.generic ops}}
  %y = linalg.softmax dimension(1) ins(%x : tensor<2x16xf8E4M3FN>)
      outs(%e : tensor<2x16xf8E4M3FN>) -> tensor<2x16xf8E4M3FN>
  return %y : tensor<2x16xf8E4M3FN>
}
