//===- downstream-opt.cpp - A downstream tool embedding fp8-mlir ----------===//
//
// Registers only the dialects this tool needs plus fp8-mlir's dialect, passes
// and pipelines, through the two entry points of fp8/InitAllFP8.h.
//
//===----------------------------------------------------------------------===//

#include "fp8/InitAllFP8.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerTransformsPasses(); // canonicalize, cse, ...
  mlir::fp8::registerFP8Passes();

  mlir::DialectRegistry registry;
  registry.insert<mlir::arith::ArithDialect, mlir::func::FuncDialect,
                  mlir::linalg::LinalgDialect, mlir::math::MathDialect,
                  mlir::tensor::TensorDialect>();
  mlir::fp8::registerFP8Dialect(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "downstream-opt\n", registry));
}
