// The recipe of fp8-quantize-matmuls from the module attribute fp8.recipe,
// and the option winning over it.
// RUN: fp8-opt %s -split-input-file --fp8-quantize-matmuls | FileCheck %s
// RUN: fp8-opt %s -split-input-file --fp8-quantize-matmuls=recipe=tensorwise | FileCheck %s --check-prefix=OPTION

// CHECK-LABEL: func.func @blockwise_margin
// CHECK: fp8.amax %{{.*}} {scaling = #fp8.scaling<block [1, 128]>} : tensor<128x256xf32> -> tensor<128x2xf32>
// CHECK: fp8.scale_from_amax %{{.*}} {format = f8E4M3FN, margin = 1 : i64} : tensor<128x2xf32> -> tensor<128x2xf32>
// CHECK: fp8.scaled_matmul {{.*}} {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
// OPTION-LABEL: func.func @blockwise_margin
// OPTION: fp8.scale_from_amax %{{.*}} {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
// OPTION: fp8.scaled_matmul {{.*}} {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
module attributes {fp8.recipe = #fp8.recipe<blockwise, margin = 1>} {
  func.func @blockwise_margin(%x: tensor<128x256xf32>,
                              %w: tensor<64x256xf32> {fp8.role = #fp8.role<weight>})
      -> tensor<128x64xf32> {
    %e = tensor.empty() : tensor<128x64xf32>
    %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                        affine_map<(m, n, k) -> (n, k)>,
                                        affine_map<(m, n, k) -> (m, n)>]
        ins(%x, %w : tensor<128x256xf32>, tensor<64x256xf32>)
        outs(%e : tensor<128x64xf32>) -> tensor<128x64xf32>
    return %y : tensor<128x64xf32>
  }
}

// -----

// CHECK-LABEL: func.func @mxfp8_floor_e5m2_grad
// CHECK: fp8.scale_from_amax %{{.*}} {format = f8E5M2, mx_scale = #fp8.mx_scale<floor>} : tensor<32x2xf32> -> tensor<32x2xf8E8M0FNU>
// CHECK: fp8.scaled_matmul {{.*}} : tensor<32x64xf8E5M2>, tensor<32x2xf8E8M0FNU>, tensor<16x64xf8E4M3FN>, tensor<16x2xf8E8M0FNU> -> tensor<32x16xbf16>
// OPTION-LABEL: func.func @mxfp8_floor_e5m2_grad
// OPTION: fp8.scaled_matmul {{.*}} : tensor<32x64xf8E5M2>, tensor<f32>, tensor<16x64xf8E4M3FN>, tensor<f32> -> tensor<32x16xbf16>
module attributes {fp8.recipe = #fp8.recipe<mxfp8, formats = "e5m2-grad", mx_scale = floor>} {
  func.func @mxfp8_floor_e5m2_grad(
      %dy: tensor<32x64xbf16> {fp8.role = #fp8.role<gradient>},
      %w: tensor<16x64xbf16> {fp8.role = #fp8.role<weight>}) -> tensor<32x16xbf16> {
    %e = tensor.empty() : tensor<32x16xbf16>
    %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                        affine_map<(m, n, k) -> (n, k)>,
                                        affine_map<(m, n, k) -> (m, n)>]
        ins(%dy, %w : tensor<32x64xbf16>, tensor<16x64xbf16>)
        outs(%e : tensor<32x16xbf16>) -> tensor<32x16xbf16>
    return %y : tensor<32x16xbf16>
  }
}
