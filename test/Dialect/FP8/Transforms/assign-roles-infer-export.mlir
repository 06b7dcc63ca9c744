// Role inference on real torch-mlir exports without any fp8.role
// (python/tests/fixtures/exported/*_noroles.mlir, written by make.py with
// fp8_mlir.torch.export(..., train=True, roles=False)): the roles PyTorch
// knows (parameters are weights, the tangent a gradient) come out of the
// graph alone, and the step quantizes with E5M2 gradients and weight-role
// scaling.

// MLP step (Linear 32->64, GELU, Linear 64->32): arguments fc1.weight,
// fc1.bias, fc2.weight, fc2.bias, x, tangent.
// RUN: fp8-opt %S/../../../../python/tests/fixtures/exported/mlp_train_noroles.mlir \
// RUN:   --fp8-assign-roles 2>&1 >/dev/null | FileCheck %s --check-prefix=MLP-REMARKS
// MLP-REMARKS: remark: argument 0 of @main inferred to be a weight
// MLP-REMARKS: remark: argument 2 of @main inferred to be a weight
// MLP-REMARKS: remark: argument 5 of @main inferred to be a gradient
// MLP-REMARKS-NOT: remark

// RUN: fp8-opt %S/../../../../python/tests/fixtures/exported/mlp_train_noroles.mlir \
// RUN:   --fp8-quantize-pipeline="recipe=tensorwise" 2>/dev/null | FileCheck %s --check-prefix=TENSORWISE
// Forward fc1, fc2; dgrad of fc2; wgrad of fc2 and fc1: every operand
// computed from the tangent is E5M2.
// TENSORWISE: fp8.scaled_matmul {{.*}} : tensor<8x32xf8E4M3FN>, tensor<f32>, tensor<64x32xf8E4M3FN>
// TENSORWISE: fp8.scaled_matmul {{.*}} : tensor<8x64xf8E4M3FN>, tensor<f32>, tensor<32x64xf8E4M3FN>
// TENSORWISE: fp8.scaled_matmul {{.*}} : tensor<8x32xf8E5M2>, tensor<f32>, tensor<64x32xf8E4M3FN>
// TENSORWISE: fp8.scaled_matmul {{.*}} : tensor<32x8xf8E5M2>, tensor<f32>, tensor<64x8xf8E4M3FN>
// TENSORWISE: fp8.scaled_matmul {{.*}} : tensor<64x8xf8E5M2>, tensor<f32>, tensor<32x8xf8E4M3FN>
// TENSORWISE-NOT: fp8.scaled_matmul

// RUN: fp8-opt %S/../../../../python/tests/fixtures/exported/mlp_train_noroles.mlir \
// RUN:   --fp8-quantize-pipeline="recipe=blockwise" 2>/dev/null | FileCheck %s --check-prefix=BLOCKWISE
// The weights get [128, 128] blocks wherever they are read (forward and
// dgrad); activations and gradients [1, 128].
// BLOCKWISE: fp8.scaled_matmul {{.*}}a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>
// BLOCKWISE: fp8.scaled_matmul {{.*}}a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>
// BLOCKWISE: fp8.scaled_matmul {{.*}}a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>
// BLOCKWISE: fp8.scaled_matmul {{.*}}a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [1, 128]>
// BLOCKWISE: fp8.scaled_matmul {{.*}}a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [1, 128]>

// Llama-style block step: arguments attn_norm.weight, q/k/v/o_proj.weight,
// mlp_norm.weight, gate/up/down_proj.weight, the cos and sin buffers, x,
// tangent. The seven projection weights are inferred (the norm weights
// reach no matmul and need no role); the tangent is the gradient.
// RUN: fp8-opt %S/../../../../python/tests/fixtures/exported/llama_train_noroles.mlir \
// RUN:   --fp8-assign-roles 2>&1 >/dev/null | FileCheck %s --check-prefix=LLAMA
// LLAMA: remark: argument 1 of @main inferred to be a weight
// LLAMA: remark: argument 2 of @main inferred to be a weight
// LLAMA: remark: argument 3 of @main inferred to be a weight
// LLAMA: remark: argument 4 of @main inferred to be a weight
// LLAMA: remark: argument 6 of @main inferred to be a weight
// LLAMA: remark: argument 7 of @main inferred to be a weight
// LLAMA: remark: argument 8 of @main inferred to be a weight
// LLAMA: remark: argument 12 of @main inferred to be a gradient
// LLAMA-NOT: remark: argument

// The exports that carry PyTorch's roles need no inference: no remark.
// RUN: fp8-opt %S/../../../../python/tests/fixtures/exported/llama_train.mlir \
// RUN:   --fp8-assign-roles 2>&1 >/dev/null | FileCheck %s --check-prefix=EXPLICIT --allow-empty
// EXPLICIT-NOT: inferred
