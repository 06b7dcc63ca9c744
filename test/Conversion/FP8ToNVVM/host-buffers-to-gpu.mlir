// RUN: fp8-opt %s --fp8-host-buffers-to-gpu | FileCheck %s

// CHECK-LABEL: func.func @host
// CHECK-NOT:     memref.alloc
// CHECK:         %[[S:.*]] = gpu.alloc host_shared () : memref<f32>
// CHECK:         %[[D:.*]] = gpu.alloc host_shared (%{{.*}}) : memref<?xf32>
// CHECK:         memref.store %{{.*}}, %[[S]][]
// CHECK:         %[[T0:.*]] = gpu.wait async
// CHECK:         %[[T1:.*]] = gpu.dealloc async [%[[T0]]] %[[D]] : memref<?xf32>
// CHECK:         gpu.wait [%[[T1]]]
// CHECK-NOT:     memref.dealloc
// CHECK:         return %[[S]]
func.func @host(%n: index, %v: f32) -> memref<f32> {
  %s = memref.alloc() {alignment = 64 : i64} : memref<f32>
  %d = memref.alloc(%n) : memref<?xf32>
  memref.store %v, %s[] : memref<f32>
  memref.dealloc %d : memref<?xf32>
  return %s : memref<f32>
}

// Buffers inside kernels stay as they are.
// CHECK-LABEL: gpu.func @kernel
// CHECK:         memref.alloc() : memref<4xf32, #gpu.address_space<private>>
module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @kernel() kernel {
      %a = memref.alloc() : memref<4xf32, #gpu.address_space<private>>
      gpu.return
    }
  }
}
