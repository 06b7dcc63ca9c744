// fp8-lower-to-linalg of fp8.hadamard (one contraction with the constant
// D H / sqrt(n), then the rounding to the result type) and of a
// stochastically rounded fp8.quantize (SplitMix64 bits of the element's
// linear index, then the E2M1 rule). python/tests/test_recipes_nvfp4.py
// checks the numbers.
// RUN: fp8-opt %s --fp8-lower-to-linalg | FileCheck %s

// CHECK-DAG: #[[BLOCK:.*]] = affine_map<(d0, d1, d2) -> (d0, (d1 floordiv 4) * 4 + d2)>
// CHECK-DAG: #[[MATRIX:.*]] = affine_map<(d0, d1, d2) -> (d2, d1 mod 4)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @hadamard
// Row r of D H / 2: signs (+, -, -, +) times the Sylvester rows.
// CHECK: %[[M:.*]] = arith.constant dense<{{\[}}[5.000000e-01, 5.000000e-01, 5.000000e-01, 5.000000e-01], [-5.000000e-01, 5.000000e-01, -5.000000e-01, 5.000000e-01], [-5.000000e-01, -5.000000e-01, 5.000000e-01, 5.000000e-01], [5.000000e-01, -5.000000e-01, -5.000000e-01, 5.000000e-01]]> : tensor<4x4xf32>
// CHECK: %[[ZERO:.*]] = linalg.fill
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[BLOCK]], #[[MATRIX]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %[[M]] : tensor<2x8xbf16>, tensor<4x4xf32>) outs(%[[ZERO]] : tensor<2x8xf32>)
// CHECK: arith.extf
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @hadamard(%x: tensor<2x8xbf16>) -> tensor<2x8xbf16> {
  %y = fp8.hadamard %x {signs = array<i1: false, true, true, false>} : tensor<2x8xbf16> -> tensor<2x8xbf16>
  return %y : tensor<2x8xbf16>
}

// CHECK-LABEL: func.func @stochastic
// CHECK: linalg.generic
// CHECK: arith.divf
// CHECK: linalg.index 0
// CHECK: linalg.index 1
// The word counter: sr_offset + i / 4, then SplitMix64.
// CHECK: %[[I4:.*]] = arith.shrui %{{.*}}, %c2_i64
// CHECK: arith.addi %c8_i64, %[[I4]]
// CHECK: arith.constant -7046029254386353131 : i64
// CHECK: arith.constant -4658895280553007687 : i64
// CHECK: arith.constant -7723592293110705685 : i64
// CHECK: math.floor
// CHECK: arith.cmpi uge
// CHECK: math.copysign
// CHECK: arith.truncf %{{.*}} : f32 to f4E2M1FN
func.func @stochastic(%x: tensor<4x8xf32>, %s: tensor<f32>) -> tensor<4x8xf4E2M1FN> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>, sr_seed = 5 : i64, sr_offset = 8 : i64} : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf4E2M1FN>
  return %q : tensor<4x8xf4E2M1FN>
}
