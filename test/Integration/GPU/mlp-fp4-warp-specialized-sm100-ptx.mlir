// The bundled MLP example (examples/mlp.mlir) under recipe=mxfp4 and
// recipe=nvfp4 with gemm-warp-specialize=on (and gemm-persistent=on) lowers
// for sm_100a end to end: every GEMM is the warp-specialized kernel on
// packed FP4 (mxfp4: tcgen05.mma.kind::mxf4.block_scale.block32, nvfp4:
// kind::mxf4nvf4.block_scale.block16), the producer warp staging the scale
// sets, and every kernel assembles with ptxas -arch=sm_100a without spills.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: fp8-opt %S/../../../examples/mlp.mlir --fp8-quantize-pipeline="recipe=mxfp4" | fp8-opt --fp8-gpu-pipeline="chip=sm_100a gemm-warp-specialize=on" -o %t/mx4.mlir
// RUN: %extract-ptx %t/mx4.mlir -o %t/mx4
// RUN: mlir-translate --mlir-to-llvmir %t/mx4.mlir -o /dev/null
// RUN: for f in %t/mx4/*.ptx; do %ptxas -arch=sm_100a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: ls %t/mx4/fp8_gemm_*.ptx | FileCheck %s --check-prefix=MX4-NAMES
// RUN: for f in %t/mx4/fp8_gemm_*_ws_mxf4*.ptx; do FileCheck %s --check-prefix=MXF4 < $f || exit 1; done
// RUN: fp8-opt %S/../../../examples/mlp.mlir --fp8-quantize-pipeline="recipe=mxfp4" | fp8-opt --fp8-gpu-pipeline="chip=sm_100a gemm-warp-specialize=on gemm-persistent=on" -o %t/mx4p.mlir
// RUN: %extract-ptx %t/mx4p.mlir -o %t/mx4p
// RUN: for f in %t/mx4p/fp8_gemm_*.ptx; do %ptxas -arch=sm_100a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: for f in %t/mx4p/fp8_gemm_*_ws_persistent_mxf4*.ptx; do FileCheck %s --check-prefix=MXF4 < $f || exit 1; done
// RUN: fp8-opt %S/../../../examples/mlp.mlir --fp8-quantize-pipeline="recipe=nvfp4" | fp8-opt --fp8-gpu-pipeline="chip=sm_100a gemm-warp-specialize=on" -o %t/nv4.mlir
// RUN: %extract-ptx %t/nv4.mlir -o %t/nv4
// RUN: mlir-translate --mlir-to-llvmir %t/nv4.mlir -o /dev/null
// RUN: for f in %t/nv4/*.ptx; do %ptxas -arch=sm_100a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: for f in %t/nv4/fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_block1x16_block16x16_*_ws*.ptx; do FileCheck %s --check-prefix=NVGEMM < $f || exit 1; done

// PTXAS: Compiling entry function 'fp8_{{.*}}' for 'sm_100a'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads

// Both GEMMs of the MLP are warp-specialized .kind::mxf4 kernels.
// MX4-NAMES: fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_{{.*}}_ws_mxf4
// MX4-NAMES: fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_{{.*}}_ws_mxf4

// MXFP4: the producer warp's expect-tx and TMA loads, its 16-byte stores
// of the scale words (in any order in the PTX), then in the MMA thread per K step two scale sets
// (A's chunk and B's: 4 copies) and four k64 MMAs with E8M0 scales.
// MXF4-DAG:    mbarrier.arrive.expect_tx
// MXF4-DAG:    cp.async.bulk.tensor.2d
// MXF4-DAG:    st.shared.v4.b32
// MXF4-COUNT-4: tcgen05.cp.cta_group::1.32x128b.warpx4
// MXF4-NOT:    tcgen05.cp
// MXF4-COUNT-4: tcgen05.mma.cta_group::1.kind::mxf4.block_scale.block32
// MXF4-NOT:    kind::mxf8f6f4

// NVFP4: one scale set per MMA (8 copies), four k64 MMAs with E4M3 scales.
// NVGEMM-DAG:  mbarrier.arrive.expect_tx
// NVGEMM-DAG:  cp.async.bulk.tensor.2d
// NVGEMM-DAG:  st.shared.v4.b32
// NVGEMM-COUNT-8: tcgen05.cp.cta_group::1.32x128b.warpx4
// NVGEMM-COUNT-4: tcgen05.mma.cta_group::1.kind::mxf4nvf4.block_scale.block16
// NVGEMM-NOT:  kind::mxf8f6f4
