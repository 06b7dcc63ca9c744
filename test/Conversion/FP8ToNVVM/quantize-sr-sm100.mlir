// Stochastically rounded FP4 quantize kernels (sm_100a): the plain FP4
// kernel with cvt.rs.satfinite.e2m1x4.f32 in place of the e2m1x2 pairs, one
// random word per four elements: word sr_offset + i / 4 for element i, the
// high half of SplitMix64(sr_seed)'s output of that index, byte-swapped so
// that element 4w + j draws byte 3, 1, 2, 0 of it (docs/numerics.md
// "Stochastic rounding"), the four values handed over as {x3, x2, x1, x0}
// so the i16 comes out in the packed order. Seed and offset are compiled
// in and named in the kernel. The PTX assembles without spills.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a" --canonicalize --cse | FileCheck %s
// RUN: rm -rf %t && fp8-opt %s -split-input-file --fp8-gpu-pipeline="chip=sm_100a" -o %t.mlir
// RUN: cat %t.mlir | %extract-ptx -o %t/ptx
// RUN: FileCheck %s --check-prefix=PTX < %t/ptx/fp8_quantize_f32_f4E2M1FN_block1x16_256x512_f8E4M3FN_sr24301_1099511627776_global.ptx
// RUN: FileCheck %s --check-prefix=PTX < %t/ptx/fp8_quantize_bf16_f4E2M1FN_block1x32_128x256_f8E8M0FNU_sr5_0.ptx
// RUN: %ptxas -arch=sm_100a -v %t/ptx/fp8_quantize_f32_f4E2M1FN_block1x16_256x512_f8E4M3FN_sr24301_1099511627776_global.ptx -o %t/nv.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// RUN: %ptxas -arch=sm_100a -v %t/ptx/fp8_quantize_bf16_f4E2M1FN_block1x32_128x256_f8E8M0FNU_sr5_0.ptx -o %t/mx.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS
// REQUIRES: ptxas

// PTXAS-NOT: spill stores
// PTXAS: 0 bytes spill stores, 0 bytes spill loads
// PTXAS-NOT: warning

// The SplitMix64 word: 64-bit multiplies by its three constants
// (0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB), the byte
// swap as prmt 0x0123 into the rbits register of the cvt.rs.
// PTX-DAG:     mul.lo.s64 {{.*}}, -7046029254386353131;
// PTX-DAG:     mul.lo.s64 {{.*}}, -4658895280553007687;
// PTX-DAG:     mul.lo.s64 {{.*}}, -7723592293110705685;
// PTX:         prmt.b32 %r[[RBITS:[0-9]+]], %r{{[0-9]+}}, 0, 0x123U;
// PTX-NEXT:    cvt.rs.satfinite.e2m1x4.f32 %rs{{[0-9]+}}, {%r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}, %r{{[0-9]+}}}, %r[[RBITS]];
// PTX-COUNT-3: cvt.rs.satfinite.e2m1x4.f32
// PTX-NOT:     cvt.rn.satfinite.e2m1x2.f32

// NVFP4 gradients: x * ((1 / global) / scale) as the round-to-nearest
// kernel, then per four elements the word (offset / 4 + sr_offset) + 1
// (SplitMix64's counter + 1, folded) times the golden gamma plus the seed,
// three xor-shift-multiply steps, the high half; NaN to signed zero, the
// values in reverse order, the bytes of the i16 in element order, the 8
// packed bytes of 16 elements stored at byte offset / 2.
// CHECK-LABEL: gpu.func @fp8_quantize_f32_f4E2M1FN_block1x16_256x512_f8E4M3FN_sr24301_1099511627776_global(
// CHECK-SAME:      %[[IN:.*]]: memref<131072xf32>, %{{.*}}: memref<8192xf8E4M3FN>, %[[OUT:.*]]: memref<131072xf4E2M1FN>, %{{.*}}: memref<1xf32>)
// CHECK-DAG:     %[[WORD1:.*]] = arith.constant 1099511627777 : i64
// CHECK-DAG:     %[[SEED:.*]] = arith.constant 24301 : i64
// CHECK-DAG:     %[[GAMMA:.*]] = arith.constant -7046029254386353131 : i64
// CHECK-DAG:     %[[M1:.*]] = arith.constant -4658895280553007687 : i64
// CHECK-DAG:     %[[M2:.*]] = arith.constant -7723592293110705685 : i64
// CHECK:         %[[OFF:.*]] = arith.muli %{{.*}}, %c16 : index
// CHECK:         %[[X:.*]] = vector.load %[[IN]][%[[OFF]]] {alignment = 16 : i64} : memref<131072xf32>, vector<16xf32>
// CHECK:         %[[RG:.*]] = arith.divf %cst, %{{.*}} : f32
// CHECK:         %[[INV:.*]] = arith.divf %[[RG]], %{{.*}} : f32
// CHECK:         %[[Q:.*]] = arith.divui %[[OFF]], %c4 : index
// CHECK:         %[[W:.*]] = arith.index_cast %[[Q]] : index to i64
// CHECK:         %[[C:.*]] = arith.addi %[[W]], %[[WORD1]] : i64
// CHECK:         %[[Z0:.*]] = arith.muli %[[C]], %[[GAMMA]] : i64
// CHECK:         %[[Z1:.*]] = arith.addi %[[Z0]], %[[SEED]] : i64
// CHECK:         %[[S1:.*]] = arith.shrui %[[Z1]], %c30_i64 : i64
// CHECK:         %[[X1:.*]] = arith.xori %[[Z1]], %[[S1]] : i64
// CHECK:         %[[Z2:.*]] = arith.muli %[[X1]], %[[M1]] : i64
// CHECK:         %[[S2:.*]] = arith.shrui %[[Z2]], %c27_i64 : i64
// CHECK:         %[[X2:.*]] = arith.xori %[[Z2]], %[[S2]] : i64
// CHECK:         %[[Z3:.*]] = arith.muli %[[X2]], %[[M2]] : i64
// CHECK:         %[[S3:.*]] = arith.shrui %[[Z3]], %c31_i64 : i64
// CHECK:         %[[X3:.*]] = arith.xori %[[Z3]], %[[S3]] : i64
// CHECK:         %[[HIGH:.*]] = arith.shrui %[[X3]], %c32_i64 : i64
// CHECK:         %[[BITS:.*]] = arith.trunci %[[HIGH]] : i64 to i32
// CHECK:         %[[E0:.*]] = vector.extract %[[X]][0] : f32 from vector<16xf32>
// CHECK:         %[[V0:.*]] = arith.mulf %[[E0]], %[[INV]] : f32
// CHECK:         %[[E1:.*]] = vector.extract %[[X]][1] : f32 from vector<16xf32>
// CHECK:         %[[V1:.*]] = arith.mulf %[[E1]], %[[INV]] : f32
// CHECK:         %[[E2:.*]] = vector.extract %[[X]][2] : f32 from vector<16xf32>
// CHECK:         %[[V2:.*]] = arith.mulf %[[E2]], %[[INV]] : f32
// CHECK:         %[[E3:.*]] = vector.extract %[[X]][3] : f32 from vector<16xf32>
// CHECK:         %[[V3:.*]] = arith.mulf %[[E3]], %[[INV]] : f32
// CHECK:         %[[NAN3:.*]] = arith.cmpf uno, %[[V3]], %[[V3]] : f32
// CHECK:         %[[R3:.*]] = arith.select %[[NAN3]], %{{.*}}, %[[V3]] : f32
// CHECK:         %[[R2:.*]] = arith.select %{{.*}}, %{{.*}}, %[[V2]] : f32
// CHECK:         %[[R1:.*]] = arith.select %{{.*}}, %{{.*}}, %[[V1]] : f32
// CHECK:         %[[R0:.*]] = arith.select %{{.*}}, %{{.*}}, %[[V0]] : f32
// CHECK:         %[[QUAD:.*]] = vector.from_elements %[[R3]], %[[R2]], %[[R1]], %[[R0]] : vector<4xf32>
// CHECK:         %[[SWAP:.*]] = llvm.intr.bswap(%[[BITS]]) : (i32) -> i32
// CHECK:         %[[FP4:.*]] = nvvm.convert.f32x4.to.f4x4 %[[QUAD]], %[[SWAP]] : vector<4xf32> -> i16(f4E2M1FN)
// CHECK:         %[[LO:.*]] = arith.trunci %[[FP4]] : i16 to i8
// CHECK:         %[[SH:.*]] = arith.shrui %[[FP4]], %c8_i16 : i16
// CHECK:         %[[HI:.*]] = arith.trunci %[[SH]] : i16 to i8
// CHECK:         %[[C2:.*]] = arith.addi %[[W]], %{{.*}} : i64
// CHECK:         arith.muli %[[C2]], %[[GAMMA]] : i64
// CHECK-COUNT-3: nvvm.convert.f32x4.to.f4x4
// CHECK-NOT:     nvvm.convert.f32x2.to.f4x2
// CHECK:         %[[BYTES:.*]] = vector.from_elements %[[LO]], %[[HI]], {{.*}} : vector<8xi8>
// CHECK:         %[[HALF:.*]] = arith.divui %[[OFF]], %c2 : index
// CHECK:         %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[OUT]]
// CHECK:         arith.addi %[[BASE]], %[[HALF]] : index
// CHECK:         llvm.store %[[BYTES]], %{{.*}} {alignment = 8 : i64} : vector<8xi8>, !llvm.ptr
func.func @nvfp4_sr(%x: tensor<256x512xf32>, %s: tensor<256x32xf8E4M3FN>, %g: tensor<f32>) -> tensor<256x512xf4E2M1FN> {
  %q = fp8.quantize %x, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>, sr_seed = 24301 : i64, sr_offset = 1099511627776 : i64}
      : tensor<256x512xf32>, tensor<256x32xf8E4M3FN> -> tensor<256x512xf4E2M1FN>
  return %q : tensor<256x512xf4E2M1FN>
}

// -----

// MX FP4 (E8M0 scales, Padded16 storage) with stochastic rounding: the same
// four cvt.rs per 16 elements (x / scale), their bytes packed into the
// 16-byte container; offset 0 leaves the word counter + 1.
// CHECK-LABEL: gpu.func @fp8_quantize_bf16_f4E2M1FN_block1x32_128x256_f8E8M0FNU_sr5_0(
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[SEED5:.*]] = arith.constant 5 : i64
// CHECK:         %[[WM:.*]] = arith.index_cast %{{.*}} : index to i64
// CHECK:         %[[CM:.*]] = arith.addi %[[WM]], %[[ONE]] : i64
// CHECK:         %[[ZM:.*]] = arith.muli %[[CM]], %{{.*}} : i64
// CHECK:         arith.addi %[[ZM]], %[[SEED5]] : i64
// CHECK:         arith.divf
// CHECK-COUNT-4: nvvm.convert.f32x4.to.f4x4 %{{.*}}, %{{.*}} : vector<4xf32> -> i16(f4E2M1FN)
// CHECK:         vector.bitcast %{{.*}} : vector<4xi32> to vector<16xi8>
// CHECK:         llvm.store %{{.*}}, %{{.*}} {alignment = 16 : i64} : vector<16xi8>, !llvm.ptr
func.func @mxfp4_sr(%x: tensor<128x256xbf16>, %s: tensor<128x8xf8E8M0FNU>) -> tensor<128x256xf4E2M1FN> {
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>, sr_seed = 5 : i64}
      : tensor<128x256xbf16>, tensor<128x8xf8E8M0FNU> -> tensor<128x256xf4E2M1FN>
  return %q : tensor<128x256xf4E2M1FN>
}

// -----

// A negative seed is the same 64 bits to SplitMix64 (two's complement);
// the kernel name spells it unsigned (no '-' in a PTX entry name).
// CHECK-LABEL: gpu.func @fp8_quantize_f32_f4E2M1FN_block1x16_64x128_f8E4M3FN_sr18446744073709551615_0_global(
// CHECK:         %[[NEG:.*]] = arith.constant -1 : i64
// CHECK:         %[[ZN:.*]] = arith.muli %{{.*}}, %c-7046029254386353131_i64 : i64
// CHECK:         arith.addi %[[ZN]], %[[NEG]] : i64
// CHECK-COUNT-4: nvvm.convert.f32x4.to.f4x4
func.func @negative_seed(%x: tensor<64x128xf32>, %s: tensor<64x8xf8E4M3FN>, %g: tensor<f32>) -> tensor<64x128xf4E2M1FN> {
  %q = fp8.quantize %x, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>, sr_seed = -1 : i64}
      : tensor<64x128xf32>, tensor<64x8xf8E4M3FN> -> tensor<64x128xf4E2M1FN>
  return %q : tensor<64x128xf4E2M1FN>
}
