// Structure of the fp8.dequantize kernels.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_90a" --canonicalize --cse | FileCheck %s

// Each thread loads 16 FP8 bytes with one 16-byte load, decodes pairs
// exactly to f16 with cvt.rn.f16x2.e5m2x2, multiplies by the row's scale in
// f32 and stores 16 f32.

// CHECK-LABEL: gpu.func @fp8_dequantize_f8E5M2_f32_rowwise_128x256(
// CHECK-SAME:      %[[IN:.*]]: memref<32768xf8E5M2>, %[[SCALES:.*]]: memref<128xf32>, %[[OUT:.*]]: memref<32768xf32>) kernel
// CHECK-SAME:      known_grid_size = array<i32: 8, 1, 1>
// CHECK:         %[[OFF:.*]] = arith.muli %{{.*}}, %c16 : index
// CHECK:         %[[ROW:.*]] = arith.divui %[[OFF]], %c256 : index
// CHECK:         %[[S:.*]] = memref.load %[[SCALES]][%[[ROW]]] : memref<128xf32>
// CHECK:         %[[Q:.*]] = vector.load %[[IN]][%[[OFF]]] {alignment = 16 : i64} : memref<32768xf8E5M2>, vector<16xf8E5M2>
// CHECK:         %[[PAIRS:.*]] = vector.bitcast %[[Q]] : vector<16xf8E5M2> to vector<8xi16>
// CHECK:         %[[P0:.*]] = vector.extract %[[PAIRS]][0] : i16 from vector<8xi16>
// CHECK:         %[[B0:.*]] = vector.bitcast %{{.*}} : vector<1xi16> to vector<2xi8>
// CHECK:         %[[H0:.*]] = nvvm.convert.f8x2.to.f16x2 %[[B0]] : vector<2xi8>(f8E5M2) -> vector<2xf16>
// CHECK:         %[[E0:.*]] = vector.extract %[[H0]][0] : f16 from vector<2xf16>
// CHECK:         %[[F0:.*]] = arith.extf %[[E0]] : f16 to f32
// CHECK:         %[[X0:.*]] = arith.mulf %[[F0]], %[[S]] : f32
// CHECK-COUNT-7: nvvm.convert.f8x2.to.f16x2
// CHECK:         %[[X:.*]] = vector.from_elements %[[X0]], {{.*}} : vector<16xf32>
// CHECK:         vector.store %[[X]], %[[OUT]][%[[OFF]]] {alignment = 16 : i64} : memref<32768xf32>, vector<16xf32>
func.func @rowwise_f32(%q: tensor<128x256xf8E5M2>, %s: tensor<128x1xf32>) -> tensor<128x256xf32> {
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<rowwise>}
      : tensor<128x256xf8E5M2>, tensor<128x1xf32> -> tensor<128x256xf32>
  return %x : tensor<128x256xf32>
}

// -----

// A bf16 result rounds the f32 product once (cvt.rn.bf16.f32).

// CHECK-LABEL: gpu.func @fp8_dequantize_f8E4M3FN_bf16_tensor_4x8x32(
// CHECK-SAME:      memref<1024xf8E4M3FN>, %{{.*}}: memref<1xf32>, %[[OUT:.*]]: memref<1024xbf16>)
// CHECK:         nvvm.convert.f8x2.to.f16x2 %{{.*}} : vector<2xi8>(f8E4M3FN) -> vector<2xf16>
// CHECK:         %[[P:.*]] = arith.mulf
// CHECK:         arith.truncf %[[P]] : f32 to bf16
// CHECK:         vector.store %{{.*}}, %[[OUT]][%{{.*}}] {alignment = 16 : i64} : memref<1024xbf16>, vector<16xbf16>
// CHECK-LABEL: func.func @batched_bf16
// CHECK:         tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2]] : tensor<4x8x32xf8E4M3FN> into tensor<1024xf8E4M3FN>
// CHECK:         tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2]] output_shape [4, 8, 32] : tensor<1024xbf16> into tensor<4x8x32xbf16>
func.func @batched_bf16(%q: tensor<4x8x32xf8E4M3FN>, %s: tensor<f32>) -> tensor<4x8x32xbf16> {
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<tensor>}
      : tensor<4x8x32xf8E4M3FN>, tensor<f32> -> tensor<4x8x32xbf16>
  return %x : tensor<4x8x32xbf16>
}
