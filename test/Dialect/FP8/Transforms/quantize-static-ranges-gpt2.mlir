// Static ranges on torch-mlir's real GPT-2 block
// (python/tests/fixtures/linalg/gpt2_block.mlir), tensorwise recipe.
// RUN: fp8-opt %S/../../../../python/tests/fixtures/linalg/gpt2_block.mlir \
// RUN:   --fp8-quantize-pipeline="recipe=tensorwise" 2>&1 >/dev/null \
// RUN:   | FileCheck %s --check-prefix=REMARK
// RUN: fp8-opt %S/../../../../python/tests/fixtures/linalg/gpt2_block.mlir \
// RUN:   --fp8-quantize-pipeline="recipe=tensorwise" 2>/dev/null | FileCheck %s

// Five of the twelve per-tensor amaxes are proven: the attention
// probabilities P (softmax in torch-mlir's keepdim form, e / sum(e) in
// [0, 1]) among them.
// REMARK: remark: static ranges removed 5 of 12 amax ops

// P = e / sum(e) is quantized with a constant scale, no amax.
// CHECK-LABEL: func.func @gpt2_block
// CHECK: math.exp
// CHECK: %[[P:[0-9]+]] = linalg.generic {{.*}}ins(%{{[0-9]+}}, %{{[0-9]+}} : tensor<4x4x4xf32>, tensor<4x4x1xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.divf
// CHECK: fp8.quantize %[[P]], %cst {scaling = #fp8.scaling<tensor>} : tensor<4x4x4xf32>

// The LayerNorm outputs keep their runtime amax: torch-mlir computes the
// variance from f64 x minus an f64 mean but multiplies f32 x minus an f32
// mean, which no variance bounds (float-ranges-layernorm.mlir,
// @gpt2_layer_norm). The second LayerNorm feeds the MLP's first matmul.
// CHECK: math.rsqrt
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: arith.mulf
// CHECK: %[[LN2:[0-9]+]] = linalg.generic
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.addf
// CHECK-NEXT: linalg.yield
// CHECK-NEXT: } -> tensor<4x32xf32>
// CHECK-NEXT: fp8.amax %[[LN2]] {scaling = #fp8.scaling<tensor>} : tensor<4x32xf32>
// CHECK-NEXT: fp8.scale_from_amax
// CHECK-NEXT: fp8.quantize %[[LN2]]
// CHECK: fp8.scaled_matmul
