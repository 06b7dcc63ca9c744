// The saturating cast (as fp8.quantize {saturate} is lowered): clamp with
// arith.maximumf/arith.minimumf to [-max, max], then the plain, non-saturating
// arith.truncf that fp8-expand-casts expands. Finite values beyond max and
// +-inf give +-max; NaN stays NaN (the clamp does not define its sign). Next
// to each saturating cast, the same inputs through the bare truncf show what
// the clamp changes. Expected bit patterns worked out by hand; they agree
// with ml_dtypes (with overflow replaced by +-max for the saturating rows).

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

// Saturating cast to f8E4M3FN (max 448.0); returns the bit pattern.
func.func @sat_f32_to_f8E4M3FN(%x: tensor<?xf32>) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %init = tensor.empty(%n) : tensor<?xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%init : tensor<?xi32>) {
  ^bb0(%in: f32, %out: i32):
    %max = arith.constant 448.0 : f32
    %neg_max = arith.constant -448.0 : f32
    %lo = arith.maximumf %in, %neg_max : f32
    %clamped = arith.minimumf %lo, %max : f32
    %q = arith.truncf %clamped : f32 to f8E4M3FN
    %b = arith.bitcast %q : f8E4M3FN to i8
    %w = arith.extui %b : i8 to i32
    linalg.yield %w : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}

// Non-saturating cast to f8E4M3FN; returns the bit pattern.
func.func @plain_f32_to_f8E4M3FN(%x: tensor<?xf32>) -> tensor<?xi32> {
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

// Saturating cast to f8E5M2 (max 57344.0); returns the bit pattern.
func.func @sat_f32_to_f8E5M2(%x: tensor<?xf32>) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %init = tensor.empty(%n) : tensor<?xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%init : tensor<?xi32>) {
  ^bb0(%in: f32, %out: i32):
    %max = arith.constant 57344.0 : f32
    %neg_max = arith.constant -57344.0 : f32
    %lo = arith.maximumf %in, %neg_max : f32
    %clamped = arith.minimumf %lo, %max : f32
    %q = arith.truncf %clamped : f32 to f8E5M2
    %b = arith.bitcast %q : f8E5M2 to i8
    %w = arith.extui %b : i8 to i32
    linalg.yield %w : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}

// Non-saturating cast to f8E5M2; returns the bit pattern.
func.func @plain_f32_to_f8E5M2(%x: tensor<?xf32>) -> tensor<?xi32> {
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

// Saturating cast to f8E5M2 (max 57344.0); returns the bit pattern.
func.func @sat_f16_to_f8E5M2(%x: tensor<?xf16>) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf16>
  %init = tensor.empty(%n) : tensor<?xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf16>) outs(%init : tensor<?xi32>) {
  ^bb0(%in: f16, %out: i32):
    %max = arith.constant 57344.0 : f16
    %neg_max = arith.constant -57344.0 : f16
    %lo = arith.maximumf %in, %neg_max : f16
    %clamped = arith.minimumf %lo, %max : f16
    %q = arith.truncf %clamped : f16 to f8E5M2
    %b = arith.bitcast %q : f8E5M2 to i8
    %w = arith.extui %b : i8 to i32
    linalg.yield %w : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}

// Non-saturating cast to f8E5M2; returns the bit pattern.
func.func @plain_f16_to_f8E5M2(%x: tensor<?xf16>) -> tensor<?xi32> {
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

// Saturating cast to f8E4M3FN (max 448.0); returns the bit pattern.
func.func @sat_bf16_to_f8E4M3FN(%x: tensor<?xbf16>) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xbf16>
  %init = tensor.empty(%n) : tensor<?xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xbf16>) outs(%init : tensor<?xi32>) {
  ^bb0(%in: bf16, %out: i32):
    %max = arith.constant 448.0 : bf16
    %neg_max = arith.constant -448.0 : bf16
    %lo = arith.maximumf %in, %neg_max : bf16
    %clamped = arith.minimumf %lo, %max : bf16
    %q = arith.truncf %clamped : bf16 to f8E4M3FN
    %b = arith.bitcast %q : f8E4M3FN to i8
    %w = arith.extui %b : i8 to i32
    linalg.yield %w : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}

// Non-saturating cast to f8E4M3FN; returns the bit pattern.
func.func @plain_bf16_to_f8E4M3FN(%x: tensor<?xbf16>) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xbf16>
  %init = tensor.empty(%n) : tensor<?xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xbf16>) outs(%init : tensor<?xi32>) {
  ^bb0(%in: bf16, %out: i32):
    %q = arith.truncf %in : bf16 to f8E4M3FN
    %b = arith.bitcast %q : f8E4M3FN to i8
    %w = arith.extui %b : i8 to i32
    linalg.yield %w : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}

// Saturating cast to f4E2M1FN (max 6.0); returns the bit pattern.
func.func @sat_f32_to_f4E2M1FN(%x: tensor<?xf32>) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %init = tensor.empty(%n) : tensor<?xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%init : tensor<?xi32>) {
  ^bb0(%in: f32, %out: i32):
    %max = arith.constant 6.0 : f32
    %neg_max = arith.constant -6.0 : f32
    %lo = arith.maximumf %in, %neg_max : f32
    %clamped = arith.minimumf %lo, %max : f32
    %q = arith.truncf %clamped : f32 to f4E2M1FN
    %b = arith.bitcast %q : f4E2M1FN to i4
    %w = arith.extui %b : i4 to i32
    linalg.yield %w : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}

// Non-saturating cast to f4E2M1FN; returns the bit pattern.
func.func @plain_f32_to_f4E2M1FN(%x: tensor<?xf32>) -> tensor<?xi32> {
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

// Saturating cast to f6E3M2FN (max 28.0); returns the bit pattern.
func.func @sat_f32_to_f6E3M2FN(%x: tensor<?xf32>) -> tensor<?xi32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %init = tensor.empty(%n) : tensor<?xi32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%init : tensor<?xi32>) {
  ^bb0(%in: f32, %out: i32):
    %max = arith.constant 28.0 : f32
    %neg_max = arith.constant -28.0 : f32
    %lo = arith.maximumf %in, %neg_max : f32
    %clamped = arith.minimumf %lo, %max : f32
    %q = arith.truncf %clamped : f32 to f6E3M2FN
    %b = arith.bitcast %q : f6E3M2FN to i6
    %w = arith.extui %b : i6 to i32
    linalg.yield %w : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}

// Non-saturating cast to f6E3M2FN; returns the bit pattern.
func.func @plain_f32_to_f6E3M2FN(%x: tensor<?xf32>) -> tensor<?xi32> {
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

func.func @main() {
  // f32 -> f8E4M3FN: saturating, then plain
  %v0 = arith.constant dense<[
      448.0,  // max
      464.0,  // half way to 480: 448 either way
      465.0,  // past half way
      1.0e+06,
      -1.0e+06,
      0x7F800000,  // inf
      0xFF800000,  // -inf
      0x7FC00000,  // NaN
      0.3
    ]> : tensor<9xf32>
  %x0 = tensor.cast %v0 : tensor<9xf32> to tensor<?xf32>
  %s0 = call @sat_f32_to_f8E4M3FN(%x0) : (tensor<?xf32>) -> tensor<?xi32>
  call @print(%s0) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [9]
  // CHECK-NEXT: [126, 126, 126, 126, 254, 126, 254, {{127|255}}, 42]
  %p0 = call @plain_f32_to_f8E4M3FN(%x0) : (tensor<?xf32>) -> tensor<?xi32>
  call @print(%p0) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [9]
  // CHECK-NEXT: [126, 126, 127, 127, 255, 127, 255, 127, 42]

  // f32 -> f8E5M2: saturating, then plain
  %v1 = arith.constant dense<[
      57344.0,  // max
      61440.0,  // half way to 2^16
      0x7F800000,  // inf
      0xFF800000,  // -inf
      0x7FC00000,  // NaN
      1.375
    ]> : tensor<6xf32>
  %x1 = tensor.cast %v1 : tensor<6xf32> to tensor<?xf32>
  %s1 = call @sat_f32_to_f8E5M2(%x1) : (tensor<?xf32>) -> tensor<?xi32>
  call @print(%s1) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [6]
  // CHECK-NEXT: [123, 123, 123, 251, {{126|254}}, 62]
  %p1 = call @plain_f32_to_f8E5M2(%x1) : (tensor<?xf32>) -> tensor<?xi32>
  call @print(%p1) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [6]
  // CHECK-NEXT: [123, 124, 124, 252, 126, 62]

  // f16 -> f8E5M2: saturating, then plain
  %v2 = arith.constant dense<[
      65504.0,  // f16 max
      0x7C00,  // inf
      0xFC00,  // -inf
      -1.0
    ]> : tensor<4xf16>
  %x2 = tensor.cast %v2 : tensor<4xf16> to tensor<?xf16>
  %s2 = call @sat_f16_to_f8E5M2(%x2) : (tensor<?xf16>) -> tensor<?xi32>
  call @print(%s2) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [4]
  // CHECK-NEXT: [123, 123, 251, 188]
  %p2 = call @plain_f16_to_f8E5M2(%x2) : (tensor<?xf16>) -> tensor<?xi32>
  call @print(%p2) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [4]
  // CHECK-NEXT: [124, 124, 252, 188]

  // bf16 -> f8E4M3FN: saturating, then plain
  %v3 = arith.constant dense<[
      480.0,
      1.0e+38,
      0xFF80,  // -inf
      0x0001  // bf16 min subnormal
    ]> : tensor<4xbf16>
  %x3 = tensor.cast %v3 : tensor<4xbf16> to tensor<?xbf16>
  %s3 = call @sat_bf16_to_f8E4M3FN(%x3) : (tensor<?xbf16>) -> tensor<?xi32>
  call @print(%s3) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [4]
  // CHECK-NEXT: [126, 126, 254, 0]
  %p3 = call @plain_bf16_to_f8E4M3FN(%x3) : (tensor<?xbf16>) -> tensor<?xi32>
  call @print(%p3) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [4]
  // CHECK-NEXT: [127, 127, 255, 0]

  // f32 -> f4E2M1FN: saturating, then plain
  %v4 = arith.constant dense<[
      6.0,  // max
      100.0,
      0xFF800000,  // -inf
      2.5  // half way 2/3: 2
    ]> : tensor<4xf32>
  %x4 = tensor.cast %v4 : tensor<4xf32> to tensor<?xf32>
  %s4 = call @sat_f32_to_f4E2M1FN(%x4) : (tensor<?xf32>) -> tensor<?xi32>
  call @print(%s4) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [4]
  // CHECK-NEXT: [7, 7, 15, 4]
  %p4 = call @plain_f32_to_f4E2M1FN(%x4) : (tensor<?xf32>) -> tensor<?xi32>
  call @print(%p4) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [4]
  // CHECK-NEXT: [7, 7, 15, 4]

  // f32 -> f6E3M2FN: saturating, then plain
  %v5 = arith.constant dense<[
      28.0,  // max
      1000.0,
      0xFF800000,  // -inf
      0.09375  // 1.5 * min subnormal: even 0x02
    ]> : tensor<4xf32>
  %x5 = tensor.cast %v5 : tensor<4xf32> to tensor<?xf32>
  %s5 = call @sat_f32_to_f6E3M2FN(%x5) : (tensor<?xf32>) -> tensor<?xi32>
  call @print(%s5) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [4]
  // CHECK-NEXT: [31, 31, 63, 2]
  %p5 = call @plain_f32_to_f6E3M2FN(%x5) : (tensor<?xf32>) -> tensor<?xi32>
  call @print(%p5) : (tensor<?xi32>) -> ()
  // CHECK: Unranked Memref {{.*}} sizes = [4]
  // CHECK-NEXT: [31, 31, 63, 2]

  return
}
