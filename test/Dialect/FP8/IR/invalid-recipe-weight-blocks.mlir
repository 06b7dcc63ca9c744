// Bad `weight_blocks` values: a located error.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{invalid value '8x16' for recipe field 'weight_blocks'; expected 16x16 or 1x16}}
module attributes {fp8.recipe = #fp8.recipe<nvfp4, weight_blocks = 8x16>} {}

// -----

// expected-error @+1 {{invalid value '1x32' for recipe field 'weight-blocks'; expected 16x16 or 1x16}}
module attributes {fp8.recipe = #fp8.recipe<nvfp4, weight-blocks = 1x32>} {}

// -----

// expected-error @+1 {{invalid value 'rows' for recipe field 'weight_blocks'; expected 16x16 or 1x16}}
module attributes {fp8.recipe = #fp8.recipe<nvfp4, weight_blocks = rows>} {}

// -----

// expected-error @+1 {{invalid value '16' for recipe field 'weight_blocks'; expected 16x16 or 1x16}}
module attributes {fp8.recipe = #fp8.recipe<nvfp4, weight_blocks = 16>} {}

// -----

// expected-error @+1 {{recipe field 'weight_blocks' applies to the 'nvfp4' recipe only, not 'mxfp4'}}
module attributes {fp8.recipe = #fp8.recipe<mxfp4, weight_blocks = 1x16>} {}

// -----

// expected-error @+1 {{recipe field 'weight_blocks' needs a value ('weight_blocks=...')}}
module attributes {fp8.recipe = #fp8.recipe<nvfp4, weight_blocks>} {}
