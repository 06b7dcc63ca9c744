// sm_100a GEMMs on FP6 / FP4 operands with MX [1, 32] E8M0 scales:
// tcgen05.mma.kind::mxf8f6f4.block_scale.block32 (scale_vec::1X) on the
// 16-byte containers of the Padded16 storage, so a K step of 128 elements
// is 128 bytes per row as for FP8. The instruction descriptors below are
// the PTX ISA's ".kind::mxf8f6f4" table filled in by hand: A format bits
// 7-9, B format bits 10-12 (E4M3 0, E2M3 3, E3M2 4, E2M1 5), N >> 3 = 8
// at bit 17, UE8M0 scales bit 23, M >> 7 = 1 at bit 27, and the scale
// factor ids j (byte j of the scale words) at bits 4-5 (B) and 29-30 (A).
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a" --canonicalize | FileCheck %s

// E2M3 x E3M2 (an mxfp6 gradient GEMM): 0x08901180 | j << 29 | j << 4.
// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f6E2M3FN_f6E3M2FN_f32_block1x32_block1x32_128x64x256_tile128x64x128_s2(
// (128 + 64) rows x 128 bytes per stage.
// CHECK:         nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c24576_i32
// CHECK:         nvvm.tcgen05.cp
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %c143659392_i32, {{.*}}kind = #nvvm.block_scale_kind<mxf8f6f4>
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %c680530320_i32,
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %c1217401248_i32,
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %c1754272176_i32,
func.func @mxfp6_grad(%a: tensor<128x256xf6E2M3FN>, %sa: tensor<128x8xf8E8M0FNU>, %b: tensor<64x256xf6E3M2FN>, %sb: tensor<64x8xf8E8M0FNU>) -> tensor<128x64xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<128x256xf6E2M3FN>, tensor<128x8xf8E8M0FNU>, tensor<64x256xf6E3M2FN>, tensor<64x8xf8E8M0FNU> -> tensor<128x64xf32>
  return %d : tensor<128x64xf32>
}

// -----

// MXFP8 activations x MXFP4 weights (mxfp4,formats=fp4-weights):
// 0x08901400 | j << 29 | j << 4; the TMA map of B reads bytes.
// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f4E2M1FN_f32_block1x32_block1x32_128x64x256_tile128x64x128_s2(
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %c143660032_i32,
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %c1754272816_i32,
// CHECK:       nvgpu.tma.create.descriptor %{{.*}} box[%c128, %c128] : memref<*xui8>
// CHECK:       nvgpu.tma.create.descriptor %{{.*}} box[%c64, %c128] : memref<*xui8>
func.func @fp4_weights(%a: tensor<128x256xf8E4M3FN>, %sa: tensor<128x8xf8E8M0FNU>, %b: tensor<64x256xf4E2M1FN>, %sb: tensor<64x8xf8E8M0FNU>) -> tensor<128x64xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<128x8xf8E8M0FNU>, tensor<64x256xf4E2M1FN>, tensor<64x8xf8E8M0FNU> -> tensor<128x64xf32>
  return %d : tensor<128x64xf32>
}
