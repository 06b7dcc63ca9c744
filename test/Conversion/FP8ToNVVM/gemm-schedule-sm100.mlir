// The schedule options of the sm_100a GEMM (one CTA per tile, grid (row
// tiles, column tiles)): gemm-raster=grouped remaps the CTA's place in
// launch order through the same mapping as sm_90a (GemmRaster), every
// mbarrier wait (the ring's full and empty barriers, the finished
// accumulator) spins without the suspend hint with gemm-wait-hint=spin,
// and the TMA descriptors carry gemm-l2-promotion.
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-raster=grouped gemm-raster-group=3 gemm-wait-hint=spin gemm-l2-promotion=128" --canonicalize --cse | FileCheck %s
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a" --canonicalize --cse | FileCheck %s --check-prefix=DEFAULT
// The epilogue prefetch is sm_90a's (sm_100a's epilogue has no wgmma wait
// to load before): the sm_100a kernel is the default one.
// RUN: fp8-opt %s --convert-fp8-to-gpu="chip=sm_100a gemm-epilogue-prefetch=on" --canonicalize --cse | FileCheck %s --check-prefix=DEFAULT

// 1280x768 in 128x64 tiles: 10 x 12 tiles, strips of 3 row tiles (36
// tiles), the last strip 1 row high.
// CHECK: fp8.gpu_manifest = "{{.*}}\22l2_promotion\22:\22CU_TENSOR_MAP_L2_PROMOTION_L2_128B\22,\22name\22:\22a\22{{.*}}\22l2_promotion\22:\22CU_TENSOR_MAP_L2_PROMOTION_L2_128B\22,\22name\22:\22b\22
// CHECK-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_1280x768x512_tile128x64x128_s4_spin_grp3_l2p128(
// CHECK:         %[[X:.*]] = gpu.block_id  x
// CHECK-NEXT:    %[[Y:.*]] = gpu.block_id  y
// CHECK-NEXT:    %[[Y10:.*]] = arith.muli %[[Y]], %c10
// CHECK-NEXT:    %[[T:.*]] = arith.addi %[[X]], %[[Y10]]
// CHECK-NEXT:    %[[STRIP:.*]] = arith.divui %[[T]], %c36
// CHECK-NEXT:    %[[IN:.*]] = arith.remui %[[T]], %c36
// CHECK-NEXT:    %[[FIRST:.*]] = arith.muli %[[STRIP]], %c3
// CHECK-NEXT:    %[[LEFT:.*]] = arith.subi %c10, %[[FIRST]]
// CHECK-NEXT:    %[[HEIGHT:.*]] = arith.minui %[[LEFT]], %c3
// CHECK-NEXT:    %[[DOWN:.*]] = arith.remui %[[IN]], %[[HEIGHT]]
// CHECK-NEXT:    %[[ROW:.*]] = arith.addi %[[FIRST]], %[[DOWN]]
// CHECK-NEXT:    %[[COL:.*]] = arith.divui %[[IN]], %[[HEIGHT]]
// CHECK-NEXT:    arith.muli %[[ROW]], %c128
// CHECK-NEXT:    arith.muli %[[COL]], %c64
// The ring's announced bytes are unchanged: (128 + 64) x 128 per K step.
// CHECK-COUNT-4: nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c24576_i32
// CHECK-NOT:     nvvm.mbarrier.try_wait.parity
// CHECK-COUNT-3: nvvm.inline_ptx "{{.*}}mbarrier.try_wait.parity.shared.b64 P1, [$0], $1;{{.*}}" ro(
// CHECK-NOT:     nvvm.mbarrier.try_wait.parity
// CHECK:         gpu.return

// DEFAULT-LABEL: gpu.func @fp8_gemm_sm100_f8E4M3FN_f8E4M3FN_bf16_tensor_tensor_1280x768x512_tile128x64x128_s4(
// DEFAULT:         %[[X:.*]] = gpu.block_id  x
// DEFAULT:         arith.muli %[[X]], %c128
// DEFAULT-COUNT-4: nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c24576_i32
// DEFAULT-COUNT-3: nvvm.mbarrier.try_wait.parity %{{.*}}, %{{.*}}, %c10000000_i32
// DEFAULT-NOT:     nvvm.inline_ptx
func.func @tensorwise(%a: tensor<1280x512xf8E4M3FN>, %sa: tensor<f32>,
                      %b: tensor<768x512xf8E4M3FN>, %sb: tensor<f32>) -> tensor<1280x768xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<1280x512xf8E4M3FN>, tensor<f32>, tensor<768x512xf8E4M3FN>, tensor<f32>
        -> tensor<1280x768xbf16>
  return %d : tensor<1280x768xbf16>
}
