// RUN: fp8-opt %s --fp8-lower-to-linalg --split-input-file | FileCheck %s --implicit-check-not=fp8.

// fp8.amax: a max-|x| reduction into a zero-filled tensor of the scale shape;
// the output map sends every element to its group.

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ALL:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @amax_tensor(
// CHECK-SAME:      %[[X:.+]]: tensor<64x96xf32>) -> tensor<f32>
// CHECK:         %[[EMPTY:.+]] = tensor.empty() : tensor<f32>
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<f32>)
// CHECK:         %[[AMAX:.+]] = linalg.generic
// CHECK-SAME:        indexing_maps = [#[[ID]], #[[ALL]]]
// CHECK-SAME:        iterator_types = ["reduction", "reduction"]
// CHECK-SAME:        ins(%[[X]] : tensor<64x96xf32>) outs(%[[INIT]] : tensor<f32>)
// CHECK:         ^bb0(%[[IN:.+]]: f32, %[[OUT:.+]]: f32):
// CHECK:           %[[ABS:.+]] = math.absf %[[IN]] : f32
// CHECK:           %[[MAX:.+]] = arith.maximumf %[[OUT]], %[[ABS]] : f32
// CHECK:           linalg.yield %[[MAX]] : f32
// CHECK:         return %[[AMAX]]
func.func @amax_tensor(%x: tensor<64x96xf32>) -> tensor<f32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<64x96xf32> -> tensor<f32>
  return %a : tensor<f32>
}

// -----

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
// CHECK-LABEL: func.func @amax_rowwise_batch_bf16(
// CHECK:         linalg.fill {{.*}} -> tensor<2x64x1xf32>
// CHECK:         linalg.generic
// CHECK-SAME:        indexing_maps = [#[[ID]], #[[ROW]]]
// CHECK-SAME:        iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:         ^bb0(%[[IN:.+]]: bf16, %[[OUT:.+]]: f32):
// CHECK:           %[[WIDE:.+]] = arith.extf %[[IN]] : bf16 to f32
// CHECK:           %[[ABS:.+]] = math.absf %[[WIDE]] : f32
// CHECK:           arith.maximumf %[[OUT]], %[[ABS]] : f32
func.func @amax_rowwise_batch_bf16(%x: tensor<2x64x96xbf16>) -> tensor<2x64x1xf32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<2x64x96xbf16> -> tensor<2x64x1xf32>
  return %a : tensor<2x64x1xf32>
}

// -----

// A ragged 200x300 tensor in 128x128 tiles: 2x3 groups, the last ones partial.

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[TILE:.+]] = affine_map<(d0, d1) -> (d0 floordiv 128, d1 floordiv 128)>
// CHECK-LABEL: func.func @amax_block_ragged(
// CHECK:         linalg.fill {{.*}} -> tensor<2x3xf32>
// CHECK:         linalg.generic
// CHECK-SAME:        indexing_maps = [#[[ID]], #[[TILE]]]
// CHECK-SAME:        iterator_types = ["reduction", "reduction"]
func.func @amax_block_ragged(%x: tensor<200x300xf16>) -> tensor<2x3xf32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [128, 128]>} : tensor<200x300xf16> -> tensor<2x3xf32>
  return %a : tensor<2x3xf32>
}

// -----

// Dynamic shapes: the scale dims are ceildiv(dim, block).

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[MX:.+]] = affine_map<(d0, d1) -> (d0, d1 floordiv 32)>
// CHECK-LABEL: func.func @amax_mx_dynamic(
// CHECK-SAME:      %[[X:.+]]: tensor<?x?xf32>)
// CHECK-DAG:     %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG:     %[[C32:.+]] = arith.constant 32 : index
// CHECK-DAG:     %[[ROWS:.+]] = tensor.dim %[[X]], %[[C0]]
// CHECK-DAG:     %[[COLS:.+]] = tensor.dim %[[X]], %[[C1]]
// CHECK:         %[[GROUPS:.+]] = arith.ceildivui %[[COLS]], %[[C32]] : index
// CHECK:         tensor.empty(%[[ROWS]], %[[GROUPS]]) : tensor<?x?xf32>
// CHECK:         linalg.generic
// CHECK-SAME:        indexing_maps = [#[[ID]], #[[MX]]]
// CHECK-SAME:        iterator_types = ["parallel", "reduction"]
func.func @amax_mx_dynamic(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 32]>} : tensor<?x?xf32> -> tensor<?x?xf32>
  return %a : tensor<?x?xf32>
}

// -----

// fp8.scale_from_amax, f32: (amax / fmax) * 2^margin, 1 unless 0 < amax < inf.

// CHECK-LABEL: func.func @scale_f32_margin(
// CHECK:         linalg.generic
// CHECK-SAME:        iterator_types = ["parallel"]
// CHECK:         ^bb0(%[[AMAX:.+]]: f32, %{{.+}}: f32):
// CHECK:           %[[FMAX:.+]] = arith.constant 5.734400e+04 : f32
// CHECK:           %[[DIV:.+]] = arith.divf %[[AMAX]], %[[FMAX]] : f32
// CHECK:           %[[FOUR:.+]] = arith.constant 4.000000e+00 : f32
// CHECK:           %[[SCALE:.+]] = arith.mulf %[[DIV]], %[[FOUR]] : f32
// CHECK:           %[[POS:.+]] = arith.cmpf ogt, %[[AMAX]], %{{.+}} : f32
// CHECK:           %[[INF:.+]] = arith.constant 0x7F800000 : f32
// CHECK:           %[[FIN:.+]] = arith.cmpf olt, %[[AMAX]], %[[INF]] : f32
// CHECK:           %[[VALID:.+]] = arith.andi %[[POS]], %[[FIN]] : i1
// CHECK:           %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK:           %[[RES:.+]] = arith.select %[[VALID]], %[[SCALE]], %[[ONE]] : f32
// CHECK:           linalg.yield %[[RES]] : f32
func.func @scale_f32_margin(%a: tensor<8xf32>) -> tensor<8xf32> {
  %s = fp8.scale_from_amax %a {format = f8E5M2, margin = 2} : tensor<8xf32> -> tensor<8xf32>
  return %s : tensor<8xf32>
}

// -----

// pow2: exact integer exponent arithmetic on the bits, no division.

// CHECK-LABEL: func.func @scale_f32_pow2(
// CHECK:         ^bb0(%[[AMAX:.+]]: f32, %{{.+}}: f32):
// CHECK-NOT:       arith.divf
// CHECK:           %[[BITS:.+]] = arith.bitcast %{{.+}} : f32 to i32
// CHECK:           arith.shrui %[[BITS]]
// CHECK:           arith.cmpi ugt
// CHECK:           %[[POW2:.+]] = arith.bitcast %{{.+}} : i32 to f32
// CHECK:           %[[RES:.+]] = arith.select %{{.+}}, %[[POW2]], %{{.+}} : f32
// CHECK:           linalg.yield %[[RES]] : f32
func.func @scale_f32_pow2(%a: tensor<4x1xf32>) -> tensor<4x1xf32> {
  %s = fp8.scale_from_amax %a {format = f8E4M3FN, pow2} : tensor<4x1xf32> -> tensor<4x1xf32>
  return %s : tensor<4x1xf32>
}

// -----

// E8M0 scales: an exact power of two, rounded to f8E8M0FNU by arith.truncf.
// The floor rule subtracts emax(E4M3FN) = 8 (and adds the margin, 1).

// CHECK-LABEL: func.func @scale_e8m0(
// CHECK:         linalg.generic
// CHECK:           arith.cmpi ugt
// CHECK:           %[[CEIL:.+]] = arith.select %{{.+}}, %{{.+}}, %cst{{.*}} : f32
// CHECK-NEXT:      %[[E8:.+]] = arith.truncf %[[CEIL]] : f32 to f8E8M0FNU
// CHECK-NEXT:      linalg.yield %[[E8]] : f8E8M0FNU
// CHECK:         linalg.generic
// CHECK-NOT:       arith.cmpi ugt
// CHECK:           arith.constant -7 : i32
// CHECK:           %[[FLOOR:.+]] = arith.select %{{.+}}, %{{.+}}, %cst{{.*}} : f32
// CHECK-NEXT:      arith.truncf %[[FLOOR]] : f32 to f8E8M0FNU
func.func @scale_e8m0(%a: tensor<4x2xf32>) -> (tensor<4x2xf8E8M0FNU>, tensor<4x2xf8E8M0FNU>) {
  %c = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<4x2xf32> -> tensor<4x2xf8E8M0FNU>
  %f = fp8.scale_from_amax %a {format = f8E4M3FN, margin = 1, mx_scale = #fp8.mx_scale<floor>} : tensor<4x2xf32> -> tensor<4x2xf8E8M0FNU>
  return %c, %f : tensor<4x2xf8E8M0FNU>, tensor<4x2xf8E8M0FNU>
}

// -----

// fp8.quantize, saturating: x / scale of its [1, 128] group, clamped, truncf.

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[GROUP:.+]] = affine_map<(d0, d1) -> (d0, d1 floordiv 128)>
// CHECK-LABEL: func.func @quantize_block_bf16(
// CHECK-SAME:      %[[X:.+]]: tensor<16x256xbf16>, %[[S:.+]]: tensor<16x2xf32>)
// CHECK:         %[[EMPTY:.+]] = tensor.empty() : tensor<16x256xf8E4M3FN>
// CHECK:         linalg.generic
// CHECK-SAME:        indexing_maps = [#[[ID]], #[[GROUP]], #[[ID]]]
// CHECK-SAME:        iterator_types = ["parallel", "parallel"]
// CHECK-SAME:        ins(%[[X]], %[[S]] : tensor<16x256xbf16>, tensor<16x2xf32>)
// CHECK-SAME:        outs(%[[EMPTY]] : tensor<16x256xf8E4M3FN>)
// CHECK:         ^bb0(%[[IN:.+]]: bf16, %[[SCALE:.+]]: f32, %{{.+}}: f8E4M3FN):
// CHECK:           %[[WIDE:.+]] = arith.extf %[[IN]] : bf16 to f32
// CHECK:           %[[DIV:.+]] = arith.divf %[[WIDE]], %[[SCALE]] : f32
// CHECK:           %[[NEG:.+]] = arith.constant -4.480000e+02 : f32
// CHECK:           %[[LO:.+]] = arith.maximumf %[[DIV]], %[[NEG]] : f32
// CHECK:           %[[POS:.+]] = arith.constant 4.480000e+02 : f32
// CHECK:           %[[HI:.+]] = arith.minimumf %[[LO]], %[[POS]] : f32
// CHECK:           %[[Q:.+]] = arith.truncf %[[HI]] : f32 to f8E4M3FN
// CHECK:           linalg.yield %[[Q]] : f8E4M3FN
func.func @quantize_block_bf16(%x: tensor<16x256xbf16>, %s: tensor<16x2xf32>) -> tensor<16x256xf8E4M3FN> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 128]>} : tensor<16x256xbf16>, tensor<16x2xf32> -> tensor<16x256xf8E4M3FN>
  return %q : tensor<16x256xf8E4M3FN>
}

// -----

// Not saturating: a plain truncf. Tensor scaling reads the rank-0 scale.

// CHECK-DAG: #[[ALL:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @quantize_tensor_nosat(
// CHECK:         linalg.generic
// CHECK-SAME:        indexing_maps = [#{{.+}}, #[[ALL]], #{{.+}}]
// CHECK:           %[[DIV:.+]] = arith.divf
// CHECK-NOT:       arith.maximumf
// CHECK-NOT:       arith.minimumf
// CHECK:           arith.truncf %[[DIV]] : f32 to f8E5M2
func.func @quantize_tensor_nosat(%x: tensor<16x256xf32>, %s: tensor<f32>) -> tensor<16x256xf8E5M2> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>, saturate = false} : tensor<16x256xf32>, tensor<f32> -> tensor<16x256xf8E5M2>
  return %q : tensor<16x256xf8E5M2>
}

// -----

// MX: E8M0 scales are extended to f32; 128x128 tiles; batch dims keep their
// own groups.

// CHECK-DAG: #[[MX:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2 floordiv 32)>
// CHECK-DAG: #[[TILE:.+]] = affine_map<(d0, d1, d2) -> (d0, d1 floordiv 128, d2 floordiv 128)>
// CHECK-LABEL: func.func @quantize_mx_and_tiles(
// CHECK:         linalg.generic
// CHECK-SAME:        indexing_maps = [#{{.+}}, #[[MX]], #{{.+}}]
// CHECK:         ^bb0(%[[IN:.+]]: f32, %[[SCALE:.+]]: f8E8M0FNU, %{{.+}}: f4E2M1FN):
// CHECK:           %[[S32:.+]] = arith.extf %[[SCALE]] : f8E8M0FNU to f32
// CHECK:           arith.divf %[[IN]], %[[S32]] : f32
// CHECK:           arith.constant -6.000000e+00 : f32
// CHECK:           arith.truncf %{{.+}} : f32 to f4E2M1FN
// CHECK:         linalg.generic
// CHECK-SAME:        indexing_maps = [#{{.+}}, #[[TILE]], #{{.+}}]
func.func @quantize_mx_and_tiles(%x: tensor<2x64x64xf32>, %e: tensor<2x64x2xf8E8M0FNU>, %s: tensor<2x1x1xf32>) -> (tensor<2x64x64xf4E2M1FN>, tensor<2x64x64xf8E4M3FN>) {
  %q = fp8.quantize %x, %e {scaling = #fp8.scaling<block [1, 32]>} : tensor<2x64x64xf32>, tensor<2x64x2xf8E8M0FNU> -> tensor<2x64x64xf4E2M1FN>
  %t = fp8.quantize %x, %s {scaling = #fp8.scaling<block [128, 128]>} : tensor<2x64x64xf32>, tensor<2x1x1xf32> -> tensor<2x64x64xf8E4M3FN>
  return %q, %t : tensor<2x64x64xf4E2M1FN>, tensor<2x64x64xf8E4M3FN>
}

// -----

// CHECK-LABEL: func.func @quantize_rowwise_dynamic(
// CHECK-SAME:      %[[X:.+]]: tensor<?x?xf16>, %[[S:.+]]: tensor<?x1xf32>)
// CHECK-DAG:     %[[ROWS:.+]] = tensor.dim %[[X]], %c0
// CHECK-DAG:     %[[COLS:.+]] = tensor.dim %[[X]], %c1
// CHECK:         %[[EMPTY:.+]] = tensor.empty(%[[ROWS]], %[[COLS]]) : tensor<?x?xf8E4M3FN>
// CHECK:         linalg.generic
// CHECK-SAME:        outs(%[[EMPTY]] : tensor<?x?xf8E4M3FN>)
// CHECK:           arith.extf %{{.+}} : f16 to f32
func.func @quantize_rowwise_dynamic(%x: tensor<?x?xf16>, %s: tensor<?x1xf32>) -> tensor<?x?xf8E4M3FN> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>} : tensor<?x?xf16>, tensor<?x1xf32> -> tensor<?x?xf8E4M3FN>
  return %q : tensor<?x?xf8E4M3FN>
}

// -----

// fp8.dequantize: q * scale in f32, then rounded to bf16.

// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @dequantize_rowwise(
// CHECK:         linalg.generic
// CHECK-SAME:        indexing_maps = [#{{.+}}, #[[ROW]], #{{.+}}]
// CHECK:         ^bb0(%[[Q:.+]]: f8E5M2, %[[S:.+]]: f32, %{{.+}}: bf16):
// CHECK:           %[[WIDE:.+]] = arith.extf %[[Q]] : f8E5M2 to f32
// CHECK:           %[[MUL:.+]] = arith.mulf %[[WIDE]], %[[S]] : f32
// CHECK:           %[[X:.+]] = arith.truncf %[[MUL]] : f32 to bf16
// CHECK:           linalg.yield %[[X]] : bf16
func.func @dequantize_rowwise(%q: tensor<32x64xf8E5M2>, %s: tensor<32x1xf32>) -> tensor<32x64xbf16> {
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<rowwise>} : tensor<32x64xf8E5M2>, tensor<32x1xf32> -> tensor<32x64xbf16>
  return %x : tensor<32x64xbf16>
}

// -----

// fp8.scaled_matmul: dequantize A; dequantize B transposed into [K, N]; an
// (m, k, n) generic with k the reduction in the middle; round to bf16.

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ALL:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[TRANS:.+]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG: #[[MK:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[KN:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[MN:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @matmul_tensorwise(
// CHECK-SAME:      %[[A:[^:]+]]: tensor<128x256xf8E4M3FN>, %[[SA:[^:]+]]: tensor<f32>,
// CHECK-SAME:      %[[B:[^:]+]]: tensor<64x256xf8E4M3FN>, %[[SB:[^:]+]]: tensor<f32>)
// CHECK:         %[[A32:.+]] = linalg.generic
// CHECK-SAME:        indexing_maps = [#[[ID]], #[[ALL]], #[[ID]]]
// CHECK-SAME:        ins(%[[A]], %[[SA]] : {{.*}}) outs(%{{.+}} : tensor<128x256xf32>)
// CHECK:         %[[B32:.+]] = linalg.generic
// CHECK-SAME:        indexing_maps = [#[[TRANS]], #[[ALL]], #[[ID]]]
// CHECK-SAME:        ins(%[[B]], %[[SB]] : {{.*}}) outs(%{{.+}} : tensor<256x64xf32>)
// CHECK:         %[[ZERO:.+]] = linalg.fill {{.*}} -> tensor<128x64xf32>
// CHECK:         %[[D:.+]] = linalg.generic
// CHECK-SAME:        indexing_maps = [#[[MK]], #[[KN]], #[[MN]]]
// CHECK-SAME:        iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-SAME:        ins(%[[A32]], %[[B32]] : tensor<128x256xf32>, tensor<256x64xf32>)
// CHECK-SAME:        outs(%[[ZERO]] : tensor<128x64xf32>)
// CHECK:         ^bb0(%[[L:.+]]: f32, %[[R:.+]]: f32, %[[ACC:.+]]: f32):
// CHECK:           %[[P:.+]] = arith.mulf %[[L]], %[[R]] : f32
// CHECK:           %[[SUM:.+]] = arith.addf %[[ACC]], %[[P]] : f32
// CHECK:           linalg.yield %[[SUM]] : f32
// CHECK:         %[[OUT:.+]] = linalg.generic
// CHECK-SAME:        ins(%[[D]] : tensor<128x64xf32>) outs(%{{.+}} : tensor<128x64xbf16>)
// CHECK:           arith.truncf %{{.+}} : f32 to bf16
// CHECK:         return %[[OUT]]
func.func @matmul_tensorwise(%a: tensor<128x256xf8E4M3FN>, %sa: tensor<f32>, %b: tensor<64x256xf8E4M3FN>, %sb: tensor<f32>) -> tensor<128x64xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>, tensor<f32> -> tensor<128x64xbf16>
  return %d : tensor<128x64xbf16>
}

// -----

// Batched blockwise GEMM with bias, an FP8 result and the amax of D.

// CHECK-DAG: #[[AGROUP:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2 floordiv 128)>
// CHECK-DAG: #[[BTRANS:.+]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-DAG: #[[BGROUP:.+]] = affine_map<(d0, d1, d2) -> (d0, d2 floordiv 128, d1 floordiv 128)>
// CHECK-DAG: #[[BMK:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[BKN:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[BMN:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[COL:.+]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-DAG: #[[ALL:.+]] = affine_map<(d0, d1, d2) -> ()>
// CHECK-LABEL: func.func @matmul_blockwise_epilogue(
// CHECK-SAME:      %[[BIAS:[^:]+]]: tensor<64xbf16>, %[[OS:[^:]+]]: tensor<f32>)
// CHECK:         linalg.generic {indexing_maps = [#{{.+}}, #[[AGROUP]], #{{.+}}]
// CHECK:         linalg.generic {indexing_maps = [#[[BTRANS]], #[[BGROUP]], #{{.+}}]
// CHECK-SAME:        outs(%{{.+}} : tensor<2x256x64xf32>)
// CHECK:         %[[ACC:.+]] = linalg.generic {indexing_maps = [#[[BMK]], #[[BKN]], #[[BMN]]]
// CHECK-SAME:        iterator_types = ["parallel", "parallel", "reduction", "parallel"]
// CHECK:         %[[D:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #[[COL]], #{{.+}}]
// CHECK-SAME:        ins(%[[ACC]], %[[BIAS]] : tensor<2x128x64xf32>, tensor<64xbf16>)
// CHECK:           %[[WB:.+]] = arith.extf %{{.+}} : bf16 to f32
// CHECK:           arith.addf %{{.+}}, %[[WB]] : f32
// CHECK:         %[[Y:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #[[ALL]], #{{.+}}]
// CHECK-SAME:        ins(%[[D]], %[[OS]] : tensor<2x128x64xf32>, tensor<f32>)
// CHECK:           arith.divf
// CHECK:           arith.maximumf
// CHECK:           arith.minimumf
// CHECK:           arith.truncf %{{.+}} : f32 to f8E4M3FN
// CHECK:         %[[AMAX:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #[[ALL]]]
// CHECK-SAME:        iterator_types = ["reduction", "reduction", "reduction"]
// CHECK-SAME:        ins(%[[D]] : tensor<2x128x64xf32>)
// CHECK:           math.absf
// CHECK:         return %[[Y]], %[[AMAX]]
func.func @matmul_blockwise_epilogue(%a: tensor<2x128x256xf8E4M3FN>, %sa: tensor<2x128x2xf32>, %b: tensor<2x64x256xf8E4M3FN>, %sb: tensor<2x1x2xf32>, %bias: tensor<64xbf16>, %os: tensor<f32>) -> (tensor<2x128x64xf8E4M3FN>, tensor<f32>) {
  %y, %amax = fp8.scaled_matmul %a, %sa, %b, %sb bias(%bias : tensor<64xbf16>) out_scale(%os : tensor<f32>)
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<2x128x256xf8E4M3FN>, tensor<2x128x2xf32>, tensor<2x64x256xf8E4M3FN>, tensor<2x1x2xf32> -> tensor<2x128x64xf8E4M3FN>, tensor<f32>
  return %y, %amax : tensor<2x128x64xf8E4M3FN>, tensor<f32>
}

// -----

// MX GEMM with B stored [K, N] (no transpose) and dynamic M: f32 result is D.

// CHECK-DAG: #[[KGROUP:.+]] = affine_map<(d0, d1) -> (d0 floordiv 32, d1)>
// CHECK-LABEL: func.func @matmul_mx_dynamic(
// CHECK-SAME:      %[[A:[^:]+]]: tensor<?x64xf8E4M3FN>
// CHECK:         %[[M:.+]] = tensor.dim %[[A]], %c0
// CHECK:         tensor.empty(%[[M]]) : tensor<?x64xf32>
// CHECK:         arith.extf %{{.+}} : f8E8M0FNU to f32
// CHECK:         linalg.generic {indexing_maps = [#{{.+}}, #[[KGROUP]], #{{.+}}]
// CHECK:         tensor.empty(%[[M]]) : tensor<?x48xf32>
// CHECK:         %[[D:.+]] = linalg.generic
// CHECK-SAME:        iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-NEXT:    ^bb0
// CHECK:         return %[[D]] : tensor<?x48xf32>
func.func @matmul_mx_dynamic(%a: tensor<?x64xf8E4M3FN>, %sa: tensor<?x2xf8E8M0FNU>, %b: tensor<64x48xf8E4M3FN>, %sb: tensor<2x48xf8E8M0FNU>) -> tensor<?x48xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [32, 1]>}
      : tensor<?x64xf8E4M3FN>, tensor<?x2xf8E8M0FNU>, tensor<64x48xf8E4M3FN>, tensor<2x48xf8E8M0FNU> -> tensor<?x48xf32>
  return %d : tensor<?x48xf32>
}

// -----

// fp8.amax_history_push: entries [0, L-1) move to [1, L), the amax to 0.

// CHECK-LABEL: func.func @history_push(
// CHECK-SAME:      %[[H:.+]]: tensor<16x4xf32>, %[[A:.+]]: tensor<4xf32>)
// CHECK:         %[[EMPTY:.+]] = tensor.empty() : tensor<16x4xf32>
// CHECK:         %[[OLD:.+]] = tensor.extract_slice %[[H]][0, 0] [15, 4] [1, 1]
// CHECK:         %[[MOVED:.+]] = tensor.insert_slice %[[OLD]] into %[[EMPTY]][1, 0] [15, 4] [1, 1]
// CHECK:         %[[NEW:.+]] = tensor.insert_slice %[[A]] into %[[MOVED]][0, 0] [1, 4] [1, 1]
// CHECK-SAME:        tensor<4xf32> into tensor<16x4xf32>
// CHECK:         return %[[NEW]]
func.func @history_push(%h: tensor<16x4xf32>, %a: tensor<4xf32>) -> tensor<16x4xf32> {
  %r = fp8.amax_history_push %h, %a : tensor<16x4xf32>, tensor<4xf32>
  return %r : tensor<16x4xf32>
}

// -----

// CHECK-LABEL: func.func @history_push_dynamic(
// CHECK-SAME:      %[[H:.+]]: tensor<?xf32>, %[[A:.+]]: tensor<f32>)
// CHECK:         %[[L:.+]] = tensor.dim %[[H]], %c0
// CHECK:         %[[KEPT:.+]] = arith.subi %[[L]], %c1
// CHECK:         %[[EMPTY:.+]] = tensor.empty(%[[L]]) : tensor<?xf32>
// CHECK:         tensor.extract_slice %[[H]][0] [%[[KEPT]]] [1]
// CHECK:         tensor.insert_slice %{{.+}} into %[[EMPTY]][1] [%[[KEPT]]] [1]
// CHECK:         tensor.insert_slice %[[A]] into %{{.+}}[0] [1] [1] : tensor<f32> into tensor<?xf32>
func.func @history_push_dynamic(%h: tensor<?xf32>, %a: tensor<f32>) -> tensor<?xf32> {
  %r = fp8.amax_history_push %h, %a : tensor<?xf32>, tensor<f32>
  return %r : tensor<?xf32>
}

// -----

// fp8.scale_from_history: max over dim 0 (from -inf, NaN propagating) or
// entry 0, then the scale_from_amax rule.

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[GROUP:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @scale_from_history(
// CHECK-SAME:      %[[H:.+]]: tensor<16x4xf32>)
// CHECK:         %[[NEGINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[INIT:.+]] = linalg.fill ins(%[[NEGINF]] : f32)
// CHECK:         %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[GROUP]]]
// CHECK-SAME:        iterator_types = ["reduction", "parallel"]
// CHECK-SAME:        ins(%[[H]] : tensor<16x4xf32>) outs(%[[INIT]] : tensor<4xf32>)
// CHECK:           arith.maximumf
// CHECK:         linalg.generic
// CHECK-SAME:        ins(%[[MAX]] : tensor<4xf32>)
// CHECK:           arith.divf
// CHECK:         %[[NEWEST:.+]] = tensor.extract_slice %[[H]][0, 0] [1, 4] [1, 1] : tensor<16x4xf32> to tensor<4xf32>
// CHECK:         linalg.generic
// CHECK-SAME:        ins(%[[NEWEST]] : tensor<4xf32>)
// CHECK:           arith.bitcast
func.func @scale_from_history(%h: tensor<16x4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %m = fp8.scale_from_history %h {algo = #fp8.algo<max>, format = f8E4M3FN} : tensor<16x4xf32> -> tensor<4xf32>
  %r = fp8.scale_from_history %h {algo = #fp8.algo<most_recent>, format = f8E5M2, pow2} : tensor<16x4xf32> -> tensor<4xf32>
  return %m, %r : tensor<4xf32>, tensor<4xf32>
}
