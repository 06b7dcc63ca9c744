// The sm_100a quantize kernels of FP4 (E2M1) and FP6 (E2M3, E3M2) outputs:
// MX (E8M0 per [1, 32]; Padded16 storage) and two-level NVFP4 (E4M3 per
// [1, 16] or [16, 16] times the f32 per-tensor scale; Packed storage)
// scales; the PTX assembles without spills.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a" --canonicalize --cse | FileCheck %s
// RUN: rm -rf %t && fp8-opt %s -split-input-file --fp8-gpu-pipeline="chip=sm_100a" -o %t.mlir
// RUN: cat %t.mlir | %extract-ptx -o %t/ptx
// RUN: FileCheck %s --check-prefix=PTX-NV < %t/ptx/fp8_quantize_f32_f4E2M1FN_block1x16_256x512_f8E4M3FN_global.ptx
// RUN: FileCheck %s --check-prefix=PTX-MX6 < %t/ptx/fp8_quantize_bf16_f6E2M3FN_block1x32_128x256_f8E8M0FNU.ptx
// RUN: FileCheck %s --check-prefix=PTX-E3M2 < %t/ptx/fp8_quantize_f32_f6E3M2FN_block1x32_64x96_f8E8M0FNU.ptx
// RUN: %ptxas -arch=sm_100a -v %t/ptx/fp8_quantize_f32_f4E2M1FN_block1x16_256x512_f8E4M3FN_global.ptx -o %t/nv.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/ptx/fp8_quantize_f32_f4E2M1FN_block16x16_512x256_f8E4M3FN_global.ptx -o %t/nvw.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/ptx/fp8_quantize_f32_f4E2M1FN_block1x32_128x256_f8E8M0FNU.ptx -o %t/mx4.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/ptx/fp8_quantize_bf16_f6E2M3FN_block1x32_128x256_f8E8M0FNU.ptx -o %t/mx6.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/ptx/fp8_quantize_f32_f6E3M2FN_block1x32_64x96_f8E8M0FNU.ptx -o %t/e3m2.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// REQUIRES: ptxas

// PTXAS-NOT: spill stores
// PTXAS: 0 bytes spill stores, 0 bytes spill loads
// PTXAS-NOT: warning

// NVFP4 activations: E4M3 block scales decoded exactly, the per-tensor
// scale as the fourth parameter, x * ((1 / global) / scale), NaN to the
// zero of its sign, pairs to e2m1x2 (element 2i in the low nibble), the 8
// packed bytes of 16 elements at byte offset / 2.
// CHECK-LABEL: gpu.func @fp8_quantize_f32_f4E2M1FN_block1x16_256x512_f8E4M3FN_global(
// CHECK-SAME:      %[[IN:.*]]: memref<131072xf32>, %[[S:.*]]: memref<8192xf8E4M3FN>, %[[OUT:.*]]: memref<131072xf4E2M1FN>, %[[G:.*]]: memref<1xf32>)
// CHECK:         %[[SB:.*]] = memref.load %[[S]]
// CHECK:         nvvm.convert.f8x2.to.f16x2 %{{.*}} : vector<2xi8>(f8E4M3FN) -> vector<2xf16>
// CHECK:         vector.load %[[IN]]{{.*}} {alignment = 16 : i64} : memref<131072xf32>, vector<16xf32>
// CHECK:         %[[GS:.*]] = memref.load %[[G]]
// CHECK:         %[[RG:.*]] = arith.divf %cst{{.*}}, %[[GS]] : f32
// CHECK:         %[[INV:.*]] = arith.divf %[[RG]], %{{.*}} : f32
// CHECK:         arith.mulf %{{.*}}, %[[INV]] : f32
// CHECK:         arith.cmpf uno
// CHECK:         %[[PAIR:.*]] = nvvm.convert.f32x2.to.f4x2 %{{.*}}, %{{.*}} : i8(f4E2M1FN)
// CHECK-COUNT-7: nvvm.convert.f32x2.to.f4x2
// CHECK:         %[[BYTES:.*]] = vector.from_elements %[[PAIR]], {{.*}} : vector<8xi8>
// CHECK:         %[[HALF:.*]] = arith.divui %{{.*}}, %c2 : index
// CHECK:         %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[OUT]]
// CHECK:         arith.addi %[[BASE]], %[[HALF]] : index
// CHECK:         llvm.store %[[BYTES]], %{{.*}} {alignment = 8 : i64} : vector<8xi8>, !llvm.ptr
// PTX-NV:       cvt.rn.f16x2.e4m3x2
// PTX-NV:       cvt.rn.satfinite.e2m1x2.f32
func.func @nvfp4_activations(%x: tensor<256x512xf32>, %s: tensor<256x32xf8E4M3FN>, %g: tensor<f32>) -> tensor<256x512xf4E2M1FN> {
  %q = fp8.quantize %x, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<256x512xf32>, tensor<256x32xf8E4M3FN> -> tensor<256x512xf4E2M1FN>
  return %q : tensor<256x512xf4E2M1FN>
}

// -----

// NVFP4 weights: [16, 16] blocks.
// CHECK-LABEL: gpu.func @fp8_quantize_f32_f4E2M1FN_block16x16_512x256_f8E4M3FN_global(
// CHECK-COUNT-8: nvvm.convert.f32x2.to.f4x2
func.func @nvfp4_weights(%x: tensor<512x256xf32>, %s: tensor<32x16xf8E4M3FN>, %g: tensor<f32>) -> tensor<512x256xf4E2M1FN> {
  %q = fp8.quantize %x, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [16, 16]>}
      : tensor<512x256xf32>, tensor<32x16xf8E4M3FN> -> tensor<512x256xf4E2M1FN>
  return %q : tensor<512x256xf4E2M1FN>
}

// -----

// MXFP4: E8M0 scales, x / scale, no per-tensor scale; the Padded16 unit:
// the 8 cvt bytes at bits 8p of the first two words, two zero words, one
// 16-byte store at byte `offset`.
// CHECK-LABEL: gpu.func @fp8_quantize_f32_f4E2M1FN_block1x32_128x256_f8E8M0FNU(
// CHECK-SAME:      %{{.*}}: memref<32768xf32>, %{{.*}}: memref<1024xf8E8M0FNU>, %[[OUT:.*]]: memref<32768xf4E2M1FN>)
// CHECK:         %[[OFF:.*]] = arith.muli %{{.*}}, %c16 : index
// CHECK:         arith.divf %{{.*}}, %{{.*}} : f32
// CHECK:         %[[P0:.*]] = nvvm.convert.f32x2.to.f4x2
// CHECK:         %[[P1:.*]] = nvvm.convert.f32x2.to.f4x2
// CHECK-COUNT-6: nvvm.convert.f32x2.to.f4x2
// CHECK:         %[[E0:.*]] = arith.extui %[[P0]] : i8 to i32
// CHECK:         %[[E1:.*]] = arith.extui %[[P1]] : i8 to i32
// CHECK:         %[[S1:.*]] = arith.shli %[[E1]], %c8_i32 : i32
// CHECK:         arith.ori %[[E0]], %[[S1]] : i32
// CHECK:         %[[UNIT:.*]] = vector.from_elements %{{.*}}, %{{.*}}, %c0_i32, %c0_i32 : vector<4xi32>
// CHECK:         %[[BYTES:.*]] = vector.bitcast %[[UNIT]] : vector<4xi32> to vector<16xi8>
// CHECK:         %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[OUT]]
// CHECK:         arith.addi %[[BASE]], %[[OFF]] : index
// CHECK:         llvm.store %[[BYTES]], %{{.*}} {alignment = 16 : i64} : vector<16xi8>, !llvm.ptr
func.func @mxfp4(%x: tensor<128x256xf32>, %s: tensor<128x8xf8E8M0FNU>) -> tensor<128x256xf4E2M1FN> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<128x256xf32>, tensor<128x8xf8E8M0FNU> -> tensor<128x256xf4E2M1FN>
  return %q : tensor<128x256xf4E2M1FN>
}

// -----

// MXFP6 E2M3 from bf16: a Padded16 unit, the 16 6-bit values packed into
// three words (element 1 at bit 6, element 5 across bits 30-35), a zero
// word, one 16-byte store.
// CHECK-LABEL: gpu.func @fp8_quantize_bf16_f6E2M3FN_block1x32_128x256_f8E8M0FNU(
// CHECK:         arith.extf %{{.*}} : bf16 to f32
// CHECK:         %[[P:.*]] = nvvm.convert.f32x2.to.f6x2 %{{.*}}, %{{.*}} : i16(f6E2M3FN)
// CHECK-COUNT-7: nvvm.convert.f32x2.to.f6x2
// CHECK:         %[[W:.*]] = arith.extui %[[P]] : i16 to i32
// CHECK:         %[[LO:.*]] = arith.andi %[[W]], %c63_i32 : i32
// CHECK:         %[[HI:.*]] = arith.shrui %[[W]], %c8_i32 : i32
// CHECK:         %[[HI6:.*]] = arith.shli %[[HI]], %c6_i32 : i32
// CHECK:         arith.ori %[[LO]], %[[HI6]] : i32
// CHECK:         arith.shli %{{.*}}, %c30_i32 : i32
// CHECK:         arith.shrui %{{.*}}, %c2_i32 : i32
// CHECK:         %[[UNIT:.*]] = vector.from_elements %{{.*}}, %{{.*}}, %{{.*}}, %c0_i32 : vector<4xi32>
// CHECK:         %[[B:.*]] = vector.bitcast %[[UNIT]] : vector<4xi32> to vector<16xi8>
// CHECK:         llvm.store %[[B]], %{{.*}} {alignment = 16 : i64} : vector<16xi8>, !llvm.ptr
// PTX-MX6:      cvt.rn.satfinite.e2m3x2.f32
func.func @mxfp6(%x: tensor<128x256xbf16>, %s: tensor<128x8xf8E8M0FNU>) -> tensor<128x256xf6E2M3FN> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<128x256xbf16>, tensor<128x8xf8E8M0FNU> -> tensor<128x256xf6E2M3FN>
  return %q : tensor<128x256xf6E2M3FN>
}

// -----

// MXFP6 E3M2 (gradients), rows of 96: 16-element chunks.
// CHECK-LABEL: gpu.func @fp8_quantize_f32_f6E3M2FN_block1x32_64x96_f8E8M0FNU(
// CHECK-COUNT-8: nvvm.convert.f32x2.to.f6x2 {{.*}} : i16(f6E3M2FN)
// PTX-E3M2:     cvt.rn.satfinite.e3m2x2.f32
func.func @mxfp6_e3m2(%x: tensor<64x96xf32>, %s: tensor<64x3xf8E8M0FNU>) -> tensor<64x96xf6E3M2FN> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<64x96xf32>, tensor<64x3xf8E8M0FNU> -> tensor<64x96xf6E3M2FN>
  return %q : tensor<64x96xf6E3M2FN>
}
