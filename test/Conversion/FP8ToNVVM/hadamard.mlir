// The fp8.hadamard kernel (plain f32 math: sm_90a and sm_100a): one thread
// per block of n elements along the last dim, the CPU lowering's
// arithmetic: q[r] = f32(x[r]) * (1 / sqrt(n)) once, then per output c a sum
// from +0 in order of r, adding q[r] where s[r] (-1)^popcount(r & c) is +1
// and subtracting it where -1, rounded once to the result type. Equal
// prefixes of the sums are shared (CSE), which keeps every operation and
// its order. The PTX keeps mul.rn / add.rn / sub.rn apart (no FMA) and
// assembles without spills on both chips.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_90a" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a" --canonicalize --cse | FileCheck %s
// RUN: rm -rf %t && fp8-opt %s -split-input-file --fp8-gpu-pipeline="chip=sm_90a" | %extract-ptx -o %t/sm90
// RUN: fp8-opt %s -split-input-file --fp8-gpu-pipeline="chip=sm_100a" | %extract-ptx -o %t/sm100
// RUN: FileCheck %s --check-prefix=PTX16 < %t/sm90/fp8_hadamard_bf16_f32_16_d7e8_64x128.ptx
// RUN: FileCheck %s --check-prefix=PTX16 < %t/sm100/fp8_hadamard_bf16_f32_16_d7e8_64x128.ptx
// RUN: FileCheck %s --check-prefix=PTX4 < %t/sm90/fp8_hadamard_f32_bf16_4_9_3x8.ptx
// RUN: for f in %t/sm90/*.ptx; do %ptxas -arch=sm_90a -v $f -o %t/k.cubin 2>&1 || exit 1; done | FileCheck %s --check-prefix=PTXAS
// RUN: for f in %t/sm100/*.ptx; do %ptxas -arch=sm_100a -v $f -o %t/k.cubin 2>&1 || exit 1; done | FileCheck %s --check-prefix=PTXAS
// REQUIRES: ptxas

// PTXAS-COUNT-2: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS-NOT:     spill

// The recipe's transform (Transformer Engine's signs, bit r set where
// s[r] = -1: 0xd7e8) of bf16 rows: 16 bf16 in one 32-byte load, 16
// products by 1/4, column 0 = q0 + q1 + q2 - q3 + q4 - q5 - ... (the
// signs), column 1 starts from the shared q0 and subtracts q1 (H[1][1] =
// -1, s[1] = +1).
// CHECK-LABEL: gpu.func @fp8_hadamard_bf16_f32_16_d7e8_64x128(
// CHECK-SAME:      %[[IN:.*]]: memref<8192xbf16>, %[[OUT:.*]]: memref<8192xf32>)
// CHECK-SAME:      known_grid_size = array<i32: 2, 1, 1>
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[NORM:.*]] = arith.constant 2.500000e-01 : f32
// CHECK:         %[[OFF:.*]] = arith.muli %{{.*}}, %c16 : index
// CHECK:         %[[X:.*]] = vector.load %[[IN]][%[[OFF]]] {alignment = 16 : i64} : memref<8192xbf16>, vector<16xbf16>
// CHECK:         %[[X0:.*]] = arith.extf %{{.*}} : bf16 to f32
// CHECK:         %[[Q0:.*]] = arith.mulf %[[X0]], %[[NORM]] : f32
// CHECK:         %[[Q1:.*]] = arith.mulf %{{.*}}, %[[NORM]] : f32
// CHECK:         %[[Q2:.*]] = arith.mulf %{{.*}}, %[[NORM]] : f32
// CHECK:         %[[Q3:.*]] = arith.mulf %{{.*}}, %[[NORM]] : f32
// CHECK:         %[[Q4:.*]] = arith.mulf %{{.*}}, %[[NORM]] : f32
// CHECK:         %[[Q5:.*]] = arith.mulf %{{.*}}, %[[NORM]] : f32
// CHECK-COUNT-10: arith.mulf %{{.*}}, %[[NORM]] : f32
// CHECK:         %[[A0:.*]] = arith.addf %[[Q0]], %[[ZERO]] : f32
// CHECK:         %[[A1:.*]] = arith.addf %[[A0]], %[[Q1]] : f32
// CHECK:         %[[A2:.*]] = arith.addf %[[A1]], %[[Q2]] : f32
// CHECK:         %[[A3:.*]] = arith.subf %[[A2]], %[[Q3]] : f32
// CHECK:         %[[A4:.*]] = arith.addf %[[A3]], %[[Q4]] : f32
// CHECK:         %[[A5:.*]] = arith.subf %[[A4]], %[[Q5]] : f32
// CHECK-COUNT-10: arith.{{add|sub}}f
// CHECK:         %[[B1:.*]] = arith.subf %[[A0]], %[[Q1]] : f32
// CHECK:         %[[Y:.*]] = vector.from_elements %{{.*}} : vector<16xf32>
// CHECK:         vector.store %[[Y]], %[[OUT]][%[[OFF]]] {alignment = 16 : i64} : memref<8192xf32>, vector<16xf32>
// PTX16-COUNT-2: ld.global.v4.b32
// PTX16-COUNT-16: mul.rn.f32 {{.*}}, 0f3E800000;
// PTX16-NOT:     fma
// PTX16-COUNT-4: st.global.v4.b32
func.func @rht(%x: tensor<64x128xbf16>) -> tensor<64x128xf32> {
  %y = fp8.hadamard %x {signs = array<i1: false, false, false, true, false, true, true, true, true, true, true, false, true, false, true, true>}
      : tensor<64x128xbf16> -> tensor<64x128xf32>
  return %y : tensor<64x128xf32>
}

// -----

// A 4-point transform with s = (-1, 1, 1, -1) and a bf16 result: products
// by 1/2, column 0 = ((0 - q0) + q1) + q2 - q3, each column rounded once
// with truncf.
// CHECK-LABEL: gpu.func @fp8_hadamard_f32_bf16_4_9_3x8(
// CHECK-SAME:      %[[IN:.*]]: memref<24xf32>, %[[OUT:.*]]: memref<24xbf16>)
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG:     %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK:         %[[X:.*]] = vector.load %[[IN]]{{.*}} : memref<24xf32>, vector<4xf32>
// CHECK:         %[[Q0:.*]] = arith.mulf %{{.*}}, %[[HALF]] : f32
// CHECK:         %[[Q1:.*]] = arith.mulf %{{.*}}, %[[HALF]] : f32
// CHECK:         %[[Q2:.*]] = arith.mulf %{{.*}}, %[[HALF]] : f32
// CHECK:         %[[Q3:.*]] = arith.mulf %{{.*}}, %[[HALF]] : f32
// CHECK:         %[[C0:.*]] = arith.subf %[[ZERO]], %[[Q0]] : f32
// CHECK:         %[[C1:.*]] = arith.addf %[[C0]], %[[Q1]] : f32
// CHECK:         %[[C2:.*]] = arith.addf %[[C1]], %[[Q2]] : f32
// CHECK:         %[[C3:.*]] = arith.subf %[[C2]], %[[Q3]] : f32
// CHECK:         %[[Y0:.*]] = arith.truncf %[[C3]] : f32 to bf16
// CHECK-COUNT-3: arith.truncf
// CHECK:         %[[Y:.*]] = vector.from_elements %[[Y0]], %{{.*}}, %{{.*}}, %{{.*}} : vector<4xbf16>
// CHECK:         vector.store %[[Y]], %[[OUT]]
// PTX4-COUNT-4:  mul.rn.f32 {{.*}}, 0f3F000000;
// PTX4:          sub.rn.f32
// PTX4-NOT:      fma
// PTX4:          cvt.rn.bf16x2.f32
func.func @rht4(%x: tensor<3x8xf32>) -> tensor<3x8xbf16> {
  %y = fp8.hadamard %x {signs = array<i1: true, false, false, true>}
      : tensor<3x8xf32> -> tensor<3x8xbf16>
  return %y : tensor<3x8xbf16>
}
