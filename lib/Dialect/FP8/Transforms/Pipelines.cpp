//===- Pipelines.cpp - fp8 named pass pipelines ---------------------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/Pipelines.h"
#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;


/// The float types whose arithmetic the CPU pipeline computes in f32.
static SmallVector<std::string> getEmulatedFloatTypes() {
  return {"bf16",     "f16",      "f8E4M3FN", "f8E5M2",  "f8E8M0FNU",
          "f6E2M3FN", "f6E3M2FN", "f4E2M1FN", "f8E4M3",  "f8E3M4"};
}

void fp8::buildFP8HostTensorLowering(OpPassManager &pm,
                                     bool runtimeVerification) {
  // fp8 ops -> linalg/arith/math on tensors (the executable semantics), then
  // FP8/FP6/FP4/E8M0 casts -> integer bit operations.
  pm.addPass(createFP8LowerToLinalg());
  pm.addNestedPass<func::FuncOp>(
      createFP8DecomposeAggregatedOps());
  // Named linalg ops -> linalg.generic, whose body the float emulation
  // below may rewrite: a bf16 x bf16 -> f32 linalg.batch_matmul (what
  // torch-mlir emits for a bf16 bmm) no longer verifies once its body
  // computes in f32. Every linalg op becomes loops later either way.
  pm.addPass(createLinalgGeneralizeNamedOpsPass());
  // Dynamic shapes the verifiers could not check (e.g. K of A and B) are
  // checked when the function runs: a mismatch stops it with a message
  // instead of reading out of bounds.
  if (runtimeVerification)
    pm.addPass(createGenerateRuntimeVerificationPass());
  // In host functions, arithmetic and math on f16/bf16 (and the narrow
  // formats) runs in f32: LLVM would promote it the same way, but its casts
  // back are library calls on CPUs without F16C or AVX512-BF16. Rounding the
  // f32 result of one +, -, *, /, sqrt or min/max back is exact IEEE
  // arithmetic in the narrow type (f32 has more than twice their precision).
  // fp8-expand-casts then makes every such cast integer code.
  arith::ArithEmulateUnsupportedFloatsOptions emulateOptions;
  emulateOptions.sourceTypeStrs = getEmulatedFloatTypes();
  pm.addNestedPass<func::FuncOp>(
      arith::createArithEmulateUnsupportedFloats(emulateOptions));
  pm.addNestedPass<func::FuncOp>(math::createMathExtendToSupportedTypes());
  pm.addNestedPass<func::FuncOp>(createFP8ExpandCasts());
  // Elsewhere (the kernels of --fp8-gpu-pipeline) only the narrow casts:
  // f16/bf16 conversions stay native GPU instructions there.
  FP8ExpandCastsOptions narrowCasts;
  narrowCasts.includeF16BF16 = false;
  pm.addPass(createFP8ExpandCasts(narrowCasts));
  pm.addPass(createCanonicalizerPass());
  // Elementwise arith/math on whole tensors (user code, expanded casts) ->
  // linalg.generic, which bufferizes.
  pm.addPass(createConvertElementwiseToLinalgPass());

  // Tensors -> buffers. Function boundaries take and return identity-layout
  // memrefs so callers (mlir-runner, fp8-run) pass plain descriptors.
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  pm.addPass(createCanonicalizerPass());
}

void fp8::buildFP8LoopsToControlFlow(OpPassManager &pm) {
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
}

void fp8::buildFP8MemRefToLLVM(OpPassManager &pm) {
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
}

void fp8::buildFP8ArithAndFuncToLLVM(OpPassManager &pm) {
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void fp8::buildFP8CPUPipeline(OpPassManager &pm,
                              const FP8CPUPipelineOptions &options) {
  // Vector types too large to lower in reasonable time are an error first.
  FP8VerifyVectorSizesOptions vectorOptions;
  vectorOptions.maxElements = options.maxVectorElements;
  pm.addPass(createFP8VerifyVectorSizes(vectorOptions));
  buildFP8HostTensorLowering(pm, /*runtimeVerification=*/true);
  // Free what the functions allocate (their results excepted: the caller
  // owns those, and gets a copy where a result would alias an argument or a
  // constant).
  bufferization::buildBufferDeallocationPipeline(
      pm, bufferization::BufferDeallocationPipelineOptions());
  pm.addPass(createConvertBufferizationToMemRefPass());
  // Copies into and out of subviews become loops: no runtime library.
  pm.addNestedPass<func::FuncOp>(createFP8LowerStridedCopies());
  buildFP8LoopsToControlFlow(pm);
  buildFP8MemRefToLLVM(pm);
  buildFP8ArithAndFuncToLLVM(pm);
  pm.addPass(createCanonicalizerPass());
  // Types and constants the translation to LLVM IR would crash on get a
  // diagnostic.
  FP8VerifyLLVMTypesOptions verifyOptions;
  verifyOptions.maxGlobalBytes = options.maxGlobalBytes;
  pm.addPass(createFP8VerifyLLVMTypes(verifyOptions));
}

void fp8::buildFP8QuantizePipeline(
    OpPassManager &pm, const FP8QuantizePipelineOptions &options) {
  pm.addPass(createFP8AssignRoles());
  if (!options.calibrationReport.empty()) {
    FP8HighPrecisionFromReportOptions calibration;
    calibration.report = options.calibrationReport;
    calibration.maxError = options.maxMatmulError;
    pm.addPass(createFP8HighPrecisionFromReport(calibration));
  }
  FP8QuantizeMatmulsOptions quantizeOptions;
  quantizeOptions.recipe = options.recipe;
  quantizeOptions.staticRanges = options.staticRanges;
  pm.addPass(createFP8QuantizeMatmuls(quantizeOptions));
  // fp8-quantize-matmuls parsed the recipe once and recorded it on the
  // module (`fp8.recipe`); delayed scaling reads it there and runs under
  // the `delayed` recipe only.
  FP8DelayedScalingOptions delayedOptions;
  delayedOptions.ifDelayed = true;
  pm.addPass(createFP8DelayedScaling(delayedOptions));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void fp8::registerFP8Pipelines() {
  PassPipelineRegistration<FP8QuantizePipelineOptions>(
      "fp8-quantize-pipeline",
      "Quantize high-precision matmuls to FP8 with a recipe: roles, "
      "quantization, delayed scaling (delayed recipe), canonicalize, cse",
      buildFP8QuantizePipeline);
  PassPipelineRegistration<FP8CPUPipelineOptions>(
      "fp8-cpu-pipeline",
      "Lower fp8 and linalg on tensors to the LLVM dialect for CPU execution "
      "(mlir-runner, fp8-run)",
      buildFP8CPUPipeline);
}
