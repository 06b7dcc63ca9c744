// Structure of the sm_90a FP8 GEMM kernel and of its launch.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_90a gemm-tile=128x128 gemm-stages=2" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_90a" | FileCheck %s --check-prefix=HEURISTIC

// A [256, 512] E4M3 x B [256, 512] E5M2 (K-major), 128x128 tiles, a 2-stage
// ring of 32 KiB stages (+1 KiB to align the ring to 1024 bytes).

// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E5M2_f32_tensor_tensor_256x256x512_tile128x128x128_s2(
// CHECK-SAME:      %[[AMAP:.*]]: !llvm.ptr, %[[SA:.*]]: memref<1xf32>, %[[BMAP:.*]]: !llvm.ptr, %[[SB:.*]]: memref<1xf32>, %[[D:.*]]: memref<65536xf32>) kernel
// CHECK-SAME:      known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 2, 2, 1>
// CHECK:         %[[SMEM:.*]] = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK:         %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[SMEM]]
// CHECK:         %[[MIS:.*]] = arith.remui %[[BASE]], %c1024
// CHECK:         %[[PAD:.*]] = arith.subi %c1024, %[[MIS]]
// CHECK:         %[[RING:.*]] = arith.remui %[[PAD]], %c1024
// CHECK:         %[[BARS:.*]] = nvgpu.mbarrier.create -> <memorySpace = #gpu.address_space<workgroup>, num_barriers = 2>
// CHECK:         %[[A:.*]] = builtin.unrealized_conversion_cast %[[AMAP]] : !llvm.ptr to !nvgpu.tensormap.descriptor<tensor = memref<128x128xf8E4M3FN, #gpu.address_space<workgroup>>, swizzle = swizzle_128b, l2promo = none, oob = zero, interleave = none>
// CHECK:         %[[B:.*]] = builtin.unrealized_conversion_cast %[[BMAP]] : !llvm.ptr to !nvgpu.tensormap.descriptor<tensor = memref<128x128xf8E5M2,
// CHECK:         scf.if %[[LEADER:.*]] {
// CHECK:           nvgpu.mbarrier.init %[[BARS]][%c0], %c1
// CHECK:           nvgpu.mbarrier.init %[[BARS]][%c1], %c1
// CHECK:           nvvm.fence.mbarrier.init
// CHECK:           nvgpu.tma.prefetch.descriptor %[[A]]
// CHECK:           nvgpu.tma.prefetch.descriptor %[[B]]
// CHECK:           %[[A0:.*]] = memref.view %[[SMEM]][%[[RING]]][] {{.*}} to memref<128x128xf8E4M3FN, #gpu.address_space<workgroup>>
// CHECK:           nvgpu.mbarrier.arrive.expect_tx %[[BARS]][%c0], %c32768
// CHECK:           nvgpu.tma.async.load %[[A]][%c0, %[[ROW0:.*]]], %[[BARS]][%c0] to %[[A0]]
// CHECK:           nvgpu.tma.async.load %[[B]][%c0, %[[COL0:.*]]], %[[BARS]][%c0] to
// CHECK:           nvgpu.mbarrier.arrive.expect_tx %[[BARS]][%c1], %c32768
// CHECK:           nvgpu.tma.async.load %[[A]][%c128, %[[ROW0]]], %[[BARS]][%c1]
// CHECK:           nvgpu.tma.async.load %[[B]][%c128, %[[COL0]]], %[[BARS]][%c1]
// CHECK-NOT:       nvgpu.tma.async.load
// CHECK:         }
// CHECK:         gpu.barrier
// CHECK:         scf.for %[[KT:.*]] = %c0 to %c4 step %c1 iter_args(%[[ACC0:.*]] = %{{.*}}, %[[ACC1:.*]] = %{{.*}})
// CHECK:           %[[STAGE:.*]] = arith.remui %[[KT]], %c2
// CHECK:           %[[ROUND:.*]] = arith.divui %[[KT]], %c2
// CHECK:           %[[PARITY:.*]] = arith.trunci %{{.*}} : i64 to i1
// CHECK:           nvgpu.mbarrier.try_wait.parity %[[BARS]][%[[STAGE]]], %[[PARITY]], %c10000000
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
// CHECK:             nvgpu.mbarrier.arrive.expect_tx %[[BARS]][%[[FREED]]], %c32768
// CHECK:             %[[K:.*]] = arith.muli %[[NEXT]], %c128
// CHECK:             nvgpu.tma.async.load %[[A]][%[[K]], %[[ROW0]]], %[[BARS]][%[[FREED]]]
// CHECK:             nvgpu.tma.async.load %[[B]][%[[K]], %[[COL0]]], %[[BARS]][%[[FREED]]]
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
// CHECK:         gpu.launch_func @fp8_gemm_sm90_f8E4M3FN_f8E5M2_f32_tensor_tensor_256x256x512_tile128x128x128_s2::@{{.*}} blocks in (%c2, %c2, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c66560_i32 args(%[[AP]] : !llvm.ptr, {{.*}}, %[[OUT]] : memref<65536xf32>)

// Without overrides the heuristic picks 128x64 tiles here (128x128 would
// fill only 4 of 132 SMs) and 4 stages.
// HEURISTIC: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E5M2_f32_tensor_tensor_256x256x512_tile128x64x128_s4(
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
