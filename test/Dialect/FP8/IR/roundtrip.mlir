// Every op and attribute of the fp8 dialect prints and parses back, in the
// pretty form and through the generic form.
// RUN: fp8-opt %s | fp8-opt | FileCheck %s
// RUN: fp8-opt %s --mlir-print-op-generic | fp8-opt | FileCheck %s

// CHECK-LABEL: func.func @amax
func.func @amax(%x: tensor<256x512xbf16>, %y: tensor<4x200x300xf32>,
                %d: tensor<?x512xf16>) {
  // CHECK: fp8.amax %{{.*}} {scaling = #fp8.scaling<tensor>} : tensor<256x512xbf16> -> tensor<f32>
  %0 = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<256x512xbf16> -> tensor<f32>
  // CHECK: fp8.amax %{{.*}} {scaling = #fp8.scaling<rowwise>} : tensor<256x512xbf16> -> tensor<256x1xf32>
  %1 = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<256x512xbf16> -> tensor<256x1xf32>
  // CHECK: fp8.amax %{{.*}} {scaling = #fp8.scaling<block [1, 128]>} : tensor<256x512xbf16> -> tensor<256x4xf32>
  %2 = fp8.amax %x {scaling = #fp8.scaling<block [1, 128]>} : tensor<256x512xbf16> -> tensor<256x4xf32>
  // Ragged edges and batch dims: 200/128 -> 2, 300/128 -> 3, one group per batch.
  // CHECK: fp8.amax %{{.*}} {scaling = #fp8.scaling<block [128, 128]>} : tensor<4x200x300xf32> -> tensor<4x2x3xf32>
  %3 = fp8.amax %y {scaling = #fp8.scaling<block [128, 128]>} : tensor<4x200x300xf32> -> tensor<4x2x3xf32>
  // CHECK: fp8.amax %{{.*}} {scaling = #fp8.scaling<block [1, 32]>} : tensor<?x512xf16> -> tensor<?x16xf32>
  %4 = fp8.amax %d {scaling = #fp8.scaling<block [1, 32]>} : tensor<?x512xf16> -> tensor<?x16xf32>
  return
}

// CHECK-LABEL: func.func @scale_from_amax
func.func @scale_from_amax(%t: tensor<f32>, %b: tensor<256x16xf32>) {
  // CHECK: fp8.scale_from_amax %{{.*}} {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
  %0 = fp8.scale_from_amax %t {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
  // CHECK: fp8.scale_from_amax %{{.*}} {format = f8E5M2, margin = 2 : i64, pow2} : tensor<f32> -> tensor<f32>
  %1 = fp8.scale_from_amax %t {format = f8E5M2, margin = 2, pow2} : tensor<f32> -> tensor<f32>
  // CHECK: fp8.scale_from_amax %{{.*}} {format = f8E4M3FN} : tensor<256x16xf32> -> tensor<256x16xf8E8M0FNU>
  %2 = fp8.scale_from_amax %b {format = f8E4M3FN} : tensor<256x16xf32> -> tensor<256x16xf8E8M0FNU>
  // CHECK: fp8.scale_from_amax %{{.*}} {format = f4E2M1FN, margin = -1 : i64, mx_scale = #fp8.mx_scale<floor>} : tensor<256x16xf32> -> tensor<256x16xf8E8M0FNU>
  %3 = fp8.scale_from_amax %b {format = f4E2M1FN, margin = -1, mx_scale = #fp8.mx_scale<floor>} : tensor<256x16xf32> -> tensor<256x16xf8E8M0FNU>
  // CHECK: mx_scale = #fp8.mx_scale<ceil>
  %4 = fp8.scale_from_amax %b {format = f6E2M3FN, mx_scale = #fp8.mx_scale<ceil>} : tensor<256x16xf32> -> tensor<256x16xf8E8M0FNU>
  return
}

// CHECK-LABEL: func.func @quantize_dequantize
func.func @quantize_dequantize(%x: tensor<256x512xbf16>, %s: tensor<f32>,
                               %r: tensor<256x1xf32>, %mx: tensor<256x16xf8E8M0FNU>) {
  // CHECK: fp8.quantize %{{.*}}, %{{.*}} {scaling = #fp8.scaling<tensor>} : tensor<256x512xbf16>, tensor<f32> -> tensor<256x512xf8E4M3FN>
  %q0 = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>} : tensor<256x512xbf16>, tensor<f32> -> tensor<256x512xf8E4M3FN>
  // CHECK: fp8.quantize %{{.*}}, %{{.*}} {saturate = false, scaling = #fp8.scaling<rowwise>} : tensor<256x512xbf16>, tensor<256x1xf32> -> tensor<256x512xf8E5M2>
  %q1 = fp8.quantize %x, %r {scaling = #fp8.scaling<rowwise>, saturate = false} : tensor<256x512xbf16>, tensor<256x1xf32> -> tensor<256x512xf8E5M2>
  // CHECK: fp8.quantize %{{.*}}, %{{.*}} {scaling = #fp8.scaling<block [1, 32]>} : tensor<256x512xbf16>, tensor<256x16xf8E8M0FNU> -> tensor<256x512xf4E2M1FN>
  %q2 = fp8.quantize %x, %mx {scaling = #fp8.scaling<block [1, 32]>} : tensor<256x512xbf16>, tensor<256x16xf8E8M0FNU> -> tensor<256x512xf4E2M1FN>
  // CHECK: fp8.quantize {{.*}} -> tensor<256x512xf6E2M3FN>
  %q3 = fp8.quantize %x, %mx {scaling = #fp8.scaling<block [1, 32]>} : tensor<256x512xbf16>, tensor<256x16xf8E8M0FNU> -> tensor<256x512xf6E2M3FN>
  // CHECK: fp8.quantize {{.*}} -> tensor<256x512xf6E3M2FN>
  %q4 = fp8.quantize %x, %mx {scaling = #fp8.scaling<block [1, 32]>} : tensor<256x512xbf16>, tensor<256x16xf8E8M0FNU> -> tensor<256x512xf6E3M2FN>
  // CHECK: fp8.dequantize %{{.*}}, %{{.*}} {scaling = #fp8.scaling<tensor>} : tensor<256x512xf8E4M3FN>, tensor<f32> -> tensor<256x512xf32>
  %d0 = fp8.dequantize %q0, %s {scaling = #fp8.scaling<tensor>} : tensor<256x512xf8E4M3FN>, tensor<f32> -> tensor<256x512xf32>
  // CHECK: fp8.dequantize %{{.*}}, %{{.*}} {scaling = #fp8.scaling<block [1, 32]>} : tensor<256x512xf4E2M1FN>, tensor<256x16xf8E8M0FNU> -> tensor<256x512xbf16>
  %d1 = fp8.dequantize %q2, %mx {scaling = #fp8.scaling<block [1, 32]>} : tensor<256x512xf4E2M1FN>, tensor<256x16xf8E8M0FNU> -> tensor<256x512xbf16>
  // CHECK: fp8.dequantize {{.*}} -> tensor<256x512xf16>
  %d2 = fp8.dequantize %q1, %r {scaling = #fp8.scaling<rowwise>} : tensor<256x512xf8E5M2>, tensor<256x1xf32> -> tensor<256x512xf16>
  return
}

// CHECK-LABEL: func.func @scaled_matmul
func.func @scaled_matmul(%a: tensor<128x256xf8E4M3FN>, %b: tensor<64x256xf8E4M3FN>,
                         %bkn: tensor<256x64xf8E5M2>, %s: tensor<f32>,
                         %bias: tensor<64xbf16>) {
  // CHECK: fp8.scaled_matmul %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b} : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>, tensor<f32> -> tensor<128x64xbf16>
  %0 = fp8.scaled_matmul %a, %s, %b, %s {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>, tensor<f32> -> tensor<128x64xbf16>
  // B as [K, N], no transpose, E4M3 x E5M2, bias.
  // CHECK: fp8.scaled_matmul %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} bias(%{{.*}} : tensor<64xbf16>) {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>} : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<256x64xf8E5M2>, tensor<f32> -> tensor<128x64xf32>
  %1 = fp8.scaled_matmul %a, %s, %bkn, %s bias(%bias : tensor<64xbf16>) {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>}
      : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<256x64xf8E5M2>, tensor<f32> -> tensor<128x64xf32>
  // FP8 output with out_scale and the output amax.
  // CHECK: %{{.*}}, %{{.*}} = fp8.scaled_matmul %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} out_scale(%{{.*}} : tensor<f32>) {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b} : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>, tensor<f32> -> tensor<128x64xf8E4M3FN>, tensor<f32>
  %2, %amax = fp8.scaled_matmul %a, %s, %b, %s out_scale(%s : tensor<f32>) {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>, tensor<f32> -> tensor<128x64xf8E4M3FN>, tensor<f32>
  // CHECK: fp8.scaled_matmul {{.*}} -> tensor<128x64xf16>, tensor<f32>
  %3, %amax3 = fp8.scaled_matmul %a, %s, %b, %s {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>, tensor<f32> -> tensor<128x64xf16>, tensor<f32>
  return
}

// CHECK-LABEL: func.func @scaled_matmul_scalings
func.func @scaled_matmul_scalings(%a: tensor<128x256xf8E4M3FN>, %b: tensor<64x256xf8E4M3FN>,
                                  %ra: tensor<128x1xf32>, %rb: tensor<64x1xf32>,
                                  %ba: tensor<128x2xf32>, %bb: tensor<1x2xf32>,
                                  %ma: tensor<128x8xf8E8M0FNU>, %mb: tensor<64x8xf8E8M0FNU>,
                                  %a4: tensor<128x256xf4E2M1FN>, %b6: tensor<64x256xf6E3M2FN>) {
  // CHECK: {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
  %0 = fp8.scaled_matmul %a, %ra, %b, %rb {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<128x1xf32>, tensor<64x256xf8E4M3FN>, tensor<64x1xf32> -> tensor<128x64xbf16>
  // CHECK: {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
  %1 = fp8.scaled_matmul %a, %ba, %b, %bb {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<128x2xf32>, tensor<64x256xf8E4M3FN>, tensor<1x2xf32> -> tensor<128x64xbf16>
  // CHECK: {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
  %2 = fp8.scaled_matmul %a, %ma, %b, %mb {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<128x8xf8E8M0FNU>, tensor<64x256xf8E4M3FN>, tensor<64x8xf8E8M0FNU> -> tensor<128x64xbf16>
  // MX FP4 x FP6 operands.
  // CHECK: tensor<128x256xf4E2M1FN>, tensor<128x8xf8E8M0FNU>, tensor<64x256xf6E3M2FN>
  %3 = fp8.scaled_matmul %a4, %ma, %b6, %mb {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b}
      : tensor<128x256xf4E2M1FN>, tensor<128x8xf8E8M0FNU>, tensor<64x256xf6E3M2FN>, tensor<64x8xf8E8M0FNU> -> tensor<128x64xf32>
  return
}

// CHECK-LABEL: func.func @batched_and_dynamic
func.func @batched_and_dynamic(%a: tensor<8x128x256xf8E4M3FN>, %b: tensor<8x64x256xf8E5M2>,
                               %s: tensor<f32>, %sa: tensor<8x128x2xf32>, %sb: tensor<8x1x2xf32>,
                               %da: tensor<?x256xf8E4M3FN>, %db: tensor<?x256xf8E4M3FN>) {
  // CHECK: -> tensor<8x128x64xbf16>
  %0 = fp8.scaled_matmul %a, %s, %b, %s {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<8x128x256xf8E4M3FN>, tensor<f32>, tensor<8x64x256xf8E5M2>, tensor<f32> -> tensor<8x128x64xbf16>
  // CHECK: tensor<8x128x2xf32>, tensor<8x64x256xf8E5M2>, tensor<8x1x2xf32> -> tensor<8x128x64xf32>
  %1 = fp8.scaled_matmul %a, %sa, %b, %sb {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
      : tensor<8x128x256xf8E4M3FN>, tensor<8x128x2xf32>, tensor<8x64x256xf8E5M2>, tensor<8x1x2xf32> -> tensor<8x128x64xf32>
  // CHECK: -> tensor<?x?xbf16>
  %2 = fp8.scaled_matmul %da, %s, %db, %s {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<?x256xf8E4M3FN>, tensor<f32>, tensor<?x256xf8E4M3FN>, tensor<f32> -> tensor<?x?xbf16>
  return
}

// CHECK-LABEL: func.func @history
func.func @history(%h: tensor<1024xf32>, %hb: tensor<16x4x2xf32>,
                   %a: tensor<f32>, %ab: tensor<4x2xf32>) {
  // CHECK: fp8.amax_history_push %{{.*}}, %{{.*}} : tensor<1024xf32>, tensor<f32>
  %0 = fp8.amax_history_push %h, %a : tensor<1024xf32>, tensor<f32>
  // CHECK: fp8.amax_history_push %{{.*}}, %{{.*}} : tensor<16x4x2xf32>, tensor<4x2xf32>
  %1 = fp8.amax_history_push %hb, %ab : tensor<16x4x2xf32>, tensor<4x2xf32>
  // CHECK: fp8.scale_from_history %{{.*}} {algo = #fp8.algo<max>, format = f8E4M3FN} : tensor<1024xf32> -> tensor<f32>
  %2 = fp8.scale_from_history %0 {algo = #fp8.algo<max>, format = f8E4M3FN} : tensor<1024xf32> -> tensor<f32>
  // CHECK: fp8.scale_from_history %{{.*}} {algo = #fp8.algo<most_recent>, format = f8E5M2, margin = 1 : i64, pow2} : tensor<16x4x2xf32> -> tensor<4x2xf32>
  %3 = fp8.scale_from_history %1 {algo = #fp8.algo<most_recent>, format = f8E5M2, margin = 1, pow2} : tensor<16x4x2xf32> -> tensor<4x2xf32>
  return
}

// CHECK-LABEL: func.func @attributes
// CHECK-SAME: fp8.role = #fp8.role<activation>
// CHECK-SAME: fp8.role = #fp8.role<weight>
// CHECK-SAME: fp8.role = #fp8.role<gradient>
// CHECK-SAME: recipes = [#fp8.recipe<tensorwise>, #fp8.recipe<delayed, history = 16, algo = most_recent>, #fp8.recipe<rowwise, pow2 = true>, #fp8.recipe<blockwise, formats = e4m3, margin = 1>, #fp8.recipe<mxfp8, formats = "e5m2-grad", mx_scale = floor, min_flops = 1000000>, #fp8.recipe<tensorwise, formats = hybrid, margin = -2, pow2 = false>]
func.func @attributes(%x: tensor<4xf32> {fp8.role = #fp8.role<activation>},
                      %w: tensor<4xf32> {fp8.role = #fp8.role<weight>},
                      %g: tensor<4xf32> {fp8.role = #fp8.role<gradient>})
    attributes {recipes = [#fp8.recipe<tensorwise>,
                           #fp8.recipe<delayed, history = 16, algo = most_recent>,
                           #fp8.recipe<rowwise, pow2 = true>,
                           #fp8.recipe<blockwise, formats = e4m3, margin = 1>,
                           #fp8.recipe<mxfp8, formats = "e5m2-grad", mx_scale = floor, min_flops = 1000000>,
                           #fp8.recipe<tensorwise, formats = hybrid, margin = -2, pow2 = false>]} {
  return
}

// One grammar for IR and pass options: the spellings a command line favours
// (`-` in field names, `=` without spaces, a bare `pow2`, `e5m2-grad`
// unquoted, `most-recent`) parse to the same attributes, printed in the
// canonical form.
// CHECK-LABEL: func.func @option_spellings
// CHECK-SAME: recipes = [#fp8.recipe<mxfp8, formats = "e5m2-grad", mx_scale = floor, min_flops = 5>, #fp8.recipe<rowwise, pow2 = true, wgrad = bf16>, #fp8.recipe<delayed, history = 4, algo = most_recent>]
func.func @option_spellings()
    attributes {recipes = [#fp8.recipe<mxfp8,formats=e5m2-grad,mx-scale=floor,min-flops=5>,
                           #fp8.recipe<rowwise,pow2,wgrad=bf16>,
                           #fp8.recipe<delayed,history=4,algo=most-recent>]} {
  return
}
