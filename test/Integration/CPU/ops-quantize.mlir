// RUN: fp8-opt %s --fp8-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_c_runner_utils%shlibext,%mlir_lib_dir/libmlir_runner_utils%shlibext \
// RUN: | FileCheck %s

// fp8.quantize and fp8.dequantize on hand-checked values. Quantized data is
// printed as its bit patterns (E4M3FN: 1.0 = 0x38 = 56, 448 = 0x7E = 126,
// NaN = 0x7F = 127; sign bit 0x80) or decoded to f32.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

func.func @print_bits(%q: tensor<1x8xf8E4M3FN>) {
  %bits = arith.bitcast %q : tensor<1x8xf8E4M3FN> to tensor<1x8xi8>
  %wide = arith.extui %bits : tensor<1x8xi8> to tensor<1x8xi32>
  %u = tensor.cast %wide : tensor<1x8xi32> to tensor<*xi32>
  call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}

func.func @print_bits_e5m2(%q: tensor<1x8xf8E5M2>) {
  %bits = arith.bitcast %q : tensor<1x8xf8E5M2> to tensor<1x8xi8>
  %wide = arith.extui %bits : tensor<1x8xi8> to tensor<1x8xi32>
  %u = tensor.cast %wide : tensor<1x8xi32> to tensor<*xi32>
  call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}

func.func @print(%t: tensor<*xf32>) {
  call @printMemrefF32(%t) : (tensor<*xf32>) -> ()
  return
}

func.func @main() {
  //                         1     -3    500    -1000  +inf        -inf        NaN         0.001
  %x = arith.constant dense<[[1.0, -3.0, 500.0, -1000.0, 0x7F800000, 0xFF800000, 0x7FC00000, 0.001]]> : tensor<1x8xf32>
  %one = arith.constant dense<1.0> : tensor<f32>

  // Saturating: 500, -1000 and +-inf clamp to +-448; NaN stays NaN;
  // 0.001 = 0.512 * 2^-9 rounds to the smallest subnormal 2^-9 (0x01).
  // CHECK: [56,   196,   126,   254,   126,   254,   127,   1]
  %qs = fp8.quantize %x, %one {scaling = #fp8.scaling<tensor>} : tensor<1x8xf32>, tensor<f32> -> tensor<1x8xf8E4M3FN>
  call @print_bits(%qs) : (tensor<1x8xf8E4M3FN>) -> ()

  // Not saturating: E4M3FN overflow (and inf) gives NaN (0x7F / 0xFF).
  // CHECK: [56,   196,   127,   255,   127,   255,   127,   1]
  %qn = fp8.quantize %x, %one {scaling = #fp8.scaling<tensor>, saturate = false} : tensor<1x8xf32>, tensor<f32> -> tensor<1x8xf8E4M3FN>
  call @print_bits(%qn) : (tensor<1x8xf8E4M3FN>) -> ()

  // E5M2 (1.0 = 0x3C = 60, max 57344 = 0x7B = 123, inf = 0x7C = 124):
  // 500 -> 512 (0x60), -1000 -> -1024 (0xE4), 0.001 -> 2^-10 (0x14).
  // CHECK: [60,   194,   96,   228,   123,   251,   126,   20]
  %e5s = fp8.quantize %x, %one {scaling = #fp8.scaling<tensor>} : tensor<1x8xf32>, tensor<f32> -> tensor<1x8xf8E5M2>
  call @print_bits_e5m2(%e5s) : (tensor<1x8xf8E5M2>) -> ()
  // Not saturating: E5M2 keeps +-inf.
  // CHECK: [60,   194,   96,   228,   124,   252,   126,   20]
  %e5n = fp8.quantize %x, %one {scaling = #fp8.scaling<tensor>, saturate = false} : tensor<1x8xf32>, tensor<f32> -> tensor<1x8xf8E5M2>
  call @print_bits_e5m2(%e5n) : (tensor<1x8xf8E5M2>) -> ()

  // The scale divides: 100 / 0.25 = 400 -> 384 (nearest of 384, 416; 0x7C).
  %hundred = arith.constant dense<[[100.0, -100.0, 1.0, 0.0, 25.0, 28.0, 30.0, 120.0]]> : tensor<1x8xf32>
  %quarter = arith.constant dense<0.25> : tensor<f32>
  // 400 -> 384 (0x7C = 124), 4 (0x48 = 72), 0, 100 -> 96 (0x6C = 108),
  // 112 (0x6E = 110), 120 (0x6F = 111), 480 -> 448 (126).
  // CHECK: [124,   252,   72,   0,   108,   110,   111,   126]
  %qq = fp8.quantize %hundred, %quarter {scaling = #fp8.scaling<tensor>} : tensor<1x8xf32>, tensor<f32> -> tensor<1x8xf8E4M3FN>
  call @print_bits(%qq) : (tensor<1x8xf8E4M3FN>) -> ()

  // Ragged 2x2 blocks over 3x5, every element 8: q = 8 / scale of its block.
  %eights = arith.constant dense<8.0> : tensor<3x5xf32>
  %bs = arith.constant dense<[[1.0, 2.0, 4.0], [8.0, 16.0, 0.5]]> : tensor<2x3xf32>
  %qb = fp8.quantize %eights, %bs {scaling = #fp8.scaling<block [2, 2]>} : tensor<3x5xf32>, tensor<2x3xf32> -> tensor<3x5xf8E4M3FN>
  %qb32 = arith.extf %qb : tensor<3x5xf8E4M3FN> to tensor<3x5xf32>
  %qb_u = tensor.cast %qb32 : tensor<3x5xf32> to tensor<*xf32>
  // CHECK: sizes = [3, 5]
  // CHECK-NEXT: [8,   8,   4,   4,   2],
  // CHECK-NEXT: [8,   8,   4,   4,   2],
  // CHECK-NEXT: [1,   1,   0.5,   0.5,   16]]
  call @print(%qb_u) : (tensor<*xf32>) -> ()

  // ... and dequantize multiplies back: 8 everywhere, as bf16.
  %xb = fp8.dequantize %qb, %bs {scaling = #fp8.scaling<block [2, 2]>} : tensor<3x5xf8E4M3FN>, tensor<2x3xf32> -> tensor<3x5xbf16>
  %xb32 = arith.extf %xb : tensor<3x5xbf16> to tensor<3x5xf32>
  %xb_u = tensor.cast %xb32 : tensor<3x5xf32> to tensor<*xf32>
  // CHECK: sizes = [3, 5]
  // CHECK-NEXT: [8,   8,   8,   8,   8],
  // CHECK-NEXT: [8,   8,   8,   8,   8],
  // CHECK-NEXT: [8,   8,   8,   8,   8]]
  call @print(%xb_u) : (tensor<*xf32>) -> ()

  // Rowwise scales with a batch dim, f16 input.
  %h = arith.constant dense<[[[3.0, 6.0], [3.0, 6.0]], [[3.0, 6.0], [3.0, 6.0]]]> : tensor<2x2x2xf16>
  %rs = arith.constant dense<[[[1.0], [3.0]], [[0.5], [0.0078125]]]> : tensor<2x2x1xf32>
  %qr = fp8.quantize %h, %rs {scaling = #fp8.scaling<rowwise>} : tensor<2x2x2xf16>, tensor<2x2x1xf32> -> tensor<2x2x2xf8E4M3FN>
  %qr32 = arith.extf %qr : tensor<2x2x2xf8E4M3FN> to tensor<2x2x2xf32>
  %qr_u = tensor.cast %qr32 : tensor<2x2x2xf32> to tensor<*xf32>
  // 3/2^-7 = 384, 6/2^-7 = 768 -> 448.
  // CHECK: sizes = [2, 2, 2]
  // CHECK-NEXT: [3,     6],
  // CHECK-NEXT: [1,     2]],
  // CHECK-NEXT: [6,     12],
  // CHECK-NEXT: [384,     448]]]
  call @print(%qr_u) : (tensor<*xf32>) -> ()

  // MX: bf16 input, E8M0 scale 2^1 (0x80), FP4 E2M1 data. After the
  // division: 0.25 0.75 1.25 2.5 5 7 -3 100; E2M1 holds 0 .5 1 1.5 2 3 4 6,
  // ties round to even: 0, 1, 1, 2, 4; 7 and 100 saturate to 6.
  %mx = arith.constant dense<[[0.5, 1.5, 2.5, 5.0, 10.0, 14.0, -6.0, 200.0]]> : tensor<1x8xbf16>
  %two = arith.constant dense<[[2.0]]> : tensor<1x1xf8E8M0FNU>
  %q4 = fp8.quantize %mx, %two {scaling = #fp8.scaling<block [1, 32]>} : tensor<1x8xbf16>, tensor<1x1xf8E8M0FNU> -> tensor<1x8xf4E2M1FN>
  %q4_32 = arith.extf %q4 : tensor<1x8xf4E2M1FN> to tensor<1x8xf32>
  %q4_u = tensor.cast %q4_32 : tensor<1x8xf32> to tensor<*xf32>
  // CHECK: [0,   1,   1,   2,   4,   6,   -3,   6]
  call @print(%q4_u) : (tensor<*xf32>) -> ()
  // Dequantized with the same E8M0 scale: times 2, as f32.
  %x4 = fp8.dequantize %q4, %two {scaling = #fp8.scaling<block [1, 32]>} : tensor<1x8xf4E2M1FN>, tensor<1x1xf8E8M0FNU> -> tensor<1x8xf32>
  %x4_u = tensor.cast %x4 : tensor<1x8xf32> to tensor<*xf32>
  // CHECK: [0,   2,   2,   4,   8,   12,   -6,   12]
  call @print(%x4_u) : (tensor<*xf32>) -> ()
  return
}
