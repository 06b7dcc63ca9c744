//===- Pipelines.cpp - fp8 named pass pipelines ---------------------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/Pipelines.h"
#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void fp8::buildFP8HostTensorLowering(OpPassManager &pm,
                                     bool runtimeVerification) {
  // fp8 ops -> linalg/arith/math on tensors (the executable semantics), then
  // FP8/FP6/FP4/E8M0 casts -> integer bit operations.
  pm.addPass(createFP8LowerToLinalg());
  // Dynamic shapes the verifiers could not check (e.g. K of A and B) are
  // checked when the function runs: a mismatch stops it with a message
  // instead of reading out of bounds.
  if (runtimeVerification)
    pm.addPass(createGenerateRuntimeVerificationPass());
  pm.addPass(createFP8ExpandCasts());
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

void fp8::buildFP8CPUPipeline(OpPassManager &pm) {
  buildFP8HostTensorLowering(pm, /*runtimeVerification=*/true);
  buildFP8LoopsToControlFlow(pm);
  buildFP8MemRefToLLVM(pm);
  buildFP8ArithAndFuncToLLVM(pm);
  pm.addPass(createCanonicalizerPass());
}

void fp8::buildFP8QuantizePipeline(
    OpPassManager &pm, const FP8QuantizePipelineOptions &options) {
  pm.addPass(createFP8AssignRoles());
  FP8QuantizeMatmulsOptions quantizeOptions;
  quantizeOptions.recipe = options.recipe;
  pm.addPass(createFP8QuantizeMatmuls(quantizeOptions));
  // Delayed scaling for the `delayed` recipe, named by the option or (when
  // the option is empty) by the module attribute; the pass checks which.
  StringRef recipeName = StringRef(options.recipe).split(',').first.trim();
  if (recipeName.empty() || recipeName == "delayed") {
    FP8DelayedScalingOptions delayedOptions;
    delayedOptions.recipe = options.recipe;
    delayedOptions.ifDelayed = true;
    pm.addPass(createFP8DelayedScaling(delayedOptions));
  }
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void fp8::registerFP8Pipelines() {
  PassPipelineRegistration<FP8QuantizePipelineOptions>(
      "fp8-quantize-pipeline",
      "Quantize high-precision matmuls to FP8 with a recipe: roles, "
      "quantization, delayed scaling (delayed recipe), canonicalize, cse",
      buildFP8QuantizePipeline);
  PassPipelineRegistration<>(
      "fp8-cpu-pipeline",
      "Lower fp8 and linalg on tensors to the LLVM dialect for CPU execution "
      "(mlir-runner, fp8-run)",
      buildFP8CPUPipeline);
}
