// RUN: fp8-opt %s --fp8-verify-llvm-types --split-input-file --verify-diagnostics
// The pipelines run the pass before translating, so hand-written LLVM
// dialect code with such types is a diagnostic there too, not a crash:
// RUN: not fp8-opt %s --split-input-file --fp8-gpu-pipeline="chip=sm_90a format=isa" 2>&1 | FileCheck %s --check-prefix=GPU
// RUN: not fp8-opt %s --split-input-file --fp8-cpu-pipeline 2>&1 | FileCheck %s --check-prefix=CPU
// GPU: error: 'llvm.mlir.global' op has type '!llvm.array<0 x f8E4M3FN>', which LLVM IR cannot represent (element type 'f8E4M3FN')
// CPU: error: 'llvm.mlir.global' op has type '!llvm.array<0 x f8E4M3FN>', which LLVM IR cannot represent (element type 'f8E4M3FN')

gpu.module @kernels {
  // expected-error @+1 {{'llvm.mlir.global' op has type '!llvm.array<0 x f8E4M3FN>', which LLVM IR cannot represent (element type 'f8E4M3FN')}}
  llvm.mlir.global internal @shared() {alignment = 16 : i64} : !llvm.array<0 x f8E4M3FN>
}

// -----

llvm.func @array_of_fp6() {
  // expected-error @+1 {{'llvm.mlir.zero' op has type '!llvm.array<2 x f6E2M3FN>', which LLVM IR cannot represent (element type 'f6E2M3FN')}}
  %0 = llvm.mlir.zero : !llvm.array<2 x f6E2M3FN>
  llvm.return
}

// -----

// Types LLVM IR has are fine.
llvm.mlir.global internal @fine() : !llvm.array<4 x f32>
llvm.func @bf16(%x: bf16) -> vector<4xf16> {
  %0 = llvm.mlir.undef : vector<4xf16>
  llvm.return %0 : vector<4xf16>
}
