//===- FP8MLIRModule.cpp - Python extension of fp8-mlir -------------------===//
//
// Part of fp8-mlir. The `fp8_mlir._fp8_mlir` extension: IR text in, IR text
// or raw host buffers out. The Python package (fp8_mlir/__init__.py) adds the
// numpy/ml_dtypes conversions on top.
//
// Every entry point releases the GIL while MLIR parses, compiles and runs,
// so Python threads compile and run in parallel. Inputs are copied into C++
// objects before, and results turned into Python objects after: nothing
// between touches a Python object. Each call has its own MLIRContext, whose
// diagnostic handler only appends to a C++ string.
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
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/TargetSelect.h"
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
  nb::gil_scoped_release release;
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

/// An input of `run`, copied out of its Python objects.
struct Input {
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;
};

/// A result of `run` before it becomes Python objects.
struct Output {
  std::string elementType;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;
};

std::string shapeToString(ArrayRef<int64_t> shape) {
  std::string text = "[";
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(shape, os);
  os << "]";
  return text;
}

/// Throws (as ValueError) unless `input` is a valid buffer of `elementType`:
/// no negative dimension, the product of its non-zero dimensions times the
/// element size fits in int64 (so no size or stride of it overflows), and its
/// bytes are exactly its elements.
void checkInput(size_t index, const Input &input, Type elementType) {
  std::string where = "argument " + std::to_string(index) + " of shape " +
                      shapeToString(input.shape);
  int64_t bytes = fp8::getStorageBytes(elementType);
  int64_t bound = bytes, count = 1;
  for (int64_t dim : input.shape) {
    if (dim < 0)
      throw std::invalid_argument(where + ": negative dimension");
    if (llvm::MulOverflow(bound, std::max<int64_t>(dim, 1), bound))
      throw std::invalid_argument(where + ": " + typeToString(elementType) +
                                  " data of that shape overflows int64 bytes");
    count *= dim;
  }
  if (bytes && uint64_t(count * bytes) != input.data.size())
    throw std::invalid_argument(
        where + " holds " + std::to_string(input.data.size()) +
        " bytes; its " + std::to_string(count) + " " +
        typeToString(elementType) + " elements take " +
        std::to_string(count * bytes));
}

/// Runs @entry on `inputs` through the CPU pipeline. Called without the GIL.
std::vector<Output> runReleased(const std::string &ir, const std::string &entry,
                                std::vector<Input> inputs) {
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
  for (auto [index, input, type] : llvm::enumerate(inputs, argumentTypes)) {
    auto tensorType = dyn_cast<RankedTensorType>(type);
    fp8::HostTensor tensor;
    tensor.elementType = tensorType ? tensorType.getElementType() : type;
    checkInput(index, input, tensor.elementType);
    tensor.shape.assign(input.shape.begin(), input.shape.end());
    tensor.data = std::move(input.data);
    hostInputs.push_back(std::move(tensor));
  }
  auto results = (*function)->run(hostInputs);
  if (failed(results))
    session.fail("call of @" + entry + " failed");
  std::vector<Output> outputs;
  for (fp8::HostTensor &result : *results)
    outputs.push_back({typeToString(result.elementType),
                       std::vector<int64_t>(result.shape.begin(),
                                            result.shape.end()),
                       std::move(result.data)});
  return outputs;
}

using Buffer = std::tuple<std::string, std::vector<int64_t>, nb::bytes>;

/// Runs @entry on (shape, bytes) inputs through the CPU pipeline; returns
/// (element type, shape, bytes) per result. Raises ValueError for a shape
/// that is negative, overflows, or does not match its bytes.
std::vector<Buffer>
run(const std::string &ir, const std::string &entry,
    const std::vector<std::tuple<std::vector<int64_t>, nb::bytes>> &inputs) {
  std::vector<Input> copies;
  for (const auto &[shape, data] : inputs) {
    auto *bytes = static_cast<const uint8_t *>(data.data());
    copies.push_back({shape, std::vector<uint8_t>(bytes, bytes + data.size())});
  }
  std::vector<Output> outputs;
  {
    nb::gil_scoped_release release;
    outputs = runReleased(ir, entry, std::move(copies));
  }
  std::vector<Buffer> results;
  for (const Output &output : outputs)
    results.emplace_back(output.elementType, output.shape,
                         nb::bytes(reinterpret_cast<const char *>(
                                       output.data.data()),
                                   output.data.size()));
  return results;
}

/// The argument element types of @entry, as MLIR prints them.
std::vector<std::string> argumentElementTypes(const std::string &ir,
                                              const std::string &entry) {
  nb::gil_scoped_release release;
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
  // Registered once here, with the GIL held: LLVM's target registry is not
  // safe to fill from several threads at once, and the JIT needs the host
  // target (CPUFunction::compile's own calls then find it registered).
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  nb::exception<MLIRError>(m, "MLIRError", PyExc_RuntimeError);
  m.def("compile", &compile, nb::arg("ir"), nb::arg("pipeline"),
        "Run a pass pipeline on IR text; returns the printed module.");
  m.def("run", &run, nb::arg("ir"), nb::arg("entry"), nb::arg("inputs"),
        "Run @entry on (shape, bytes) inputs through --fp8-cpu-pipeline;\n"
        "raises ValueError for a shape that does not describe its bytes.");
  m.def("argument_element_types", &argumentElementTypes, nb::arg("ir"),
        nb::arg("entry"));
}
