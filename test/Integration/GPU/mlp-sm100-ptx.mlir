// Every sm_100a kernel of the bundled MLP example (examples/mlp.mlir), for the
// tensorwise and the mxfp8 recipes, assembles with ptxas -arch=sm_100a without
// spills, and the PTX holds the Blackwell instructions: tcgen05.alloc/mma/ld
// (kind::f8f6f4, kind::mxf8f6f4.block_scale.block32 with tcgen05.cp of the
// E8M0 scales), redux.sync for the tensor amax, fused amax + quantize for MX.
// The host code translates to LLVM IR.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: fp8-opt %S/../../../examples/mlp.mlir --fp8-quantize-pipeline="recipe=tensorwise" | fp8-opt --fp8-gpu-pipeline="chip=sm_100a" -o %t/tw.mlir
// RUN: %extract-ptx %t/tw.mlir -o %t/tw
// RUN: mlir-translate --mlir-to-llvmir %t/tw.mlir -o /dev/null
// RUN: FileCheck %s --check-prefix=TW-MANIFEST < %t/tw/manifest.json
// RUN: %ptxas -arch=sm_100a -v %t/tw/fp8_amax_f32_tensor_256x512.ptx -o %t/tw/fp8_amax_f32_tensor_256x512.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/tw/fp8_amax_f32_tensor_2048x512.ptx -o %t/tw/fp8_amax_f32_tensor_2048x512.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/tw/fp8_amax_f32_tensor_512x2048.ptx -o %t/tw/fp8_amax_f32_tensor_512x2048.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/tw/fp8_amax_f32_tensor_256x2048.ptx -o %t/tw/fp8_amax_f32_tensor_256x2048.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/tw/fp8_quantize_f32_f8E4M3FN_tensor_256x512.ptx -o %t/tw/fp8_quantize_f32_f8E4M3FN_tensor_256x512.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/tw/fp8_quantize_f32_f8E4M3FN_tensor_2048x512.ptx -o %t/tw/fp8_quantize_f32_f8E4M3FN_tensor_2048x512.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/tw/fp8_quantize_f32_f8E4M3FN_tensor_512x2048.ptx -o %t/tw/fp8_quantize_f32_f8E4M3FN_tensor_512x2048.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/tw/fp8_quantize_f32_f8E4M3FN_tensor_256x2048.ptx -o %t/tw/fp8_quantize_f32_f8E4M3FN_tensor_256x2048.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/tw/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_f32_tensor_tensor_256x2048x512_tile128x64x128_s4_biasf32.ptx -o %t/tw/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_f32_tensor_tensor_256x2048x512_tile128x64x128_s4_biasf32.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/tw/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_f32_tensor_tensor_256x512x2048_tile128x64x128_s4_biasf32.ptx -o %t/tw/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_f32_tensor_tensor_256x512x2048_tile128x64x128_s4_biasf32.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: FileCheck %s --check-prefix=TW-GEMM < %t/tw/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_f32_tensor_tensor_256x2048x512_tile128x64x128_s4_biasf32.ptx
// RUN: FileCheck %s --check-prefix=TW-GEMM < %t/tw/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_f32_tensor_tensor_256x512x2048_tile128x64x128_s4_biasf32.ptx
// RUN: FileCheck %s --check-prefix=TW-AMAX < %t/tw/fp8_amax_f32_tensor_256x512.ptx
// RUN: fp8-opt %S/../../../examples/mlp.mlir --fp8-quantize-pipeline="recipe=mxfp8" | fp8-opt --fp8-gpu-pipeline="chip=sm_100a" -o %t/mx.mlir
// RUN: %extract-ptx %t/mx.mlir -o %t/mx
// RUN: mlir-translate --mlir-to-llvmir %t/mx.mlir -o /dev/null
// RUN: FileCheck %s --check-prefix=MX-MANIFEST < %t/mx/manifest.json
// RUN: for f in %t/mx/*.ptx; do %ptxas -arch=sm_100a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: FileCheck %s --check-prefix=MX-FUSED < %t/mx/fp8_fused_quantize_f32_f8E4M3FN_block1x32_256x512_f8E8M0FNU_f8E4M3FN.ptx
// RUN: FileCheck %s --check-prefix=MX-GEMM < %t/mx/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_f32_block1x32_block1x32_256x2048x512_tile128x64x128_s4_biasf32.ptx
// RUN: FileCheck %s --check-prefix=MX-GEMM < %t/mx/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_f32_block1x32_block1x32_256x512x2048_tile128x64x128_s4_biasf32.ptx

// PTXAS: Compiling entry function 'fp8_{{.*}}' for 'sm_100a'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads

// TW-MANIFEST: "chip": "sm_100a"
// TW-MANIFEST-COUNT-10: "file": "fp8_
// TW-MANIFEST-NOT: "file":
// MX-MANIFEST: "chip": "sm_100a"
// Four fused amax + E8M0 scale + quantize kernels and two GEMMs.
// MX-MANIFEST-COUNT-6: "file": "fp8_
// MX-MANIFEST-NOT: "file":

// The tensorwise GEMM: TMEM allocated by one warp, a TMA + mbarrier ring,
// four k32 tcgen05.mma per 128-wide K step committed to the stage's empty
// barrier, a tcgen05.ld epilogue, TMEM freed at the end.
// TW-GEMM: .version 8.8
// TW-GEMM: .target sm_100a
// TW-GEMM: mbarrier.init.shared.b64
// TW-GEMM: fence.mbarrier_init.release.cluster
// TW-GEMM: tcgen05.alloc.cta_group::1.sync.aligned.shared::cta.b32
// TW-GEMM: tcgen05.relinquish_alloc_permit.cta_group::1.sync.aligned
// TW-GEMM: mbarrier.arrive.expect_tx.shared.b64
// TW-GEMM: cp.async.bulk.tensor.2d.shared::cta.global.tile.mbarrier::complete_tx::bytes
// TW-GEMM: mbarrier.try_wait.parity.shared.b64
// TW-GEMM: tcgen05.fence::after_thread_sync
// TW-GEMM-COUNT-4: tcgen05.mma.cta_group::1.kind::f8f6f4
// TW-GEMM: tcgen05.commit.cta_group::1.mbarrier::arrive::one.shared::cluster.b64
// TW-GEMM: tcgen05.ld.sync.aligned.32x32b.x16.b32
// TW-GEMM: tcgen05.wait::ld.sync.aligned
// TW-GEMM: st.global.v2.b64
// TW-GEMM: tcgen05.fence::before_thread_sync
// TW-GEMM: tcgen05.dealloc.cta_group::1.sync.aligned.b32

// The MXFP8 GEMM: every thread stages E8M0 scale words into shared memory
// (made visible to the async proxy), thread 0 copies them into tensor
// memory and issues the block-scaled MMAs.
// MX-GEMM: .target sm_100a
// MX-GEMM: tcgen05.alloc.cta_group::1.sync.aligned.shared::cta.b32
// MX-GEMM: cp.async.bulk.tensor.2d.shared::cta.global
// MX-GEMM: ld.global.b32
// MX-GEMM: st.shared.b32
// MX-GEMM: fence.proxy.async.shared::cta
// MX-GEMM: mbarrier.arrive.shared.b64
// MX-GEMM: mbarrier.try_wait.parity.shared.b64
// MX-GEMM: tcgen05.cp.cta_group::1.32x128b.warpx4
// MX-GEMM: tcgen05.cp.cta_group::1.32x128b.warpx4
// MX-GEMM-COUNT-4: tcgen05.mma.cta_group::1.kind::mxf8f6f4.block_scale.block32
// MX-GEMM: tcgen05.commit.cta_group::1
// MX-GEMM: tcgen05.ld.sync.aligned.32x32b.x16.b32
// MX-GEMM: tcgen05.dealloc.cta_group::1.sync.aligned.b32

// Tensor amax: warp and CTA reductions with redux.sync, one atomic per CTA.
// TW-AMAX: .target sm_100a
// TW-AMAX: redux.sync.max.abs.NaN.f32
// TW-AMAX: bar.sync 0
// TW-AMAX: redux.sync.max.abs.NaN.f32
// TW-AMAX: atom.global.max.u32

// MX [1, 32] fused quantize: each group's amax over 2 lanes with shuffles
// (no redux.sync), the E8M0 scale from it, the conversions, the scale store.
// MX-FUSED: .target sm_100a
// MX-FUSED-NOT: redux.sync
// MX-FUSED: shfl.sync.bfly.b32
// MX-FUSED: cvt.rn.satfinite.e4m3x2.f32
// MX-FUSED-NOT: redux.sync
