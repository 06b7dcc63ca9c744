//===- FP8MLIRModule.cpp - Python extension of fp8-mlir -------------------===//
//
// Part of fp8-mlir. The `fp8_mlir._fp8_mlir` extension, written over the C
// API (fp8-c/FP8.h and MLIR's mlir-c): IR text in; IR text, kernels, recipe
// facts or raw host buffers out. The Python package (fp8_mlir/__init__.py)
// adds the numpy/ml_dtypes conversions on top.
//
// Every entry point releases the GIL while MLIR parses, compiles and runs,
// so Python threads compile and run in parallel. Inputs are copied into C++
// objects before, and results turned into Python objects after: nothing
// between touches a Python object. Each call has its own MLIR context, whose
// diagnostic handler only appends to a C++ string.
//
//===----------------------------------------------------------------------===//

#include "fp8-c/FP8.h"
#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/BuiltinTypes.h"
#include "mlir-c/Diagnostics.h"
#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace nb = nanobind;

namespace {

/// Raised (as fp8_mlir.MLIRError) with every diagnostic MLIR reported.
struct MLIRError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

MlirStringRef toRef(const std::string &text) {
  return mlirStringRefCreate(text.data(), text.size());
}

void appendTo(MlirStringRef text, void *userData) {
  static_cast<std::string *>(userData)->append(text.data, text.length);
}

/// Prints `file:line:col` for file locations (as mlir-opt does), else the
/// location attribute.
void printLocation(std::string &out, MlirLocation loc) {
  if (!mlirLocationIsAFileLineColRange(loc)) {
    mlirLocationPrint(loc, appendTo, &out);
    return;
  }
  MlirStringRef file =
      mlirIdentifierStr(mlirLocationFileLineColRangeGetFilename(loc));
  out.append(file.data, file.length);
  out += ":" + std::to_string(mlirLocationFileLineColRangeGetStartLine(loc)) +
         ":" +
         std::to_string(mlirLocationFileLineColRangeGetStartColumn(loc));
}

std::string typeToString(MlirType type) {
  std::string text;
  mlirTypePrint(type, appendTo, &text);
  return text;
}

/// A context with every dialect of fp8-opt that records its diagnostics.
class Session {
public:
  Session() {
    MlirDialectRegistry registry = mlirDialectRegistryCreate();
    fp8RegisterAllDialects(registry);
    context = mlirContextCreateWithRegistry(registry, /*threadingEnabled=*/true);
    mlirDialectRegistryDestroy(registry);
    fp8ContextSetPrintOpOnDiagnostic(context, false);
    mlirContextAttachDiagnosticHandler(context, &Session::record, this,
                                       nullptr);
  }
  ~Session() {
    if (!mlirModuleIsNull(module))
      mlirModuleDestroy(module);
    mlirContextDestroy(context);
  }
  Session(const Session &) = delete;
  Session &operator=(const Session &) = delete;

  /// Parses `ir` into this session's module.
  MlirModule parse(const std::string &ir) {
    module = fp8ParseModule(context, toRef(ir),
                            mlirStringRefCreateFromCString("<ir>"));
    if (mlirModuleIsNull(module))
      fail("cannot parse the IR");
    return module;
  }

  /// Runs `pipeline` on the module; throws with the diagnostics on failure.
  void runPipeline(const std::string &pipeline) {
    if (mlirLogicalResultIsFailure(fp8RunPipeline(module, toRef(pipeline))))
      fail("pipeline '" + pipeline + "' failed");
  }

  [[noreturn]] void fail(const std::string &what) {
    throw MLIRError(what + (diagnostics.empty() ? "" : ":\n" + diagnostics));
  }

  MlirContext context;
  MlirModule module = {nullptr};

private:
  static MlirLogicalResult record(MlirDiagnostic diagnostic, void *userData) {
    std::string &out = static_cast<Session *>(userData)->diagnostics;
    printLocation(out, mlirDiagnosticGetLocation(diagnostic));
    switch (mlirDiagnosticGetSeverity(diagnostic)) {
    case MlirDiagnosticError:
      out += ": error: ";
      break;
    case MlirDiagnosticWarning:
      out += ": warning: ";
      break;
    default:
      out += ": note: ";
    }
    mlirDiagnosticPrint(diagnostic, appendTo, &out);
    out += "\n";
    for (intptr_t i = 0, e = mlirDiagnosticGetNumNotes(diagnostic); i < e;
         ++i) {
      MlirDiagnostic note = mlirDiagnosticGetNote(diagnostic, i);
      printLocation(out, mlirDiagnosticGetLocation(note));
      out += ": note: ";
      mlirDiagnosticPrint(note, appendTo, &out);
      out += "\n";
    }
    return mlirLogicalResultSuccess();
  }

  std::string diagnostics;
};

/// Runs a pass pipeline (with or without the builtin.module(...) wrapper) on
/// IR text and returns the printed result.
std::string compile(const std::string &ir, const std::string &pipeline) {
  nb::gil_scoped_release release;
  Session session;
  session.parse(ir);
  session.runPipeline(pipeline);
  std::string result;
  mlirOperationPrint(mlirModuleGetOperation(session.module), appendTo, &result);
  return result;
}

/// A kernel object of a --fp8-gpu-pipeline result.
struct KernelObject {
  std::string module;
  bool assembly;
  std::string code;
};

/// Runs `pipeline` (none when empty) on IR text, then returns the kernel
/// objects of the result and its JSON manifest.
std::pair<std::vector<KernelObject>, std::string>
kernelsReleased(const std::string &ir, const std::string &pipeline) {
  Session session;
  session.parse(ir);
  if (!pipeline.empty())
    session.runPipeline(pipeline);
  std::vector<KernelObject> objects;
  for (intptr_t i = 0, e = fp8GetNumKernels(session.module); i < e; ++i) {
    MlirStringRef name = fp8GetKernelName(session.module, i);
    MlirStringRef code = fp8GetKernelCode(session.module, i);
    objects.push_back({std::string(name.data, name.length),
                       fp8IsKernelAssembly(session.module, i),
                       std::string(code.data, code.length)});
  }
  MlirStringRef manifest = fp8GetKernelManifest(session.module);
  return {std::move(objects), std::string(manifest.data, manifest.length)};
}

using Kernel = std::tuple<std::string, bool, nb::bytes>;

/// ([(module, is_assembly, code)], manifest JSON) of IR text after
/// `pipeline`.
std::tuple<std::vector<Kernel>, std::string>
kernels(const std::string &ir, const std::string &pipeline) {
  std::pair<std::vector<KernelObject>, std::string> found;
  {
    nb::gil_scoped_release release;
    found = kernelsReleased(ir, pipeline);
  }
  std::vector<Kernel> result;
  for (const KernelObject &object : found.first)
    result.emplace_back(object.module, object.assembly,
                        nb::bytes(object.code.data(), object.code.size()));
  return {std::move(result), found.second};
}

/// The element type of each argument of @entry (a tensor's element type, or
/// the argument's type).
std::vector<MlirType> getArgumentElementTypes(Session &session,
                                              const std::string &entry) {
  MlirSymbolTable symbols =
      mlirSymbolTableCreate(mlirModuleGetOperation(session.module));
  MlirOperation func = mlirSymbolTableLookup(symbols, toRef(entry));
  mlirSymbolTableDestroy(symbols);
  MlirAttribute typeAttr =
      mlirOperationIsNull(func)
          ? MlirAttribute{nullptr}
          : mlirOperationGetAttributeByName(
                func, mlirStringRefCreateFromCString("function_type"));
  if (mlirAttributeIsNull(typeAttr) || !mlirAttributeIsAType(typeAttr) ||
      !mlirTypeIsAFunction(mlirTypeAttrGetValue(typeAttr)))
    throw MLIRError("no function named '" + entry + "' in the module");
  MlirType type = mlirTypeAttrGetValue(typeAttr);
  std::vector<MlirType> types;
  for (intptr_t i = 0, e = mlirFunctionTypeGetNumInputs(type); i < e; ++i) {
    MlirType input = mlirFunctionTypeGetInput(type, i);
    types.push_back(mlirTypeIsARankedTensor(input)
                        ? mlirShapedTypeGetElementType(input)
                        : input);
  }
  return types;
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

std::string shapeToString(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

/// Throws (as ValueError) unless `input` is a valid buffer of `elementType`:
/// no negative dimension, the product of its non-zero dimensions times the
/// element size fits in int64 (so no size or stride of it overflows), and its
/// bytes are exactly its elements.
void checkInput(size_t index, const Input &input, MlirType elementType) {
  std::string where = "argument " + std::to_string(index) + " of shape " +
                      shapeToString(input.shape);
  int64_t bytes = fp8StorageBytes(elementType);
  int64_t bound = bytes, count = 1;
  for (int64_t dim : input.shape) {
    if (dim < 0)
      throw std::invalid_argument(where + ": negative dimension");
    if (__builtin_mul_overflow(bound, std::max<int64_t>(dim, 1), &bound))
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

/// The C buffers of `inputs` for the arguments of @entry, after checking
/// them; they point into `inputs`.
std::vector<Fp8HostBuffer> toBuffers(Session &session, const std::string &entry,
                                     const std::vector<Input> &inputs) {
  std::vector<MlirType> elementTypes = getArgumentElementTypes(session, entry);
  if (inputs.size() != elementTypes.size())
    throw MLIRError("@" + entry + " takes " +
                    std::to_string(elementTypes.size()) + " arguments, " +
                    std::to_string(inputs.size()) + " given");
  std::vector<Fp8HostBuffer> buffers;
  for (size_t index = 0; index < inputs.size(); ++index) {
    checkInput(index, inputs[index], elementTypes[index]);
    buffers.push_back({elementTypes[index], intptr_t(inputs[index].shape.size()),
                       inputs[index].shape.data(), inputs[index].data.data()});
  }
  return buffers;
}

/// Runs @entry on `inputs` through the CPU pipeline. Called without the GIL.
std::vector<Output> runReleased(const std::string &ir, const std::string &entry,
                                const std::vector<Input> &inputs) {
  Session session;
  session.parse(ir);
  std::vector<Fp8HostBuffer> buffers = toBuffers(session, entry, inputs);
  // Destroyed on every way out, an exception copying a result included.
  std::unique_ptr<Fp8Results, void (*)(Fp8ResultsRef)> owned(
      fp8RunFunction(session.module, toRef(entry), intptr_t(buffers.size()),
                     buffers.data()),
      fp8ResultsDestroy);
  Fp8ResultsRef results = owned.get();
  if (!results)
    session.fail("cannot run @" + entry);
  std::vector<Output> outputs;
  for (intptr_t i = 0, e = fp8ResultsGetNum(results); i < e; ++i) {
    Fp8HostBuffer result = fp8ResultsGet(results, i);
    Output output{typeToString(result.elementType),
                  std::vector<int64_t>(result.shape,
                                       result.shape + result.rank),
                  {}};
    int64_t count = 1;
    for (int64_t dim : output.shape)
      count *= dim;
    auto *data = static_cast<const uint8_t *>(result.data);
    output.data.assign(data,
                       data + count * fp8StorageBytes(result.elementType));
    outputs.push_back(std::move(output));
  }
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
    outputs = runReleased(ir, entry, copies);
  }
  std::vector<Buffer> results;
  for (const Output &output : outputs)
    results.emplace_back(output.elementType, output.shape,
                         nb::bytes(reinterpret_cast<const char *>(
                                       output.data.data()),
                                   output.data.size()));
  return results;
}

/// The numerics report (JSON, docs/report.md) of @entry of a quantized
/// program run on (shape, bytes) inputs; `pipeline` (none when empty, e.g.
/// the quantize pipeline) runs first, in the same context, so the report's
/// locations are those of `ir`.
std::string report(
    const std::string &ir, const std::string &entry,
    const std::vector<std::tuple<std::vector<int64_t>, nb::bytes>> &inputs,
    const std::string &pipeline) {
  std::vector<Input> copies;
  for (const auto &[shape, data] : inputs) {
    auto *bytes = static_cast<const uint8_t *>(data.data());
    copies.push_back({shape, std::vector<uint8_t>(bytes, bytes + data.size())});
  }
  nb::gil_scoped_release release;
  Session session;
  session.parse(ir);
  if (!pipeline.empty())
    session.runPipeline(pipeline);
  std::vector<Fp8HostBuffer> buffers = toBuffers(session, entry, copies);
  std::string json;
  if (mlirLogicalResultIsFailure(
          fp8ReportFunction(session.module, toRef(entry),
                            intptr_t(buffers.size()), buffers.data(), appendTo,
                            &json)))
    session.fail("cannot report on @" + entry);
  return json;
}

/// The argument element types of @entry, as MLIR prints them.
std::vector<std::string> argumentElementTypes(const std::string &ir,
                                              const std::string &entry) {
  nb::gil_scoped_release release;
  Session session;
  session.parse(ir);
  std::vector<std::string> names;
  for (MlirType type : getArgumentElementTypes(session, entry))
    names.push_back(typeToString(type));
  return names;
}

std::vector<std::string> recipeNames() {
  std::vector<std::string> names;
  for (intptr_t i = 0, e = fp8RecipeGetNumNames(); i < e; ++i) {
    MlirStringRef name = fp8RecipeGetName(i);
    names.emplace_back(name.data, name.length);
  }
  return names;
}

/// (format, scaling kind, block rows, block cols, scale type, margin, pow2)
/// of how `recipe` quantizes `operand` (0: A, 1: B) with `role`.
using Quantization = std::tuple<std::string, std::string, int64_t, int64_t,
                                std::string, int64_t, bool>;

Quantization recipeOperand(const std::string &recipe, int role, int operand) {
  if (role < Fp8RoleActivation || role > Fp8RoleGradient)
    throw std::invalid_argument("role must be 0, 1 or 2");
  if (operand != Fp8MatmulOperandA && operand != Fp8MatmulOperandB)
    throw std::invalid_argument("operand must be 0 (A) or 1 (B)");
  nb::gil_scoped_release release;
  Session session;
  Fp8OperandQuantization q;
  if (mlirLogicalResultIsFailure(fp8RecipeGetOperandQuantization(
          session.context, toRef(recipe), static_cast<Fp8Role>(role),
          static_cast<Fp8MatmulOperand>(operand), &q)))
    session.fail("invalid recipe '" + recipe + "'");
  static const char *kinds[] = {"tensor", "rowwise", "block"};
  return {typeToString(q.format), kinds[q.scaling], q.blockRows, q.blockCols,
          typeToString(q.scaleElementType), q.margin, q.pow2};
}

} // namespace

NB_MODULE(_fp8_mlir, m) {
  m.doc() = "fp8-mlir native extension (use the fp8_mlir package)";
  // Registered once here, with the GIL held: the pass registry is not safe
  // to fill from several threads at once.
  fp8RegisterAllPasses();
  nb::exception<MLIRError>(m, "MLIRError", PyExc_RuntimeError);
  m.def("compile", &compile, nb::arg("ir"), nb::arg("pipeline"),
        "Run a pass pipeline on IR text; returns the printed module.");
  m.def("kernels", &kernels, nb::arg("ir"), nb::arg("pipeline"),
        "Run a pass pipeline (none when empty) on IR text; returns\n"
        "([(module, is_assembly, code bytes)], manifest JSON).");
  m.def("run", &run, nb::arg("ir"), nb::arg("entry"), nb::arg("inputs"),
        "Run @entry on (shape, bytes) inputs through --fp8-cpu-pipeline;\n"
        "raises ValueError for a shape that does not describe its bytes.");
  m.def("report", &report, nb::arg("ir"), nb::arg("entry"), nb::arg("inputs"),
        nb::arg("pipeline") = "",
        "The numerics report (JSON text, docs/report.md) of @entry of a\n"
        "quantized program (after `pipeline`, when not empty) run on\n"
        "(shape, bytes) inputs.");
  m.def("argument_element_types", &argumentElementTypes, nb::arg("ir"),
        nb::arg("entry"));
  m.def("recipe_names", &recipeNames, "The recipe names recipe= accepts.");
  m.def("recipe_operand", &recipeOperand, nb::arg("recipe"), nb::arg("role"),
        nb::arg("operand"),
        "(format, scaling kind, block rows, block cols, scale type, margin,\n"
        "pow2) of how `recipe` quantizes matmul operand `operand` (0: A,\n"
        "1: B) with `role` (0: activation, 1: weight, 2: gradient).");
}
