// Scale shapes of data with dynamic sizes: a dynamic data size leaves the
// scale's size for it open (ceil-div at run time), and what is static must
// still agree; with a dynamic K, the A and B scales must count the same
// groups along K. (dynamic-shapes.mlir has the forms that verify.)
// RUN: fp8-opt %s -split-input-file -verify-diagnostics

func.func @quantize_dynamic_rows_wrong_groups(%x: tensor<?x256xf32>, %s: tensor<?x3xf32>) {
  // expected-error @+1 {{expected scale of shape [?, 2] for data of shape [?, 256] under #fp8.scaling<block [1, 128]>, found [?, 3]}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 128]>}
      : tensor<?x256xf32>, tensor<?x3xf32> -> tensor<?x256xf8E4M3FN>
  return
}

// -----

func.func @quantize_dynamic_rowwise_cols(%x: tensor<?x?xf32>, %s: tensor<?x2xf32>) {
  // expected-error @+1 {{expected scale of shape [?, 1] for data of shape [?, ?] under #fp8.scaling<rowwise>, found [?, 2]}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>}
      : tensor<?x?xf32>, tensor<?x2xf32> -> tensor<?x?xf8E4M3FN>
  return
}

// -----

// An amax result is static wherever the data fix it, also next to a
// dynamic row count.
func.func @amax_dynamic_rows_dynamic_groups(%x: tensor<?x256xf32>) {
  // expected-error @+1 {{expected amax result of shape [?, 2] for data of shape [?, 256] under #fp8.scaling<block [1, 128]>, found [?, ?]}}
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 128]>} : tensor<?x256xf32> -> tensor<?x?xf32>
  return
}

// -----

// Dynamic K: each scale agrees with its data alone, but 2 and 3 groups of
// 128 cannot both be ceil(K / 128).
func.func @mm_dynamic_k_group_counts(%a: tensor<?x?xf8E4M3FN>, %sa: tensor<?x2xf32>,
                                     %b: tensor<?x?xf8E4M3FN>, %sb: tensor<?x3xf32>) {
  // expected-error @+1 {{expected the A and B scales to count the same groups of 128 along K (ceil(K / 128) each; K is dynamic), found 2 in A scale [?, 2] and 3 in B scale [?, 3]}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<?x?xf8E4M3FN>, tensor<?x2xf32>, tensor<?x?xf8E4M3FN>, tensor<?x3xf32> -> tensor<?x?xf32>
  return
}

// -----

// The same with B stored [K, N]: its groups along K are its scale's rows.
func.func @mm_dynamic_k_group_counts_kn(%a: tensor<16x?xf8E4M3FN>, %sa: tensor<16x4xf32>,
                                        %b: tensor<?x64xf8E4M3FN>, %sb: tensor<5x2xf32>) {
  // expected-error @+1 {{expected the A and B scales to count the same groups of 32 along K (ceil(K / 32) each; K is dynamic), found 4 in A scale [16, 4] and 5 in B scale [5, 2]}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [32, 32]>}
      : tensor<16x?xf8E4M3FN>, tensor<16x4xf32>, tensor<?x64xf8E4M3FN>, tensor<5x2xf32> -> tensor<16x64xf32>
  return
}

// -----

func.func @mm_dynamic_k_mx_group_counts(%a: tensor<?x?xf8E4M3FN>, %sa: tensor<?x4xf8E8M0FNU>,
                                        %b: tensor<64x?xf8E4M3FN>, %sb: tensor<64x8xf8E8M0FNU>) {
  // expected-error @+1 {{expected the A and B scales to count the same groups of 32 along K (ceil(K / 32) each; K is dynamic), found 4 in A scale [?, 4] and 8 in B scale [64, 8]}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<?x?xf8E4M3FN>, tensor<?x4xf8E8M0FNU>, tensor<64x?xf8E4M3FN>, tensor<64x8xf8E8M0FNU> -> tensor<?x64xf32>
  return
}

// -----

// Two different static groups along a dynamic K are still a mismatch.
func.func @mm_dynamic_k_groups(%a: tensor<16x?xf8E4M3FN>, %sa: tensor<16x?xf32>,
                               %b: tensor<8x?xf8E4M3FN>, %sb: tensor<8x?xf32>) {
  // expected-error @+1 {{mismatched scale groups along K: A groups 128 elements of K, B groups 64}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [1, 64]>, transpose_b}
      : tensor<16x?xf8E4M3FN>, tensor<16x?xf32>, tensor<8x?xf8E4M3FN>, tensor<8x?xf32> -> tensor<16x8xf32>
  return
}
