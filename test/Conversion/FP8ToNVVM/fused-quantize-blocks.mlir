// amax -> scale_from_amax -> quantize with scale groups one warp cannot
// hold (rows wider than 512 elements, [1, c] with large c, [r, c] blocks,
// ragged edges) becomes one kernel with one CTA per scale group: the group
// is loaded into registers once, its amax reduced per warp and then across
// warps through shared memory, and the registers quantized.
// RUN: fp8-opt %s -split-input-file --fp8-fuse-quantize --convert-fp8-to-gpu="chip=sm_90a" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s -split-input-file --fp8-fuse-quantize --convert-fp8-to-gpu="chip=sm_100a" --canonicalize --cse | FileCheck %s --check-prefix=SM100

// Rowwise f32 rows of 4096: 128 threads (4 warps) a row, two 16-element
// chunks a thread (two vector loads before any reduction), 5 shuffles per
// warp, one partial per warp in shared memory, one barrier, 2 shuffles over
// the 4 partials, the f32 scale rule, 16 paired converts, two 16-byte
// stores, and thread 0 stores the row's scale.

// CHECK-LABEL: gpu.module @fp8_fused_quantize_f32_f8E4M3FN_rowwise_8x4096_f32_f8E4M3FN
// CHECK:       gpu.func @fp8_fused_quantize_f32_f8E4M3FN_rowwise_8x4096_f32_f8E4M3FN(
// CHECK-SAME:      %[[IN:.*]]: memref<32768xf32>, %[[OUT:.*]]: memref<32768xf8E4M3FN>, %[[SCALES:.*]]: memref<8xf32>)
// CHECK-SAME:      workgroup(%[[PARTIALS:.*]] : memref<4xi32, #gpu.address_space<workgroup>>) kernel
// CHECK-SAME:      known_block_size = array<i32: 128, 1, 1>, known_grid_size = array<i32: 8, 1, 1>
// CHECK:         %[[GROUP:.*]] = gpu.block_id  x
// CHECK:         %[[TID:.*]] = gpu.thread_id  x
// CHECK:         vector.load %[[IN]][%[[OFF0:.*]]] {alignment = 16 : i64} : memref<32768xf32>, vector<16xf32>
// CHECK:         vector.load %[[IN]][%[[OFF1:.*]]] {alignment = 16 : i64} : memref<32768xf32>, vector<16xf32>
// CHECK-NOT:     vector.load
// CHECK:         gpu.shuffle  xor %{{.*}}, %c16_i32, %c32_i32 : i32
// CHECK:         gpu.shuffle  xor %{{.*}}, %c8_i32, %c32_i32 : i32
// CHECK:         gpu.shuffle  xor %{{.*}}, %c4_i32, %c32_i32 : i32
// CHECK:         gpu.shuffle  xor %{{.*}}, %c2_i32, %c32_i32 : i32
// CHECK:         %[[WARPSH:.*]], %{{.*}} = gpu.shuffle  xor %[[W:.*]], %c1_i32, %c32_i32 : i32
// CHECK:         %[[WARPMAX:.*]] = arith.maxui %[[W]], %[[WARPSH]] : i32
// CHECK:         %[[LANE:.*]] = arith.remui %[[TID]], %c32 : index
// CHECK:         %[[WARP:.*]] = arith.divui %[[TID]], %c32 : index
// CHECK:         %[[LANE0:.*]] = arith.cmpi eq, %[[LANE]], %c0 : index
// CHECK:         scf.if %[[LANE0]] {
// CHECK:           memref.store %[[WARPMAX]], %[[PARTIALS]][%[[WARP]]] : memref<4xi32, #gpu.address_space<workgroup>>
// CHECK:         gpu.barrier
// CHECK:         %[[SLOT:.*]] = arith.remui %[[LANE]], %c4 : index
// CHECK:         %[[PART:.*]] = memref.load %[[PARTIALS]][%[[SLOT]]]
// CHECK:         gpu.shuffle  xor %[[PART]], %c2_i32, %c32_i32 : i32
// CHECK:         %[[LASTSH:.*]], %{{.*}} = gpu.shuffle  xor %[[P:.*]], %c1_i32, %c32_i32 : i32
// CHECK:         %[[BITS:.*]] = arith.maxui %[[P]], %[[LASTSH]] : i32
// CHECK:         %[[AMAX:.*]] = arith.bitcast %[[BITS]] : i32 to f32
// CHECK:         %[[RATIO:.*]] = arith.divf %[[AMAX]], %cst{{.*}} : f32
// CHECK:         %[[S:.*]] = arith.select %{{.*}}, %[[RATIO]], %cst{{.*}} : f32
// CHECK-COUNT-8: nvvm.convert.f32x2.to.f8x2
// CHECK:         vector.store %{{.*}}, %[[OUT]][%[[OFF0]]] {alignment = 16 : i64} : memref<32768xf8E4M3FN>, vector<16xf8E4M3FN>
// CHECK-COUNT-8: nvvm.convert.f32x2.to.f8x2
// CHECK:         vector.store %{{.*}}, %[[OUT]][%[[OFF1]]] {alignment = 16 : i64} : memref<32768xf8E4M3FN>, vector<16xf8E4M3FN>
// CHECK:         %[[T0:.*]] = arith.cmpi eq, %[[TID]], %c0 : index
// CHECK:         scf.if %[[T0]] {
// CHECK:           memref.store %[[S]], %[[SCALES]][%[[GROUP]]] : memref<8xf32>
// CHECK:         gpu.return

// One launch replaces the amax, scale_from_amax and quantize.
// CHECK-LABEL: func.func @rowwise_wide(
// CHECK-NOT:     fp8.
// CHECK:         gpu.launch_func  @fp8_fused_quantize_f32_f8E4M3FN_rowwise_8x4096_f32_f8E4M3FN::{{.*}} blocks in (%c8, %c1, %c1) threads in (%c128, %c1, %c1)
// CHECK-NOT:     gpu.launch_func
// CHECK-NOT:     fp8.
// CHECK:         return

// On sm_100a the warp steps are redux.sync max.abs.NaN on the bit patterns.
// SM100-LABEL: gpu.func @fp8_fused_quantize_f32_f8E4M3FN_rowwise_8x4096_f32_f8E4M3FN(
// SM100-NOT:     gpu.shuffle
// SM100:         nvvm.redux.sync  fmax %{{.*}}, %c-1_i32 {abs = true, nan = true} : f32 -> f32
// SM100:         gpu.barrier
// SM100:         memref.load
// SM100:         nvvm.redux.sync  fmax %{{.*}}, %c-1_i32 {abs = true, nan = true} : f32 -> f32
// SM100-NOT:     gpu.shuffle
// SM100:         gpu.return
func.func @rowwise_wide(%x: tensor<8x4096xf32>) -> tensor<8x4096xf8E4M3FN> {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<8x4096xf32> -> tensor<8x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<8x1xf32> -> tensor<8x1xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>} : tensor<8x4096xf32>, tensor<8x1xf32> -> tensor<8x4096xf8E4M3FN>
  return %q : tensor<8x4096xf8E4M3FN>
}

// -----

// bf16 rows of 8192 to E5M2, margin and pow2, not saturating: 256 threads
// (8 partials), 16 bf16 a load; the pow2 rule reads the exponent off the
// bits; overflow selects inf as the plain kernel does.

// CHECK-LABEL: gpu.module @fp8_fused_quantize_bf16_f8E5M2_rowwise_16x8192_f32_f8E5M2_m1_pow2_nosat
// CHECK:       gpu.func @fp8_fused_quantize_bf16_f8E5M2_rowwise_16x8192_f32_f8E5M2_m1_pow2_nosat(
// CHECK-SAME:      workgroup(%[[PARTIALS:.*]] : memref<8xi32, #gpu.address_space<workgroup>>) kernel
// CHECK-SAME:      known_block_size = array<i32: 256, 1, 1>, known_grid_size = array<i32: 16, 1, 1>
// CHECK-COUNT-2: vector.load %{{.*}} : memref<131072xbf16>, vector<16xbf16>
// CHECK:         gpu.barrier
// CHECK:         memref.load %[[PARTIALS]]
// CHECK:         gpu.shuffle  xor %{{.*}}, %c4_i32, %c32_i32 : i32
// CHECK:         gpu.shuffle  xor %{{.*}}, %c2_i32, %c32_i32 : i32
// CHECK:         gpu.shuffle  xor %{{.*}}, %c1_i32, %c32_i32 : i32
// CHECK:         arith.andi %{{.*}}, %c8388607_i32 : i32
// CHECK:         nvvm.convert.f32x2.to.f8x2 {{.*}} : i16(f8E5M2)
// CHECK:         arith.cmpf oge, %{{.*}}, %cst{{.*}} : f32
// CHECK-COUNT-2: vector.store %{{.*}} : memref<131072xf8E5M2>, vector<16xf8E5M2>
// CHECK:         memref.store %{{.*}}, %{{.*}}[%{{.*}}] : memref<16xf32>

// The scales are returned too: they come from the kernel's buffer.
// CHECK-LABEL: func.func @rowwise_8192(
// CHECK:         %[[SC:.*]] = gpu.alloc  host_shared () : memref<16xf32>
// CHECK:         gpu.launch_func  @fp8_fused_quantize_bf16_f8E5M2_rowwise_16x8192_f32_f8E5M2_m1_pow2_nosat::{{.*}} blocks in (%c16, %c1, %c1) threads in (%c256, %c1, %c1)
// CHECK-NOT:     gpu.launch_func
// CHECK:         bufferization.to_tensor %[[SC]]
// CHECK-NOT:     fp8.
// CHECK:         return
func.func @rowwise_8192(%x: tensor<16x8192xbf16>) -> (tensor<16x8192xf8E5M2>, tensor<16x1xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<16x8192xbf16> -> tensor<16x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E5M2, margin = 1 : i64, pow2} : tensor<16x1xf32> -> tensor<16x1xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>, saturate = false} : tensor<16x8192xbf16>, tensor<16x1xf32> -> tensor<16x8192xf8E5M2>
  return %q, %s : tensor<16x8192xf8E5M2>, tensor<16x1xf32>
}

// -----

// [128, 128] weight blocks of bf16 (DeepSeek-V3 blockwise): one CTA of 512
// threads per block, 8 threads per 128-element row, two chunks a thread 64
// rows apart; the shape is a multiple of the block, so no edge checks.

// CHECK-LABEL: gpu.module @fp8_fused_quantize_bf16_f8E4M3FN_block128x128_256x384_f32_f8E4M3FN
// CHECK:       gpu.func @fp8_fused_quantize_bf16_f8E4M3FN_block128x128_256x384_f32_f8E4M3FN(
// CHECK-SAME:      %[[IN:.*]]: memref<98304xbf16>, %[[OUT:.*]]: memref<98304xf8E4M3FN>, %[[SCALES:.*]]: memref<6xf32>)
// CHECK-SAME:      workgroup(%[[PARTIALS:.*]] : memref<16xi32, #gpu.address_space<workgroup>>) kernel
// CHECK-SAME:      known_block_size = array<i32: 512, 1, 1>, known_grid_size = array<i32: 6, 1, 1>
// CHECK:         %[[GROUP:.*]] = gpu.block_id  x
// CHECK:         %[[TID:.*]] = gpu.thread_id  x
// CHECK:         %[[GCOL:.*]] = arith.remui %[[GROUP]], %c3 : index
// CHECK:         %[[GROW:.*]] = arith.divui %[[GROUP]], %c3 : index
// CHECK:         %[[ROW0:.*]] = arith.muli %{{.*}}, %c128 : index
// CHECK:         %[[COL0:.*]] = arith.muli %[[GCOL]], %c128 : index
// CHECK:         %[[R:.*]] = arith.divui %[[TID]], %c8 : index
// CHECK:         %[[C:.*]] = arith.remui %[[TID]], %c8 : index
// CHECK:         arith.muli %[[C]], %c16 : index
// CHECK-NOT:     arith.select
// CHECK:         vector.load %[[IN]][%{{.*}}] {alignment = 16 : i64} : memref<98304xbf16>, vector<16xbf16>
// CHECK:         arith.addi %[[R]], %c64 : index
// CHECK-NOT:     arith.select
// CHECK:         vector.load %[[IN]][%{{.*}}] {alignment = 16 : i64} : memref<98304xbf16>, vector<16xbf16>
// CHECK-NOT:     vector.load
// CHECK-COUNT-5: gpu.shuffle  xor
// CHECK:         memref.store %{{.*}}, %[[PARTIALS]]
// CHECK:         gpu.barrier
// CHECK:         memref.load %[[PARTIALS]]
// CHECK-COUNT-4: gpu.shuffle  xor
// CHECK-NOT:     gpu.shuffle
// CHECK:         %[[AMAX:.*]] = arith.bitcast %{{.*}} : i32 to f32
// CHECK:         arith.divf %[[AMAX]]
// CHECK-NOT:     scf.if
// CHECK-COUNT-2: vector.store %{{.*}}, %[[OUT]][%{{.*}}] {alignment = 16 : i64} : memref<98304xf8E4M3FN>, vector<16xf8E4M3FN>
// CHECK:         scf.if
// CHECK:           memref.store %{{.*}}, %[[SCALES]][%[[GROUP]]] : memref<6xf32>

// CHECK-LABEL: func.func @blocks(
// CHECK:         gpu.launch_func  @fp8_fused_quantize_bf16_f8E4M3FN_block128x128_256x384_f32_f8E4M3FN::{{.*}} blocks in (%c6, %c1, %c1) threads in (%c512, %c1, %c1)
// CHECK-NOT:     gpu.launch_func
// CHECK-NOT:     fp8.
// CHECK:         return

// SM100-LABEL: gpu.func @fp8_fused_quantize_bf16_f8E4M3FN_block128x128_256x384_f32_f8E4M3FN(
// SM100-COUNT-2: nvvm.redux.sync  fmax
// SM100-NOT:     gpu.shuffle
// SM100:         gpu.return
func.func @blocks(%x: tensor<256x384xbf16>) -> (tensor<256x384xf8E4M3FN>, tensor<2x3xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [128, 128]>} : tensor<256x384xbf16> -> tensor<2x3xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<2x3xf32> -> tensor<2x3xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [128, 128]>} : tensor<256x384xbf16>, tensor<2x3xf32> -> tensor<256x384xf8E4M3FN>
  return %q, %s : tensor<256x384xf8E4M3FN>, tensor<2x3xf32>
}

// -----

// Ragged [128, 128] blocks: 200 x 300 has 2 x 3 (ceil-div) blocks, the last
// block row 72 rows high and the last block column 44 wide. 300 is a
// multiple of 4 only, so chunks of 4 (4-byte FP8 stores), 8 a thread. A
// chunk outside the tensor loads the block's first chunk instead, counts 0
// for the amax and stores nothing.

// CHECK-LABEL: gpu.module @fp8_fused_quantize_f32_f8E4M3FN_block128x128_200x300_f32_f8E4M3FN
// CHECK:       gpu.func @fp8_fused_quantize_f32_f8E4M3FN_block128x128_200x300_f32_f8E4M3FN(
// CHECK-SAME:      %[[IN:.*]]: memref<60000xf32>, %[[OUT:.*]]: memref<60000xf8E4M3FN>, %[[SCALES:.*]]: memref<6xf32>)
// CHECK-SAME:      known_block_size = array<i32: 512, 1, 1>, known_grid_size = array<i32: 6, 1, 1>
// CHECK:         %[[ROWOK:.*]] = arith.cmpi ult, %{{.*}}, %c200 : index
// CHECK:         %[[COLOK:.*]] = arith.cmpi ult, %{{.*}}, %c300 : index
// CHECK:         %[[VALID:.*]] = arith.andi %[[ROWOK]], %[[COLOK]] : i1
// CHECK:         %[[START:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:         %[[OFF:.*]] = arith.addi %[[START]], %{{.*}} : index
// CHECK:         %[[SAFE:.*]] = arith.select %[[VALID]], %[[OFF]], %[[START]] : index
// CHECK:         vector.load %[[IN]][%[[SAFE]]] {alignment = 16 : i64} : memref<60000xf32>, vector<4xf32>
// CHECK-COUNT-7: vector.load %[[IN]]
// CHECK-NOT:     vector.load
// CHECK:         arith.select %[[VALID]], %{{.*}}, %c0_i32 : i32
// CHECK:         gpu.barrier
// CHECK:         scf.if %[[VALID]] {
// CHECK-NEXT:      vector.store %{{.*}}, %[[OUT]][%[[OFF]]] {alignment = 4 : i64} : memref<60000xf8E4M3FN>, vector<4xf8E4M3FN>
// CHECK-COUNT-7: vector.store
// CHECK:         memref.store %{{.*}}, %[[SCALES]]

// CHECK-LABEL: func.func @blocks_ragged(
// CHECK:         gpu.launch_func  @fp8_fused_quantize_f32_f8E4M3FN_block128x128_200x300_f32_f8E4M3FN::{{.*}} blocks in (%c6, %c1, %c1) threads in (%c512, %c1, %c1)
// CHECK-NOT:     gpu.launch_func
// CHECK-NOT:     fp8.
// CHECK:         return
func.func @blocks_ragged(%x: tensor<200x300xf32>) -> (tensor<200x300xf8E4M3FN>, tensor<2x3xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [128, 128]>} : tensor<200x300xf32> -> tensor<2x3xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<2x3xf32> -> tensor<2x3xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [128, 128]>} : tensor<200x300xf32>, tensor<2x3xf32> -> tensor<200x300xf8E4M3FN>
  return %q, %s : tensor<200x300xf8E4M3FN>, tensor<2x3xf32>
}

// -----

// Batched, ragged rows, f32 to E5M2: [2, 200, 320] has 2 x 2 x 3 blocks;
// a block's first row is batch * 200 + 128 * block row, and only the rows
// are checked against the batch's 200 (320 is a multiple of 16, so the
// last block column, 64 wide, needs a column check too).

// CHECK-LABEL: gpu.module @fp8_fused_quantize_f32_f8E5M2_block128x128_2x200x320_f32_f8E5M2
// CHECK:       gpu.func @fp8_fused_quantize_f32_f8E5M2_block128x128_2x200x320_f32_f8E5M2(
// CHECK-SAME:      known_block_size = array<i32: 512, 1, 1>, known_grid_size = array<i32: 12, 1, 1>
// CHECK:         %[[BATCH:.*]] = arith.divui %{{.*}}, %c2 : index
// CHECK:         %[[ROWIN:.*]] = arith.muli %{{.*}}, %c128 : index
// CHECK:         %[[BASE:.*]] = arith.muli %[[BATCH]], %c200 : index
// CHECK:         arith.addi %[[BASE]], %[[ROWIN]] : index
// CHECK:         arith.cmpi ult, %{{.*}}, %c200 : index
// CHECK:         arith.cmpi ult, %{{.*}}, %c320 : index
// CHECK:         vector.load {{.*}} : memref<128000xf32>, vector<16xf32>
// CHECK:         nvvm.convert.f32x2.to.f8x2 {{.*}} : i16(f8E5M2)
// CHECK:         memref.store %{{.*}}, %{{.*}}[%{{.*}}] : memref<12xf32>
func.func @blocks_e5m2_ragged(%x: tensor<2x200x320xf32>) -> (tensor<2x200x320xf8E5M2>, tensor<2x2x3xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [128, 128]>} : tensor<2x200x320xf32> -> tensor<2x2x3xf32>
  %s = fp8.scale_from_amax %a {format = f8E5M2} : tensor<2x2x3xf32> -> tensor<2x2x3xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [128, 128]>} : tensor<2x200x320xf32>, tensor<2x2x3xf32> -> tensor<2x200x320xf8E5M2>
  return %q, %s : tensor<2x200x320xf8E5M2>, tensor<2x2x3xf32>
}

// -----

// [1, 2048] f16: 64 threads (2 warps) a group, 2 chunks a thread.

// CHECK-LABEL: gpu.module @fp8_fused_quantize_f16_f8E4M3FN_block1x2048_32x4096_f32_f8E4M3FN
// CHECK:       gpu.func @fp8_fused_quantize_f16_f8E4M3FN_block1x2048_32x4096_f32_f8E4M3FN(
// CHECK-SAME:      workgroup(%{{.*}} : memref<2xi32, #gpu.address_space<workgroup>>) kernel
// CHECK-SAME:      known_block_size = array<i32: 64, 1, 1>, known_grid_size = array<i32: 64, 1, 1>
// CHECK-COUNT-2: vector.load {{.*}} : memref<131072xf16>, vector<16xf16>
// CHECK:         gpu.barrier
// CHECK:         gpu.shuffle  xor %{{.*}}, %c1_i32, %c32_i32 : i32
// CHECK-NOT:     gpu.shuffle
func.func @block1x2048(%x: tensor<32x4096xf16>) -> tensor<32x4096xf8E4M3FN> {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 2048]>} : tensor<32x4096xf16> -> tensor<32x2xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<32x2xf32> -> tensor<32x2xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 2048]>} : tensor<32x4096xf16>, tensor<32x2xf32> -> tensor<32x4096xf8E4M3FN>
  return %q : tensor<32x4096xf8E4M3FN>
}

// -----

// Rows of 768 (48 chunks of 16): not a power of two of lanes, so one warp
// per row, 2 chunks a thread (the second only for lanes < 16), no shared
// memory and no barrier.

// CHECK-LABEL: gpu.func @fp8_fused_quantize_f32_f8E4M3FN_rowwise_64x768_f32_f8E4M3FN(
// CHECK-SAME:      memref<64xf32>) kernel
// CHECK-SAME:      known_block_size = array<i32: 32, 1, 1>, known_grid_size = array<i32: 64, 1, 1>
// CHECK:         arith.cmpi ult, %{{.*}}, %c48 : index
// CHECK-COUNT-5: gpu.shuffle  xor
// CHECK-NOT:     gpu.barrier
// CHECK-NOT:     gpu.shuffle
// CHECK:         gpu.return
func.func @rowwise_768(%x: tensor<64x768xf32>) -> tensor<64x768xf8E4M3FN> {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<64x768xf32> -> tensor<64x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<64x1xf32> -> tensor<64x1xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>} : tensor<64x768xf32>, tensor<64x1xf32> -> tensor<64x768xf8E4M3FN>
  return %q : tensor<64x768xf8E4M3FN>
}

// -----

// Not fused: tensor scaling (the scale needs a grid-wide amax first), and
// [1, 32] on rows of 80 (ragged groups of 2 chunks, too small for a CTA).

// CHECK-LABEL: func.func @tensor_unfused(
// CHECK:         gpu.launch_func  @fp8_amax_
// CHECK:         fp8.scale_from_amax
// CHECK:         gpu.launch_func  @fp8_quantize_
// CHECK-LABEL: func.func @small_ragged_unfused(
// CHECK:         gpu.launch_func  @fp8_amax_
// CHECK:         fp8.scale_from_amax
// CHECK:         gpu.launch_func  @fp8_quantize_
func.func @tensor_unfused(%x: tensor<256x512xf32>) -> tensor<256x512xf8E4M3FN> {
  %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<256x512xf32> -> tensor<f32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>} : tensor<256x512xf32>, tensor<f32> -> tensor<256x512xf8E4M3FN>
  return %q : tensor<256x512xf8E4M3FN>
}
func.func @small_ragged_unfused(%x: tensor<64x80xbf16>) -> tensor<64x80xf8E4M3FN> {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 32]>} : tensor<64x80xbf16> -> tensor<64x3xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<64x3xf32> -> tensor<64x3xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>} : tensor<64x80xbf16>, tensor<64x3xf32> -> tensor<64x80xf8E4M3FN>
  return %q : tensor<64x80xf8E4M3FN>
}
