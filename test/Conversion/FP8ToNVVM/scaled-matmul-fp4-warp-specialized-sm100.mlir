// The warp-specialized sm_100a GEMM (gemm-warp-specialize=on) on packed
// FP4. MXFP4 x MXFP4 (.kind::mxf4): the producer warp announces 128 packed
// bytes a row per K step (256 values; (128 + 64) x 128 = 24576 bytes), and
// lane l stages, per scale set (two a step: K groups 8 kt .. and 8 kt + 4
// ..), the words of rows l, l + 32, l + 64, l + 96 as one 16-byte store:
// set 0 at chunk 0 (A) and 1 (B), set 1 at chunks 2 (A, +1024 bytes) and 3
// (B, +1536). The MMA thread copies the four chunks into tensor memory and
// issues four k64 MMAs, scale ids 0, 2, 0, 2 (instruction descriptors as
// in scaled-matmul-mxfp4-sm100.mlir: 0x08900480 = 143656064 and 0x489004A0
// = 1217397920), MMAs 0-1 on set 0, 2-3 on set 1.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=on" --canonicalize | FileCheck %s
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=on gemm-persistent=on" --canonicalize | FileCheck %s --check-prefix=PERSISTENT

// M and N tails (200 x 72, tile 128 x 64).
// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_block1x32_block1x32_200x72x512_tile128x64x128_s2_ws_mxf4(
// CHECK-SAME:    known_block_size = array<i32: 192, 1, 1>
// The producer warp.
// CHECK:         nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c24576_i32
// CHECK:         %[[SET0:.*]] = arith.muli %{{.*}}, %c8 : index
// CHECK:         vector.load %arg1[%{{.*}}] {alignment = 4 : i64} : memref<3200xf8E8M0FNU>, vector<4xf8E8M0FNU>
// CHECK:         llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<4xi32>, !llvm.ptr<3>
// CHECK:         %[[G1:.*]] = arith.muli %{{.*}}, %c8 : index
// CHECK-NEXT:    %[[SET1:.*]] = arith.addi %[[G1]], %c4 : index
// CHECK:         vector.load %arg1[%{{.*}}] {alignment = 4 : i64} : memref<3200xf8E8M0FNU>, vector<4xf8E8M0FNU>
// CHECK:         arith.addi %{{.*}}, %c1024 : index
// CHECK:         llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<4xi32>, !llvm.ptr<3>
// CHECK:         vector.load %arg3[%{{.*}}] {alignment = 4 : i64} : memref<1152xf8E8M0FNU>, vector<4xf8E8M0FNU>
// CHECK:         arith.addi %{{.*}}, %c512 : index
// CHECK:         llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<4xi32>, !llvm.ptr<3>
// CHECK:         arith.addi %{{.*}}, %c1536 : index
// CHECK:         llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<4xi32>, !llvm.ptr<3>
// CHECK:         nvvm.fence.proxy
// CHECK:         nvvm.mbarrier.arrive
// The MMA thread.
// CHECK-COUNT-4: nvvm.tcgen05.cp
// CHECK-NOT:     nvvm.tcgen05.cp
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %c143656064_i32, {{.*}}, %[[A0:.*]], %[[B0:.*]] {blockScale = #nvvm.tcgen05_mma_block_scale<block32>{{.*}}kind = #nvvm.block_scale_kind<mxf4>}
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %c1217397920_i32, {{.*}}, %[[A0]], %[[B0]] {
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %c143656064_i32, {{.*}}, %[[A1:.*]], %[[B1:.*]] {
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %c1217397920_i32, {{.*}}, %[[A1]], %[[B1]] {
// CHECK-NOT:     nvvm.tcgen05.mma.block_scale
// CHECK:         nvvm.tcgen05.commit
// The host: packed TMA maps ([rows, K / 2] bytes).
// CHECK:       memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [200, 256], strides: [256, 1]
// CHECK:       gpu.launch_func {{.*}} threads in (%c192, %c1, %c1)
// PERSISTENT-LABEL: gpu.func @fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_block1x32_block1x32_200x72x512_{{.*}}_ws_persistent_mxf4(
// PERSISTENT-COUNT-4: nvvm.tcgen05.mma.block_scale {{.*}}kind = #nvvm.block_scale_kind<mxf4>
// PERSISTENT-NOT:     nvvm.tcgen05.mma.block_scale
func.func @mxfp4(%a: tensor<200x512xf4E2M1FN>, %sa: tensor<200x16xf8E8M0FNU>, %b: tensor<72x512xf4E2M1FN>, %sb: tensor<72x16xf8E8M0FNU>) -> tensor<200x72xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<200x512xf4E2M1FN>, tensor<200x16xf8E8M0FNU>, tensor<72x512xf4E2M1FN>, tensor<72x16xf8E8M0FNU> -> tensor<200x72xf32>
  return %d : tensor<200x72xf32>
}

// -----

// NVFP4 with [16, 16] weight blocks: four scale sets a step (one per MMA:
// K groups 16 kt + 4 kk ..), B's rows expanded to scale row n / 16 (GEMM
// z = 0: divui by 16; A's four stores, then B's), 8 copies and four kind::mxf4nvf4 MMAs each on its
// own set; the epilogue multiplies by a_global * b_global.
// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_block1x16_block16x16_128x64x256_{{.*}}_ws(
// CHECK:         nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c24576_i32
// CHECK-COUNT-4: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<4xi32>, !llvm.ptr<3>
// CHECK:         arith.divui %{{.*}}, %c16 : index
// CHECK-COUNT-4: llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<4xi32>, !llvm.ptr<3>
// CHECK-NOT:     llvm.store %{{.*}} vector<4xi32>
// CHECK:         nvvm.mbarrier.arrive
// CHECK-COUNT-8: nvvm.tcgen05.cp
// CHECK-NOT:     nvvm.tcgen05.cp
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %[[A0:[^,]*]], %[[B0:[^ ]*]] {blockScale = #nvvm.tcgen05_mma_block_scale<block16>{{.*}}kind = #nvvm.block_scale_kind<mxf4nvf4>}
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %[[A1:[^,]*]], %[[B1:[^ ]*]] {
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %[[A2:[^,]*]], %[[B2:[^ ]*]] {
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %[[A3:[^,]*]], %[[B3:[^ ]*]] {
// CHECK-NOT:     nvvm.tcgen05.mma.block_scale
// CHECK:         memref.load %arg4
// CHECK:         memref.load %arg5
// CHECK:         arith.mulf
// PERSISTENT-LABEL: gpu.func @fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_block1x16_block16x16_128x64x256_{{.*}}_ws_persistent(
// PERSISTENT-COUNT-4: nvvm.tcgen05.mma.block_scale {{.*}}kind = #nvvm.block_scale_kind<mxf4nvf4>
// PERSISTENT-NOT:     nvvm.tcgen05.mma.block_scale
func.func @nvfp4(%a: tensor<128x256xf4E2M1FN>, %sa: tensor<128x16xf8E4M3FN>, %ga: tensor<f32>, %b: tensor<64x256xf4E2M1FN>, %sb: tensor<4x16xf8E4M3FN>, %gb: tensor<f32>) -> tensor<128x64xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb a_global(%ga : tensor<f32>) b_global(%gb : tensor<f32>)
      {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [16, 16]>, transpose_b}
      : tensor<128x256xf4E2M1FN>, tensor<128x16xf8E4M3FN>, tensor<64x256xf4E2M1FN>, tensor<4x16xf8E4M3FN> -> tensor<128x64xf32>
  return %d : tensor<128x64xf32>
}
