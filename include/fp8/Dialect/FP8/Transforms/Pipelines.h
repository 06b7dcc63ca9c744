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

/// Options of `--fp8-cpu-pipeline`.
struct FP8CPUPipelineOptions
    : public PassPipelineOptions<FP8CPUPipelineOptions> {
  PassOptions::Option<int64_t> maxGlobalBytes{
      *this, "max-global-bytes",
      llvm::cl::desc("The largest constant (LLVM global), in bytes, the "
                     "pipeline's output may hold; a larger one is an error "
                     "at the op (its translation would exhaust memory)"),
      llvm::cl::init(int64_t(1) << 32)};
  PassOptions::Option<int64_t> maxVectorElements{
      *this, "max-vector-elements",
      llvm::cl::desc("The most elements a vector type may have; a larger "
                     "one is an error at the op (its lowering unrolls it)"),
      llvm::cl::init(int64_t(1) << 16)};
};

/// `--fp8-cpu-pipeline`: fp8 and linalg on tensors down to the LLVM dialect,
/// runnable with mlir-runner or the ExecutionEngine without a runtime
/// library (copies between strided buffers are loops). Buffers the functions
/// allocate are freed (ownership-based deallocation), except those they
/// return, which the caller owns. Functions marked `llvm.emit_c_interface`
/// also get a C interface (`_mlir_ciface_<name>`); the CPU runner
/// (lib/Runner) marks the function it runs.
void buildFP8CPUPipeline(OpPassManager &pm,
                         const FP8CPUPipelineOptions &options = {});

/// Options of `--fp8-quantize-pipeline`.
struct FP8QuantizePipelineOptions
    : public PassPipelineOptions<FP8QuantizePipelineOptions> {
  PassOptions::Option<std::string> recipe{
      *this, "recipe",
      llvm::cl::desc("The recipe and its overrides, e.g. 'blockwise' or "
                     "'tensorwise,margin=1,pow2' (default: the module's "
                     "fp8.recipe attribute)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> calibrationReport{
      *this, "calibration-report",
      llvm::cl::desc("A numerics report of a calibration run (docs/"
                     "report.md): matmuls whose FP8 error there is above "
                     "max-matmul-error stay in high precision"),
      llvm::cl::init("")};
  PassOptions::Option<double> maxMatmulError{
      *this, "max-matmul-error",
      llvm::cl::desc("With calibration-report: the largest FP8 relative "
                     "error of a matmul that is quantized"),
      llvm::cl::init(0.1)};
  PassOptions::Option<std::string> staticRanges{
      *this, "static-ranges",
      llvm::cl::desc("on: per-tensor amaxes of values with a bound known at "
                     "compile time become that bound; off: every amax is "
                     "measured at run time"),
      llvm::cl::init("on")};
};

/// `--fp8-quantize-pipeline="recipe=R"`: high-precision matmul IR to FP8
/// IR. Runs fp8-assign-roles, fp8-high-precision-from-report (with a
/// calibration report only), fp8-quantize-matmuls{recipe=R, static-ranges},
/// fp8-delayed-scaling (under the `delayed` recipe only, with its history
/// and algo), then canonicalize and cse (which also merge the amaxes and
/// quantizes that matmuls share).
void buildFP8QuantizePipeline(OpPassManager &pm,
                              const FP8QuantizePipelineOptions &options);

/// Registers every named pipeline of fp8-mlir.
void registerFP8Pipelines();

//===----------------------------------------------------------------------===//
// Host lowering steps shared by the CPU and GPU pipelines
//===----------------------------------------------------------------------===//

/// fp8 ops and elementwise arith/math on tensors down to linalg on buffers:
/// fp8-lower-to-linalg, decomposition of aggregated linalg ops
/// (`linalg.softmax`), linalg-generalize-named-ops,
/// generate-runtime-verification (with `runtimeVerification`),
/// fp8-expand-casts, canonicalize,
/// convert-elementwise-to-linalg, one-shot-bufferize (function boundaries
/// included, as identity-layout memrefs) and canonicalize.
void buildFP8HostTensorLowering(OpPassManager &pm, bool runtimeVerification);

/// linalg on buffers to unstructured control flow: convert-linalg-to-loops
/// (in each func.func), lower-affine, convert-scf-to-cf.
void buildFP8LoopsToControlFlow(OpPassManager &pm);

/// memref to the LLVM dialect: expand-strided-metadata, lower-affine (for
/// the affine.apply it creates), finalize-memref-to-llvm.
void buildFP8MemRefToLLVM(OpPassManager &pm);

/// What is left of the host code to the LLVM dialect: math (to LLVM
/// intrinsics, then libm calls), arith, index, cf and func, then
/// reconcile-unrealized-casts.
void buildFP8ArithAndFuncToLLVM(OpPassManager &pm);

} // namespace fp8
} // namespace mlir

#endif // FP8_DIALECT_FP8_TRANSFORMS_PIPELINES_H
