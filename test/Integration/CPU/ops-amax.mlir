// RUN: fp8-opt %s --fp8-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_c_runner_utils%shlibext,%mlir_lib_dir/libmlir_runner_utils%shlibext \
// RUN: | FileCheck %s

// fp8.amax on hand-checked values: every scaling kind, a ragged last block,
// batch dims, bf16 input, NaN propagation and |-inf| = inf.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @print(%t: tensor<*xf32>) {
  call @printMemrefF32(%t) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  %x = arith.constant dense<[[1.0, -7.0,  3.0,  2.0,   0.5],
                             [4.0, 0.25, -8.0,  1.0,  -9.5],
                             [0.0, 2.0,   6.0, -0.125, 3.0]]> : tensor<3x5xf32>

  // CHECK: rank = 0
  // CHECK-NEXT: [9.5]
  %t = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<3x5xf32> -> tensor<f32>
  %t_u = tensor.cast %t : tensor<f32> to tensor<*xf32>
  call @print(%t_u) : (tensor<*xf32>) -> ()

  // CHECK: sizes = [3, 1]
  // CHECK-NEXT: [7],
  // CHECK-NEXT: [9.5],
  // CHECK-NEXT: [6]]
  %r = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<3x5xf32> -> tensor<3x1xf32>
  %r_u = tensor.cast %r : tensor<3x1xf32> to tensor<*xf32>
  call @print(%r_u) : (tensor<*xf32>) -> ()

  // 2x2 blocks over 3x5: the last block row and column are ragged.
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: [7,   8,   9.5],
  // CHECK-NEXT: [2,   6,   3]]
  %b = fp8.amax %x {scaling = #fp8.scaling<block [2, 2]>} : tensor<3x5xf32> -> tensor<2x3xf32>
  %b_u = tensor.cast %b : tensor<2x3xf32> to tensor<*xf32>
  call @print(%b_u) : (tensor<*xf32>) -> ()

  // NaN propagates to its group only; |-inf| = inf.
  %y = arith.constant dense<[[1.0, 0x7FC00000,  3.0,  2.0,   0.5],
                             [4.0, 0.25,       -8.0,  1.0,  -9.5],
                             [0.0, 2.0,         6.0, -0.125, 0xFF800000]]> : tensor<3x5xf32>
  // CHECK: rank = 0
  // CHECK-NEXT: [nan]
  %yt = fp8.amax %y {scaling = #fp8.scaling<tensor>} : tensor<3x5xf32> -> tensor<f32>
  %yt_u = tensor.cast %yt : tensor<f32> to tensor<*xf32>
  call @print(%yt_u) : (tensor<*xf32>) -> ()
  // CHECK: sizes = [3, 1]
  // CHECK-NEXT: [nan],
  // CHECK-NEXT: [9.5],
  // CHECK-NEXT: [inf]]
  %yr = fp8.amax %y {scaling = #fp8.scaling<rowwise>} : tensor<3x5xf32> -> tensor<3x1xf32>
  %yr_u = tensor.cast %yr : tensor<3x1xf32> to tensor<*xf32>
  call @print(%yr_u) : (tensor<*xf32>) -> ()
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: [nan,   8,   9.5],
  // CHECK-NEXT: [2,   6,   inf]]
  %yb = fp8.amax %y {scaling = #fp8.scaling<block [2, 2]>} : tensor<3x5xf32> -> tensor<2x3xf32>
  %yb_u = tensor.cast %yb : tensor<2x3xf32> to tensor<*xf32>
  call @print(%yb_u) : (tensor<*xf32>) -> ()

  // Batch dims get their own groups; bf16 input.
  %z = arith.constant dense<[[[1.0, -2.0, 3.0], [-4.0, 5.0, 6.0]],
                             [[-0.5, 0.25, 0.0], [8.0, -16.0, 1.0]]]> : tensor<2x2x3xbf16>
  // CHECK: sizes = [2, 2, 2]
  // CHECK-NEXT: [2,     3],
  // CHECK-NEXT: [5,     6]],
  // CHECK-NEXT: [0.5,     0],
  // CHECK-NEXT: [16,     1]]]
  %zb = fp8.amax %z {scaling = #fp8.scaling<block [1, 2]>} : tensor<2x2x3xbf16> -> tensor<2x2x2xf32>
  %zb_u = tensor.cast %zb : tensor<2x2x2xf32> to tensor<*xf32>
  call @print(%zb_u) : (tensor<*xf32>) -> ()
  // CHECK: rank = 0
  // CHECK-NEXT: [16]
  %zt = fp8.amax %z {scaling = #fp8.scaling<tensor>} : tensor<2x2x3xbf16> -> tensor<f32>
  %zt_u = tensor.cast %zt : tensor<f32> to tensor<*xf32>
  call @print(%zt_u) : (tensor<*xf32>) -> ()
  return
}
