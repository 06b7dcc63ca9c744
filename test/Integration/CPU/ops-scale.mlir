// RUN: fp8-opt %s --fp8-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_c_runner_utils%shlibext,%mlir_lib_dir/libmlir_runner_utils%shlibext \
// RUN: | FileCheck %s

// fp8.scale_from_amax on hand-checked values. The amaxes are
//   [0, inf, NaN, 448, 449, 1, 896, 3.5]
// (448 = max(E4M3FN)); 0, inf and NaN always give scale 1. E8M0 scales are
// printed as their biased exponent bits (2^(bits - 127)).

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

func.func @print(%t: tensor<8xf32>) {
  %u = tensor.cast %t : tensor<8xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}

func.func @print_e8m0(%t: tensor<8xf8E8M0FNU>) {
  %bits = arith.bitcast %t : tensor<8xf8E8M0FNU> to tensor<8xi8>
  %wide = arith.extui %bits : tensor<8xi8> to tensor<8xi32>
  %u = tensor.cast %wide : tensor<8xi32> to tensor<*xi32>
  call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}

func.func @main() {
  %a = arith.constant dense<[0.0, 0x7F800000, 0x7FC00000, 448.0, 449.0, 1.0, 896.0, 3.5]> : tensor<8xf32>

  // amax / 448: 449/448 = 1.00223, 1/448 = 0.00223214, 3.5/448 = 2^-7.
  // CHECK: [1,  1,  1,  1,  1.00223,  0.00223214,  2,  0.0078125]
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<8xf32> -> tensor<8xf32>
  call @print(%s) : (tensor<8xf32>) -> ()

  // margin = 2 multiplies by 4; not the scale 1 of 0/inf/NaN.
  // CHECK: [1,  1,  1,  4,  4.00893,  0.00892857,  8,  0.03125]
  %m = fp8.scale_from_amax %a {format = f8E4M3FN, margin = 2} : tensor<8xf32> -> tensor<8xf32>
  call @print(%m) : (tensor<8xf32>) -> ()

  // pow2 rounds the decode scale up: 1.00223 -> 2, 1/448 -> 2^-8; exact
  // powers of two stay.
  // CHECK: [1,  1,  1,  1,  2,  0.00390625,  2,  0.0078125]
  %p = fp8.scale_from_amax %a {format = f8E4M3FN, pow2} : tensor<8xf32> -> tensor<8xf32>
  call @print(%p) : (tensor<8xf32>) -> ()

  // E5M2 (max 57344 = 1.75 * 2^15): 448/57344 = 2^-7.
  // CHECK: [1,  1,  1,  0.0078125,  0.00782994,  1.74386e-05,  0.015625,  6.10352e-05]
  %e5 = fp8.scale_from_amax %a {format = f8E5M2} : tensor<8xf32> -> tensor<8xf32>
  call @print(%e5) : (tensor<8xf32>) -> ()

  // E8M0, ceil (default): 2^ceil(log2(amax / 448)).
  //   448 -> 2^0 (127), 449 -> 2^1 (128), 1 -> 2^-8 (119), 896 -> 2^1,
  //   3.5 -> 2^-7 (120).
  // CHECK: [127,  127,  127,  127,  128,  119,  128,  120]
  %c = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<8xf32> -> tensor<8xf8E8M0FNU>
  call @print_e8m0(%c) : (tensor<8xf8E8M0FNU>) -> ()

  // CHECK: [127,  127,  127,  128,  129,  120,  129,  121]
  %c1 = fp8.scale_from_amax %a {format = f8E4M3FN, margin = 1} : tensor<8xf32> -> tensor<8xf8E8M0FNU>
  call @print_e8m0(%c1) : (tensor<8xf8E8M0FNU>) -> ()

  // E8M0, floor (OCP MX v1.0): 2^(floor(log2 amax) - 8): 449 -> 2^0 (clips).
  // CHECK: [127,  127,  127,  127,  127,  119,  128,  120]
  %f = fp8.scale_from_amax %a {format = f8E4M3FN, mx_scale = #fp8.mx_scale<floor>} : tensor<8xf32> -> tensor<8xf8E8M0FNU>
  call @print_e8m0(%f) : (tensor<8xf8E8M0FNU>) -> ()

  // E5M2 with E8M0: 1 -> ceil(-15.8) = -15 (112), 449 -> -6 (121),
  // 448 -> -7 (120), 896 -> -6 (121), 3.5 -> -14 (113).
  // CHECK: [127,  127,  127,  120,  121,  112,  121,  113]
  %c5 = fp8.scale_from_amax %a {format = f8E5M2} : tensor<8xf32> -> tensor<8xf8E8M0FNU>
  call @print_e8m0(%c5) : (tensor<8xf8E8M0FNU>) -> ()

  // The E8M0 exponent clamps to [-127, 127]. log2(3e38 / 448) = 119.01,
  // log2(1e-38 / 448) = -135.04, log2(2^-149 / 448) = -157.8 (the smallest
  // subnormal amax). With margin 10: 130 -> 127 (254), -125 (2), -147 -> -127
  // (0); without: 120 (247), -135 -> -127 (0), -157 -> -127 (0).
  %big = arith.constant dense<[3.0e38, 1.0e-38, 1.0e-45, 0.0, 0.0, 0.0, 0.0, 0.0]> : tensor<8xf32>
  // CHECK: [254,  2,  0,  127,  127,  127,  127,  127]
  %k = fp8.scale_from_amax %big {format = f8E4M3FN, margin = 10} : tensor<8xf32> -> tensor<8xf8E8M0FNU>
  call @print_e8m0(%k) : (tensor<8xf8E8M0FNU>) -> ()
  // CHECK: [247,  0,  0,  127,  127,  127,  127,  127]
  %k0 = fp8.scale_from_amax %big {format = f8E4M3FN} : tensor<8xf32> -> tensor<8xf8E8M0FNU>
  call @print_e8m0(%k0) : (tensor<8xf8E8M0FNU>) -> ()
  return
}
