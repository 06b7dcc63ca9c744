//===- fp8-opt.cpp - mlir-opt with the fp8 dialect and passes -------------===//
//
// Part of fp8-mlir. Registers every upstream dialect, extension, pass and
// LLVM-IR translation, plus everything of fp8-mlir, so fp8-opt can stand in
// for mlir-opt in any pipeline.
//
//===----------------------------------------------------------------------===//

#include "fp8/InitAllFP8.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::fp8::registerFP8Passes();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
  mlir::fp8::registerFP8Dialect(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "fp8-mlir optimizer driver\n", registry));
}
