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

/// Options of `--fp8-quantize-pipeline`.
struct FP8QuantizePipelineOptions
    : public PassPipelineOptions<FP8QuantizePipelineOptions> {
  PassOptions::Option<std::string> recipe{
      *this, "recipe",
      llvm::cl::desc("The recipe and its overrides, e.g. 'blockwise' or "
                     "'tensorwise,margin=1,pow2' (default: the module's "
                     "fp8.recipe attribute)"),
      llvm::cl::init("")};
};

/// `--fp8-quantize-pipeline="recipe=R"`: high-precision matmul IR to FP8
/// IR. Runs fp8-assign-roles, fp8-quantize-matmuls{recipe=R},
/// fp8-delayed-scaling (under the `delayed` recipe only, with its history
/// and algo), then canonicalize and cse (which also merge the amaxes and
/// quantizes that matmuls share).
void buildFP8QuantizePipeline(OpPassManager &pm,
                              const FP8QuantizePipelineOptions &options);

/// Registers every named pipeline of fp8-mlir.
void registerFP8Pipelines();

} // namespace fp8
} // namespace mlir

#endif // FP8_DIALECT_FP8_TRANSFORMS_PIPELINES_H
