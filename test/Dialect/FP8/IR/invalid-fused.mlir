// One case per verifier rule of the fused ops of fp8-fuse-quantize.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// fp8.quantize_with_amax
//===----------------------------------------------------------------------===//

func.func @with_amax_result_shape(%x: tensor<64x256xf32>) {
  // expected-error @+1 {{expected result of the input shape [64, 256], found [64, 128]}}
  %q, %s = fp8.quantize_with_amax %x {format = f8E4M3FN, scaling = #fp8.scaling<rowwise>} : tensor<64x256xf32> -> tensor<64x128xf8E4M3FN>, tensor<64x1xf32>
  return
}

// -----

func.func @with_amax_scale_shape(%x: tensor<64x256xf32>) {
  // expected-error @+1 {{expected scale result of shape [64, 2] for data of shape [64, 256] under #fp8.scaling<block [1, 128]>, found [64, 1]}}
  %q, %s = fp8.quantize_with_amax %x {format = f8E4M3FN, scaling = #fp8.scaling<block [1, 128]>} : tensor<64x256xf32> -> tensor<64x256xf8E4M3FN>, tensor<64x1xf32>
  return
}

// -----

func.func @with_amax_rank1(%x: tensor<256xf32>) {
  // expected-error @+1 {{#fp8.scaling<rowwise> needs data of rank >= 2 ([..., rows, cols]), found 'tensor<256xf32>'}}
  %q, %s = fp8.quantize_with_amax %x {format = f8E4M3FN, scaling = #fp8.scaling<rowwise>} : tensor<256xf32> -> tensor<256xf8E4M3FN>, tensor<256x1xf32>
  return
}

// -----

func.func @with_amax_format(%x: tensor<64x256xf32>) {
  // expected-error @+1 {{format must be one of f8E4M3FN, f8E5M2, f6E2M3FN, f6E3M2FN, f4E2M1FN; found 'bf16'}}
  %q, %s = fp8.quantize_with_amax %x {format = bf16, scaling = #fp8.scaling<rowwise>} : tensor<64x256xf32> -> tensor<64x256xf8E4M3FN>, tensor<64x1xf32>
  return
}

// -----

func.func @with_amax_margin(%x: tensor<64x256xf32>) {
  // expected-error @+1 {{margin must be in [-127, 127], found 200}}
  %q, %s = fp8.quantize_with_amax %x {format = f8E4M3FN, margin = 200, scaling = #fp8.scaling<rowwise>} : tensor<64x256xf32> -> tensor<64x256xf8E4M3FN>, tensor<64x1xf32>
  return
}

// -----

func.func @with_amax_pow2_e8m0(%x: tensor<64x256xf32>) {
  // expected-error @+1 {{'pow2' is implied by f8E8M0FNU scales; drop the attribute}}
  %q, %s = fp8.quantize_with_amax %x {format = f8E4M3FN, pow2, scaling = #fp8.scaling<block [1, 32]>} : tensor<64x256xf32> -> tensor<64x256xf8E4M3FN>, tensor<64x8xf8E8M0FNU>
  return
}

// -----

func.func @with_amax_mx_scale_f32(%x: tensor<64x256xf32>) {
  // expected-error @+1 {{'mx_scale' applies to f8E8M0FNU scales only, found scale element type 'f32'}}
  %q, %s = fp8.quantize_with_amax %x {format = f8E4M3FN, mx_scale = #fp8.mx_scale<floor>, scaling = #fp8.scaling<block [1, 32]>} : tensor<64x256xf32> -> tensor<64x256xf8E4M3FN>, tensor<64x8xf32>
  return
}

// -----

func.func @with_amax_e8m0_not_mx(%x: tensor<64x256xf32>) {
  // expected-error @+1 {{f8E8M0FNU scale result needs MX block scaling #fp8.scaling<block [1, 32]> (or [32, 1]), found #fp8.scaling<rowwise>}}
  %q, %s = fp8.quantize_with_amax %x {format = f8E4M3FN, scaling = #fp8.scaling<rowwise>} : tensor<64x256xf32> -> tensor<64x256xf8E4M3FN>, tensor<64x1xf8E8M0FNU>
  return
}

// -----

//===----------------------------------------------------------------------===//
// fp8.quantize_transposed
//===----------------------------------------------------------------------===//

func.func @transposed_rank1(%x: tensor<256xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{transposes the last two dimensions: expected an input of rank >= 2, found 'tensor<256xf32>'}}
  %q = fp8.quantize_transposed %x, %s {scaling = #fp8.scaling<tensor>} : tensor<256xf32>, tensor<f32> -> tensor<256xf8E4M3FN>
  return
}

// -----

func.func @transposed_result_shape(%x: tensor<2x64x128xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{expected result of the transposed input shape [2, 128, 64], found [2, 64, 128]}}
  %q = fp8.quantize_transposed %x, %s {scaling = #fp8.scaling<tensor>} : tensor<2x64x128xf32>, tensor<f32> -> tensor<2x64x128xf8E4M3FN>
  return
}

// -----

func.func @transposed_scale_shape(%x: tensor<64x128xf32>, %s: tensor<64x1xf32>) {
  // expected-error @+1 {{expected scale of shape [128, 1] for data of shape [128, 64] under #fp8.scaling<rowwise>, found [64, 1]}}
  %q = fp8.quantize_transposed %x, %s {scaling = #fp8.scaling<rowwise>} : tensor<64x128xf32>, tensor<64x1xf32> -> tensor<128x64xf8E4M3FN>
  return
}

// -----

//===----------------------------------------------------------------------===//
// fp8.amax_transposed
//===----------------------------------------------------------------------===//

func.func @amax_transposed_rank1(%x: tensor<256xf32>) {
  // expected-error @+1 {{transposes the last two dimensions: expected an input of rank >= 2, found 'tensor<256xf32>'}}
  %a = fp8.amax_transposed %x {scaling = #fp8.scaling<tensor>} : tensor<256xf32> -> tensor<f32>
  return
}

// -----

func.func @amax_transposed_result_shape(%x: tensor<64x128xf32>) {
  // expected-error @+1 {{expected amax result of shape [128, 1] for data of shape [128, 64] under #fp8.scaling<rowwise>, found [64, 1]}}
  %a = fp8.amax_transposed %x {scaling = #fp8.scaling<rowwise>} : tensor<64x128xf32> -> tensor<64x1xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Shared by the three: tensors that int64 cannot count
//===----------------------------------------------------------------------===//

func.func @with_amax_huge(%x: tensor<9223372036854775807x128xf32>) {
  // expected-error @+1 {{'fp8.quantize_with_amax' op operand #0 of type 'tensor<9223372036854775807x128xf32>' has more elements than int64 can count}}
  %q, %s = fp8.quantize_with_amax %x {format = f8E4M3FN, scaling = #fp8.scaling<rowwise>} : tensor<9223372036854775807x128xf32> -> tensor<9223372036854775807x128xf8E4M3FN>, tensor<9223372036854775807x1xf32>
  return
}

// -----

func.func @transposed_huge(%x: tensor<128x9223372036854775807xf32>, %s: tensor<f32>) {
  // expected-error @+1 {{'fp8.quantize_transposed' op operand #0 of type 'tensor<128x9223372036854775807xf32>' has more elements than int64 can count}}
  %q = fp8.quantize_transposed %x, %s {scaling = #fp8.scaling<tensor>} : tensor<128x9223372036854775807xf32>, tensor<f32> -> tensor<9223372036854775807x128xf8E4M3FN>
  return
}

// -----

func.func @amax_transposed_huge(%x: tensor<4x4611686018427387904xf32>) {
  // expected-error @+1 {{'fp8.amax_transposed' op operand #0 of type 'tensor<4x4611686018427387904xf32>' has more elements than int64 can count}}
  %a = fp8.amax_transposed %x {scaling = #fp8.scaling<tensor>} : tensor<4x4611686018427387904xf32> -> tensor<f32>
  return
}
