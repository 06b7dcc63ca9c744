// RUN: fp8-opt %s --fp8-expand-casts --split-input-file --verify-diagnostics

// Only round-to-nearest-even is implemented.
func.func @rounding_mode(%x: f32) -> f8E5M2 {
  // expected-error @+1 {{'arith.truncf' op cannot be expanded by fp8-expand-casts: rounding mode 'upward' is not implemented (only to_nearest_even)}}
  %q = arith.truncf %x upward : f32 to f8E5M2
  return %q : f8E5M2
}

// -----

func.func @rounding_mode_vector(%x: vector<4xf32>) -> vector<4xf4E2M1FN> {
  // expected-error @+1 {{rounding mode 'toward_zero' is not implemented}}
  %q = arith.truncf %x toward_zero : vector<4xf32> to vector<4xf4E2M1FN>
  return %q : vector<4xf4E2M1FN>
}

// -----

// Wider types than f64 are not implemented.
func.func @from_f80(%x: f80) -> f8E4M3FN {
  // expected-error @+1 {{'arith.truncf' op cannot be expanded by fp8-expand-casts: 'f80' is not f64, f32, f16, bf16 or a float type of at most 8 bits}}
  %q = arith.truncf %x : f80 to f8E4M3FN
  return %q : f8E4M3FN
}

// -----

func.func @to_f128(%x: tensor<4xf8E8M0FNU>) -> tensor<4xf128> {
  // expected-error @+1 {{'f128' is not f64, f32, f16, bf16 or a float type of at most 8 bits}}
  %q = arith.extf %x : tensor<4xf8E8M0FNU> to tensor<4xf128>
  return %q : tensor<4xf128>
}

// -----

func.func @bf16_from_f80(%x: f80) -> bf16 {
  // expected-error @+1 {{'f80' is not f64, f32, f16, bf16 or a float type of at most 8 bits}}
  %q = arith.truncf %x : f80 to bf16
  return %q : bf16
}

// -----

// The FNUZ formats spell NaN as negative zero: not implemented.
func.func @fnuz(%x: f8E4M3FNUZ) -> f32 {
  // expected-error @+1 {{'arith.extf' op cannot be expanded by fp8-expand-casts: 'f8E4M3FNUZ' spells NaN as negative zero (FNUZ), not as all ones}}
  %q = arith.extf %x : f8E4M3FNUZ to f32
  return %q : f32
}

// -----

func.func @fnuz_b11(%x: f16) -> f8E4M3B11FNUZ {
  // expected-error @+1 {{'f8E4M3B11FNUZ' spells NaN as negative zero (FNUZ)}}
  %q = arith.truncf %x : f16 to f8E4M3B11FNUZ
  return %q : f8E4M3B11FNUZ
}

// -----

// Every unsupported cast is reported, not just the first.
func.func @several(%x: f32) -> (f8E5M2, f8E5M2, f8E5M2FNUZ) {
  %ok = arith.truncf %x : f32 to f8E5M2
  // expected-error @+1 {{rounding mode 'downward' is not implemented}}
  %a = arith.truncf %x downward : f32 to f8E5M2
  // expected-error @+1 {{'f8E5M2FNUZ' spells NaN as negative zero}}
  %b = arith.truncf %x : f32 to f8E5M2FNUZ
  return %ok, %a, %b : f8E5M2, f8E5M2, f8E5M2FNUZ
}
