// Block scales along K on sm_90a: each K group's wgmma's start fresh partial
// sums (scale-d = 0), which are promoted into the f32 accumulators with
// fma(partial, sA[row, g] * sB[col, g], acc) once the group is complete.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="gemm-tile=64x128 gemm-stages=2" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="gemm-warp-specialize=on" --canonicalize --cse | FileCheck %s --check-prefix=WS
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu | FileCheck %s --check-prefix=HEURISTIC

// DeepSeek-style [1, 128] x [128, 128]: K = 384 is 3 groups, one per K step.

// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_256x256x384_tile64x128x128_s2(
// CHECK-SAME:      %{{.*}}: !llvm.ptr, %[[SA:.*]]: memref<768xf32>, %{{.*}}: !llvm.ptr, %[[SB:.*]]: memref<6xf32>, %[[D:.*]]: memref<65536xbf16>)
// CHECK-SAME:      known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 4, 2, 1>
// CHECK:         %[[TILEROW:.*]] = arith.muli %{{.*}}, %c64
// CHECK:         %[[TILECOL:.*]] = arith.muli %{{.*}}, %c128
// CHECK:         %[[ROW:.*]] = arith.addi %[[TILEROW]], %{{.*}} : index
// CHECK:         scf.for %[[KT:.*]] = %c0 to %c3 step %c1 iter_args(%[[ACC:.*]] = %{{.*}})
// CHECK:           nvvm.mbarrier.try_wait.parity
// CHECK:           %[[K:.*]] = arith.muli %[[KT]], %c128
// The group's first k32 step overwrites the partial sums, the others add.
// CHECK:           nvvm.wgmma.fence.aligned
// CHECK-NEXT:      %[[P0:.*]] = nvvm.wgmma.mma_async {{.*}}, <m = 64, n = 128, k = 32>, D[<f32>, <zero>]
// CHECK:           %[[P1:.*]] = nvvm.wgmma.mma_async {{.*}}, %[[P0]], <m = 64, n = 128, k = 32>, D[<f32>, <one>]
// CHECK:           %[[P2:.*]] = nvvm.wgmma.mma_async {{.*}}, %[[P1]], <m = 64, n = 128, k = 32>, D[<f32>, <one>]
// CHECK:           %[[P:.*]] = nvvm.wgmma.mma_async {{.*}}, %[[P2]], <m = 64, n = 128, k = 32>, D[<f32>, <one>]
// CHECK-NEXT:      nvvm.wgmma.commit.group.sync.aligned
// The scales load while the wgmma's run: sA at the thread's two rows
// (row * 3 + k / 128, and 8 rows = 24 scales on), sB once for the tile (its
// 128 columns share a group). No tile is ragged: no clamps.
// CHECK-NEXT:      %[[G:.*]] = arith.divui %[[K]], %c128
// CHECK-NEXT:      %[[R0OFF:.*]] = arith.muli %[[ROW]], %c3
// CHECK-NEXT:      %[[I0:.*]] = arith.addi %[[R0OFF]], %[[G]]
// CHECK-NEXT:      %[[SA0:.*]] = memref.load %[[SA]][%[[I0]]]
// CHECK-NEXT:      %[[I1:.*]] = arith.addi %[[I0]], %c24
// CHECK-NEXT:      %[[SA1:.*]] = memref.load %[[SA]][%[[I1]]]
// CHECK-NEXT:      %[[CG:.*]] = arith.divui %[[TILECOL]], %c128
// CHECK-NEXT:      %[[COFF:.*]] = arith.muli %[[CG]], %c3
// CHECK-NEXT:      %[[IB:.*]] = arith.addi %[[COFF]], %[[G]]
// CHECK-NEXT:      %[[SB0:.*]] = memref.load %[[SB]][%[[IB]]]
// CHECK-NEXT:      nvvm.wgmma.wait.group.sync.aligned 0
// The stage is free before the promotion starts.
// CHECK-NEXT:      gpu.barrier
// CHECK:           scf.if
// CHECK:             nvvm.cp.async.bulk.tensor.shared.cluster.global
// CHECK:             nvvm.cp.async.bulk.tensor.shared.cluster.global
// CHECK:           }
// Registers 0, 1 are on the thread's first row, 2, 3 on row + 8; each
// product sA * sB is formed once.
// CHECK-NEXT:      %[[X0:.*]] = llvm.extractvalue %[[P]][0]
// CHECK-NEXT:      %[[A0:.*]] = llvm.extractvalue %[[ACC]][0]
// CHECK-NEXT:      %[[F0:.*]] = arith.mulf %[[SA0]], %[[SB0]]
// CHECK-NEXT:      %[[Y0:.*]] = llvm.intr.fma(%[[X0]], %[[F0]], %[[A0]])
// CHECK-NEXT:      %[[ACC0:.*]] = llvm.insertvalue %[[Y0]], %[[ACC]][0]
// CHECK-NEXT:      %[[X1:.*]] = llvm.extractvalue %[[P]][1]
// CHECK-NEXT:      %[[A1:.*]] = llvm.extractvalue %[[ACC]][1]
// CHECK-NEXT:      %[[Y1:.*]] = llvm.intr.fma(%[[X1]], %[[F0]], %[[A1]])
// CHECK-NEXT:      %[[ACC1:.*]] = llvm.insertvalue %[[Y1]], %[[ACC0]][1]
// CHECK-NEXT:      %[[X2:.*]] = llvm.extractvalue %[[P]][2]
// CHECK-NEXT:      %[[A2:.*]] = llvm.extractvalue %[[ACC]][2]
// CHECK-NEXT:      %[[F1:.*]] = arith.mulf %[[SA1]], %[[SB0]]
// CHECK-NEXT:      llvm.intr.fma(%[[X2]], %[[F1]], %[[A2]])
// CHECK-NOT:       arith.mulf
// CHECK-COUNT-61:  llvm.intr.fma
// CHECK-NOT:       llvm.intr.fma
// CHECK:           scf.yield
// CHECK:         nvvm.wgmma.wait.group.sync.aligned 0
// Both scales were applied in the promotion: the epilogue only casts.
// CHECK-NOT:     arith.mulf
// CHECK:         arith.truncf
// CHECK-NOT:     arith.mulf
// CHECK:         gpu.return

// Warp-specialized: each consumer promotes its own 64 rows and releases the
// stage of the current K step once its group is waited for.
// WS-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_256x256x384_tile128x128x128_s3_ws_c2x1(
// WS:         nvvm.setmaxregister decrease 40
// WS:         nvvm.setmaxregister increase 232
// WS:         %[[CLEADER:.*]] = arith.cmpi eq, %{{.*}}, %c0
// WS:         scf.for %[[KT:.*]] = %c0 to %c3 step %c1
// WS-NEXT:      %[[S:.*]] = arith.remui %[[KT]], %c3
// WS:           D[<f32>, <zero>]
// WS-COUNT-3:   D[<f32>, <one>]
// WS:           nvvm.wgmma.commit.group.sync.aligned
// WS:           nvvm.wgmma.wait.group.sync.aligned 0
// Two row tiles: a 2x1 cluster, whose consumers release the stage in both
// CTAs (the peer's producer multicasts B into this CTA's stage).
// WS-NEXT:      scf.if %[[CLEADER]] {
// WS-NEXT:        %[[EMPTY:.*]] = arith.addi %[[S]], %c3
// WS:             %[[EMPTYPTR:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// WS-NEXT:        nvvm.mbarrier.arrive %[[EMPTYPTR]] : !llvm.ptr<3>
// WS-NEXT:        %[[PEERRANK:.*]] = arith.xori %{{.*}}, %c1_i32
// WS-NEXT:        %[[PEER:.*]] = nvvm.mapa %[[EMPTYPTR]], %[[PEERRANK]] : !llvm.ptr<3> -> !llvm.ptr<7>
// WS-NEXT:        nvvm.mbarrier.arrive %[[PEER]] : !llvm.ptr<7>
// WS-NEXT:      }
// WS-COUNT-64:  llvm.intr.fma
// WS-NOT:       llvm.intr.fma
// WS:           scf.yield

// Small problem: one warpgroup of 64 rows (partials + totals = 128
// registers), 64-wide tiles to spread over more SMs.
// HEURISTIC: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_256x256x384_tile64x64x128_s3(
func.func @blockwise(%a: tensor<256x384xf8E4M3FN>, %sa: tensor<256x3xf32>,
                     %b: tensor<256x384xf8E4M3FN>, %sb: tensor<2x3xf32>) -> tensor<256x256xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<256x384xf8E4M3FN>, tensor<256x3xf32>, tensor<256x384xf8E4M3FN>, tensor<2x3xf32>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}

// -----

// MX: [1, 32] E8M0 scales on A and B, promoted after every k32 step; each
// of the thread's 32 columns has its own B scale. K = 224 leaves the last
// group of the second K step beyond K: its factor is 0.

// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E5M2_f32_block1x32_block1x32_128x128x224_tile64x128x128_s2_e8m0(
// CHECK-SAME:      %{{.*}}: !llvm.ptr, %[[SA:.*]]: memref<896xf8E8M0FNU>, %{{.*}}: !llvm.ptr, %[[SB:.*]]: memref<896xf8E8M0FNU>
// CHECK:         scf.for %[[KT:.*]] = %c0 to %c2 step %c1
// CHECK:           %[[K:.*]] = arith.muli %[[KT]], %c128
// Group 0: one k32 wgmma, then A's scales 2^(e - 127) of the thread's 2
// rows, zeroed if the group starts beyond K.
// CHECK:           nvvm.wgmma.fence.aligned
// CHECK-NEXT:      nvvm.wgmma.mma_async {{.*}} D[<f32>, <zero>], A[<e4m3>, <one>, <row>], B[<e5m2>, <one>, <col>]
// CHECK-NEXT:      nvvm.wgmma.commit.group.sync.aligned
// CHECK-NEXT:      %[[K0:.*]] = arith.minui %[[K]], %c223
// CHECK-NEXT:      %[[IN0:.*]] = arith.cmpi ult, %[[K]], %c224
// CHECK:           %[[E:.*]] = memref.load %[[SA]]
// CHECK-NEXT:      %[[BYTE:.*]] = arith.bitcast %[[E]] : f8E8M0FNU to i8
// CHECK-NEXT:      %[[WIDE:.*]] = arith.extui %[[BYTE]] : i8 to i32
// CHECK-NEXT:      arith.shli %[[WIDE]], %c23_i32
// CHECK:           memref.load %[[SA]]
// CHECK-NOT:       memref.load
// CHECK:           arith.select %[[IN0]]
// CHECK:           arith.select %[[IN0]]
// CHECK-NEXT:      nvvm.wgmma.wait.group.sync.aligned 0
// B's 32 column scales (one per fragment column) are loaded at their first
// use in the promotion, each product sA * sB formed once.
// CHECK-COUNT-32:  memref.load %[[SB]]
// CHECK-NOT:       memref.load
// CHECK:           nvvm.wgmma.fence.aligned
// Group 1 starts 32 elements on.
// CHECK:           nvvm.wgmma.mma_async {{.*}} D[<f32>, <zero>]
// CHECK-NEXT:      nvvm.wgmma.commit.group.sync.aligned
// CHECK-NEXT:      %[[K1:.*]] = arith.addi %[[K]], %c32
// CHECK:           arith.cmpi ult, %[[K1]], %c224
// CHECK:           nvvm.wgmma.wait.group.sync.aligned 0
// CHECK-NOT:       gpu.barrier
// CHECK:           %[[K3:.*]] = arith.addi %[[K]], %c96
// CHECK:           arith.cmpi ult, %[[K3]], %c224
// CHECK:           nvvm.wgmma.wait.group.sync.aligned 0
// After the last group the warpgroup releases the stage (thread 0 loads
// K step kt + 2 into it), then promotes: 64 registers, 64 products.
// CHECK-NEXT:      gpu.barrier
// CHECK:           scf.if
// CHECK:           }
// CHECK-COUNT-64:  llvm.intr.fma
// CHECK-NOT:       llvm.intr.fma
// CHECK:           scf.yield

// HEURISTIC: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E5M2_f32_block1x32_block1x32_128x128x224_tile64x64x128_s2_e8m0(
func.func @mx(%a: tensor<128x224xf8E4M3FN>, %sa: tensor<128x7xf8E8M0FNU>,
              %b: tensor<128x224xf8E5M2>, %sb: tensor<128x7xf8E8M0FNU>) -> tensor<128x128xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<128x224xf8E4M3FN>, tensor<128x7xf8E8M0FNU>, tensor<128x224xf8E5M2>, tensor<128x7xf8E8M0FNU>
        -> tensor<128x128xf32>
  return %d : tensor<128x128xf32>
}

// -----

// Only A's scales change along K: the promotion multiplies by sA alone and
// the tensor scale of B is applied in the epilogue.

// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_f32_block1x128_tensor_64x128x256_tile64x128x128_s2(
// CHECK-SAME:      %{{.*}}: !llvm.ptr, %[[SA:.*]]: memref<128xf32>, %{{.*}}: !llvm.ptr, %[[SB:.*]]: memref<1xf32>
// CHECK:         scf.for
// CHECK:           nvvm.wgmma.commit.group.sync.aligned
// CHECK:           %[[F0:.*]] = memref.load %[[SA]]
// CHECK:           %[[F1:.*]] = memref.load %[[SA]]
// CHECK-NEXT:      nvvm.wgmma.wait.group.sync.aligned 0
// CHECK:           llvm.intr.fma(%{{.*}}, %[[F0]], %{{.*}})
// CHECK:         nvvm.wgmma.wait.group.sync.aligned 0
// CHECK:         %[[SBV:.*]] = memref.load %[[SB]][%c0]
// CHECK:         arith.mulf %{{.*}}, %[[SBV]]
func.func @a_only(%a: tensor<64x256xf8E4M3FN>, %sa: tensor<64x2xf32>,
                  %b: tensor<128x256xf8E4M3FN>, %sb: tensor<f32>) -> tensor<64x128xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<64x256xf8E4M3FN>, tensor<64x2xf32>, tensor<128x256xf8E4M3FN>, tensor<f32>
        -> tensor<64x128xf32>
  return %d : tensor<64x128xf32>
}
