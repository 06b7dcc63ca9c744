//===- InitAllFP8.h - Register everything of fp8-mlir -----------*- C++ -*-===//
//
// Part of fp8-mlir. The two entry points a downstream tool calls to get the
// fp8 dialect and every fp8 pass and pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_INITALLFP8_H
#define FP8_INITALLFP8_H

namespace mlir {
class DialectRegistry;
namespace fp8 {

/// Adds the fp8 dialect (and the dialects its ops and passes create) to
/// `registry`.
void registerFP8Dialect(DialectRegistry &registry);

/// Registers every fp8 pass and named pipeline with the global pass registry
/// (so `--fp8-...` options work in opt tools). Safe to call more than once.
void registerFP8Passes();

} // namespace fp8
} // namespace mlir

#endif // FP8_INITALLFP8_H
