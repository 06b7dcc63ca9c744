// The fused amax/scale/quantize kernels assemble for sm_90a without spills:
// shuffles for the group amax, the paired FP8 converts, 16-byte accesses
// and one scale store per group.
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a" | %extract-ptx -o %t
// RUN: FileCheck %s --check-prefix=BLOCK < %t/fp8_fused_quantize_bf16_f8E4M3FN_block1x128_256x512_f32_f8E4M3FN.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_fused_quantize_bf16_f8E4M3FN_block1x128_256x512_f32_f8E4M3FN.ptx -o %t/block.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=MX < %t/fp8_fused_quantize_f32_f8E4M3FN_block1x32_128x256_f8E8M0FNU_f8E4M3FN.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_fused_quantize_f32_f8E4M3FN_block1x32_128x256_f8E8M0FNU_f8E4M3FN.ptx -o %t/mx.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS

// BLOCK: .visible .entry fp8_fused_quantize_bf16_f8E4M3FN_block1x128_256x512_f32_f8E4M3FN(
// BLOCK: ld.global.v4.b32
// BLOCK-COUNT-3: shfl.sync.bfly.b32
// BLOCK: div.rn.f32
// BLOCK: cvt.rn.satfinite.e4m3x2.f32
// BLOCK: st.global.v4.b32
// BLOCK: st.global.b32

// MX: .visible .entry fp8_fused_quantize_f32_f8E4M3FN_block1x32_128x256_f8E8M0FNU_f8E4M3FN(
// MX-COUNT-4: ld.global.v4.b32
// MX: shfl.sync.bfly.b32
// MX-NOT: shfl.sync
// MX: cvt.rn.satfinite.e4m3x2.f32
// MX: st.global.v4.b32
// MX: st.global.b8

// PTXAS: Compiling entry function 'fp8_fused_quantize_{{.*}}' for 'sm_90a'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS: Used {{[0-9]+}} registers

func.func @block128(%x: tensor<256x512xbf16>) -> (tensor<256x512xf8E4M3FN>, tensor<256x4xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 128]>} : tensor<256x512xbf16> -> tensor<256x4xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<256x4xf32> -> tensor<256x4xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 128]>} : tensor<256x512xbf16>, tensor<256x4xf32> -> tensor<256x512xf8E4M3FN>
  return %q, %s : tensor<256x512xf8E4M3FN>, tensor<256x4xf32>
}

func.func @mx(%x: tensor<128x256xf32>) -> tensor<128x256xf8E4M3FN> {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 32]>} : tensor<128x256xf32> -> tensor<128x8xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<128x8xf32> -> tensor<128x8xf8E8M0FNU>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>} : tensor<128x256xf32>, tensor<128x8xf8E8M0FNU> -> tensor<128x256xf8E4M3FN>
  return %q : tensor<128x256xf8E4M3FN>
}
