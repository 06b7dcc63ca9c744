// The GEMM schedule options (GemmSchedule; each off by default until a GPU
// has measured it): how the GEMMs wait on their mbarriers
// (gemm-wait-hint), the order of their tiles (gemm-raster,
// gemm-raster-group), the L2 promotion of their TMA descriptors
// (gemm-l2-promotion) and when the epilogue loads its scales
// (gemm-epilogue-prefetch). None of them changes the ring's protocol: the
// barriers, their arrival counts and the bytes each K step announces stay
// those of the default kernel.
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x128 gemm-stages=3 gemm-cluster=1x1" --canonicalize --cse | FileCheck %s --check-prefixes=RING,DEFAULT
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x128 gemm-stages=3 gemm-cluster=1x1 gemm-wait-hint=spin" --canonicalize --cse | FileCheck %s --check-prefixes=RING,SPIN
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x128 gemm-stages=3 gemm-cluster=1x1 gemm-raster=grouped gemm-raster-group=4" --canonicalize --cse | FileCheck %s --check-prefixes=RING,GROUPED
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x128 gemm-stages=3 gemm-cluster=2x1 gemm-raster=grouped gemm-raster-group=2" --canonicalize --cse | FileCheck %s --check-prefix=CLUSTER
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x128 gemm-stages=3 gemm-cluster=1x1 gemm-raster=grouped gemm-raster-group=10" --canonicalize --cse | FileCheck %s --check-prefix=WHOLE
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x128 gemm-stages=3 gemm-cluster=1x1 gemm-l2-promotion=256" | FileCheck %s --check-prefix=L2
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x128 gemm-stages=3 gemm-cluster=1x1 gemm-l2-promotion=64" | FileCheck %s --check-prefix=L2-64
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x128 gemm-stages=3 gemm-cluster=1x1" | FileCheck %s --check-prefix=L2-NONE

// 1280x768: 10 x 6 tiles of 128x128 (CTAs (x, y) = (row tile, column
// tile) by default).
// DEFAULT-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_1280x768x512_tile128x128x128_s3_ws(
// SPIN-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_1280x768x512_tile128x128x128_s3_ws_spin(
// GROUPED-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_1280x768x512_tile128x128x128_s3_ws_grp4(
// DEFAULT:         %[[X:.*]] = gpu.block_id  x
// DEFAULT-NEXT:    %[[Y:.*]] = gpu.block_id  y
// DEFAULT-NEXT:    arith.muli %[[X]], %c128
// DEFAULT-NEXT:    arith.muli %[[Y]], %c128
// Grouped: the CTA's place in launch order, t = x + 10 y, walks strips of
// 4 row tiles (4 x 6 = 24 tiles each), M fastest within a strip; the last
// strip holds the 2 rows left (min(10 - first row, 4)).
// GROUPED:         %[[X:.*]] = gpu.block_id  x
// GROUPED-NEXT:    %[[Y:.*]] = gpu.block_id  y
// GROUPED-NEXT:    %[[Y10:.*]] = arith.muli %[[Y]], %c10
// GROUPED-NEXT:    %[[T:.*]] = arith.addi %[[X]], %[[Y10]]
// GROUPED-NEXT:    %[[STRIP:.*]] = arith.divui %[[T]], %c24
// GROUPED-NEXT:    %[[IN:.*]] = arith.remui %[[T]], %c24
// GROUPED-NEXT:    %[[FIRST:.*]] = arith.muli %[[STRIP]], %c4
// GROUPED-NEXT:    %[[LEFT:.*]] = arith.subi %c10, %[[FIRST]]
// GROUPED-NEXT:    %[[HEIGHT:.*]] = arith.minui %[[LEFT]], %c4
// GROUPED-NEXT:    %[[DOWN:.*]] = arith.remui %[[IN]], %[[HEIGHT]]
// GROUPED-NEXT:    %[[ROW:.*]] = arith.addi %[[FIRST]], %[[DOWN]]
// GROUPED-NEXT:    %[[COL:.*]] = arith.divui %[[IN]], %[[HEIGHT]]
// GROUPED-NEXT:    arith.muli %[[ROW]], %c128
// GROUPED-NEXT:    arith.muli %[[COL]], %c128
// A strip of all 10 rows is the M-fastest order.
// WHOLE-LABEL: gpu.func @fp8_gemm_sm90_{{.*}}_s3_ws_grp10(
// WHOLE:         %[[X:.*]] = gpu.block_id  x
// WHOLE-NEXT:    %[[Y:.*]] = gpu.block_id  y
// WHOLE-NEXT:    %[[Y10:.*]] = arith.muli %[[Y]], %c10
// WHOLE-NEXT:    %[[T:.*]] = arith.addi %[[X]], %[[Y10]]
// WHOLE-NEXT:    %[[ROW:.*]] = arith.remui %[[T]], %c10
// WHOLE-NEXT:    %[[COL:.*]] = arith.divui %[[T]], %c10
// WHOLE-NEXT:    arith.muli %[[ROW]], %c128
// WHOLE-NEXT:    arith.muli %[[COL]], %c128
// The ring is the same whatever the schedule: 3 full barriers of one
// arrival (the producer's expect_tx), 3 empty barriers of two (one per
// consumer warpgroup), 32 KiB announced per K step.
// RING-COUNT-3:    nvvm.mbarrier.init %{{.*}}, %c1_i32
// RING-COUNT-3:    nvvm.mbarrier.init %{{.*}}, %c2_i32
// RING:            nvvm.fence.mbarrier.init
// RING:            nvvm.setmaxregister decrease 40
// Producer: the wait on empty[s] for the round before (parity ^ 1).
// RING:              %[[PARITY:.*]] = arith.xori %{{.*}}, %c1_i32 : i32
// DEFAULT-NEXT:      arith.addi
// DEFAULT:           nvvm.mbarrier.try_wait.parity %{{.*}}, %[[PARITY]], %c10000000_i32
// SPIN-NOT:          nvvm.mbarrier.try_wait.parity
// SPIN:              nvvm.inline_ptx "{\0A.reg .pred P1;\0ALAB_WAIT:\0Ambarrier.try_wait.parity.shared.b64 P1, [$0], $1;\0A@P1 bra.uni DONE;\0Abra.uni LAB_WAIT;\0ADONE:\0A}" ro(%{{.*}}, %[[PARITY]] : !llvm.ptr<3>, i32)
// RING:              nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c32768_i32
// Consumers: K step 0 waits on full[0] for phase 0, the loop on full[s]
// for its round's parity; with spin, no wait keeps the suspend hint.
// RING:            nvvm.setmaxregister increase 232
// DEFAULT:         nvvm.mbarrier.try_wait.parity %{{.*}}, %c0_i32, %c10000000_i32
// SPIN:            nvvm.inline_ptx "{{.*}}mbarrier.try_wait.parity.shared.b64 P1, [$0], $1;{{.*}}" ro(%{{.*}}, %c0_i32 : !llvm.ptr<3>, i32)
// RING:            scf.for
// DEFAULT:           nvvm.mbarrier.try_wait.parity %{{.*}}, %{{.*}}, %c10000000_i32
// SPIN:              nvvm.inline_ptx "{{.*}}mbarrier.try_wait.parity.shared.b64 P1, [$0], $1;{{.*}}" ro(
// SPIN-NOT:        nvvm.mbarrier.try_wait.parity
// RING:            gpu.return
//
// The L2 promotion reaches the launch manifest (both TMA descriptors) and
// the host's own descriptors (nvgpu.tma.create.descriptor).
// L2: fp8.gpu_manifest = "{{.*}}\22l2_promotion\22:\22CU_TENSOR_MAP_L2_PROMOTION_L2_256B\22,\22name\22:\22a\22{{.*}}\22l2_promotion\22:\22CU_TENSOR_MAP_L2_PROMOTION_L2_256B\22,\22name\22:\22b\22
// L2: gpu.func @fp8_gemm_sm90_{{.*}}_s3_ws_l2p256(
// L2-COUNT-2: nvgpu.tma.create.descriptor {{.*}} -> <tensor = memref<128x128xui8, #gpu.address_space<workgroup>>, swizzle = swizzle_128b, l2promo = l2promo_256b, oob = zero, interleave = none>
// L2-64: \22l2_promotion\22:\22CU_TENSOR_MAP_L2_PROMOTION_L2_64B\22,\22name\22:\22a\22
// L2-64-COUNT-2: l2promo = l2promo_64b
// L2-NONE: \22l2_promotion\22:\22CU_TENSOR_MAP_L2_PROMOTION_NONE\22,\22name\22:\22a\22
// L2-NONE-NOT: l2promo_{{[0-9]}}
//
// In a 2x1 cluster the raster orders cluster tiles (5 x 6 pairs of row
// tiles): the cluster's place in launch order, t = x / 2 + 5 y, is
// remapped (strips of 2 cluster rows, 12 cluster tiles each, the last
// strip one row), and the CTA keeps its rank x % 2 in the pair.
// CLUSTER-LABEL: gpu.func @fp8_gemm_sm90_{{.*}}_1280x768x512_tile128x128x128_s3_ws_c2x1_grp2(
// CLUSTER:         %[[X:.*]] = gpu.block_id  x
// CLUSTER-NEXT:    %[[Y:.*]] = gpu.block_id  y
// CLUSTER-NEXT:    %[[CX:.*]] = arith.divui %[[X]], %c2
// CLUSTER-NEXT:    %[[Y5:.*]] = arith.muli %[[Y]], %c5
// CLUSTER-NEXT:    %[[T:.*]] = arith.addi %[[CX]], %[[Y5]]
// CLUSTER-NEXT:    %[[STRIP:.*]] = arith.divui %[[T]], %c12
// CLUSTER-NEXT:    %[[IN:.*]] = arith.remui %[[T]], %c12
// CLUSTER-NEXT:    %[[FIRST:.*]] = arith.muli %[[STRIP]], %c2
// CLUSTER-NEXT:    %[[LEFT:.*]] = arith.subi %c5, %[[FIRST]]
// CLUSTER-NEXT:    %[[HEIGHT:.*]] = arith.minui %[[LEFT]], %c2
// CLUSTER-NEXT:    %[[DOWN:.*]] = arith.remui %[[IN]], %[[HEIGHT]]
// CLUSTER-NEXT:    %[[CROW:.*]] = arith.addi %[[FIRST]], %[[DOWN]]
// CLUSTER-NEXT:    %[[COL:.*]] = arith.divui %[[IN]], %[[HEIGHT]]
// CLUSTER-NEXT:    %[[PAIR:.*]] = arith.muli %[[CROW]], %c2
// CLUSTER-NEXT:    %[[RANK:.*]] = arith.remui %[[X]], %c2
// CLUSTER-NEXT:    %[[ROW:.*]] = arith.addi %[[PAIR]], %[[RANK]]
// CLUSTER-NEXT:    arith.muli %[[ROW]], %c128
// CLUSTER-NEXT:    arith.muli %[[COL]], %c128
func.func @tensorwise(%a: tensor<1280x512xf8E4M3FN>, %sa: tensor<f32>,
                      %b: tensor<768x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<1280x768xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<1280x512xf8E4M3FN>, tensor<f32>, tensor<768x512xf8E4M3FN>, tensor<f32>
        -> tensor<1280x768xbf16>
  return %d : tensor<1280x768xbf16>
}
