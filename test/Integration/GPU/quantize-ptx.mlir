// The quantize kernels assemble for sm_90a without spills and use the
// paired FP8 converts and 16-byte accesses.
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a" | %extract-ptx -o %t
// RUN: FileCheck %s --check-prefix=E4M3 < %t/fp8_quantize_f32_f8E4M3FN_tensor_1024x1024.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_quantize_f32_f8E4M3FN_tensor_1024x1024.ptx -o %t/e4m3.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=E5M2 < %t/fp8_quantize_bf16_f8E5M2_rowwise_512x768_nosat.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_quantize_bf16_f8E5M2_rowwise_512x768_nosat.ptx -o %t/e5m2.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t/fp8_quantize_f16_f8E4M3FN_block1x32_256x512_f8E8M0FNU.ptx -o %t/mx.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS

// E4M3: .version 8.0
// E4M3: .target sm_90a
// E4M3: .visible .entry fp8_quantize_f32_f8E4M3FN_tensor_1024x1024(
// E4M3-COUNT-4: ld.global.v4.b32
// E4M3: div.rn.f32
// E4M3: cvt.rn.satfinite.e4m3x2.f32
// E4M3-COUNT-7: cvt.rn.satfinite.e4m3x2.f32
// E4M3: st.global.v4.b32

// E5M2: .visible .entry fp8_quantize_bf16_f8E5M2_rowwise_512x768_nosat(
// E5M2: ld.global.v4.b32
// E5M2: cvt.f32.bf16
// E5M2: cvt.rn.satfinite.e5m2x2.f32
// E5M2: st.global.v4.b32

// PTXAS: Compiling entry function 'fp8_quantize_{{.*}}' for 'sm_90a'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS: Used {{[0-9]+}} registers

func.func @tensorwise(%x: tensor<1024x1024xf32>, %s: tensor<f32>) -> tensor<1024x1024xf8E4M3FN> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<1024x1024xf32>, tensor<f32> -> tensor<1024x1024xf8E4M3FN>
  return %q : tensor<1024x1024xf8E4M3FN>
}

func.func @rowwise_nosat(%x: tensor<512x768xbf16>, %s: tensor<512x1xf32>) -> tensor<512x768xf8E5M2> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>, saturate = false}
      : tensor<512x768xbf16>, tensor<512x1xf32> -> tensor<512x768xf8E5M2>
  return %q : tensor<512x768xf8E5M2>
}

func.func @mx(%x: tensor<256x512xf16>, %s: tensor<256x16xf8E8M0FNU>) -> tensor<256x512xf8E4M3FN> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<256x512xf16>, tensor<256x16xf8E8M0FNU> -> tensor<256x512xf8E4M3FN>
  return %q : tensor<256x512xf8E4M3FN>
}
