// Batched sm_100a GEMMs, as on sm_90a (scaled-matmul-batched.mlir): one GEMM
// per blockIdx.z, TMA over [batch * rows, K] views (GEMM z loads rows
// z * M + tileRow of A and z * N + tileCol of B), D [batch * M, N], row
// scales (and MX scale rows) of GEMM z at rows z * M / z * N.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a" --canonicalize --cse | FileCheck %s
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s -split-input-file --fp8-gpu-pipeline="chip=sm_100a" -o %t.mlir
// RUN: %extract-ptx %t.mlir -o %t
// RUN: %ptxas -arch=sm_100a -v %t/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_rowwise_rowwise_3x200x136x512_tile128x64x128_s4.ptx -o %t/rowwise.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_2x256x256x512_tile128x64x128_s4.ptx -o %t/mx.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS

// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads

// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_rowwise_rowwise_3x200x136x512_tile128x64x128_s4(
// CHECK-SAME:      %[[AMAP:[^:]*]]: !llvm.ptr, %[[SA:[^:]*]]: memref<600xf32>, %[[BMAP:[^:]*]]: !llvm.ptr, %[[SB:[^:]*]]: memref<408xf32>, %[[D:[^:]*]]: memref<81600xbf16>)
// CHECK-SAME:      known_grid_size = array<i32: 2, 3, 3>
// CHECK:         %[[TILEROW:.*]] = arith.muli %block_id_x, %c128
// CHECK:         %[[TILECOL:.*]] = arith.muli %block_id_y, %c64
// CHECK:         %[[Z:.*]] = gpu.block_id z
// CHECK-NEXT:    %[[AROWS:.*]] = arith.muli %[[Z]], %c200
// CHECK-NEXT:    %[[BROWS:.*]] = arith.muli %[[Z]], %c136
// CHECK:         %[[AROW:.*]] = arith.addi %[[AROWS]], %[[TILEROW]]
// CHECK:         %[[AROW32:.*]] = arith.index_cast %[[AROW]] : index to i32
// CHECK-NEXT:    nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[AMAP]], %{{.*}}, box[%c0_i32, %[[AROW32]]]
// CHECK:         %[[BROW:.*]] = arith.addi %[[BROWS]], %[[TILECOL]]
// CHECK:         %[[BROW32:.*]] = arith.index_cast %[[BROW]] : index to i32
// CHECK-NEXT:    nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BMAP]], %{{.*}}, box[%c0_i32, %[[BROW32]]]
// The epilogue: A's row scale at z * 200 + row, B's column scales at
// z * 136 + column, D's rows at z * 200.
// CHECK:         %[[ROW:.*]] = arith.addi %[[TILEROW]], %thread_id_x
// CHECK:         %[[CLAMPED:.*]] = arith.minui %[[ROW]], %c199
// CHECK-NEXT:    %[[SAI:.*]] = arith.addi %[[AROWS]], %[[CLAMPED]]
// CHECK-NEXT:    memref.load %[[SA]][%[[SAI]]] : memref<600xf32>
// CHECK:         %[[SBI:.*]] = arith.addi %[[BROWS]], %{{.*}} : index
// CHECK-NEXT:    memref.load %[[SB]][%[[SBI]]] : memref<408xf32>
// CHECK:         %[[OUTROW:.*]] = arith.addi %[[AROWS]], %[[ROW]]
// CHECK-NEXT:    %[[OUTBASE:.*]] = arith.muli %[[OUTROW]], %c136
// CHECK-NEXT:    %[[OUT:.*]] = arith.addi %[[OUTBASE]], %{{.*}}
// CHECK-NEXT:    vector.store %{{.*}}, %[[D]][%[[OUT]]] {alignment = 16 : i64} : memref<81600xbf16>, vector<8xbf16>
func.func @rowwise(%a: tensor<3x200x512xf8E4M3FN>, %sa: tensor<3x200x1xf32>,
                   %b: tensor<3x136x512xf8E4M3FN>, %sb: tensor<3x136x1xf32>) -> tensor<3x200x136xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<3x200x512xf8E4M3FN>, tensor<3x200x1xf32>, tensor<3x136x512xf8E4M3FN>, tensor<3x136x1xf32>
        -> tensor<3x200x136xbf16>
  return %d : tensor<3x200x136xbf16>
}

// -----

// MXFP8: the scale words of A row r of GEMM z start at (z * 256 + r) * 16.
// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_2x256x256x512_tile128x64x128_s4(
// CHECK-SAME:      known_grid_size = array<i32: 2, 4, 2>
// CHECK:         %[[MZ:.*]] = gpu.block_id z
// CHECK-NEXT:    %[[MAROWS:.*]] = arith.muli %[[MZ]], %c256
// CHECK:         %[[MCLAMPED:.*]] = arith.minui %{{.*}}, %c255
// CHECK-NEXT:    %[[MAROW:.*]] = arith.addi %[[MAROWS]], %[[MCLAMPED]] : index
// CHECK-NEXT:    %[[MSTART:.*]] = arith.muli %[[MAROW]], %c16
func.func @mx(%a: tensor<2x256x512xf8E4M3FN>, %sa: tensor<2x256x16xf8E8M0FNU>,
              %b: tensor<2x256x512xf8E4M3FN>, %sb: tensor<2x256x16xf8E8M0FNU>) -> tensor<2x256x256xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<2x256x512xf8E4M3FN>, tensor<2x256x16xf8E8M0FNU>, tensor<2x256x512xf8E4M3FN>, tensor<2x256x16xf8E8M0FNU>
        -> tensor<2x256x256xbf16>
  return %d : tensor<2x256x256xbf16>
}
