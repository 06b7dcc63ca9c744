// The CTA-per-group fused amax/scale/quantize kernels (wide rows, [1, c]
// with large c, [128, 128] blocks, ragged edges) assemble for sm_90a and
// sm_100a without spills: 16-byte loads of the group kept in registers,
// the warp reduction (shuffles; redux.sync on sm_100a), one st.shared /
// bar.sync / ld.shared exchange between warps, the paired FP8 converts,
// 16-byte stores (4-byte ones for rows of 300) and one scale store.
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a" | %extract-ptx -o %t/sm90
// RUN: fp8-opt %s --fp8-gpu-pipeline="chip=sm_100a" | %extract-ptx -o %t/sm100

// RUN: FileCheck %s --check-prefix=ROWWISE < %t/sm90/fp8_fused_quantize_f32_f8E4M3FN_rowwise_8x4096_f32_f8E4M3FN.ptx
// RUN: %ptxas -arch=sm_90a -v %t/sm90/fp8_fused_quantize_f32_f8E4M3FN_rowwise_8x4096_f32_f8E4M3FN.ptx -o %t/rowwise.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=ROWWISE-BF16 < %t/sm90/fp8_fused_quantize_bf16_f8E5M2_rowwise_16x8192_f32_f8E5M2_m1_pow2_nosat.ptx
// RUN: %ptxas -arch=sm_90a -v %t/sm90/fp8_fused_quantize_bf16_f8E5M2_rowwise_16x8192_f32_f8E5M2_m1_pow2_nosat.ptx -o %t/rowwise-bf16.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=BLOCKS < %t/sm90/fp8_fused_quantize_bf16_f8E4M3FN_block128x128_256x384_f32_f8E4M3FN.ptx
// RUN: %ptxas -arch=sm_90a -v %t/sm90/fp8_fused_quantize_bf16_f8E4M3FN_block128x128_256x384_f32_f8E4M3FN.ptx -o %t/blocks.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=RAGGED < %t/sm90/fp8_fused_quantize_f32_f8E4M3FN_block128x128_200x300_f32_f8E4M3FN.ptx
// RUN: %ptxas -arch=sm_90a -v %t/sm90/fp8_fused_quantize_f32_f8E4M3FN_block128x128_200x300_f32_f8E4M3FN.ptx -o %t/ragged.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t/sm90/fp8_fused_quantize_f32_f8E5M2_block128x128_2x200x320_f32_f8E5M2.ptx -o %t/batched.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t/sm90/fp8_fused_quantize_f16_f8E4M3FN_block1x2048_32x4096_f32_f8E4M3FN.ptx -o %t/block1x2048.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS

// sm_100a: the same kernels with redux.sync, for every kernel.
// RUN: FileCheck %s --check-prefix=SM100 < %t/sm100/fp8_fused_quantize_bf16_f8E4M3FN_block128x128_256x384_f32_f8E4M3FN.ptx
// RUN: %ptxas -arch=sm_100a -v %t/sm100/fp8_fused_quantize_f32_f8E4M3FN_rowwise_8x4096_f32_f8E4M3FN.ptx -o %t/rowwise100.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS100
// RUN: %ptxas -arch=sm_100a -v %t/sm100/fp8_fused_quantize_bf16_f8E5M2_rowwise_16x8192_f32_f8E5M2_m1_pow2_nosat.ptx -o %t/rowwise-bf16-100.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS100
// RUN: %ptxas -arch=sm_100a -v %t/sm100/fp8_fused_quantize_bf16_f8E4M3FN_block128x128_256x384_f32_f8E4M3FN.ptx -o %t/blocks100.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS100
// RUN: %ptxas -arch=sm_100a -v %t/sm100/fp8_fused_quantize_f32_f8E4M3FN_block128x128_200x300_f32_f8E4M3FN.ptx -o %t/ragged100.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS100
// RUN: %ptxas -arch=sm_100a -v %t/sm100/fp8_fused_quantize_f32_f8E5M2_block128x128_2x200x320_f32_f8E5M2.ptx -o %t/batched100.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS100
// RUN: %ptxas -arch=sm_100a -v %t/sm100/fp8_fused_quantize_f16_f8E4M3FN_block1x2048_32x4096_f32_f8E4M3FN.ptx -o %t/block1x2048-100.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS100

// ROWWISE: .visible .entry fp8_fused_quantize_f32_f8E4M3FN_rowwise_8x4096_f32_f8E4M3FN(
// ROWWISE: .maxntid 128, 1, 1
// ROWWISE-COUNT-8: ld.global.v4.b32
// ROWWISE-COUNT-5: shfl.sync.bfly.b32
// ROWWISE: st.shared.b32
// ROWWISE: bar.sync 0
// ROWWISE: ld.shared.b32
// ROWWISE-COUNT-2: shfl.sync.bfly.b32
// ROWWISE-NOT: shfl.sync
// ROWWISE: div.rn.f32
// ROWWISE: cvt.rn.satfinite.e4m3x2.f32
// ROWWISE: st.global.v4.b32
// ROWWISE: st.global.v4.b32
// ROWWISE: st.global.b32

// ROWWISE-BF16: .visible .entry fp8_fused_quantize_bf16_f8E5M2_rowwise_16x8192_f32_f8E5M2_m1_pow2_nosat(
// ROWWISE-BF16-COUNT-4: ld.global.v4.b32
// ROWWISE-BF16: bar.sync 0
// ROWWISE-BF16: cvt.rn.satfinite.e5m2x2.f32
// ROWWISE-BF16: st.global.v4.b32

// BLOCKS: .visible .entry fp8_fused_quantize_bf16_f8E4M3FN_block128x128_256x384_f32_f8E4M3FN(
// BLOCKS: .maxntid 512, 1, 1
// BLOCKS-COUNT-4: ld.global.v4.b32
// BLOCKS-NOT: ld.global
// BLOCKS: bar.sync 0
// BLOCKS: cvt.rn.satfinite.e4m3x2.f32
// BLOCKS: st.global.v4.b32
// BLOCKS: st.global.v4.b32
// BLOCKS: st.global.b32

// RAGGED: .visible .entry fp8_fused_quantize_f32_f8E4M3FN_block128x128_200x300_f32_f8E4M3FN(
// RAGGED-COUNT-8: ld.global.v4.b32
// RAGGED: bar.sync 0
// RAGGED: cvt.rn.satfinite.e4m3x2.f32
// RAGGED: st.global.v2.b16
// RAGGED: st.global.b32

// SM100: .visible .entry fp8_fused_quantize_bf16_f8E4M3FN_block128x128_256x384_f32_f8E4M3FN(
// SM100-NOT: shfl.sync
// SM100: redux.sync.max.abs.NaN.f32
// SM100: bar.sync 0
// SM100: redux.sync.max.abs.NaN.f32
// SM100-NOT: shfl.sync

// PTXAS: Compiling entry function 'fp8_fused_quantize_{{.*}}' for 'sm_90a'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS: Used {{[0-9]+}} registers

// PTXAS100: Compiling entry function 'fp8_fused_quantize_{{.*}}' for 'sm_100a'
// PTXAS100: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS100: Used {{[0-9]+}} registers

func.func @rowwise_wide(%x: tensor<8x4096xf32>) -> tensor<8x4096xf8E4M3FN> {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<8x4096xf32> -> tensor<8x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<8x1xf32> -> tensor<8x1xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>} : tensor<8x4096xf32>, tensor<8x1xf32> -> tensor<8x4096xf8E4M3FN>
  return %q : tensor<8x4096xf8E4M3FN>
}
func.func @rowwise_8192(%x: tensor<16x8192xbf16>) -> (tensor<16x8192xf8E5M2>, tensor<16x1xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<16x8192xbf16> -> tensor<16x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E5M2, margin = 1 : i64, pow2} : tensor<16x1xf32> -> tensor<16x1xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>, saturate = false} : tensor<16x8192xbf16>, tensor<16x1xf32> -> tensor<16x8192xf8E5M2>
  return %q, %s : tensor<16x8192xf8E5M2>, tensor<16x1xf32>
}
func.func @blocks(%x: tensor<256x384xbf16>) -> (tensor<256x384xf8E4M3FN>, tensor<2x3xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [128, 128]>} : tensor<256x384xbf16> -> tensor<2x3xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<2x3xf32> -> tensor<2x3xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [128, 128]>} : tensor<256x384xbf16>, tensor<2x3xf32> -> tensor<256x384xf8E4M3FN>
  return %q, %s : tensor<256x384xf8E4M3FN>, tensor<2x3xf32>
}
func.func @blocks_ragged(%x: tensor<200x300xf32>) -> (tensor<200x300xf8E4M3FN>, tensor<2x3xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [128, 128]>} : tensor<200x300xf32> -> tensor<2x3xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<2x3xf32> -> tensor<2x3xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [128, 128]>} : tensor<200x300xf32>, tensor<2x3xf32> -> tensor<200x300xf8E4M3FN>
  return %q, %s : tensor<200x300xf8E4M3FN>, tensor<2x3xf32>
}
func.func @blocks_e5m2_ragged(%x: tensor<2x200x320xf32>) -> (tensor<2x200x320xf8E5M2>, tensor<2x2x3xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [128, 128]>} : tensor<2x200x320xf32> -> tensor<2x2x3xf32>
  %s = fp8.scale_from_amax %a {format = f8E5M2} : tensor<2x2x3xf32> -> tensor<2x2x3xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [128, 128]>} : tensor<2x200x320xf32>, tensor<2x2x3xf32> -> tensor<2x200x320xf8E5M2>
  return %q, %s : tensor<2x200x320xf8E5M2>, tensor<2x2x3xf32>
}
func.func @block1x2048(%x: tensor<32x4096xf16>) -> tensor<32x4096xf8E4M3FN> {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 2048]>} : tensor<32x4096xf16> -> tensor<32x2xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<32x2xf32> -> tensor<32x2xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 2048]>} : tensor<32x4096xf16>, tensor<32x2xf32> -> tensor<32x4096xf8E4M3FN>
  return %q : tensor<32x4096xf8E4M3FN>
}
