// On sm_100a the amax reductions use redux.sync max.abs.NaN.f32; on sm_90a
// (where LLVM cannot select it) they never do.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_100a" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_90a" | FileCheck %s --check-prefix=SM90

// SM90-NOT: nvvm.redux.sync

// Tensor scaling: the warp step and the step over the 8 warp partials (f32
// in shared memory) are redux.sync; one atomic on the bit pattern per CTA.
// CHECK-LABEL: gpu.func @fp8_amax_bf16_tensor_1024x1024(
// CHECK-SAME:      workgroup(%[[PARTIALS:.*]] : memref<8xf32, #gpu.address_space<workgroup>>)
// CHECK:         %[[BITS:.*]] = scf.for
// CHECK:         %[[ACC:.*]] = arith.bitcast %[[BITS]] : i32 to f32
// CHECK:         %[[WARP:.*]] = nvvm.redux.sync fmax %[[ACC]], %c-1_i32 {abs = true, nan = true} : f32 -> f32
// CHECK:         memref.store %[[WARP]], %[[PARTIALS]]
// CHECK:         gpu.barrier
// Lanes past the 8 partials contribute 0.
// CHECK:           %[[PART:.*]] = memref.load %[[PARTIALS]]
// CHECK:           %[[P:.*]] = arith.select %{{.*}}, %[[PART]], %cst
// CHECK:           %[[CTA:.*]] = nvvm.redux.sync fmax %[[P]], %c-1_i32 {abs = true, nan = true} : f32 -> f32
// CHECK:           %[[CTABITS:.*]] = arith.bitcast %[[CTA]] : f32 to i32
// CHECK:           %[[ABS:.*]] = arith.andi %[[CTABITS]], %c2147483647_i32
// CHECK:             llvm.atomicrmw umax %{{.*}}, %[[ABS]] monotonic
func.func @tensor(%x: tensor<1024x1024xbf16>) -> tensor<f32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<1024x1024xbf16> -> tensor<f32>
  return %a : tensor<f32>
}

// -----

// Rowwise with a whole warp per row: one redux.sync instead of 5 shuffles.
// CHECK-LABEL: gpu.func @fp8_amax_f32_rowwise_64x2048(
// CHECK:         nvvm.redux.sync fmax %{{.*}}, %c-1_i32 {abs = true, nan = true} : f32 -> f32
// CHECK-NOT:     gpu.shuffle
// CHECK:         gpu.return
func.func @rows(%x: tensor<64x2048xf32>) -> tensor<64x1xf32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<64x2048xf32> -> tensor<64x1xf32>
  return %a : tensor<64x1xf32>
}

// -----

// MX [1, 32] groups span 8 lanes: the shuffles stay (redux.sync reduces
// whole-mask groups only).
// CHECK-LABEL: gpu.func @fp8_amax_f32_block1x32_64x2048(
// CHECK-NOT:     nvvm.redux.sync
// CHECK-COUNT-3: gpu.shuffle xor
// CHECK-NOT:     nvvm.redux.sync
// CHECK:         gpu.return
func.func @mx(%x: tensor<64x2048xf32>) -> tensor<64x64xf32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 32]>} : tensor<64x2048xf32> -> tensor<64x64xf32>
  return %a : tensor<64x64xf32>
}
