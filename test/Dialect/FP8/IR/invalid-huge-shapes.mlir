// Static sizes go up to INT64_MAX: a tensor whose element count or byte size
// int64 cannot hold is an error at the op, and scale shapes of huge sizes or
// huge block extents are computed without wrapping.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics

func.func @quantize_elements(%x: tensor<9223372036854775807x128xf32>, %s: tensor<f32>)
    -> tensor<9223372036854775807x128xf8E4M3FN> {
  // expected-error @+1 {{'fp8.quantize' op operand #0 of type 'tensor<9223372036854775807x128xf32>' has more elements than int64 can count}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<9223372036854775807x128xf32>, tensor<f32> -> tensor<9223372036854775807x128xf8E4M3FN>
  return %q : tensor<9223372036854775807x128xf8E4M3FN>
}

// -----

// 2^62 x 4 elements wrap to 0 in int64.
func.func @amax_wraps_to_empty(%x: tensor<4611686018427387904x4xf32>) -> tensor<f32> {
  // expected-error @+1 {{'fp8.amax' op operand #0 of type 'tensor<4611686018427387904x4xf32>' has more elements than int64 can count}}
  %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<4611686018427387904x4xf32> -> tensor<f32>
  return %a : tensor<f32>
}

// -----

// 2^61 FP8 bytes fit, 2^61 f32 do not.
func.func @dequantize_bytes(%q: tensor<2305843009213693952xf8E4M3FN>, %s: tensor<f32>)
    -> tensor<2305843009213693952xf32> {
  // expected-error @+1 {{'fp8.dequantize' op result #0 of type 'tensor<2305843009213693952xf32>' has more bytes (4 per element) than int64 can count}}
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<tensor>}
      : tensor<2305843009213693952xf8E4M3FN>, tensor<f32> -> tensor<2305843009213693952xf32>
  return %x : tensor<2305843009213693952xf32>
}

// -----

// Dynamic dims are not counted; the static ones still are.
func.func @dynamic_and_huge(%x: tensor<?x4611686018427387904x4xf32>) -> tensor<f32> {
  // expected-error @+1 {{'fp8.amax' op operand #0 of type 'tensor<?x4611686018427387904x4xf32>' has more elements than int64 can count}}
  %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<?x4611686018427387904x4xf32> -> tensor<f32>
  return %a : tensor<f32>
}

// -----

func.func @matmul_elements(%a: tensor<4611686018427387904x128xf8E4M3FN>, %sa: tensor<f32>,
                           %b: tensor<256x128xf8E4M3FN>, %sb: tensor<f32>)
    -> tensor<4611686018427387904x256xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op operand #0 of type 'tensor<4611686018427387904x128xf8E4M3FN>' has more elements than int64 can count}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<4611686018427387904x128xf8E4M3FN>, tensor<f32>, tensor<256x128xf8E4M3FN>, tensor<f32>
        -> tensor<4611686018427387904x256xbf16>
  return %d : tensor<4611686018427387904x256xbf16>
}

// -----

// N = INT64_MAX: each operand fits, the [256, N] result does not.
func.func @matmul_result(%a: tensor<256x1xf8E4M3FN>, %sa: tensor<f32>,
                         %b: tensor<9223372036854775807x1xf8E4M3FN>, %sb: tensor<f32>)
    -> tensor<256x9223372036854775807xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op result #0 of type 'tensor<256x9223372036854775807xbf16>' has more elements than int64 can count}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<256x1xf8E4M3FN>, tensor<f32>, tensor<9223372036854775807x1xf8E4M3FN>, tensor<f32>
        -> tensor<256x9223372036854775807xbf16>
  return %d : tensor<256x9223372036854775807xbf16>
}

// -----

func.func @history_elements(%h: tensor<4x4611686018427387904xf32>, %a: tensor<4611686018427387904xf32>)
    -> tensor<4x4611686018427387904xf32> {
  // expected-error @+1 {{'fp8.amax_history_push' op operand #0 of type 'tensor<4x4611686018427387904xf32>' has more elements than int64 can count}}
  %r = fp8.amax_history_push %h, %a : tensor<4x4611686018427387904xf32>, tensor<4611686018427387904xf32>
  return %r : tensor<4x4611686018427387904xf32>
}

// -----

func.func @scale_elements(%a: tensor<4611686018427387904x2xf32>) -> tensor<4611686018427387904x2xf32> {
  // expected-error @+1 {{'fp8.scale_from_amax' op operand #0 of type 'tensor<4611686018427387904x2xf32>' has more elements than int64 can count}}
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<4611686018427387904x2xf32> -> tensor<4611686018427387904x2xf32>
  return %s : tensor<4611686018427387904x2xf32>
}

// -----

// A block taller than the tensor is one group of rows: ceil(4 / INT64_MAX)
// is 1, where (4 + INT64_MAX - 1) / INT64_MAX wrapped to 0.
func.func @huge_block_rows(%x: tensor<4x32xf32>) -> tensor<0x8xf32> {
  // expected-error @+1 {{'fp8.amax' op expected amax result of shape [1, 8] for data of shape [4, 32] under #fp8.scaling<block [9223372036854775807, 4]>, found [0, 8]}}
  %a = fp8.amax %x {scaling = #fp8.scaling<block [9223372036854775807, 4]>} : tensor<4x32xf32> -> tensor<0x8xf32>
  return %a : tensor<0x8xf32>
}

// -----

// INT64_MAX rows in blocks of 2: ceil(INT64_MAX / 2) = 2^62.
func.func @huge_rows(%x: tensor<9223372036854775807x1xf8E4M3FN>) -> tensor<1x1xf32> {
  // expected-error @+1 {{'fp8.amax' op expected amax result of shape [4611686018427387904, 1] for data of shape [9223372036854775807, 1] under #fp8.scaling<block [2, 1]>, found [1, 1]}}
  %a = fp8.amax %x {scaling = #fp8.scaling<block [2, 1]>} : tensor<9223372036854775807x1xf8E4M3FN> -> tensor<1x1xf32>
  return %a : tensor<1x1xf32>
}
