// RUN: fp8-opt %s --fp8-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_c_runner_utils%shlibext,%mlir_lib_dir/libmlir_runner_utils%shlibext \
// RUN: | FileCheck %s

// Delayed scaling state on hand-checked values.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @print(%t: tensor<*xf32>) {
  call @printMemrefF32(%t) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  // Push rolls towards higher indices; the oldest entry drops out.
  %h = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %a = arith.constant dense<9.0> : tensor<f32>
  %p = fp8.amax_history_push %h, %a : tensor<4xf32>, tensor<f32>
  %p_u = tensor.cast %p : tensor<4xf32> to tensor<*xf32>
  // CHECK: [9,  1,  2,  3]
  call @print(%p_u) : (tensor<*xf32>) -> ()

  // One history per group: [L = 3, 2].
  %h2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %a2 = arith.constant dense<[7.0, 8.0]> : tensor<2xf32>
  %p2 = fp8.amax_history_push %h2, %a2 : tensor<3x2xf32>, tensor<2xf32>
  %p2_u = tensor.cast %p2 : tensor<3x2xf32> to tensor<*xf32>
  // CHECK: sizes = [3, 2]
  // CHECK-NEXT: [7,   8],
  // CHECK-NEXT: [1,   2],
  // CHECK-NEXT: [3,   4]]
  call @print(%p2_u) : (tensor<*xf32>) -> ()

  // Scales from a history: column 0 holds [448, 896, 0], column 1
  // [1, NaN, 2], column 2 [3.5, 0, 0].
  %hs = arith.constant dense<[[448.0, 1.0, 3.5], [896.0, 0x7FC00000, 0.0], [0.0, 2.0, 0.0]]> : tensor<3x3xf32>

  // max: 896 -> 2; NaN (propagated) -> 1; 3.5 -> 2^-7.
  // CHECK: [2,  1,  0.0078125]
  %m = fp8.scale_from_history %hs {algo = #fp8.algo<max>, format = f8E4M3FN} : tensor<3x3xf32> -> tensor<3xf32>
  %m_u = tensor.cast %m : tensor<3xf32> to tensor<*xf32>
  call @print(%m_u) : (tensor<*xf32>) -> ()

  // most_recent (entry 0): 448 -> 1, 1 -> 1/448, 3.5 -> 2^-7.
  // CHECK: [1,  0.00223214,  0.0078125]
  %r = fp8.scale_from_history %hs {algo = #fp8.algo<most_recent>, format = f8E4M3FN} : tensor<3x3xf32> -> tensor<3xf32>
  %r_u = tensor.cast %r : tensor<3xf32> to tensor<*xf32>
  call @print(%r_u) : (tensor<*xf32>) -> ()

  // most_recent, pow2 with margin 1: 448 -> 2, 1/448 -> 2^-8 * 2, 2^-7 * 2.
  // CHECK: [2,  0.0078125,  0.015625]
  %q = fp8.scale_from_history %hs {algo = #fp8.algo<most_recent>, format = f8E4M3FN, pow2, margin = 1} : tensor<3x3xf32> -> tensor<3xf32>
  %q_u = tensor.cast %q : tensor<3xf32> to tensor<*xf32>
  call @print(%q_u) : (tensor<*xf32>) -> ()
  return
}
