// The schedule options in the persistent sm_90a GEMM: gemm-raster=grouped
// orders the cluster tiles the CTAs loop over, and gemm-wait-hint=spin
// waits without the suspend hint, on the same phases: the ring continues
// across tiles (K step kt of a tile with slot base B uses slot B + kt,
// stage (B + kt) % 3, parity ((B + kt) / 3) & 1), so the phase each wait
// names flips between tiles as with the default waits.
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x128 gemm-stages=3 gemm-persistent=on gemm-raster=grouped gemm-raster-group=4 gemm-wait-hint=spin" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x128 gemm-stages=3 gemm-persistent=on" --canonicalize --cse | FileCheck %s --check-prefix=DEFAULT

// 20 x 12 tiles in 2x1 clusters: 10 x 12 cluster tiles for 66 clusters.
// Strips of 4 cluster rows (48 cluster tiles), the last one 2 rows high.
// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2560x1536x512_tile128x128x128_s3_ws_c2x1_persistent_spin_grp4(
// CHECK:         %[[RANK32:.*]] = nvvm.read.ptx.sreg.cluster.ctarank : i32
// CHECK-NEXT:    %[[RANK:.*]] = arith.index_cast %[[RANK32]] : i32 to index
// CHECK:         nvvm.setmaxregister decrease 40
// CHECK:           %[[CLUSTER:.*]] = arith.divui %block_id_x, %c2
// CHECK-NEXT:      scf.for %[[CT:.*]] = %[[CLUSTER]] to %c120 step %c66 iter_args(%[[BASE:.*]] = %c0) -> (index) {
// CHECK-NEXT:        %[[STRIP:.*]] = arith.divui %[[CT]], %c48
// CHECK-NEXT:        %[[IN:.*]] = arith.remui %[[CT]], %c48
// CHECK-NEXT:        %[[FIRST:.*]] = arith.muli %[[STRIP]], %c4
// CHECK-NEXT:        %[[LEFT:.*]] = arith.subi %c10, %[[FIRST]]
// CHECK-NEXT:        %[[HEIGHT:.*]] = arith.minui %[[LEFT]], %c4
// CHECK-NEXT:        %[[DOWN:.*]] = arith.remui %[[IN]], %[[HEIGHT]]
// CHECK-NEXT:        %[[CM:.*]] = arith.addi %[[FIRST]], %[[DOWN]]
// CHECK-NEXT:        %[[CN:.*]] = arith.divui %[[IN]], %[[HEIGHT]]
// CHECK-NEXT:        %[[PAIR:.*]] = arith.muli %[[CM]], %c2
// CHECK-NEXT:        %[[TM:.*]] = arith.addi %[[PAIR]], %[[RANK]]
// CHECK-NEXT:        arith.muli %[[TM]], %c128
// CHECK-NEXT:        arith.muli %[[CN]], %c128
// The producer waits on empty[s] for the round before its slot's.
// CHECK-NEXT:        scf.for %[[KT:.*]] = %c0 to %c4 step %c1 {
// CHECK-NEXT:          %[[SLOT:.*]] = arith.addi %[[BASE]], %[[KT]]
// CHECK-NEXT:          %[[STAGE:.*]] = arith.remui %[[SLOT]], %c3
// CHECK-NEXT:          %[[ROUND:.*]] = arith.divui %[[SLOT]], %c3
// CHECK-NEXT:          %[[ODD:.*]] = arith.andi %[[ROUND]], %c1
// CHECK-NEXT:          %[[PARITY:.*]] = arith.index_cast %[[ODD]] : index to i32
// CHECK-NEXT:          %[[BEFORE:.*]] = arith.xori %[[PARITY]], %c1_i32
// CHECK:               nvvm.inline_ptx "{{.*}}mbarrier.try_wait.parity.shared.b64 P1, [$0], $1;{{.*}}" ro(%{{.*}}, %[[BEFORE]] : !llvm.ptr<3>, i32)
// CHECK:               nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c32768_i32
// CHECK:             }
// CHECK-NEXT:        %[[NEXTBASE:.*]] = arith.addi %[[BASE]], %c4
// CHECK-NEXT:        scf.yield %[[NEXTBASE]] : index
// The consumers walk the same cluster tiles and wait on full[s] for the
// parity of their slot: K step 0 at slot CBASE, the loop at CBASE + kt.
// CHECK:         nvvm.setmaxregister increase 232
// CHECK:         scf.for %[[CCT:.*]] = %{{.*}} to %c120 step %c66 iter_args(%[[CBASE:.*]] = %c0) -> (index) {
// CHECK-NEXT:      %[[CSTRIP:.*]] = arith.divui %[[CCT]], %c48
// CHECK:           %[[ROUND0:.*]] = arith.divui %[[CBASE]], %c3
// CHECK-NEXT:      %[[ODD0:.*]] = arith.andi %[[ROUND0]], %c1
// CHECK-NEXT:      %[[PARITY0:.*]] = arith.index_cast %[[ODD0]] : index to i32
// CHECK-NEXT:      nvvm.inline_ptx "{{.*}}" ro(%{{.*}}, %[[PARITY0]] : !llvm.ptr<3>, i32)
// CHECK:           scf.for %[[CKT:.*]] = %c1 to %c4 step %c1
// CHECK-NEXT:        %[[CSLOT:.*]] = arith.addi %[[CBASE]], %[[CKT]]
// CHECK:             %[[CROUND:.*]] = arith.divui %[[CSLOT]], %c3
// CHECK-NEXT:        %[[CODD:.*]] = arith.andi %[[CROUND]], %c1
// CHECK-NEXT:        %[[CPARITY:.*]] = arith.index_cast %[[CODD]] : index to i32
// CHECK-NEXT:        nvvm.inline_ptx "{{.*}}" ro(%{{.*}}, %[[CPARITY]] : !llvm.ptr<3>, i32)
// CHECK:           nvvm.wgmma.wait.group.sync.aligned 0
// CHECK:           arith.addi %[[CBASE]], %c4
// CHECK-NOT:     nvvm.mbarrier.try_wait.parity
// CHECK:         gpu.return

// By default the cluster tiles go M fastest: (t % 10, t / 10).
// DEFAULT:       scf.for %[[CT:.*]] = %{{.*}} to %c120 step %c66 iter_args(%{{.*}} = %c0) -> (index) {
// DEFAULT-NEXT:    arith.remui %[[CT]], %c10
// DEFAULT-NEXT:    arith.divui %[[CT]], %c10
// DEFAULT:         nvvm.mbarrier.try_wait.parity %{{.*}}, %{{.*}}, %c10000000_i32
// DEFAULT-NOT:   nvvm.inline_ptx
func.func @persistent(%a: tensor<2560x512xf8E4M3FN>, %sa: tensor<f32>,
                      %b: tensor<1536x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<2560x1536xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<2560x512xf8E4M3FN>, tensor<f32>, tensor<1536x512xf8E4M3FN>, tensor<f32>
        -> tensor<2560x1536xbf16>
  return %d : tensor<2560x1536xbf16>
}
