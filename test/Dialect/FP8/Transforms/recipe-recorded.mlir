// The recipe is parsed once: fp8-quantize-matmuls records the `recipe=`
// option on the module as `fp8.recipe` (replacing one already there), the
// passes after it read that attribute, and fp8-lower-to-linalg erases it
// with the other fp8 attributes once no fp8 op is left to read them.
// RUN: fp8-opt %s -split-input-file --fp8-quantize-matmuls="recipe=rowwise,margin=1" | FileCheck %s --check-prefix=RECORD
// RUN: fp8-opt %s -split-input-file --fp8-quantize-pipeline="recipe=delayed,history=8,algo=most-recent" | FileCheck %s --check-prefix=DELAYED
// RUN: fp8-opt %s -split-input-file --fp8-quantize-pipeline="recipe=tensorwise" --fp8-lower-to-linalg | FileCheck %s --check-prefix=LOWERED

// The option wins over the module's attribute, and replaces it.
// RECORD: module attributes {fp8.recipe = #fp8.recipe<rowwise, margin = 1>}
// RECORD-LABEL: func.func @matmul
// RECORD: fp8.amax %{{.*}} {scaling = #fp8.scaling<rowwise>}
// RECORD: fp8.scale_from_amax %{{.*}} {format = f8E4M3FN, margin = 1 : i64, pow2}
// The delayed-scaling step of the pipeline gets history and algo from the
// recorded recipe, not from a second parse of the option.
// DELAYED: module attributes {fp8.recipe = #fp8.recipe<delayed, history = 8, algo = most_recent>}
// DELAYED-LABEL: func.func @matmul
// DELAYED-SAME: tensor<8xf32> {fp8.amax_history = "A of scaled_matmul 0"}
// DELAYED: fp8.scale_from_history %{{.*}} {algo = #fp8.algo<most_recent>
// LOWERED-NOT: fp8.
// LOWERED-LABEL: func.func @matmul
// LOWERED-SAME: (%{{[^:]*}}: tensor<16x32xf32>, %{{[^:]*}}: tensor<32x16xf32>)
// LOWERED-NOT: fp8.
module attributes {fp8.recipe = #fp8.recipe<blockwise>} {
  func.func @matmul(%a: tensor<16x32xf32> {fp8.role = #fp8.role<activation>},
                    %b: tensor<32x16xf32> {fp8.role = #fp8.role<weight>}) -> tensor<16x16xf32> {
    %zero = arith.constant 0.0 : f32
    %empty = tensor.empty() : tensor<16x16xf32>
    %c = linalg.fill ins(%zero : f32) outs(%empty : tensor<16x16xf32>) -> tensor<16x16xf32>
    %y = linalg.matmul ins(%a, %b : tensor<16x32xf32>, tensor<32x16xf32>)
        outs(%c : tensor<16x16xf32>) -> tensor<16x16xf32>
    return %y : tensor<16x16xf32>
  }
}
