// Static ranges: a per-tensor amax whose input has a bound known at compile
// time (here a softmax and a tanh) becomes a constant; unbounded inputs keep
// their runtime amax. Per-group scalings and the delayed recipe keep every
// amax.
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise | FileCheck %s --check-prefix=ON
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=tensorwise 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK
// RUN: fp8-opt %s --fp8-quantize-pipeline=recipe=tensorwise 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK
// RUN: fp8-opt %s --fp8-quantize-matmuls="recipe=tensorwise static-ranges=off" 2>&1 | FileCheck %s --check-prefix=OFF
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=tensorwise static-ranges=off" 2>&1 | FileCheck %s --check-prefix=OFF
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=rowwise 2>&1 | FileCheck %s --check-prefix=OFF
// RUN: fp8-opt %s --fp8-quantize-matmuls=recipe=delayed 2>&1 | FileCheck %s --check-prefix=OFF

// REMARK: remark: static ranges removed 2 of 4 amax ops
// REMARK-NOT: remark: static ranges

// ON-LABEL: func.func @attention_pv
// ON-DAG: %[[AMAX_P:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// ON-DAG: %[[AMAX_T:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// ON-DAG: fp8.scale_from_amax %[[AMAX_P]]
// ON-DAG: fp8.scale_from_amax %[[AMAX_T]]
// ON-DAG: fp8.amax %{{.*}} {scaling = #fp8.scaling<tensor>} : tensor<2x8x16xf32>
// ON-DAG: fp8.amax %{{.*}} {scaling = #fp8.scaling<tensor>} : tensor<8x16xf32>
// ON-NOT: fp8.amax
// ON: return

// OFF-NOT: static ranges removed
// OFF-COUNT-4: fp8.amax
// OFF-NOT: static ranges removed
func.func @attention_pv(%s: tensor<2x8x8xf32>, %v: tensor<2x8x16xf32>,
                        %x: tensor<8x16xf32>, %w: tensor<16x16xf32>)
    -> (tensor<2x8x16xf32>, tensor<8x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = math.exp %s : tensor<2x8x8xf32>
  %rinit = tensor.empty() : tensor<2x8xf32>
  %rz = linalg.fill ins(%zero : f32) outs(%rinit : tensor<2x8xf32>) -> tensor<2x8xf32>
  %sum = linalg.reduce ins(%e : tensor<2x8x8xf32>) outs(%rz : tensor<2x8xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %a = arith.addf %in, %acc : f32
      linalg.yield %a : f32
    }
  %binit = tensor.empty() : tensor<2x8x8xf32>
  %b = linalg.broadcast ins(%sum : tensor<2x8xf32>) outs(%binit : tensor<2x8x8xf32>) dimensions = [2]
  %p = arith.divf %e, %b : tensor<2x8x8xf32>
  %oinit = tensor.empty() : tensor<2x8x16xf32>
  %oz = linalg.fill ins(%zero : f32) outs(%oinit : tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<2x8x8xf32>, tensor<2x8x16xf32>)
      outs(%oz : tensor<2x8x16xf32>) -> tensor<2x8x16xf32>
  // An MLP weight of tanh values times an unbounded activation.
  %t = math.tanh %w : tensor<16x16xf32>
  %yinit = tensor.empty() : tensor<8x16xf32>
  %yz = linalg.fill ins(%zero : f32) outs(%yinit : tensor<8x16xf32>) -> tensor<8x16xf32>
  %y = linalg.matmul ins(%x, %t : tensor<8x16xf32>, tensor<16x16xf32>)
      outs(%yz : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %o, %y : tensor<2x8x16xf32>, tensor<8x16xf32>
}
