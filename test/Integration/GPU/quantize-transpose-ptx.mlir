// The wgrad dW = dY^T X: fp8-quantize-matmuls makes K-major copies of both
// operands (dY^T [N, M] and X^T [K, M]); on the GPU path the quantize (and,
// for row/block scales, the amax) kernels read dY and X untransposed, so
// the lowered host code has no transpose (with tensor scales, where
// scale_from_amax is a scalar, no host loop at all).
// REQUIRES: ptxas
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=tensorwise" --fp8-gpu-pipeline="chip=sm_90a" -o %t.tensorwise.mlir
// RUN: FileCheck %s --check-prefixes=HOST,LOOPS < %t.tensorwise.mlir
// RUN: rm -rf %t && %extract-ptx %t.tensorwise.mlir -o %t
// RUN: FileCheck %s --check-prefix=QUANT < %t/fp8_quantize_transpose_f32_tensor_256x512_f8E4M3FN.ptx
// RUN: %ptxas -arch=sm_90a -v %t/fp8_quantize_transpose_f32_tensor_256x512_f8E4M3FN.ptx -o %t/q.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t/fp8_quantize_transpose_f32_tensor_256x128_f8E5M2.ptx -o %t/q5.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=blockwise" --fp8-gpu-pipeline="chip=sm_90a" -o %t.blockwise.mlir
// RUN: FileCheck %s --check-prefix=HOST < %t.blockwise.mlir
// RUN: rm -rf %t.b && %extract-ptx %t.blockwise.mlir -o %t.b
// RUN: FileCheck %s --check-prefix=AMAX < %t.b/fp8_amax_transpose_f32_block1x128_256x512.ptx
// RUN: %ptxas -arch=sm_90a -v %t.b/fp8_amax_transpose_f32_block1x128_256x512.ptx -o %t.b/a.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_90a -v %t.b/fp8_quantize_transpose_f32_block1x128_256x512_f8E4M3FN.ptx -o %t.b/q.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=mxfp8" --fp8-gpu-pipeline="chip=sm_100a" -o %t.mx.mlir
// RUN: FileCheck %s --check-prefix=HOST < %t.mx.mlir
// RUN: rm -rf %t.mx && %extract-ptx %t.mx.mlir -o %t.mx
// RUN: %ptxas -arch=sm_100a -v %t.mx/fp8_quantize_transpose_f32_block1x32_256x512_f8E4M3FN_f8E8M0FNU.ptx -o %t.mx/q.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t.mx/fp8_amax_transpose_f32_block1x32_256x512.ptx -o %t.mx/a.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS

// HOST-LABEL: llvm.func @wgrad
// HOST-NOT:   linalg.transpose
// LOOPS-NOT:  llvm.cond_br
// HOST:       gpu.launch_func
// HOST-NOT:   linalg.transpose
// LOOPS-NOT:  llvm.cond_br
// HOST:       llvm.return

// QUANT: .visible .entry fp8_quantize_transpose_f32_tensor_256x512_f8E4M3FN(
// QUANT: .shared .align 16 .b8 {{.*}}[16384];
// QUANT-COUNT-4: ld.global.v4.b32
// QUANT: st.shared.v4.b32
// QUANT: bar.sync 0;
// QUANT-COUNT-16: ld.shared.b32
// QUANT: div.rn.f32
// QUANT-COUNT-8: cvt.rn.satfinite.e4m3x2.f32
// QUANT: st.global.v4.b32

// AMAX: .visible .entry fp8_amax_transpose_f32_block1x128_256x512(
// AMAX: bar.sync 0;
// AMAX-COUNT-16: ld.shared.b32
// AMAX-COUNT-3: shfl.sync.bfly.b32
// AMAX: atom.max.u32

// PTXAS: Compiling entry function 'fp8_{{amax|quantize}}_transpose_{{.*}}'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS: Used {{[0-9]+}} registers, used 1 barriers, 16{{[0-9]*}} bytes smem

func.func @wgrad(%dy: tensor<256x128xf32> {fp8.role = #fp8.role<gradient>},
                 %x: tensor<256x512xf32>) -> tensor<128x512xf32> {
  %dyt_init = tensor.empty() : tensor<128x256xf32>
  %dyt = linalg.transpose ins(%dy : tensor<256x128xf32>) outs(%dyt_init : tensor<128x256xf32>) permutation = [1, 0]
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<128x512xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%init : tensor<128x512xf32>) -> tensor<128x512xf32>
  %dw = linalg.matmul ins(%dyt, %x : tensor<128x256xf32>, tensor<256x512xf32>) outs(%fill : tensor<128x512xf32>) -> tensor<128x512xf32>
  return %dw : tensor<128x512xf32>
}
