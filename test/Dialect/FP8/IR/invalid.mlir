// One case per verifier rule of the fp8 dialect's ops.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// fp8.amax
//===----------------------------------------------------------------------===//

func.func @amax_rowwise_rank1(%x: tensor<16xf32>) {
  // expected-error @+1 {{#fp8.scaling<rowwise> needs data of rank >= 2 ([..., rows, cols]), found 'tensor<16xf32>'}}
  %0 = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<16xf32> -> tensor<16x1xf32>
  return
}

// -----

func.func @amax_block_shape(%x: tensor<256x512xf32>) {
  // expected-error @+1 {{expected amax result of shape [256, 4] for data of shape [256, 512] under #fp8.scaling<block [1, 128]>, found [256, 3]}}
  %0 = fp8.amax %x {scaling = #fp8.scaling<block [1, 128]>} : tensor<256x512xf32> -> tensor<256x3xf32>
  return
}

// -----

// A ragged last block is a group of its own: 300 / 128 rounds up to 3.
func.func @amax_ragged_floor(%x: tensor<200x300xf32>) {
  // expected-error @+1 {{expected amax result of shape [2, 3] for data of shape [200, 300] under #fp8.scaling<block [128, 128]>, found [1, 2]}}
  %0 = fp8.amax %x {scaling = #fp8.scaling<block [128, 128]>} : tensor<200x300xf32> -> tensor<1x2xf32>
  return
}

// -----

func.func @amax_tensor_rank(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{expected amax result of shape [] for data of shape [4, 8] under #fp8.scaling<tensor>, found [1]}}
  %0 = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<4x8xf32> -> tensor<1xf32>
  return
}

// -----

func.func @amax_batch_dims(%x: tensor<2x4x8xf32>) {
  // expected-error @+1 {{expected amax result of shape [2, 4, 1] for data of shape [2, 4, 8] under #fp8.scaling<rowwise>, found [4, 1]}}
  %0 = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<2x4x8xf32> -> tensor<4x1xf32>
  return
}

// -----

func.func @amax_result_f16(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 32-bit float values, but got 'tensor<f16>'}}
  %0 = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<4x8xf32> -> tensor<f16>
  return
}

// -----

func.func @amax_missing_scaling(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{requires attribute 'scaling'}}
  %0 = "fp8.amax"(%x) : (tensor<4x8xf32>) -> tensor<f32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// fp8.scale_from_amax
//===----------------------------------------------------------------------===//

func.func @scale_format_not_narrow(%a: tensor<f32>) {
  // expected-error @+1 {{format must be one of f8E4M3FN, f8E5M2, f6E2M3FN, f6E3M2FN, f4E2M1FN; found 'f16'}}
  %0 = fp8.scale_from_amax %a {format = f16} : tensor<f32> -> tensor<f32>
  return
}

// -----

func.func @scale_format_fnuz(%a: tensor<f32>) {
  // expected-error @+1 {{format must be one of f8E4M3FN, f8E5M2, f6E2M3FN, f6E3M2FN, f4E2M1FN; found 'f8E4M3FNUZ'}}
  %0 = fp8.scale_from_amax %a {format = f8E4M3FNUZ} : tensor<f32> -> tensor<f32>
  return
}

// -----

func.func @scale_shape(%a: tensor<4x2xf32>) {
  // expected-error @+1 {{expected scale of the amax shape [4, 2], found [4, 1]}}
  %0 = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<4x2xf32> -> tensor<4x1xf32>
  return
}

// -----

func.func @scale_pow2_e8m0(%a: tensor<4x2xf32>) {
  // expected-error @+1 {{'pow2' is implied by f8E8M0FNU scales; drop the attribute}}
  %0 = fp8.scale_from_amax %a {format = f8E4M3FN, pow2} : tensor<4x2xf32> -> tensor<4x2xf8E8M0FNU>
  return
}

// -----

func.func @scale_mx_rounding_f32(%a: tensor<f32>) {
  // expected-error @+1 {{'mx_scale' applies to f8E8M0FNU scales only, found scale element type 'f32'}}
  %0 = fp8.scale_from_amax %a {format = f8E4M3FN, mx_scale = #fp8.mx_scale<floor>} : tensor<f32> -> tensor<f32>
  return
}

// -----

func.func @scale_margin_range(%a: tensor<f32>) {
  // expected-error @+1 {{margin must be in [-127, 127], found 200}}
  %0 = fp8.scale_from_amax %a {format = f8E4M3FN, margin = 200} : tensor<f32> -> tensor<f32>
  return
}

// -----

func.func @scale_result_f16(%a: tensor<f32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 32-bit float or f8E8M0FNU type or f8E4M3FN type values, but got 'tensor<f16>'}}
  %0 = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<f32> -> tensor<f16>
  return
}

// -----

//===----------------------------------------------------------------------===//
// fp8.quantize / fp8.dequantize
//===----------------------------------------------------------------------===//

func.func @quantize_result_shape(%x: tensor<4x8xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{expected result of the input shape [4, 8], found [8, 4]}}
  %0 = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>} : tensor<4x8xf32>, tensor<f32> -> tensor<8x4xf8E4M3FN>
  return
}

// -----

func.func @quantize_rowwise_scale_shape(%x: tensor<4x8xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{expected scale of shape [4, 1] for data of shape [4, 8] under #fp8.scaling<rowwise>, found [4]}}
  %0 = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>} : tensor<4x8xf32>, tensor<4xf32> -> tensor<4x8xf8E4M3FN>
  return
}

// -----

func.func @quantize_e8m0_not_mx(%x: tensor<4x256xf32>, %s: tensor<4x2xf8E8M0FNU>) {
  // expected-error @+1 {{f8E8M0FNU scale needs MX block scaling #fp8.scaling<block [1, 32]> (or [32, 1]), found #fp8.scaling<block [1, 128]>}}
  %0 = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 128]>} : tensor<4x256xf32>, tensor<4x2xf8E8M0FNU> -> tensor<4x256xf8E4M3FN>
  return
}

// -----

func.func @quantize_e8m0_tensor(%x: tensor<4x256xf32>, %s: tensor<f8E8M0FNU>) {
  // expected-error @+1 {{f8E8M0FNU scale needs MX block scaling #fp8.scaling<block [1, 32]> (or [32, 1]), found #fp8.scaling<tensor>}}
  %0 = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>} : tensor<4x256xf32>, tensor<f8E8M0FNU> -> tensor<4x256xf8E4M3FN>
  return
}

// -----

func.func @quantize_to_f16(%x: tensor<4x8xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of f8E4M3FN type or f8E5M2 type or f6E2M3FN type or f6E3M2FN type or f4E2M1FN type values, but got 'tensor<4x8xf16>'}}
  %0 = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>} : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf16>
  return
}

// -----

func.func @quantize_fp8_input(%x: tensor<4x8xf8E5M2>, %s: tensor<f32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<4x8xf8E5M2>'}}
  %0 = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>} : tensor<4x8xf8E5M2>, tensor<f32> -> tensor<4x8xf8E4M3FN>
  return
}

// -----

func.func @quantize_scale_f16(%x: tensor<4x8xf32>, %s: tensor<f16>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of 32-bit float or f8E8M0FNU type or f8E4M3FN type values, but got 'tensor<f16>'}}
  %0 = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>} : tensor<4x8xf32>, tensor<f16> -> tensor<4x8xf8E4M3FN>
  return
}

// -----

func.func @dequantize_to_fp8(%q: tensor<4x8xf8E4M3FN>, %s: tensor<f32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<4x8xf8E5M2>'}}
  %0 = fp8.dequantize %q, %s {scaling = #fp8.scaling<tensor>} : tensor<4x8xf8E4M3FN>, tensor<f32> -> tensor<4x8xf8E5M2>
  return
}

// -----

func.func @dequantize_batch_scale(%q: tensor<3x4x256xf8E4M3FN>, %s: tensor<4x2xf32>) {
  // expected-error @+1 {{expected scale of shape [3, 4, 2] for data of shape [3, 4, 256] under #fp8.scaling<block [1, 128]>, found [4, 2]}}
  %0 = fp8.dequantize %q, %s {scaling = #fp8.scaling<block [1, 128]>} : tensor<3x4x256xf8E4M3FN>, tensor<4x2xf32> -> tensor<3x4x256xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// fp8.scaled_matmul
//===----------------------------------------------------------------------===//

func.func @mm_rank1(%a: tensor<256xf8E4M3FN>, %b: tensor<256xf8E4M3FN>, %s: tensor<f32>) {
  // expected-error @+1 {{expected A of rank >= 2 ([b..., M, K]), found 'tensor<256xf8E4M3FN>'}}
  %0 = fp8.scaled_matmul %a, %s, %b, %s {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>}
      : tensor<256xf8E4M3FN>, tensor<f32>, tensor<256xf8E4M3FN>, tensor<f32> -> tensor<256xf32>
  return
}

// -----

func.func @mm_ranks(%a: tensor<2x16x32xf8E4M3FN>, %b: tensor<8x32xf8E4M3FN>, %s: tensor<f32>) {
  // expected-error @+1 {{expected A, B and the result to have the same rank (same batch dims), found ranks 3, 2 and 3}}
  %0 = fp8.scaled_matmul %a, %s, %b, %s {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<2x16x32xf8E4M3FN>, tensor<f32>, tensor<8x32xf8E4M3FN>, tensor<f32> -> tensor<2x16x8xf32>
  return
}

// -----

func.func @mm_batch(%a: tensor<2x16x32xf8E4M3FN>, %b: tensor<3x8x32xf8E4M3FN>, %s: tensor<f32>) {
  // expected-error @+1 {{expected equal batch dims of A, B and the result, found [2], [3] and [2]}}
  %0 = fp8.scaled_matmul %a, %s, %b, %s {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<2x16x32xf8E4M3FN>, tensor<f32>, tensor<3x8x32xf8E4M3FN>, tensor<f32> -> tensor<2x16x8xf32>
  return
}

// -----

func.func @mm_k_transposed(%a: tensor<16x32xf8E4M3FN>, %b: tensor<8x64xf8E4M3FN>, %s: tensor<f32>) {
  // expected-error @+1 {{expected B to have K = 32 (A is [16, 32]), found [8, 64] with transpose_b ([N, K])}}
  %0 = fp8.scaled_matmul %a, %s, %b, %s {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<16x32xf8E4M3FN>, tensor<f32>, tensor<8x64xf8E4M3FN>, tensor<f32> -> tensor<16x8xf32>
  return
}

// -----

func.func @mm_k_kn(%a: tensor<16x32xf8E4M3FN>, %b: tensor<8x32xf8E4M3FN>, %s: tensor<f32>) {
  // expected-error @+1 {{expected B to have K = 32 (A is [16, 32]), found [8, 32] ([K, N])}}
  %0 = fp8.scaled_matmul %a, %s, %b, %s {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>}
      : tensor<16x32xf8E4M3FN>, tensor<f32>, tensor<8x32xf8E4M3FN>, tensor<f32> -> tensor<16x32xf32>
  return
}

// -----

func.func @mm_result_shape(%a: tensor<16x32xf8E4M3FN>, %b: tensor<8x32xf8E4M3FN>, %s: tensor<f32>) {
  // expected-error @+1 {{expected result of shape [..., 16, 8], found [16, 32]}}
  %0 = fp8.scaled_matmul %a, %s, %b, %s {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<16x32xf8E4M3FN>, tensor<f32>, tensor<8x32xf8E4M3FN>, tensor<f32> -> tensor<16x32xf32>
  return
}

// -----

func.func @mm_a_scale_shape(%a: tensor<16x256xf8E4M3FN>, %b: tensor<8x256xf8E4M3FN>,
                            %sa: tensor<16x1xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{expected A scale of shape [16, 2] for data of shape [16, 256] under #fp8.scaling<block [1, 128]>, found [16, 1]}}
  %0 = fp8.scaled_matmul %a, %sa, %b, %s {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<16x256xf8E4M3FN>, tensor<16x1xf32>, tensor<8x256xf8E4M3FN>, tensor<f32> -> tensor<16x8xf32>
  return
}

// -----

func.func @mm_b_scale_shape(%a: tensor<16x256xf8E4M3FN>, %b: tensor<8x256xf8E4M3FN>,
                            %s: tensor<f32>, %sb: tensor<16x1xf32>) {
  // expected-error @+1 {{expected B scale of shape [8, 1] for data of shape [8, 256] under #fp8.scaling<rowwise>, found [16, 1]}}
  %0 = fp8.scaled_matmul %a, %s, %b, %sb {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<16x256xf8E4M3FN>, tensor<f32>, tensor<8x256xf8E4M3FN>, tensor<16x1xf32> -> tensor<16x8xf32>
  return
}

// -----

func.func @mm_mx_one_side(%a: tensor<16x256xf8E4M3FN>, %b: tensor<8x256xf8E4M3FN>,
                          %sa: tensor<16x8xf8E8M0FNU>, %sb: tensor<8x8xf32>) {
  // expected-error @+1 {{MX (f8E8M0FNU) scales must be given for both A and B or for neither, found 'f8E8M0FNU' and 'f32'}}
  %0 = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<16x256xf8E4M3FN>, tensor<16x8xf8E8M0FNU>, tensor<8x256xf8E4M3FN>, tensor<8x8xf32> -> tensor<16x8xf32>
  return
}

// -----

func.func @mm_fp4_f32_scales(%a: tensor<16x256xf4E2M1FN>, %b: tensor<8x256xf8E4M3FN>, %s: tensor<f32>) {
  // expected-error @+1 {{A element type 'f4E2M1FN' needs block scaling: MX (f8E8M0FNU scales, block [1, 32]) or, for f4E2M1FN, two-level NVFP4 (f8E4M3FN scales, block [1, 16]); only f8E4M3FN and f8E5M2 take f32 scales}}
  %0 = fp8.scaled_matmul %a, %s, %b, %s {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<16x256xf4E2M1FN>, tensor<f32>, tensor<8x256xf8E4M3FN>, tensor<f32> -> tensor<16x8xf32>
  return
}

// -----

func.func @mm_rowwise_b_kn(%a: tensor<16x256xf8E4M3FN>, %b: tensor<256x8xf8E4M3FN>,
                           %s: tensor<f32>, %sb: tensor<256x1xf32>) {
  // expected-error @+1 {{rowwise scaling of B needs transpose_b: the rows of a [K, N] operand run along K}}
  %0 = fp8.scaled_matmul %a, %s, %b, %sb {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<rowwise>}
      : tensor<16x256xf8E4M3FN>, tensor<f32>, tensor<256x8xf8E4M3FN>, tensor<256x1xf32> -> tensor<16x8xf32>
  return
}

// -----

func.func @mm_k_groups(%a: tensor<16x256xf8E4M3FN>, %b: tensor<8x256xf8E4M3FN>,
                       %sa: tensor<16x2xf32>, %sb: tensor<8x4xf32>) {
  // expected-error @+1 {{mismatched scale groups along K: A groups 128 elements of K, B groups 64}}
  %0 = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [1, 64]>, transpose_b}
      : tensor<16x256xf8E4M3FN>, tensor<16x2xf32>, tensor<8x256xf8E4M3FN>, tensor<8x4xf32> -> tensor<16x8xf32>
  return
}

// -----

func.func @mm_mx_not_along_k(%a: tensor<64x256xf8E4M3FN>, %b: tensor<8x256xf8E4M3FN>,
                             %sa: tensor<2x256xf8E8M0FNU>, %sb: tensor<8x8xf8E8M0FNU>) {
  // expected-error @+1 {{MX scales must group 32 elements along K (A block [1, 32]; B [1, 32] with transpose_b, else [32, 1]), found #fp8.scaling<block [32, 1]> and #fp8.scaling<block [1, 32]>}}
  %0 = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<block [32, 1]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<64x256xf8E4M3FN>, tensor<2x256xf8E8M0FNU>, tensor<8x256xf8E4M3FN>, tensor<8x8xf8E8M0FNU> -> tensor<64x8xf32>
  return
}

// -----

func.func @mm_bias_shape(%a: tensor<16x32xf8E4M3FN>, %b: tensor<8x32xf8E4M3FN>, %s: tensor<f32>,
                         %bias: tensor<16xf32>) {
  // expected-error @+1 {{expected bias of shape [8] (one value per output column), found [16]}}
  %0 = fp8.scaled_matmul %a, %s, %b, %s bias(%bias : tensor<16xf32>) {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<16x32xf8E4M3FN>, tensor<f32>, tensor<8x32xf8E4M3FN>, tensor<f32> -> tensor<16x8xf32>
  return
}

// -----

func.func @mm_fp8_without_out_scale(%a: tensor<16x32xf8E4M3FN>, %b: tensor<8x32xf8E4M3FN>, %s: tensor<f32>) {
  // expected-error @+1 {{an FP8 result ('f8E4M3FN') needs an out_scale}}
  %0 = fp8.scaled_matmul %a, %s, %b, %s {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<16x32xf8E4M3FN>, tensor<f32>, tensor<8x32xf8E4M3FN>, tensor<f32> -> tensor<16x8xf8E4M3FN>
  return
}

// -----

func.func @mm_out_scale_bf16(%a: tensor<16x32xf8E4M3FN>, %b: tensor<8x32xf8E4M3FN>, %s: tensor<f32>) {
  // expected-error @+1 {{out_scale applies to FP8 results only, found result element type 'bf16'}}
  %0 = fp8.scaled_matmul %a, %s, %b, %s out_scale(%s : tensor<f32>) {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<16x32xf8E4M3FN>, tensor<f32>, tensor<8x32xf8E4M3FN>, tensor<f32> -> tensor<16x8xbf16>
  return
}

// -----

func.func @mm_out_scale_rank(%a: tensor<16x32xf8E4M3FN>, %b: tensor<8x32xf8E4M3FN>, %s: tensor<f32>,
                             %os: tensor<1xf32>) {
  // expected-error @+1 {{expected a rank-0 out_scale (tensor<f32>), found 'tensor<1xf32>'}}
  %0 = fp8.scaled_matmul %a, %s, %b, %s out_scale(%os : tensor<1xf32>) {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<16x32xf8E4M3FN>, tensor<f32>, tensor<8x32xf8E4M3FN>, tensor<f32> -> tensor<16x8xf8E5M2>
  return
}

// -----

func.func @mm_amax_rank(%a: tensor<16x32xf8E4M3FN>, %b: tensor<8x32xf8E4M3FN>, %s: tensor<f32>) {
  // expected-error @+1 {{expected a rank-0 amax result (tensor<f32>), found 'tensor<16x1xf32>'}}
  %0, %1 = fp8.scaled_matmul %a, %s, %b, %s {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<16x32xf8E4M3FN>, tensor<f32>, tensor<8x32xf8E4M3FN>, tensor<f32> -> tensor<16x8xf32>, tensor<16x1xf32>
  return
}

// -----

func.func @mm_result_fp4(%a: tensor<16x32xf8E4M3FN>, %b: tensor<8x32xf8E4M3FN>, %s: tensor<f32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 32-bit float or bfloat16 type or 16-bit float or f8E4M3FN type or f8E5M2 type values, but got 'tensor<16x8xf4E2M1FN>'}}
  %0 = fp8.scaled_matmul %a, %s, %b, %s {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<16x32xf8E4M3FN>, tensor<f32>, tensor<8x32xf8E4M3FN>, tensor<f32> -> tensor<16x8xf4E2M1FN>
  return
}

// -----

func.func @mm_operand_bf16(%a: tensor<16x32xbf16>, %b: tensor<8x32xf8E4M3FN>, %s: tensor<f32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of f8E4M3FN type or f8E5M2 type or f6E2M3FN type or f6E3M2FN type or f4E2M1FN type values, but got 'tensor<16x32xbf16>'}}
  %0 = fp8.scaled_matmul %a, %s, %b, %s {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<16x32xbf16>, tensor<f32>, tensor<8x32xf8E4M3FN>, tensor<f32> -> tensor<16x8xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// fp8.amax_history_push / fp8.scale_from_history
//===----------------------------------------------------------------------===//

func.func @push_rank0(%h: tensor<f32>, %a: tensor<f32>) {
  // expected-error @+1 {{expected a history of shape [L, ...], found a rank-0 tensor}}
  %0 = fp8.amax_history_push %h, %a : tensor<f32>, tensor<f32>
  return
}

// -----

func.func @push_groups(%h: tensor<16x4xf32>, %a: tensor<2xf32>) {
  // expected-error @+1 {{expected a history of shape [L, amax shape...] = [L, 2], found [16, 4]}}
  %0 = fp8.amax_history_push %h, %a : tensor<16x4xf32>, tensor<2xf32>
  return
}

// -----

func.func @push_empty(%h: tensor<0xf32>, %a: tensor<f32>) {
  // expected-error @+1 {{expected a history length L >= 1, found 0}}
  %0 = fp8.amax_history_push %h, %a : tensor<0xf32>, tensor<f32>
  return
}

// -----

func.func @push_result_type(%h: tensor<16xf32>, %a: tensor<f32>) {
  // expected-error @+1 {{failed to verify that all of {history, result} have same type}}
  %0 = "fp8.amax_history_push"(%h, %a) : (tensor<16xf32>, tensor<f32>) -> tensor<8xf32>
  return
}

// -----

func.func @history_scale_shape(%h: tensor<16x4xf32>) {
  // expected-error @+1 {{expected a history of shape [L, scale shape...] = [L], found [16, 4]}}
  %0 = fp8.scale_from_history %h {algo = #fp8.algo<max>, format = f8E4M3FN} : tensor<16x4xf32> -> tensor<f32>
  return
}

// -----

func.func @history_format(%h: tensor<16xf32>) {
  // expected-error @+1 {{format must be one of f8E4M3FN, f8E5M2, f6E2M3FN, f6E3M2FN, f4E2M1FN; found 'bf16'}}
  %0 = fp8.scale_from_history %h {algo = #fp8.algo<max>, format = bf16} : tensor<16xf32> -> tensor<f32>
  return
}

// -----

func.func @history_algo(%h: tensor<16xf32>) {
  // expected-error @+2 {{expected ::mlir::fp8::HistoryAlgo to be one of: max, most_recent}}
  // expected-error @+1 {{failed to parse FP8_HistoryAlgoAttr parameter 'value'}}
  %0 = fp8.scale_from_history %h {algo = #fp8.algo<mean>, format = f8E4M3FN} : tensor<16xf32> -> tensor<f32>
  return
}
