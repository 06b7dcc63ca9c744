// fp8-fuse-quantize leaves NVFP4's two-level quantizes alone: the fused ops
// (fp8.quantize_with_amax, fp8.quantize_transposed) carry no per-tensor
// second-level scale, so fusing would drop it.
// RUN: fp8-opt %s --fp8-fuse-quantize | FileCheck %s

// CHECK-LABEL: func.func @with_amax
// CHECK-NOT: fp8.quantize_with_amax
// CHECK: fp8.quantize %{{.*}}, %{{.*}} global(
func.func @with_amax(%x: tensor<128x256xf32>) -> tensor<128x256xf4E2M1FN> {
  %t = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<128x256xf32> -> tensor<f32>
  %g = fp8.scale_from_amax %t {format = f4E2M1FN, block_scale_type = f8E4M3FN} : tensor<f32> -> tensor<f32>
  %a = fp8.amax %x {scaling = #fp8.scaling<block [1, 16]>} : tensor<128x256xf32> -> tensor<128x16xf32>
  %s = fp8.scale_from_amax %a global(%g : tensor<f32>) {format = f4E2M1FN} : tensor<128x16xf32> -> tensor<128x16xf8E4M3FN>
  %q = fp8.quantize %x, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<128x256xf32>, tensor<128x16xf8E4M3FN> -> tensor<128x256xf4E2M1FN>
  return %q : tensor<128x256xf4E2M1FN>
}

// CHECK-LABEL: func.func @transposed
// CHECK: linalg.transpose
// CHECK-NOT: fp8.quantize_transposed
// CHECK: fp8.quantize %{{.*}}, %{{.*}} global(
func.func @transposed(%w: tensor<256x128xf32>, %s: tensor<128x16xf8E4M3FN>, %g: tensor<f32>) -> tensor<128x256xf4E2M1FN> {
  %e = tensor.empty() : tensor<128x256xf32>
  %t = linalg.transpose ins(%w : tensor<256x128xf32>) outs(%e : tensor<128x256xf32>) permutation = [1, 0]
  %q = fp8.quantize %t, %s global(%g : tensor<f32>) {scaling = #fp8.scaling<block [1, 16]>}
      : tensor<128x256xf32>, tensor<128x16xf8E4M3FN> -> tensor<128x256xf4E2M1FN>
  return %q : tensor<128x256xf4E2M1FN>
}
