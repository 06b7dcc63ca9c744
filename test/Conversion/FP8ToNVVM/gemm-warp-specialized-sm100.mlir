// The warp-specialized sm_100a GEMM (gemm-warp-specialize=on; with
// gemm-persistent=on one CTA per SM looping over the tiles with two
// tensor-memory accumulators): warp 0 the TMA producer, thread 32 (warp 1)
// the MMA issuer, warps 2-5 the epilogue; the roles meet only on mbarriers.
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=on gemm-persistent=on" --canonicalize --cse | FileCheck %s --check-prefix=PERSIST
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=on" --canonicalize --cse | FileCheck %s --check-prefix=WS
// The default (and gemm-persistent=off) stays the one-warpgroup kernel.
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a" --canonicalize --cse | FileCheck %s --check-prefix=DEFAULT
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-warp-specialize=off gemm-persistent=off" --canonicalize --cse | FileCheck %s --check-prefix=DEFAULT

// DEFAULT: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_1000x2050x1056_tile128x128x128_s4(
// DEFAULT: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2000x2050x1040_tile128x128x128_s4(
// DEFAULT-SAME: known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 16, 17, 1>

// Batched, persistent: 16 GEMMs of 4 x 3 tiles (128x256, N tail 520) =
// 192 tiles on 148 SMs, so a CTA's second tile is in another GEMM: tile t
// is GEMM t / 12 (rows z * 512 of A, z * 520 of B), then M fastest.
// PERSIST-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_16x512x520x256_tile128x256x128_s2_ws_persistent(
// PERSIST:         scf.for %[[BT:.*]] = %block_id_x to %c192 step %c148 iter_args
// PERSIST-NEXT:      arith.addi
// PERSIST-NEXT:      %[[Z:.*]] = arith.divui %[[BT]], %c12
// PERSIST-NEXT:      %[[IN:.*]] = arith.remui %[[BT]], %c12
// PERSIST-NEXT:      arith.muli %[[Z]], %c512
// PERSIST-NEXT:      arith.muli %[[Z]], %c520
// PERSIST-NEXT:      arith.remui %[[IN]], %c4
// PERSIST-NEXT:      arith.divui %[[IN]], %c4
// PERSIST:         gpu.return

// MXFP8, persistent: 2 x 128 accumulator columns + 4 stages x 8 scale
// columns = 288 -> 512. full[s] counts thread 0's expect_tx and the 32
// producer lanes' scale arrivals.
// PERSIST-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_1000x2050x1056_tile128x128x128_s4_ws_persistent(
// PERSIST:         %[[MXWARP:.*]] = arith.divui %{{.*}}, %c32
// PERSIST:         %[[MXWARP0:.*]] = arith.cmpi eq, %[[MXWARP]], %c0
// PERSIST:         nvvm.mbarrier.init %{{.*}}, %c33_i32
// PERSIST:         nvvm.tcgen05.alloc %{{.*}}, %c512_i32
// The producer warp: lane 0 issues the TMA loads, every lane stores its
// 4 rows' scale words of A's chunk and B's chunk (16 bytes each) and
// arrives on full[s] after fence.proxy.async.
// PERSIST:         scf.if %[[MXWARP0]] {
// PERSIST:           nvvm.mbarrier.try_wait.parity
// PERSIST:           scf.if
// PERSIST:             nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c32768_i32
// PERSIST:           llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<4xi32>, !llvm.ptr<3>
// PERSIST:           llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<4xi32>, !llvm.ptr<3>
// PERSIST:           nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// PERSIST:           nvvm.mbarrier.arrive %
// The MMA thread copies the stage's scales (columns 256 + 8 s) before the
// block-scaled MMAs.
// PERSIST:         scf.if
// PERSIST:           nvvm.tcgen05.cp
// PERSIST:           nvvm.tcgen05.cp
// PERSIST:           nvvm.tcgen05.mma.block_scale
// PERSIST:         gpu.return


// 2000x2050 in 128x128 tiles: 16 x 17 = 272 tiles on 148 SMs; 9 K steps.
// PERSIST-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2000x2050x1040_tile128x128x128_s4_ws_persistent(
// PERSIST-SAME:    known_block_size = array<i32: 192, 1, 1>, known_grid_size = array<i32: 148, 1, 1>
// PERSIST:         %[[TID:.*]] = gpu.thread_id  x
// PERSIST:         %[[WARP:.*]] = arith.divui %[[TID]], %c32
// PERSIST:         %[[LANE:.*]] = arith.remui %[[TID]], %c32
// PERSIST:         %[[LEADER:.*]] = arith.cmpi eq, %[[TID]], %c0
// PERSIST:         %[[WARP0:.*]] = arith.cmpi eq, %[[WARP]], %c0
// Barriers after the 4 x 32 KiB ring: full[s] (1 expect_tx arrival) at
// +131072, empty[s] (1 tcgen05.commit) at +131104, accumulatorFull[b] (1
// tcgen05.commit) at +131136, accumulatorEmpty[b] (128 epilogue threads)
// at +131152, the tensor memory address at +131168.
// PERSIST:         scf.if %[[LEADER]] {
// PERSIST-COUNT-8:   nvvm.mbarrier.init %{{.*}}, %c1_i32
// PERSIST:           %[[AF0:.*]] = arith.addi %{{.*}}, %c131136
// PERSIST:           nvvm.mbarrier.init %{{.*}}, %c1_i32
// PERSIST:           arith.addi %{{.*}}, %c131152
// PERSIST:           nvvm.mbarrier.init %{{.*}}, %c128_i32
// PERSIST:           arith.addi %{{.*}}, %c131144
// PERSIST:           nvvm.mbarrier.init %{{.*}}, %c1_i32
// PERSIST:           arith.addi %{{.*}}, %c131160
// PERSIST:           nvvm.mbarrier.init %{{.*}}, %c128_i32
// PERSIST:           nvvm.fence.mbarrier.init
// Two 128-column accumulators.
// PERSIST:         scf.if %[[WARP0]] {
// PERSIST:           arith.addi %{{.*}}, %c131168
// PERSIST:           nvvm.tcgen05.alloc %{{.*}}, %c256_i32
// PERSIST-NEXT:      nvvm.tcgen05.relinquish_alloc_permit
// PERSIST:         gpu.barrier
// PERSIST:         %[[TMEM:.*]] = llvm.load
// PERSIST:         %[[MMA:.*]] = arith.cmpi eq, %[[TID]], %c32
// PERSIST:         %[[EPI:.*]] = arith.cmpi uge, %[[WARP]], %c2
// Producer (thread 0): tiles blockIdx.x, + 148, ...; ring slot
// count * 9 + kt; waits empty[s] for the parity before the slot's round.
// PERSIST:         scf.if %[[LEADER]] {
// PERSIST:           scf.for %[[PT:.*]] = %block_id_x to %c272 step %c148 iter_args(%[[PC:.*]] = %c0)
// PERSIST:             arith.remui %[[PT]], %c16
// PERSIST:             arith.divui %[[PT]], %c16
// PERSIST:             %[[PBASE:.*]] = arith.muli %[[PC]], %c9
// PERSIST:             scf.for %[[PK:.*]] = %c0 to %c9 step %c1 {
// PERSIST:               %[[PSLOT:.*]] = arith.addi %[[PBASE]], %[[PK]]
// PERSIST:               arith.remui %[[PSLOT]], %c4
// PERSIST:               arith.divui %[[PSLOT]], %c4
// PERSIST:               arith.xori %{{.*}}, %c1_i32
// PERSIST:               arith.addi %{{.*}}, %c131104
// PERSIST:               nvvm.mbarrier.try_wait.parity
// PERSIST:               nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c32768_i32
// PERSIST-COUNT-2:       nvvm.cp.async.bulk.tensor.shared.cluster.global
// MMA thread: accumulator buffer count % 2, parity (count / 2) & 1; waits
// accumulatorEmpty[buf] for the parity before, then per K step full[s].
// PERSIST:         scf.if %[[MMA]] {
// PERSIST:           scf.for %{{.*}} = %block_id_x to %c272 step %c148 iter_args(%[[MC:.*]] = %c0)
// PERSIST:             %[[BUF:.*]] = arith.remui %[[MC]], %c2
// PERSIST:             %[[USE:.*]] = arith.divui %[[MC]], %c2
// PERSIST:             %[[USE32:.*]] = arith.index_cast %[[USE]]
// PERSIST:             %[[PAR:.*]] = arith.andi %[[USE32]], %c1_i32
// PERSIST:             %[[BOFF:.*]] = arith.muli %[[BUF]], %c8
// PERSIST:             arith.addi %[[BOFF]], %c131152
// PERSIST:             %[[BEFORE:.*]] = arith.xori %[[PAR]], %c1_i32
// PERSIST:             nvvm.mbarrier.try_wait.parity %{{.*}}, %[[BEFORE]]
// PERSIST-NEXT:        nvvm.tcgen05.fence <after>
// PERSIST:             %[[COLS:.*]] = arith.muli %[[BUF]], %c128
// PERSIST:             %[[COLS32:.*]] = arith.index_cast %[[COLS]]
// PERSIST:             %[[ACC:.*]] = arith.addi %[[TMEM]], %[[COLS32]]
// PERSIST:             scf.for %[[MK:.*]] = %c0 to %c9 step %c1 {
// PERSIST:               arith.addi %{{.*}}, %c131072
// PERSIST:               nvvm.mbarrier.try_wait.parity
// PERSIST:               %[[ACCP:.*]] = llvm.inttoptr %[[ACC]] : i32 to !llvm.ptr<6>
// PERSIST:               %[[FIRST:.*]] = arith.cmpi ne, %[[MK]], %c0
// PERSIST:               nvvm.tcgen05.mma %[[ACCP]], %{{.*}}, %{{.*}}, %{{.*}}, %[[FIRST]]
// PERSIST-COUNT-3:       nvvm.tcgen05.mma %[[ACCP]], %{{.*}}, %{{.*}}, %{{.*}}, %true
// PERSIST:               arith.addi %{{.*}}, %c131104
// PERSIST:               nvvm.tcgen05.commit
// PERSIST:             }
// PERSIST:             arith.addi %[[BOFF]], %c131136
// PERSIST:             nvvm.tcgen05.commit
// Epilogue: warp w reads lanes 32 * (w % 4)..; waits accumulatorFull[buf]
// for the parity of its use, releases the buffer after its last load.
// PERSIST:         scf.if %[[EPI]] {
// PERSIST:           %[[QUARTER:.*]] = arith.remui %[[WARP]], %c4
// PERSIST:           %[[LANES:.*]] = arith.muli %[[QUARTER]], %c32
// PERSIST:           %[[ROW:.*]] = arith.addi %[[LANES]], %[[LANE]]
// PERSIST:           scf.for %{{.*}} = %block_id_x to %c272 step %c148 iter_args(%[[EC:.*]] = %c0)
// PERSIST:             %[[EBUF:.*]] = arith.remui %[[EC]], %c2
// PERSIST:             %[[EUSE:.*]] = arith.divui %[[EC]], %c2
// PERSIST:             %[[EUSE32:.*]] = arith.index_cast %[[EUSE]]
// PERSIST:             %[[EPAR:.*]] = arith.andi %[[EUSE32]], %c1_i32
// PERSIST:             %[[EBOFF:.*]] = arith.muli %[[EBUF]], %c8
// PERSIST:             arith.addi %[[EBOFF]], %c131136
// PERSIST:             nvvm.mbarrier.try_wait.parity %{{.*}}, %[[EPAR]]
// PERSIST-NEXT:        nvvm.tcgen05.fence <after>
// PERSIST-COUNT-4:     nvvm.tcgen05.ld
// PERSIST:             nvvm.tcgen05.wait <load>
// PERSIST-COUNT-4:     nvvm.tcgen05.ld
// PERSIST:             nvvm.tcgen05.wait <load>
// PERSIST-NEXT:        nvvm.tcgen05.fence <before>
// PERSIST-NEXT:        arith.addi %[[EBOFF]], %c131152
// PERSIST:             nvvm.mbarrier.arrive
// PERSIST:         nvvm.tcgen05.fence <before>
// PERSIST-NEXT:    gpu.barrier
// PERSIST-NEXT:    scf.if %[[WARP0]] {
// PERSIST-NEXT:      nvvm.tcgen05.fence <after>
// PERSIST:           nvvm.tcgen05.dealloc %{{.*}}, %c256_i32
// PERSIST:         gpu.return

// Without persistence: one tile per CTA (grid = tiles, the tile loop runs
// once), one accumulator.
// WS-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_block1x32_block1x32_1000x2050x1056_tile128x128x128_s4_ws(
// 128 + 32 scale columns -> 256.
// WS:         nvvm.tcgen05.alloc %{{.*}}, %c256_i32
// WS-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_2000x2050x1040_tile128x128x128_s4_ws(
// WS-SAME:    known_block_size = array<i32: 192, 1, 1>, known_grid_size = array<i32: 272, 1, 1>
// WS:         nvvm.tcgen05.alloc %{{.*}}, %c128_i32
// WS:         scf.for %{{.*}} = %block_id_x to %c272 step %c272
// WS-NOT:     arith.remui %{{.*}}, %c2 : index
// WS:         gpu.return

func.func @tensorwise(%a: tensor<2000x1040xf8E4M3FN>, %sa: tensor<f32>,
                      %b: tensor<2050x1040xf8E4M3FN>, %sb: tensor<f32>) -> tensor<2000x2050xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<2000x1040xf8E4M3FN>, tensor<f32>, tensor<2050x1040xf8E4M3FN>, tensor<f32>
        -> tensor<2000x2050xbf16>
  return %d : tensor<2000x2050xbf16>
}

func.func @mx(%a: tensor<1000x1056xf8E4M3FN>, %sa: tensor<1000x33xf8E8M0FNU>,
              %b: tensor<2050x1056xf8E4M3FN>, %sb: tensor<2050x33xf8E8M0FNU>) -> tensor<1000x2050xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<1000x1056xf8E4M3FN>, tensor<1000x33xf8E8M0FNU>, tensor<2050x1056xf8E4M3FN>, tensor<2050x33xf8E8M0FNU>
        -> tensor<1000x2050xbf16>
  return %d : tensor<1000x2050xbf16>
}

func.func @batched(%a: tensor<16x512x256xf8E4M3FN>, %sa: tensor<f32>,
                   %b: tensor<16x520x256xf8E4M3FN>, %sb: tensor<f32>) -> tensor<16x512x520xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<16x512x256xf8E4M3FN>, tensor<f32>, tensor<16x520x256xf8E4M3FN>, tensor<f32>
        -> tensor<16x512x520xbf16>
  return %d : tensor<16x512x520xbf16>
}
