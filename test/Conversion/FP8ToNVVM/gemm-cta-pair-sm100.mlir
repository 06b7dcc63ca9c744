// The sm_100a CTA-pair GEMM (gemm-warp-specialize=on gemm-cluster=2x1): a
// 2x1 cluster computes a 256 x 128 tile with tcgen05.mma.cta_group::2
// (M = 256) issued by thread 32 of the even CTA. Each CTA loads its 128
// rows of A and 64 of B's 128 rows; the TMA loads of both complete on the
// leader's full[s] (mapa to rank 0), which the leader alone arms with both
// CTAs' bytes; the leader's commits arrive on both CTAs' barriers
// (multicast mask 0b11). M = 384 is 1.5 pairs: 2 pairs, the odd CTA of the
// second wholly past M (stores guarded by row < 384).
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=on gemm-cluster=2x1 gemm-tile=128x128" --canonicalize --cse | FileCheck %s

// Manifest: clusters of two, 2 x 2 pairs; A's box 128 rows, B's 64 (innermost K first).
// CHECK: fp8.gpu_manifest = "{{.*}}\22block\22:[192,1,1],\22cluster\22:[2,1,1],\22dynamic_shared_memory\22:99432,\22grid\22:[8,1,1]
// CHECK-SAME: \22box_dim\22:[128,128]
// CHECK-SAME: \22box_dim\22:[128,64]

// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_384x256x512_tile128x128x128_s4_ws_cta2(
// CHECK-NOT:     cta_1
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C128:.*]] = arith.constant 128 : index
// CHECK-DAG:     %[[C64:.*]] = arith.constant 64 : index
// CHECK-DAG:     %[[C256:.*]] = arith.constant 256 : index
// CHECK:         %[[TID:.*]] = gpu.thread_id  x
// CHECK:         %[[WARP:.*]] = arith.divui %[[TID]]
// CHECK:         %[[THREAD0:.*]] = arith.cmpi eq, %[[TID]], %c0
// CHECK:         %[[WARP0:.*]] = arith.cmpi eq, %[[WARP]], %c0
// The cluster rank is blockIdx.x % 2, the pair tile blockIdx.x / 2 (M
// fastest: 2 row pairs); this CTA's rows 256 p + 128 r, B's rows
// 128 c + 64 r.
// CHECK:         %[[BID:.*]] = gpu.block_id  x
// CHECK:         %[[RANK:.*]] = arith.remui %[[BID]], %[[C2]]
// CHECK:         %[[RANK32:.*]] = arith.index_cast %[[RANK]] : index to i32
// CHECK:         %[[PAIR:.*]] = arith.divui %[[BID]], %[[C2]]
// CHECK:         %[[PM:.*]] = arith.remui %[[PAIR]], %[[C2]]
// CHECK:         %[[PN:.*]] = arith.divui %[[PAIR]], %[[C2]]
// CHECK:         %[[R0:.*]] = arith.muli %[[PM]], %[[C256]]
// CHECK:         %[[R1:.*]] = arith.muli %[[RANK]], %[[C128]]
// CHECK:         %[[ROW:.*]] = arith.addi %[[R0]], %[[R1]]
// CHECK:         %[[COL:.*]] = arith.muli %[[PN]], %[[C128]]
// CHECK:         %[[B1:.*]] = arith.muli %[[RANK]], %[[C64]]
// CHECK:         %[[BROW:.*]] = arith.addi %[[COL]], %[[B1]]
// Setup: 4 x full (1), 4 x empty (1), accumulatorFull (1).
// CHECK:         scf.if %[[THREAD0]] {
// CHECK-COUNT-9:   nvvm.mbarrier.init %{{.*}}, %c1_i32
// CHECK-NEXT:      nvvm.fence.mbarrier.init
// CHECK:         scf.if %[[WARP0]] {
// CHECK:           nvvm.tcgen05.alloc %{{.*}}, %c128_i32 {group = #nvvm.cta_group<cta_2>}
// CHECK-NEXT:      nvvm.tcgen05.relinquish_alloc_permit {group = #nvvm.cta_group<cta_2>}
// CHECK:         nvvm.cluster.arrive
// CHECK-NEXT:    nvvm.cluster.wait
// CHECK-NEXT:    nvvm.tcgen05.fence <after>
// CHECK:         %[[ISLEADER:.*]] = arith.cmpi eq, %[[RANK32]], %c0_i32
// Producer, thread 0 of each CTA: own empty[s], then (leader) 2 x (128 +
// 64) x 128 bytes on its full[s], then both loads on the leader's full[s].
// CHECK:         scf.if %[[THREAD0]] {
// CHECK:           scf.for
// CHECK:             nvvm.mbarrier.try_wait.parity
// CHECK:             scf.if %[[ISLEADER]] {
// CHECK:               nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c49152_i32
// CHECK:             %[[REMOTE:.*]] = nvvm.mapa %{{.*}}, %c0_i32 : !llvm.ptr<3> -> !llvm.ptr<7>
// CHECK:             %[[ADDR:.*]] = llvm.ptrtoint %[[REMOTE]]
// CHECK:             %[[FULL:.*]] = llvm.inttoptr %[[ADDR]] : i64 to !llvm.ptr<3>
// CHECK:             %[[AROW:.*]] = arith.index_cast %[[ROW]] : index to i32
// CHECK:             nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %arg0, %[[FULL]], box[%{{.*}}, %[[AROW]]] {group = #nvvm.cta_group<cta_2>}
// CHECK:             %[[BROW32:.*]] = arith.index_cast %[[BROW]] : index to i32
// CHECK:             nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %arg2, %[[FULL]], box[%{{.*}}, %[[BROW32]]] {group = #nvvm.cta_group<cta_2>}
// MMA: thread 32 of the leader; idesc 0x10200410 = M 256 (16 << 24), N 128.
// CHECK:         scf.if
// CHECK:           scf.for
// CHECK:             nvvm.mbarrier.try_wait.parity
// CHECK-COUNT-4:     nvvm.tcgen05.mma %{{.*}}, %{{.*}}, %{{.*}}, %c270532624_i32, %{{.*}} {ctaGroup = #nvvm.cta_group<cta_2>, kind = #nvvm.tcgen05_mma_kind<f8f6f4>}
// CHECK:             nvvm.tcgen05.commit %{{.*}}, multicast_mask = %c3_i16 {group = #nvvm.cta_group<cta_2>}
// CHECK:           }
// CHECK:           nvvm.tcgen05.commit %{{.*}}, multicast_mask = %c3_i16 {group = #nvvm.cta_group<cta_2>}
// Epilogue warps 2-5: accumulatorFull, then rows past M = 384 not stored.
// CHECK:         scf.if
// CHECK:           nvvm.mbarrier.try_wait.parity %{{.*}}, %c0_i32
// CHECK:           nvvm.tcgen05.fence <after>
// CHECK:           arith.cmpi ult, %{{.*}}, %c384
// CHECK:           nvvm.tcgen05.ld
// Teardown: both CTAs meet before either frees the pair's tensor memory.
// CHECK:         nvvm.tcgen05.fence <before>
// CHECK-NEXT:    nvvm.cluster.arrive
// CHECK-NEXT:    nvvm.cluster.wait
// CHECK:         scf.if %[[WARP0]] {
// CHECK-NEXT:      nvvm.tcgen05.fence <after>
// CHECK:           nvvm.tcgen05.dealloc %{{.*}}, %c128_i32 {group = #nvvm.cta_group<cta_2>}
// CHECK:         gpu.return
// The launch has the cluster.
// CHECK:       gpu.launch_func @{{.*}}_ws_cta2::@{{.*}}_ws_cta2 clusters in (%c2, %c1, %c1) blocks in (%c8, %c1, %c1) threads in (%c192, %c1, %c1)

func.func @ragged(%a: tensor<384x512xf8E4M3FN>, %sa: tensor<f32>,
                  %b: tensor<256x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<384x256xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<384x512xf8E4M3FN>, tensor<f32>, tensor<256x512xf8E4M3FN>, tensor<f32>
        -> tensor<384x256xbf16>
  return %d : tensor<384x256xbf16>
}
