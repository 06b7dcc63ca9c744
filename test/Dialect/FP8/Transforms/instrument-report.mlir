// fp8-instrument-report returns each quantize op's input, scale and result
// and each scaled matmul's result (and bias) after the function's own
// results, once each, and describes them in the fp8.report manifest.
// RUN: fp8-opt %s --fp8-instrument-report | FileCheck %s
// RUN: fp8-opt %s --fp8-instrument-report=entry=linear | FileCheck %s --check-prefix=ENTRY

// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.*]]: tensor<4x32xf32>, %[[W:.*]]: tensor<8x32xbf16> {fp8.role = #fp8.role<weight>}, %[[BIAS:.*]]: tensor<8xf32>)
// CHECK-SAME: -> (tensor<4x8xf32>, tensor<4x32xf32>, tensor<4x1xf32>, tensor<4x32xf8E4M3FN>, tensor<8x32xbf16>, tensor<1x1xf32>, tensor<8x32xf8E4M3FN>, tensor<8xf32>)
// CHECK-SAME: fp8.report = {entries = [
// CHECK-SAME: {feeds = [2], format = f8E4M3FN, input = 1 : i64, kind = "quantize", loc = "{{.*}}instrument-report.mlir:33:9", op = "fp8.quantize", result = 3 : i64, role = "activation", scale = 2 : i64, scaling = #fp8.scaling<rowwise>},
// CHECK-SAME: {feeds = [2], format = f8E4M3FN, input = 4 : i64, kind = "quantize", loc = "{{.*}}instrument-report.mlir:37:9", op = "fp8.quantize", result = 6 : i64, role = "weight", scale = 5 : i64, scaling = #fp8.scaling<block [8, 32]>},
// CHECK-SAME: {a = 0 : i64, b = 1 : i64, bias = 7 : i64, kind = "matmul", loc = "{{.*}}instrument-report.mlir:39:8", op = "fp8.scaled_matmul", result = 0 : i64, transpose_b = true}
// CHECK-SAME: ], num_results = 1 : i64}
// CHECK: %[[SX:.*]] = fp8.amax %[[X]]
// CHECK: %[[QX:.*]] = fp8.quantize
// CHECK: %[[QW:.*]] = fp8.quantize
// CHECK: %[[D:.*]] = fp8.scaled_matmul
// CHECK: return %[[D]], %[[X]], %{{.*}}, %[[QX]], %[[W]], %{{.*}}, %[[QW]], %[[BIAS]] :

// A function without quantize ops is left alone.
// CHECK-LABEL: func.func @plain(%{{.*}}: tensor<4xf32>) -> tensor<4xf32> {
// CHECK-NOT: fp8.report

// ENTRY: func.func @linear{{.*}}fp8.report
// ENTRY: func.func @plain(%{{.*}}: tensor<4xf32>) -> tensor<4xf32> {

func.func @linear(%x: tensor<4x32xf32>,
                  %w: tensor<8x32xbf16> {fp8.role = #fp8.role<weight>},
                  %bias: tensor<8xf32>) -> tensor<4x8xf32> {
  %ax = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<4x32xf32> -> tensor<4x1xf32>
  %sx = fp8.scale_from_amax %ax {format = f8E4M3FN} : tensor<4x1xf32> -> tensor<4x1xf32>
  %qx = fp8.quantize %x, %sx {scaling = #fp8.scaling<rowwise>}
      : tensor<4x32xf32>, tensor<4x1xf32> -> tensor<4x32xf8E4M3FN>
  %aw = fp8.amax %w {scaling = #fp8.scaling<block [8, 32]>} : tensor<8x32xbf16> -> tensor<1x1xf32>
  %sw = fp8.scale_from_amax %aw {format = f8E4M3FN} : tensor<1x1xf32> -> tensor<1x1xf32>
  %qw = fp8.quantize %w, %sw {scaling = #fp8.scaling<block [8, 32]>}
      : tensor<8x32xbf16>, tensor<1x1xf32> -> tensor<8x32xf8E4M3FN>
  %d = fp8.scaled_matmul %qx, %sx, %qw, %sw bias(%bias : tensor<8xf32>)
      {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<block [8, 32]>, transpose_b}
      : tensor<4x32xf8E4M3FN>, tensor<4x1xf32>, tensor<8x32xf8E4M3FN>, tensor<1x1xf32> -> tensor<4x8xf32>
  return %d : tensor<4x8xf32>
}

func.func @plain(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
