// Batched sm_90a GEMMs: one GEMM per blockIdx.z. TMA sees A as
// [batch * M, K] and B as [batch * N, K] (the host collapses the batch
// dims), so GEMM z loads rows z * M + tileRow of A and z * N + tileCol of B;
// D is [batch * M, N]; row scales move by one GEMM's scales (M of A's, N of
// B's) per z. Ragged M = 200 and N = 136: a tile running past M or N reads
// the next GEMM's rows, which only reach D rows/columns that are masked.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu --canonicalize --cse | FileCheck %s
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s -split-input-file --fp8-gpu-pipeline="chip=sm_90a" -o %t.mlir
// RUN: %extract-ptx %t.mlir -o %t
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_rowwise_rowwise_4x200x136x512_tile128x64x128_s4.ptx -o %t/rowwise.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_16x512x512x1024_tile128x128x128_s6_ws_c2x1.ptx -o %t/blockwise.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=MANIFEST < %t/manifest.json

// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_rowwise_rowwise_4x200x136x512_tile128x64x128_s4(
// CHECK-SAME:      %[[AMAP:[^:]*]]: !llvm.ptr, %[[SA:[^:]*]]: memref<800xf32>, %[[BMAP:[^:]*]]: !llvm.ptr, %[[SB:[^:]*]]: memref<544xf32>, %[[D:[^:]*]]: memref<108800xbf16>)
// CHECK-SAME:      known_grid_size = array<i32: 2, 3, 4>
// CHECK:         %[[Z:.*]] = gpu.block_id z
// CHECK-NEXT:    %[[TILEROW:.*]] = arith.muli %block_id_x, %c128
// CHECK-NEXT:    %[[TILECOL:.*]] = arith.muli %block_id_y, %c64
// CHECK-NEXT:    %[[AROWS:.*]] = arith.muli %[[Z]], %c200
// CHECK-NEXT:    %[[BROWS:.*]] = arith.muli %[[Z]], %c136
// The first K step's loads: rows AROWS + tileRow of A, BROWS + tileCol of B.
// CHECK:         %[[AROW:.*]] = arith.addi %[[AROWS]], %[[TILEROW]]
// CHECK:         %[[BROW:.*]] = arith.addi %[[BROWS]], %[[TILECOL]]
// CHECK:         %[[AROW32:.*]] = arith.index_cast %[[AROW]] : index to i32
// CHECK-NEXT:    nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[AMAP]], %{{.*}}, box[%c0_i32, %[[AROW32]]]
// CHECK:         %[[BROW32:.*]] = arith.index_cast %[[BROW]] : index to i32
// CHECK-NEXT:    nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BMAP]], %{{.*}}, box[%c0_i32, %[[BROW32]]]
// Row scales of GEMM z: index row + z * 200 for A, column + z * 136 for B
// (clamped into the buffer for the masked rows and columns).
// CHECK:         %[[SAI:.*]] = arith.addi %{{.*}}, %[[AROWS]] : index
// CHECK-NEXT:    %[[SAC:.*]] = arith.minui %[[SAI]], %c799
// CHECK-NEXT:    memref.load %[[SA]][%[[SAC]]] : memref<800xf32>
// CHECK:         %[[SBI:.*]] = arith.addi %{{.*}}, %[[BROWS]] : index
// CHECK-NEXT:    %[[SBC:.*]] = arith.minui %[[SBI]], %c543
// CHECK-NEXT:    memref.load %[[SB]][%[[SBC]]] : memref<544xf32>
// D's rows of GEMM z start at z * 200.
// CHECK:         %[[OUTROW:.*]] = arith.addi %[[AROWS]], %{{.*}} : index
// CHECK-NEXT:    %[[OUTBASE:.*]] = arith.muli %[[OUTROW]], %c136
// CHECK-NEXT:    %[[OUT:.*]] = arith.addi %[[OUTBASE]], %{{.*}} : index
// CHECK-NEXT:    vector.store %{{.*}}, %[[D]][%[[OUT]]] {alignment = 16 : i64} : memref<108800xbf16>, vector<8xbf16>

// The host collapses the batch dims for the descriptors and launches one
// grid z per GEMM.
// CHECK-LABEL: func.func @batched(
// CHECK:         memref.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : memref<4x200x512xui8> into memref<800x512xui8>
// CHECK:         nvgpu.tma.create.descriptor %{{.*}} box[%c128, %c128]
// CHECK:         memref.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : memref<4x136x512xui8> into memref<544x512xui8>
// CHECK:         nvgpu.tma.create.descriptor %{{.*}} box[%c64, %c128]
// CHECK:         gpu.launch_func @{{.*}} blocks in (%c2, %c3, %c4)

// MANIFEST: "grid": [
// MANIFEST-NEXT: 2,
// MANIFEST-NEXT: 3,
// MANIFEST-NEXT: 4
// MANIFEST: "global_dim": [
// MANIFEST-NEXT: 512,
// MANIFEST-NEXT: 800
// MANIFEST: "global_dim": [
// MANIFEST-NEXT: 512,
// MANIFEST-NEXT: 544

// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
func.func @batched(%a: tensor<4x200x512xf8E4M3FN>, %sa: tensor<4x200x1xf32>,
                   %b: tensor<4x136x512xf8E4M3FN>, %sb: tensor<4x136x1xf32>) -> tensor<4x200x136xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<4x200x512xf8E4M3FN>, tensor<4x200x1xf32>, tensor<4x136x512xf8E4M3FN>, tensor<4x136x1xf32>
        -> tensor<4x200x136xbf16>
  return %d : tensor<4x200x136xbf16>
}

// -----

// Two batch dims (2 x 8 GEMMs) with DeepSeek-style block scales: the
// heuristic counts the CTAs of all 16 GEMMs (16 x 4 x 4 >= 132: warp
// specialization, a 2x1 cluster); block scales move by 4 x 8 of A's and
// 4 x 8 of B's per z.
// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_16x512x512x1024_tile128x128x128_s6_ws_c2x1(
// CHECK-SAME:      known_grid_size = array<i32: 4, 4, 16>
// CHECK:         %[[Z2:.*]] = gpu.block_id z
// CHECK:         arith.muli %[[Z2]], %c32 : index
func.func @blockwise(%a: tensor<2x8x512x1024xf8E4M3FN>, %sa: tensor<2x8x512x8xf32>,
                     %b: tensor<2x8x512x1024xf8E4M3FN>, %sb: tensor<2x8x4x8xf32>) -> tensor<2x8x512x512xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<2x8x512x1024xf8E4M3FN>, tensor<2x8x512x8xf32>, tensor<2x8x512x1024xf8E4M3FN>, tensor<2x8x4x8xf32>
        -> tensor<2x8x512x512xbf16>
  return %d : tensor<2x8x512x512xbf16>
}
