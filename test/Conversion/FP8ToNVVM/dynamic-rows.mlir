// Quantize, dequantize and amax of tensors with dynamic leading dims (the
// token / batch dims): one kernel per static row length, the row count an
// index argument, every bound a multiple of it, no known_grid_size (the
// grid is computed at launch).
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_90a" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a" --canonicalize --cse | FileCheck %s --check-prefix=SM100

// Block [1, 128] quantize of x [?, 256]: 16 f32 (one group) per thread
// chunk, rows * 16 chunks, scale index row * 2 + col / 128.
// CHECK-LABEL: gpu.func @fp8_quantize_f32_f8E4M3FN_block1x128_dx256(
// CHECK-SAME:      %[[IN:[^:]*]]: memref<1099511627776xf32>, %[[S:[^:]*]]: memref<1099511627776xf32>, %[[OUT:[^:]*]]: memref<1099511627776xf8E4M3FN>, %[[ROWS:[^:]*]]: index) kernel
// CHECK-NOT:       known_grid_size
// CHECK:         %[[N:.*]] = arith.muli %[[ROWS]], %c16 : index
// CHECK:         %[[IN_RANGE:.*]] = arith.cmpi ult, %{{.*}}, %[[N]] : index
// CHECK:         scf.if %[[IN_RANGE]]
// CHECK:           memref.load %[[S]]
// CHECK:           arith.divf
// CHECK:           vector.store {{.*}}, %[[OUT]]
//
// The host: rows = dim 0 of x, output allocated for rows * 256 elements,
// grid ceil(rows * 16 / 256), the dynamic buffers cast to the kernel types,
// no launch for 0 rows.
// CHECK-LABEL: func.func @quantize_block(
// CHECK-SAME:      %[[X:.*]]: tensor<?x256xf32>, %[[SC:.*]]: tensor<?x2xf32>)
// CHECK:         %[[M:.*]] = tensor.dim %[[X]], %c0 : tensor<?x256xf32>
// CHECK:         memref.cast %{{.*}} : memref<?xf32> to memref<1099511627776xf32>
// CHECK:         %[[LEN:.*]] = arith.muli %[[M]], %c256 : index
// CHECK:         %[[ALLOC:.*]] = gpu.alloc  host_shared (%[[LEN]]) : memref<?xf8E4M3FN>
// CHECK:         %[[CHUNKS:.*]] = arith.muli %[[M]], %c16 : index
// CHECK:         %[[GRID:.*]] = arith.ceildivui %[[CHUNKS]], %c256 : index
// CHECK:         %[[ANY:.*]] = arith.cmpi ne, %[[M]], %c0 : index
// CHECK:         scf.if %[[ANY]] {
// CHECK-NEXT:      gpu.launch_func @fp8_quantize_f32_f8E4M3FN_block1x128_dx256::@fp8_quantize_f32_f8E4M3FN_block1x128_dx256 blocks in (%[[GRID]], %c1, %c1) threads in (%c256, %c1, %c1)
// CHECK-SAME:      %[[M]] : index
// CHECK:         tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [%[[M]], 256] : tensor<?xf8E4M3FN> into tensor<?x256xf8E4M3FN>
// SM100-LABEL: gpu.func @fp8_quantize_f32_f8E4M3FN_block1x128_dx256(
// SM100-SAME:      memref<1099511627776xf32>, %{{.*}}: memref<1099511627776xf32>, %{{.*}}: memref<1099511627776xf8E4M3FN>, %{{.*}}: index) kernel
func.func @quantize_block(%x: tensor<?x256xf32>, %s: tensor<?x2xf32>) -> tensor<?x256xf8E4M3FN> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 128]>}
      : tensor<?x256xf32>, tensor<?x2xf32> -> tensor<?x256xf8E4M3FN>
  return %q : tensor<?x256xf8E4M3FN>
}

// -----

// Tensor scaling keeps its one f32 scale; batch dims fold into the rows
// (rows = dim 0 * dim 1).
// CHECK-LABEL: gpu.func @fp8_quantize_bf16_f8E5M2_tensor_dxdx64(
// CHECK-SAME:      memref<1099511627776xbf16>, %{{.*}}: memref<1xf32>, %{{.*}}: memref<1099511627776xf8E5M2>, %[[ROWS:[^:]*]]: index) kernel
// CHECK:         arith.muli %[[ROWS]], %c4 : index
// CHECK-LABEL: func.func @quantize_tensor_batched(
// CHECK:         %[[D0:.*]] = tensor.dim %{{.*}}, %c0 : tensor<?x?x64xbf16>
// CHECK:         %[[D1:.*]] = tensor.dim %{{.*}}, %c1 : tensor<?x?x64xbf16>
// CHECK:         %[[M:.*]] = arith.muli %[[D0]], %[[D1]] : index
// CHECK:         gpu.launch_func
// CHECK-SAME:      %[[M]] : index
func.func @quantize_tensor_batched(%x: tensor<?x?x64xbf16>, %s: tensor<f32>) -> tensor<?x?x64xf8E5M2> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<?x?x64xbf16>, tensor<f32> -> tensor<?x?x64xf8E5M2>
  return %q : tensor<?x?x64xf8E5M2>
}

// -----

// MXFP8 quantize: E8M0 scales, one per 32 elements of a row.
// CHECK-LABEL: gpu.func @fp8_quantize_f32_f8E4M3FN_block1x32_dx256_f8E8M0FNU(
// CHECK-SAME:      memref<1099511627776xf8E8M0FNU>
// CHECK-SAME:      index) kernel
func.func @quantize_mxfp8(%x: tensor<?x256xf32>, %s: tensor<?x8xf8E8M0FNU>) -> tensor<?x256xf8E4M3FN> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<?x256xf32>, tensor<?x8xf8E8M0FNU> -> tensor<?x256xf8E4M3FN>
  return %q : tensor<?x256xf8E4M3FN>
}

// -----

// CHECK-LABEL: gpu.func @fp8_dequantize_f8E4M3FN_bf16_rowwise_dx128(
// CHECK-SAME:      index) kernel
func.func @dequantize_rowwise(%q: tensor<?x128xf8E4M3FN>, %s: tensor<?x1xf32>) -> tensor<?x128xbf16> {
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<rowwise>}
      : tensor<?x128xf8E4M3FN>, tensor<?x1xf32> -> tensor<?x128xbf16>
  return %x : tensor<?x128xbf16>
}

// -----

// Tensor amax: the grid-stride loop runs to rows * 64 chunks with the
// launched grid's stride (gpu.grid_dim), the grid min(ceil(rows * 64 /
// 1024), 264) CTAs.
// CHECK-LABEL: gpu.func @fp8_amax_f32_tensor_dx256(
// CHECK-SAME:      %[[ROWS:[^:]*]]: index) workgroup
// CHECK-NOT:       known_grid_size
// CHECK:         %[[END:.*]] = arith.muli %[[ROWS]], %c64 : index
// CHECK:         %[[GRID:.*]] = gpu.grid_dim x
// CHECK:         %[[STEP:.*]] = arith.muli %[[GRID]], %c256 : index
// CHECK:         scf.for %{{.*}} = %{{.*}} to %[[END]] step %[[STEP]]
// CHECK-LABEL: func.func @amax_tensor(
// CHECK:         %[[M:.*]] = tensor.dim
// CHECK:         gpu.memset
// CHECK:         %[[C:.*]] = arith.muli %[[M]], %c64 : index
// CHECK:         %[[G:.*]] = arith.ceildivui %[[C]], %c1024 : index
// CHECK:         %[[GRID_X:.*]] = arith.minui %[[G]], %c264 : index
// CHECK:         gpu.launch_func {{.*}} blocks in (%[[GRID_X]], %c1, %c1)
func.func @amax_tensor(%x: tensor<?x256xf32>) -> tensor<f32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<?x256xf32> -> tensor<f32>
  return %a : tensor<f32>
}

// -----

// Rowwise amax: rows groups, 32 lanes a group, 8 groups per CTA.
// CHECK-LABEL: gpu.func @fp8_amax_bf16_rowwise_dx512(
// CHECK-SAME:      %[[ROWS:[^:]*]]: index) kernel
// CHECK:         arith.cmpi ult, %{{.*}}, %[[ROWS]] : index
// CHECK-LABEL: func.func @amax_rowwise(
// CHECK:         %[[M:.*]] = tensor.dim
// CHECK:         %[[G:.*]] = arith.ceildivui %[[M]], %c8 : index
// CHECK:         gpu.launch_func {{.*}} blocks in (%[[G]], %c1, %c1)
// CHECK:         tensor.expand_shape %{{.*}} output_shape [%[[M]], 1]
func.func @amax_rowwise(%x: tensor<?x512xbf16>) -> tensor<?x1xf32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<?x512xbf16> -> tensor<?x1xf32>
  return %a : tensor<?x1xf32>
}
