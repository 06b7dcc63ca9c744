// fp8.quantize / fp8.amax of a linalg.transpose that swaps the last two
// dimensions read the transpose's input through a shared-memory tile; the
// transpose is erased once nothing else uses it.
// RUN: fp8-opt %s -split-input-file --fp8-fuse-quantize --convert-fp8-to-gpu="chip=sm_90a" --canonicalize --cse | FileCheck %s

// [1, 128] blocks of the K-major copy x^T [512, 256] of x [256, 512]: tiles
// of 128 rows x 32 columns of x, so a 16 x 2 grid. Four 16-byte loads of x
// per thread into the swizzled f32 tile, a barrier, then 16 column reads,
// one scale, 8 paired converts and one 16-byte store of output row c.

// CHECK-LABEL: gpu.module @fp8_quantize_transpose_f32_block1x128_256x512_f8E4M3FN
// CHECK:       gpu.func @fp8_quantize_transpose_f32_block1x128_256x512_f8E4M3FN(
// CHECK-SAME:      %[[IN:.*]]: memref<131072xf32>, %[[SCALE:.*]]: memref<1024xf32>, %[[OUT:.*]]: memref<131072xf8E4M3FN>)
// CHECK-SAME:      workgroup(%[[TILE:.*]] : memref<4096xf32, #gpu.address_space<workgroup>> {llvm.align = 16 : i64})
// CHECK-SAME:      known_block_size = array<i32: 256, 1, 1>, known_grid_size = array<i32: 16, 2, 1>
// CHECK-COUNT-4: vector.load %[[IN]][%{{.*}}] {alignment = 16 : i64} : memref<131072xf32>, vector<4xf32>
// CHECK:         arith.xori
// CHECK:         vector.store %{{.*}}, %[[TILE]][%{{.*}}] {alignment = 16 : i64}
// CHECK:         gpu.barrier
// CHECK-COUNT-16: memref.load %[[TILE]]
// CHECK:         scf.if
// CHECK:           %[[S:.*]] = memref.load %[[SCALE]]
// CHECK:           arith.divf %{{.*}}, %[[S]] : f32
// CHECK-COUNT-8:   nvvm.convert.f32x2.to.f8x2 {{.*}}sat = #nvvm.sat_mode<satfinite>} : i16(f8E4M3FN)
// CHECK:           vector.bitcast %{{.*}} : vector<8xi16> to vector<16xf8E4M3FN>
// CHECK:           vector.store %{{.*}}, %[[OUT]][%{{.*}}] {alignment = 16 : i64} : memref<131072xf8E4M3FN>, vector<16xf8E4M3FN>

// The host passes x itself; no transpose is left.
// CHECK-LABEL: func.func @quantize_block
// CHECK-SAME:      (%[[X:.*]]: tensor<256x512xf32>
// CHECK-NOT:     linalg.transpose
// CHECK:         %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1]] : tensor<256x512xf32> into tensor<131072xf32>
// CHECK:         %[[BUF:.*]] = bufferization.to_buffer %[[FLAT]] read_only
// CHECK:         gpu.launch_func @fp8_quantize_transpose_f32_block1x128_256x512_f8E4M3FN::@fp8_quantize_transpose_f32_block1x128_256x512_f8E4M3FN blocks in (%c16, %c2, %c1) threads in (%c256, %c1, %c1) args(%[[BUF]] : memref<131072xf32>
// CHECK-NOT:     linalg.transpose
// CHECK:         return
func.func @quantize_block(%x: tensor<256x512xf32>, %s: tensor<512x2xf32>) -> tensor<512x256xf8E4M3FN> {
  %e = tensor.empty() : tensor<512x256xf32>
  %t = linalg.transpose ins(%x : tensor<256x512xf32>) outs(%e : tensor<512x256xf32>) permutation = [1, 0]
  %q = fp8.quantize %t, %s {scaling = #fp8.scaling<block [1, 128]>} : tensor<512x256xf32>, tensor<512x2xf32> -> tensor<512x256xf8E4M3FN>
  return %q : tensor<512x256xf8E4M3FN>
}

// -----

// Rowwise amax and quantize of the same transposed value (the rowwise
// recipe's wgrad operand): both read x, the transpose goes. The amax
// reduces the 8 row chunks of a tile row with 3 shuffles and one atomic
// per group and warp into a zeroed result (R = 256 spans two tiles).

// CHECK-LABEL: gpu.module @fp8_quantize_transpose_f32_rowwise_256x128_f8E4M3FN
// CHECK-LABEL: gpu.module @fp8_amax_transpose_f32_rowwise_256x128
// CHECK:       gpu.func @fp8_amax_transpose_f32_rowwise_256x128(
// CHECK-SAME:      %{{.*}}: memref<32768xf32>, %[[AMAX:.*]]: memref<128xf32>)
// CHECK-SAME:      workgroup(%{{.*}} : memref<4096xf32, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}, %{{.*}} : memref<8xi32, #gpu.address_space<workgroup>>)
// CHECK-SAME:      known_grid_size = array<i32: 4, 2, 1>
// CHECK:         gpu.barrier
// CHECK-COUNT-15: arith.maxui
// CHECK:         arith.select
// CHECK-COUNT-3: gpu.shuffle  xor
// CHECK:         scf.if
// CHECK:           llvm.atomicrmw umax
// CHECK-LABEL: func.func @amax_quantize_rowwise
// CHECK-NOT:     linalg.transpose
// CHECK:         gpu.memset
// CHECK:         gpu.launch_func @fp8_amax_transpose_f32_rowwise_256x128
// CHECK:         gpu.launch_func @fp8_quantize_transpose_f32_rowwise_256x128_f8E4M3FN
// CHECK-NOT:     linalg.transpose
func.func @amax_quantize_rowwise(%x: tensor<256x128xf32>) -> tensor<128x256xf8E4M3FN> {
  %e = tensor.empty() : tensor<128x256xf32>
  %t = linalg.transpose ins(%x : tensor<256x128xf32>) outs(%e : tensor<128x256xf32>) permutation = [1, 0]
  %a = fp8.amax %t {scaling = #fp8.scaling<rowwise>} : tensor<128x256xf32> -> tensor<128x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN, pow2} : tensor<128x1xf32> -> tensor<128x1xf32>
  %q = fp8.quantize %t, %s {scaling = #fp8.scaling<rowwise>} : tensor<128x256xf32>, tensor<128x1xf32> -> tensor<128x256xf8E4M3FN>
  return %q : tensor<128x256xf8E4M3FN>
}

// -----

// Batched bf16 with the last two dimensions swapped: one grid z per batch,
// loads of 4 bf16 widened to f32 in the tile; E5M2, not saturating.

// CHECK-LABEL: gpu.module @fp8_quantize_transpose_bf16_tensor_2x64x128_f8E5M2_nosat
// CHECK:       known_grid_size = array<i32: 4, 1, 2>
// CHECK:         gpu.block_id  z
// CHECK:         vector.load {{.*}} : memref<16384xbf16>, vector<4xbf16>
// CHECK:         arith.extf {{.*}} : vector<4xbf16> to vector<4xf32>
// CHECK:         nvvm.convert.f32x2.to.f8x2 {{.*}} : i16(f8E5M2)
// CHECK:         arith.cmpf oge
// CHECK-LABEL: func.func @batched_bf16
// CHECK-NOT:     linalg.transpose
func.func @batched_bf16(%x: tensor<2x64x128xbf16>, %s: tensor<f32>) -> tensor<2x128x64xf8E5M2> {
  %e = tensor.empty() : tensor<2x128x64xbf16>
  %t = linalg.transpose ins(%x : tensor<2x64x128xbf16>) outs(%e : tensor<2x128x64xbf16>) permutation = [0, 2, 1]
  %q = fp8.quantize %t, %s {scaling = #fp8.scaling<tensor>, saturate = false} : tensor<2x128x64xbf16>, tensor<f32> -> tensor<2x128x64xf8E5M2>
  return %q : tensor<2x128x64xf8E5M2>
}

// -----

// MX [1, 32] E8M0 scales of the transposed copy: 4 groups per tile row,
// so the amax reduces over 2 lanes (one shuffle).

// CHECK-LABEL: gpu.module @fp8_quantize_transpose_f32_block1x32_128x64_f8E4M3FN_f8E8M0FNU
// CHECK:         memref.load {{.*}} : memref<256xf8E8M0FNU>
// CHECK-LABEL: gpu.module @fp8_amax_transpose_f32_block1x32_128x64
// CHECK:         arith.select
// CHECK-NEXT:    gpu.shuffle  xor
// CHECK-NOT:     gpu.shuffle
// CHECK:         llvm.atomicrmw umax
// CHECK-LABEL: func.func @mx
// CHECK-NOT:     linalg.transpose
func.func @mx(%x: tensor<128x64xf32>) -> tensor<64x128xf8E4M3FN> {
  %e = tensor.empty() : tensor<64x128xf32>
  %t = linalg.transpose ins(%x : tensor<128x64xf32>) outs(%e : tensor<64x128xf32>) permutation = [1, 0]
  %a = fp8.amax %t {scaling = #fp8.scaling<block [1, 32]>} : tensor<64x128xf32> -> tensor<64x4xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<64x4xf32> -> tensor<64x4xf8E8M0FNU>
  %q = fp8.quantize %t, %s {scaling = #fp8.scaling<block [1, 32]>} : tensor<64x128xf32>, tensor<64x4xf8E8M0FNU> -> tensor<64x128xf8E4M3FN>
  return %q : tensor<64x128xf8E4M3FN>
}

// -----

// A transpose with another user stays for that user; the quantize still
// reads x.

// CHECK-LABEL: gpu.module @fp8_quantize_transpose_f32_tensor_64x32_f8E4M3FN
// CHECK-LABEL: func.func @shared_transpose
// CHECK:         %[[T:.*]] = linalg.transpose
// CHECK:         gpu.launch_func @fp8_quantize_transpose_f32_tensor_64x32_f8E4M3FN
// CHECK:         return %{{.*}}, %[[T]]
func.func @shared_transpose(%x: tensor<64x32xf32>, %s: tensor<f32>) -> (tensor<32x64xf8E4M3FN>, tensor<32x64xf32>) {
  %e = tensor.empty() : tensor<32x64xf32>
  %t = linalg.transpose ins(%x : tensor<64x32xf32>) outs(%e : tensor<32x64xf32>) permutation = [1, 0]
  %q = fp8.quantize %t, %s {scaling = #fp8.scaling<tensor>} : tensor<32x64xf32>, tensor<f32> -> tensor<32x64xf8E4M3FN>
  return %q, %t : tensor<32x64xf8E4M3FN>, tensor<32x64xf32>
}

// -----

// Shapes the transposing kernel does not take keep the plain kernel on the
// host-transposed value: R = 40 is not a multiple of 16 (the output chunk),
// and a permutation that moves a batch dimension is not a last-two swap.

// CHECK-LABEL: func.func @not_fused
// CHECK:         linalg.transpose
// CHECK:         gpu.launch_func @fp8_quantize_f32_f8E4M3FN_tensor_64x40::
// CHECK:         linalg.transpose
// CHECK:         gpu.launch_func @fp8_quantize_f32_f8E4M3FN_tensor_16x2x32::
func.func @not_fused(%x: tensor<40x64xf32>, %y: tensor<2x16x32xf32>, %s: tensor<f32>) -> (tensor<64x40xf8E4M3FN>, tensor<16x2x32xf8E4M3FN>) {
  %e = tensor.empty() : tensor<64x40xf32>
  %t = linalg.transpose ins(%x : tensor<40x64xf32>) outs(%e : tensor<64x40xf32>) permutation = [1, 0]
  %q = fp8.quantize %t, %s {scaling = #fp8.scaling<tensor>} : tensor<64x40xf32>, tensor<f32> -> tensor<64x40xf8E4M3FN>
  %e2 = tensor.empty() : tensor<16x2x32xf32>
  %t2 = linalg.transpose ins(%y : tensor<2x16x32xf32>) outs(%e2 : tensor<16x2x32xf32>) permutation = [1, 0, 2]
  %q2 = fp8.quantize %t2, %s {scaling = #fp8.scaling<tensor>} : tensor<16x2x32xf32>, tensor<f32> -> tensor<16x2x32xf8E4M3FN>
  return %q, %q2 : tensor<64x40xf8E4M3FN>, tensor<16x2x32xf8E4M3FN>
}
