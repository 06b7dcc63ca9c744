//===- Registration.cpp - Register everything of fp8-mlir -----------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8/InitAllFP8.h"
#include "fp8/Conversion/GPUPipeline.h"
#include "fp8/Conversion/Passes.h"
#include "fp8/Dialect/FP8/IR/FP8Dialect.h"
#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "fp8/Dialect/FP8/Transforms/Pipelines.h"
#include "mlir/IR/DialectRegistry.h"

void mlir::fp8::registerFP8Dialect(DialectRegistry &registry) {
  registry.insert<FP8Dialect>();
}

void mlir::fp8::registerFP8Passes() {
  static bool registered = [] {
    registerFP8TransformsPasses();
    registerFP8Pipelines();
    registerFP8ConversionPasses();
    registerFP8GPUPipeline();
    return true;
  }();
  (void)registered;
}
