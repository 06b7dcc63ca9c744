// The zero-sized shared global that gpu.dynamic_shared_memory lowers to
// becomes an external, 1024-byte-aligned declaration; other globals stay.
// RUN: fp8-opt %s --pass-pipeline="builtin.module(gpu.module(fp8-extern-dynamic-shared-memory))" | FileCheck %s
// test/Integration/GPU/scaled-matmul-ws-ptx.mlir checks the PTX it gives.

// CHECK-LABEL: gpu.module @kernels
// CHECK:         llvm.mlir.global external @__dynamic_shmem__0() {addr_space = 3 : i32, alignment = 1024 : i64} : !llvm.array<0 x i8>
// CHECK:         llvm.mlir.global internal @partials() {addr_space = 3 : i32, alignment = 4 : i64} : !llvm.array<12 x i32>
// CHECK:         llvm.mlir.global internal @empty_global() {addr_space = 1 : i32} : !llvm.array<0 x i8>
gpu.module @kernels {
  llvm.mlir.global internal @__dynamic_shmem__0() {addr_space = 3 : i32, alignment = 16 : i64} : !llvm.array<0 x i8>
  llvm.mlir.global internal @partials() {addr_space = 3 : i32, alignment = 4 : i64} : !llvm.array<12 x i32>
  llvm.mlir.global internal @empty_global() {addr_space = 1 : i32} : !llvm.array<0 x i8>
}
