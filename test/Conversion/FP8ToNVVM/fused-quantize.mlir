// amax -> scale_from_amax -> quantize of one value becomes one kernel that
// writes the quantized data and the scales; the amax and scale ops go away.
// RUN: fp8-opt %s -split-input-file --fp8-fuse-quantize --convert-fp8-to-gpu="chip=sm_90a" --canonicalize --cse | FileCheck %s

// [1, 128] f32 scales from bf16: 16 elements a thread, 8 lanes a group
// reduce |x| bits with three butterfly shuffles; the scale is
// amax / 448 (the f32 rule of buildScaleFromAmax, 1 unless 0 < amax < inf).

// CHECK-LABEL: gpu.module @fp8_fused_quantize_bf16_f8E4M3FN_block1x128_256x512_f32_f8E4M3FN
// CHECK:       gpu.func @fp8_fused_quantize_bf16_f8E4M3FN_block1x128_256x512_f32_f8E4M3FN(
// CHECK-SAME:      %[[IN:.*]]: memref<131072xbf16>, %[[OUT:.*]]: memref<131072xf8E4M3FN>, %[[SCALES:.*]]: memref<1024xf32>) kernel
// CHECK-SAME:      known_block_size = array<i32: 256, 1, 1>, known_grid_size = array<i32: 32, 1, 1>
// CHECK:         vector.load %[[IN]]
// CHECK:         gpu.shuffle  xor %{{.*}}, %c4_i32, %c32_i32 : i32
// CHECK:         gpu.shuffle  xor %{{.*}}, %c2_i32, %c32_i32 : i32
// CHECK:         gpu.shuffle  xor %{{.*}}, %c1_i32, %c32_i32 : i32
// CHECK:         %[[BITS:.*]] = arith.maxui
// CHECK:         %[[AMAX:.*]] = arith.bitcast %[[BITS]] : i32 to f32
// CHECK:         %[[RATIO:.*]] = arith.divf %[[AMAX]], %cst{{.*}} : f32
// CHECK:         %[[POS:.*]] = arith.cmpf ogt, %[[AMAX]]
// CHECK:         %[[FIN:.*]] = arith.cmpf olt, %[[AMAX]]
// CHECK:         %[[VALID:.*]] = arith.andi %[[POS]], %[[FIN]] : i1
// CHECK:         %[[S:.*]] = arith.select %[[VALID]], %[[RATIO]], %cst{{.*}} : f32
// CHECK:         arith.divf %{{.*}}, %[[S]] : f32
// CHECK-COUNT-8: nvvm.convert.f32x2.to.f8x2
// CHECK:         scf.if
// CHECK:           vector.store %{{.*}}, %[[OUT]]
// CHECK:           %[[LANE:.*]] = arith.remui %{{.*}}, %c8 : index
// CHECK:           %[[FIRST:.*]] = arith.cmpi eq, %[[LANE]], %c0 : index
// CHECK:           scf.if %[[FIRST]] {
// CHECK:             %[[G:.*]] = arith.divui %{{.*}}, %c128 : index
// CHECK:             memref.store %[[S]], %[[SCALES]][%[[G]]] : memref<1024xf32>
// CHECK:         gpu.return

// CHECK-LABEL: func.func @block128(
// CHECK-NOT:     fp8.
// CHECK:         %[[Q:.*]] = gpu.alloc  host_shared () : memref<131072xf8E4M3FN>
// CHECK:         %[[SC:.*]] = gpu.alloc  host_shared () : memref<1024xf32>
// CHECK:         gpu.launch_func  @fp8_fused_quantize_bf16_f8E4M3FN_block1x128_256x512_f32_f8E4M3FN::{{.*}} blocks in (%c32, %c1, %c1) threads in (%c256, %c1, %c1) args(%{{.*}} : memref<131072xbf16>, %[[Q]] : memref<131072xf8E4M3FN>, %[[SC]] : memref<1024xf32>)
// CHECK-NOT:     gpu.launch_func
// CHECK-NOT:     fp8.
// CHECK:         return
func.func @block128(%x: tensor<256x512xbf16>) -> (tensor<256x512xf8E4M3FN>, tensor<256x4xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 128]>} : tensor<256x512xbf16> -> tensor<256x4xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<256x4xf32> -> tensor<256x4xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 128]>} : tensor<256x512xbf16>, tensor<256x4xf32> -> tensor<256x512xf8E4M3FN>
  return %q, %s : tensor<256x512xf8E4M3FN>, tensor<256x4xf32>
}

// -----

// MX [1, 32] with E8M0 scales (ceil rule): 2^(ceil(log2(amax / 448))),
// read off the bits exactly: 448 = 1.75 * 2^8, fraction 0x600000 = 6291456;
// the exponent clamps to [-127, 127]. The stored byte is the f32 exponent
// field of that power of two; the data divide by the f32 scale itself.

// CHECK-LABEL: gpu.module @fp8_fused_quantize_f32_f8E4M3FN_block1x32_128x256_f8E8M0FNU_f8E4M3FN
// CHECK:       gpu.func @fp8_fused_quantize_f32_f8E4M3FN_block1x32_128x256_f8E8M0FNU_f8E4M3FN(
// CHECK-SAME:      %{{.*}}: memref<32768xf32>, %{{.*}}: memref<32768xf8E4M3FN>, %[[SCALES:.*]]: memref<1024xf8E8M0FNU>) kernel
// CHECK:         gpu.shuffle  xor %{{.*}}, %c1_i32, %c32_i32 : i32
// CHECK-NOT:     gpu.shuffle
// CHECK:         %[[FRAC:.*]] = arith.andi %{{.*}}, %c8388607_i32 : i32
// CHECK:         arith.cmpi ugt, %[[FRAC]], %c6291456_i32 : i32
// CHECK:         arith.subi %{{.*}}, %c8_i32 : i32
// CHECK:         arith.maxsi %{{.*}}, %c-127_i32 : i32
// CHECK:         arith.minsi %{{.*}}, %c127_i32 : i32
// CHECK:         %[[S:.*]] = arith.select %{{.*}}, %{{.*}}, %cst : f32
// CHECK:         %[[SBITS:.*]] = arith.bitcast %[[S]] : f32 to i32
// CHECK:         %[[EXP:.*]] = arith.shrui %[[SBITS]], %c23_i32 : i32
// CHECK:         %[[BYTE:.*]] = arith.trunci %[[EXP]] : i32 to i8
// CHECK:         %[[E8M0:.*]] = arith.bitcast %[[BYTE]] : i8 to f8E8M0FNU
// CHECK:         arith.divf %{{.*}}, %[[S]] : f32
// CHECK-NOT:     arith.truncf
// CHECK:         memref.store %[[E8M0]], %[[SCALES]][%{{.*}}] : memref<1024xf8E8M0FNU>

// CHECK-LABEL: func.func @mx(
// CHECK-NOT:     fp8.
// CHECK:         gpu.launch_func  @fp8_fused_quantize_f32_f8E4M3FN_block1x32_128x256_f8E8M0FNU_f8E4M3FN
// CHECK-NOT:     gpu.launch_func
func.func @mx(%x: tensor<128x256xf32>) -> tensor<128x256xf8E4M3FN> {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 32]>} : tensor<128x256xf32> -> tensor<128x8xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<128x8xf32> -> tensor<128x8xf8E8M0FNU>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>} : tensor<128x256xf32>, tensor<128x8xf8E8M0FNU> -> tensor<128x256xf8E4M3FN>
  return %q : tensor<128x256xf8E4M3FN>
}

// -----

// Rowwise on 256-wide rows (16 lanes a row), with margin and pow2 in the
// kernel name. The amax is also returned, so it keeps its own kernel.

// CHECK-LABEL: gpu.module @fp8_fused_quantize_f16_f8E5M2_rowwise_64x256_f32_f8E5M2_m1_pow2_nosat
// CHECK:         gpu.shuffle  xor %{{.*}}, %c8_i32, %c32_i32 : i32
// CHECK-LABEL: func.func @rowwise_amax_kept(
// CHECK:         gpu.launch_func  @fp8_amax_
// CHECK:         gpu.launch_func  @fp8_fused_quantize_f16_f8E5M2_rowwise_64x256_f32_f8E5M2_m1_pow2_nosat
// CHECK-NOT:     fp8.scale_from_amax
func.func @rowwise_amax_kept(%x: tensor<64x256xf16>) -> (tensor<64x256xf8E5M2>, tensor<64x1xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<64x256xf16> -> tensor<64x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E5M2, margin = 1 : i64, pow2} : tensor<64x1xf32> -> tensor<64x1xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>, saturate = false} : tensor<64x256xf16>, tensor<64x1xf32> -> tensor<64x256xf8E5M2>
  return %q, %a : tensor<64x256xf8E5M2>, tensor<64x1xf32>
}

// -----

// Rows too wide for one CTA's registers (65536 f32 would need 128 a thread
// of 512 threads): no fusion, three ops keep their kernels / host code.
// Rows up to 32768 elements use the CTA-per-group kernel
// (fused-quantize-blocks.mlir).

// CHECK-LABEL: func.func @rowwise_too_wide(
// CHECK:         gpu.launch_func  @fp8_amax_
// CHECK:         fp8.scale_from_amax
// CHECK:         gpu.launch_func  @fp8_quantize_
func.func @rowwise_too_wide(%x: tensor<2x65536xf32>) -> tensor<2x65536xf8E4M3FN> {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<2x65536xf32> -> tensor<2x1xf32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<2x1xf32> -> tensor<2x1xf32>
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<rowwise>} : tensor<2x65536xf32>, tensor<2x1xf32> -> tensor<2x65536xf8E4M3FN>
  return %q : tensor<2x65536xf8E4M3FN>
}
