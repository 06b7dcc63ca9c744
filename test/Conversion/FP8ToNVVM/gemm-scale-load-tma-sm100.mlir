// MXFP8 scale factors by TMA (gemm-scale-load=tma) in the warp-specialized
// sm_100a GEMM: the producer thread loads per stage one [128 rows, 16 B]
// box of A's scales and one per 128 rows of B's, counted in full[s]'s
// expect-tx (one arrival); the MMA warp rearranges each box into the
// tcgen05.cp source; lane 0 copies it to tensor memory before the MMAs
// that read it. No ld.global of scales anywhere.
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=on gemm-scale-load=tma" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=on gemm-scale-load=tma" --canonicalize --cse | FileCheck %s --check-prefix=NOGLOBAL

// 1000x2050x1024, tile 128x128: a stage holds A 16 KiB + B 16 KiB, the two
// cp sources (512 B each) and the two boxes (2048 B each) = 37888 B.
// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_1000x2050x1024_tile128x128x128_s4_ws_tmascales(
// CHECK-SAME:    %[[AMAP:[^:]*]]: !llvm.ptr, %[[ASF:[^:]*]]: !llvm.ptr, %[[BMAP:[^:]*]]: !llvm.ptr, %[[BSF:[^:]*]]: !llvm.ptr,
// full[s] counts one arrival (the producer's expect_tx) only.
// CHECK:         nvvm.mbarrier.init %{{.*}}, %c1_i32
// CHECK-NOT:     nvvm.mbarrier.init %{{.*}}, %c33_i32
// Producer (thread 0): expect_tx = 32768 operand bytes + 2 x 2048 box
// bytes, then A, B and the two scale boxes at K group 4 kt.
// CHECK:         nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c36864_i32
// CHECK:         nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[AMAP]]
// CHECK:         nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BMAP]]
// CHECK:         %[[GROUP:.*]] = arith.index_cast %{{.*}} : index to i32
// CHECK:         nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[ASF]], %{{.*}}, box[%[[GROUP]],
// CHECK:         nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BSF]], %{{.*}}, box[%[[GROUP]],
// MMA warp: every lane waits full[s], gathers rows l + 32 q of each box
// (4 x ld.shared i32) into one 16-byte store, fences to the async proxy,
// bar.warp.sync; then lane 0: tcgen05.cp of the two chunks, then the four
// block-scaled MMAs, then the commit that frees the stage.
// CHECK:         nvvm.mbarrier.try_wait.parity
// CHECK-COUNT-4: llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<3> -> i32
// CHECK:         llvm.store %{{.*}} {alignment = 16 : i64} : vector<4xi32>, !llvm.ptr<3>
// CHECK-COUNT-4: llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr<3> -> i32
// CHECK:         llvm.store %{{.*}} {alignment = 16 : i64} : vector<4xi32>, !llvm.ptr<3>
// CHECK:         nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK-NEXT:    nvvm.bar.warp.sync %c-1_i32
// CHECK-NEXT:    %[[LANE0:.*]] = arith.cmpi eq, %{{.*}}, %c0 : index
// CHECK-NEXT:    scf.if %[[LANE0]] {
// CHECK-NEXT:      nvvm.tcgen05.fence <after>
// CHECK:           nvvm.tcgen05.cp {{.*}}shape = #nvvm.tcgen05_cp_shape<shape_32x128b>
// CHECK:           nvvm.tcgen05.cp {{.*}}shape = #nvvm.tcgen05_cp_shape<shape_32x128b>
// CHECK-COUNT-4:   nvvm.tcgen05.mma.block_scale
// CHECK:           nvvm.tcgen05.commit
// CHECK:         gpu.return

// NOGLOBAL-LABEL: gpu.func @fp8_gemm_sm100
// NOGLOBAL-NOT:   memref.load
// NOGLOBAL-NOT:   vector.load
// NOGLOBAL:       gpu.return

func.func @mx(%a: tensor<1000x1024xf8E4M3FN>, %sa: tensor<1000x32xf8E8M0FNU>,
              %b: tensor<2050x1024xf8E4M3FN>, %sb: tensor<2050x32xf8E8M0FNU>) -> tensor<1000x2050xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<1000x1024xf8E4M3FN>, tensor<1000x32xf8E8M0FNU>, tensor<2050x1024xf8E4M3FN>, tensor<2050x32xf8E8M0FNU>
        -> tensor<1000x2050xbf16>
  return %d : tensor<1000x2050xbf16>
}
