// fp8-quantize-matmuls without a usable recipe: an error at the module.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-quantize-matmuls

// expected-error @+1 {{fp8-quantize-matmuls: no recipe: pass the 'recipe' option (e.g. recipe=tensorwise) or put a 'fp8.recipe = #fp8.recipe<...>' attribute on the module}}
module {
  func.func @f(%a: tensor<16x16xf32>, %b: tensor<16x16xf32>) -> tensor<16x16xf32> {
    %y = linalg.matmul ins(%a, %b : tensor<16x16xf32>, tensor<16x16xf32>)
        outs(%a : tensor<16x16xf32>) -> tensor<16x16xf32>
    return %y : tensor<16x16xf32>
  }
}

// -----

// expected-error @+1 {{fp8-quantize-matmuls: expected the module attribute 'fp8.recipe' to be a #fp8.recipe, found "tensorwise"}}
module attributes {fp8.recipe = "tensorwise"} {
}
