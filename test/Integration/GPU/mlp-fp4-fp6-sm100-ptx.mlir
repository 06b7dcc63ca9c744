// The bundled MLP example (examples/mlp.mlir) under the FP4/FP6 recipes
// mxfp6, mxfp4, mxfp4,formats=fp4-weights and nvfp4 lowers for sm_100a end
// to end:
// every kernel assembles with ptxas -arch=sm_100a without spills, the
// quantize kernels use the sub-byte cvt's, the GEMMs
// tcgen05.mma.kind::mxf8f6f4.block_scale (scale_vec::1X, block32) on the
// FP6/FP4 containers (mxfp4: FP4 x FP4 only, so every FP4 tensor is stored
// packed and the GEMMs run tcgen05.mma.kind::mxf4.block_scale.block32,
// scale_vec::2X; nvfp4: tcgen05.mma.kind::mxf4nvf4.block_scale.block16,
// scale_vec::4X, on packed FP4), and the host code translates to LLVM IR.
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
// RUN: for f in %t/mx4/fp8_quantize_*.ptx; do FileCheck %s --check-prefix=MX4-Q < $f || exit 1; done
// RUN: FileCheck %s --check-prefix=MXF4 < %t/mx4/fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_block1x32_block1x32_256x512x2048_tile128x64x128_s4_mxf4_biasf32.ptx
// RUN: FileCheck %s --check-prefix=MXF4 < %t/mx4/fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_block1x32_block1x32_256x2048x512_tile128x64x128_s2_mxf4_biasf32.ptx
// RUN: fp8-opt %S/../../../examples/mlp.mlir --fp8-quantize-pipeline="recipe=mxfp4,formats=fp4-weights" | fp8-opt --fp8-gpu-pipeline="chip=sm_100a" -o %t/w4.mlir
// RUN: %extract-ptx %t/w4.mlir -o %t/w4
// RUN: mlir-translate --mlir-to-llvmir %t/w4.mlir -o /dev/null
// RUN: for f in %t/w4/*.ptx; do %ptxas -arch=sm_100a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: FileCheck %s --check-prefix=GEMM < %t/w4/fp8_gemm_sm100_f8E4M3FN_f4E2M1FN_f32_block1x32_block1x32_256x2048x512_tile128x64x128_s4_biasf32.ptx
// RUN: FileCheck %s --check-prefix=W4-Q < %t/w4/fp8_quantize_f32_f4E2M1FN_block1x32_2048x512_f8E8M0FNU.ptx

// RUN: fp8-opt %S/../../../examples/mlp.mlir --fp8-quantize-pipeline="recipe=nvfp4" | fp8-opt --fp8-gpu-pipeline="chip=sm_100a" -o %t/nv4.mlir
// RUN: %extract-ptx %t/nv4.mlir -o %t/nv4
// RUN: mlir-translate --mlir-to-llvmir %t/nv4.mlir -o /dev/null
// RUN: for f in %t/nv4/*.ptx; do %ptxas -arch=sm_100a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: for f in %t/nv4/fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_block1x16_block16x16_*.ptx; do FileCheck %s --check-prefix=NVGEMM < $f || exit 1; done

// PTXAS: Compiling entry function 'fp8_{{.*}}' for 'sm_100a'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads

// The MX FP6 / FP4 quantize: the E8M0 scale, the sub-byte cvt's, one
// 16-byte store of the 16-element container.
// MX6-Q:     cvt.rn.satfinite.e2m3x2.f32
// MX6-Q:     st.v4.b32
// The FP4 weights of fp4-weights feed FP8 x FP4 GEMMs: Padded16 as well.
// W4-Q:      cvt.rn.satfinite.e2m1x2.f32
// W4-Q:      st.v4.b32
// mxfp4 (every FP4 tensor feeds FP4 x FP4 GEMMs only): Packed, the 8 bytes
// of 16 elements in one store.
// MX4-Q:     .entry fp8_quantize_{{.*}}_packed(
// MX4-Q-COUNT-8: cvt.rn.satfinite.e2m1x2.f32
// MX4-Q:     st.v2.b32
// MX4-Q-NOT: st.v4.b32

// Each K step: TMA of A and B (expect_tx), the E8M0 scales to tensor
// memory, four block-scaled MMAs.
// GEMM:      mbarrier.arrive.expect_tx
// GEMM:      cp.async.bulk.tensor.2d
// GEMM:      tcgen05.cp.cta_group::1.32x128b.warpx4
// GEMM-COUNT-4: tcgen05.mma.cta_group::1.kind::mxf8f6f4.block_scale.block32

// MXFP4 x MXFP4 packed: each K step (256 values a row) TMA of A and B, one
// scale set per two MMAs (A's chunk and B's: 4 copies), four MMAs of K 64
// with E8M0 scales per 32 elements (scale_vec::2X).
// MXF4:        mbarrier.arrive.expect_tx
// MXF4:        cp.async.bulk.tensor.2d
// MXF4-COUNT-4: tcgen05.cp.cta_group::1.32x128b.warpx4
// MXF4-NOT:    tcgen05.cp
// MXF4-COUNT-4: tcgen05.mma.cta_group::1.kind::mxf4.block_scale.block32
// MXF4-NOT:    kind::mxf8f6f4

// NVFP4: each K step (256 packed values a row) TMA of A and B, one scale
// set per MMA into tensor memory (A's chunk and B's), four MMAs of K 64
// with E4M3 scales per 16 elements; the epilogue multiplies by a_global *
// b_global.
// NVGEMM:      mbarrier.arrive.expect_tx
// NVGEMM:      cp.async.bulk.tensor.2d
// NVGEMM-COUNT-8: tcgen05.cp.cta_group::1.32x128b.warpx4
// NVGEMM-COUNT-4: tcgen05.mma.cta_group::1.kind::mxf4nvf4.block_scale.block16
// NVGEMM-NOT:  kind::mxf8f6f4
