// nvfp4's `weight_blocks` field: 16x16 (the default) or 1x16, printed as it
// parses, from IR and from the command-line spelling alike.
// RUN: fp8-opt %s -split-input-file | fp8-opt -split-input-file | FileCheck %s

// CHECK: module attributes {fp8.recipe = #fp8.recipe<nvfp4, weight_blocks = 1x16>}
module attributes {fp8.recipe = #fp8.recipe<nvfp4, weight-blocks=1x16>} {}

// -----

// CHECK: module attributes {fp8.recipe = #fp8.recipe<nvfp4, rht = off, weight_blocks = 16x16>}
module attributes {fp8.recipe = #fp8.recipe<nvfp4, weight_blocks = 16x16, rht = off>} {}

// -----

// CHECK: module attributes {fp8.recipe = #fp8.recipe<nvfp4>}
module attributes {fp8.recipe = #fp8.recipe<nvfp4>} {}
