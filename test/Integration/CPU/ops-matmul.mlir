// RUN: fp8-opt %s --fp8-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_c_runner_utils%shlibext,%mlir_lib_dir/libmlir_runner_utils%shlibext \
// RUN: | FileCheck %s

// fp8.scaled_matmul on tiny hand-checked GEMMs.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @print(%t: tensor<*xf32>) {
  call @printMemrefF32(%t) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  // A = [[1, 2, 3, 4], [-1, 0.5, 2, -2]] (sA = 2), B stored [N, K] =
  // [[1, 1, 1, 1], [0, 1, 0, -1], [2, 0, 0.5, 1]] (sB = 0.5): sA * sB = 1 and
  // A x B^T = [[10, -2, 7.5], [-0.5, 2.5, -3]].
  %a = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [-1.0, 0.5, 2.0, -2.0]]> : tensor<2x4xf8E4M3FN>
  %b = arith.constant dense<[[1.0, 1.0, 1.0, 1.0], [0.0, 1.0, 0.0, -1.0], [2.0, 0.0, 0.5, 1.0]]> : tensor<3x4xf8E4M3FN>
  %sa = arith.constant dense<2.0> : tensor<f32>
  %sb = arith.constant dense<0.5> : tensor<f32>

  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: [10,   -2,   7.5],
  // CHECK-NEXT: [-0.5,   2.5,   -3]]
  %d = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<2x4xf8E4M3FN>, tensor<f32>, tensor<3x4xf8E4M3FN>, tensor<f32> -> tensor<2x3xbf16>
  %d32 = arith.extf %d : tensor<2x3xbf16> to tensor<2x3xf32>
  %d_u = tensor.cast %d32 : tensor<2x3xf32> to tensor<*xf32>
  call @print(%d_u) : (tensor<*xf32>) -> ()

  // + bias [1, -1, 0.5]: D = [[11, -3, 8], [0.5, 1.5, -2.5]], amax 11.
  // E4M3 result with out_scale 2^-7: D * 128 = [[1408, -384, 1024],
  // [64, 192, -320]], 1408 and 1024 saturate to 448.
  %bias = arith.constant dense<[1.0, -1.0, 0.5]> : tensor<3xf32>
  %os = arith.constant dense<0.0078125> : tensor<f32>
  %y, %amax = fp8.scaled_matmul %a, %sa, %b, %sb bias(%bias : tensor<3xf32>) out_scale(%os : tensor<f32>)
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<2x4xf8E4M3FN>, tensor<f32>, tensor<3x4xf8E4M3FN>, tensor<f32> -> tensor<2x3xf8E4M3FN>, tensor<f32>
  %y32 = arith.extf %y : tensor<2x3xf8E4M3FN> to tensor<2x3xf32>
  %y_u = tensor.cast %y32 : tensor<2x3xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: [448,   -384,   448],
  // CHECK-NEXT: [64,   192,   -320]]
  call @print(%y_u) : (tensor<*xf32>) -> ()
  // CHECK: rank = 0
  // CHECK-NEXT: [11]
  %amax_u = tensor.cast %amax : tensor<f32> to tensor<*xf32>
  call @print(%amax_u) : (tensor<*xf32>) -> ()

  // Block scales along K: A [1, 2] blocks, B stored [K, N] with [2, 1]
  // blocks (one scale per 2 K-rows per column).
  //   A * sA = [[1, 1, 2, 2], [4, 8, 1.5, 2]]
  //   B * sB = [[1, 0], [0, 2], [0.5, 4], [1, -4]]
  //   D = [[4, 2], [6.75, 14]]
  %ka = arith.constant dense<[[1.0, 1.0, 1.0, 1.0], [1.0, 2.0, 3.0, 4.0]]> : tensor<2x4xf8E4M3FN>
  %ksa = arith.constant dense<[[1.0, 2.0], [4.0, 0.5]]> : tensor<2x2xf32>
  %kb = arith.constant dense<[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, -1.0]]> : tensor<4x2xf8E5M2>
  %ksb = arith.constant dense<[[1.0, 2.0], [0.5, 4.0]]> : tensor<2x2xf32>
  %kd = fp8.scaled_matmul %ka, %ksa, %kb, %ksb {a_scaling = #fp8.scaling<block [1, 2]>, b_scaling = #fp8.scaling<block [2, 1]>}
      : tensor<2x4xf8E4M3FN>, tensor<2x2xf32>, tensor<4x2xf8E5M2>, tensor<2x2xf32> -> tensor<2x2xf32>
  %kd_u = tensor.cast %kd : tensor<2x2xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT: [4,   2],
  // CHECK-NEXT: [6.75,   14]]
  call @print(%kd_u) : (tensor<*xf32>) -> ()

  // Batched, rowwise A scales, f16 result: batch 0 = [1, 2] x [1, 1]^T * 3,
  // batch 1 = [3, 4] x [2, -1]^T * 0.5.
  %ba = arith.constant dense<[[[1.0, 2.0]], [[3.0, 4.0]]]> : tensor<2x1x2xf8E4M3FN>
  %bsa = arith.constant dense<[[[3.0]], [[0.5]]]> : tensor<2x1x1xf32>
  %bb = arith.constant dense<[[[1.0], [1.0]], [[2.0], [-1.0]]]> : tensor<2x2x1xf8E4M3FN>
  %bsb = arith.constant dense<1.0> : tensor<f32>
  %bd = fp8.scaled_matmul %ba, %bsa, %bb, %bsb {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<tensor>}
      : tensor<2x1x2xf8E4M3FN>, tensor<2x1x1xf32>, tensor<2x2x1xf8E4M3FN>, tensor<f32> -> tensor<2x1x1xf16>
  %bd32 = arith.extf %bd : tensor<2x1x1xf16> to tensor<2x1x1xf32>
  %bd_u = tensor.cast %bd32 : tensor<2x1x1xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 1, 1]
  // CHECK-NEXT: [9]],
  // CHECK-NEXT: [1]]]
  call @print(%bd_u) : (tensor<*xf32>) -> ()

  // MX: 32 ones (sA = 2^-3) times 32 twos (sB = 2^2): 32 * 0.125 * 8 = 32.
  %ma = arith.constant dense<1.0> : tensor<1x32xf8E4M3FN>
  %msa = arith.constant dense<0.125> : tensor<1x1xf8E8M0FNU>
  %mb = arith.constant dense<2.0> : tensor<1x32xf8E4M3FN>
  %msb = arith.constant dense<4.0> : tensor<1x1xf8E8M0FNU>
  %md = fp8.scaled_matmul %ma, %msa, %mb, %msb {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<1x32xf8E4M3FN>, tensor<1x1xf8E8M0FNU>, tensor<1x32xf8E4M3FN>, tensor<1x1xf8E8M0FNU> -> tensor<1x1xf32>
  %md_u = tensor.cast %md : tensor<1x1xf32> to tensor<*xf32>
  // CHECK: sizes = [1, 1]
  // CHECK-NEXT: [32]]
  call @print(%md_u) : (tensor<*xf32>) -> ()
  return
}
