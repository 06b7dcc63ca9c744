// RUN: fp8-opt %s --fp8-expand-casts="include-f16-bf16=false" | FileCheck %s

// With include-f16-bf16=false (what --fp8-gpu-pipeline runs on its kernels;
// test/Integration/GPU/*-ptx.mlir check that their bf16 conversions stay
// cvt instructions)
// casts between f16/bf16 and f32 stay native, and an f16/bf16 source of a
// narrow cast is extended natively before the integer rounding.
// CHECK-LABEL: func.func @narrow_only(
// CHECK-SAME:      %[[X:.*]]: f32, %[[Y:.*]]: bf16)
// CHECK:         arith.truncf %[[X]] : f32 to bf16
// CHECK:         %[[W:.*]] = arith.extf %[[Y]] : bf16 to f32
// CHECK:         arith.bitcast %[[W]] : f32 to i32
// CHECK:         arith.bitcast %{{.*}} : i8 to f8E4M3FN
// CHECK-NOT:     arith.truncf {{.*}} to f8E4M3FN
func.func @narrow_only(%x: f32, %y: bf16) -> (bf16, f8E4M3FN) {
  %a = arith.truncf %x : f32 to bf16
  %b = arith.truncf %y : bf16 to f8E4M3FN
  return %a, %b : bf16, f8E4M3FN
}
