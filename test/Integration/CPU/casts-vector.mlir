// Vector casts: fp8-expand-casts expands them in place with vector ops of the
// same shape (splat constants, vector selects); run on the CPU. A separate
// pipeline, since --fp8-cpu-pipeline does not lower the vector dialect.
// Expected values worked out by hand; they agree with ml_dtypes.

// RUN: fp8-opt %s --fp8-expand-casts --convert-vector-to-scf --convert-scf-to-cf \
// RUN:   --convert-vector-to-llvm --convert-arith-to-llvm --convert-ub-to-llvm \
// RUN:   --convert-cf-to-llvm --convert-func-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_c_runner_utils%shlibext \
// RUN: | FileCheck %s

// The casts take function arguments, so nothing folds them.
func.func @f32_to_f8E4M3FN(%x: vector<8xf32>) -> vector<8xi32> {
  %q = arith.truncf %x : vector<8xf32> to vector<8xf8E4M3FN>
  %b = arith.bitcast %q : vector<8xf8E4M3FN> to vector<8xi8>
  %w = arith.extui %b : vector<8xi8> to vector<8xi32>
  return %w : vector<8xi32>
}

func.func @bf16_to_f4E2M1FN(%x: vector<2x4xbf16>) -> vector<2x4xi32> {
  %q = arith.truncf %x : vector<2x4xbf16> to vector<2x4xf4E2M1FN>
  %b = arith.bitcast %q : vector<2x4xf4E2M1FN> to vector<2x4xi4>
  %w = arith.extui %b : vector<2x4xi4> to vector<2x4xi32>
  return %w : vector<2x4xi32>
}

func.func @f8E8M0FNU_to_f32(%x: vector<4xi8>) -> vector<4xf32> {
  %v = arith.bitcast %x : vector<4xi8> to vector<4xf8E8M0FNU>
  %f = arith.extf %v : vector<4xf8E8M0FNU> to vector<4xf32>
  return %f : vector<4xf32>
}

func.func @f8E5M2_to_f16_to_f32(%x: vector<4xi8>) -> vector<4xf32> {
  %v = arith.bitcast %x : vector<4xi8> to vector<4xf8E5M2>
  %h = arith.extf %v : vector<4xf8E5M2> to vector<4xf16>
  %f = arith.extf %h : vector<4xf16> to vector<4xf32>
  return %f : vector<4xf32>
}

func.func @main() {
  // 0, -0, min subnormal, 464 (even: max), 465 (NaN), -inf, NaN, 0.3
  %a = arith.constant dense<[0.0, -0.0, 0.001953125, 464.0, 465.0,
                             0xFF800000, 0x7FC00000, 0.3]> : vector<8xf32>
  %ra = call @f32_to_f8E4M3FN(%a) : (vector<8xf32>) -> vector<8xi32>
  vector.print %ra : vector<8xi32>
  // CHECK: ( 0, 128, 1, 126, 127, 255, 127, 42 )

  // 0.75 (even: 1), 2.5 (even: 2), 5 (even: 4), 7 (saturates), -inf, NaN
  // (+0, the NaN's sign), -0.25 (even: -0), 1.0e30
  %b = arith.constant dense<[[0.75, 2.5, 5.0, 7.0],
                             [0xFF80, 0x7FC0, -0.25, 1.0e+30]]> : vector<2x4xbf16>
  %rb = call @bf16_to_f4E2M1FN(%b) : (vector<2x4xbf16>) -> vector<2x4xi32>
  vector.print %rb : vector<2x4xi32>
  // CHECK: ( ( 2, 4, 6, 7 ), ( 15, 0, 8, 7 ) )

  // 2^-127, 1, 2^127, NaN
  %c = arith.constant dense<[0, 127, -2, -1]> : vector<4xi8>
  %rc = call @f8E8M0FNU_to_f32(%c) : (vector<4xi8>) -> vector<4xf32>
  vector.print %rc : vector<4xf32>
  // CHECK: ( 5.87747e-39, 1, 1.70141e+38, nan )

  // min subnormal 2^-16 (an f16 subnormal), max, inf, -max
  %d = arith.constant dense<[1, 123, 124, -5]> : vector<4xi8>
  %rd = call @f8E5M2_to_f16_to_f32(%d) : (vector<4xi8>) -> vector<4xf32>
  vector.print %rd : vector<4xf32>
  // CHECK: ( 1.52588e-05, 57344, inf, -57344 )
  return
}
