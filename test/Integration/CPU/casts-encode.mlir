// Non-saturating arith.truncf f32/f16/bf16 -> every narrow format, run on
// the CPU (fp8-expand-casts inside --fp8-cpu-pipeline). Each line prints the
// bit patterns (as i32) of the casts of one input list; the expected patterns
// were worked out by hand from the format definitions and agree with
// ml_dtypes. The casts sit in linalg.generic bodies, on function arguments,
// so nothing can constant-fold them before the pass runs.

// RUN: fp8-opt %s --fp8-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_c_runner_utils%shlibext,%mlir_lib_dir/libmlir_runner_utils%shlibext \
// RUN: | FileCheck %s

#id = affine_map<(d0) -> (d0)>
func.func private @printMemrefI32(memref<*xi32>) attributes {llvm.emit_c_interface}

func.func @print(%t: tensor<?xi32>) {
  %m = bufferization.to_buffer %t : tensor<?xi32> to memref<?xi32>
  %u = memref.cast %m : memref<?xi32> to memref<*xi32>
  call @printMemrefI32(%u) : (memref<*xi32>) -> ()
  return
}

// Casts every element to f8E4M3FN and returns its bit pattern.
func.func @f32_to_f8E4M3FN(%x: tensor<?xf32>) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %init = tensor.empty(%n) : tensor<?xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%init : tensor<?xi32>) {
  ^bb0(%in: f32, %out: i32):
    %q = arith.truncf %in : f32 to f8E4M3FN
    %b = arith.bitcast %q : f8E4M3FN to i8
    %w = arith.extui %b : i8 to i32
    linalg.yield %w : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}

// Casts every element to f8E5M2 and returns its bit pattern.
func.func @f32_to_f8E5M2(%x: tensor<?xf32>) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %init = tensor.empty(%n) : tensor<?xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%init : tensor<?xi32>) {
  ^bb0(%in: f32, %out: i32):
    %q = arith.truncf %in : f32 to f8E5M2
    %b = arith.bitcast %q : f8E5M2 to i8
    %w = arith.extui %b : i8 to i32
    linalg.yield %w : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}

// Casts every element to f8E8M0FNU and returns its bit pattern.
func.func @f32_to_f8E8M0FNU(%x: tensor<?xf32>) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %init = tensor.empty(%n) : tensor<?xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%init : tensor<?xi32>) {
  ^bb0(%in: f32, %out: i32):
    %q = arith.truncf %in : f32 to f8E8M0FNU
    %b = arith.bitcast %q : f8E8M0FNU to i8
    %w = arith.extui %b : i8 to i32
    linalg.yield %w : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}

// Casts every element to f4E2M1FN and returns its bit pattern.
func.func @f32_to_f4E2M1FN(%x: tensor<?xf32>) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %init = tensor.empty(%n) : tensor<?xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%init : tensor<?xi32>) {
  ^bb0(%in: f32, %out: i32):
    %q = arith.truncf %in : f32 to f4E2M1FN
    %b = arith.bitcast %q : f4E2M1FN to i4
    %w = arith.extui %b : i4 to i32
    linalg.yield %w : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}

// Casts every element to f6E2M3FN and returns its bit pattern.
func.func @f32_to_f6E2M3FN(%x: tensor<?xf32>) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %init = tensor.empty(%n) : tensor<?xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%init : tensor<?xi32>) {
  ^bb0(%in: f32, %out: i32):
    %q = arith.truncf %in : f32 to f6E2M3FN
    %b = arith.bitcast %q : f6E2M3FN to i6
    %w = arith.extui %b : i6 to i32
    linalg.yield %w : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}

// Casts every element to f6E3M2FN and returns its bit pattern.
func.func @f32_to_f6E3M2FN(%x: tensor<?xf32>) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %init = tensor.empty(%n) : tensor<?xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%init : tensor<?xi32>) {
  ^bb0(%in: f32, %out: i32):
    %q = arith.truncf %in : f32 to f6E3M2FN
    %b = arith.bitcast %q : f6E3M2FN to i6
    %w = arith.extui %b : i6 to i32
    linalg.yield %w : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}

// Casts every element to f8E5M2 and returns its bit pattern.
func.func @f16_to_f8E5M2(%x: tensor<?xf16>) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf16>
  %init = tensor.empty(%n) : tensor<?xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf16>) outs(%init : tensor<?xi32>) {
  ^bb0(%in: f16, %out: i32):
    %q = arith.truncf %in : f16 to f8E5M2
    %b = arith.bitcast %q : f8E5M2 to i8
    %w = arith.extui %b : i8 to i32
    linalg.yield %w : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}

// Casts every element to f8E8M0FNU and returns its bit pattern.
func.func @bf16_to_f8E8M0FNU(%x: tensor<?xbf16>) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xbf16>
  %init = tensor.empty(%n) : tensor<?xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xbf16>) outs(%init : tensor<?xi32>) {
  ^bb0(%in: bf16, %out: i32):
    %q = arith.truncf %in : bf16 to f8E8M0FNU
    %b = arith.bitcast %q : f8E8M0FNU to i8
    %w = arith.extui %b : i8 to i32
    linalg.yield %w : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}

func.func @main() {
  // f32 -> f8E4M3FN
  %v0 = arith.constant dense<[
      0.0,
      -0.0,
      0.001953125,  // min subnormal 2^-9
      0.0009765625,  // 2^-10, half way to 0x01: even 0x00
      0.0029296875,  // 1.5 * 2^-9: even 0x02
      0.0048828125,  // 2.5 * 2^-9: even 0x02
      0.015625,  // min normal 2^-6
      1.0625,  // half way 0x38/0x39: even 0x38
      1.1875,  // half way 0x39/0x3A: even 0x3A
      448.0,  // max
      464.0,  // half way to 480: even 448
      465.0,  // past half way: NaN
      -448.0,
      -465.0,
      0x7F800000,  // inf
      0xFF800000,  // -inf
      0x7FC00000,  // NaN
      0xFFC00000  // -NaN
    ]> : tensor<18xf32>
  %x0 = tensor.cast %v0 : tensor<18xf32> to tensor<?xf32>
  %r0 = call @f32_to_f8E4M3FN(%x0) : (tensor<?xf32>) -> tensor<?xi32>
  call @print(%r0) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref base@ = {{.*}} rank = 1 offset = 0 sizes = [18]
  // CHECK-NEXT: [0, 128, 1, 0, 2, 2, 8, 56, 58, 126, 126, 127, 254, 255, 127, 255, 127, 255]

  // f32 -> f8E5M2
  %v1 = arith.constant dense<[
      0.0,
      -0.0,
      1.52587890625e-05,  // min subnormal 2^-16
      7.62939453125e-06,  // 2^-17: even 0x00
      2.288818359375e-05,  // 1.5 * 2^-16: even 0x02
      6.103515625e-05,  // min normal 2^-14
      1.125,  // half way 0x3C/0x3D: even 0x3C
      1.375,  // half way 0x3D/0x3E: even 0x3E
      57344.0,  // max
      61439.0,  // below half way: max
      61440.0,  // half way to 2^16: inf
      -61440.0,
      0x7F800000,  // inf
      0xFF800000,  // -inf
      0x7FC00000,  // NaN
      0xFFC00000  // -NaN
    ]> : tensor<16xf32>
  %x1 = tensor.cast %v1 : tensor<16xf32> to tensor<?xf32>
  %r1 = call @f32_to_f8E5M2(%x1) : (tensor<?xf32>) -> tensor<?xi32>
  call @print(%r1) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref base@ = {{.*}} rank = 1 offset = 0 sizes = [16]
  // CHECK-NEXT: [0, 128, 1, 0, 2, 4, 60, 62, 123, 123, 124, 252, 124, 252, 126, 254]

  // f32 -> f8E8M0FNU
  %v2 = arith.constant dense<[
      1.0,
      0x7F000000,  // 2^127, max
      0x00400000,  // 2^-127, min
      0x00500000,  // 1.25 * 2^-127: nearest is 2^-127 (0x00)
      0x00080000,  // 2^-130: 2^-127
      3.0,  // ties round up: 4
      2.9,  // 2
      6.0,  // ties round up: 8
      0.0,  // no zero: NaN
      -0.0,  // NaN
      -1.0,  // unsigned: NaN
      0x7F400000,  // 1.5 * 2^127 rounds past max: NaN
      0x7F800000,  // inf: NaN
      0x7FC00000  // NaN
    ]> : tensor<14xf32>
  %x2 = tensor.cast %v2 : tensor<14xf32> to tensor<?xf32>
  %r2 = call @f32_to_f8E8M0FNU(%x2) : (tensor<?xf32>) -> tensor<?xi32>
  call @print(%r2) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref base@ = {{.*}} rank = 1 offset = 0 sizes = [14]
  // CHECK-NEXT: [127, 254, 0, 0, 0, 129, 128, 130, 255, 255, 255, 255, 255, 255]

  // f32 -> f4E2M1FN
  %v3 = arith.constant dense<[
      0.0,
      -0.0,
      0.25,  // half way 0/0.5: 0
      0.75,  // half way 0.5/1: 1
      1.25,  // half way 1/1.5: 1
      1.75,  // half way 1.5/2: 2
      2.5,  // half way 2/3: 2
      3.5,  // half way 3/4: 4
      5.0,  // half way 4/6: 4
      6.0,  // max
      7.0,  // saturates
      1.0e+10,
      -1.0e+10,
      0x7F800000,  // inf: max
      0xFF800000,  // -inf: -max
      0x7FC00000,  // NaN: +0 (the NaN's sign, as the arith folder)
      0xFFC00000,  // -NaN: -0
      0.2,
      0.3
    ]> : tensor<19xf32>
  %x3 = tensor.cast %v3 : tensor<19xf32> to tensor<?xf32>
  %r3 = call @f32_to_f4E2M1FN(%x3) : (tensor<?xf32>) -> tensor<?xi32>
  call @print(%r3) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref base@ = {{.*}} rank = 1 offset = 0 sizes = [19]
  // CHECK-NEXT: [0, 8, 0, 2, 2, 4, 4, 6, 6, 7, 7, 7, 15, 7, 15, 0, 8, 0, 1]

  // f32 -> f6E2M3FN
  %v4 = arith.constant dense<[
      0.0625,  // half of min subnormal: 0
      0.1875,  // 1.5 units: even 0x02
      0.125,  // min subnormal
      7.5,  // max
      7.75,  // saturates
      100.0,
      -100.0,
      0x7F800000,  // inf: max
      0x7FC00000,  // NaN: +0
      1.0625,  // half way 1/1.125: 1
      1.1875  // half way 1.125/1.25: 1.25
    ]> : tensor<11xf32>
  %x4 = tensor.cast %v4 : tensor<11xf32> to tensor<?xf32>
  %r4 = call @f32_to_f6E2M3FN(%x4) : (tensor<?xf32>) -> tensor<?xi32>
  call @print(%r4) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref base@ = {{.*}} rank = 1 offset = 0 sizes = [11]
  // CHECK-NEXT: [0, 2, 1, 31, 31, 31, 63, 31, 0, 8, 10]

  // f32 -> f6E3M2FN
  %v5 = arith.constant dense<[
      0.03125,  // half of min subnormal: 0
      0.09375,  // 1.5 units: even 0x02
      0.0625,  // min subnormal
      28.0,  // max
      30.0,  // half way to 32: saturates
      32.0,
      0x7F800000,  // inf: max
      0xFF800000,  // -inf: -max
      0x7FC00000,  // NaN: +0
      0xFFC00000,  // -NaN: -0
      1.125,  // half way 1/1.25: 1
      1.375  // half way 1.25/1.5: 1.5
    ]> : tensor<12xf32>
  %x5 = tensor.cast %v5 : tensor<12xf32> to tensor<?xf32>
  %r5 = call @f32_to_f6E3M2FN(%x5) : (tensor<?xf32>) -> tensor<?xi32>
  call @print(%r5) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref base@ = {{.*}} rank = 1 offset = 0 sizes = [12]
  // CHECK-NEXT: [0, 2, 1, 31, 31, 31, 31, 63, 0, 32, 12, 14]

  // f16 -> f8E5M2
  %v6 = arith.constant dense<[
      65504.0,  // f16 max: past half way to 2^16, inf
      61440.0,  // half way: inf
      57344.0,  // max
      6.103515625e-05,  // min normal
      0x0001,  // f16 min subnormal: 0
      0x7C00,  // inf
      0x7E00  // NaN
    ]> : tensor<7xf16>
  %x6 = tensor.cast %v6 : tensor<7xf16> to tensor<?xf16>
  %r6 = call @f16_to_f8E5M2(%x6) : (tensor<?xf16>) -> tensor<?xi32>
  call @print(%r6) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref base@ = {{.*}} rank = 1 offset = 0 sizes = [7]
  // CHECK-NEXT: [124, 124, 123, 4, 0, 124, 126]

  // bf16 -> f8E8M0FNU
  %v7 = arith.constant dense<[
      1.0,
      3.0,  // ties up: 4
      0x0001,  // bf16 min subnormal 2^-133: 2^-127
      -2.0,  // NaN
      0.0  // NaN
    ]> : tensor<5xbf16>
  %x7 = tensor.cast %v7 : tensor<5xbf16> to tensor<?xbf16>
  %r7 = call @bf16_to_f8E8M0FNU(%x7) : (tensor<?xbf16>) -> tensor<?xi32>
  call @print(%r7) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref base@ = {{.*}} rank = 1 offset = 0 sizes = [5]
  // CHECK-NEXT: [127, 129, 0, 255, 255]

  return
}
