// MXFP8 scales by TMA (gemm-scale-load=tma) in the warp-specialized sm_100a
// GEMM assemble without spills or ptxas advisories (C75xx): one tile per
// CTA with 128x128 tiles (ragged M, N) and 128x256 tiles at 8192^3 (two B
// boxes per stage), and persistent. The manifest passes the scales as
// [K / 32, rows] byte tensor maps with 16 x 128 boxes and no swizzle.
// REQUIRES: ptxas
// RUN: rm -rf %t && fp8-opt %s --fp8-gpu-pipeline="chip=sm_100a gemm-warp-specialize=on gemm-scale-load=tma" | %extract-ptx -o %t
// RUN: %ptxas -arch=sm_100a -v %t/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_1000x2050x1024_tile128x128x128_s4_ws_tmascales.ptx -o %t/a.cubin 2>&1 | FileCheck %s
// RUN: %ptxas -arch=sm_100a -v %t/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_8192x8192x8192_tile128x256x128_s4_ws_tmascales.ptx -o %t/b.cubin 2>&1 | FileCheck %s
// RUN: FileCheck %s --check-prefix=MANIFEST < %t/manifest.json
// RUN: FileCheck %s --check-prefix=PTX < %t/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_1000x2050x1024_tile128x128x128_s4_ws_tmascales.ptx
// RUN: rm -rf %t.p && fp8-opt %s --fp8-gpu-pipeline="chip=sm_100a gemm-warp-specialize=on gemm-persistent=on gemm-scale-load=tma" | %extract-ptx -o %t.p
// RUN: %ptxas -arch=sm_100a -v %t.p/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_1000x2050x1024_tile128x128x128_s4_ws_persistent_tmascales.ptx -o %t.p/a.cubin 2>&1 | FileCheck %s
// RUN: %ptxas -arch=sm_100a -v %t.p/fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_8192x8192x8192_tile128x128x128_s4_ws_persistent_tmascales.ptx -o %t.p/b.cubin 2>&1 | FileCheck %s

// CHECK-NOT: (C75
// CHECK: Compiling entry function 'fp8_gemm_sm100_{{.*}}_tmascales' for 'sm_100a'
// CHECK: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// CHECK-NOT: (C75

// No global loads in the kernel (the scales come by TMA); the scale boxes
// are 2-D tensor loads like the operands', stage 0's A box after the four
// operand stages (4 x 32 KiB) and the two 512-byte cp sources.
// PTX-NOT: ld.global
// PTX: cp.async.bulk.tensor.2d.shared::cta.global.tile.mbarrier::complete_tx::bytes [__dynamic_shmem__0+132096]
// PTX-NOT: ld.global
// PTX: tcgen05.cp.cta_group::1.32x128b.warpx4
// PTX-NOT: ld.global

// MANIFEST: "name": "fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_1000x2050x1024_tile128x128x128_s4_ws_tmascales"
// MANIFEST: "element_type": "float8_e4m3fn",
// MANIFEST: "box_dim": [
// MANIFEST-NEXT: 16,
// MANIFEST-NEXT: 128
// MANIFEST-NEXT: ],
// MANIFEST: "element_type": "float8_e8m0fnu",
// MANIFEST-NEXT: "global_dim": [
// MANIFEST-NEXT: 32,
// MANIFEST-NEXT: 1000
// MANIFEST-NEXT: ],
// MANIFEST-NEXT: "global_strides_bytes": [
// MANIFEST-NEXT: 32
// MANIFEST: "name": "a_scale",
// MANIFEST: "swizzle": "CU_TENSOR_MAP_SWIZZLE_NONE"

func.func @mx(%a: tensor<1000x1024xf8E4M3FN>, %sa: tensor<1000x32xf8E8M0FNU>,
              %b: tensor<2050x1024xf8E4M3FN>, %sb: tensor<2050x32xf8E8M0FNU>) -> tensor<1000x2050xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<1000x1024xf8E4M3FN>, tensor<1000x32xf8E8M0FNU>, tensor<2050x1024xf8E4M3FN>, tensor<2050x32xf8E8M0FNU>
        -> tensor<1000x2050xbf16>
  return %d : tensor<1000x2050xbf16>
}

func.func @big(%a: tensor<8192x8192xf8E4M3FN>, %sa: tensor<8192x256xf8E8M0FNU>,
               %b: tensor<8192x8192xf8E4M3FN>, %sb: tensor<8192x256xf8E8M0FNU>) -> tensor<8192x8192xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<8192x8192xf8E4M3FN>, tensor<8192x256xf8E8M0FNU>, tensor<8192x8192xf8E4M3FN>, tensor<8192x256xf8E8M0FNU>
        -> tensor<8192x8192xbf16>
  return %d : tensor<8192x8192xbf16>
}
