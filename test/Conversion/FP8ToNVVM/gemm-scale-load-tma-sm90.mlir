// A's scales by TMA into the stage (gemm-scale-load=tma) in the
// warp-specialized sm_90a GEMM: the producer thread loads, with A's and
// B's tiles, a [tileM rows, 16 B] box of A's [M, K / group] scales at byte
// column kt * 4 (blockwise: group kt, for MX groups 4 kt .. 4 kt + 3) into
// the stage's scale box after the ring, counted in full[s]'s expect-tx
// (one arrival). The consumers read A's scales from the box of the stage
// they waited for, before releasing it; no global load of A's scales is
// left (B's [128, 128] scales stay global, MX B's come by TMA too).
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_90a gemm-warp-specialize=on gemm-scale-load=tma" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_90a gemm-warp-specialize=on gemm-scale-load=tma" --canonicalize --cse | FileCheck %s --check-prefix=MX
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_90a gemm-warp-specialize=on gemm-scale-load=tma gemm-promotion=overlapped" --canonicalize --cse | FileCheck %s --check-prefix=OVP
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_90a gemm-warp-specialize=on" --canonicalize --cse | FileCheck %s --check-prefix=GLOBAL
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_90a gemm-warp-specialize=on gemm-scale-load=tma" --canonicalize --cse | FileCheck %s --check-prefix=HOST

// [1, 128] x [128, 128], 1000x2048x1024, tile 128x128, 6 stages of 32 KiB
// (A 16 KiB + B 16 KiB): the scale boxes start after the ring at 6 x 32768
// = 196608 bytes into the aligned shared memory, 128 x 16 = 2048 bytes per
// stage, so full[s] expects 32768 + 2048 = 34816 bytes.
// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_1000x2048x1024_tile128x128x128_s6_ws_c2x1_tmascales(
// CHECK-SAME:    %[[AMAP:[^:]*]]: !llvm.ptr, %[[ASF:[^:]*]]: !llvm.ptr, %[[BMAP:[^:]*]]: !llvm.ptr, %[[BSF:[^:]*]]: memref<128xf32>,
// CHECK:         %[[BOXES:.*]] = arith.addi %[[ALIGN:.*]], %c196608 : index
// full[s] counts one arrival (the producer's expect_tx).
// CHECK:         nvvm.mbarrier.init %{{.*}}, %c1_i32
// Producer: wait empty[s], expect_tx with the box, A, B (multicast in the
// 2x1 cluster), then the box of this CTA's own rows at byte column 4 kt.
// CHECK:         scf.for %[[KT:.*]] = %c0 to %c8 step %c1 {
// CHECK:           %[[STAGE:.*]] = arith.remui %[[KT]], %c6 : index
// CHECK:           nvvm.mbarrier.try_wait.parity
// CHECK:           nvvm.mbarrier.arrive.expect_tx %[[FULL:.*]], %c34816_i32
// CHECK:           nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[AMAP]], %[[FULL]], box[%{{.*}}, %[[ROW:.*]]] :
// CHECK:           nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BMAP]], %[[FULL]], box{{.*}} multicast_mask
// CHECK:           %[[COL4:.*]] = arith.muli %[[KT]], %c4 : index
// CHECK:           %[[COL:.*]] = arith.index_cast %[[COL4]] : index to i32
// CHECK:           %[[BOXOFF:.*]] = arith.muli %[[STAGE]], %c2048 : index
// CHECK:           arith.addi %[[BOXES]], %[[BOXOFF]] : index
// CHECK:           nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[ASF]], %[[FULL]], box[%[[COL]], %[[ROW]]] :
// CHECK-NOT:       multicast_mask
// CHECK:         }
// Consumer: after full[s], the wgmma's and their commit, A's scales of
// rows r and r + 8 from the stage's box (4 f32 a row: index 4 row + 0,
// + 32), B's from global, then the wait and the promotion.
// CHECK:         nvvm.setmaxregister  increase 232
// CHECK:         nvvm.mbarrier.try_wait.parity
// CHECK:         nvvm.wgmma.commit.group.sync.aligned
// CHECK:         %[[CSTAGE:.*]] = arith.remui %{{.*}}, %c6 : index
// CHECK:         %[[CBOXOFF:.*]] = arith.muli %[[CSTAGE]], %c2048 : index
// CHECK:         %[[CBOX:.*]] = arith.addi %[[BOXES]], %[[CBOXOFF]] : index
// CHECK:         %[[VIEW:.*]] = memref.view %{{.*}}[%[[CBOX]]][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<512xf32, #gpu.address_space<workgroup>>
// CHECK:         %[[R0:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:         memref.load %[[VIEW]][%[[R0]]] : memref<512xf32, #gpu.address_space<workgroup>>
// CHECK:         %[[R8:.*]] = arith.addi %[[R0]], %c32 : index
// CHECK:         memref.load %[[VIEW]][%[[R8]]] : memref<512xf32, #gpu.address_space<workgroup>>
// CHECK:         memref.load %[[BSF]]
// CHECK:         nvvm.wgmma.wait.group.sync.aligned 0
// CHECK:         gpu.return

// MX (E8M0 [1, 32]): four K groups a step, group g at byte g of each 16-byte
// box row: the view is E8M0, row t's group g at 16 t + g, row + 8 at
// + 128. B's per-column scales come by TMA too: a [tileN, 16 B] box at the
// same byte column after A's (stage box + 2048), full[s] expects 32768 +
// 2048 + 2048 bytes, and B's scales are read from that box after the wgmma
// wait, so the stage is released after the last group's promotion. Both
// scale operands are descriptors: no global memref of scales is left.
// Every consumer warp's lane 0 releases the stage (4 x 2 warpgroups x 2
// CTAs = 16 arrivals on empty[s]).
// MX-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_1000x2048x1024_tile128x128x128_s6_ws_c2x1_tmascales_e8m0(
// MX-SAME:    %[[AMAP:[^:]*]]: !llvm.ptr, %[[ASF:[^:]*]]: !llvm.ptr, %[[BMAP:[^:]*]]: !llvm.ptr, %[[BSF:[^:]*]]: !llvm.ptr,
// MX-NOT:     xf8E8M0FNU>
// MX:         nvvm.mbarrier.init %{{.*}}, %c16_i32
// MX:         nvvm.mbarrier.arrive.expect_tx %[[FULL:.*]], %c36864_i32
// MX:         nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[ASF]], %[[FULL]], box[%[[COL:.*]], %{{.*}}]
// MX:         %[[BBOX:.*]] = arith.addi %{{.*}}, %c2048 : index
// MX:         arith.addi %{{.*}}, %[[BBOX]] : index
// MX:         nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BSF]], %[[FULL]], box[%[[COL]], %{{.*}}] :
// MX:         nvvm.setmaxregister  increase 232
// MX:         memref.view %{{.*}} to memref<2048xf8E8M0FNU, #gpu.address_space<workgroup>>
// MX:         %[[BVIEWOFF:.*]] = arith.addi %{{.*}}, %c2048 : index
// MX:         %[[BVIEW:.*]] = memref.view %{{.*}}[%[[BVIEWOFF]]][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<2048xf8E8M0FNU, #gpu.address_space<workgroup>>
// MX:         nvvm.wgmma.wait.group.sync.aligned 0
// MX:         memref.load %[[BVIEW]]
// Last group of the step: wait, promotion (B's loads), then the release.
// MX:         nvvm.wgmma.wait.group.sync.aligned 0
// MX:         nvvm.wgmma.wait.group.sync.aligned 0
// MX:         nvvm.wgmma.wait.group.sync.aligned 0
// MX-NOT:     nvvm.mbarrier.arrive
// MX:         memref.load
// MX:         llvm.intr.fma
// MX:         nvvm.mbarrier.arrive
// MX-NOT:     xf8E8M0FNU>
// MX:         gpu.return
// MX-LABEL: func.func @mx

// Overlapped promotion: the scales of each K group still come from its
// stage's box, read before that stage's release.
// OVP-LABEL: gpu.func @fp8_gemm_sm90_{{.*}}_tmascales_ovp(
// OVP:         nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c34816_i32
// OVP:         memref.view %{{.*}} to memref<512xf32, #gpu.address_space<workgroup>>
// OVP:         nvvm.wgmma.wait.group.sync.aligned 1
// OVP:         nvvm.mbarrier.arrive
// OVP:         gpu.return

// gemm-scale-load=global (the default): A's scales are a buffer, full[s]
// counts the tiles only.
// GLOBAL-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_1000x2048x1024_tile128x128x128_s6_ws_c2x1(
// GLOBAL-SAME:    %{{[^:]*}}: !llvm.ptr, %{{[^:]*}}: memref<8000xf32>,
// GLOBAL:         nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c32768_i32
// GLOBAL-NOT:     memref<512xf32, #gpu.address_space<workgroup>>
// GLOBAL:         gpu.return

// Host: A's f32 scales [1000, 8] become a [1000, 32] byte view (rows of
// 8 x 4 bytes) with a [128, 16] box and no swizzle; a runtime M keeps its
// rows (memref.dim). E8M0 scales are bytes already.
// HOST-LABEL: func.func @blockwise(
// HOST:         %[[SA:.*]] = builtin.unrealized_conversion_cast %{{.*}} : memref<1000x8xf32> to memref<1000x8xui8>
// HOST:         %[[SAB:.*]] = memref.reinterpret_cast %[[SA]] to offset: [0], sizes: [1000, 32], strides: [32, 1] : memref<1000x8xui8> to memref<1000x32xui8>
// HOST:         %[[SAU:.*]] = memref.cast %[[SAB]] : memref<1000x32xui8> to memref<*xui8>
// HOST:         nvgpu.tma.create.descriptor %[[SAU]] box[%c128, %c16] : memref<*xui8> -> <tensor = memref<128x16xui8, #gpu.address_space<workgroup>>, swizzle = none,
// HOST-LABEL: func.func @mx(
// HOST-NOT:     memref.reinterpret_cast
// HOST:         nvgpu.tma.create.descriptor %{{.*}} box[%c128, %c16] : memref<*xui8> -> <tensor = memref<128x16xui8, #gpu.address_space<workgroup>>, swizzle = none,
// HOST-LABEL: func.func @runtime_m(
// HOST:         %[[DSA:.*]] = builtin.unrealized_conversion_cast %{{.*}} : memref<?x8xf32> to memref<?x8xui8>
// HOST:         %[[ROWS:.*]] = memref.dim %[[DSA]], %c0 : memref<?x8xui8>
// HOST:         memref.reinterpret_cast %[[DSA]] to offset: [0], sizes: [%[[ROWS]], 32], strides: [32, 1] : memref<?x8xui8> to memref<?x32xui8>

func.func @blockwise(%a: tensor<1000x1024xf8E4M3FN>, %sa: tensor<1000x8xf32>,
                     %b: tensor<2048x1024xf8E4M3FN>, %sb: tensor<16x8xf32>) -> tensor<1000x2048xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<1000x1024xf8E4M3FN>, tensor<1000x8xf32>, tensor<2048x1024xf8E4M3FN>, tensor<16x8xf32>
        -> tensor<1000x2048xbf16>
  return %d : tensor<1000x2048xbf16>
}

func.func @mx(%a: tensor<1000x1024xf8E4M3FN>, %sa: tensor<1000x32xf8E8M0FNU>,
              %b: tensor<2048x1024xf8E4M3FN>, %sb: tensor<2048x32xf8E8M0FNU>) -> tensor<1000x2048xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<1000x1024xf8E4M3FN>, tensor<1000x32xf8E8M0FNU>, tensor<2048x1024xf8E4M3FN>, tensor<2048x32xf8E8M0FNU>
        -> tensor<1000x2048xbf16>
  return %d : tensor<1000x2048xbf16>
}

func.func @runtime_m(%a: tensor<?x1024xf8E4M3FN>, %sa: tensor<?x8xf32>,
                     %b: tensor<2048x1024xf8E4M3FN>, %sb: tensor<16x8xf32>) -> tensor<?x2048xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<?x1024xf8E4M3FN>, tensor<?x8xf32>, tensor<2048x1024xf8E4M3FN>, tensor<16x8xf32>
        -> tensor<?x2048xbf16>
  return %d : tensor<?x2048xbf16>
}
