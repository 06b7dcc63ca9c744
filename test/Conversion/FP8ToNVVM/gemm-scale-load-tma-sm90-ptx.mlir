// A's scales by TMA into the stage (gemm-scale-load=tma) in the
// warp-specialized sm_90a GEMM assemble without spills or ptxas advisories
// (C75xx) at 8192^3: [1, 128] x [128, 128] and MX (E8M0) with 128x128
// tiles, with gemm-promotion=overlapped, with persistent CTAs, and with the
// wide tiles 128x192 and 128x160 (blockwise) and 128x144 (MX; wider MX
// tiles spill, see docs/gpu-pipeline.md; MX 128x144 has 5 stages with B's
// box). MX B's scales come by TMA too: the MX kernel has no ld.global at
// all, and full[s] expects both boxes. The PTX reads A's scales from
// the scale boxes after the ring with ld.shared, and has one ld.global
// left (B's [128, 128] scale); full[s] expects the box's 2048 bytes too.
// The manifest passes A's scales as a [K / group * bytes, M] byte tensor
// map with 16 x 128 boxes and no swizzle.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-scale-load=tma" | %extract-ptx -o %t/t
// RUN: %ptxas -arch=sm_90a -v %t/t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_8192x8192x8192_tile128x128x128_s6_ws_c2x1_tmascales.ptx -o %t/a.cubin 2>&1 | FileCheck %s
// RUN: %ptxas -arch=sm_90a -v %t/t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_8192x8192x8192_tile128x128x128_s6_ws_c2x1_tmascales_e8m0.ptx -o %t/b.cubin 2>&1 | FileCheck %s
// RUN: FileCheck %s --check-prefix=PTX < %t/t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_8192x8192x8192_tile128x128x128_s6_ws_c2x1_tmascales.ptx
// RUN: FileCheck %s --check-prefix=MANIFEST < %t/t/manifest.json
// RUN: FileCheck %s --check-prefix=PTXMX < %t/t/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_8192x8192x8192_tile128x128x128_s6_ws_c2x1_tmascales_e8m0.ptx
// RUN: fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-scale-load=tma gemm-promotion=overlapped" | %extract-ptx -o %t/o
// RUN: %ptxas -arch=sm_90a -v %t/o/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_8192x8192x8192_tile128x128x128_s6_ws_c2x1_tmascales_ovp.ptx -o %t/c.cubin 2>&1 | FileCheck %s
// RUN: %ptxas -arch=sm_90a -v %t/o/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_8192x8192x8192_tile128x128x128_s6_ws_c2x1_tmascales_e8m0_ovp.ptx -o %t/d.cubin 2>&1 | FileCheck %s
// RUN: fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-scale-load=tma gemm-persistent=on" | %extract-ptx -o %t/p
// RUN: %ptxas -arch=sm_90a -v %t/p/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_8192x8192x8192_tile128x128x128_s6_ws_c2x1_persistent_tmascales.ptx -o %t/e.cubin 2>&1 | FileCheck %s
// RUN: %ptxas -arch=sm_90a -v %t/p/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_8192x8192x8192_tile128x128x128_s6_ws_c2x1_persistent_tmascales_e8m0.ptx -o %t/f.cubin 2>&1 | FileCheck %s
// RUN: fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-scale-load=tma gemm-tile=128x192" | %extract-ptx -o %t/n192
// RUN: %ptxas -arch=sm_90a -v %t/n192/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_8192x8192x8192_tile128x192x128_s5_ws_c2x1_tmascales.ptx -o %t/g.cubin 2>&1 | FileCheck %s
// RUN: fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-scale-load=tma gemm-tile=128x160" | %extract-ptx -o %t/n160
// RUN: %ptxas -arch=sm_90a -v %t/n160/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_8192x8192x8192_tile128x160x128_s5_ws_c2x1_tmascales.ptx -o %t/h.cubin 2>&1 | FileCheck %s
// RUN: fp8-opt %s --fp8-gpu-pipeline="chip=sm_90a gemm-scale-load=tma gemm-tile=128x144" | %extract-ptx -o %t/n144
// RUN: %ptxas -arch=sm_90a -v %t/n144/fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_8192x8192x8192_tile128x144x128_s5_ws_c2x1_tmascales_e8m0.ptx -o %t/i.cubin 2>&1 | FileCheck %s

// CHECK-NOT: (C75
// CHECK: Compiling entry function 'fp8_gemm_sm90_{{.*}}_tmascales{{.*}}' for 'sm_90a'
// CHECK: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// CHECK-NOT: (C75

// 6 stages of 32 KiB: the boxes start at 196608 bytes into the ring's
// aligned base; full[s] expects 32768 + 2048 bytes; the producer issues A,
// B (multicast) and the box.
// PTX-NOT: ld.global
// PTX: ld.shared.b32 %r{{[0-9]+}}, [%rd{{[0-9]+}}+196608];
// PTX: ld.shared.b32 %r{{[0-9]+}}, [%rd{{[0-9]+}}+196736];
// PTX: ld.global.b32
// PTX-NOT: ld.global
// PTX: mov.b32 %r{{[0-9]+}}, 34816;
// PTX-NEXT: mbarrier.arrive.expect_tx
// PTX-NOT: ld.global
// PTX: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [
// PTX: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes.multicast::cluster
// PTX: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes [
// PTX-NOT: ld.global

// MX: A's and B's boxes (2048 bytes each) counted, four TMA loads, the
// scales read with ld.shared, nothing from global memory.
// A's box at 196608 (rows r, r + 8: 16 bytes a row), B's after it at
// 196608 + 2048 (columns c, c + 1 of the thread).
// PTXMX-NOT: ld.global
// PTXMX: ld.shared.b8 %r{{[0-9]+}}, [%rd{{[0-9]+}}+196608];
// PTXMX: ld.shared.b8 %r{{[0-9]+}}, [%rd{{[0-9]+}}+196736];
// PTXMX: ld.shared.b8 %r{{[0-9]+}}, [%rd{{[0-9]+}}+198656];
// PTXMX: ld.shared.b8 %r{{[0-9]+}}, [%rd{{[0-9]+}}+198672];
// PTXMX-NOT: ld.global
// PTXMX: mov.b32 %r{{[0-9]+}}, 36864;
// PTXMX-NEXT: mbarrier.arrive.expect_tx
// PTXMX-COUNT-4: cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes
// PTXMX-NOT: ld.global

// MANIFEST: "name": "fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_8192x8192x8192_tile128x128x128_s6_ws_c2x1_tmascales"
// MANIFEST: "name": "a",
// MANIFEST: "box_dim": [
// MANIFEST-NEXT: 16,
// MANIFEST-NEXT: 128
// MANIFEST-NEXT: ],
// MANIFEST-NEXT: "data_type": "CU_TENSOR_MAP_DATA_TYPE_UINT8",
// MANIFEST: "element_type": "float32",
// MANIFEST-NEXT: "global_dim": [
// MANIFEST-NEXT: 256,
// MANIFEST-NEXT: 8192
// MANIFEST-NEXT: ],
// MANIFEST-NEXT: "global_strides_bytes": [
// MANIFEST-NEXT: 256
// MANIFEST: "name": "a_scale",
// MANIFEST: "swizzle": "CU_TENSOR_MAP_SWIZZLE_NONE"
// MANIFEST: "dtype": "float32",
// MANIFEST: "name": "b_scale",

func.func @blockwise(%a: tensor<8192x8192xf8E4M3FN>, %sa: tensor<8192x64xf32>,
                     %b: tensor<8192x8192xf8E4M3FN>, %sb: tensor<64x64xf32>) -> tensor<8192x8192xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<8192x8192xf8E4M3FN>, tensor<8192x64xf32>, tensor<8192x8192xf8E4M3FN>, tensor<64x64xf32>
        -> tensor<8192x8192xbf16>
  return %d : tensor<8192x8192xbf16>
}

func.func @mx(%a: tensor<8192x8192xf8E4M3FN>, %sa: tensor<8192x256xf8E8M0FNU>,
              %b: tensor<8192x8192xf8E4M3FN>, %sb: tensor<8192x256xf8E8M0FNU>) -> tensor<8192x8192xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<8192x8192xf8E4M3FN>, tensor<8192x256xf8E8M0FNU>, tensor<8192x8192xf8E4M3FN>, tensor<8192x256xf8E8M0FNU>
        -> tensor<8192x8192xbf16>
  return %d : tensor<8192x8192xbf16>
}
