//===- fp8-opt.cpp - mlir-opt with the fp8 dialect and passes -------------===//
//
// Part of fp8-mlir. Registers every upstream dialect, extension, pass and
// LLVM-IR translation, plus everything of fp8-mlir, so fp8-opt can stand in
// for mlir-opt in any pipeline.
//
// Unlike mlir-opt, `fp8-opt X.mlir -o X.mlir` never loses X.mlir: mlir-opt
// truncates the output file before it runs and deletes it on failure, so
// when the output is the input, fp8-opt writes to a temporary file next to
// it and renames that over the input only once everything succeeded.
//
//===----------------------------------------------------------------------===//

#include "fp8/InitAllFP8.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

/// The file both `input` and `output` name, when they name the same
/// existing file (also through links or different spellings); else "".
static std::string getSharedFile(llvm::StringRef input,
                                 llvm::StringRef output) {
  if (input == "-" || output == "-")
    return "";
  bool same = false;
  if (llvm::sys::fs::equivalent(input, output, same) || !same)
    return "";
  llvm::SmallString<256> real;
  if (llvm::sys::fs::real_path(output, real))
    return "";
  return std::string(real);
}

/// Runs the driver writing to a fresh file next to `file` (the input and
/// the output), then renames it over `file`; on failure `file` is left as
/// it was.
static LogicalResult runInPlace(int argc, char **argv, llvm::StringRef input,
                                llvm::StringRef file,
                                DialectRegistry &registry) {
  llvm::SmallString<256> temporary;
  int fd;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(
          file + ".fp8-opt-%%%%%%", fd, temporary)) {
    llvm::errs() << "fp8-opt: error: cannot create a temporary file next to "
                 << file << " to write the output: " << ec.message() << "\n";
    return failure();
  }
  llvm::sys::fs::closeFile(fd);
  // Keep the input's permissions on the file that replaces it.
  if (llvm::ErrorOr<llvm::sys::fs::perms> perms =
          llvm::sys::fs::getPermissions(file))
    (void)llvm::sys::fs::setPermissions(temporary, *perms);

  if (failed(MlirOptMain(argc, argv, input, temporary, registry))) {
    (void)llvm::sys::fs::remove(temporary);
    return failure();
  }
  if (std::error_code ec = llvm::sys::fs::rename(temporary, file)) {
    llvm::errs() << "fp8-opt: error: cannot replace " << file
                 << " with the output (left in " << temporary
                 << "): " << ec.message() << "\n";
    return failure();
  }
  return success();
}

int main(int argc, char **argv) {
  registerAllPasses();
  fp8::registerFP8Passes();

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  fp8::registerFP8Dialect(registry);

  auto [input, output] = registerAndParseCLIOptions(
      argc, argv, "fp8-mlir optimizer driver\n", registry);
  std::string shared = getSharedFile(input, output);
  if (!shared.empty())
    return asMainReturnCode(runInPlace(argc, argv, input, shared, registry));
  return asMainReturnCode(MlirOptMain(argc, argv, input, output, registry));
}
