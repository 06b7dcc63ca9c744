// A quantize of a transposed value that no kernel can convert is reported
// at the op, as for the plain kernel, and the IR is left alone.
// RUN: fp8-opt %s -split-input-file --fp8-fuse-quantize --convert-fp8-to-gpu="chip=sm_90a" -verify-diagnostics

func.func @fp4_sm90(%x: tensor<64x32xf32>, %s: tensor<32x4xf32>) -> tensor<32x64xf4E2M1FN> {
  %e = tensor.empty() : tensor<32x64xf32>
  %t = linalg.transpose ins(%x : tensor<64x32xf32>) outs(%e : tensor<32x64xf32>) permutation = [1, 0]
  // expected-error @+1 {{converts 'f4E2M1FN', which sm_90a cannot do in hardware}}
  %q = fp8.quantize %t, %s {scaling = #fp8.scaling<block [1, 16]>} : tensor<32x64xf32>, tensor<32x4xf32> -> tensor<32x64xf4E2M1FN>
  return %q : tensor<32x64xf4E2M1FN>
}
