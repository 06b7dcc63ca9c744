// RUN: fp8-opt %s --fp8-lower-strided-copies | FileCheck %s

// A copy into a subview (what tensor.concat and insert_slice bufferize
// into) becomes linalg.copy; a copy between contiguous buffers stays.
// CHECK-LABEL: func.func @copies
// CHECK-SAME: (%[[A:.*]]: memref<4x8xf32>, %[[B:.*]]: memref<4x16xf32>, %[[C:.*]]: memref<4x8xf32>)
// CHECK: %[[SUB:.*]] = memref.subview %[[B]]
// CHECK: linalg.copy ins(%[[A]] : memref<4x8xf32>) outs(%[[SUB]] : memref<4x8xf32, strided<[16, 1], offset: 8>>)
// CHECK: memref.copy %[[A]], %[[C]] : memref<4x8xf32> to memref<4x8xf32>
// CHECK-NOT: linalg.copy
func.func @copies(%a: memref<4x8xf32>, %b: memref<4x16xf32>, %c: memref<4x8xf32>) {
  %sub = memref.subview %b[0, 8] [4, 8] [1, 1] : memref<4x16xf32> to memref<4x8xf32, strided<[16, 1], offset: 8>>
  memref.copy %a, %sub : memref<4x8xf32> to memref<4x8xf32, strided<[16, 1], offset: 8>>
  memref.copy %a, %c : memref<4x8xf32> to memref<4x8xf32>
  return
}
