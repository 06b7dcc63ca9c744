//===- ReportManifest.h - What fp8-instrument-report records ----*- C++ -*-===//
//
// Part of fp8-mlir. The names of the manifest that `fp8-instrument-report`
// puts on a function, read back by the report (fp8/Runner/Report.h) before
// the function is compiled.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_REPORTMANIFEST_H
#define FP8_DIALECT_FP8_TRANSFORMS_REPORTMANIFEST_H

#include "mlir/IR/Location.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace mlir::fp8::report {

/// The function attribute: a dictionary with `num_results` (the function's
/// own results, before the instrumentation's) and `entries`, an array of
/// dictionaries, one per quantize op (`kind = "quantize"`) and scaled matmul
/// (`kind = "matmul"`), in program order.
inline constexpr llvm::StringLiteral kManifestAttrName = "fp8.report";
inline constexpr llvm::StringLiteral kNumResults = "num_results";
inline constexpr llvm::StringLiteral kEntries = "entries";

/// Keys of an entry. Result numbers are i64 attributes; `a`, `b` and the
/// elements of `feeds` are indices into `entries` (-1: the operand does not
/// come from a quantize op).
inline constexpr llvm::StringLiteral kKind = "kind";         // string
inline constexpr llvm::StringLiteral kOp = "op";             // op name
inline constexpr llvm::StringLiteral kLoc = "loc";           // file:line:col
inline constexpr llvm::StringLiteral kRole = "role";         // quantize
inline constexpr llvm::StringLiteral kFormat = "format";     // quantize, type
inline constexpr llvm::StringLiteral kScaling = "scaling";   // #fp8.scaling
inline constexpr llvm::StringLiteral kInput = "input";       // quantize
inline constexpr llvm::StringLiteral kScale = "scale";       // quantize
inline constexpr llvm::StringLiteral kResult = "result";     // both
inline constexpr llvm::StringLiteral kFeeds = "feeds";       // quantize
inline constexpr llvm::StringLiteral kA = "a";               // matmul
inline constexpr llvm::StringLiteral kB = "b";               // matmul
inline constexpr llvm::StringLiteral kBias = "bias";         // matmul, opt.
inline constexpr llvm::StringLiteral kOutScale = "out_scale"; // matmul, opt.
inline constexpr llvm::StringLiteral kTransposeB = "transpose_b"; // matmul

/// `file:line:col` of the first file location in `loc` (through names,
/// call sites and fused locations), or "unknown": the `loc` of an entry,
/// and what fp8-high-precision-from-report matches report matmuls by.
std::string formatLocation(Location loc);

inline constexpr llvm::StringLiteral kQuantizeKind = "quantize";
inline constexpr llvm::StringLiteral kMatmulKind = "matmul";

} // namespace mlir::fp8::report

#endif // FP8_DIALECT_FP8_TRANSFORMS_REPORTMANIFEST_H
