// Structure of the warp-specialized sm_90a GEMM: a producer warpgroup whose
// thread 0 issues the TMA loads, two consumer warpgroups issuing wgmma,
// full/empty mbarrier pairs per stage.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x256 gemm-stages=3 gemm-cluster=1x1 gemm-accumulate=fast" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu | FileCheck %s --check-prefix=HEURISTIC

// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_256x512x512_tile128x256x128_s3_ws(
// CHECK-SAME:      %[[AMAP:.*]]: !llvm.ptr, %[[SA:.*]]: memref<1xf32>, %[[BMAP:.*]]: !llvm.ptr, %[[SB:.*]]: memref<1xf32>, %[[D:.*]]: memref<131072xbf16>) kernel
// 3 warpgroups: the producer and two consumers.
// CHECK-SAME:      known_block_size = array<i32: 384, 1, 1>, known_grid_size = array<i32: 2, 2, 1>
// CHECK:         %[[TID:.*]] = gpu.thread_id x
// CHECK:         %[[LEADER:.*]] = arith.cmpi eq, %[[TID]], %c0
// The ring starts on the next 1024-byte boundary of the dynamic shared
// memory (PAD bytes in); the mbarriers follow its 3 stages of 48 KiB:
// full[s] at BARS + 8 s, empty[s] at BARS + 8 (s + 3).
// CHECK:         %[[SMEM:.*]] = gpu.dynamic_shared_memory
// CHECK:         %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[SMEM]]
// CHECK:         %[[MIS:.*]] = arith.remui %[[BASE]], %c1024
// CHECK-NEXT:    %[[GAP:.*]] = arith.subi %c1024, %[[MIS]]
// CHECK-NEXT:    %[[PAD:.*]] = arith.remui %[[GAP]], %c1024
// CHECK-NEXT:    %[[BARS:.*]] = arith.addi %[[PAD]], %c147456
// CHECK:         builtin.unrealized_conversion_cast %[[AMAP]] : !llvm.ptr to !nvgpu.tensormap.descriptor<tensor = memref<128x128xf8E4M3FN
// CHECK:         builtin.unrealized_conversion_cast %[[BMAP]] : !llvm.ptr to !nvgpu.tensormap.descriptor<tensor = memref<256x128xf8E4M3FN
// A full barrier waits for one arrival (the producer's expect_tx) plus the
// TMA bytes; an empty barrier for one arrival per consumer warpgroup.
// CHECK:         scf.if %[[LEADER]] {
// CHECK-NEXT:      %[[F0:.*]] = arith.addi %[[BASE]], %[[BARS]]
// CHECK:           nvvm.mbarrier.init %{{.*}}, %c1_i32 : !llvm.ptr<3>, i32
// CHECK-COUNT-2:   nvvm.mbarrier.init %{{.*}}, %c1_i32 : !llvm.ptr<3>, i32
// CHECK-COUNT-3:   nvvm.mbarrier.init %{{.*}}, %c2_i32 : !llvm.ptr<3>, i32
// CHECK-NEXT:      nvvm.fence.mbarrier.init
// CHECK-NOT:       nvvm.cp.async.bulk.tensor
// CHECK:         }
// CHECK:         gpu.barrier
// CHECK:         %[[WG:.*]] = arith.divui %[[TID]], %c128
// CHECK:         %[[ISPRODUCER:.*]] = arith.cmpi eq, %[[WG]], %c0
// CHECK:         scf.if %[[ISPRODUCER]] {
// The producer warpgroup gives registers back; its thread 0 streams K.
// CHECK-NEXT:      nvvm.setmaxregister decrease 40
// CHECK-NEXT:      scf.if %[[LEADER]] {
// CHECK-NEXT:        scf.for %[[PK:.*]] = %c0 to %c4 step %c1 {
// CHECK-NEXT:          %[[PS:.*]] = arith.remui %[[PK]], %c3
// CHECK-NEXT:          %[[PROUND:.*]] = arith.divui %[[PK]], %c3
// CHECK-NEXT:          %[[PBIT:.*]] = arith.andi %[[PROUND]], %c1
// CHECK-NEXT:          %[[PPAR:.*]] = arith.index_cast %[[PBIT]] : index to i32
// The stage is free once the consumers released it in the previous round
// (parity flipped: the first round passes at once).
// CHECK-NEXT:          %[[PREVPAR:.*]] = arith.xori %[[PPAR]], %c1_i32
// CHECK-NEXT:          %[[EMPTY:.*]] = arith.addi %[[PS]], %c3
// CHECK-NEXT:          %[[EMPTYOFF:.*]] = arith.muli %[[EMPTY]], %c8
// CHECK-NEXT:          %[[EMPTYAT:.*]] = arith.addi %[[BARS]], %[[EMPTYOFF]]
// CHECK-NEXT:          %[[EMPTYADDR:.*]] = arith.addi %[[BASE]], %[[EMPTYAT]]
// CHECK-NEXT:          %[[EMPTYI:.*]] = arith.index_cast %[[EMPTYADDR]] : index to i64
// CHECK-NEXT:          %[[EMPTYPTR:.*]] = llvm.inttoptr %[[EMPTYI]] : i64 to !llvm.ptr<3>
// CHECK-NEXT:          nvvm.mbarrier.try_wait.parity %[[EMPTYPTR]], %[[PREVPAR]], %c10000000_i32
// 48 KiB per stage: 128 x 128 of A and 256 x 128 of B, both CTA-local.
// CHECK:               %[[FULLPTR:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// CHECK-NEXT:          nvvm.mbarrier.arrive.expect_tx %[[FULLPTR]], %c49152_i32
// CHECK:               nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[AMAP]], %[[FULLPTR]], box[%{{.*}}, %{{.*}}] : !llvm.ptr<7>, !llvm.ptr
// CHECK:               nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %[[BMAP]], %[[FULLPTR]], box[%{{.*}}, %{{.*}}] : !llvm.ptr<7>, !llvm.ptr
// CHECK-NEXT:        }
// CHECK-NEXT:      }
// CHECK-NEXT:    } else {
// Consumers take the registers; consumer c owns rows 64 * c of the tile.
// CHECK-NEXT:      nvvm.setmaxregister increase 232
// CHECK-NEXT:      %[[CONSUMER:.*]] = arith.subi %[[WG]], %c1
// CHECK-NEXT:      %[[CTID:.*]] = arith.remui %[[TID]], %c128
// CHECK:           %[[CLEADER:.*]] = arith.cmpi eq, %[[CTID]], %c0
// K step 0 (peeled) overwrites the accumulators and releases nothing.
// CHECK:           nvvm.mbarrier.try_wait.parity %{{.*}}, %c0_i32, %c10000000_i32
// The consumer's 64 rows start 64 * 128 bytes into the A tile.
// CHECK:           %[[ROWS:.*]] = arith.muli %[[CONSUMER]], %c8192
// CHECK:           nvvm.wgmma.fence.aligned
// CHECK-NEXT:      nvvm.wgmma.mma_async {{.*}} <m = 64, n = 256, k = 32>, D[<f32>, <zero>]
// CHECK-COUNT-3:   nvvm.wgmma.mma_async {{.*}} <m = 64, n = 256, k = 32>, D[<f32>, <one>]
// CHECK:           nvvm.wgmma.wait.group.sync.aligned 1
// CHECK-NOT:       nvvm.mbarrier.arrive
// CHECK:           scf.for %[[KT:.*]] = %c1 to %c4 step %c1 iter_args(%[[ACC:.*]] = %{{.*}})
// CHECK-NEXT:        %[[S:.*]] = arith.remui %[[KT]], %c3
// CHECK:             nvvm.mbarrier.try_wait.parity %{{.*}}, %{{.*}}, %c10000000_i32
// CHECK:             nvvm.wgmma.fence.aligned
// CHECK-NEXT:        nvvm.wgmma.mma_async %{{.*}}, %{{.*}}, %[[ACC]], <m = 64, n = 256, k = 32>, D[<f32>, <one>], A[<e4m3>, <one>, <row>], B[<e4m3>, <one>, <col>]
// CHECK-COUNT-3:     nvvm.wgmma.mma_async {{.*}} <m = 64, n = 256, k = 32>
// CHECK-NOT:         nvvm.wgmma.mma_async
// CHECK:             nvvm.wgmma.commit.group.sync.aligned
// CHECK-NEXT:        nvvm.wgmma.wait.group.sync.aligned 1
// Step kt - 1 is done: the consumer's thread 0 releases its stage.
// CHECK-NEXT:        %[[PREV:.*]] = arith.subi %[[KT]], %c1
// CHECK-NEXT:        %[[HASPREV:.*]] = arith.cmpi uge, %[[KT]], %c1
// CHECK-NEXT:        %[[PREVS:.*]] = arith.remui %[[PREV]], %c3
// CHECK-NEXT:        %[[RELEASES:.*]] = arith.andi %[[CLEADER]], %[[HASPREV]]
// CHECK-NEXT:        scf.if %[[RELEASES]] {
// CHECK-NEXT:          %[[FREED:.*]] = arith.addi %[[PREVS]], %c3
// CHECK:               %[[FREEDPTR:.*]] = llvm.inttoptr %{{.*}} : i64 to !llvm.ptr<3>
// CHECK-NEXT:          nvvm.mbarrier.arrive %[[FREEDPTR]] : !llvm.ptr<3>
// CHECK-NEXT:        }
// CHECK-NOT:         gpu.barrier
// CHECK:           }
// CHECK-NEXT:      nvvm.wgmma.wait.group.sync.aligned 0
// Epilogue: once both consumers are past the main loop (a proxy fence
// orders the ring's TMA/wgmma accesses before generic stores; named barrier
// 1, 256 threads) the ring holds D's tile, rows padded to 264 bf16; each thread
// stores its 32 8-column blocks x 2 rows of bf16 pairs there.
// CHECK-NEXT:      nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK-NEXT:      nvvm.barrier id = %c1_i32 number_of_threads = %c256_i32
// CHECK-NEXT:      %[[STAGE:.*]] = memref.view %{{.*}}[%{{.*}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<33792xbf16, #gpu.address_space<workgroup>>
// CHECK-COUNT-64:  vector.store %{{.*}}, %[[STAGE]][%{{.*}}] {alignment = 4 : i64} : memref<33792xbf16, #gpu.address_space<workgroup>>, vector<2xbf16>
// CHECK-NOT:       vector.store
// Then each consumer copies its 64 rows out, thread t taking 16-byte chunk
// t + 128 * i: 64 rows x 32 chunks = 16 per thread.
// CHECK:           nvvm.barrier id = %c2_i32 number_of_threads = %c256_i32
// CHECK-NEXT:      %[[LROW:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:           %[[SRC:.*]] = arith.muli %[[LROW]], %c264
// CHECK:           %[[CHUNK:.*]] = vector.load %[[STAGE]][%{{.*}}] {alignment = 16 : i64} : memref<33792xbf16, #gpu.address_space<workgroup>>, vector<8xbf16>
// CHECK:           vector.store %[[CHUNK]], %[[D]][%{{.*}}] {alignment = 16 : i64} : memref<131072xbf16>, vector<8xbf16>
// CHECK-COUNT-15:  vector.store %{{.*}}, %[[D]]
// CHECK-NOT:       vector.store
// CHECK:         gpu.return

// The host passes 3 stages of 48 KiB, 1 KiB of alignment slack and 6
// mbarriers of 8 bytes.
// CHECK-LABEL: func.func @tensorwise(
// CHECK:         gpu.launch_func {{.*}} blocks in (%c2, %c2, %c1) threads in (%c384, %c1, %c1) dynamic_shared_memory_size %c148528_i32

// Too small to fill 132 SMs: one warpgroup.
// HEURISTIC: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_256x512x512_tile128x64x128_s4(
func.func @tensorwise(%a: tensor<256x512xf8E4M3FN>, %sa: tensor<f32>,
                      %b: tensor<512x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<256x512xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<256x512xf8E4M3FN>, tensor<f32>, tensor<512x512xf8E4M3FN>, tensor<f32>
        -> tensor<256x512xbf16>
  return %d : tensor<256x512xbf16>
}

// -----

// Rowwise scales, bias, FP8 output and amax under warp specialization: the
// producer contributes 0 to the amax, all 12 warps meet for the reduction.

// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_f8E4M3FN_rowwise_rowwise_200x300x256_tile128x256x128_s2_ws_biasf32_amax(
// CHECK-SAME:      workgroup(%[[PARTIALS:.*]] : memref<12xi32, #gpu.address_space<workgroup>>)
// CHECK:         %[[AMAX:.*]] = scf.if %{{.*}} -> (i32) {
// CHECK:           nvvm.setmaxregister decrease 40
// CHECK:           scf.yield %c0_i32 : i32
// CHECK:         } else {
// CHECK:           nvvm.setmaxregister increase 232
// CHECK:           nvvm.convert.f32x2.to.f8x2
// CHECK:           scf.yield %{{.*}} : i32
// CHECK:         }
// CHECK:         gpu.shuffle xor %[[AMAX]]
// CHECK:         memref.store %{{.*}}, %[[PARTIALS]]
// CHECK:         gpu.barrier
// CHECK:         llvm.atomicrmw umax

// HEURISTIC: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_f8E4M3FN_rowwise_rowwise_200x300x256_tile128x64x128_s2_biasf32_amax(
func.func @rowwise_amax(%a: tensor<200x256xf8E4M3FN>, %sa: tensor<200x1xf32>,
                        %b: tensor<300x256xf8E4M3FN>, %sb: tensor<300x1xf32>,
                        %bias: tensor<300xf32>, %os: tensor<f32>)
    -> (tensor<200x300xf8E4M3FN>, tensor<f32>) {
  %d, %amax = fp8.scaled_matmul %a, %sa, %b, %sb
      bias(%bias : tensor<300xf32>) out_scale(%os : tensor<f32>)
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<200x256xf8E4M3FN>, tensor<200x1xf32>, tensor<300x256xf8E4M3FN>, tensor<300x1xf32>
        -> tensor<200x300xf8E4M3FN>, tensor<f32>
  return %d, %amax : tensor<200x300xf8E4M3FN>, tensor<f32>
}

// -----

// The heuristic: warp specialization once 128x128 tiles fill the 132 SMs,
// 128x256 tiles (4 stages of 48 KiB) once those fill them too, 128x128
// tiles with 6 stages of 32 KiB otherwise; warp-specialized kernels with an
// even number of row tiles run as 2x1 clusters (scaled-matmul-cluster.mlir).

// HEURISTIC-DAG: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_4096x4096x4096_tile128x256x128_s4_ws_c2x1(
// HEURISTIC-DAG: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2048x1152x4096_tile128x128x128_s6_ws_c2x1(
// HEURISTIC-DAG: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2048x1024x256_tile128x128x128_s2(
// HEURISTIC-DAG: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_32768x64x512_tile128x64x128_s4_ws_c2x1(
func.func @heuristic(%a: tensor<4096x4096xf8E4M3FN>, %a2: tensor<2048x4096xf8E4M3FN>,
                     %a3: tensor<2048x256xf8E4M3FN>, %a4: tensor<32768x512xf8E4M3FN>,
                     %b: tensor<4096x4096xf8E4M3FN>, %b2: tensor<1152x4096xf8E4M3FN>,
                     %b3: tensor<1024x256xf8E4M3FN>, %b4: tensor<64x512xf8E4M3FN>,
                     %s: tensor<f32>)
    -> (tensor<4096x4096xbf16>, tensor<2048x1152xbf16>, tensor<2048x1024xbf16>, tensor<32768x64xbf16>) {
  %d = fp8.scaled_matmul %a, %s, %b, %s
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<4096x4096xf8E4M3FN>, tensor<f32>, tensor<4096x4096xf8E4M3FN>, tensor<f32>
        -> tensor<4096x4096xbf16>
  %d2 = fp8.scaled_matmul %a2, %s, %b2, %s
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<2048x4096xf8E4M3FN>, tensor<f32>, tensor<1152x4096xf8E4M3FN>, tensor<f32>
        -> tensor<2048x1152xbf16>
  %d3 = fp8.scaled_matmul %a3, %s, %b3, %s
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<2048x256xf8E4M3FN>, tensor<f32>, tensor<1024x256xf8E4M3FN>, tensor<f32>
        -> tensor<2048x1024xbf16>
  %d4 = fp8.scaled_matmul %a4, %s, %b4, %s
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<32768x512xf8E4M3FN>, tensor<f32>, tensor<64x512xf8E4M3FN>, tensor<f32>
        -> tensor<32768x64xbf16>
  return %d, %d2, %d3, %d4 : tensor<4096x4096xbf16>, tensor<2048x1152xbf16>, tensor<2048x1024xbf16>, tensor<32768x64xbf16>
}

// -----

// Ragged M and N with a staged bf16 D: the copy skips chunks beyond D.

// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E5M2_f8E4M3FN_bf16_tensor_tensor_200x48x512_tile128x256x128_s3_ws(
// CHECK-SAME:      %[[D:[^:]*]]: memref<9600xbf16>)
// CHECK:         nvvm.barrier id = %c2_i32 number_of_threads = %c256_i32
// CHECK:         %[[LROW:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK-NEXT:    %[[LCOL:.*]] = arith.muli %{{.*}}, %c8 : index
// CHECK-NEXT:    %[[ROW:.*]] = arith.addi %{{.*}}, %[[LROW]] : index
// CHECK-NEXT:    %[[COL:.*]] = arith.addi %{{.*}}, %[[LCOL]] : index
// CHECK-NEXT:    %[[ROWOK:.*]] = arith.cmpi ult, %[[ROW]], %c200
// CHECK-NEXT:    %[[COLOK:.*]] = arith.cmpi ult, %[[COL]], %c48
// CHECK-NEXT:    %[[OK:.*]] = arith.andi %[[ROWOK]], %[[COLOK]]
// CHECK-NEXT:    scf.if %[[OK]] {
// CHECK:           %[[CHUNK:.*]] = vector.load
// CHECK:           %[[BASE:.*]] = arith.muli %[[ROW]], %c48
// CHECK-NEXT:      %[[AT:.*]] = arith.addi %[[BASE]], %[[COL]]
// CHECK-NEXT:      vector.store %[[CHUNK]], %[[D]][%[[AT]]] {alignment = 16 : i64}
func.func @ragged(%a: tensor<200x512xf8E5M2>, %sa: tensor<f32>,
                  %b: tensor<48x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<200x48xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<200x512xf8E5M2>, tensor<f32>, tensor<48x512xf8E4M3FN>, tensor<f32>
        -> tensor<200x48xbf16>
  return %d : tensor<200x48xbf16>
}
