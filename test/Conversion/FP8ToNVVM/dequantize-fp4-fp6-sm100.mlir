// The sm_100a dequantize kernels of FP4 (E2M1) and FP6 (E2M3, E3M2) inputs,
// read in their GPU storage (docs/gpu-pipeline.md "FP4 and FP6"): NVFP4
// Packed (two values a byte, E4M3 [1, 16] or [16, 16] scales times the f32
// per-tensor scale) and MX Padded16 (E8M0 [1, 32]). Pairs are decoded
// exactly with cvt.rn.f16x2.{e2m1x2,e2m3x2,e3m2x2}; the PTX assembles
// without spills.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a" --canonicalize --cse | FileCheck %s
// RUN: rm -rf %t && fp8-opt %s -split-input-file --fp8-gpu-pipeline="chip=sm_100a" -o %t.mlir
// RUN: cat %t.mlir | %extract-ptx -o %t/ptx
// RUN: FileCheck %s --check-prefix=PTX-NV < %t/ptx/fp8_dequantize_f4E2M1FN_f32_block1x16_256x512_f8E4M3FN_global.ptx
// RUN: FileCheck %s --check-prefix=PTX-MX4 < %t/ptx/fp8_dequantize_f4E2M1FN_f32_block1x32_128x256_f8E8M0FNU.ptx
// RUN: FileCheck %s --check-prefix=PTX-MX6 < %t/ptx/fp8_dequantize_f6E2M3FN_bf16_block1x32_128x256_f8E8M0FNU.ptx
// RUN: FileCheck %s --check-prefix=PTX-E3M2 < %t/ptx/fp8_dequantize_f6E3M2FN_f16_block1x32_64x96_f8E8M0FNU.ptx
// RUN: %ptxas -arch=sm_100a -v %t/ptx/fp8_dequantize_f4E2M1FN_f32_block1x16_256x512_f8E4M3FN_global.ptx -o %t/nv.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/ptx/fp8_dequantize_f4E2M1FN_bf16_block16x16_512x256_f8E4M3FN_global.ptx -o %t/nvw.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/ptx/fp8_dequantize_f4E2M1FN_f32_block1x32_128x256_f8E8M0FNU.ptx -o %t/mx4.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/ptx/fp8_dequantize_f6E2M3FN_bf16_block1x32_128x256_f8E8M0FNU.ptx -o %t/mx6.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/ptx/fp8_dequantize_f6E3M2FN_f16_block1x32_64x96_f8E8M0FNU.ptx -o %t/e3m2.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// REQUIRES: ptxas

// PTXAS-NOT: spill stores
// PTXAS: 0 bytes spill stores, 0 bytes spill loads
// PTXAS-NOT: warning

// NVFP4 activations: the 8 packed bytes of 16 elements at byte offset / 2,
// each decoded by cvt.rn.f16x2.e2m1x2 (element 2i from the low nibble),
// then (q * scale) * global in f32, as the CPU lowering computes it.
// CHECK-LABEL: gpu.func @fp8_dequantize_f4E2M1FN_f32_block1x16_256x512_f8E4M3FN_global(
// CHECK-SAME:      %[[IN:.*]]: memref<131072xf4E2M1FN>, %[[S:.*]]: memref<8192xf8E4M3FN>, %[[OUT:.*]]: memref<131072xf32>, %[[G:.*]]: memref<1xf32>)
// CHECK:         %[[OFF:.*]] = arith.muli %{{.*}}, %c16 : index
// CHECK:         nvvm.convert.f8x2.to.f16x2 %{{.*}} : vector<2xi8>(f8E4M3FN) -> vector<2xf16>
// CHECK:         %[[HALF:.*]] = arith.divui %[[OFF]], %c2 : index
// CHECK:         %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[IN]]
// CHECK:         arith.addi %[[BASE]], %[[HALF]] : index
// CHECK:         %[[BYTES:.*]] = llvm.load %{{.*}} {alignment = 8 : i64} : !llvm.ptr -> vector<8xi8>
// CHECK:         %[[B0:.*]] = vector.extract %[[BYTES]][0] : i8 from vector<8xi8>
// CHECK:         %[[GS:.*]] = memref.load %[[G]]
// CHECK:         %[[H0:.*]] = nvvm.convert.f4x2.to.f16x2 %[[B0]] : i8(f4E2M1FN) -> vector<2xf16>
// CHECK:         %[[E0:.*]] = vector.extract %[[H0]][0] : f16 from vector<2xf16>
// CHECK:         %[[X0:.*]] = arith.extf %[[E0]] : f16 to f32
// CHECK:         %[[P0:.*]] = arith.mulf %[[X0]], %{{.*}} : f32
// CHECK:         arith.mulf %[[P0]], %[[GS]] : f32
// CHECK-COUNT-7: nvvm.convert.f4x2.to.f16x2
// CHECK:         %[[V:.*]] = vector.from_elements {{.*}} : vector<16xf32>
// CHECK:         vector.store %[[V]], %[[OUT]][%[[OFF]]] {alignment = 16 : i64} : memref<131072xf32>, vector<16xf32>
// PTX-NV:       cvt.rn.f16x2.e4m3x2
// PTX-NV:       cvt.rn.f16x2.e2m1x2
func.func @nvfp4_activations(%q: tensor<256x512xf4E2M1FN>, %s: tensor<256x32xf8E4M3FN>, %g: tensor<f32>) -> tensor<256x512xf32> {
  %x = fp8.dequantize %q, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<256x512xf4E2M1FN>, tensor<256x32xf8E4M3FN> -> tensor<256x512xf32>
  return %x : tensor<256x512xf32>
}

// -----

// NVFP4 weights: [16, 16] blocks, rounded once to bf16.
// CHECK-LABEL: gpu.func @fp8_dequantize_f4E2M1FN_bf16_block16x16_512x256_f8E4M3FN_global(
// CHECK-COUNT-8: nvvm.convert.f4x2.to.f16x2
// CHECK:         arith.truncf %{{.*}} : f32 to bf16
func.func @nvfp4_weights(%q: tensor<512x256xf4E2M1FN>, %s: tensor<32x16xf8E4M3FN>, %g: tensor<f32>) -> tensor<512x256xbf16> {
  %x = fp8.dequantize %q, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [16, 16]>}
      : tensor<512x256xf4E2M1FN>, tensor<32x16xf8E4M3FN> -> tensor<512x256xbf16>
  return %x : tensor<512x256xbf16>
}

// -----

// MXFP4: a Padded16 unit of 16 bytes at byte `offset`, its first 8 bytes
// decoded; q * scale with the E8M0 scale, no per-tensor scale.
// CHECK-LABEL: gpu.func @fp8_dequantize_f4E2M1FN_f32_block1x32_128x256_f8E8M0FNU(
// CHECK-SAME:      %[[IN:.*]]: memref<32768xf4E2M1FN>, %{{.*}}: memref<1024xf8E8M0FNU>, %{{.*}}: memref<32768xf32>)
// CHECK:         %[[OFF:.*]] = arith.muli %{{.*}}, %c16 : index
// CHECK:         %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[IN]]
// CHECK:         arith.addi %[[BASE]], %[[OFF]] : index
// CHECK:         %[[UNIT:.*]] = llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<16xi8>
// CHECK:         vector.extract %[[UNIT]][0] : i8 from vector<16xi8>
// CHECK:         vector.extract %[[UNIT]][7] : i8 from vector<16xi8>
// CHECK-NOT:     vector.extract %[[UNIT]][8]
// CHECK-COUNT-8: nvvm.convert.f4x2.to.f16x2
// CHECK-NOT:     memref.load
// CHECK:         vector.store
// PTX-MX4:      cvt.rn.f16x2.e2m1x2
func.func @mxfp4(%q: tensor<128x256xf4E2M1FN>, %s: tensor<128x8xf8E8M0FNU>) -> tensor<128x256xf32> {
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<128x256xf4E2M1FN>, tensor<128x8xf8E8M0FNU> -> tensor<128x256xf32>
  return %x : tensor<128x256xf32>
}

// -----

// MXFP6 E2M3 to bf16: the 16 6-bit values of a Padded16 unit read from its
// first three words as 12-bit pairs at bits 12p (pair 2 spans bits 24-35:
// the top 8 bits of word 0 and the low 4 of word 1), each split into two
// bytes of 6 bits for cvt.rn.f16x2.e2m3x2.
// CHECK-LABEL: gpu.func @fp8_dequantize_f6E2M3FN_bf16_block1x32_128x256_f8E8M0FNU(
// CHECK:         %[[UNIT:.*]] = llvm.load %{{.*}} {alignment = 16 : i64} : !llvm.ptr -> vector<16xi8>
// CHECK:         %[[WORDS:.*]] = vector.bitcast %[[UNIT]] : vector<16xi8> to vector<4xi32>
// CHECK:         %[[W0:.*]] = vector.extract %[[WORDS]][0] : i32 from vector<4xi32>
// CHECK:         %[[W1:.*]] = vector.extract %[[WORDS]][1] : i32 from vector<4xi32>
// CHECK:         %[[LO0:.*]] = arith.andi %[[W0]], %c63_i32 : i32
// CHECK:         %[[SH0:.*]] = arith.shrui %[[W0]], %c6_i32 : i32
// CHECK:         %[[HI0:.*]] = arith.andi %[[SH0]], %c63_i32 : i32
// CHECK:         %[[UP0:.*]] = arith.shli %[[HI0]], %c8_i32 : i32
// CHECK:         %[[PAIR0:.*]] = arith.ori %[[LO0]], %[[UP0]] : i32
// CHECK:         arith.trunci %[[PAIR0]] : i32 to i16
// CHECK:         %[[TOP:.*]] = arith.shrui %[[W0]], %c24_i32 : i32
// CHECK:         %[[LOW4:.*]] = arith.shli %[[W1]], %c8_i32 : i32
// CHECK:         arith.ori %[[TOP]], %[[LOW4]] : i32
// CHECK:         nvvm.convert.f6x2.to.f16x2 %{{.*}} : vector<2xi8>(f6E2M3FN) -> vector<2xf16>
// CHECK-COUNT-7: nvvm.convert.f6x2.to.f16x2
// CHECK:         arith.truncf %{{.*}} : f32 to bf16
// PTX-MX6:      cvt.rn.f16x2.e2m3x2
func.func @mxfp6(%q: tensor<128x256xf6E2M3FN>, %s: tensor<128x8xf8E8M0FNU>) -> tensor<128x256xbf16> {
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<128x256xf6E2M3FN>, tensor<128x8xf8E8M0FNU> -> tensor<128x256xbf16>
  return %x : tensor<128x256xbf16>
}

// -----

// MXFP6 E3M2 (gradients) to f16, rows of 96: 16-element chunks.
// CHECK-LABEL: gpu.func @fp8_dequantize_f6E3M2FN_f16_block1x32_64x96_f8E8M0FNU(
// CHECK-COUNT-8: nvvm.convert.f6x2.to.f16x2 {{.*}} : vector<2xi8>(f6E3M2FN) -> vector<2xf16>
// CHECK:         arith.truncf %{{.*}} : f32 to f16
// PTX-E3M2:     cvt.rn.f16x2.e3m2x2
func.func @mxfp6_e3m2(%q: tensor<64x96xf6E3M2FN>, %s: tensor<64x3xf8E8M0FNU>) -> tensor<64x96xf16> {
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<block [1, 32]>}
      : tensor<64x96xf6E3M2FN>, tensor<64x3xf8E8M0FNU> -> tensor<64x96xf16>
  return %x : tensor<64x96xf16>
}
