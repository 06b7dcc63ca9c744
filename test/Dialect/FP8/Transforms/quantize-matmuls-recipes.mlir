// fp8-quantize-matmuls: formats and scalings of every recipe and override,
// on a forward (activation x weight) and a dgrad (gradient x weight) matmul.
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise | FileCheck %s --check-prefix=TENSOR
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=delayed | FileCheck %s --check-prefix=TENSOR
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=rowwise | FileCheck %s --check-prefix=ROW
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=blockwise | FileCheck %s --check-prefix=BLOCK
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=mxfp8 | FileCheck %s --check-prefix=MX
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise,formats=e4m3 | FileCheck %s --check-prefix=E4M3
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise,formats=hybrid | FileCheck %s --check-prefix=TENSOR
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=mxfp8,formats=e5m2-grad | FileCheck %s --check-prefix=MXE5
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise,margin=1,pow2 | FileCheck %s --check-prefix=MARGIN
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=rowwise,pow2=false | FileCheck %s --check-prefix=NOPOW2
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=mxfp8,mx-scale=floor | FileCheck %s --check-prefix=FLOOR
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=mxfp8,mx-scale=ceil | FileCheck %s --check-prefix=MX
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=blockwise,margin=-2 | FileCheck %s --check-prefix=NEGMARGIN

// TENSOR-LABEL: func.func @forward
// TENSOR-SAME: (%[[X:.*]]: tensor<128x256xbf16>, %[[W:.*]]: tensor<64x256xbf16>
// TENSOR: %[[AX:.*]] = fp8.amax %[[X]] {scaling = #fp8.scaling<tensor>} : tensor<128x256xbf16> -> tensor<f32>
// TENSOR: %[[SX:.*]] = fp8.scale_from_amax %[[AX]] {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
// TENSOR: fp8.quantize %[[X]], %[[SX]] {scaling = #fp8.scaling<tensor>} : tensor<128x256xbf16>, tensor<f32> -> tensor<128x256xf8E4M3FN>
// TENSOR: %[[AW:.*]] = fp8.amax %[[W]] {scaling = #fp8.scaling<tensor>} : tensor<64x256xbf16> -> tensor<f32>
// TENSOR: %[[SW:.*]] = fp8.scale_from_amax %[[AW]] {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
// TENSOR: fp8.quantize %[[W]], %[[SW]] {scaling = #fp8.scaling<tensor>} : tensor<64x256xbf16>, tensor<f32> -> tensor<64x256xf8E4M3FN>
// TENSOR: fp8.scaled_matmul {{.*}} {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b} : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>, tensor<f32> -> tensor<128x64xf32>

// ROW-LABEL: func.func @forward
// ROW: fp8.amax %{{.*}} {scaling = #fp8.scaling<rowwise>} : tensor<128x256xbf16> -> tensor<128x1xf32>
// ROW: fp8.scale_from_amax %{{.*}} {format = f8E4M3FN, pow2} : tensor<128x1xf32> -> tensor<128x1xf32>
// ROW: fp8.amax %{{.*}} {scaling = #fp8.scaling<rowwise>} : tensor<64x256xbf16> -> tensor<64x1xf32>
// ROW: fp8.scaled_matmul {{.*}} {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b} : tensor<128x256xf8E4M3FN>, tensor<128x1xf32>, tensor<64x256xf8E4M3FN>, tensor<64x1xf32> -> tensor<128x64xf32>

// BLOCK-LABEL: func.func @forward
// BLOCK: fp8.amax %{{.*}} {scaling = #fp8.scaling<block [1, 128]>} : tensor<128x256xbf16> -> tensor<128x2xf32>
// BLOCK: fp8.scale_from_amax %{{.*}} {format = f8E4M3FN} : tensor<128x2xf32> -> tensor<128x2xf32>
// BLOCK: fp8.amax %{{.*}} {scaling = #fp8.scaling<block [128, 128]>} : tensor<64x256xbf16> -> tensor<1x2xf32>
// BLOCK: fp8.scaled_matmul {{.*}} {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b} : tensor<128x256xf8E4M3FN>, tensor<128x2xf32>, tensor<64x256xf8E4M3FN>, tensor<1x2xf32> -> tensor<128x64xf32>

// MX-LABEL: func.func @forward
// MX: fp8.amax %{{.*}} {scaling = #fp8.scaling<block [1, 32]>} : tensor<128x256xbf16> -> tensor<128x8xf32>
// MX: fp8.scale_from_amax %{{.*}} {format = f8E4M3FN} : tensor<128x8xf32> -> tensor<128x8xf8E8M0FNU>
// MX: fp8.amax %{{.*}} {scaling = #fp8.scaling<block [1, 32]>} : tensor<64x256xbf16> -> tensor<64x8xf32>
// MX: fp8.scaled_matmul {{.*}} {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b} : tensor<128x256xf8E4M3FN>, tensor<128x8xf8E8M0FNU>, tensor<64x256xf8E4M3FN>, tensor<64x8xf8E8M0FNU> -> tensor<128x64xf32>

// MARGIN-LABEL: func.func @forward
// MARGIN: fp8.scale_from_amax %{{.*}} {format = f8E4M3FN, margin = 1 : i64, pow2} : tensor<f32> -> tensor<f32>

// NOPOW2-LABEL: func.func @forward
// NOPOW2: fp8.scale_from_amax %{{.*}} {format = f8E4M3FN} : tensor<128x1xf32> -> tensor<128x1xf32>

// FLOOR-LABEL: func.func @forward
// FLOOR: fp8.scale_from_amax %{{.*}} {format = f8E4M3FN, mx_scale = #fp8.mx_scale<floor>} : tensor<128x8xf32> -> tensor<128x8xf8E8M0FNU>

// NEGMARGIN-LABEL: func.func @forward
// NEGMARGIN: fp8.scale_from_amax %{{.*}} {format = f8E4M3FN, margin = -2 : i64} : tensor<128x2xf32> -> tensor<128x2xf32>
func.func @forward(%x: tensor<128x256xbf16>,
                   %w: tensor<64x256xbf16> {fp8.role = #fp8.role<weight>})
    -> tensor<128x64xf32> {
  %e = tensor.empty() : tensor<128x64xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                      affine_map<(m, n, k) -> (n, k)>,
                                      affine_map<(m, n, k) -> (m, n)>]
      ins(%x, %w : tensor<128x256xbf16>, tensor<64x256xbf16>)
      outs(%e : tensor<128x64xf32>) -> tensor<128x64xf32>
  return %y : tensor<128x64xf32>
}

// The gradient is E5M2 under hybrid formats only. W ([K, N] here) is
// quantized transposed, [N, K] = [256, 64]; its weight scaling is stated for
// that layout.

// TENSOR-LABEL: func.func @dgrad
// TENSOR-DAG: fp8.scale_from_amax %{{.*}} {format = f8E5M2} : tensor<f32> -> tensor<f32>
// TENSOR-DAG: fp8.scale_from_amax %{{.*}} {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
// TENSOR: fp8.scaled_matmul {{.*}} : tensor<128x64xf8E5M2>, tensor<f32>, tensor<256x64xf8E4M3FN>, tensor<f32> -> tensor<128x256xf32>

// E4M3-LABEL: func.func @dgrad
// E4M3-NOT: f8E5M2
// E4M3: fp8.scaled_matmul {{.*}} : tensor<128x64xf8E4M3FN>, tensor<f32>, tensor<256x64xf8E4M3FN>, tensor<f32> -> tensor<128x256xf32>

// ROW-LABEL: func.func @dgrad
// ROW: fp8.scaled_matmul {{.*}} : tensor<128x64xf8E4M3FN>, tensor<128x1xf32>, tensor<256x64xf8E4M3FN>, tensor<256x1xf32> -> tensor<128x256xf32>

// BLOCK-LABEL: func.func @dgrad
// BLOCK: fp8.scaled_matmul {{.*}} {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b} : tensor<128x64xf8E4M3FN>, tensor<128x1xf32>, tensor<256x64xf8E4M3FN>, tensor<2x1xf32> -> tensor<128x256xf32>

// MX-LABEL: func.func @dgrad
// MX: fp8.scaled_matmul {{.*}} : tensor<128x64xf8E4M3FN>, tensor<128x2xf8E8M0FNU>, tensor<256x64xf8E4M3FN>, tensor<256x2xf8E8M0FNU> -> tensor<128x256xf32>

// MXE5-LABEL: func.func @dgrad
// MXE5: fp8.scaled_matmul {{.*}} : tensor<128x64xf8E5M2>, tensor<128x2xf8E8M0FNU>, tensor<256x64xf8E4M3FN>, tensor<256x2xf8E8M0FNU> -> tensor<128x256xf32>
func.func @dgrad(%dy: tensor<128x64xbf16> {fp8.role = #fp8.role<gradient>},
                 %w: tensor<64x256xbf16> {fp8.role = #fp8.role<weight>})
    -> tensor<128x256xf32> {
  %e = tensor.empty() : tensor<128x256xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<128x64xbf16>, tensor<64x256xbf16>)
      outs(%e : tensor<128x256xf32>) -> tensor<128x256xf32>
  return %dx : tensor<128x256xf32>
}
