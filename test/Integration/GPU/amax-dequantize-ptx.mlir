// The amax and dequantize kernels assemble for sm_90a without spills; amax
// reduces with shfl.sync.bfly and one atom.global.max.u32 per CTA (no
// redux.sync fmax, which is sm_100a only).
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a" | %extract-ptx -o %t
// RUN: FileCheck %s --check-prefix=TENSOR < %t/fp8_amax_f32_tensor_4096x1024.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_amax_f32_tensor_4096x1024.ptx -o %t/a.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=BLOCK < %t/fp8_amax_bf16_block1x128_4096x1024.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_amax_bf16_block1x128_4096x1024.ptx -o %t/b.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=DEQ < %t/fp8_dequantize_f8E4M3FN_bf16_block1x128_4096x1024.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_dequantize_f8E4M3FN_bf16_block1x128_4096x1024.ptx -o %t/d.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS

// TENSOR: .visible .entry fp8_amax_f32_tensor_4096x1024(
// TENSOR: ld.global.v4.b32
// TENSOR: and.b32 {{.*}}2147483647
// TENSOR: max.u32
// TENSOR-COUNT-5: shfl.sync.bfly.b32
// TENSOR: bar.sync 0
// TENSOR-COUNT-3: shfl.sync.bfly.b32
// TENSOR: atom.global.max.u32
// TENSOR-NOT: redux.sync

// BLOCK: .visible .entry fp8_amax_bf16_block1x128_4096x1024(
// BLOCK: ld.global.v4.b32
// BLOCK-COUNT-4: shfl.sync.bfly.b32
// BLOCK-NOT: atom.
// BLOCK: st.global.b32

// DEQ: .visible .entry fp8_dequantize_f8E4M3FN_bf16_block1x128_4096x1024(
// DEQ: ld.global.v4.b32
// DEQ-COUNT-8: cvt.rn.f16x2.e4m3x2
// DEQ: st.global.v4.b32

// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS: Used {{[0-9]+}} registers

func.func @amax_tensor(%x: tensor<4096x1024xf32>) -> tensor<f32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<4096x1024xf32> -> tensor<f32>
  return %a : tensor<f32>
}

func.func @amax_block(%x: tensor<4096x1024xbf16>) -> tensor<4096x8xf32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 128]>} : tensor<4096x1024xbf16> -> tensor<4096x8xf32>
  return %a : tensor<4096x8xf32>
}

func.func @dequantize(%q: tensor<4096x1024xf8E4M3FN>, %s: tensor<4096x8xf32>) -> tensor<4096x1024xbf16> {
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<block [1, 128]>}
      : tensor<4096x1024xf8E4M3FN>, tensor<4096x8xf32> -> tensor<4096x1024xbf16>
  return %x : tensor<4096x1024xbf16>
}
