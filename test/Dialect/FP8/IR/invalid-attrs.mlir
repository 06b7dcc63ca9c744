// Parse and verify errors of the fp8 attributes.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{expected scaling kind 'tensor', 'rowwise' or 'block', found 'colwise'}}
func.func private @f() attributes {s = #fp8.scaling<colwise>}

// -----

// expected-error @+1 {{block scaling needs 2 extents [rows, cols], found 3}}
func.func private @f() attributes {s = #fp8.scaling<block [1, 2, 3]>}

// -----

// expected-error @+1 {{block extents must be positive, found [0, 128]}}
func.func private @f() attributes {s = #fp8.scaling<block [0, 128]>}

// -----

// expected-error @+1 {{expected '['}}
func.func private @f() attributes {s = #fp8.scaling<block>}

// -----

// A tensor or rowwise scaling takes no block shape.
// expected-error @+1 {{expected '>'}}
func.func private @f() attributes {s = #fp8.scaling<tensor [1, 32]>}

// -----

// expected-error @+2 {{expected ::mlir::fp8::Role to be one of: activation, weight, gradient}}
// expected-error @+1 {{failed to parse FP8_RoleAttr parameter 'value'}}
func.func private @f(tensor<4xf32> {fp8.role = #fp8.role<bias>})

// -----

// The names are RecipeKind's cases, in order (the list grows with it).
// expected-error-re @+1 {{unknown recipe 'nvfp8'; expected tensorwise, delayed, rowwise, blockwise{{.*}} or {{[a-z0-9_]+$}}}}
func.func private @f() attributes {r = #fp8.recipe<nvfp8>}

// -----

// expected-error @+1 {{unknown recipe field 'scale'; expected formats, margin, pow2, history, algo, mx_scale, min_flops, wgrad, keep_first, keep_last, rht, sr, sr_seed or weight_blocks}}
func.func private @f() attributes {r = #fp8.recipe<tensorwise, scale = 2>}

// -----

// expected-error @+1 {{recipe field 'margin' given twice}}
func.func private @f() attributes {r = #fp8.recipe<tensorwise, margin = 1, margin = 2>}

// -----

// expected-error @+1 {{invalid value 'e4m4' for recipe field 'formats'; expected hybrid, e4m3, e5m2-grad, e2m3 or fp4-weights}}
func.func private @f() attributes {r = #fp8.recipe<tensorwise, formats = e4m4>}

// -----

// expected-error @+1 {{invalid value '1' for recipe field 'pow2'; expected 'true' or 'false'}}
func.func private @f() attributes {r = #fp8.recipe<rowwise, pow2 = 1>}

// -----

// expected-error @+1 {{recipe margin must be in [-127, 127], found 300}}
func.func private @f() attributes {r = #fp8.recipe<tensorwise, margin = 300>}

// -----

// expected-error @+1 {{invalid value '0' for recipe field 'history'; expected an integer >= 1}}
func.func private @f() attributes {r = #fp8.recipe<delayed, history = 0>}

// -----

// expected-error @+1 {{recipe fields 'history' and 'algo' apply to the 'delayed' recipe only, not 'tensorwise'}}
func.func private @f() attributes {r = #fp8.recipe<tensorwise, history = 16>}

// -----

// expected-error @+1 {{recipe fields 'history' and 'algo' apply to the 'delayed' recipe only, not 'blockwise'}}
func.func private @f() attributes {r = #fp8.recipe<blockwise, algo = max>}

// -----

// expected-error @+1 {{invalid value 'mean' for recipe field 'algo'}}
func.func private @f() attributes {r = #fp8.recipe<delayed, algo = mean>}

// -----

// expected-error @+1 {{recipe field 'mx_scale' applies to the MX recipes (mxfp8, mxfp4, mxfp6) only, not 'blockwise'}}
func.func private @f() attributes {r = #fp8.recipe<blockwise, mx_scale = floor>}

// -----

// expected-error @+1 {{recipe field 'pow2' does not apply to 'mxfp8': E8M0 scales are always powers of two}}
func.func private @f() attributes {r = #fp8.recipe<mxfp8, pow2 = true>}

// -----

// expected-error @+1 {{invalid value '-5' for recipe field 'min_flops'; expected an integer >= 0}}
func.func private @f() attributes {r = #fp8.recipe<tensorwise, min_flops = -5>}

// -----

// expected-error @+1 {{recipe field 'margin' needs a value ('margin=...')}}
func.func private @f() attributes {r = #fp8.recipe<tensorwise, margin>}

// -----

// expected-error-re @+1 {{expected a recipe name (tensorwise, delayed, rowwise, blockwise{{.*}} or {{[a-z0-9_]+}}) before the overrides}}
func.func private @f() attributes {r = #fp8.recipe<, margin = 1>}

// -----

// A field spelled with `-` is the same field as with `_`.
// expected-error @+1 {{recipe field 'mx_scale' given twice}}
func.func private @f() attributes {r = #fp8.recipe<mxfp8, mx-scale = ceil, mx_scale = floor>}

// -----

// expected-error @+1 {{invalid value 'round' for recipe field 'mx-scale'; expected ceil or floor}}
func.func private @f() attributes {r = #fp8.recipe<mxfp8, mx-scale = round>}

// -----

// expected-error @+1 {{invalid value 'fp16' for recipe field 'wgrad'; expected fp8, bf16 or f32}}
func.func private @f() attributes {r = #fp8.recipe<rowwise, wgrad = fp16>}
