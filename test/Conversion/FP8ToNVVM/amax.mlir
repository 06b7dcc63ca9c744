// Structure of the fp8.amax kernels.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="chip=sm_90a" --canonicalize --cse | FileCheck %s

// Tensor scaling: a grid-stride loop of 16-byte loads folding |x| as the
// unsigned bits of the f32 (NaN sorts above inf), shfl.bfly over the warp,
// one partial per warp in shared memory, warp 0 reduces the 8 partials and
// lane 0 does the one atomic max of the CTA. The host zeroes the result.

// CHECK-LABEL: gpu.func @fp8_amax_bf16_tensor_256x512(
// CHECK-SAME:      %[[IN:.*]]: memref<131072xbf16>, %[[OUT:.*]]: memref<1xf32>)
// CHECK-SAME:      workgroup(%[[PARTIALS:.*]] : memref<8xi32, #gpu.address_space<workgroup>>) kernel
// CHECK-SAME:      known_grid_size = array<i32: 16, 1, 1>
// CHECK:         %[[START:.*]] = arith.addi
// CHECK:         %[[ACC:.*]] = scf.for %[[I:.*]] = %[[START]] to %c16384 step %c4096 iter_args(%[[A:.*]] = %c0_i32) -> (i32) {
// CHECK:           %[[X:.*]] = vector.load %[[IN]][%{{.*}}] {alignment = 16 : i64} : memref<131072xbf16>, vector<8xbf16>
// CHECK:           %[[X0:.*]] = vector.extract %[[X]][0]
// CHECK:           %[[W0:.*]] = arith.extf %[[X0]] : bf16 to f32
// CHECK:           %[[BITS:.*]] = arith.bitcast %[[W0]] : f32 to i32
// CHECK:           %[[ABS:.*]] = arith.andi %[[BITS]], %c2147483647_i32
// CHECK:           arith.maxui %[[A]], %[[ABS]] : i32
// CHECK:         %[[S16:.*]], %{{.*}} = gpu.shuffle xor %[[ACC]], %c16_i32, %c32_i32 : i32
// CHECK:         arith.maxui %[[ACC]], %[[S16]]
// CHECK-COUNT-4: gpu.shuffle xor
// CHECK:         memref.store %{{.*}}, %[[PARTIALS]][%{{.*}}] : memref<8xi32, #gpu.address_space<workgroup>>
// CHECK:         gpu.barrier
// CHECK:         memref.load %[[PARTIALS]]
// CHECK-COUNT-3: gpu.shuffle xor
// CHECK:         %[[PTR:.*]] = memref.extract_aligned_pointer_as_index %[[OUT]]
// CHECK:         %[[ADDR:.*]] = llvm.inttoptr
// CHECK:         llvm.atomicrmw umax %[[ADDR]], %{{.*}} monotonic : !llvm.ptr, i32

// CHECK-LABEL: func.func @tensor_bf16
// CHECK:         %[[R:.*]] = gpu.alloc host_shared () : memref<1xf32>
// CHECK:         %[[T0:.*]] = gpu.wait async
// CHECK:         %[[T1:.*]] = gpu.memset async [%[[T0]]] %[[R]], %{{.*}} : memref<1xf32>, f32
// CHECK:         gpu.wait [%[[T1]]]
// CHECK:         gpu.launch_func @fp8_amax_bf16_tensor_256x512::@fp8_amax_bf16_tensor_256x512 blocks in (%c16, %c1, %c1) threads in (%c256, %c1, %c1) args(%{{.*}} : memref<131072xbf16>, %[[R]] : memref<1xf32>)
// CHECK:         %[[T:.*]] = bufferization.to_tensor %[[R]] restrict writable
// CHECK:         tensor.collapse_shape %[[T]] [] : tensor<1xf32> into tensor<f32>
func.func @tensor_bf16(%x: tensor<256x512xbf16>) -> tensor<f32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<256x512xbf16> -> tensor<f32>
  return %a : tensor<f32>
}

// -----

// Block [1, 128] on bf16: 16 lanes per group (16 chunks of 8), a 4-step
// shuffle within the 16 lanes, one plain store per group, no atomics.

// CHECK-LABEL: gpu.func @fp8_amax_bf16_block1x128_256x512(
// CHECK-SAME:      %[[IN:.*]]: memref<131072xbf16>, %[[OUT:.*]]: memref<1024xf32>) kernel
// CHECK-SAME:      known_grid_size = array<i32: 64, 1, 1>
// CHECK:         %[[GROUP:.*]] = arith.divui %[[T:.*]], %c16 : index
// CHECK:         %[[LANE:.*]] = arith.remui %[[T]], %c16 : index
// CHECK:         %[[VALID:.*]] = arith.cmpi ult, %[[GROUP]], %c1024 : index
// CHECK:         %[[N:.*]] = arith.select %[[VALID]], %c16, %c0 : index
// CHECK:         %[[ACC:.*]] = scf.for %{{.*}} = %[[LANE]] to %[[N]] step %c16
// CHECK:           vector.load %[[IN]]{{.*}} : memref<131072xbf16>, vector<8xbf16>
// CHECK:         %[[S8:.*]], %{{.*}} = gpu.shuffle xor %[[ACC]], %c8_i32, %c32_i32 : i32
// CHECK-COUNT-3: gpu.shuffle xor
// CHECK-NOT:     gpu.shuffle
// CHECK:         %[[FIRST:.*]] = arith.cmpi eq, %[[LANE]], %c0 : index
// CHECK:         %[[WRITES:.*]] = arith.andi %[[FIRST]], %[[VALID]] : i1
// CHECK:         scf.if %[[WRITES]] {
// CHECK:           %[[AMAX:.*]] = arith.bitcast %{{.*}} : i32 to f32
// CHECK:           memref.store %[[AMAX]], %[[OUT]][%[[GROUP]]] : memref<1024xf32>
// CHECK-NOT:     llvm.atomicrmw
// CHECK-LABEL: func.func @block_bf16
// CHECK-NOT:     gpu.memset
// CHECK:         gpu.launch_func
func.func @block_bf16(%x: tensor<256x512xbf16>) -> tensor<256x4xf32> {
  %b = fp8.amax %x {scaling = #fp8.scaling<block [1, 128]>} : tensor<256x512xbf16> -> tensor<256x4xf32>
  return %b : tensor<256x4xf32>
}

// -----

// Ragged [128, 200] blocks over [256, 512] f32: extents clipped per group
// (min(200, 512 - first column)).

// CHECK-LABEL: gpu.func @fp8_amax_f32_block128x200_256x512(
// CHECK-SAME:      memref<131072xf32>, %{{.*}}: memref<6xf32>)
// CHECK:         %[[FIRSTCOL:.*]] = arith.muli %{{.*}}, %c200 : index
// CHECK:         %[[LEFT:.*]] = arith.subi %c512, %[[FIRSTCOL]] : index
// CHECK:         %[[COLS:.*]] = arith.minui %[[LEFT]], %c200 : index
// CHECK:         arith.divui %[[COLS]], %c4 : index
// CHECK:         vector.load {{.*}} : memref<131072xf32>, vector<4xf32>
func.func @ragged_blocks(%x: tensor<256x512xf32>) -> tensor<2x3xf32> {
  %c = fp8.amax %x {scaling = #fp8.scaling<block [128, 200]>} : tensor<256x512xf32> -> tensor<2x3xf32>
  return %c : tensor<2x3xf32>
}
