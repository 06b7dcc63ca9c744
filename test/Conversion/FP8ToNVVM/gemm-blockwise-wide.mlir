// Wide tiles for block scales along K (gemm-tile=128x192; the default
// stays 128x128 until measured): a 192-column tile of D spans two 128-row
// groups of B's [128, 128] scales (tiles start at 0, 192 = 128 + 64, ...).
// Each K group loads B's scale at the tile's first column and the next
// group's (clamped: N = 400 leaves the last tile ragged), then picks one
// per 8-column block: the first while 8 * j < 128 - tileCol % 128.
// RUN: fp8-opt %s --convert-fp8-to-gpu="gemm-warp-specialize=on gemm-tile=128x192 gemm-stages=2 gemm-cluster=1x1" --canonicalize --cse | FileCheck %s

// CHECK-LABEL: gpu.func @fp8_gemm_sm90_f8E4M3FN_f8E4M3FN_bf16_block1x128_block128x128_256x400x512_tile128x192x128_s2_ws(
// CHECK-SAME:      %{{.*}}: !llvm.ptr, %[[SA:.*]]: memref<1024xf32>, %{{.*}}: !llvm.ptr, %[[SB:.*]]: memref<16xf32>
// CHECK:         %[[TILECOL:.*]] = arith.muli %{{.*}}, %c192
// CHECK:         scf.for
// CHECK:           nvvm.wgmma.mma_async {{.*}} <m = 64, n = 192, k = 32>
// CHECK:           nvvm.wgmma.commit.group.sync.aligned
// CHECK:           %[[C0:.*]] = arith.minui %[[I0:[0-9]+]], %c15
// CHECK-NEXT:      %[[SB0:.*]] = memref.load %[[SB]][%[[C0]]]
// CHECK-NEXT:      %[[I1:.*]] = arith.addi %[[I0]], %c4
// CHECK-NEXT:      %[[C1:.*]] = arith.minui %[[I1]], %c15
// CHECK-NEXT:      %[[SB1:.*]] = memref.load %[[SB]][%[[C1]]]
// CHECK-NEXT:      %[[INTO:.*]] = arith.remui %[[TILECOL]], %c128
// CHECK-NEXT:      %[[BEFORE:.*]] = arith.subi %c128, %[[INTO]]
// CHECK-NEXT:      %[[P0:.*]] = arith.cmpi ugt, %[[BEFORE]], %c0
// CHECK-NEXT:      arith.select %[[P0]], %[[SB0]], %[[SB1]] : f32
// CHECK-NEXT:      %[[P1:.*]] = arith.cmpi ugt, %[[BEFORE]], %c8
// CHECK-NEXT:      arith.select %[[P1]], %[[SB0]], %[[SB1]] : f32
// CHECK-COUNT-22:  arith.select %{{.*}}, %[[SB0]], %[[SB1]] : f32
// CHECK-NOT:       memref.load %[[SB]]
// CHECK:           nvvm.wgmma.wait.group.sync.aligned 0
// Two rows x 96 columns of the m64n192 fragment.
// CHECK-COUNT-96:  llvm.intr.fma
// CHECK-NOT:       llvm.intr.fma
// CHECK:           scf.yield
func.func @blockwise(%a: tensor<256x512xf8E4M3FN>, %sa: tensor<256x4xf32>,
                     %b: tensor<400x512xf8E4M3FN>, %sb: tensor<4x4xf32>) -> tensor<256x400xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<256x512xf8E4M3FN>, tensor<256x4xf32>, tensor<400x512xf8E4M3FN>, tensor<4x4xf32>
        -> tensor<256x400xbf16>
  return %d : tensor<256x400xbf16>
}
