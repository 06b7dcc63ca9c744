// Folds of the fp8 ops (lib/Dialect/FP8/IR/FP8Folding.cpp): amax and
// scale_from_amax of constants, quantize(dequantize) with an exact scale.
// python/tests/test_folding.py checks the folded values against fp8-run.
// RUN: fp8-opt %s -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @amax_tensor
// CHECK-NEXT: %[[C:.*]] = arith.constant dense<5.000000e+00> : tensor<f32>
// CHECK-NEXT: return %[[C]]
func.func @amax_tensor() -> tensor<f32> {
  %c = arith.constant dense<[[1.0, -5.0, 2.0], [3.0, 0.0, -4.0]]> : tensor<2x3xf32>
  %a = fp8.amax %c {scaling = #fp8.scaling<tensor>} : tensor<2x3xf32> -> tensor<f32>
  return %a : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @amax_rowwise
// CHECK-NEXT: arith.constant dense<{{\[}}[5.000000e+00], [4.000000e+00]]> : tensor<2x1xf32>
// CHECK-NOT: fp8.amax
func.func @amax_rowwise() -> tensor<2x1xf32> {
  %c = arith.constant dense<[[1.0, -5.0, 2.0], [3.0, 0.0, -4.0]]> : tensor<2x3xf32>
  %a = fp8.amax %c {scaling = #fp8.scaling<rowwise>} : tensor<2x3xf32> -> tensor<2x1xf32>
  return %a : tensor<2x1xf32>
}

// -----

// Ragged block groups: 3x3 in [2, 2] blocks -> 2x2 groups, the edge ones
// smaller.
// CHECK-LABEL: func.func @amax_block_ragged
// CHECK-NEXT: arith.constant dense<{{\[}}[5.000000e+00, 6.000000e+00], [8.000000e+00, 9.000000e+00]]> : tensor<2x2xf32>
// CHECK-NOT: fp8.amax
func.func @amax_block_ragged() -> tensor<2x2xf32> {
  %c = arith.constant dense<[[1.0, -2.0, 3.0], [4.0, 5.0, -6.0], [-7.0, 8.0, 9.0]]> : tensor<3x3xf32>
  %a = fp8.amax %c {scaling = #fp8.scaling<block [2, 2]>} : tensor<3x3xf32> -> tensor<2x2xf32>
  return %a : tensor<2x2xf32>
}

// -----

// Batch dims get one group each; bf16 input, f32 result.
// CHECK-LABEL: func.func @amax_batch_bf16
// CHECK-NEXT: arith.constant dense<{{\[}}{{\[}}[2.000000e+00], [4.000000e+00]], {{\[}}[6.000000e+00], [8.000000e+00]]]> : tensor<2x2x1xf32>
// CHECK-NOT: fp8.amax
func.func @amax_batch_bf16() -> tensor<2x2x1xf32> {
  %c = arith.constant dense<[[[1.0, -2.0], [4.0, 3.0]], [[-6.0, 5.0], [7.0, -8.0]]]> : tensor<2x2x2xbf16>
  %a = fp8.amax %c {scaling = #fp8.scaling<block [1, 2]>} : tensor<2x2x2xbf16> -> tensor<2x2x1xf32>
  return %a : tensor<2x2x1xf32>
}

// -----

// NaN propagates, -inf gives +inf, zeros (of either sign) give +0.
// CHECK-LABEL: func.func @amax_nan_inf_zero
// CHECK-NEXT: arith.constant dense<{{\[}}[0x7FC00000, 3.000000e+00], [0x7F800000, 0.000000e+00]]> : tensor<2x2xf32>
// CHECK-NOT: fp8.amax
func.func @amax_nan_inf_zero() -> tensor<2x2xf32> {
  %c = arith.constant dense<[[1.0, 0x7FC00000, 2.0, 3.0], [0xFF800000, 1.0, 0.0, -0.0]]> : tensor<2x4xf32>
  %a = fp8.amax %c {scaling = #fp8.scaling<block [1, 2]>} : tensor<2x4xf32> -> tensor<2x2xf32>
  return %a : tensor<2x2xf32>
}

// -----

// FP8 data: |-448| = 448.
// CHECK-LABEL: func.func @amax_fp8
// CHECK-NEXT: arith.constant dense<4.480000e+02> : tensor<f32>
// CHECK-NOT: fp8.amax
func.func @amax_fp8() -> tensor<f32> {
  %c = arith.constant dense<[0.5, -448.0, 3.0]> : tensor<3xf8E4M3FN>
  %a = fp8.amax %c {scaling = #fp8.scaling<tensor>} : tensor<3xf8E4M3FN> -> tensor<f32>
  return %a : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @amax_not_constant
// CHECK: fp8.amax
func.func @amax_not_constant(%x: tensor<2x3xf32>) -> tensor<f32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<2x3xf32> -> tensor<f32>
  return %a : tensor<f32>
}

// -----

// amax / 448, rounded to f32.
// CHECK-LABEL: func.func @scale_f32
// CHECK-NEXT: arith.constant dense<[1.000000e+00, 0.00223214296, 2.000000e+00, 1.316970e-40]> : tensor<4xf32>
// CHECK-NOT: fp8.scale_from_amax
func.func @scale_f32() -> tensor<4xf32> {
  %c = arith.constant dense<[448.0, 1.0, 896.0, 5.9e-38]> : tensor<4xf32>
  %s = fp8.scale_from_amax %c {format = f8E4M3FN} : tensor<4xf32> -> tensor<4xf32>
  return %s : tensor<4xf32>
}

// -----

// amax 0, -0, +-inf, NaN or negative -> 1.
// CHECK-LABEL: func.func @scale_special
// CHECK-NEXT: arith.constant dense<1.000000e+00> : tensor<6xf32>
// CHECK-NOT: fp8.scale_from_amax
func.func @scale_special() -> tensor<6xf32> {
  %c = arith.constant dense<[0.0, -0.0, 0x7F800000, 0xFF800000, 0x7FC00000, -3.0]> : tensor<6xf32>
  %s = fp8.scale_from_amax %c {format = f8E5M2} : tensor<6xf32> -> tensor<6xf32>
  return %s : tensor<6xf32>
}

// -----

// Margin: (amax / fmax) * 2^margin.
// CHECK-LABEL: func.func @scale_margin
// CHECK-NEXT: arith.constant dense<[4.000000e+00, 0.00892857183]> : tensor<2xf32>
// CHECK-NEXT: arith.constant dense<[1.250000e-01, 2.7901787E-4]> : tensor<2xf32>
// CHECK-NOT: fp8.scale_from_amax
func.func @scale_margin() -> (tensor<2xf32>, tensor<2xf32>) {
  %c = arith.constant dense<[448.0, 1.0]> : tensor<2xf32>
  %s = fp8.scale_from_amax %c {format = f8E4M3FN, margin = 2} : tensor<2xf32> -> tensor<2xf32>
  %t = fp8.scale_from_amax %c {format = f8E4M3FN, margin = -3} : tensor<2xf32> -> tensor<2xf32>
  return %s, %t : tensor<2xf32>, tensor<2xf32>
}

// -----

// amax of a constant, then its scale: both fold.
// CHECK-LABEL: func.func @amax_then_scale
// CHECK-NEXT: arith.constant dense<{{\[}}[2.000000e+00], [1.000000e+00]]> : tensor<2x1xf32>
// CHECK-NOT: fp8.
func.func @amax_then_scale() -> tensor<2x1xf32> {
  %c = arith.constant dense<[[-896.0, 1.0], [0.0, 0.0]]> : tensor<2x2xf32>
  %a = fp8.amax %c {scaling = #fp8.scaling<rowwise>} : tensor<2x2xf32> -> tensor<2x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<2x1xf32> -> tensor<2x1xf32>
  return %s : tensor<2x1xf32>
}

// -----

// The pow2 and E8M0 rules and non-constant amaxes stay.
// CHECK-LABEL: func.func @scale_not_folded
// CHECK-COUNT-3: fp8.scale_from_amax
func.func @scale_not_folded(%x: tensor<2xf32>)
    -> (tensor<2xf32>, tensor<2xf8E8M0FNU>, tensor<2xf32>) {
  %c = arith.constant dense<[448.0, 1.0]> : tensor<2xf32>
  %p = fp8.scale_from_amax %c {format = f8E4M3FN, pow2} : tensor<2xf32> -> tensor<2xf32>
  %e = fp8.scale_from_amax %c {format = f8E4M3FN} : tensor<2xf32> -> tensor<2xf8E8M0FNU>
  %n = fp8.scale_from_amax %x {format = f8E4M3FN} : tensor<2xf32> -> tensor<2xf32>
  return %p, %e, %n : tensor<2xf32>, tensor<2xf8E8M0FNU>, tensor<2xf32>
}

// -----

// A constant power-of-two f32 scale: q * 2 and back is exact.
// CHECK-LABEL: func.func @requantize_pow2
// CHECK-SAME: (%[[Q:.*]]: tensor<4x8xf8E4M3FN>)
// CHECK-NEXT: return %[[Q]]
func.func @requantize_pow2(%q: tensor<4x8xf8E4M3FN>) -> tensor<4x8xf8E4M3FN> {
  %s = arith.constant dense<2.0> : tensor<f32>
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<tensor>} : tensor<4x8xf8E4M3FN>, tensor<f32> -> tensor<4x8xf32>
  %r = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>} : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf8E4M3FN>
  return %r : tensor<4x8xf8E4M3FN>
}

// -----

// Constant E8M0 MX scales (powers of two within range).
// CHECK-LABEL: func.func @requantize_e8m0
// CHECK-SAME: (%[[Q:.*]]: tensor<2x64xf8E4M3FN>)
// CHECK-NEXT: return %[[Q]]
func.func @requantize_e8m0(%q: tensor<2x64xf8E4M3FN>) -> tensor<2x64xf8E4M3FN> {
  %s = arith.constant dense<[[1.0, 2.0], [0.5, 1.048576e+06]]> : tensor<2x2xf8E8M0FNU>
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<block [1, 32]>} : tensor<2x64xf8E4M3FN>, tensor<2x2xf8E8M0FNU> -> tensor<2x64xf32>
  %r = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>} : tensor<2x64xf32>, tensor<2x2xf8E8M0FNU> -> tensor<2x64xf8E4M3FN>
  return %r : tensor<2x64xf8E4M3FN>
}

// -----

// E5M2 without saturate: inf stays inf, so it folds.
// CHECK-LABEL: func.func @requantize_e5m2_nosat
// CHECK-SAME: (%[[Q:.*]]: tensor<4xf8E5M2>)
// CHECK-NEXT: return %[[Q]]
func.func @requantize_e5m2_nosat(%q: tensor<4xf8E5M2>) -> tensor<4xf8E5M2> {
  %s = arith.constant dense<0.25> : tensor<f32>
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<tensor>} : tensor<4xf8E5M2>, tensor<f32> -> tensor<4xf32>
  %r = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>, saturate = false} : tensor<4xf32>, tensor<f32> -> tensor<4xf8E5M2>
  return %r : tensor<4xf8E5M2>
}

// -----

// Not exact, not folded: E5M2 with saturate (inf -> max), a scale that is no
// power of two, a non-constant scale, a scale whose q * s overflows f32
// (448 * 2^125) or underflows it (E5M2's 2^-16 * 2^-140), different scales, a
// bf16 dequantize.
// CHECK-LABEL: func.func @requantize_not_folded
// CHECK-COUNT-7: fp8.quantize
func.func @requantize_not_folded(%q: tensor<4xf8E5M2>, %p: tensor<4xf8E4M3FN>, %v: tensor<f32>)
    -> (tensor<4xf8E5M2>, tensor<4xf8E4M3FN>, tensor<4xf8E4M3FN>, tensor<4xf8E4M3FN>,
        tensor<4xf8E5M2>, tensor<4xf8E4M3FN>, tensor<4xf8E4M3FN>) {
  %two = arith.constant dense<2.0> : tensor<f32>
  %four = arith.constant dense<4.0> : tensor<f32>
  %three = arith.constant dense<3.0> : tensor<f32>
  %big = arith.constant dense<4.25352248E+37> : tensor<f32>
  %tiny = arith.constant dense<7.17464814E-43> : tensor<f32>
  %x0 = fp8.dequantize %q, %two {scaling = #fp8.scaling<tensor>} : tensor<4xf8E5M2>, tensor<f32> -> tensor<4xf32>
  %r0 = fp8.quantize %x0, %two {scaling = #fp8.scaling<tensor>} : tensor<4xf32>, tensor<f32> -> tensor<4xf8E5M2>
  %x1 = fp8.dequantize %p, %three {scaling = #fp8.scaling<tensor>} : tensor<4xf8E4M3FN>, tensor<f32> -> tensor<4xf32>
  %r1 = fp8.quantize %x1, %three {scaling = #fp8.scaling<tensor>} : tensor<4xf32>, tensor<f32> -> tensor<4xf8E4M3FN>
  %x2 = fp8.dequantize %p, %v {scaling = #fp8.scaling<tensor>} : tensor<4xf8E4M3FN>, tensor<f32> -> tensor<4xf32>
  %r2 = fp8.quantize %x2, %v {scaling = #fp8.scaling<tensor>} : tensor<4xf32>, tensor<f32> -> tensor<4xf8E4M3FN>
  %x3 = fp8.dequantize %p, %big {scaling = #fp8.scaling<tensor>} : tensor<4xf8E4M3FN>, tensor<f32> -> tensor<4xf32>
  %r3 = fp8.quantize %x3, %big {scaling = #fp8.scaling<tensor>} : tensor<4xf32>, tensor<f32> -> tensor<4xf8E4M3FN>
  %x4 = fp8.dequantize %q, %tiny {scaling = #fp8.scaling<tensor>} : tensor<4xf8E5M2>, tensor<f32> -> tensor<4xf32>
  %r4 = fp8.quantize %x4, %tiny {scaling = #fp8.scaling<tensor>, saturate = false} : tensor<4xf32>, tensor<f32> -> tensor<4xf8E5M2>
  %x5 = fp8.dequantize %p, %two {scaling = #fp8.scaling<tensor>} : tensor<4xf8E4M3FN>, tensor<f32> -> tensor<4xf32>
  %r5 = fp8.quantize %x5, %four {scaling = #fp8.scaling<tensor>} : tensor<4xf32>, tensor<f32> -> tensor<4xf8E4M3FN>
  %x6 = fp8.dequantize %p, %two {scaling = #fp8.scaling<tensor>} : tensor<4xf8E4M3FN>, tensor<f32> -> tensor<4xbf16>
  %r6 = fp8.quantize %x6, %two {scaling = #fp8.scaling<tensor>} : tensor<4xbf16>, tensor<f32> -> tensor<4xf8E4M3FN>
  return %r0, %r1, %r2, %r3, %r4, %r5, %r6 : tensor<4xf8E5M2>, tensor<4xf8E4M3FN>, tensor<4xf8E4M3FN>, tensor<4xf8E4M3FN>, tensor<4xf8E5M2>, tensor<4xf8E4M3FN>, tensor<4xf8E4M3FN>
}

// -----

// Splat constants fold in O(1) whatever their size: 2^48 elements here, which
// a visit per element (or an APFloat per group) would never finish.
// CHECK-LABEL: func.func @huge_splat
// CHECK-DAG: arith.constant dense<3.000000e+00> : tensor<f32>
// CHECK-DAG: arith.constant dense<3.000000e+00> : tensor<16777216x1xf32>
// CHECK-DAG: arith.constant dense<0.00669642864> : tensor<16777216x1xf32>
// CHECK-NOT: fp8.
func.func @huge_splat() -> (tensor<f32>, tensor<16777216x1xf32>, tensor<16777216x1xf32>) {
  %c = arith.constant dense<-3.0> : tensor<16777216x16777216xf32>
  %a = fp8.amax %c {scaling = #fp8.scaling<tensor>} : tensor<16777216x16777216xf32> -> tensor<f32>
  %r = fp8.amax %c {scaling = #fp8.scaling<rowwise>} : tensor<16777216x16777216xf32> -> tensor<16777216x1xf32>
  %s = fp8.scale_from_amax %r {format = f8E4M3FN} : tensor<16777216x1xf32> -> tensor<16777216x1xf32>
  return %a, %r, %s : tensor<f32>, tensor<16777216x1xf32>, tensor<16777216x1xf32>
}

// -----

// quantize(dequantize) checks a splat scale once, whatever its size.
// CHECK-LABEL: func.func @requantize_huge_splat_scale
// CHECK-SAME: (%[[Q:.*]]: tensor<16777216x16777216xf8E4M3FN>)
// CHECK-NEXT: return %[[Q]]
func.func @requantize_huge_splat_scale(%q: tensor<16777216x16777216xf8E4M3FN>) -> tensor<16777216x16777216xf8E4M3FN> {
  %s = arith.constant dense<0.25> : tensor<16777216x1xf32>
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<rowwise>} : tensor<16777216x16777216xf8E4M3FN>, tensor<16777216x1xf32> -> tensor<16777216x16777216xf32>
  %r = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>} : tensor<16777216x16777216xf32>, tensor<16777216x1xf32> -> tensor<16777216x16777216xf8E4M3FN>
  return %r : tensor<16777216x16777216xf8E4M3FN>
}
