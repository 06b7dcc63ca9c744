// On sm_100a the elementwise kernels are emitted with PTX 8.8 and assemble
// for Blackwell.
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_100a" | %extract-ptx -o %t
// RUN: FileCheck %s < %t/fp8_quantize_bf16_f8E4M3FN_block1x32_128x256_f8E8M0FNU.ptx
// RUN: %ptxas -arch=sm_100a -v %t/fp8_quantize_bf16_f8E4M3FN_block1x32_128x256_f8E8M0FNU.ptx -o %t/q.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS

// CHECK: .version 8.8
// CHECK: .target sm_100a
// CHECK: cvt.rn.satfinite.e4m3x2.f32
// PTXAS: Compiling entry function 'fp8_quantize_bf16_f8E4M3FN_block1x32_128x256_f8E8M0FNU' for 'sm_100a'
// PTXAS: 0 bytes spill stores, 0 bytes spill loads

func.func @mx(%x: tensor<128x256xbf16>, %s: tensor<128x8xf8E8M0FNU>) -> tensor<128x256xf8E4M3FN> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<128x256xbf16>, tensor<128x8xf8E8M0FNU> -> tensor<128x256xf8E4M3FN>
  return %q : tensor<128x256xf8E4M3FN>
}
