// fp8-quantize-matmuls with the FP4/FP6 recipes: formats, scale types and
// scale shapes on a forward (activation x weight) and a dgrad (gradient x
// weight) matmul.
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=mxfp4 | FileCheck %s --check-prefix=MXFP4
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=mxfp4,mx-scale=ceil | FileCheck %s --check-prefix=CEIL
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=mxfp6 | FileCheck %s --check-prefix=MXFP6
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=mxfp6,formats=e2m3 | FileCheck %s --check-prefix=E2M3
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=nvfp4 | FileCheck %s --check-prefix=NVFP4
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=mxfp4,formats=fp4-weights | FileCheck %s --check-prefix=MIXED

// MXFP4-LABEL: func.func @forward
// MXFP4: %[[AX:.*]] = fp8.amax %{{.*}} {scaling = #fp8.scaling<block [1, 32]>} : tensor<128x256xbf16> -> tensor<128x8xf32>
// MXFP4: %[[SX:.*]] = fp8.scale_from_amax %[[AX]] {format = f4E2M1FN, mx_scale = #fp8.mx_scale<floor>} : tensor<128x8xf32> -> tensor<128x8xf8E8M0FNU>
// MXFP4: fp8.quantize %{{.*}}, %[[SX]] {scaling = #fp8.scaling<block [1, 32]>} : tensor<128x256xbf16>, tensor<128x8xf8E8M0FNU> -> tensor<128x256xf4E2M1FN>
// MXFP4: fp8.scale_from_amax %{{.*}} {format = f4E2M1FN, mx_scale = #fp8.mx_scale<floor>} : tensor<64x8xf32> -> tensor<64x8xf8E8M0FNU>
// MXFP4: fp8.scaled_matmul {{.*}} : tensor<128x256xf4E2M1FN>, tensor<128x8xf8E8M0FNU>, tensor<64x256xf4E2M1FN>, tensor<64x8xf8E8M0FNU> -> tensor<128x64xf32>
// MXFP4-LABEL: func.func @dgrad
// MXFP4: fp8.scaled_matmul {{.*}} : tensor<128x64xf4E2M1FN>, tensor<128x2xf8E8M0FNU>, tensor<256x64xf4E2M1FN>, tensor<256x2xf8E8M0FNU> -> tensor<128x256xf32>

// MXFP8 activations and gradients x MXFP4 weights.
// FP8 operands round their E8M0 scales up (ceil, the default, not
// printed), FP4 operands down.
// MIXED-LABEL: func.func @forward
// MIXED: fp8.scale_from_amax %{{.*}} {format = f8E4M3FN} : tensor<128x8xf32> -> tensor<128x8xf8E8M0FNU>
// MIXED: fp8.scale_from_amax %{{.*}} {format = f4E2M1FN, mx_scale = #fp8.mx_scale<floor>} : tensor<64x8xf32> -> tensor<64x8xf8E8M0FNU>
// MIXED: fp8.scaled_matmul {{.*}} : tensor<128x256xf8E4M3FN>, tensor<128x8xf8E8M0FNU>, tensor<64x256xf4E2M1FN>, tensor<64x8xf8E8M0FNU> -> tensor<128x64xf32>
// MIXED-LABEL: func.func @dgrad
// MIXED: fp8.scaled_matmul {{.*}} : tensor<128x64xf8E4M3FN>, tensor<128x2xf8E8M0FNU>, tensor<256x64xf4E2M1FN>, tensor<256x2xf8E8M0FNU> -> tensor<128x256xf32>

// CEIL-LABEL: func.func @forward
// CEIL: fp8.scale_from_amax %{{.*}} {format = f4E2M1FN} : tensor<128x8xf32> -> tensor<128x8xf8E8M0FNU>

// MXFP6-LABEL: func.func @forward
// MXFP6: fp8.scaled_matmul {{.*}} : tensor<128x256xf6E2M3FN>, tensor<128x8xf8E8M0FNU>, tensor<64x256xf6E2M3FN>, tensor<64x8xf8E8M0FNU> -> tensor<128x64xf32>
// MXFP6-LABEL: func.func @dgrad
// MXFP6: fp8.scale_from_amax %{{.*}} {format = f6E3M2FN, mx_scale = #fp8.mx_scale<floor>} : tensor<128x2xf32> -> tensor<128x2xf8E8M0FNU>
// MXFP6: fp8.scaled_matmul {{.*}} : tensor<128x64xf6E3M2FN>, tensor<128x2xf8E8M0FNU>, tensor<256x64xf6E2M3FN>, tensor<256x2xf8E8M0FNU> -> tensor<128x256xf32>

// E2M3-LABEL: func.func @dgrad
// E2M3: fp8.scaled_matmul {{.*}} : tensor<128x64xf6E2M3FN>, tensor<128x2xf8E8M0FNU>, tensor<256x64xf6E2M3FN>, tensor<256x2xf8E8M0FNU> -> tensor<128x256xf32>

// Two-level: per-tensor scales from the per-tensor amax, E4M3 block scales
// relative to them, 1x16 for activations and gradients, 16x16 for weights.
// NVFP4-LABEL: func.func @forward
// NVFP4-SAME: (%[[X:.*]]: tensor<128x256xbf16>, %[[W:.*]]: tensor<64x256xbf16>
// NVFP4-DAG: %[[TX:.*]] = fp8.amax %[[X]] {scaling = #fp8.scaling<tensor>} : tensor<128x256xbf16> -> tensor<f32>
// NVFP4-DAG: %[[GX:.*]] = fp8.scale_from_amax %[[TX]] {block_scale_type = f8E4M3FN, format = f4E2M1FN} : tensor<f32> -> tensor<f32>
// NVFP4-DAG: %[[AX:.*]] = fp8.amax %[[X]] {scaling = #fp8.scaling<block [1, 16]>} : tensor<128x256xbf16> -> tensor<128x16xf32>
// NVFP4-DAG: %[[SX:.*]] = fp8.scale_from_amax %[[AX]] global(%[[GX]] : tensor<f32>) {format = f4E2M1FN} : tensor<128x16xf32> -> tensor<128x16xf8E4M3FN>
// NVFP4-DAG: %[[QX:.*]] = fp8.quantize %[[X]], %[[SX]] global(%[[GX]] : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>} : tensor<128x256xbf16>, tensor<128x16xf8E4M3FN> -> tensor<128x256xf4E2M1FN>
// NVFP4-DAG: %[[AW:.*]] = fp8.amax %[[W]] {scaling = #fp8.scaling<block [16, 16]>} : tensor<64x256xbf16> -> tensor<4x16xf32>
// NVFP4-DAG: %[[SW:.*]] = fp8.scale_from_amax %[[AW]] global(%[[GW:.*]] : tensor<f32>) {format = f4E2M1FN} : tensor<4x16xf32> -> tensor<4x16xf8E4M3FN>
// NVFP4-DAG: %[[QW:.*]] = fp8.quantize %[[W]], %[[SW]] global(%[[GW]] : tensor<f32>) {scaling = #fp8.scaling<block [16, 16]>}
// NVFP4: fp8.scaled_matmul %[[QX]], %[[SX]], %[[QW]], %[[SW]] a_global(%[[GX]] : tensor<f32>) b_global(%[[GW]] : tensor<f32>) {a_scaling = #fp8.scaling<block [1, 16]>, b_scaling = #fp8.scaling<block [16, 16]>, transpose_b}
// NVFP4-LABEL: func.func @dgrad
// NVFP4: fp8.scaled_matmul {{.*}} : tensor<128x64xf4E2M1FN>, tensor<128x4xf8E4M3FN>, tensor<256x64xf4E2M1FN>, tensor<16x4xf8E4M3FN> -> tensor<128x256xf32>

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
