// Malformed recipe options: a located error and a failing exit status, from
// the pass, the quantize pipeline and fp8-delayed-scaling alike.
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=bogus 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not fp8-opt %s --fp8-quantize-pipeline=recipe=bogus,margin=1 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise,frobnicate=2 2>&1 | FileCheck %s --check-prefix=FIELD
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise,margin=x 2>&1 | FileCheck %s --check-prefix=MARGIN
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise,margin=1,margin=2 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise,formats=e5m2 2>&1 | FileCheck %s --check-prefix=FORMATS
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise,history=16 2>&1 | FileCheck %s --check-prefix=HISTORY
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=delayed,history=0 2>&1 | FileCheck %s --check-prefix=HISTORY0
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=delayed,algo=mean 2>&1 | FileCheck %s --check-prefix=ALGO
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise,mx-scale=floor 2>&1 | FileCheck %s --check-prefix=MXSCALE
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=mxfp8,pow2 2>&1 | FileCheck %s --check-prefix=MXPOW2
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=rowwise,pow2=maybe 2>&1 | FileCheck %s --check-prefix=POW2
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise,min-flops=-5 2>&1 | FileCheck %s --check-prefix=FLOPS
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise,margin=300 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise,margin 2>&1 | FileCheck %s --check-prefix=NOVALUE
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=,margin=1 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not fp8-opt %s "--fp8-quantize-matmuls=recipe=tensorwise;x" 2>&1 | FileCheck %s --check-prefix=SYNTAX
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise,margin=- 2>&1 | FileCheck %s --check-prefix=MINUS
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise,pow2= 2>&1 | FileCheck %s --check-prefix=POW2EMPTY
// RUN: not fp8-opt %s "--fp8-quantize-matmuls=recipe=tensorwise,margin=1>," 2>&1 | FileCheck %s --check-prefix=ANGLE
// RUN: not fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise,formats=recipe_default 2>&1 | FileCheck %s --check-prefix=DEFAULTFORMATS
// RUN: not fp8-opt %s --fp8-delayed-scaling=recipe=bogus 2>&1 | FileCheck %s --check-prefix=DELAYED
// RUN: not fp8-opt %s --fp8-delayed-scaling=algo=mean 2>&1 | FileCheck %s --check-prefix=DELAYED-ALGO
// RUN: not fp8-opt %s --fp8-delayed-scaling=history=-1 2>&1 | FileCheck %s --check-prefix=DELAYED-HISTORY

// UNKNOWN: bad-recipe.mlir:[[# @LINE + 23]]:1: error: fp8-quantize-matmuls: unknown recipe 'bogus'; expected tensorwise, delayed, rowwise, blockwise{{.*}} or {{[a-z0-9_]+}} (in recipe 'bogus{{(,margin=1)?}}')
// FIELD: error: fp8-quantize-matmuls: unknown recipe field 'frobnicate'; expected formats, margin, pow2, history, algo, mx_scale, min_flops, wgrad, keep_first, keep_last, rht, sr, sr_seed or weight_blocks (in recipe 'tensorwise,frobnicate=2')
// MARGIN: error: fp8-quantize-matmuls: invalid value 'x' for recipe field 'margin'; expected an integer
// TWICE: error: fp8-quantize-matmuls: recipe field 'margin' given twice
// FORMATS: error: fp8-quantize-matmuls: invalid value 'e5m2' for recipe field 'formats'; expected hybrid, e4m3, e5m2-grad, e2m3 or fp4-weights
// HISTORY: error: fp8-quantize-matmuls: recipe fields 'history' and 'algo' apply to the 'delayed' recipe only, not 'tensorwise'
// HISTORY0: error: fp8-quantize-matmuls: invalid value '0' for recipe field 'history'; expected an integer >= 1
// ALGO: error: fp8-quantize-matmuls: invalid value 'mean' for recipe field 'algo'; expected max or most_recent
// MXSCALE: error: fp8-quantize-matmuls: recipe field 'mx_scale' applies to the MX recipes (mxfp8, mxfp4, mxfp6) only, not 'tensorwise'
// MXPOW2: error: fp8-quantize-matmuls: recipe field 'pow2' does not apply to 'mxfp8': E8M0 scales are always powers of two
// POW2: error: fp8-quantize-matmuls: invalid value 'maybe' for recipe field 'pow2'; expected 'true' or 'false'
// FLOPS: error: fp8-quantize-matmuls: invalid value '-5' for recipe field 'min-flops'; expected an integer >= 0
// RANGE: error: fp8-quantize-matmuls: recipe margin must be in [-127, 127], found 300
// NOVALUE: error: fp8-quantize-matmuls: recipe field 'margin' needs a value ('margin=...')
// EMPTY: error: fp8-quantize-matmuls: expected a recipe name (tensorwise, delayed, rowwise, blockwise{{.*}} or {{[a-z0-9_]+}}) before the overrides (in recipe ',margin=1')
// SYNTAX: error: fp8-quantize-matmuls: unexpected character (in recipe 'tensorwise;x')
// MINUS: error: fp8-quantize-matmuls: expected integer value (in recipe 'tensorwise,margin=-')
// POW2EMPTY: error: fp8-quantize-matmuls: expected a value for recipe field 'pow2' after '='; expected 'true' or 'false'
// ANGLE: error: fp8-quantize-matmuls: a recipe is a name and overrides, without '<', '>' or '#' (in recipe 'tensorwise,margin=1>,')
// DEFAULTFORMATS: error: fp8-quantize-matmuls: invalid value 'recipe_default' for recipe field 'formats'; expected hybrid, e4m3, e5m2-grad, e2m3 or fp4-weights
// DELAYED: error: fp8-delayed-scaling: unknown recipe 'bogus'
// DELAYED-ALGO: error: fp8-delayed-scaling: invalid value 'mean' for option 'algo'; expected max or most_recent
// DELAYED-HISTORY: error: fp8-delayed-scaling: option 'history' must be >= 1 (0 takes the recipe's), found -1
module {
  func.func @f(%a: tensor<16x16xf32>, %b: tensor<16x16xf32>) -> tensor<16x16xf32> {
    %y = linalg.matmul ins(%a, %b : tensor<16x16xf32>, tensor<16x16xf32>)
        outs(%a : tensor<16x16xf32>) -> tensor<16x16xf32>
    return %y : tensor<16x16xf32>
  }
}
