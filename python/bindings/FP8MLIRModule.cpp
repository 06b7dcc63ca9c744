//===- FP8MLIRModule.cpp - Python extension of fp8-mlir -------------------===//
//
// Part of fp8-mlir. The `fp8_mlir._fp8_mlir` extension: IR text in, IR text
// or raw host buffers out. The Python package (fp8_mlir/__init__.py) adds the
// numpy/ml_dtypes conversions on top.
//
//===----------------------------------------------------------------------===//

#include "fp8/InitAllFP8.h"
#include "fp8/Runner/CPURunner.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/Support/raw_ostream.h"

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <stdexcept>

namespace nb = nanobind;
using namespace mlir;

namespace {

/// Raised (as fp8_mlir.MLIRError) with every diagnostic MLIR reported.
struct MLIRError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Prints `file:line:col` for file locations (as mlir-opt does), else the
/// location attribute.
void printLocation(llvm::raw_ostream &os, Location loc) {
  if (auto fileLoc = dyn_cast<FileLineColLoc>(loc))
    os << fileLoc.getFilename().getValue() << ":" << fileLoc.getLine() << ":"
       << fileLoc.getColumn();
  else
    os << loc;
}

/// A context with every dialect of fp8-opt that records its diagnostics.
class Session {
public:
  Session() : context(makeRegistry()), handler(&context, [this](Diagnostic &d) {
                llvm::raw_string_ostream os(diagnostics);
                printLocation(os, d.getLocation());
                os << ": "
                   << (d.getSeverity() == DiagnosticSeverity::Error
                           ? "error"
                           : d.getSeverity() == DiagnosticSeverity::Warning
                                 ? "warning"
                                 : "note")
                   << ": " << d << "\n";
                for (Diagnostic &note : d.getNotes()) {
                  printLocation(os, note.getLocation());
                  os << ": note: " << note << "\n";
                }
                return success();
              }) {
    context.printOpOnDiagnostic(false);
  }

  OwningOpRef<ModuleOp> parse(const std::string &ir) {
    OwningOpRef<ModuleOp> module =
        parseSourceString<ModuleOp>(ir, &context, "<ir>");
    if (!module)
      fail("cannot parse the IR");
    return module;
  }

  [[noreturn]] void fail(const std::string &what) {
    throw MLIRError(what + (diagnostics.empty() ? "" : ":\n" + diagnostics));
  }

  MLIRContext context;

private:
  static DialectRegistry makeRegistry() {
    DialectRegistry registry;
    registerAllDialects(registry);
    registerAllExtensions(registry);
    registerAllToLLVMIRTranslations(registry);
    fp8::registerFP8Dialect(registry);
    return registry;
  }
  std::string diagnostics;
  ScopedDiagnosticHandler handler;
};

std::string typeToString(Type type) {
  std::string text;
  llvm::raw_string_ostream(text) << type;
  return text;
}

/// Runs a pass pipeline (with or without the builtin.module(...) wrapper) on
/// IR text and returns the printed result.
std::string compile(const std::string &ir, const std::string &pipeline) {
  Session session;
  OwningOpRef<ModuleOp> module = session.parse(ir);
  std::string text = StringRef(pipeline).trim().str();
  if (!StringRef(text).starts_with("builtin.module("))
    text = "builtin.module(" + text + ")";
  std::string error;
  llvm::raw_string_ostream errorStream(error);
  FailureOr<OpPassManager> parsed = parsePassPipeline(text, errorStream);
  if (failed(parsed))
    throw MLIRError("invalid pass pipeline '" + text + "': " + error);
  PassManager pm(&session.context);
  static_cast<OpPassManager &>(pm) = *parsed;
  if (failed(pm.run(*module)))
    session.fail("pipeline '" + text + "' failed");
  std::string result;
  llvm::raw_string_ostream os(result);
  module->print(os);
  return result;
}

using Buffer = std::tuple<std::string, std::vector<int64_t>, nb::bytes>;

/// Runs @entry on (shape, bytes) inputs through the CPU pipeline; returns
/// (element type, shape, bytes) per result.
std::vector<Buffer>
run(const std::string &ir, const std::string &entry,
    const std::vector<std::tuple<std::vector<int64_t>, nb::bytes>> &inputs) {
  Session session;
  OwningOpRef<ModuleOp> module = session.parse(ir);
  auto function = fp8::CPUFunction::compile(*module, entry);
  if (failed(function))
    session.fail("cannot compile @" + entry);
  ArrayRef<Type> argumentTypes = (*function)->getArgumentTypes();
  if (inputs.size() != argumentTypes.size())
    throw MLIRError("@" + entry + " takes " +
                    std::to_string(argumentTypes.size()) + " arguments, " +
                    std::to_string(inputs.size()) + " given");
  std::vector<fp8::HostTensor> hostInputs;
  for (auto [input, type] : llvm::zip_equal(inputs, argumentTypes)) {
    auto tensorType = dyn_cast<RankedTensorType>(type);
    fp8::HostTensor tensor;
    tensor.elementType = tensorType ? tensorType.getElementType() : type;
    const auto &[shape, data] = input;
    tensor.shape.assign(shape.begin(), shape.end());
    auto *bytes = static_cast<const uint8_t *>(data.data());
    tensor.data.assign(bytes, bytes + data.size());
    hostInputs.push_back(std::move(tensor));
  }
  auto outputs = (*function)->run(hostInputs);
  if (failed(outputs))
    session.fail("call of @" + entry + " failed");
  std::vector<Buffer> results;
  for (const fp8::HostTensor &output : *outputs)
    results.emplace_back(
        typeToString(output.elementType),
        std::vector<int64_t>(output.shape.begin(), output.shape.end()),
        nb::bytes(reinterpret_cast<const char *>(output.data.data()),
                  output.data.size()));
  return results;
}

/// The argument element types of @entry, as MLIR prints them.
std::vector<std::string> argumentElementTypes(const std::string &ir,
                                              const std::string &entry) {
  Session session;
  OwningOpRef<ModuleOp> module = session.parse(ir);
  auto func = module->lookupSymbol<FunctionOpInterface>(entry);
  if (!func)
    throw MLIRError("no function named '" + entry + "' in the module");
  std::vector<std::string> types;
  for (Type type : func.getArgumentTypes()) {
    auto tensorType = dyn_cast<RankedTensorType>(type);
    types.push_back(
        typeToString(tensorType ? tensorType.getElementType() : type));
  }
  return types;
}

} // namespace

NB_MODULE(_fp8_mlir, m) {
  m.doc() = "fp8-mlir native extension (use the fp8_mlir package)";
  registerAllPasses();
  fp8::registerFP8Passes();
  nb::exception<MLIRError>(m, "MLIRError", PyExc_RuntimeError);
  m.def("compile", &compile, nb::arg("ir"), nb::arg("pipeline"),
        "Run a pass pipeline on IR text; returns the printed module.");
  m.def("run", &run, nb::arg("ir"), nb::arg("entry"), nb::arg("inputs"),
        "Run @entry on (shape, bytes) inputs through --fp8-cpu-pipeline.");
  m.def("argument_element_types", &argumentElementTypes, nb::arg("ir"),
        nb::arg("entry"));
}
