//===- Report.h - Per-tensor numerics report of a quantized run -*- C++ -*-===//
//
// Part of fp8-mlir. Runs a quantized program (the output of
// --fp8-quantize-pipeline) on sample inputs and measures, for every quantize
// op and scaled matmul, what the quantization did to the data: saturation,
// flush to zero, subnormals, SQNR, the matmul's error against the matmul of
// the high-precision inputs, and the same figures for INT8. The JSON it
// writes is described in docs/report.md. fp8-run --report, the C API and
// Python (fp8_mlir.report) all call this; nothing else computes the
// statistics.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_RUNNER_REPORT_H
#define FP8_RUNNER_REPORT_H

#include "fp8/Dialect/FP8/IR/FP8Attrs.h"
#include "fp8/Runner/CPURunner.h"
#include <string>
#include <vector>

namespace mlir::fp8 {

/// The version of the report's JSON schema (docs/report.md).
inline constexpr int kReportSchemaVersion = 1;

/// One entry of the `fp8.report` manifest (ReportManifest.h), read back.
struct ReportEntry {
  bool isMatmul = false;
  std::string op, loc;
  // Quantize entries.
  std::string role;
  Type format;
  ScalingAttr scaling;
  int64_t input = -1, scale = -1;
  std::vector<int64_t> feeds;
  // Both: the result; matmul entries: operands' entries (-1: none), bias
  // and output scale results (-1: none).
  int64_t result = -1;
  int64_t a = -1, b = -1, bias = -1, outScale = -1;
  bool transposeB = false;
};

/// What the report knows of the instrumented function before it runs.
struct ReportManifest {
  std::string entry;
  std::string recipe; ///< The module's `fp8.recipe`, printed; "" if none.
  int64_t numResults = 0; ///< The function's own results.
  std::vector<ReportEntry> entries;
};

/// Runs fp8-instrument-report on @entry of `module` (in place) and reads the
/// manifest. Errors (no such function, a program without quantize ops) are
/// diagnostics on the module's context and give failure.
FailureOr<ReportManifest> instrumentForReport(ModuleOp module,
                                              StringRef entry);

/// The report, as JSON text, of one call of the instrumented function:
/// `outputs` are all its results (its own, then the instrumentation's).
std::string buildReport(const ReportManifest &manifest,
                        ArrayRef<HostTensor> outputs);

/// The report of a call, and the function's own results.
struct ReportRun {
  std::string json;
  std::vector<HostTensor> outputs;
};

/// instrumentForReport, CPUFunction::compile and run, buildReport.
FailureOr<ReportRun> runReport(ModuleOp module, StringRef entry,
                               ArrayRef<HostTensor> inputs);

} // namespace mlir::fp8

#endif // FP8_RUNNER_REPORT_H
