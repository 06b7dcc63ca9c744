// A kernel that reads the result of an op another kernel replaces: here the
// transposing quantize of a GEMM result (the backward matmul of a training
// step reads the forward one's result through a transpose). Plans are all
// made before any op is replaced, so the quantize's plan names the GEMM's
// result; the conversion reads it through what replaced it (this used to
// be a use after free: a crash in Release builds).
// RUN: fp8-opt %s --fp8-fuse-quantize --convert-fp8-to-gpu="chip=sm_90a" | FileCheck %s
// RUN: fp8-opt %s --fp8-fuse-quantize --convert-fp8-to-gpu="chip=sm_100a" | FileCheck %s

// CHECK-LABEL: func.func @f(
// CHECK:         gpu.launch_func @fp8_gemm_{{.*}} args({{.*}}, %[[D:.*]] : memref<1024xf32>)
// CHECK:         %[[T:.*]] = bufferization.to_tensor %[[D]]
// CHECK:         gpu.launch_func @fp8_amax_f32_tensor_32x32
// CHECK:         gpu.launch_func @fp8_quantize_transpose_f32_tensor_32x32_f8E5M2
// CHECK-NOT:     linalg.transpose
// CHECK:         return
func.func @f(%a: tensor<32x16xf8E4M3FN>, %b: tensor<32x16xf8E4M3FN>, %s: tensor<f32>) -> tensor<32x32xf8E5M2> {
  %r = fp8.scaled_matmul %a, %s, %b, %s {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<32x16xf8E4M3FN>, tensor<f32>, tensor<32x16xf8E4M3FN>, tensor<f32> -> tensor<32x32xf32>
  %e = tensor.empty() : tensor<32x32xf32>
  %t = linalg.transpose ins(%r : tensor<32x32xf32>) outs(%e : tensor<32x32xf32>) permutation = [1, 0]
  %am = fp8.amax %r {scaling = #fp8.scaling<tensor>} : tensor<32x32xf32> -> tensor<f32>
  %sc = fp8.scale_from_amax %am {format = f8E5M2} : tensor<f32> -> tensor<f32>
  %q = fp8.quantize %t, %sc {scaling = #fp8.scaling<tensor>} : tensor<32x32xf32>, tensor<f32> -> tensor<32x32xf8E5M2>
  return %q : tensor<32x32xf8E5M2>
}
