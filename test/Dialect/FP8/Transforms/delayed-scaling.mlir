// fp8-delayed-scaling: per-tensor scales from amax histories threaded
// through the signature of public functions.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-delayed-scaling | FileCheck %s
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-delayed-scaling="history=16 algo=most_recent" | FileCheck %s --check-prefix=OPTS

// Two scales: the histories are appended in the order the scales appear,
// as arguments and as results; each scale now reads its history, and the
// history with this step's amax pushed is returned.
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[X:[^:]*]]: tensor<128x256xf32>, %[[W:[^:]*]]: tensor<64x256xf32>,
// CHECK-SAME: %[[HX:[^:]*]]: tensor<1024xf32> {fp8.amax_history = "A of scaled_matmul 0"},
// CHECK-SAME: %[[HW:[^:]*]]: tensor<1024xf32> {fp8.amax_history = "B of scaled_matmul 0"})
// CHECK-SAME: -> (tensor<128x64xf32>, tensor<1024xf32> {fp8.amax_history = "A of scaled_matmul 0"}, tensor<1024xf32> {fp8.amax_history = "B of scaled_matmul 0"})
// CHECK: %[[AX:.*]] = fp8.amax %[[X]]
// CHECK-NOT: fp8.scale_from_amax
// CHECK: %[[SX:.*]] = fp8.scale_from_history %[[HX]] {algo = #fp8.algo<max>, format = f8E4M3FN} : tensor<1024xf32> -> tensor<f32>
// CHECK: %[[QX:.*]] = fp8.quantize %[[X]], %[[SX]]
// CHECK: %[[AW:.*]] = fp8.amax %[[W]]
// CHECK: %[[SW:.*]] = fp8.scale_from_history %[[HW]] {algo = #fp8.algo<max>, format = f8E4M3FN, margin = 1 : i64, pow2} : tensor<1024xf32> -> tensor<f32>
// CHECK: %[[QW:.*]] = fp8.quantize %[[W]], %[[SW]]
// CHECK: %[[Y:.*]] = fp8.scaled_matmul %[[QX]], %[[SX]], %[[QW]], %[[SW]]
// CHECK: %[[NHX:.*]] = fp8.amax_history_push %[[HX]], %[[AX]] : tensor<1024xf32>, tensor<f32>
// CHECK: %[[NHW:.*]] = fp8.amax_history_push %[[HW]], %[[AW]] : tensor<1024xf32>, tensor<f32>
// CHECK: return %[[Y]], %[[NHX]], %[[NHW]] : tensor<128x64xf32>, tensor<1024xf32>, tensor<1024xf32>
// OPTS-LABEL: func.func @forward
// OPTS-SAME: tensor<16xf32> {fp8.amax_history = "A of scaled_matmul 0"}
// OPTS: fp8.scale_from_history %{{.*}} {algo = #fp8.algo<most_recent>, format = f8E4M3FN} : tensor<16xf32> -> tensor<f32>
func.func @forward(%x: tensor<128x256xf32>, %w: tensor<64x256xf32>)
    -> tensor<128x64xf32> {
  %ax = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<128x256xf32> -> tensor<f32>
  %sx = fp8.scale_from_amax %ax {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
  %qx = fp8.quantize %x, %sx {scaling = #fp8.scaling<tensor>}
      : tensor<128x256xf32>, tensor<f32> -> tensor<128x256xf8E4M3FN>
  %aw = fp8.amax %w {scaling = #fp8.scaling<tensor>} : tensor<64x256xf32> -> tensor<f32>
  %sw = fp8.scale_from_amax %aw {format = f8E4M3FN, margin = 1, pow2} : tensor<f32> -> tensor<f32>
  %qw = fp8.quantize %w, %sw {scaling = #fp8.scaling<tensor>}
      : tensor<64x256xf32>, tensor<f32> -> tensor<64x256xf8E4M3FN>
  %y = fp8.scaled_matmul %qx, %sx, %qw, %sw
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>, tensor<f32>
      -> tensor<128x64xf32>
  return %y : tensor<128x64xf32>
}

// -----

// History length and algo from the module's recipe; a scale read by two
// matmuls gets one history named after both; a block scale is not a
// per-tensor scale and stays current.
// CHECK-LABEL: func.func @module_recipe
// CHECK-SAME: %[[H:[^:]*]]: tensor<8xf32> {fp8.amax_history = "A of scaled_matmul 0, A of scaled_matmul 1"})
// CHECK-SAME: -> (tensor<16x16xf32>, tensor<16x16xf32>, tensor<8xf32> {fp8.amax_history = "A of scaled_matmul 0, A of scaled_matmul 1"})
// CHECK: fp8.scale_from_history %[[H]] {algo = #fp8.algo<most_recent>, format = f8E5M2} : tensor<8xf32> -> tensor<f32>
// CHECK: fp8.scale_from_amax %{{.*}} : tensor<1x1xf32> -> tensor<1x1xf32>
// CHECK: fp8.amax_history_push %[[H]]
// OPTS-LABEL: func.func @module_recipe
// OPTS-SAME: tensor<16xf32> {fp8.amax_history = "A of scaled_matmul 0, A of scaled_matmul 1"})
// OPTS: fp8.scale_from_history %{{.*}} {algo = #fp8.algo<most_recent>, format = f8E5M2} : tensor<16xf32> -> tensor<f32>
module attributes {fp8.recipe = #fp8.recipe<delayed, history = 8, algo = most_recent>} {
  func.func @module_recipe(%g: tensor<16x128xf32>, %qw: tensor<16x128xf8E4M3FN>,
                           %sw: tensor<f32>, %w2: tensor<16x128xf32>)
      -> (tensor<16x16xf32>, tensor<16x16xf32>) {
    %a = fp8.amax %g {scaling = #fp8.scaling<tensor>} : tensor<16x128xf32> -> tensor<f32>
    %s = fp8.scale_from_amax %a {format = f8E5M2} : tensor<f32> -> tensor<f32>
    %q = fp8.quantize %g, %s {scaling = #fp8.scaling<tensor>}
        : tensor<16x128xf32>, tensor<f32> -> tensor<16x128xf8E5M2>
    %y0 = fp8.scaled_matmul %q, %s, %qw, %sw
        {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
        : tensor<16x128xf8E5M2>, tensor<f32>, tensor<16x128xf8E4M3FN>, tensor<f32>
        -> tensor<16x16xf32>
    %ab = fp8.amax %w2 {scaling = #fp8.scaling<block [128, 128]>} : tensor<16x128xf32> -> tensor<1x1xf32>
    %sb = fp8.scale_from_amax %ab {format = f8E4M3FN} : tensor<1x1xf32> -> tensor<1x1xf32>
    %qb = fp8.quantize %w2, %sb {scaling = #fp8.scaling<block [128, 128]>}
        : tensor<16x128xf32>, tensor<1x1xf32> -> tensor<16x128xf8E4M3FN>
    %y1 = fp8.scaled_matmul %q, %s, %qb, %sb
        {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b}
        : tensor<16x128xf8E5M2>, tensor<f32>, tensor<16x128xf8E4M3FN>, tensor<1x1xf32>
        -> tensor<16x16xf32>
    return %y0, %y1 : tensor<16x16xf32>, tensor<16x16xf32>
  }
}

// -----

// Private functions and functions called inside the module keep current
// scaling (their callers would see a different signature).
// CHECK-LABEL: func.func private @private_fn
// CHECK: fp8.scale_from_amax
// CHECK-LABEL: func.func @called
// CHECK: fp8.scale_from_amax
// CHECK-LABEL: func.func @caller
// CHECK: call @called
// expected-remark @+1 {{current scaling kept (not delayed): the function is not public}}
func.func private @private_fn(%x: tensor<8x8xf32>) -> tensor<f32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<8x8xf32> -> tensor<f32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
  return %s : tensor<f32>
}
// expected-remark @+1 {{current scaling kept (not delayed): the function is called inside the module, and its signature would change}}
func.func @called(%x: tensor<8x8xf32>) -> tensor<f32> {
  %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<8x8xf32> -> tensor<f32>
  %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
  return %s : tensor<f32>
}
func.func @caller(%x: tensor<8x8xf32>) -> tensor<f32> {
  %s = call @called(%x) : (tensor<8x8xf32>) -> tensor<f32>
  return %s : tensor<f32>
}

// -----

// An amax inside a loop cannot be returned.
// CHECK-LABEL: func.func @in_loop
// CHECK-SAME: (%{{.*}}: tensor<8x8xf32>) -> tensor<f32>
// CHECK: fp8.scale_from_amax
// expected-remark @+1 {{current scaling kept (not delayed): an amax is computed in a nested region}}
func.func @in_loop(%x: tensor<8x8xf32>) -> tensor<f32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %init = arith.constant dense<1.0> : tensor<f32>
  %r = scf.for %i = %c0 to %c2 step %c1 iter_args(%acc = %init) -> tensor<f32> {
    %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<8x8xf32> -> tensor<f32>
    %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
    scf.yield %s : tensor<f32>
  }
  return %r : tensor<f32>
}

// -----

// With if-delayed and a recipe that is not delayed, nothing changes.
// RUN: fp8-opt %s -split-input-file --fp8-delayed-scaling=if-delayed | FileCheck %s --check-prefix=IFDELAYED
// IFDELAYED-LABEL: func.func @not_delayed
// IFDELAYED-SAME: (%{{.*}}: tensor<8x8xf32>) -> tensor<f32>
// IFDELAYED: fp8.scale_from_amax
// IFDELAYED-LABEL: func.func @delayed
// IFDELAYED-SAME: tensor<4xf32> {fp8.amax_history = "scale 0"}
// IFDELAYED: fp8.scale_from_history
module attributes {fp8.recipe = #fp8.recipe<tensorwise>} {
  func.func @not_delayed(%x: tensor<8x8xf32>) -> tensor<f32> {
    %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<8x8xf32> -> tensor<f32>
    %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
    return %s : tensor<f32>
  }
}

// -----

module attributes {fp8.recipe = #fp8.recipe<delayed, history = 4>} {
  func.func @delayed(%x: tensor<8x8xf32>) -> tensor<f32> {
    %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<8x8xf32> -> tensor<f32>
    %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
    return %s : tensor<f32>
  }
}
