// fp8.hadamard, stochastic rounding and the NVFP4 training recipe fields
// print as they parse.
// RUN: fp8-opt %s | fp8-opt | FileCheck %s

// CHECK: module attributes {fp8.recipe = #fp8.recipe<nvfp4, keep_first = 1, keep_last = 2, rht = off, sr = on, sr_seed = 7>}
module attributes {fp8.recipe = #fp8.recipe<nvfp4, keep-first = 1, keep-last = 2, rht = off, sr = on, sr-seed = 7>} {
  // CHECK-LABEL: func.func @ops
  // CHECK: fp8.hadamard %{{.*}} {signs = array<i1: false, true, true, false>} : tensor<4x8xbf16> -> tensor<4x8xf32>
  // CHECK: fp8.quantize %{{.*}} {scaling = #fp8.scaling<tensor>, sr_offset = 8 : i64, sr_seed = 5 : i64}
  func.func @ops(%x: tensor<4x8xbf16>, %s: tensor<f32>) -> tensor<4x8xf4E2M1FN> {
    %y = fp8.hadamard %x {signs = array<i1: false, true, true, false>} : tensor<4x8xbf16> -> tensor<4x8xf32>
    %q = fp8.quantize %y, %s {scaling = #fp8.scaling<tensor>, sr_seed = 5 : i64, sr_offset = 8 : i64}
        : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf4E2M1FN>
    return %q : tensor<4x8xf4E2M1FN>
  }
}
