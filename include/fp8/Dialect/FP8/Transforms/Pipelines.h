//===- Pipelines.h - fp8 named pass pipelines -------------------*- C++ -*-===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_PIPELINES_H
#define FP8_DIALECT_FP8_TRANSFORMS_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
namespace fp8 {

/// `--fp8-cpu-pipeline`: fp8 and linalg on tensors down to the LLVM dialect,
/// runnable with mlir-runner or the ExecutionEngine. Every function gets a C
/// interface (`_mlir_ciface_<name>`).
void buildFP8CPUPipeline(OpPassManager &pm);

/// Registers every named pipeline of fp8-mlir.
void registerFP8Pipelines();

} // namespace fp8
} // namespace mlir

#endif // FP8_DIALECT_FP8_TRANSFORMS_PIPELINES_H
