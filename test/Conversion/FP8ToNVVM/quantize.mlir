// Structure of the fp8.quantize kernels and of their launch.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_90a" --canonicalize --cse | FileCheck %s

// One scale for the tensor: each thread converts 16 f32 (four 16-byte
// loads) into one 16-byte store; 131072 / 16 chunks over 256-thread CTAs.

// CHECK-LABEL: gpu.module @fp8_quantize_f32_f8E4M3FN_tensor_256x512
// CHECK:       gpu.func @fp8_quantize_f32_f8E4M3FN_tensor_256x512(
// CHECK-SAME:      %[[IN:.*]]: memref<131072xf32>, %[[SCALE:.*]]: memref<1xf32>, %[[OUT:.*]]: memref<131072xf8E4M3FN>) kernel
// CHECK-SAME:      known_block_size = array<i32: 256, 1, 1>, known_grid_size = array<i32: 32, 1, 1>
// CHECK:         %[[CHUNK:.*]] = arith.addi
// CHECK:         %[[GUARD:.*]] = arith.cmpi ult, %[[CHUNK]], %c8192
// CHECK:         scf.if %[[GUARD]] {
// CHECK:           %[[OFF:.*]] = arith.muli %[[CHUNK]], %c16
// CHECK:           %[[S:.*]] = memref.load %[[SCALE]][%c0]
// CHECK:           %[[X:.*]] = vector.load %[[IN]][%[[OFF]]] {alignment = 16 : i64} : memref<131072xf32>, vector<16xf32>
// CHECK:           %[[X0:.*]] = vector.extract %[[X]][0]
// CHECK:           %[[Y0:.*]] = arith.divf %[[X0]], %[[S]] : f32
// CHECK:           %[[X1:.*]] = vector.extract %[[X]][1]
// CHECK:           %[[Y1:.*]] = arith.divf %[[X1]], %[[S]] : f32
// The first element goes to the low byte: PTX packs operand `b` there.
// CHECK:           %[[P0:.*]] = nvvm.convert.f32x2.to.f8x2 %[[Y1]], %[[Y0]] {rnd = #nvvm.fp_rnd_mode<rn>, sat = #nvvm.sat_mode<satfinite>} : i16(f8E4M3FN)
// CHECK-COUNT-7:   nvvm.convert.f32x2.to.f8x2
// CHECK:           %[[PACKED:.*]] = vector.from_elements %[[P0]], {{.*}} : vector<8xi16>
// CHECK:           %[[Q:.*]] = vector.bitcast %[[PACKED]] : vector<8xi16> to vector<16xf8E4M3FN>
// CHECK:           vector.store %[[Q]], %[[OUT]][%[[OFF]]] {alignment = 16 : i64}
// CHECK:         gpu.return

// CHECK-LABEL: func.func @tensor_f32(
// CHECK-SAME:      %[[X:.*]]: tensor<256x512xf32>, %[[S:.*]]: tensor<f32>)
// CHECK:         %[[XF:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1]] : tensor<256x512xf32> into tensor<131072xf32>
// CHECK:         %[[XB:.*]] = bufferization.to_buffer %[[XF]] read_only : tensor<131072xf32> to memref<131072xf32>
// CHECK:         %[[SF:.*]] = tensor.expand_shape %[[S]] [] output_shape [1] : tensor<f32> into tensor<1xf32>
// CHECK:         %[[SB:.*]] = bufferization.to_buffer %[[SF]] read_only
// CHECK:         %[[OUT:.*]] = gpu.alloc host_shared () : memref<131072xf8E4M3FN>
// CHECK:         gpu.launch_func @fp8_quantize_f32_f8E4M3FN_tensor_256x512::@fp8_quantize_f32_f8E4M3FN_tensor_256x512
// CHECK-SAME:        blocks in (%c32, %c1, %c1) threads in (%c256, %c1, %c1)
// CHECK-SAME:        args(%[[XB]] : memref<131072xf32>, %[[SB]] : memref<1xf32>, %[[OUT]] : memref<131072xf8E4M3FN>)
// CHECK:         %[[T:.*]] = bufferization.to_tensor %[[OUT]] restrict writable
// CHECK:         %[[R:.*]] = tensor.expand_shape %[[T]] {{\[\[}}0, 1]] output_shape [256, 512]
// CHECK:         return %[[R]] : tensor<256x512xf8E4M3FN>
func.func @tensor_f32(%x: tensor<256x512xf32>, %s: tensor<f32>) -> tensor<256x512xf8E4M3FN> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<256x512xf32>, tensor<f32> -> tensor<256x512xf8E4M3FN>
  return %q : tensor<256x512xf8E4M3FN>
}

// -----

// MX block scaling with E8M0 scales: chunks of 16 stay inside a [1, 32]
// group; the scale of chunk (row, col) is scale[row * 3 + col / 32],
// decoded to 2^(e - 127) (e = 0: 0x00400000, e = 0xFF: NaN).

// CHECK-LABEL: gpu.func @fp8_quantize_bf16_f8E4M3FN_block1x32_64x96_f8E8M0FNU(
// CHECK-SAME:      memref<6144xbf16>, %[[SCALES:.*]]: memref<192xf8E8M0FNU>, %{{.*}}: memref<6144xf8E4M3FN>)
// CHECK:         %[[OFF:.*]] = arith.muli %{{.*}}, %c16 : index
// CHECK:         %[[ROW:.*]] = arith.divui %[[OFF]], %c96
// CHECK:         %[[COL:.*]] = arith.remui %[[OFF]], %c96
// CHECK:         %[[GCOL:.*]] = arith.divui %[[COL]], %c32
// CHECK:         %[[GROW:.*]] = arith.muli %[[ROW]], %c3
// CHECK:         %[[IDX:.*]] = arith.addi %[[GROW]], %[[GCOL]]
// CHECK:         %[[E8:.*]] = memref.load %[[SCALES]][%[[IDX]]]
// CHECK:         %[[BYTE:.*]] = arith.bitcast %[[E8]] : f8E8M0FNU to i8
// CHECK:         %[[E:.*]] = arith.extui %[[BYTE]] : i8 to i32
// CHECK:         %[[POW:.*]] = arith.shli %[[E]], %c23_i32
// CHECK:         %[[BITS:.*]] = arith.select %{{.*}}, %c4194304_i32, %[[POW]]
// CHECK:         %[[BITS2:.*]] = arith.select %{{.*}}, %c2143289344_i32, %[[BITS]]
// CHECK:         %[[SCALE:.*]] = arith.bitcast %[[BITS2]] : i32 to f32
// CHECK:         vector.load {{.*}} : memref<6144xbf16>, vector<16xbf16>
// CHECK:         %[[W:.*]] = arith.extf %{{.*}} : bf16 to f32
// CHECK:         arith.divf %[[W]], %[[SCALE]] : f32
// CHECK-COUNT-8: nvvm.convert.f32x2.to.f8x2
// CHECK:         vector.store {{.*}} : memref<6144xf8E4M3FN>, vector<16xf8E4M3FN>
func.func @block_mx(%x: tensor<64x96xbf16>, %s: tensor<64x3xf8E8M0FNU>) -> tensor<64x96xf8E4M3FN> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<64x96xbf16>, tensor<64x3xf8E8M0FNU> -> tensor<64x96xf8E4M3FN>
  return %q : tensor<64x96xf8E4M3FN>
}

// -----

// An odd row length leaves chunks of one element; saturate = false maps
// overflow (|y| >= 61440 for E5M2) to +-inf (0x7C with the sign bit).

// CHECK-LABEL: gpu.func @fp8_quantize_f16_f8E5M2_rowwise_3x5_nosat(
// CHECK-SAME:      %[[IN:.*]]: memref<15xf16>, %[[SCALES:.*]]: memref<3xf32>, %[[OUT:.*]]: memref<15xf8E5M2>)
// CHECK:         %[[ROW:.*]] = arith.divui %[[OFF:.*]], %c5
// CHECK:         memref.load %[[SCALES]][%[[ROW]]]
// CHECK:         vector.load %[[IN]][%[[OFF]]] {alignment = 2 : i64} : memref<15xf16>, vector<1xf16>
// CHECK:         %[[Y:.*]] = arith.divf
// CHECK:         %[[P:.*]] = nvvm.convert.f32x2.to.f8x2 %{{.*}}, %[[Y]] {{.*}} : i16(f8E5M2)
// CHECK:         %[[MAG:.*]] = arith.bitcast %{{.*}} : i32 to f32
// CHECK:         %[[OVER:.*]] = arith.cmpf oge, %[[MAG]], %cst{{.*}} : f32
// CHECK:         %[[INF:.*]] = arith.ori %{{.*}}, %c124_i32
// CHECK:         %[[INF16:.*]] = arith.trunci %[[INF]] : i32 to i16
// CHECK:         arith.select %[[OVER]], %[[INF16]], %{{.*}} : i16
// CHECK:         vector.store %{{.*}}, %[[OUT]][%[[OFF]]] {alignment = 1 : i64} : memref<15xf8E5M2>, vector<1xf8E5M2>
func.func @odd_rowwise(%x: tensor<3x5xf16>, %s: tensor<3x1xf32>) -> tensor<3x5xf8E5M2> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>, saturate = false}
      : tensor<3x5xf16>, tensor<3x1xf32> -> tensor<3x5xf8E5M2>
  return %q : tensor<3x5xf8E5M2>
}

// -----

// Equal ops share one kernel; the launches reuse it.

// CHECK-LABEL: gpu.module @fp8_quantize_f32_f8E5M2_tensor_16x16
// CHECK-NOT:   gpu.module
// CHECK-LABEL: func.func @shared_kernel
// CHECK:         gpu.launch_func @fp8_quantize_f32_f8E5M2_tensor_16x16::@fp8_quantize_f32_f8E5M2_tensor_16x16
// CHECK:         gpu.launch_func @fp8_quantize_f32_f8E5M2_tensor_16x16::@fp8_quantize_f32_f8E5M2_tensor_16x16
func.func @shared_kernel(%x: tensor<16x16xf32>, %y: tensor<16x16xf32>, %s: tensor<f32>)
    -> (tensor<16x16xf8E5M2>, tensor<16x16xf8E5M2>) {
  %a = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<16x16xf32>, tensor<f32> -> tensor<16x16xf8E5M2>
  %b = fp8.quantize %y, %s {scaling = #fp8.scaling<tensor>}
      : tensor<16x16xf32>, tensor<f32> -> tensor<16x16xf8E5M2>
  return %a, %b : tensor<16x16xf8E5M2>, tensor<16x16xf8E5M2>
}
