//===- fp8-run.cpp - Run an fp8/linalg tensor function on .npy inputs -----===//
//
// Part of fp8-mlir.
//
//   fp8-run FILE.mlir --entry NAME --input a.npy [--input b.npy ...]
//           --output-dir DIR [--time] [--repeat N] [-O 0|1|2|3]
//   fp8-run QUANTIZED.mlir --entry NAME --input ... --report OUT.json
//           [--output-dir DIR]
//
// compiles FILE with --fp8-cpu-pipeline in-process, binds the inputs to the
// arguments of @NAME in order, runs it and writes result i to
// DIR/result<i>.npy. Element encodings, for inputs and outputs alike:
// FP8/FP6/FP4/E8M0 as uint8 bit patterns (FP6/FP4 in the low bits), bf16 as
// uint16 bit patterns, f16/f32/f64 and integers as their numpy dtypes.
//
// With --report, FILE must be a quantized program (the output of
// --fp8-quantize-pipeline); fp8-run instruments it (fp8-instrument-report),
// runs it and writes the numerics report (docs/report.md) as JSON.
//
//===----------------------------------------------------------------------===//

#include "Npy.h"
#include "fp8/InitAllFP8.h"
#include "fp8/Runner/CPURunner.h"
#include "fp8/Runner/Report.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<input .mlir file>"));
static cl::opt<std::string> entryName("entry", cl::Required,
                                      cl::desc("function to run"));
static cl::list<std::string> inputArrays("input",
                                         cl::desc("a .npy file per argument, "
                                                  "in order"));
static cl::opt<std::string> outputDir("output-dir", cl::init(""),
                                      cl::desc("directory for result<i>.npy"));
static cl::opt<std::string>
    reportFile("report", cl::init(""),
               cl::desc("write the numerics report of a quantized program "
                        "to this JSON file (docs/report.md)"));
static cl::opt<bool> printTime("time",
                               cl::desc("print compile and run times"));
static cl::opt<unsigned> repeat("repeat", cl::init(1),
                                cl::desc("run the function N times (timing)"));
static cl::opt<unsigned> optLevel("O", cl::init(3),
                                  cl::desc("LLVM optimization level"));
static cl::opt<std::string>
    targetCPU("mcpu", cl::init(""),
              cl::desc("CPU to generate code for, with its baseline features "
                       "only (e.g. x86-64); default: the host CPU"));

static cl::opt<std::string>
    fp4Layout("fp4", cl::init("unpacked"),
              cl::desc("f4E2M1FN arguments and results: 'unpacked' (one "
                       "value per byte) or 'packed' (two per byte along the "
                       "last dim, element 2i in the low nibble: torchao's "
                       "pack_uint4, docs/run-arguments.md)"));

/// The .npy dtype that holds elements of `type` (see the file comment), or
/// "" when there is none.
static std::string dtypeFor(Type type) {
  if (type.isF64())
    return "<f8";
  if (type.isF32())
    return "<f4";
  if (type.isF16())
    return "<f2";
  if (type.isBF16())
    return "<u2";
  if (auto floatType = dyn_cast<FloatType>(type))
    return floatType.getWidth() <= 8 ? "|u1" : "";
  if (isa<IndexType>(type))
    return "<i8";
  if (auto intType = dyn_cast<IntegerType>(type)) {
    unsigned width = intType.getWidth();
    if (width == 1)
      return "|b1";
    if (width != 8 && width != 16 && width != 32 && width != 64)
      return "";
    std::string kind = intType.isUnsigned() ? "u" : "i";
    return (width == 8 ? "|" : "<") + kind + std::to_string(width / 8);
  }
  return "";
}

/// Byte order does not matter for one-byte dtypes; '=' is the (little-endian)
/// host order.
static std::string normalizeDtype(std::string dtype) {
  if (dtype.size() == 3 && dtype[2] == '1')
    dtype[0] = '|';
  if (!dtype.empty() && dtype[0] == '=')
    dtype[0] = '<';
  return dtype;
}

static int fail(const llvm::Twine &message) {
  llvm::errs() << "fp8-run: error: " << message << "\n";
  return 1;
}

/// Checks the values of the options the command line parser accepts but
/// fp8-run cannot use; returns the error message, or "" when all are fine.
static std::string checkOptions() {
  if (entryName.empty())
    return "--entry must name the function to run";
  if (outputDir.empty() && reportFile.empty())
    return "--output-dir must name a directory (or --report a file)";
  if (optLevel > 3)
    return "-O must be 0, 1, 2 or 3 (the LLVM optimization level), got " +
           std::to_string(optLevel);
  if (repeat == 0)
    return "--repeat must be at least 1 (the number of calls), got 0";
  if (fp4Layout != "packed" && fp4Layout != "unpacked")
    return "--fp4 must be 'packed' or 'unpacked', got '" + fp4Layout + "'";
  return "";
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "fp8-mlir CPU runner\n");
  std::string badOption = checkOptions();
  if (!badOption.empty())
    return fail(badOption);

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  fp8::registerFP8Dialect(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);

  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  std::string errorMessage;
  auto file = openInputFile(inputFile, &errorMessage);
  if (!file)
    return fail(errorMessage);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  // Read the inputs before compiling so bad files fail fast.
  std::vector<fp8run::NpyArray> arrays;
  for (const std::string &path : inputArrays) {
    auto array = fp8run::readNpy(path);
    if (!array)
      return fail(llvm::toString(array.takeError()));
    arrays.push_back(std::move(*array));
  }

  auto start = std::chrono::steady_clock::now();
  std::optional<fp8::ReportManifest> manifest;
  if (!reportFile.empty()) {
    auto instrumented = fp8::instrumentForReport(*module, entryName);
    if (failed(instrumented))
      return 1;
    manifest = std::move(*instrumented);
  }
  auto function = fp8::CPUFunction::compile(*module, entryName, optLevel,
                                            targetCPU);
  if (failed(function))
    return 1;
  auto compiled = std::chrono::steady_clock::now();

  ArrayRef<Type> argumentTypes = (*function)->getArgumentTypes();
  if (arrays.size() != argumentTypes.size())
    return fail("@" + entryName + " takes " +
                llvm::Twine(argumentTypes.size()) + " arguments, " +
                llvm::Twine(arrays.size()) + " --input files given");
  std::vector<fp8::HostTensor> inputs;
  for (auto [index, array, type] : llvm::enumerate(arrays, argumentTypes)) {
    auto tensorType = dyn_cast<RankedTensorType>(type);
    Type elementType = tensorType ? tensorType.getElementType() : type;
    std::string expected = dtypeFor(elementType);
    std::string typeText;
    llvm::raw_string_ostream(typeText) << type;
    if (normalizeDtype(array.dtype) != expected)
      return fail(inputArrays[index] + ": argument " + llvm::Twine(index) +
                  " is " + typeText + ", which takes dtype '" + expected +
                  "' data; the file holds '" + array.dtype + "'");
    fp8::HostTensor input;
    input.elementType = elementType;
    input.shape = array.shape;
    input.data = std::move(array.data);
    if (fp4Layout == "packed" && isa<Float4E2M1FNType>(elementType)) {
      // The file holds [..., K / 2] bytes for an argument of [..., K].
      ArrayRef<int64_t> shape =
          tensorType ? tensorType.getShape() : ArrayRef<int64_t>();
      if (shape.empty() || array.shape.size() != shape.size() ||
          array.shape.back() * 2 != shape.back())
        return fail(inputArrays[index] + ": argument " + llvm::Twine(index) +
                    " is " + typeText +
                    "; packed FP4 data (--fp4=packed) has half its last "
                    "dimension in bytes");
      input.shape = array.shape;
      (void)fp8::unpackFP4(input);
    }
    inputs.push_back(std::move(input));
  }

  // Every call gets its own copy of the inputs (CPUFunction::run), so
  // repeated calls compute the same results.
  FailureOr<std::vector<fp8::HostTensor>> outputs;
  std::chrono::steady_clock::duration runTime{};
  for (unsigned iteration = 0; iteration < repeat; ++iteration) {
    auto callStart = std::chrono::steady_clock::now();
    outputs = (*function)->run(inputs);
    runTime += std::chrono::steady_clock::now() - callStart;
    if (failed(outputs))
      return 1;
  }

  if (manifest) {
    std::string report = fp8::buildReport(*manifest, *outputs);
    std::error_code ec;
    llvm::raw_fd_ostream os(reportFile, ec);
    if (ec)
      return fail("cannot write " + reportFile + ": " + ec.message());
    os << report << "\n";
    outputs->resize(manifest->numResults);
  }

  if (!outputDir.empty())
    if (std::error_code ec = llvm::sys::fs::create_directories(outputDir))
      return fail("cannot create " + outputDir + ": " + ec.message());
  for (auto [index, output] : llvm::enumerate(*outputs)) {
    if (outputDir.empty())
      break;
    if (fp4Layout == "packed" && isa<Float4E2M1FNType>(output.elementType) &&
        failed(fp8::packFP4(output)))
      return fail("result " + llvm::Twine(index) +
                  " is FP4 with an odd (or no) last dimension; it cannot "
                  "be packed two values per byte");
    fp8run::NpyArray array;
    array.dtype = dtypeFor(output.elementType);
    array.shape = output.shape;
    array.data = std::move(output.data);
    llvm::SmallString<128> path(outputDir);
    llvm::sys::path::append(path, "result" + std::to_string(index) + ".npy");
    if (llvm::Error error = fp8run::writeNpy(path, array))
      return fail(llvm::toString(std::move(error)));
  }

  if (printTime) {
    std::chrono::duration<double> compileTime = compiled - start;
    std::chrono::duration<double> runSeconds = runTime;
    llvm::errs() << llvm::format("fp8-run: compile %.3f s, run %.6f s per "
                                 "call (%u calls)\n",
                                 compileTime.count(),
                                 runSeconds.count() / repeat,
                                 unsigned(repeat));
  }
  return 0;
}
