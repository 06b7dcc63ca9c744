// sm_100a MXFP4 x MXFP4 GEMMs on packed FP4: an MX FP4 tensor that feeds
// only FP4 x FP4 GEMMs is stored Packed (two values a byte,
// getSubByteStorage) and multiplied by
// tcgen05.mma.kind::mxf4.block_scale.block32 (= scale_vec::2X): a K step is
// 128 bytes = 256 elements per row, each of its four k64 MMAs reads 32
// bytes and two E8M0 scales (one per 32 elements) per row. The scales of a
// K step are 8 per row, two 32-bit words: one scale set (A's chunk, B's
// chunk) per two MMAs, MMA kk reading bytes 2 (kk % 2) and 2 (kk % 2) + 1
// of set kk / 2 (scale factor ids 0, 2, 0, 2). The instruction descriptor
// is the PTX ISA's ".kind::mxf4" table filled in by hand: atype E2M1 = 1 at
// bits 7-9 (0x80), btype E2M1 = 1 at bits 10-11 (0x400), N >> 3 = 8 at bit
// 17 (0x100000), scale type UE8M0 = 1 at bit 23 (0x800000), M >> 7 = 1 at
// bit 27 (0x08000000), K size bit 31 = 0 (K 64): 0x08900480 = 143656064;
// with ids 2 at bits 29-30 (A, 0x40000000) and 4-5 (B, 0x20):
// 0x489004A0 = 1217397920.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a" --canonicalize | FileCheck %s

// Function arguments that feed only this GEMM: Packed. K = 512: two K steps.
// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_block1x32_block1x32_128x64x512_tile128x64x128_s2_mxf4(
// (128 + 64) rows x 128 packed bytes per stage.
// CHECK:         nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c24576_i32
// Scale staging of K step 1 (a refill): the words of K groups 8 kt (set 0)
// and 8 kt + 4 (set 1), one aligned 4-byte load each (16 scale columns a
// row).
// CHECK:         vector.load %arg1[%{{.*}}] {alignment = 4 : i64} : memref<2048xf8E8M0FNU>, vector<4xf8E8M0FNU>
// CHECK:         %[[S1:.*]] = arith.addi %{{.*}}, %c8 : index
// CHECK-NEXT:    vector.load %arg1[%[[S1]]] {alignment = 4 : i64} : memref<2048xf8E8M0FNU>, vector<4xf8E8M0FNU>
// Two scale sets of A's chunk and B's chunk: 4 copies per K step.
// CHECK-COUNT-4: nvvm.tcgen05.cp
// CHECK-NOT:     nvvm.tcgen05.cp
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %c143656064_i32, {{.*}}, %[[A0:.*]], %[[B0:.*]] {blockScale = #nvvm.tcgen05_mma_block_scale<block32>{{.*}}kind = #nvvm.block_scale_kind<mxf4>}
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %c1217397920_i32, {{.*}}, %[[A0]], %[[B0]] {
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %c143656064_i32, {{.*}}, %[[A1:.*]], %[[B1:.*]] {
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %c1217397920_i32, {{.*}}, %[[A1]], %[[B1]] {
// CHECK-NOT:     nvvm.tcgen05.mma.block_scale
// No global scales: the epilogue does not multiply D.
// CHECK-NOT:     memref<1xf32>
// The host: TMA maps over the first half of each buffer, [rows, K / 2]
// bytes, boxes of 128 bytes along K.
// CHECK:       memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [128, 256], strides: [256, 1]
// CHECK:       nvgpu.tma.create.descriptor %{{.*}} box[%c128, %c128] : memref<*xui8>
// CHECK:       memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [64, 256], strides: [256, 1]
// CHECK:       nvgpu.tma.create.descriptor %{{.*}} box[%c64, %c128] : memref<*xui8>
func.func @mxfp4(%a: tensor<128x512xf4E2M1FN>, %sa: tensor<128x16xf8E8M0FNU>, %b: tensor<64x512xf4E2M1FN>, %sb: tensor<64x16xf8E8M0FNU>) -> tensor<128x64xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<128x512xf4E2M1FN>, tensor<128x16xf8E8M0FNU>, tensor<64x512xf4E2M1FN>, tensor<64x16xf8E8M0FNU> -> tensor<128x64xf32>
  return %d : tensor<128x64xf32>
}

// -----

// A ragged K (K = 320, 10 scale groups a row, not a multiple of the 8 a K
// step reads) and M / N tails: the scales byte by byte, groups past K read
// as 127 (2^0) when the second K step is staged (the prologue's first step
// folds to in-range groups).
// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_bf16_block1x32_block1x32_200x72x320_{{.*}}_mxf4(
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}kind = #nvvm.block_scale_kind<mxf4>
// CHECK:         arith.select %{{.*}}, %{{.*}}, %c127_i32 : i32
func.func @mxfp4_ragged_k(%a: tensor<200x320xf4E2M1FN>, %sa: tensor<200x10xf8E8M0FNU>, %b: tensor<72x320xf4E2M1FN>, %sb: tensor<72x10xf8E8M0FNU>) -> tensor<200x72xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<200x320xf4E2M1FN>, tensor<200x10xf8E8M0FNU>, tensor<72x320xf4E2M1FN>, tensor<72x10xf8E8M0FNU> -> tensor<200x72xbf16>
  return %d : tensor<200x72xbf16>
}

// -----

// Quantized in the program: the FP4 x FP4 GEMM's operands are written
// Packed by their quantize kernels (the `_packed` kernels: 8 bytes per 16
// elements at byte offset / 2); the FP4 weights of an FP8 x FP4 GEMM
// (formats=fp4-weights), of the same shape, keep the 16-byte containers of
// .kind::mxf8f6f4 (a kernel of their own). Kernels appear in reverse order.
// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f4E2M1FN_f32_block1x32_block1x32_128x64x256_tile128x64x128_s2(
// CHECK:         kind = #nvvm.block_scale_kind<mxf8f6f4>
// CHECK-LABEL: gpu.func @fp8_quantize_f32_f4E2M1FN_block1x32_64x256_f8E8M0FNU(
// CHECK:         nvvm.convert.f32x2.to.f4x2
// CHECK:         llvm.store %{{.*}} {alignment = 16 : i64} : vector<16xi8>, !llvm.ptr
// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_block1x32_block1x32_128x64x256_tile128x64x128_s1_mxf4(
// CHECK:         kind = #nvvm.block_scale_kind<mxf4>
// CHECK-LABEL: gpu.func @fp8_quantize_f32_f4E2M1FN_block1x32_64x256_f8E8M0FNU_packed(
// CHECK:         nvvm.convert.f32x2.to.f4x2
// CHECK:         arith.divui %{{.*}}, %c2 : index
// CHECK:         llvm.store %{{.*}} {alignment = 8 : i64} : vector<8xi8>, !llvm.ptr
// CHECK-LABEL: gpu.func @fp8_quantize_f32_f4E2M1FN_block1x32_128x256_f8E8M0FNU_packed(
// CHECK:         llvm.store %{{.*}} {alignment = 8 : i64} : vector<8xi8>, !llvm.ptr
func.func @quantized(%x: tensor<128x256xf32>, %sx: tensor<128x8xf8E8M0FNU>, %w: tensor<64x256xf32>, %sw: tensor<64x8xf8E8M0FNU>,
                     %a8: tensor<128x256xf8E4M3FN>, %w2: tensor<64x256xf32>) -> (tensor<128x64xf32>, tensor<128x64xf32>) {
  %q = fp8.quantize %x, %sx {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<128x256xf32>, tensor<128x8xf8E8M0FNU> -> tensor<128x256xf4E2M1FN>
  %qw = fp8.quantize %w, %sw {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<64x256xf32>, tensor<64x8xf8E8M0FNU> -> tensor<64x256xf4E2M1FN>
  %d = fp8.scaled_matmul %q, %sx, %qw, %sw
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<128x256xf4E2M1FN>, tensor<128x8xf8E8M0FNU>, tensor<64x256xf4E2M1FN>, tensor<64x8xf8E8M0FNU> -> tensor<128x64xf32>
  %qw2 = fp8.quantize %w2, %sw {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<64x256xf32>, tensor<64x8xf8E8M0FNU> -> tensor<64x256xf4E2M1FN>
  %d2 = fp8.scaled_matmul %a8, %sx, %qw2, %sw
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<128x8xf8E8M0FNU>, tensor<64x256xf4E2M1FN>, tensor<64x8xf8E8M0FNU> -> tensor<128x64xf32>
  return %d, %d2 : tensor<128x64xf32>, tensor<128x64xf32>
}
