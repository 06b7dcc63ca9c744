// Structure of the sm_100a (tcgen05) FP8 GEMM kernels and of their launch.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a gemm-tile=128x64 gemm-stages=2" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a" | FileCheck %s --check-prefix=HEURISTIC

// .kind::f8f6f4: A [256, 512] E4M3 x B [128, 512] E5M2 (K-major), tensor
// scales, 128x64 tiles, a 2-stage ring of 24 KiB stages.

// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E5M2_bf16_tensor_tensor_256x128x512_tile128x64x128_s2(
// CHECK-SAME:      %[[AMAP:.*]]: !llvm.ptr, %[[SA:.*]]: memref<1xf32>, %[[BMAP:.*]]: !llvm.ptr, %[[SB:.*]]: memref<1xf32>, %[[D:.*]]: memref<32768xbf16>) kernel
// CHECK-SAME:      known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 2, 2, 1>
// The region starts on the first 1024-byte boundary of the dynamic shared
// memory.
// CHECK:         %[[SMEM:.*]] = gpu.dynamic_shared_memory
// CHECK:         %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[SMEM]]
// CHECK:         %[[MIS:.*]] = arith.remui %[[BASE]], %c1024
// CHECK:         %[[PAD0:.*]] = arith.subi %c1024, %[[MIS]]
// CHECK:         %[[PAD:.*]] = arith.remui %[[PAD0]], %c1024
// CHECK:         %[[REGION:.*]] = arith.addi %[[BASE]], %[[PAD]]
// Thread 0: full[0..1] at +49152, empty[0..1] at +49168, done at +49184,
// each expecting one arrival.
// CHECK:         scf.if %[[LEADER:.*]] {
// CHECK:           %[[F0:.*]] = arith.addi %[[REGION]], %c49152
// CHECK:           %[[F0I:.*]] = arith.index_cast %[[F0]] : index to i64
// CHECK:           %[[F0P:.*]] = llvm.inttoptr %[[F0I]] : i64 to !llvm.ptr<3>
// CHECK:           nvvm.mbarrier.init %[[F0P]], %c1_i32
// CHECK-COUNT-4:   nvvm.mbarrier.init
// CHECK:           nvvm.fence.mbarrier.init
// CHECK:         }
// Warp 0 allocates 64 columns of tensor memory (the 128 x 64 f32
// accumulator) and writes their address to +49192.
// CHECK:         scf.if %[[WARP0:.*]] {
// CHECK:           %[[SLOT:.*]] = arith.addi %[[REGION]], %c49192
// CHECK:           nvvm.tcgen05.alloc %{{.*}}, %c64_i32 : !llvm.ptr<3>, i32
// CHECK:           nvvm.tcgen05.relinquish_alloc_permit
// CHECK:         }
// CHECK:         gpu.barrier
// CHECK:         nvvm.tcgen05.fence <after>
// CHECK:         %[[TMEM:.*]] = llvm.load %{{.*}} : !llvm.ptr<3> -> i32
// Prologue: thread 0 loads K steps 0 and 1 (A 16 KiB + B 8 KiB each).
// CHECK:         scf.if %[[LEADER]] {
// CHECK:           nvvm.mbarrier.arrive.expect_tx %[[FULL0:.*]], %c24576_i32
// CHECK:           nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[AMAP]], %[[FULL0]], box[%c0_i32, %{{.*}}] {isCTAOnly = true}
// CHECK:           nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BMAP]], %[[FULL0]], box[%c0_i32, %{{.*}}] {isCTAOnly = true}
// CHECK:           nvvm.mbarrier.arrive.expect_tx %[[FULL1:.*]], %c24576_i32
// CHECK:           nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[AMAP]], %[[FULL1]], box[%c128_i32,
// CHECK:           nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BMAP]], %[[FULL1]], box[%c128_i32,
// CHECK:         }
// CHECK:         scf.for %[[KT:.*]] = %c0 to %c4 step %c1 {
// CHECK:           %[[STAGE:.*]] = arith.remui %[[KT]], %c2
// CHECK:           scf.if %[[LEADER]] {
// CHECK:             nvvm.mbarrier.try_wait.parity
// CHECK:             nvvm.tcgen05.fence <after>
// Operand descriptors: K-major, 128-byte swizzle (LBO 16, SBO 1024, version
// bit 46, swizzle 2 at bits 61-63).
// CHECK:             %[[DA:.*]] = arith.ori %{{.*}}, %c4611756662049538048_i64
// CHECK:             %[[DB:.*]] = arith.ori %{{.*}}, %c4611756662049538048_i64
// CHECK:             %[[ACC:.*]] = llvm.inttoptr %[[TMEM]] : i32 to !llvm.ptr<6>
// CHECK:             %[[FIRST:.*]] = arith.cmpi ne, %[[KT]], %c0
// Instruction descriptor: F32 | A E4M3 | B E5M2 (bit 10) | N 64 | M 128
// = 0x08100410.
// CHECK:             nvvm.tcgen05.mma %[[ACC]], %[[DA]], %[[DB]], %c135267344_i32, %[[FIRST]] {ctaGroup = #nvvm.cta_group<cta_1>, kind = #nvvm.tcgen05_mma_kind<f8f6f4>}
// The next k32 step is 32 bytes (2 descriptor units) along the rows.
// CHECK:             %[[DA1:.*]] = arith.addi %[[DA]], %c2_i64
// CHECK:             %[[DB1:.*]] = arith.addi %[[DB]], %c2_i64
// CHECK:             nvvm.tcgen05.mma %[[ACC]], %[[DA1]], %[[DB1]], %c135267344_i32, %true
// CHECK-COUNT-2:     nvvm.tcgen05.mma %[[ACC]], {{.*}}, %c135267344_i32, %true
// CHECK-NOT:         nvvm.tcgen05.mma
// CHECK:             nvvm.tcgen05.commit %{{.*}} : !llvm.ptr<3>
// CHECK:           }
// Refill: the stage of K step kt - 1 (wait for its empty barrier) gets K
// step kt + 1.
// CHECK:           %[[PREV:.*]] = arith.subi %[[KT]], %c1
// CHECK:           %[[NEXT:.*]] = arith.addi %[[KT]], %c1
// CHECK:           %[[HASNEXT:.*]] = arith.cmpi ult, %[[NEXT]], %c4
// CHECK:           %[[NOTFIRST:.*]] = arith.cmpi uge, %[[KT]], %c1
// CHECK:           %[[R0:.*]] = arith.andi %[[HASNEXT]], %[[NOTFIRST]]
// CHECK:           %[[REFILL:.*]] = arith.andi %[[R0]], %[[LEADER]]
// CHECK:           scf.if %[[REFILL]] {
// CHECK:             %[[FREED:.*]] = arith.remui %[[PREV]], %c2
// CHECK:             nvvm.mbarrier.try_wait.parity
// CHECK:             nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c24576_i32
// CHECK:             %[[K:.*]] = arith.muli %[[NEXT]], %c128
// CHECK:             nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[AMAP]]
// CHECK:             nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BMAP]]
// CHECK:           }
// CHECK:         }
// All MMAs done -> done barrier; everyone waits for it.
// CHECK:         scf.if %[[LEADER]] {
// CHECK:           nvvm.tcgen05.commit
// CHECK:         }
// CHECK:         nvvm.mbarrier.try_wait.parity %{{.*}}, %c0_i32
// CHECK:         nvvm.tcgen05.fence <after>
// Epilogue: warp w reads lanes 32w.. (lane index in bits 16-31), 16 columns
// a load, the 4 loads of the 64 columns in flight before one wait;
// D * (sA * sB) stored as 8 x bf16.
// CHECK:         %[[ROW:.*]] = arith.addi %{{.*}}, %thread_id_x
// CHECK:         %[[SAV:.*]] = memref.load %[[SA]][%c0]
// CHECK:         %[[SBV:.*]] = memref.load %[[SB]][%c0]
// CHECK:         %[[SAB:.*]] = arith.mulf %[[SAV]], %[[SBV]]
// CHECK:         %[[LANE:.*]] = arith.shli %{{.*}}, %c16_i32
// CHECK:         %[[WARPTMEM:.*]] = arith.addi %[[TMEM]], %[[LANE]]
// CHECK:         %[[P0:.*]] = llvm.inttoptr %[[WARPTMEM]] : i32 to !llvm.ptr<6>
// CHECK:         %[[V0:.*]] = nvvm.tcgen05.ld %[[P0]] {shape = #nvvm.tcgen05_ldst_shape<shape_32x32b>} : vector<16xi32>
// CHECK-COUNT-3: nvvm.tcgen05.ld
// CHECK-NOT:     vector.store
// CHECK:         nvvm.tcgen05.wait <load>
// CHECK-NOT:     nvvm.tcgen05.ld
// CHECK:         vector.bitcast %[[V0]] : vector<16xi32> to vector<16xf32>
// CHECK:         arith.mulf %{{.*}}, %[[SAB]]
// CHECK:         vector.store %{{.*}}, %[[D]][%{{.*}}] {alignment = 16 : i64} : memref<32768xbf16>, vector<8xbf16>
// CHECK-NOT:     nvvm.tcgen05.ld
// Teardown: warp 0 frees the tensor memory after everyone read it.
// CHECK:         nvvm.tcgen05.fence <before>
// CHECK:         gpu.barrier
// CHECK:         scf.if %[[WARP0]] {
// CHECK:           nvvm.tcgen05.fence <after>
// CHECK:           nvvm.tcgen05.dealloc %{{.*}}, %c64_i32
// CHECK:         gpu.return
// CHECK:       func.func @tensor(
// CHECK:         gpu.launch_func @fp8_gemm_sm100_f8E4M3FN_f8E5M2_bf16_tensor_tensor_256x128x512_tile128x64x128_s2::@fp8_gemm_sm100_f8E4M3FN_f8E5M2_bf16_tensor_tensor_256x128x512_tile128x64x128_s2 blocks in (%c2, %c2, %c1) threads in (%c128, %c1, %c1) dynamic_shared_memory_size %c50224_i32

// The heuristic: tileN = 64 (128x128 tiles would leave more than half of
// the 148 SMs idle), 4 stages (one per K step).
// HEURISTIC: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E5M2_bf16_tensor_tensor_256x128x512_tile128x64x128_s4(

func.func @tensor(%a: tensor<256x512xf8E4M3FN>, %sa: tensor<f32>,
                  %b: tensor<128x512xf8E5M2>, %sb: tensor<f32>) -> tensor<256x128xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<256x512xf8E4M3FN>, tensor<f32>, tensor<128x512xf8E5M2>, tensor<f32>
        -> tensor<256x128xbf16>
  return %d : tensor<256x128xbf16>
}

// -----

// .kind::mxf8f6f4 with [1, 32] E8M0 scales on A and B (the MXFP8 recipe).
// The kernel takes the scales in their canonical [rows, K / 32] layout.

// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_f32_block1x32_block1x32_256x128x512_tile128x64x128_s2(
// CHECK-SAME:      %[[AMAP:.*]]: !llvm.ptr, %[[SA:.*]]: memref<4096xf8E8M0FNU>, %[[BMAP:.*]]: !llvm.ptr, %[[SB:.*]]: memref<2048xf8E8M0FNU>, %[[D:.*]]: memref<32768xf32>) kernel
// The full barriers expect thread 0's expect_tx arrival plus one arrival
// per thread that staged scale words: 129. Two stages of 1 KiB of scales
// follow the 48 KiB ring, so the barriers start at +51200.
// CHECK:         scf.if %[[LEADER:.*]] {
// CHECK:           %[[F0:.*]] = arith.addi %{{.*}}, %c51200
// CHECK:           nvvm.mbarrier.init %{{.*}}, %c129_i32
// CHECK:           nvvm.mbarrier.init %{{.*}}, %c1_i32
// CHECK:           nvvm.mbarrier.init %{{.*}}, %c129_i32
// Tensor memory: 64 accumulator columns + 2 stages x (4 + 4) scale columns
// -> 128.
// CHECK:           nvvm.tcgen05.alloc %{{.*}}, %c128_i32
// Prologue, K step 0: thread 0 starts the TMA loads, then every thread
// stages the four scales of A row `thread` (one 32-bit load from the
// canonical layout) at byte 16 * lane + 4 * warp of the stage's A chunk.
// CHECK:         scf.if %[[LEADER]] {
// CHECK:           nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c24576_i32
// CHECK:         }
// CHECK:         %[[L16:.*]] = arith.muli %{{.*}}, %c16 : index
// CHECK:         %[[W4:.*]] = arith.muli %{{.*}}, %c4 : index
// CHECK:         %[[CHUNKOFF:.*]] = arith.addi %[[L16]], %[[W4]]
// CHECK:         %[[AROW:.*]] = arith.minui %{{.*}}, %c255
// CHECK:         %[[AOFF:.*]] = arith.muli %[[AROW]], %c16
// CHECK:         %[[AWORD:.*]] = vector.load %[[SA]][%[[AOFF]]] {alignment = 4 : i64} : memref<4096xf8E8M0FNU>, vector<4xf8E8M0FNU>
// CHECK:         %[[AW:.*]] = vector.bitcast %[[AWORD]] : vector<4xf8E8M0FNU> to vector<1xi32>
// CHECK:         %[[AWV:.*]] = vector.extract %[[AW]][0]
// CHECK:         arith.addi %[[CHUNKOFF]], %c49152
// CHECK:         llvm.store %[[AWV]], %{{.*}} {alignment = 4 : i64} : i32, !llvm.ptr<3>
// B has 64 rows per tile: threads 0..63 stage them into the B chunk (+512).
// CHECK:         %[[BROWS:.*]] = arith.cmpi ult, %thread_id_x, %c64
// CHECK:         scf.if %[[BROWS]] {
// CHECK:           vector.load %[[SB]]
// CHECK:           arith.addi %[[CHUNKOFF]], %c49664
// CHECK:           llvm.store
// CHECK:         }
// CHECK:         nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK:         nvvm.mbarrier.arrive %{{.*}} : !llvm.ptr<3>
// CHECK:         scf.for %[[KT:.*]] = %c0 to %c4 step %c1 {
// CHECK:           scf.if %[[LEADER]] {
// CHECK:             nvvm.mbarrier.try_wait.parity
// CHECK:             nvvm.tcgen05.fence <after>
// The stage's scales go to tensor memory columns 64 + 8 * stage (A) and
// + 4 (B), from the 32 x 16-byte rows (no swizzle, SBO 128).
// CHECK:             %[[COL:.*]] = arith.addi %{{.*}}, %c64 : index
// CHECK:             %[[COLI:.*]] = arith.index_cast %[[COL]] : index to i32
// CHECK:             %[[SFACOL:.*]] = arith.addi %[[TMEM:.*]], %[[COLI]] : i32
// CHECK:             %[[SFADESC:.*]] = arith.ori %{{.*}}, %c70403103916032_i64
// CHECK:             %[[SFA:.*]] = llvm.inttoptr %[[SFACOL]] : i32 to !llvm.ptr<6>
// CHECK:             nvvm.tcgen05.cp %[[SFA]], %[[SFADESC]] {multicast = #nvvm.tcgen05_cp_multicast<warpx4>, shape = #nvvm.tcgen05_cp_shape<shape_32x128b>}
// CHECK:             %[[SFBDESC:.*]] = arith.ori %{{.*}}, %c70403103916032_i64
// CHECK:             %[[SFBCOL:.*]] = arith.addi %[[SFACOL]], %c4_i32
// CHECK:             %[[SFB:.*]] = llvm.inttoptr %[[SFBCOL]] : i32 to !llvm.ptr<6>
// CHECK:             nvvm.tcgen05.cp %[[SFB]], %[[SFBDESC]]
// Instruction descriptors: UE8M0 (bit 23) | N 64 | M >> 7 = 1 (bit 27),
// and the scale byte of the k32 block in both scale factor ids: k32 block j
// uses byte j of the scale words (ids in bits 29-30 and 4-5).
// CHECK:             %[[FIRST:.*]] = arith.cmpi ne, %[[KT]], %c0
// CHECK:             nvvm.tcgen05.mma.block_scale %[[ACC:.*]], %{{.*}}, %{{.*}}, %c143654912_i32, %[[FIRST]], %[[SFA]], %[[SFB]] {blockScale = #nvvm.tcgen05_mma_block_scale<block32>, ctaGroup = #nvvm.cta_group<cta_1>, kind = #nvvm.block_scale_kind<mxf8f6f4>}
// CHECK:             nvvm.tcgen05.mma.block_scale %[[ACC]], %{{.*}}, %{{.*}}, %c680525840_i32, %true, %[[SFA]], %[[SFB]]
// CHECK:             nvvm.tcgen05.mma.block_scale %[[ACC]], %{{.*}}, %{{.*}}, %c1217396768_i32, %true, %[[SFA]], %[[SFB]]
// CHECK:             nvvm.tcgen05.mma.block_scale %[[ACC]], %{{.*}}, %{{.*}}, %c1754267696_i32, %true, %[[SFA]], %[[SFB]]
// CHECK:             nvvm.tcgen05.commit
// CHECK:           }
// MX refill: every thread waits for the released stage, thread 0 loads,
// every thread stages the next scale words and arrives.
// CHECK:           scf.if %{{.*}} {
// CHECK:             nvvm.mbarrier.try_wait.parity
// CHECK:             scf.if %[[LEADER]] {
// CHECK:               nvvm.mbarrier.arrive.expect_tx
// CHECK:             }
// CHECK:             vector.load %[[SA]]
// CHECK:             nvvm.fence.proxy
// CHECK:             nvvm.mbarrier.arrive
// CHECK:           }
// CHECK:         }
// The scales are in the MMA: the epilogue stores D as is (4 x f32).
// CHECK:         nvvm.tcgen05.ld
// CHECK-NOT:     arith.mulf
// CHECK:         vector.store %{{.*}}, %[[D]][%{{.*}}] {alignment = 16 : i64} : memref<32768xf32>, vector<4xf32>

// HEURISTIC: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_f32_block1x32_block1x32_256x128x512_tile128x64x128_s4(

func.func @mx(%a: tensor<256x512xf8E4M3FN>, %sa: tensor<256x16xf8E8M0FNU>,
              %b: tensor<128x512xf8E4M3FN>, %sb: tensor<128x16xf8E8M0FNU>) -> tensor<256x128xf32> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<256x512xf8E4M3FN>, tensor<256x16xf8E8M0FNU>, tensor<128x512xf8E4M3FN>, tensor<128x16xf8E8M0FNU>
        -> tensor<256x128xf32>
  return %d : tensor<256x128xf32>
}

// -----

// A K that is not a multiple of 128 (K / 32 = 33 scale columns): the scale
// words are assembled byte by byte, groups past K read as 127 (2^0).

// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f8E5M2_f8E4M3FN_bf16_block1x32_block1x32_128x64x1056_tile128x64x128_s2(
// E5M2 A: atype 1 (bit 7) on top of the MX descriptor of N 64.
// CHECK:         nvvm.tcgen05.mma.block_scale {{.*}}, %c143655040_i32,
// The refill stages scale words of K steps that may cross K.
// CHECK:         arith.cmpi ult, %{{.*}}, %c33 : index
// CHECK:         arith.minui %{{.*}}, %c32 : index
// CHECK:         memref.load %{{.*}} : memref<4224xf8E8M0FNU>
// CHECK:         arith.select %{{.*}}, %{{.*}}, %c127_i32 : i32

func.func @mx_ragged_k(%a: tensor<128x1056xf8E5M2>, %sa: tensor<128x33xf8E8M0FNU>,
                       %b: tensor<64x1056xf8E4M3FN>, %sb: tensor<64x33xf8E8M0FNU>) -> tensor<128x64xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<128x1056xf8E5M2>, tensor<128x33xf8E8M0FNU>, tensor<64x1056xf8E4M3FN>, tensor<64x33xf8E8M0FNU>
        -> tensor<128x64xbf16>
  return %d : tensor<128x64xbf16>
}

// -----

// Rowwise scales, bias, FP8 output with out_scale, and the output amax: one
// scale per row, one per column, D / out_scale converted in pairs, |D|
// reduced with redux.sync (sm_100a) and one atomic per CTA.

// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_f8E4M3FN_rowwise_rowwise_128x64x256_tile128x64x128_s2_biasbf16_amax(
// CHECK-SAME:      %{{.*}}: memref<128xf32>, %{{.*}}: !llvm.ptr, %{{.*}}: memref<64xf32>, %{{.*}}: memref<64xbf16>, %{{.*}}: memref<1xf32>, %{{.*}}: memref<8192xf8E4M3FN>, %[[AMAX:.*]]: memref<1xf32>) workgroup(%[[PARTIALS:.*]] : memref<4xf32, #gpu.address_space<workgroup>>) kernel
// CHECK:         nvvm.tcgen05.mma {{.*}}, %c135266320_i32,
// CHECK:         nvvm.tcgen05.ld
// CHECK:         arith.divf
// CHECK:         nvvm.convert.f32x2.to.f8x2
// CHECK:         vector.store %{{.*}} : memref<8192xf8E4M3FN>, vector<16xf8E4M3FN>
// CHECK:         nvvm.redux.sync fmax %{{.*}} {abs = true, nan = true} : f32 -> f32
// CHECK:         memref.store %{{.*}}, %[[PARTIALS]]
// CHECK:         nvvm.redux.sync fmax
// CHECK:         llvm.atomicrmw umax

func.func @epilogue(%a: tensor<128x256xf8E4M3FN>, %sa: tensor<128x1xf32>,
                    %b: tensor<64x256xf8E4M3FN>, %sb: tensor<64x1xf32>,
                    %bias: tensor<64xbf16>, %os: tensor<f32>)
    -> (tensor<128x64xf8E4M3FN>, tensor<f32>) {
  %d, %amax = fp8.scaled_matmul %a, %sa, %b, %sb
      bias(%bias : tensor<64xbf16>) out_scale(%os : tensor<f32>)
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<128x1xf32>, tensor<64x256xf8E4M3FN>, tensor<64x1xf32>
        -> tensor<128x64xf8E4M3FN>, tensor<f32>
  return %d, %amax : tensor<128x64xf8E4M3FN>, tensor<f32>
}
