// The bundled MLP example (examples/mlp.mlir) under the FP4/FP6 recipes
// mxfp6, mxfp4 and mxfp4,formats=fp4-weights lowers for sm_100a end to end:
// every kernel assembles with ptxas -arch=sm_100a without spills, the
// quantize kernels use the sub-byte cvt's, the GEMMs
// tcgen05.mma.kind::mxf8f6f4.block_scale (scale_vec::1X, block32) on the
// FP6/FP4 containers, and the host code translates to LLVM IR.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: fp8-opt %S/../../../examples/mlp.mlir --fp8-quantize-pipeline="recipe=mxfp6" | fp8-opt --fp8-gpu-pipeline="chip=sm_100a" -o %t/mx6.mlir
// RUN: %extract-ptx %t/mx6.mlir -o %t/mx6
// RUN: mlir-translate --mlir-to-llvmir %t/mx6.mlir -o /dev/null
// RUN: for f in %t/mx6/*.ptx; do %ptxas -arch=sm_100a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: FileCheck %s --check-prefix=MX6-Q < %t/mx6/fp8_quantize_f32_f6E2M3FN_block1x32_256x512_f8E8M0FNU.ptx
// RUN: FileCheck %s --check-prefix=GEMM < %t/mx6/fp8_gemm_sm100_f6E2M3FN_f6E2M3FN_f32_block1x32_block1x32_256x2048x512_tile128x64x128_s4_biasf32.ptx
// RUN: fp8-opt %S/../../../examples/mlp.mlir --fp8-quantize-pipeline="recipe=mxfp4" | fp8-opt --fp8-gpu-pipeline="chip=sm_100a" -o %t/mx4.mlir
// RUN: %extract-ptx %t/mx4.mlir -o %t/mx4
// RUN: mlir-translate --mlir-to-llvmir %t/mx4.mlir -o /dev/null
// RUN: for f in %t/mx4/*.ptx; do %ptxas -arch=sm_100a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: FileCheck %s --check-prefix=MX4-Q < %t/mx4/fp8_quantize_f32_f4E2M1FN_block1x32_256x512_f8E8M0FNU.ptx
// RUN: FileCheck %s --check-prefix=GEMM < %t/mx4/fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_block1x32_block1x32_256x512x2048_tile128x64x128_s4_biasf32.ptx
// RUN: fp8-opt %S/../../../examples/mlp.mlir --fp8-quantize-pipeline="recipe=mxfp4,formats=fp4-weights" | fp8-opt --fp8-gpu-pipeline="chip=sm_100a" -o %t/w4.mlir
// RUN: %extract-ptx %t/w4.mlir -o %t/w4
// RUN: mlir-translate --mlir-to-llvmir %t/w4.mlir -o /dev/null
// RUN: for f in %t/w4/*.ptx; do %ptxas -arch=sm_100a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: FileCheck %s --check-prefix=GEMM < %t/w4/fp8_gemm_sm100_f8E4M3FN_f4E2M1FN_f32_block1x32_block1x32_256x2048x512_tile128x64x128_s4_biasf32.ptx

// PTXAS: Compiling entry function 'fp8_{{.*}}' for 'sm_100a'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads

// The MX FP6 / FP4 quantize: the E8M0 scale, the sub-byte cvt's, one
// 16-byte store of the 16-element container.
// MX6-Q:     cvt.rn.satfinite.e2m3x2.f32
// MX6-Q:     st.v4.b32
// MX4-Q:     cvt.rn.satfinite.e2m1x2.f32
// MX4-Q:     st.v4.b32

// Each K step: TMA of A and B (expect_tx), the E8M0 scales to tensor
// memory, four block-scaled MMAs.
// GEMM:      mbarrier.arrive.expect_tx
// GEMM:      cp.async.bulk.tensor.2d
// GEMM:      tcgen05.cp.cta_group::1.32x128b.warpx4
// GEMM-COUNT-4: tcgen05.mma.cta_group::1.kind::mxf8f6f4.block_scale.block32
