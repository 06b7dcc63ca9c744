// arith.extf from every narrow format to f32, and to f16/bf16 (printed after
// an exact extension to f32), run on the CPU. Inputs are bit patterns; each
// line prints the decoded values. Expected values worked out by hand from
// the format definitions; they agree with ml_dtypes.

// RUN: fp8-opt %s --fp8-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_c_runner_utils%shlibext,%mlir_lib_dir/libmlir_runner_utils%shlibext \
// RUN: | FileCheck %s

#id = affine_map<(d0) -> (d0)>
func.func private @printMemrefF32(memref<*xf32>) attributes {llvm.emit_c_interface}

func.func @print(%t: tensor<?xf32>) {
  %m = bufferization.to_buffer %t : tensor<?xf32> to memref<?xf32>
  %u = memref.cast %m : memref<?xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}

// Decodes f8E4M3FN bit patterns to f32.
func.func @f8E4M3FN_to_f32(%x: tensor<?xi8>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xi8>
  %init = tensor.empty(%n) : tensor<?xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xi8>) outs(%init : tensor<?xf32>) {
  ^bb0(%in: i8, %out: f32):
    %v = arith.bitcast %in : i8 to f8E4M3FN
    %f = arith.extf %v : f8E4M3FN to f32
    linalg.yield %f : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// Decodes f8E5M2 bit patterns to f32.
func.func @f8E5M2_to_f32(%x: tensor<?xi8>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xi8>
  %init = tensor.empty(%n) : tensor<?xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xi8>) outs(%init : tensor<?xf32>) {
  ^bb0(%in: i8, %out: f32):
    %v = arith.bitcast %in : i8 to f8E5M2
    %f = arith.extf %v : f8E5M2 to f32
    linalg.yield %f : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// Decodes f8E8M0FNU bit patterns to f32.
func.func @f8E8M0FNU_to_f32(%x: tensor<?xi8>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xi8>
  %init = tensor.empty(%n) : tensor<?xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xi8>) outs(%init : tensor<?xf32>) {
  ^bb0(%in: i8, %out: f32):
    %v = arith.bitcast %in : i8 to f8E8M0FNU
    %f = arith.extf %v : f8E8M0FNU to f32
    linalg.yield %f : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// Decodes f4E2M1FN bit patterns to f32.
func.func @f4E2M1FN_to_f32(%x: tensor<?xi8>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xi8>
  %init = tensor.empty(%n) : tensor<?xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xi8>) outs(%init : tensor<?xf32>) {
  ^bb0(%in: i8, %out: f32):
    %bits = arith.trunci %in : i8 to i4
    %v = arith.bitcast %bits : i4 to f4E2M1FN
    %f = arith.extf %v : f4E2M1FN to f32
    linalg.yield %f : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// Decodes f6E2M3FN bit patterns to f32.
func.func @f6E2M3FN_to_f32(%x: tensor<?xi8>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xi8>
  %init = tensor.empty(%n) : tensor<?xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xi8>) outs(%init : tensor<?xf32>) {
  ^bb0(%in: i8, %out: f32):
    %bits = arith.trunci %in : i8 to i6
    %v = arith.bitcast %bits : i6 to f6E2M3FN
    %f = arith.extf %v : f6E2M3FN to f32
    linalg.yield %f : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// Decodes f6E3M2FN bit patterns to f32.
func.func @f6E3M2FN_to_f32(%x: tensor<?xi8>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xi8>
  %init = tensor.empty(%n) : tensor<?xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xi8>) outs(%init : tensor<?xf32>) {
  ^bb0(%in: i8, %out: f32):
    %bits = arith.trunci %in : i8 to i6
    %v = arith.bitcast %bits : i6 to f6E3M2FN
    %f = arith.extf %v : f6E3M2FN to f32
    linalg.yield %f : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// Decodes f8E8M0FNU bit patterns to f16 (then extends exactly to f32).
func.func @f8E8M0FNU_to_f16(%x: tensor<?xi8>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xi8>
  %init = tensor.empty(%n) : tensor<?xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xi8>) outs(%init : tensor<?xf32>) {
  ^bb0(%in: i8, %out: f32):
    %v = arith.bitcast %in : i8 to f8E8M0FNU
    %h = arith.extf %v : f8E8M0FNU to f16
    %f = arith.extf %h : f16 to f32
    linalg.yield %f : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// Decodes f8E8M0FNU bit patterns to bf16 (then extends exactly to f32).
func.func @f8E8M0FNU_to_bf16(%x: tensor<?xi8>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xi8>
  %init = tensor.empty(%n) : tensor<?xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xi8>) outs(%init : tensor<?xf32>) {
  ^bb0(%in: i8, %out: f32):
    %v = arith.bitcast %in : i8 to f8E8M0FNU
    %h = arith.extf %v : f8E8M0FNU to bf16
    %f = arith.extf %h : bf16 to f32
    linalg.yield %f : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// Decodes f8E4M3FN bit patterns to bf16 (then extends exactly to f32).
func.func @f8E4M3FN_to_bf16(%x: tensor<?xi8>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xi8>
  %init = tensor.empty(%n) : tensor<?xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xi8>) outs(%init : tensor<?xf32>) {
  ^bb0(%in: i8, %out: f32):
    %v = arith.bitcast %in : i8 to f8E4M3FN
    %h = arith.extf %v : f8E4M3FN to bf16
    %f = arith.extf %h : bf16 to f32
    linalg.yield %f : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// Decodes f8E5M2 bit patterns to f16 (then extends exactly to f32).
func.func @f8E5M2_to_f16(%x: tensor<?xi8>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xi8>
  %init = tensor.empty(%n) : tensor<?xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xi8>) outs(%init : tensor<?xf32>) {
  ^bb0(%in: i8, %out: f32):
    %v = arith.bitcast %in : i8 to f8E5M2
    %h = arith.extf %v : f8E5M2 to f16
    %f = arith.extf %h : f16 to f32
    linalg.yield %f : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

func.func @main() {
  // f8E4M3FN -> f32
  %v0 = arith.constant dense<[
      0x00,
      0x80,  // -0
      0x01,  // min subnormal 2^-9
      0x07,  // max subnormal 7 * 2^-9
      0x08,  // min normal 2^-6
      0x38,  // 1
      0x7E,  // max
      0xFE,  // -max
      0x7F,  // NaN
      0xFF  // NaN
    ]> : tensor<10xi8>
  %x0 = tensor.cast %v0 : tensor<10xi8> to tensor<?xi8>
  %r0 = call @f8E4M3FN_to_f32(%x0) : (tensor<?xi8>) -> tensor<?xf32>
  call @print(%r0) : (tensor<?xf32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [10]
  // CHECK-NEXT: [0, -0, 0.00195312, 0.0136719, 0.015625, 1, 448, -448, nan, {{-?}}nan]

  // f8E5M2 -> f32
  %v1 = arith.constant dense<[
      0x00,
      0x01,  // min subnormal 2^-16
      0x04,  // min normal 2^-14
      0x3C,  // 1
      0x7B,  // max
      0x7C,  // inf
      0xFC,  // -inf
      0x7D,  // NaN
      0x7E,  // NaN
      0xFF  // NaN
    ]> : tensor<10xi8>
  %x1 = tensor.cast %v1 : tensor<10xi8> to tensor<?xi8>
  %r1 = call @f8E5M2_to_f32(%x1) : (tensor<?xi8>) -> tensor<?xf32>
  call @print(%r1) : (tensor<?xf32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [10]
  // CHECK-NEXT: [0, 1.52588e-05, 6.10352e-05, 1, 57344, inf, -inf, nan, nan, {{-?}}nan]

  // f8E8M0FNU -> f32
  %v2 = arith.constant dense<[
      0x00,  // 2^-127, an f32 subnormal
      0x01,  // 2^-126
      0x7F,  // 1
      0x80,  // 2
      0xFE,  // 2^127
      0xFF  // NaN
    ]> : tensor<6xi8>
  %x2 = tensor.cast %v2 : tensor<6xi8> to tensor<?xi8>
  %r2 = call @f8E8M0FNU_to_f32(%x2) : (tensor<?xi8>) -> tensor<?xf32>
  call @print(%r2) : (tensor<?xf32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [6]
  // CHECK-NEXT: [5.87747e-39, 1.17549e-38, 1, 2, 1.70141e+38, nan]

  // f4E2M1FN -> f32
  %v3 = arith.constant dense<[0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F]> : tensor<16xi8>
  %x3 = tensor.cast %v3 : tensor<16xi8> to tensor<?xi8>
  %r3 = call @f4E2M1FN_to_f32(%x3) : (tensor<?xi8>) -> tensor<?xf32>
  call @print(%r3) : (tensor<?xf32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [16]
  // CHECK-NEXT: [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6]

  // f6E2M3FN -> f32
  %v4 = arith.constant dense<[
      0x00,
      0x01,  // min subnormal
      0x07,  // max subnormal
      0x08,  // 1
      0x1F,  // max
      0x20,  // -0
      0x3F  // -max
    ]> : tensor<7xi8>
  %x4 = tensor.cast %v4 : tensor<7xi8> to tensor<?xi8>
  %r4 = call @f6E2M3FN_to_f32(%x4) : (tensor<?xi8>) -> tensor<?xf32>
  call @print(%r4) : (tensor<?xf32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [7]
  // CHECK-NEXT: [0, 0.125, 0.875, 1, 7.5, -0, -7.5]

  // f6E3M2FN -> f32
  %v5 = arith.constant dense<[
      0x00,
      0x01,  // min subnormal
      0x03,  // max subnormal
      0x04,  // min normal
      0x0C,  // 1
      0x1F,  // max
      0x3F  // -max
    ]> : tensor<7xi8>
  %x5 = tensor.cast %v5 : tensor<7xi8> to tensor<?xi8>
  %r5 = call @f6E3M2FN_to_f32(%x5) : (tensor<?xi8>) -> tensor<?xf32>
  call @print(%r5) : (tensor<?xf32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [7]
  // CHECK-NEXT: [0, 0.0625, 0.1875, 0.25, 1, 28, -28]

  // f8E8M0FNU -> f16
  %v6 = arith.constant dense<[
      0x00,  // 2^-127: 0
      0x67,  // 2^-24, f16 min subnormal
      0x66,  // 2^-25, half way: even 0
      0x70,  // 2^-15, f16 subnormal
      0x8E,  // 2^15
      0x8F,  // 2^16: inf
      0xFF  // NaN
    ]> : tensor<7xi8>
  %x6 = tensor.cast %v6 : tensor<7xi8> to tensor<?xi8>
  %r6 = call @f8E8M0FNU_to_f16(%x6) : (tensor<?xi8>) -> tensor<?xf32>
  call @print(%r6) : (tensor<?xf32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [7]
  // CHECK-NEXT: [0, 5.96046e-08, 0, 3.05176e-05, 32768, inf, nan]

  // f8E8M0FNU -> bf16
  %v7 = arith.constant dense<[
      0x00,  // 2^-127, a bf16 subnormal
      0xFE  // 2^127
    ]> : tensor<2xi8>
  %x7 = tensor.cast %v7 : tensor<2xi8> to tensor<?xi8>
  %r7 = call @f8E8M0FNU_to_bf16(%x7) : (tensor<?xi8>) -> tensor<?xf32>
  call @print(%r7) : (tensor<?xf32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [2]
  // CHECK-NEXT: [5.87747e-39, 1.70141e+38]

  // f8E4M3FN -> bf16
  %v8 = arith.constant dense<[
      0x7E,  // max
      0x01,  // min subnormal
      0xFF  // NaN
    ]> : tensor<3xi8>
  %x8 = tensor.cast %v8 : tensor<3xi8> to tensor<?xi8>
  %r8 = call @f8E4M3FN_to_bf16(%x8) : (tensor<?xi8>) -> tensor<?xf32>
  call @print(%r8) : (tensor<?xf32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [3]
  // CHECK-NEXT: [448, 0.00195312, {{-?}}nan]

  // f8E5M2 -> f16
  %v9 = arith.constant dense<[
      0x01,  // min subnormal 2^-16, an f16 subnormal
      0x7B,  // max
      0xFC  // -inf
    ]> : tensor<3xi8>
  %x9 = tensor.cast %v9 : tensor<3xi8> to tensor<?xi8>
  %r9 = call @f8E5M2_to_f16(%x9) : (tensor<?xi8>) -> tensor<?xf32>
  call @print(%r9) : (tensor<?xf32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [3]
  // CHECK-NEXT: [1.52588e-05, 57344, -inf]

  return
}
