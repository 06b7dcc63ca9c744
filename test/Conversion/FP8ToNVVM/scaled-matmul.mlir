// Structure of the sm_90a FP8 GEMM kernel and of its launch.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_90a gemm-tile=128x128 gemm-stages=2 gemm-accumulate=fast" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_90a" | FileCheck %s --check-prefix=HEURISTIC

// A [256, 512] E4M3 x B [256, 512] E5M2 (K-major), 128x128 tiles, a 2-stage
// ring of 32 KiB stages (+1 KiB to align the ring to 1024 bytes, +32 bytes
// of mbarriers).

// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E5M2_f32_tensor_tensor_256x256x512_tile128x128x128_s2(
// CHECK-SAME:      %[[AMAP:.*]]: !llvm.ptr, %[[SA:.*]]: memref<1xf32>, %[[BMAP:.*]]: !llvm.ptr, %[[SB:.*]]: memref<1xf32>, %[[D:.*]]: memref<65536xf32>) kernel
// CHECK-SAME:      known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 2, 2, 1>
// CHECK:         %[[UNDEF:.*]] = llvm.mlir.undef : !llvm.struct<(f32,
// CHECK:         %[[SMEM:.*]] = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK:         %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[SMEM]]
// CHECK:         %[[MIS:.*]] = arith.remui %[[BASE]], %c1024
// CHECK:         %[[PAD:.*]] = arith.subi %c1024, %[[MIS]]
// CHECK:         %[[RING:.*]] = arith.remui %[[PAD]], %c1024
// The mbarriers follow the ring: full[s] at BARS + 8 s.
// CHECK:         %[[BARS:.*]] = arith.addi %[[RING]], %c65536
// CHECK:         builtin.unrealized_conversion_cast %[[AMAP]] : !llvm.ptr to !nvgpu.tensormap.descriptor<tensor = memref<128x128xf8E4M3FN, #gpu.address_space<workgroup>>, swizzle = swizzle_128b, l2promo = none, oob = zero, interleave = none>
// CHECK:         builtin.unrealized_conversion_cast %[[BMAP]] : !llvm.ptr to !nvgpu.tensormap.descriptor<tensor = memref<128x128xf8E5M2,
// CHECK:         scf.if %[[LEADER:.*]] {
// CHECK:           %[[FULL0AT:.*]] = arith.addi %[[BASE]], %[[BARS]]
// CHECK:           %[[FULL0:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// CHECK:           nvvm.mbarrier.init %[[FULL0]], %c1_i32
// CHECK:           %[[FULL1:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// CHECK:           nvvm.mbarrier.init %[[FULL1]], %c1_i32
// CHECK:           nvvm.fence.mbarrier.init
// CHECK:           nvgpu.tma.prefetch.descriptor
// CHECK:           nvgpu.tma.prefetch.descriptor
// Thread 0 fills both stages: A's tile at the ring's start, B's 16 KiB on;
// TMA coordinates are (k, row).
// CHECK:           %[[B0OFF:.*]] = arith.addi %[[RING]], %c16384
// CHECK:           nvvm.mbarrier.arrive.expect_tx %[[FULL0]], %c32768_i32
// CHECK:           %[[A0AT:.*]] = arith.addi %[[BASE]], %[[RING]]
// CHECK:           %[[A0:.*]] = llvm.addrspacecast %{{.*}} : !llvm.ptr<3> to !llvm.ptr<7>
// CHECK:           nvvm.cp.async.bulk.tensor.shared.cluster.global %[[A0]], %[[AMAP]], %[[FULL0]], box[%c0_i32, %[[ROW0:.*]]]
// CHECK:           %[[B0AT:.*]] = arith.addi %[[BASE]], %[[B0OFF]]
// CHECK:           nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BMAP]], %[[FULL0]], box[%c0_i32, %[[COL0:.*]]]
// CHECK:           nvvm.mbarrier.arrive.expect_tx %[[FULL1]], %c32768_i32
// CHECK:           nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[AMAP]], %[[FULL1]], box[%c128_i32, %[[ROW0]]]
// CHECK:           nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BMAP]], %[[FULL1]], box[%c128_i32, %[[COL0]]]
// CHECK-NOT:       nvvm.cp.async.bulk.tensor
// CHECK:         }
// CHECK:         gpu.barrier
// K step 0, peeled: its first k32 wgmma's overwrite the (undefined)
// accumulators with scale-d zero, so no zeros are moved into them between
// wgmma.fence and wgmma; no stage is released yet.
// CHECK:         nvvm.mbarrier.try_wait.parity %{{.*}}, %c0_i32, %c10000000_i32
// CHECK:         nvvm.wgmma.fence.aligned
// CHECK-NEXT:    nvvm.wgmma.mma_async %{{.*}}, %{{.*}}, %[[UNDEF]], <m = 64, n = 128, k = 32>, D[<f32>, <zero>]
// CHECK:         nvvm.wgmma.mma_async %{{.*}}, %{{.*}}, %[[UNDEF]], <m = 64, n = 128, k = 32>, D[<f32>, <zero>]
// CHECK-COUNT-6: D[<f32>, <one>]
// CHECK:         nvvm.wgmma.commit.group.sync.aligned
// CHECK-NEXT:    nvvm.wgmma.wait.group.sync.aligned 1
// CHECK-NOT:     gpu.barrier
// CHECK:         scf.for %[[KT:.*]] = %c1 to %c4 step %c1 iter_args(%[[ACC0:.*]] = %{{.*}}, %[[ACC1:.*]] = %{{.*}})
// CHECK:           %[[STAGE:.*]] = arith.remui %[[KT]], %c2
// CHECK:           %[[FULLOFF:.*]] = arith.muli %[[STAGE]], %c8
// CHECK:           %[[FULLAT:.*]] = arith.addi %[[BARS]], %[[FULLOFF]]
// CHECK:           %[[FULL:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// CHECK:           %[[ROUND:.*]] = arith.divui %[[KT]], %c2
// CHECK:           %[[ROUNDBIT:.*]] = arith.andi %[[ROUND]], %c1
// CHECK:           %[[PARITY:.*]] = arith.index_cast %[[ROUNDBIT]] : index to i32
// CHECK:           nvvm.mbarrier.try_wait.parity %[[FULL]], %[[PARITY]], %c10000000_i32
// CHECK:           %[[ADDR:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK:           %[[LOW:.*]] = arith.andi %[[ADDR]], %c262143_i64
// CHECK:           %[[START:.*]] = arith.shrui %[[LOW]], %c4_i64
// The descriptor: LBO 1 (bit 16), SBO 1024 >> 4 (bit 32), 128B swizzle (bit 62).
// CHECK:           %[[DESCA:.*]] = arith.ori %[[START]], %c4611686293305360384_i64
// CHECK:           %[[DESCB:.*]] = arith.ori %{{.*}}, %c4611686293305360384_i64
// CHECK:           nvvm.wgmma.fence.aligned
// CHECK:           nvvm.wgmma.mma_async %[[DESCA]], %[[DESCB]], %[[ACC0]], <m = 64, n = 128, k = 32>, D[<f32>, <one>], A[<e4m3>, <one>, <row>], B[<e5m2>, <one>, <col>]
// The second m64 half of A starts 64 rows (8 KiB, 512 descriptor units) on.
// CHECK:           %[[DESCA1:.*]] = arith.addi %[[DESCA]], %c512_i64
// CHECK:           nvvm.wgmma.mma_async %[[DESCA1]], %[[DESCB]], %[[ACC1]], <m = 64, n = 128, k = 32>
// The next k32 step is 32 bytes (2 units) along the swizzled rows.
// CHECK:           %[[DESCB2:.*]] = arith.addi %[[DESCB]], %c2_i64
// CHECK:           %[[DESCA2:.*]] = arith.addi %[[DESCA]], %c2_i64
// CHECK:           nvvm.wgmma.mma_async %[[DESCA2]], %[[DESCB2]]
// CHECK-COUNT-5:   nvvm.wgmma.mma_async
// CHECK-NOT:       nvvm.wgmma.mma_async
// CHECK:           nvvm.wgmma.commit.group.sync.aligned
// Step kt keeps running; kt - 1 is done and its stage gets K step kt + 1.
// CHECK:           nvvm.wgmma.wait.group.sync.aligned 1
// CHECK:           %[[PREV:.*]] = arith.subi %[[KT]], %c1
// CHECK:           %[[NOTFIRST:.*]] = arith.cmpi uge, %[[KT]], %c1
// CHECK:           %[[FREED:.*]] = arith.remui %[[PREV]], %c2
// CHECK:           gpu.barrier
// CHECK:           %[[NEXT:.*]] = arith.addi %[[KT]], %c1
// CHECK:           %[[HASNEXT:.*]] = arith.cmpi ult, %[[NEXT]], %c4
// CHECK:           %[[REFILL0:.*]] = arith.andi %[[LEADER]], %[[HASNEXT]]
// CHECK:           %[[REFILL:.*]] = arith.andi %[[REFILL0]], %[[NOTFIRST]]
// CHECK:           scf.if %[[REFILL]] {
// CHECK:             %[[FREEDOFF:.*]] = arith.muli %[[FREED]], %c8
// CHECK:             %[[FREEDAT:.*]] = arith.addi %[[BARS]], %[[FREEDOFF]]
// CHECK:             %[[FREEDPTR:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// CHECK:             nvvm.mbarrier.arrive.expect_tx %[[FREEDPTR]], %c32768_i32
// CHECK:             %[[K:.*]] = arith.muli %[[NEXT]], %c128
// CHECK:             %[[K32:.*]] = arith.index_cast %[[K]] : index to i32
// CHECK:             nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[AMAP]], %[[FREEDPTR]], box[%[[K32]], %{{.*}}]
// CHECK:             nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BMAP]], %[[FREEDPTR]], box[%[[K32]], %{{.*}}]
// CHECK:         nvvm.wgmma.wait.group.sync.aligned 0
// Epilogue: D = acc * (sA * sB), stored as f32 pairs.
// CHECK:         %[[SAV:.*]] = memref.load %[[SA]][%c0]
// CHECK:         %[[SBV:.*]] = memref.load %[[SB]][%c0]
// CHECK:         %[[SAB:.*]] = arith.mulf %[[SAV]], %[[SBV]]
// CHECK:         %[[D0:.*]] = arith.mulf %{{.*}}, %[[SAB]]
// CHECK:         %[[D1:.*]] = arith.mulf %{{.*}}, %[[SAB]]
// CHECK:         %[[PAIR:.*]] = vector.from_elements %[[D0]], %[[D1]] : vector<2xf32>
// CHECK:         vector.store %[[PAIR]], %[[D]][%{{.*}}] {alignment = 8 : i64} : memref<65536xf32>, vector<2xf32>
// CHECK-COUNT-63: vector.store
// CHECK-NOT:     vector.store
// CHECK:         gpu.return

// The host builds one TMA descriptor per operand over a ui8 view (the
// descriptor builder mislabels f8 as a 2-byte type) and passes a pointer.
// CHECK-LABEL: func.func @tensorwise(
// CHECK-SAME:      %[[A:.*]]: tensor<256x512xf8E4M3FN>, %{{.*}}: tensor<f32>, %[[B:.*]]: tensor<256x512xf8E5M2>
// CHECK:         %[[AB:.*]] = bufferization.to_buffer %[[A]] read_only : tensor<256x512xf8E4M3FN> to memref<256x512xf8E4M3FN>
// CHECK:         %[[AU:.*]] = builtin.unrealized_conversion_cast %[[AB]] : memref<256x512xf8E4M3FN> to memref<256x512xui8>
// CHECK:         %[[AR:.*]] = memref.cast %[[AU]] : memref<256x512xui8> to memref<*xui8>
// CHECK:         %[[AD:.*]] = nvgpu.tma.create.descriptor %[[AR]] box[%c128, %c128] : memref<*xui8> -> <tensor = memref<128x128xui8, #gpu.address_space<workgroup>>, swizzle = swizzle_128b, l2promo = none, oob = zero, interleave = none>
// CHECK:         %[[AP:.*]] = builtin.unrealized_conversion_cast %[[AD]] : {{.*}} to !llvm.ptr
// CHECK:         nvgpu.tma.create.descriptor
// CHECK:         %[[OUT:.*]] = gpu.alloc host_shared () : memref<65536xf32>
// CHECK:         gpu.launch_func @fp8_gemm_sm90_f8E4M3FN_f8E5M2_f32_tensor_tensor_256x256x512_tile128x128x128_s2::@{{.*}} blocks in (%c2, %c2, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c66592_i32 args(%[[AP]] : !llvm.ptr, {{.*}}, %[[OUT]] : memref<65536xf32>)

// Without overrides: B is E5M2 (a gradient), so a split accumulator (two
// accumulator sets: 64-row tiles), and 64x64 tiles (64x128 would fill only
// 8 of 132 SMs) with 4 stages.
// HEURISTIC: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E5M2_f32_tensor_tensor_256x256x512_tile64x64x128_s4_splitacc(
func.func @tensorwise(%a: tensor<256x512xf8E4M3FN>, %sa: tensor<f32>,
                      %b: tensor<256x512xf8E5M2>, %sb: tensor<f32>) -> tensor<256x256xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<256x512xf8E4M3FN>, tensor<f32>, tensor<256x512xf8E5M2>, tensor<f32>
        -> tensor<256x256xf32>
  return %d : tensor<256x256xf32>
}

// -----

// Rowwise scales, a bf16 bias, an FP8 output with its scale and the amax of
// D; M and N not multiples of the tile, so every store is guarded.

// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_f8E4M3FN_rowwise_rowwise_200x130x96_tile128x128x128_s1_biasbf16_amax(
// CHECK-SAME:      %{{.*}}: !llvm.ptr, %[[SA:.*]]: memref<200xf32>, %{{.*}}: !llvm.ptr, %[[SB:.*]]: memref<130xf32>, %[[BIAS:.*]]: memref<130xbf16>, %[[OS:.*]]: memref<1xf32>, %[[D:.*]]: memref<26000xf8E4M3FN>, %[[AMAX:.*]]: memref<1xf32>)
// CHECK-SAME:      workgroup(%[[PARTIALS:.*]] : memref<4xi32, #gpu.address_space<workgroup>>)
// CHECK:         %[[ROW:.*]] = arith.minui %{{.*}}, %c199
// CHECK:         memref.load %[[SA]][%[[ROW]]]
// CHECK:         %[[OSV:.*]] = memref.load %[[OS]][%c0]
// CHECK:         %[[COL:.*]] = arith.minui %{{.*}}, %c129
// CHECK:         memref.load %[[SB]][%[[COL]]]
// CHECK:         memref.load %[[BIAS]][%[[COL]]]
// CHECK:         %[[OK:.*]] = arith.andi
// CHECK:         scf.if %[[OK]] -> (i32) {
// CHECK:           %[[BV:.*]] = arith.extf %{{.*}} : bf16 to f32
// CHECK:           %[[DB:.*]] = arith.addf %{{.*}}, %[[BV]]
// CHECK:           arith.maxui
// CHECK:           %[[Q:.*]] = arith.divf %[[DB]], %[[OSV]]
// CHECK:           nvvm.convert.f32x2.to.f8x2 %{{.*}}, %[[Q]] {rnd = #nvvm.fp_rnd_mode<rn>, sat = #nvvm.sat_mode<satfinite>} : i16(f8E4M3FN)
// CHECK:           vector.store %{{.*}}, %[[D]][%{{.*}}] {alignment = 2 : i64} : memref<26000xf8E4M3FN>, vector<2xf8E4M3FN>
// CHECK:         gpu.barrier
// CHECK:         llvm.atomicrmw umax
// CHECK-LABEL: func.func @rowwise_fp8_out(
// CHECK:         %[[AMAXBUF:.*]] = gpu.alloc host_shared () : memref<1xf32>
// CHECK:         gpu.memset async [%{{.*}}] %[[AMAXBUF]]
// CHECK:         gpu.launch_func
func.func @rowwise_fp8_out(%a: tensor<200x96xf8E4M3FN>, %sa: tensor<200x1xf32>,
                           %b: tensor<130x96xf8E4M3FN>, %sb: tensor<130x1xf32>,
                           %bias: tensor<130xbf16>, %os: tensor<f32>)
    -> (tensor<200x130xf8E4M3FN>, tensor<f32>) {
  %d, %amax = fp8.scaled_matmul %a, %sa, %b, %sb
      bias(%bias : tensor<130xbf16>) out_scale(%os : tensor<f32>)
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<200x96xf8E4M3FN>, tensor<200x1xf32>, tensor<130x96xf8E4M3FN>, tensor<130x1xf32>
        -> tensor<200x130xf8E4M3FN>, tensor<f32>
  return %d, %amax : tensor<200x130xf8E4M3FN>, tensor<f32>
}
