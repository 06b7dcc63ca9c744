// nvfp4 with `weight-blocks=1x16`: weights get E4M3 scales per 16 elements
// along K ([1, 16], as activations) instead of 16x16 blocks, in the forward
// (W as [N, K]) and the dgrad (W^T as [N, K]) matmul; a bad value is a
// located error.
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=nvfp4,weight-blocks=1x16 | FileCheck %s
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=nvfp4,weight-blocks=16x16 | FileCheck %s --check-prefix=BLOCKS
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=nvfp4,weight-blocks=32x32 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=mxfp8,weight-blocks=1x16 2>&1 | FileCheck %s --check-prefix=NOTNV

// CHECK: module attributes {fp8.recipe = #fp8.recipe<nvfp4, weight_blocks = 1x16>}
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[X:.*]]: tensor<128x256xbf16>, %[[W:.*]]: tensor<64x256xbf16>
// CHECK-DAG: %[[AW:.*]] = fp8.amax %[[W]] {scaling = #fp8.scaling<block [1, 16]>} : tensor<64x256xbf16> -> tensor<64x16xf32>
// CHECK-DAG: %[[SW:.*]] = fp8.scale_from_amax %[[AW]] global(%[[GW:.*]] : tensor<f32>) {format = f4E2M1FN} : tensor<64x16xf32> -> tensor<64x16xf8E4M3FN>
// CHECK-DAG: %[[QW:.*]] = fp8.quantize %[[W]], %[[SW]] global(%[[GW]] : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>} : tensor<64x256xbf16>, tensor<64x16xf8E4M3FN> -> tensor<64x256xf4E2M1FN>
// CHECK: fp8.scaled_matmul %{{.*}}, %{{.*}}, %[[QW]], %[[SW]] a_global(%{{.*}} : tensor<f32>) b_global(%[[GW]] : tensor<f32>) {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [1, 16]>, transpose_b}
// CHECK-SAME: : tensor<128x256xf4E2M1FN>, tensor<128x16xf8E4M3FN>, tensor<64x256xf4E2M1FN>, tensor<64x16xf8E4M3FN> -> tensor<128x64xf32>
// CHECK-LABEL: func.func @dgrad
// CHECK: fp8.amax %{{.*}} {scaling = #fp8.scaling<block [1, 16]>} : tensor<256x64xbf16> -> tensor<256x4xf32>
// CHECK: fp8.scaled_matmul {{.*}} {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [1, 16]>, transpose_b}
// CHECK-SAME: : tensor<128x64xf4E2M1FN>, tensor<128x4xf8E4M3FN>, tensor<256x64xf4E2M1FN>, tensor<256x4xf8E4M3FN> -> tensor<128x256xf32>

// BLOCKS-LABEL: func.func @forward
// BLOCKS: fp8.scaled_matmul {{.*}} b_scaling = #fp8.scaling<block [16, 16]>
// BLOCKS-SAME: tensor<64x256xf4E2M1FN>, tensor<4x16xf8E4M3FN> -> tensor<128x64xf32>

// BAD: error: fp8-quantize-matmuls: invalid value '32x32' for recipe field 'weight-blocks'; expected 16x16 or 1x16 (in recipe 'nvfp4,weight-blocks=32x32')
// NOTNV: error: fp8-quantize-matmuls: recipe field 'weight_blocks' applies to the 'nvfp4' recipe only, not 'mxfp8' (in recipe 'mxfp8,weight-blocks=1x16')

#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @forward(%x: tensor<128x256xbf16>,
                   %w: tensor<64x256xbf16> {fp8.role = #fp8.role<weight>})
    -> tensor<128x64xf32> {
  %e = tensor.empty() : tensor<128x64xf32>
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%x, %w : tensor<128x256xbf16>, tensor<64x256xbf16>)
      outs(%e : tensor<128x64xf32>) -> tensor<128x64xf32>
  return %y : tensor<128x64xf32>
}

func.func @dgrad(%dy: tensor<128x64xbf16> {fp8.role = #fp8.role<gradient>},
                 %w: tensor<64x256xbf16> {fp8.role = #fp8.role<weight>})
    -> tensor<128x256xf32> {
  %e = tensor.empty() : tensor<128x256xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<128x64xbf16>, tensor<64x256xbf16>)
      outs(%e : tensor<128x256xf32>) -> tensor<128x256xf32>
  return %dx : tensor<128x256xf32>
}
