// sm_100a NVFP4 GEMMs: FP4 x FP4 with E4M3 scales of 16 elements and the
// f32 per-tensor scales a_global / b_global, as
// tcgen05.mma.kind::mxf4nvf4.block_scale.block16 (= scale_vec::4X) on the
// Packed storage (two values a byte), so a K step is 128 bytes = 256
// elements per row and each of its four k64 MMAs reads 32 bytes and its own
// scale words. The instruction descriptor is the PTX ISA's ".kind::mxf4nvf4"
// table filled in by hand: atype E2M1 = 1 at bits 7-9 (0x80), btype
// E2M1 = 1 at bits 10-11 (0x400), N >> 3 = 8 at bit 17 (0x100000), scale
// type UE4M3 = 0 at bit 23, M >> 7 = 1 at bit 27 (0x08000000), scale factor
// ids 0 (scale_vec::4X reads whole words), K size bit 31 = 0 (K 64):
// 0x08100480 = 135267456.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a" --canonicalize | FileCheck %s

// Activations [1, 16], weights [16, 16] (the nvfp4 recipe's GEMM), K = 512:
// two K steps.
// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_block1x16_block16x16_128x64x512_tile128x64x128_s2(
// (128 + 64) rows x 128 packed bytes per stage.
// CHECK:         nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c24576_i32
// Per MMA one scale set: A's chunk and B's chunk, 8 copies per K step.
// CHECK-COUNT-8: nvvm.tcgen05.cp
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %c135267456_i32, {{.*}}blockScale = #nvvm.tcgen05_mma_block_scale<block16>{{.*}}kind = #nvvm.block_scale_kind<mxf4nvf4>
// CHECK-COUNT-3: nvvm.tcgen05.mma.block_scale {{.*}}, %c135267456_i32,
// CHECK-NOT:     nvvm.tcgen05.mma.block_scale
// Epilogue: D times a_global * b_global.
// CHECK:         %[[GA:.*]] = memref.load %arg{{[0-9]+}}[%c0] : memref<1xf32>
// CHECK:         %[[GB:.*]] = memref.load %arg{{[0-9]+}}[%c0] : memref<1xf32>
// CHECK:         %[[ALPHA:.*]] = arith.mulf %[[GA]], %[[GB]] : f32
// CHECK:         nvvm.tcgen05.ld
// CHECK:         arith.mulf %{{.*}}, %[[ALPHA]] : f32
// The host: TMA maps over the first half of each buffer, [rows, K / 2]
// bytes, boxes of 128 bytes along K.
// CHECK:       memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [128, 256], strides: [256, 1]
// CHECK:       nvgpu.tma.create.descriptor %{{.*}} box[%c128, %c128] : memref<*xui8>
// CHECK:       memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [64, 256], strides: [256, 1]
// CHECK:       nvgpu.tma.create.descriptor %{{.*}} box[%c64, %c128] : memref<*xui8>
func.func @nvfp4(%a: tensor<128x512xf4E2M1FN>, %sa: tensor<128x32xf8E4M3FN>, %ga: tensor<f32>, %b: tensor<64x512xf4E2M1FN>, %sb: tensor<4x32xf8E4M3FN>, %gb: tensor<f32>) -> tensor<128x64xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb a_global(%ga : tensor<f32>) b_global(%gb : tensor<f32>)
      {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [16, 16]>, transpose_b}
      : tensor<128x512xf4E2M1FN>, tensor<128x32xf8E4M3FN>, tensor<64x512xf4E2M1FN>, tensor<4x32xf8E4M3FN> -> tensor<128x64xf32>
  return %d : tensor<128x64xf32>
}

// -----

// [16, 16] weight scales: B row n reads scale row n / 16.
// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_bf16_block1x16_block16x16_
// CHECK:         arith.divui %{{.*}}, %c16 : index
// CHECK:         nvvm.tcgen05.mma.block_scale
func.func @nvfp4_weight_blocks_tail(%a: tensor<200x256xf4E2M1FN>, %sa: tensor<200x16xf8E4M3FN>, %ga: tensor<f32>, %b: tensor<72x256xf4E2M1FN>, %sb: tensor<5x16xf8E4M3FN>, %gb: tensor<f32>) -> tensor<200x72xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb a_global(%ga : tensor<f32>) b_global(%gb : tensor<f32>)
      {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [16, 16]>, transpose_b}
      : tensor<200x256xf4E2M1FN>, tensor<200x16xf8E4M3FN>, tensor<72x256xf4E2M1FN>, tensor<5x16xf8E4M3FN> -> tensor<200x72xbf16>
  return %d : tensor<200x72xbf16>
}
