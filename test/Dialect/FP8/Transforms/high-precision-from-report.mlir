// fp8-high-precision-from-report marks the matmuls whose FP8 error in a
// calibration report is above max-error with fp8.high_precision (a remark
// each), matched by location; fp8-quantize-matmuls then leaves them alone.
// RUN: rm -rf %t && split-file %s %t && cd %t
// RUN: fp8-opt model.mlir --fp8-high-precision-from-report="report=report.json max-error=0.1" 2>&1 | FileCheck %s
// RUN: fp8-opt model.mlir --fp8-quantize-pipeline="recipe=tensorwise calibration-report=report.json max-matmul-error=0.1" 2>&1 | FileCheck %s --check-prefix=PIPELINE
// A higher threshold keeps both in FP8.
// RUN: fp8-opt model.mlir --fp8-quantize-pipeline="recipe=tensorwise calibration-report=report.json max-matmul-error=0.5" 2>&1 | FileCheck %s --check-prefix=LOOSE

// CHECK: model.mlir:2:8: remark: kept in high precision: the calibration report measured a relative error of 40.0% for its FP8 matmul (above 10.0%)
// CHECK-NOT: remark
// CHECK-LABEL: func.func @two
// CHECK: linalg.matmul {fp8.high_precision} ins(%arg0, %arg1
// CHECK: linalg.matmul ins(%arg0, %arg2
// CHECK-NOT: fp8.high_precision

// PIPELINE: model.mlir:2:8: remark: kept in high precision: the calibration report measured a relative error of 40.0% for its FP8 matmul (above 10.0%)
// PIPELINE: model.mlir:2:8: remark: not quantized to FP8: it is marked fp8.high_precision
// PIPELINE: linalg.matmul {fp8.high_precision, fp8.roles
// PIPELINE-COUNT-1: fp8.scaled_matmul

// LOOSE-NOT: remark
// LOOSE-COUNT-2: fp8.scaled_matmul

// The report's paths need not be the module's: the file's base name, line
// and column match; a report matmul that matches nothing is a warning.
// RUN: fp8-opt model.mlir --fp8-high-precision-from-report="report=other.json" 2>&1 | FileCheck %s --check-prefix=OTHER
// OTHER: warning: fp8-high-precision-from-report: the matmul of the report at elsewhere.mlir:3:8 matches no matmul of the module (a report of another program?)
// OTHER-NOT: remark

// Unreadable reports are errors at the module.
// RUN: not fp8-opt model.mlir --fp8-high-precision-from-report="report=missing.json" 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: error: fp8-high-precision-from-report: missing.json: cannot read: No such file or directory
// RUN: not fp8-opt model.mlir --fp8-high-precision-from-report="report=model.mlir" 2>&1 | FileCheck %s --check-prefix=JSON
// JSON: error: fp8-high-precision-from-report: model.mlir: not JSON:
// RUN: not fp8-opt model.mlir --fp8-high-precision-from-report="report=old.json" 2>&1 | FileCheck %s --check-prefix=SCHEMA
// SCHEMA: error: fp8-high-precision-from-report: old.json: not a numerics report of schema version 1 (see docs/report.md)

// A keep list (fp8_mlir.calibrate) marks the matmuls it names whatever
// their measured error; a file may hold only schema_version and keep.
// RUN: fp8-opt model.mlir --fp8-high-precision-from-report="report=keep.json" 2>&1 | FileCheck %s --check-prefix=KEEP
// RUN: fp8-opt model.mlir --fp8-quantize-pipeline="recipe=tensorwise calibration-report=keep.json" 2>&1 | FileCheck %s --check-prefix=KEEP-PIPELINE
// KEEP: model.mlir:3:8: remark: kept in high precision: the calibration's keep list names it
// KEEP-NOT: remark
// KEEP-LABEL: func.func @two
// KEEP: linalg.matmul ins(%arg0, %arg1
// KEEP: linalg.matmul {fp8.high_precision} ins(%arg0, %arg2
// KEEP-PIPELINE: model.mlir:3:8: remark: not quantized to FP8: it is marked fp8.high_precision
// KEEP-PIPELINE-COUNT-1: fp8.scaled_matmul
// KEEP-PIPELINE-NOT: fp8.scaled_matmul
// A keep entry for a matmul the report measured keeps it even under the
// threshold; the others still follow max-error.
// RUN: fp8-opt model.mlir --fp8-high-precision-from-report="report=both.json max-error=0.5" 2>&1 | FileCheck %s --check-prefix=BOTH
// BOTH: model.mlir:3:8: remark: kept in high precision: the calibration's keep list names it
// BOTH-NOT: remark
// BOTH-LABEL: func.func @two
// BOTH: linalg.matmul ins(%arg0, %arg1
// BOTH: linalg.matmul {fp8.high_precision} ins(%arg0, %arg2

// A malformed keep list is an error at the module.
// RUN: not fp8-opt model.mlir --fp8-high-precision-from-report="report=keep-object.json" 2>&1 | FileCheck %s --check-prefix=KEEP-OBJECT
// KEEP-OBJECT: error: fp8-high-precision-from-report: keep-object.json: "keep" is not a list
// RUN: not fp8-opt model.mlir --fp8-high-precision-from-report="report=keep-noloc.json" 2>&1 | FileCheck %s --check-prefix=KEEP-NOLOC
// KEEP-NOLOC: error: fp8-high-precision-from-report: keep-noloc.json: entry 1 of "keep" has no "loc" string

//--- model.mlir
func.func @two(%x: tensor<16x32xf32>, %w1: tensor<32x64xf32>, %w2: tensor<32x8xf32>, %c1: tensor<16x64xf32>, %c2: tensor<16x8xf32>) -> (tensor<16x64xf32>, tensor<16x8xf32>) {
  %a = linalg.matmul ins(%x, %w1 : tensor<16x32xf32>, tensor<32x64xf32>) outs(%c1 : tensor<16x64xf32>) -> tensor<16x64xf32>
  %b = linalg.matmul ins(%x, %w2 : tensor<16x32xf32>, tensor<32x8xf32>) outs(%c2 : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %a, %b : tensor<16x64xf32>, tensor<16x8xf32>
}
//--- report.json
{"schema_version": 1, "entry": "two", "tensors": [],
 "matmuls": [{"id": 0, "loc": "some/dir/model.mlir:2:8", "relative_error": 0.4},
             {"id": 1, "loc": "model.mlir:3:8", "relative_error": 0.02}]}
//--- other.json
{"schema_version": 1, "matmuls": [{"loc": "elsewhere.mlir:3:8", "relative_error": 0.9}]}
//--- old.json
{"schema_version": 0, "matmuls": []}
//--- keep.json
{"schema_version": 1, "keep": [{"loc": "model.mlir:3:8"}]}
//--- both.json
{"schema_version": 1,
 "matmuls": [{"loc": "model.mlir:2:8", "relative_error": 0.4},
             {"loc": "model.mlir:3:8", "relative_error": 0.02}],
 "keep": [{"loc": "model.mlir:3:8"}]}
//--- keep-object.json
{"schema_version": 1, "keep": {"loc": "model.mlir:3:8"}}
//--- keep-noloc.json
{"schema_version": 1, "keep": [{"loc": "model.mlir:3:8"}, {"where": 3}]}
