// The ping-pong schedule of the persistent sm_90a GEMM
// (gemm-schedule=pingpong): each consumer warpgroup computes whole
// 128x128 tiles, consumer w the CTA's tiles w, w + 2, ..., and order
// mbarriers after full[3] and empty[3] make the consumers take turns:
// order[0][w] (offsets 48 and 56 from full[0]) around the main loops and,
// by default (gemm-pingpong-order=mma-epilogue, as CUTLASS), order[1][w]
// (offsets 64 and 72) around the epilogues, with the same parity. With
// gemm-pingpong-order=mma only the first pair exists. Each stage has one
// reader per CTA, so empty[s] counts one arrival per CTA of the cluster;
// the producer is the persistent one, its expect-tx bytes unchanged.
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-stages=3 gemm-persistent=on gemm-schedule=pingpong gemm-cluster=1x1" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-stages=3 gemm-persistent=on gemm-schedule=pingpong" --canonicalize --cse | FileCheck %s --check-prefix=CLUSTER
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-stages=3 gemm-persistent=on" --canonicalize --cse | FileCheck %s --check-prefix=COOP
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-stages=3 gemm-persistent=on gemm-schedule=pingpong gemm-pingpong-order=mma gemm-cluster=1x1" --canonicalize --cse | FileCheck %s --check-prefix=MMAORDER

// 20 x 12 tiles of 128x128 for 132 CTAs; 4 K steps per tile.
// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2560x1536x512_tile128x128x128_s3_ws_persistent_pingpong(
// Three full and three empty barriers of one arrival, four order barriers
// of 128 (every thread of the other consumer).
// CHECK-COUNT-6: nvvm.mbarrier.init %{{.*}}, %c1_i32 : !llvm.ptr<3>, i32
// CHECK-NEXT:    %[[ORDER0:.*]] = arith.addi %[[PAD:.*]], %c98352 : index
// CHECK:         nvvm.mbarrier.init %{{.*}}, %c128_i32 : !llvm.ptr<3>, i32
// CHECK-NEXT:    arith.addi %[[PAD]], %c98360 : index
// CHECK:         nvvm.mbarrier.init %{{.*}}, %c128_i32 : !llvm.ptr<3>, i32
// CHECK-NEXT:    arith.addi %[[PAD]], %c98368 : index
// CHECK:         nvvm.mbarrier.init %{{.*}}, %c128_i32 : !llvm.ptr<3>, i32
// CHECK-NEXT:    arith.addi %[[PAD]], %c98376 : index
// CHECK:         nvvm.mbarrier.init %{{.*}}, %c128_i32 : !llvm.ptr<3>, i32
// CHECK-NEXT:    nvvm.fence.mbarrier.init
// The producer loads every tile of the CTA in order: 4 slots a tile.
// CHECK:         nvvm.setmaxregister  decrease 40
// CHECK:           scf.for %{{.*}} = %block_id_x to %c240 step %c132 iter_args(%[[PBASE:.*]] = %c0) -> (index) {
// CHECK:             nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c32768_i32
// CHECK:             arith.addi %[[PBASE]], %c4 : index
// Consumer w = warpgroup - 1 starts at the CTA's tile w (cluster + 132 w),
// slot 4 w and turn parity 1 - w, and takes every other tile.
// CHECK:         nvvm.setmaxregister  increase 232
// CHECK:         %[[W:.*]] = arith.subi %[[WG:.*]], %c1 : index
// CHECK:         %[[SLOT0:.*]] = arith.muli %[[W]], %c4 : index
// CHECK-NEXT:    %[[OTHER:.*]] = arith.subi %c2, %[[WG]] : index
// CHECK-NEXT:    %[[PARITY0:.*]] = arith.index_cast %[[OTHER]] : index to i32
// CHECK:         %[[FIRST:.*]] = arith.muli %[[W]], %c132 : index
// CHECK-NEXT:    %[[START:.*]] = arith.addi %block_id_x, %[[FIRST]] : index
// CHECK-NEXT:    scf.for %{{.*}} = %[[START]] to %c240 step %c264 iter_args(%[[BASE:.*]] = %[[SLOT0]], %[[PARITY:.*]] = %[[PARITY0]]) -> (index, i32) {
// Its turn barrier is order[0][w], the one it passes order[0][1 - w];
// for the epilogue order[1][w] and order[1][1 - w], 16 bytes on.
// CHECK:           %[[MINE:.*]] = arith.muli %[[W]], %c8 : index
// CHECK:           %[[THEIRS:.*]] = arith.muli %[[OTHER]], %c8 : index
// CHECK:           %[[PASS:.*]] = llvm.inttoptr
// CHECK-NEXT:      %[[EPI:.*]] = arith.addi %[[PAD]], %c98368 : index
// CHECK-NEXT:      arith.addi %[[EPI]], %[[MINE]] : index
// CHECK:           %[[EPIWAIT:.*]] = llvm.inttoptr
// CHECK-NEXT:      arith.addi %[[EPI]], %[[THEIRS]] : index
// CHECK:           %[[EPIPASS:.*]] = llvm.inttoptr
// The turn comes before the first full-barrier wait of the tile.
// CHECK:           nvvm.mbarrier.try_wait.parity %{{.*}}, %[[PARITY]], %c10000000_i32
// CHECK-NEXT:      arith.remui %[[BASE]], %c3 : index
// CHECK:           nvvm.mbarrier.try_wait.parity
// CHECK:           nvvm.wgmma.mma_async
// CHECK:           scf.for %{{.*}} = %c1 to %c4 step %c1
// CHECK:             nvvm.wgmma.wait.group.sync.aligned 1
// CHECK:             scf.yield %{{.*}} : !llvm.struct
// CHECK-NEXT:      }
// Every wgmma of the tile is issued: the other consumer's turn, then the
// wait for the last K step and its release.
// CHECK-NEXT:      nvvm.mbarrier.arrive %[[PASS]] : !llvm.ptr<3>
// CHECK-NEXT:      nvvm.wgmma.wait.group.sync.aligned 0
// CHECK:           nvvm.mbarrier.arrive
// The epilogue's turn (same parity), before the first store of D; every
// thread passes it to the other consumer after the last.
// CHECK:           nvvm.mbarrier.try_wait.parity %[[EPIWAIT]], %[[PARITY]], %c10000000_i32
// CHECK-NOT:       nvvm.mbarrier
// CHECK:           vector.store
// CHECK-NOT:       nvvm.mbarrier
// CHECK:           nvvm.mbarrier.arrive %[[EPIPASS]] : !llvm.ptr<3>
// The next tile of this consumer is 2 tiles on: 8 slots, and the other
// parity of the turn barriers.
// CHECK-NEXT:      %[[NEXT:.*]] = arith.addi %[[BASE]], %c8 : index
// CHECK-NEXT:      %[[FLIP:.*]] = arith.xori %[[PARITY]], %c1_i32 : i32
// CHECK-NEXT:      scf.yield %[[NEXT]], %[[FLIP]] : index, i32
// CHECK-NOT:     nvvm.mbarrier
// CHECK:         gpu.return

// In 2x1 clusters each stage has one reader in each of the two CTAs.
// CLUSTER-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2560x1536x512_tile128x128x128_s3_ws_c2x1_persistent_pingpong(
// CLUSTER-COUNT-3: nvvm.mbarrier.init %{{.*}}, %c1_i32
// CLUSTER-COUNT-3: nvvm.mbarrier.init %{{.*}}, %c2_i32
// CLUSTER-COUNT-4: nvvm.mbarrier.init %{{.*}}, %c128_i32
// CLUSTER:       scf.for %{{.*}} = %{{.*}} to %c120 step %c132 iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (index, i32) {

// gemm-pingpong-order=mma: two order barriers, the main loops' turn only;
// the epilogue stores without waiting and passes nothing.
// MMAORDER-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2560x1536x512_tile128x128x128_s3_ws_persistent_pingpong_mmaorder(
// MMAORDER-COUNT-6: nvvm.mbarrier.init %{{.*}}, %c1_i32
// MMAORDER-COUNT-2: nvvm.mbarrier.init %{{.*}}, %c128_i32
// MMAORDER-NEXT:  nvvm.fence.mbarrier.init
// MMAORDER:       scf.for %{{.*}} iter_args(%{{.*}} = %{{.*}}, %[[PARITY:.*]] = %{{.*}}) -> (index, i32) {
// MMAORDER:         nvvm.mbarrier.try_wait.parity %{{.*}}, %[[PARITY]], %c10000000_i32
// MMAORDER:         nvvm.wgmma.wait.group.sync.aligned 0
// MMAORDER:         nvvm.mbarrier.arrive
// MMAORDER-NOT:     nvvm.mbarrier
// MMAORDER:         vector.store
// MMAORDER-NOT:     nvvm.mbarrier
// MMAORDER:         scf.yield %{{.*}}, %{{.*}} : index, i32

// Cooperative (the default): both consumers read every stage, no order
// barriers.
// COOP-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2560x1536x512_tile128x128x128_s3_ws_c2x1_persistent(
// COOP-COUNT-3: nvvm.mbarrier.init %{{.*}}, %c1_i32
// COOP-COUNT-3: nvvm.mbarrier.init %{{.*}}, %c4_i32
// COOP-NEXT:    nvvm.fence.mbarrier.init
// COOP-NOT:     %c128_i32
func.func @persistent(%a: tensor<2560x512xf8E4M3FN>, %sa: tensor<f32>,
                      %b: tensor<1536x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<2560x1536xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<2560x512xf8E4M3FN>, tensor<f32>, tensor<1536x512xf8E4M3FN>, tensor<f32>
        -> tensor<2560x1536xbf16>
  return %d : tensor<2560x1536xbf16>
}
