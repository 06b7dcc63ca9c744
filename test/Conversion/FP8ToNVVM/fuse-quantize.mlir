// fp8-fuse-quantize: which chains become one fused op, and which stay as
// they are (then each op gets its own kernel).
// RUN: fp8-opt %s -split-input-file --fp8-fuse-quantize | FileCheck %s

// amax -> scale_from_amax -> quantize of one value under one block scaling:
// one op; its scales replace the scale_from_amax's, and the amax and
// scale_from_amax go.
// CHECK-LABEL: func.func @chain(
// CHECK-SAME:      %[[X:.*]]: tensor<256x512xbf16>)
// CHECK-NEXT:    %[[Q:.*]], %[[S:.*]] = fp8.quantize_with_amax %[[X]] {format = f8E4M3FN, scaling = #fp8.scaling<block [1, 128]>}
// CHECK-SAME:        : tensor<256x512xbf16> -> tensor<256x512xf8E4M3FN>, tensor<256x4xf32>
// CHECK-NEXT:    return %[[Q]], %[[S]]
func.func @chain(%x: tensor<256x512xbf16>) -> (tensor<256x512xf8E4M3FN>, tensor<256x4xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 128]>} : tensor<256x512xbf16> -> tensor<256x4xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<256x4xf32> -> tensor<256x4xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 128]>} : tensor<256x512xbf16>, tensor<256x4xf32> -> tensor<256x512xf8E4M3FN>
  return %q, %s : tensor<256x512xf8E4M3FN>, tensor<256x4xf32>
}

// -----

// The scale rule and saturate carry over: E8M0 floor, margin; f32 pow2.
// CHECK-LABEL: func.func @rule(
// CHECK:         fp8.quantize_with_amax %{{.*}} {format = f8E4M3FN, margin = 1 : i64, mx_scale = #fp8.mx_scale<floor>, saturate = false, scaling = #fp8.scaling<block [1, 32]>}
// CHECK-SAME:        -> tensor<128x256xf8E4M3FN>, tensor<128x8xf8E8M0FNU>
// CHECK:         fp8.quantize_with_amax %{{.*}} {format = f8E5M2, pow2, scaling = #fp8.scaling<rowwise>}
// CHECK-SAME:        -> tensor<64x256xf8E5M2>, tensor<64x1xf32>
// CHECK-NOT:     fp8.amax
// CHECK-NOT:     fp8.scale_from_amax
func.func @rule(%x: tensor<128x256xf32>, %y: tensor<64x256xf16>) -> (tensor<128x256xf8E4M3FN>, tensor<64x256xf8E5M2>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 32]>} : tensor<128x256xf32> -> tensor<128x8xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN, margin = 1, mx_scale = #fp8.mx_scale<floor>} : tensor<128x8xf32> -> tensor<128x8xf8E8M0FNU>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>, saturate = false} : tensor<128x256xf32>, tensor<128x8xf8E8M0FNU> -> tensor<128x256xf8E4M3FN>
  %b = fp8.amax %y {scaling = #fp8.scaling<rowwise>} : tensor<64x256xf16> -> tensor<64x1xf32>
  %t = fp8.scale_from_amax %b {format = f8E5M2, pow2} : tensor<64x1xf32> -> tensor<64x1xf32>
  %r = fp8.quantize %y, %t {scaling = #fp8.scaling<rowwise>} : tensor<64x256xf16>, tensor<64x1xf32> -> tensor<64x256xf8E5M2>
  return %q, %r : tensor<128x256xf8E4M3FN>, tensor<64x256xf8E5M2>
}

// -----

// An amax with another user still fuses; the amax stays for that user.
// CHECK-LABEL: func.func @amax_kept(
// CHECK:         %[[A:.*]] = fp8.amax
// CHECK-NOT:     fp8.scale_from_amax
// CHECK:         %[[Q:.*]], %{{.*}} = fp8.quantize_with_amax
// CHECK:         return %[[Q]], %[[A]]
func.func @amax_kept(%x: tensor<64x256xf16>) -> (tensor<64x256xf8E5M2>, tensor<64x1xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<64x256xf16> -> tensor<64x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E5M2} : tensor<64x1xf32> -> tensor<64x1xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>} : tensor<64x256xf16>, tensor<64x1xf32> -> tensor<64x256xf8E5M2>
  return %q, %a : tensor<64x256xf8E5M2>, tensor<64x1xf32>
}

// -----

// Not fused: the scales have a user before the quantize (the fused kernel
// makes them at the quantize).
// CHECK-LABEL: func.func @scale_used_before(
// CHECK:         fp8.amax
// CHECK:         %[[S:.*]] = fp8.scale_from_amax
// CHECK:         fp8.dequantize %{{.*}}, %[[S]]
// CHECK:         fp8.quantize %{{.*}}, %[[S]]
// CHECK-NOT:     fp8.quantize_with_amax
func.func @scale_used_before(%x: tensor<64x256xf32>, %old: tensor<64x256xf8E4M3FN>) -> (tensor<64x256xf8E4M3FN>, tensor<64x256xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<64x256xf32> -> tensor<64x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<64x1xf32> -> tensor<64x1xf32>
  %d = fp8.dequantize %old, %s {scaling = #fp8.scaling<rowwise>} : tensor<64x256xf8E4M3FN>, tensor<64x1xf32> -> tensor<64x256xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>} : tensor<64x256xf32>, tensor<64x1xf32> -> tensor<64x256xf8E4M3FN>
  return %q, %d : tensor<64x256xf8E4M3FN>, tensor<64x256xf32>
}

// -----

// Not fused: the amax of another value, another scaling, tensor scaling
// (no fused kernel), dynamic shapes.
// CHECK-LABEL: func.func @not_fused(
// CHECK-NOT:     fp8.quantize_with_amax
// CHECK-COUNT-4: fp8.quantize %
// CHECK-NOT:     fp8.quantize_with_amax
func.func @not_fused(%x: tensor<64x256xf32>, %y: tensor<64x256xf32>, %d: tensor<?x256xf32>)
    -> (tensor<64x256xf8E4M3FN>, tensor<64x256xf8E4M3FN>, tensor<64x256xf8E4M3FN>, tensor<?x256xf8E4M3FN>) {
  %a = fp8.amax %y {scaling = #fp8.scaling<rowwise>} : tensor<64x256xf32> -> tensor<64x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<64x1xf32> -> tensor<64x1xf32>
  %q0 = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>} : tensor<64x256xf32>, tensor<64x1xf32> -> tensor<64x256xf8E4M3FN>
  %b = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<64x256xf32> -> tensor<64x1xf32>
  %c = fp8.scale_from_amax %b {format = f8E4M3FN} : tensor<64x1xf32> -> tensor<64x1xf32>
  %q1 = fp8.quantize %x, %c {scaling = #fp8.scaling<block [1, 256]>} : tensor<64x256xf32>, tensor<64x1xf32> -> tensor<64x256xf8E4M3FN>
  %t = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<64x256xf32> -> tensor<f32>
  %ts = fp8.scale_from_amax %t {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
  %q2 = fp8.quantize %x, %ts {scaling = #fp8.scaling<tensor>} : tensor<64x256xf32>, tensor<f32> -> tensor<64x256xf8E4M3FN>
  %e = fp8.amax %d {scaling = #fp8.scaling<rowwise>} : tensor<?x256xf32> -> tensor<?x1xf32>
  %es = fp8.scale_from_amax %e {format = f8E4M3FN} : tensor<?x1xf32> -> tensor<?x1xf32>
  %q3 = fp8.quantize %d, %es {scaling = #fp8.scaling<rowwise>} : tensor<?x256xf32>, tensor<?x1xf32> -> tensor<?x256xf8E4M3FN>
  return %q0, %q1, %q2, %q3 : tensor<64x256xf8E4M3FN>, tensor<64x256xf8E4M3FN>, tensor<64x256xf8E4M3FN>, tensor<?x256xf8E4M3FN>
}

// -----

// A quantize of a transpose of the last two dims reads the untransposed
// input; the transpose goes.
// CHECK-LABEL: func.func @transposed(
// CHECK-SAME:      %[[X:.*]]: tensor<256x512xf32>, %[[S:.*]]: tensor<512x2xf32>)
// CHECK-NOT:     linalg.transpose
// CHECK:         %[[Q:.*]] = fp8.quantize_transposed %[[X]], %[[S]] {scaling = #fp8.scaling<block [1, 128]>}
// CHECK-SAME:        : tensor<256x512xf32>, tensor<512x2xf32> -> tensor<512x256xf8E4M3FN>
// CHECK-NOT:     linalg.transpose
// CHECK:         return %[[Q]]
func.func @transposed(%x: tensor<256x512xf32>, %s: tensor<512x2xf32>) -> tensor<512x256xf8E4M3FN> {
  %e = tensor.empty() : tensor<512x256xf32>
  %t = linalg.transpose ins(%x : tensor<256x512xf32>) outs(%e : tensor<512x256xf32>) permutation = [1, 0]
  %q = fp8.quantize %t, %s {scaling = #fp8.scaling<block [1, 128]>} : tensor<512x256xf32>, tensor<512x2xf32> -> tensor<512x256xf8E4M3FN>
  return %q : tensor<512x256xf8E4M3FN>
}

// -----

// amax and quantize of one transpose (a K-major weight): both read the
// input in place; the scale rule stays between them (the transposing
// kernels win over the fused one).
// CHECK-LABEL: func.func @transposed_chain(
// CHECK-SAME:      %[[X:.*]]: tensor<2x64x128xbf16>)
// CHECK-NOT:     linalg.transpose
// CHECK:         %[[A:.*]] = fp8.amax_transposed %[[X]] {scaling = #fp8.scaling<rowwise>} : tensor<2x64x128xbf16> -> tensor<2x128x1xf32>
// CHECK:         %[[S:.*]] = fp8.scale_from_amax %[[A]]
// CHECK:         fp8.quantize_transposed %[[X]], %[[S]] {saturate = false, scaling = #fp8.scaling<rowwise>}
// CHECK-SAME:        : tensor<2x64x128xbf16>, tensor<2x128x1xf32> -> tensor<2x128x64xf8E5M2>
// CHECK-NOT:     fp8.quantize_with_amax
func.func @transposed_chain(%x: tensor<2x64x128xbf16>) -> tensor<2x128x64xf8E5M2> {
  %e = tensor.empty() : tensor<2x128x64xbf16>
  %t = linalg.transpose ins(%x : tensor<2x64x128xbf16>) outs(%e : tensor<2x128x64xbf16>) permutation = [0, 2, 1]
  %a = fp8.amax %t {scaling = #fp8.scaling<rowwise>} : tensor<2x128x64xbf16> -> tensor<2x128x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E5M2} : tensor<2x128x1xf32> -> tensor<2x128x1xf32>
  %q = fp8.quantize %t, %s {scaling = #fp8.scaling<rowwise>, saturate = false} : tensor<2x128x64xbf16>, tensor<2x128x1xf32> -> tensor<2x128x64xf8E5M2>
  return %q : tensor<2x128x64xf8E5M2>
}

// -----

// A transpose with another user still fuses into the quantize, and stays
// for that user.
// CHECK-LABEL: func.func @transpose_kept(
// CHECK-SAME:      %[[X:.*]]: tensor<64x32xf32>
// CHECK:         %[[T:.*]] = linalg.transpose
// CHECK:         %[[Q:.*]] = fp8.quantize_transposed %[[X]]
// CHECK:         return %[[Q]], %[[T]]
func.func @transpose_kept(%x: tensor<64x32xf32>, %s: tensor<f32>) -> (tensor<32x64xf8E4M3FN>, tensor<32x64xf32>) {
  %e = tensor.empty() : tensor<32x64xf32>
  %t = linalg.transpose ins(%x : tensor<64x32xf32>) outs(%e : tensor<32x64xf32>) permutation = [1, 0]
  %q = fp8.quantize %t, %s {scaling = #fp8.scaling<tensor>} : tensor<32x64xf32>, tensor<f32> -> tensor<32x64xf8E4M3FN>
  return %q, %t : tensor<32x64xf8E4M3FN>, tensor<32x64xf32>
}

// -----

// Not read through: a transpose of other dims, rows not a multiple of the
// 16-row chunks, and a group width the transposing amax cannot reduce.
// CHECK-LABEL: func.func @transpose_not_fused(
// CHECK-NOT:     fp8.quantize_transposed
// CHECK-NOT:     fp8.amax_transposed
// CHECK-COUNT-3: linalg.transpose
// CHECK-NOT:     fp8.quantize_transposed
// CHECK-NOT:     fp8.amax_transposed
func.func @transpose_not_fused(%x: tensor<4x64x32xf32>, %y: tensor<40x24xf32>, %z: tensor<480x32xf32>, %s: tensor<f32>)
    -> (tensor<64x4x32xf8E4M3FN>, tensor<24x40xf8E4M3FN>, tensor<32x10xf32>) {
  %e0 = tensor.empty() : tensor<64x4x32xf32>
  %t0 = linalg.transpose ins(%x : tensor<4x64x32xf32>) outs(%e0 : tensor<64x4x32xf32>) permutation = [1, 0, 2]
  %q0 = fp8.quantize %t0, %s {scaling = #fp8.scaling<tensor>} : tensor<64x4x32xf32>, tensor<f32> -> tensor<64x4x32xf8E4M3FN>
  %e1 = tensor.empty() : tensor<24x40xf32>
  %t1 = linalg.transpose ins(%y : tensor<40x24xf32>) outs(%e1 : tensor<24x40xf32>) permutation = [1, 0]
  %q1 = fp8.quantize %t1, %s {scaling = #fp8.scaling<tensor>} : tensor<24x40xf32>, tensor<f32> -> tensor<24x40xf8E4M3FN>
  %e2 = tensor.empty() : tensor<32x480xf32>
  %t2 = linalg.transpose ins(%z : tensor<480x32xf32>) outs(%e2 : tensor<32x480xf32>) permutation = [1, 0]
  %a2 = fp8.amax %t2 {scaling = #fp8.scaling<block [1, 48]>} : tensor<32x480xf32> -> tensor<32x10xf32>
  return %q0, %q1, %a2 : tensor<64x4x32xf8E4M3FN>, tensor<24x40xf8E4M3FN>, tensor<32x10xf32>
}

// -----

// Only producers a fusion left unused go: an unused amax, transpose or
// scale_from_amax outside any fused chain stays.
// CHECK-LABEL: func.func @unrelated_unused(
// CHECK:         fp8.amax
// CHECK:         fp8.scale_from_amax
// CHECK:         linalg.transpose
// CHECK:         return
func.func @unrelated_unused(%x: tensor<64x256xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<64x256xf32> -> tensor<64x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<64x1xf32> -> tensor<64x1xf32>
  %e = tensor.empty() : tensor<256x64xf32>
  %t = linalg.transpose ins(%x : tensor<64x256xf32>) outs(%e : tensor<256x64xf32>) permutation = [1, 0]
  return
}
