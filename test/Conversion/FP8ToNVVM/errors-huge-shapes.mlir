// Shapes that int64 holds but a GPU launch cannot address are reported at
// the op, on both chips: the grid limits of CUDA (2^31 - 1 CTAs along x,
// 65535 along y and z) and the signed 32-bit coordinates of TMA.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-gpu-pipeline="chip=sm_90a"
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-gpu-pipeline="chip=sm_100a"

// 2^47 elements in chunks of 16 over 256-thread CTAs: 2^35 CTAs.
func.func @quantize_grid(%x: tensor<8796093022208x16xf32>, %s: tensor<f32>)
    -> tensor<8796093022208x16xf8E4M3FN> {
  // expected-error @+1 {{'fp8.quantize' op needs a grid of [34359738368, 1, 1] CTAs; CUDA launches at most 2147483647 along x and 65535 along y and z}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<8796093022208x16xf32>, tensor<f32> -> tensor<8796093022208x16xf8E4M3FN>
  return %q : tensor<8796093022208x16xf8E4M3FN>
}

// -----

func.func @dequantize_grid(%q: tensor<1099511627776x16xf8E4M3FN>, %s: tensor<1099511627776x1xf32>)
    -> tensor<1099511627776x16xbf16> {
  // expected-error @+1 {{'fp8.dequantize' op needs a grid of [4294967296, 1, 1] CTAs; CUDA launches at most 2147483647 along x and 65535 along y and z}}
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<rowwise>}
      : tensor<1099511627776x16xf8E4M3FN>, tensor<1099511627776x1xf32> -> tensor<1099511627776x16xbf16>
  return %x : tensor<1099511627776x16xbf16>
}

// -----

// One CTA per 128 x 128 group: 2^32 groups.
func.func @fused_block_grid(%x: tensor<549755813888x1024xbf16>)
    -> (tensor<549755813888x1024xf8E4M3FN>, tensor<4294967296x8xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [128, 128]>}
      : tensor<549755813888x1024xbf16> -> tensor<4294967296x8xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<4294967296x8xf32> -> tensor<4294967296x8xf32>
  // expected-error @+1 {{'fp8.quantize_with_amax' op needs a grid of [34359738368, 1, 1] CTAs; CUDA launches at most 2147483647 along x and 65535 along y and z}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [128, 128]>}
      : tensor<549755813888x1024xbf16>, tensor<4294967296x8xf32> -> tensor<549755813888x1024xf8E4M3FN>
  return %q, %s : tensor<549755813888x1024xf8E4M3FN>, tensor<4294967296x8xf32>
}

// -----

func.func @gemm_rows_of_a(%a: tensor<4294967296x16xf8E4M3FN>, %sa: tensor<f32>,
                          %b: tensor<256x16xf8E4M3FN>, %sb: tensor<f32>) -> tensor<4294967296x256xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op needs 4294967296 rows of A (batch dims folded in), more than TMA's signed 32-bit coordinates reach (2^31)}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<4294967296x16xf8E4M3FN>, tensor<f32>, tensor<256x16xf8E4M3FN>, tensor<f32>
        -> tensor<4294967296x256xbf16>
  return %d : tensor<4294967296x256xbf16>
}

// -----

// Batch dims fold into the rows of the TMA view of B: 4 x 2^30 rows.
func.func @gemm_rows_of_b(%a: tensor<4x16x16xf8E4M3FN>, %sa: tensor<f32>,
                          %b: tensor<4x1073741824x16xf8E4M3FN>, %sb: tensor<f32>) -> tensor<4x16x1073741824xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op needs 4294967296 rows of B (batch dims folded in), more than TMA's signed 32-bit coordinates reach (2^31)}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<4x16x16xf8E4M3FN>, tensor<f32>, tensor<4x1073741824x16xf8E4M3FN>, tensor<f32>
        -> tensor<4x16x1073741824xbf16>
  return %d : tensor<4x16x1073741824xbf16>
}

// -----

func.func @gemm_k(%a: tensor<128x4294967296xf8E4M3FN>, %sa: tensor<f32>,
                  %b: tensor<256x4294967296xf8E4M3FN>, %sb: tensor<f32>) -> tensor<128x256xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op needs K = 4294967296, more than TMA's signed 32-bit coordinates reach (2^31)}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x4294967296xf8E4M3FN>, tensor<f32>, tensor<256x4294967296xf8E4M3FN>, tensor<f32>
        -> tensor<128x256xbf16>
  return %d : tensor<128x256xbf16>
}

// -----

// N = 2^24 in 256-wide tiles: 65536 CTAs along y.
func.func @gemm_grid_y(%a: tensor<128x16xf8E4M3FN>, %sa: tensor<f32>,
                       %b: tensor<16777216x16xf8E4M3FN>, %sb: tensor<f32>) -> tensor<128x16777216xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op needs 65536 CTAs along N, more than the grid's y limit (65535)}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x16xf8E4M3FN>, tensor<f32>, tensor<16777216x16xf8E4M3FN>, tensor<f32>
        -> tensor<128x16777216xbf16>
  return %d : tensor<128x16777216xbf16>
}

// -----

// The verifier runs first: a tensor int64 cannot count never reaches the
// kernel planners (whose products used to wrap into negative grids).
func.func @gemm_wrapping_n(%a: tensor<256x16xf8E4M3FN>, %sa: tensor<f32>,
                           %b: tensor<9223372036854775807x16xf8E4M3FN>, %sb: tensor<f32>)
    -> tensor<256x9223372036854775807xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op operand #2 of type 'tensor<9223372036854775807x16xf8E4M3FN>' has more elements than int64 can count}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<256x16xf8E4M3FN>, tensor<f32>, tensor<9223372036854775807x16xf8E4M3FN>, tensor<f32>
        -> tensor<256x9223372036854775807xbf16>
  return %d : tensor<256x9223372036854775807xbf16>
}
