// One case per verifier rule of the FP4/FP6 and two-level (NVFP4) scales.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// fp8.quantize / fp8.dequantize
//===----------------------------------------------------------------------===//

// E8M0 scales are MX: 32 along K, not NVFP4's 16.
func.func @mx_block_16(%x: tensor<4x64xf32>, %s: tensor<4x4xf8E8M0FNU>) -> tensor<4x64xf4E2M1FN> {
  // expected-error @+1 {{f8E8M0FNU scale needs MX block scaling #fp8.scaling<block [1, 32]> (or [32, 1]), found #fp8.scaling<block [1, 16]>}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<4x64xf32>, tensor<4x4xf8E8M0FNU> -> tensor<4x64xf4E2M1FN>
  return %q : tensor<4x64xf4E2M1FN>
}

// -----

func.func @nv_missing_global(%x: tensor<4x64xf32>, %s: tensor<4x4xf8E4M3FN>) -> tensor<4x64xf4E2M1FN> {
  // expected-error @+1 {{f8E4M3FN scale (two-level, NVFP4) needs the per-tensor f32 scale global(%g : tensor<f32>)}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<4x64xf32>, tensor<4x4xf8E4M3FN> -> tensor<4x64xf4E2M1FN>
  return %q : tensor<4x64xf4E2M1FN>
}

// -----

func.func @nv_block_32(%x: tensor<4x64xf32>, %s: tensor<4x2xf8E4M3FN>, %g: tensor<f32>) -> tensor<4x64xf4E2M1FN> {
  // expected-error @+1 {{f8E4M3FN scale (two-level, NVFP4) needs #fp8.scaling<block [1, 16]> or [16, 16], found #fp8.scaling<block [1, 32]>}}
  %q = fp8.quantize %x, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<4x64xf32>, tensor<4x2xf8E4M3FN> -> tensor<4x64xf4E2M1FN>
  return %q : tensor<4x64xf4E2M1FN>
}

// -----

func.func @nv_fp6_data(%x: tensor<4x64xf32>, %s: tensor<4x4xf8E4M3FN>, %g: tensor<f32>) -> tensor<4x64xf6E2M3FN> {
  // expected-error @+1 {{f8E4M3FN scale (two-level, NVFP4) needs f4E2M1FN data, found 'f6E2M3FN'; FP6 takes MX scales (f8E8M0FNU, block [1, 32])}}
  %q = fp8.quantize %x, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<4x64xf32>, tensor<4x4xf8E4M3FN> -> tensor<4x64xf6E2M3FN>
  return %q : tensor<4x64xf6E2M3FN>
}

// -----

func.func @global_with_mx(%x: tensor<4x64xf32>, %s: tensor<4x2xf8E8M0FNU>, %g: tensor<f32>) -> tensor<4x64xf4E2M1FN> {
  // expected-error @+1 {{a global scale applies to f8E4M3FN (two-level, NVFP4) block scales only, found scale element type 'f8E8M0FNU'}}
  %q = fp8.quantize %x, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<4x64xf32>, tensor<4x2xf8E8M0FNU> -> tensor<4x64xf4E2M1FN>
  return %q : tensor<4x64xf4E2M1FN>
}

// -----

func.func @global_not_scalar(%x: tensor<4x64xf32>, %s: tensor<4x4xf8E4M3FN>, %g: tensor<4xf32>) -> tensor<4x64xf4E2M1FN> {
  // expected-error @+1 {{expected a rank-0 global scale (tensor<f32>), found 'tensor<4xf32>'}}
  %q = fp8.quantize %x, %s global(%g : tensor<4xf32>) {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<4x64xf32>, tensor<4x4xf8E4M3FN> -> tensor<4x64xf4E2M1FN>
  return %q : tensor<4x64xf4E2M1FN>
}

// -----

func.func @dequantize_missing_global(%q: tensor<4x64xf4E2M1FN>, %s: tensor<4x4xf8E4M3FN>) -> tensor<4x64xf32> {
  // expected-error @+1 {{f8E4M3FN scale (two-level, NVFP4) needs the per-tensor f32 scale global(%g : tensor<f32>)}}
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<4x64xf4E2M1FN>, tensor<4x4xf8E4M3FN> -> tensor<4x64xf32>
  return %x : tensor<4x64xf32>
}

// -----

func.func @dequantize_e4m3_data(%q: tensor<4x64xf8E4M3FN>, %s: tensor<4x4xf8E4M3FN>, %g: tensor<f32>) -> tensor<4x64xf32> {
  // expected-error @+1 {{f8E4M3FN scale (two-level, NVFP4) needs f4E2M1FN data, found 'f8E4M3FN'}}
  %x = fp8.dequantize %q, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<4x64xf8E4M3FN>, tensor<4x4xf8E4M3FN> -> tensor<4x64xf32>
  return %x : tensor<4x64xf32>
}

//===----------------------------------------------------------------------===//
// fp8.scale_from_amax
//===----------------------------------------------------------------------===//

// -----

func.func @block_scale_without_global(%a: tensor<4x4xf32>) -> tensor<4x4xf8E4M3FN> {
  // expected-error @+1 {{f8E4M3FN (two-level, NVFP4) block scales need the per-tensor f32 scale global(%g : tensor<f32>)}}
  %s = fp8.scale_from_amax %a {format = f4E2M1FN} : tensor<4x4xf32> -> tensor<4x4xf8E4M3FN>
  return %s : tensor<4x4xf8E4M3FN>
}

// -----

func.func @block_scale_fp6(%a: tensor<4x4xf32>, %g: tensor<f32>) -> tensor<4x4xf8E4M3FN> {
  // expected-error @+1 {{f8E4M3FN (two-level, NVFP4) block scales need format f4E2M1FN, found 'f6E2M3FN'}}
  %s = fp8.scale_from_amax %a global(%g : tensor<f32>) {format = f6E2M3FN} : tensor<4x4xf32> -> tensor<4x4xf8E4M3FN>
  return %s : tensor<4x4xf8E4M3FN>
}

// -----

func.func @block_scale_pow2(%a: tensor<4x4xf32>, %g: tensor<f32>) -> tensor<4x4xf8E4M3FN> {
  // expected-error @+1 {{'pow2' does not apply to f8E4M3FN (two-level, NVFP4) block scales}}
  %s = fp8.scale_from_amax %a global(%g : tensor<f32>) {format = f4E2M1FN, pow2} : tensor<4x4xf32> -> tensor<4x4xf8E4M3FN>
  return %s : tensor<4x4xf8E4M3FN>
}

// -----

func.func @block_scale_marked_global(%a: tensor<4x4xf32>, %g: tensor<f32>) -> tensor<4x4xf8E4M3FN> {
  // expected-error @+1 {{'block_scale_type' marks an f32 per-tensor scale; an f8E4M3FN result is a block scale}}
  %s = fp8.scale_from_amax %a global(%g : tensor<f32>) {format = f4E2M1FN, block_scale_type = f8E4M3FN} : tensor<4x4xf32> -> tensor<4x4xf8E4M3FN>
  return %s : tensor<4x4xf8E4M3FN>
}

// -----

func.func @global_with_f32_scale(%a: tensor<4x4xf32>, %g: tensor<f32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{a global scale applies to f8E4M3FN (two-level, NVFP4) block scales only, found scale element type 'f32'}}
  %s = fp8.scale_from_amax %a global(%g : tensor<f32>) {format = f4E2M1FN} : tensor<4x4xf32> -> tensor<4x4xf32>
  return %s : tensor<4x4xf32>
}

// -----

func.func @block_scale_type_e8m0(%a: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{block_scale_type must be f8E4M3FN (the NVFP4 block scales), found 'f8E8M0FNU'}}
  %s = fp8.scale_from_amax %a {format = f4E2M1FN, block_scale_type = f8E8M0FNU} : tensor<f32> -> tensor<f32>
  return %s : tensor<f32>
}

// -----

func.func @global_scale_pow2(%a: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{the per-tensor scale of two-level scaling ('block_scale_type') is a plain f32 scale (no pow2), found scale element type 'f32' with pow2}}
  %s = fp8.scale_from_amax %a {format = f4E2M1FN, block_scale_type = f8E4M3FN, pow2} : tensor<f32> -> tensor<f32>
  return %s : tensor<f32>
}

//===----------------------------------------------------------------------===//
// fp8.scaled_matmul
//===----------------------------------------------------------------------===//

// -----

func.func @nv_times_mx(%a: tensor<4x64xf4E2M1FN>, %sa: tensor<4x4xf8E4M3FN>,
                       %b: tensor<8x64xf4E2M1FN>, %sb: tensor<8x2xf8E8M0FNU>,
                       %g: tensor<f32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{MX (f8E8M0FNU) scales must be given for both A and B or for neither, found 'f8E4M3FN' and 'f8E8M0FNU'}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb a_global(%g : tensor<f32>)
      {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<4x64xf4E2M1FN>, tensor<4x4xf8E4M3FN>, tensor<8x64xf4E2M1FN>, tensor<8x2xf8E8M0FNU> -> tensor<4x8xf32>
  return %d : tensor<4x8xf32>
}

// -----

func.func @nv_times_f32(%a: tensor<4x64xf4E2M1FN>, %sa: tensor<4x4xf8E4M3FN>,
                        %b: tensor<8x64xf8E4M3FN>, %sb: tensor<f32>,
                        %g: tensor<f32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{two-level (NVFP4, f8E4M3FN) scales must be given for both A and B or for neither, found 'f8E4M3FN' and 'f32'}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb a_global(%g : tensor<f32>)
      {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<4x64xf4E2M1FN>, tensor<4x4xf8E4M3FN>, tensor<8x64xf8E4M3FN>, tensor<f32> -> tensor<4x8xf32>
  return %d : tensor<4x8xf32>
}

// -----

func.func @nv_missing_b_global(%a: tensor<4x64xf4E2M1FN>, %sa: tensor<4x4xf8E4M3FN>,
                               %b: tensor<8x64xf4E2M1FN>, %sb: tensor<8x4xf8E4M3FN>,
                               %g: tensor<f32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{f8E4M3FN B scale (two-level, NVFP4) needs the per-tensor f32 scale b_global(%g : tensor<f32>)}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb a_global(%g : tensor<f32>)
      {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [1, 16]>, transpose_b}
      : tensor<4x64xf4E2M1FN>, tensor<4x4xf8E4M3FN>, tensor<8x64xf4E2M1FN>, tensor<8x4xf8E4M3FN> -> tensor<4x8xf32>
  return %d : tensor<4x8xf32>
}

// -----

func.func @nv_no_transpose(%a: tensor<4x64xf4E2M1FN>, %sa: tensor<4x4xf8E4M3FN>,
                           %b: tensor<64x8xf4E2M1FN>, %sb: tensor<4x8xf8E4M3FN>,
                           %g: tensor<f32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{two-level (NVFP4) scaling of B needs transpose_b: its blocks run along K}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb a_global(%g : tensor<f32>) b_global(%g : tensor<f32>)
      {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [16, 1]>}
      : tensor<4x64xf4E2M1FN>, tensor<4x4xf8E4M3FN>, tensor<64x8xf4E2M1FN>, tensor<4x8xf8E4M3FN> -> tensor<4x8xf32>
  return %d : tensor<4x8xf32>
}

// -----

func.func @global_with_mx_matmul(%a: tensor<4x64xf4E2M1FN>, %sa: tensor<4x2xf8E8M0FNU>,
                                 %b: tensor<8x64xf4E2M1FN>, %sb: tensor<8x2xf8E8M0FNU>,
                                 %g: tensor<f32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{a a_global scale applies to f8E4M3FN (two-level, NVFP4) block scales only, found A scale element type 'f8E8M0FNU'}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb a_global(%g : tensor<f32>)
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<4x64xf4E2M1FN>, tensor<4x2xf8E8M0FNU>, tensor<8x64xf4E2M1FN>, tensor<8x2xf8E8M0FNU> -> tensor<4x8xf32>
  return %d : tensor<4x8xf32>
}

// -----

func.func @fp4_with_f32_scales(%a: tensor<4x64xf4E2M1FN>, %sa: tensor<f32>,
                               %b: tensor<8x64xf4E2M1FN>, %sb: tensor<f32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{A element type 'f4E2M1FN' needs block scaling: MX (f8E8M0FNU scales, block [1, 32]) or, for f4E2M1FN, two-level NVFP4 (f8E4M3FN scales, block [1, 16]); only f8E4M3FN and f8E5M2 take f32 scales}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<4x64xf4E2M1FN>, tensor<f32>, tensor<8x64xf4E2M1FN>, tensor<f32> -> tensor<4x8xf32>
  return %d : tensor<4x8xf32>
}

// -----

func.func @mxfp6_block_16(%a: tensor<4x64xf6E2M3FN>, %sa: tensor<4x4xf8E8M0FNU>,
                          %b: tensor<8x64xf6E2M3FN>, %sb: tensor<8x4xf8E8M0FNU>) -> tensor<4x8xf32> {
  // expected-error @+1 {{f8E8M0FNU A scale needs MX block scaling #fp8.scaling<block [1, 32]> (or [32, 1]), found #fp8.scaling<block [1, 16]>}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [1, 16]>, transpose_b}
      : tensor<4x64xf6E2M3FN>, tensor<4x4xf8E8M0FNU>, tensor<8x64xf6E2M3FN>, tensor<8x4xf8E8M0FNU> -> tensor<4x8xf32>
  return %d : tensor<4x8xf32>
}

//===----------------------------------------------------------------------===//
// Fused ops
//===----------------------------------------------------------------------===//

// -----

func.func @fused_two_level(%x: tensor<4x64xf32>) -> (tensor<4x64xf4E2M1FN>, tensor<4x4xf8E4M3FN>) {
  // expected-error @+1 {{takes no two-level (NVFP4, f8E4M3FN) scales: it has no per-tensor scale operand; found scale type 'tensor<4x4xf8E4M3FN>'}}
  %q, %s = fp8.quantize_with_amax %x {format = f4E2M1FN, scaling = #fp8.scaling<block [1, 16]>}
      : tensor<4x64xf32> -> tensor<4x64xf4E2M1FN>, tensor<4x4xf8E4M3FN>
  return %q, %s : tensor<4x64xf4E2M1FN>, tensor<4x4xf8E4M3FN>
}

// -----

func.func @transposed_two_level(%x: tensor<64x4xf32>, %s: tensor<4x4xf8E4M3FN>) -> tensor<4x64xf4E2M1FN> {
  // expected-error @+1 {{takes no two-level (NVFP4, f8E4M3FN) scales: it has no per-tensor scale operand; found scale type 'tensor<4x4xf8E4M3FN>'}}
  %q = fp8.quantize_transposed %x, %s {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<64x4xf32>, tensor<4x4xf8E4M3FN> -> tensor<4x64xf4E2M1FN>
  return %q : tensor<4x64xf4E2M1FN>
}

//===----------------------------------------------------------------------===//
// #fp8.recipe of the FP4/FP6 recipes
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{recipe 'nvfp4' is E2M1 for every role and takes no 'formats', found 'hybrid'}}
func.func private @f() attributes {r = #fp8.recipe<nvfp4, formats = hybrid>}

// -----

// expected-error @+1 {{recipe 'mxfp4' is E2M1 for every role and takes no 'formats', found 'e4m3'}}
func.func private @f() attributes {r = #fp8.recipe<mxfp4, formats = e4m3>}

// -----

// expected-error @+1 {{recipe 'mxfp6' takes formats 'hybrid' (E2M3, gradients E3M2; the default) or 'e2m3', not 'e5m2-grad'}}
func.func private @f() attributes {r = #fp8.recipe<mxfp6, formats = "e5m2-grad">}

// -----

// expected-error @+1 {{recipe formats 'e2m3' applies to the 'mxfp6' recipe only, not 'mxfp8'}}
func.func private @f() attributes {r = #fp8.recipe<mxfp8, formats = e2m3>}

// -----

// expected-error @+1 {{recipe field 'mx_scale' applies to the MX recipes (mxfp8, mxfp4, mxfp6) only, not 'nvfp4'}}
func.func private @f() attributes {r = #fp8.recipe<nvfp4, mx_scale = floor>}

// -----

// expected-error @+1 {{recipe field 'pow2' does not apply to 'mxfp4': E8M0 scales are always powers of two}}
func.func private @f() attributes {r = #fp8.recipe<mxfp4, pow2>}

// -----

// expected-error @+1 {{recipe field 'pow2' does not apply to 'nvfp4': its block scales are E4M3}}
func.func private @f() attributes {r = #fp8.recipe<nvfp4, pow2>}

// -----

// expected-error @+1 {{recipe formats 'fp4-weights' applies to the 'mxfp4' recipe only, not 'nvfp4'}}
func.func private @f() attributes {r = #fp8.recipe<nvfp4, formats = "fp4-weights">}
