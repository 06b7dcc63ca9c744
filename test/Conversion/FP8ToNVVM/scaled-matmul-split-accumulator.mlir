// The split accumulator of the sm_90a GEMM: without scales along K, each
// 128-wide K step's k32 wgmma's start fresh partial sums (scale-d = 0 on
// the first), the consumer waits for them and adds them to the f32 totals
// (llvm.fadd, no scale: the tensor/rowwise scales stay in the epilogue).
// `auto` splits when an operand is E5M2 (gradient GEMMs), `split` and
// `fast` force either way.
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="gemm-tile=64x128 gemm-stages=2" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="gemm-accumulate=fast" | FileCheck %s --check-prefix=FAST
// RUN: fp8-opt %s -split-input-file --convert-fp8-to-gpu="gemm-accumulate=split" | FileCheck %s --check-prefix=SPLIT
// RUN: not fp8-opt %s -split-input-file --convert-fp8-to-gpu="gemm-accumulate=exact" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not fp8-opt %s -split-input-file --convert-fp8-to-gpu="gemm-tile=128x128" 2>&1 | FileCheck %s --check-prefix=REGS

// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E5M2_f8E4M3FN_bf16_tensor_tensor_256x256x384_tile64x128x128_s2_splitacc(
// CHECK:         scf.for %[[KT:.*]] = %c0 to %c3 step %c1 iter_args(%[[ACC:.*]] = %{{.*}})
// CHECK:           nvvm.mbarrier.try_wait.parity
// CHECK:           nvvm.wgmma.fence.aligned
// CHECK-NEXT:      %[[P0:.*]] = nvvm.wgmma.mma_async %{{.*}}, %{{.*}}, %{{.*}}, <m = 64, n = 128, k = 32>, D[<f32>, <zero>], A[<e5m2>, <one>, <row>], B[<e4m3>, <one>, <col>]
// CHECK-COUNT-3:   D[<f32>, <one>]
// CHECK:           nvvm.wgmma.commit.group.sync.aligned
// CHECK-NEXT:      nvvm.wgmma.wait.group.sync.aligned 0
// CHECK:           %[[PART:.*]] = llvm.extractvalue %{{.*}}[0]
// CHECK-NEXT:      %[[TOTAL:.*]] = llvm.extractvalue %[[ACC]][0]
// CHECK-NEXT:      %[[SUM:.*]] = llvm.fadd %[[PART]], %[[TOTAL]]
// CHECK-NEXT:      llvm.insertvalue %[[SUM]], %[[ACC]][0]
// CHECK-COUNT-63:  llvm.fadd
// CHECK-NOT:       llvm.intr.fma
// CHECK:           scf.yield
// The tensor scales in the epilogue.
// CHECK:         %[[SAV:.*]] = memref.load %{{.*}}[%c0] : memref<1xf32>
// CHECK:         %[[SBV:.*]] = memref.load %{{.*}}[%c0] : memref<1xf32>
// CHECK:         arith.mulf %[[SAV]], %[[SBV]]

// FAST-LABEL: gpu.func @fp8_gemm_sm90_f8E5M2_f8E4M3FN_bf16_tensor_tensor_256x256x384_tile128x64x128_s3(
// FAST-NOT:     llvm.fadd
// FAST:         gpu.return
// SPLIT: gpu.func @fp8_gemm_sm90_f8E5M2_f8E4M3FN_bf16_tensor_tensor_256x256x384_tile64x64x128_s3_splitacc(
// SPLIT: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_256x256x384_tile64x64x128_s3_splitacc(
// BAD: for the --gemm-accumulate option: Cannot find option named 'exact'!
// REGS: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile 128x128 needs 256 f32 accumulator registers per consumer thread (partial sums and totals of the split accumulator); at most 192 fit
func.func @dgrad(%a: tensor<256x384xf8E5M2>, %sa: tensor<f32>,
                 %b: tensor<256x384xf8E4M3FN>, %sb: tensor<f32>) -> tensor<256x256xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<256x384xf8E5M2>, tensor<f32>, tensor<256x384xf8E4M3FN>, tensor<f32>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}

// -----

// E4M3 x E4M3 (forward) stays fast under `auto`.
// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_256x256x384_tile64x128x128_s2(
// CHECK-NOT:     llvm.fadd
// CHECK:         gpu.return
func.func @forward(%a: tensor<256x384xf8E4M3FN>, %sa: tensor<f32>,
                   %b: tensor<256x384xf8E4M3FN>, %sb: tensor<f32>) -> tensor<256x256xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<256x384xf8E4M3FN>, tensor<f32>, tensor<256x384xf8E4M3FN>, tensor<f32>
        -> tensor<256x256xbf16>
  return %d : tensor<256x256xbf16>
}
