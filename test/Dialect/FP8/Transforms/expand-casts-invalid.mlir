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

// f64 does not go through f32 without a second rounding.
func.func @from_f64(%x: f64) -> f8E4M3FN {
  // expected-error @+1 {{'arith.truncf' op cannot be expanded by fp8-expand-casts: 'f64' is not f32, f16, bf16 or a float type of at most 8 bits}}
  %q = arith.truncf %x : f64 to f8E4M3FN
  return %q : f8E4M3FN
}

// -----

func.func @to_f64(%x: tensor<4xf8E8M0FNU>) -> tensor<4xf64> {
  // expected-error @+1 {{'f64' is not f32, f16, bf16 or a float type of at most 8 bits}}
  %q = arith.extf %x : tensor<4xf8E8M0FNU> to tensor<4xf64>
  return %q : tensor<4xf64>
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
