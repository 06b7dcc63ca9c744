//===- FP8CAPI.cpp - C API of fp8-mlir ------------------------------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8-c/FP8.h"
#include "fp8/Dialect/FP8/IR/FP8Dialect.h"
#include "fp8/Dialect/FP8/Transforms/Recipe.h"
#include "fp8/InitAllFP8.h"
#include "fp8/Runner/CPURunner.h"
#include "fp8/Runner/Report.h"
#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Support.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/Support/TargetSelect.h"

using namespace mlir;

void fp8RegisterDialect(MlirDialectRegistry registry) {
  fp8::registerFP8Dialect(*unwrap(registry));
}

void fp8RegisterAllDialects(MlirDialectRegistry registry) {
  DialectRegistry &cppRegistry = *unwrap(registry);
  registerAllDialects(cppRegistry);
  registerAllExtensions(cppRegistry);
  registerAllToLLVMIRTranslations(cppRegistry);
  fp8::registerFP8Dialect(cppRegistry);
}

void fp8RegisterAllPasses(void) {
  static bool registered = [] {
    registerAllPasses();
    fp8::registerFP8Passes();
    return true;
  }();
  (void)registered;
}

MlirModule fp8ParseModule(MlirContext context, MlirStringRef source,
                          MlirStringRef sourceName) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(
      unwrap(source), unwrap(context), unwrap(sourceName));
  return wrap(module.release());
}

void fp8ContextSetPrintOpOnDiagnostic(MlirContext context, bool enable) {
  unwrap(context)->printOpOnDiagnostic(enable);
}

MlirLogicalResult fp8RunPipeline(MlirModule module, MlirStringRef pipeline) {
  ModuleOp cppModule = unwrap(module);
  std::string text = unwrap(pipeline).trim().str();
  if (!StringRef(text).starts_with("builtin.module("))
    text = "builtin.module(" + text + ")";
  std::string error;
  llvm::raw_string_ostream errorStream(error);
  FailureOr<OpPassManager> parsed = parsePassPipeline(text, errorStream);
  if (failed(parsed)) {
    emitError(cppModule.getLoc()) << "invalid pass pipeline '" << text
                                  << "': " << error;
    return mlirLogicalResultFailure();
  }
  PassManager pm(cppModule.getContext());
  static_cast<OpPassManager &>(pm) = *parsed;
  return wrap(pm.run(cppModule));
}

/// The kernel objects of a GPU pipeline result, in order: (binary, object).
static SmallVector<std::pair<gpu::BinaryOp, gpu::ObjectAttr>>
getKernelObjects(MlirModule module) {
  SmallVector<std::pair<gpu::BinaryOp, gpu::ObjectAttr>> objects;
  unwrap(module).walk([&](gpu::BinaryOp binary) {
    for (Attribute object : binary.getObjects())
      if (auto objectAttr = dyn_cast<gpu::ObjectAttr>(object))
        objects.emplace_back(binary, objectAttr);
  });
  return objects;
}

intptr_t fp8GetNumKernels(MlirModule module) {
  return getKernelObjects(module).size();
}

MlirStringRef fp8GetKernelName(MlirModule module, intptr_t index) {
  return wrap(getKernelObjects(module)[index].first.getSymName());
}

MlirStringRef fp8GetKernelCode(MlirModule module, intptr_t index) {
  return wrap(getKernelObjects(module)[index].second.getObject().getValue());
}

bool fp8IsKernelAssembly(MlirModule module, intptr_t index) {
  return getKernelObjects(module)[index].second.getFormat() ==
         gpu::CompilationTarget::Assembly;
}

MlirStringRef fp8GetKernelManifest(MlirModule module) {
  auto manifest =
      unwrap(module)->getAttrOfType<StringAttr>("fp8.gpu_manifest");
  return wrap(manifest ? manifest.getValue() : StringRef());
}

intptr_t fp8RecipeGetNumNames(void) {
  return fp8::getMaxEnumValForRecipeKind() + 1;
}

MlirStringRef fp8RecipeGetName(intptr_t index) {
  return wrap(fp8::stringifyRecipeKind(*fp8::symbolizeRecipeKind(index)));
}

static_assert(int(Fp8RoleGradient) == int(fp8::Role::gradient) &&
                  int(Fp8ScalingBlock) == int(fp8::ScalingKind::block),
              "the C enums mirror the fp8 dialect's");

MlirLogicalResult
fp8RecipeGetOperandQuantization(MlirContext context, MlirStringRef recipe,
                                Fp8Role role, Fp8MatmulOperand operand,
                                Fp8OperandQuantization *result) {
  MLIRContext *cppContext = unwrap(context);
  cppContext->getOrLoadDialect<fp8::FP8Dialect>();
  FailureOr<fp8::RecipeAttr> attr = fp8::parseRecipeString(
      cppContext, unwrap(recipe),
      [&] { return emitError(UnknownLoc::get(cppContext)); });
  if (failed(attr))
    return mlirLogicalResultFailure();
  fp8::OperandQuantization quantization =
      fp8::ResolvedRecipe(*attr).getOperandQuantization(
          static_cast<fp8::Role>(role),
          operand == Fp8MatmulOperandA ? fp8::MatmulOperand::A
                                       : fp8::MatmulOperand::B);
  fp8::ScalingAttr scaling = quantization.scaling;
  ArrayRef<int64_t> block = scaling.isBlock() ? scaling.getBlock()
                                              : ArrayRef<int64_t>();
  *result = {wrap(quantization.format),
             static_cast<Fp8ScalingKind>(scaling.getKind()),
             block.empty() ? 0 : block[0],
             block.empty() ? 0 : block[1],
             wrap(quantization.scaleElementType),
             quantization.margin,
             quantization.pow2};
  return mlirLogicalResultSuccess();
}

unsigned fp8StorageBytes(MlirType type) {
  return fp8::getStorageBytes(unwrap(type));
}

/// What an Fp8ResultsRef points to.
struct Fp8Results {
  std::vector<fp8::HostTensor> tensors;
};

/// Registers the host target for the JIT, once. LLVM's target registry is
/// not safe to fill from several threads at once (CPUFunction::compile's
/// own calls then find it registered).
static void initializeNativeTarget() {
  static const bool nativeTargetReady = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)nativeTargetReady;
}

/// Copies C host buffers into HostTensors.
static std::vector<fp8::HostTensor> toHostTensors(intptr_t numInputs,
                                                  const Fp8HostBuffer *inputs) {
  std::vector<fp8::HostTensor> hostInputs;
  for (intptr_t index = 0; index < numInputs; ++index) {
    const Fp8HostBuffer &buffer = inputs[index];
    fp8::HostTensor tensor;
    tensor.elementType = unwrap(buffer.elementType);
    tensor.shape.assign(buffer.shape, buffer.shape + buffer.rank);
    size_t bytes = size_t(tensor.getNumElements()) *
                   fp8::getStorageBytes(tensor.elementType);
    auto *data = static_cast<const uint8_t *>(buffer.data);
    tensor.data.assign(data, data + bytes);
    hostInputs.push_back(std::move(tensor));
  }
  return hostInputs;
}

Fp8ResultsRef fp8RunFunction(MlirModule module, MlirStringRef entry,
                             intptr_t numInputs, const Fp8HostBuffer *inputs) {
  initializeNativeTarget();
  auto function = fp8::CPUFunction::compile(unwrap(module), unwrap(entry));
  if (failed(function))
    return nullptr;
  auto outputs = (*function)->run(toHostTensors(numInputs, inputs));
  if (failed(outputs))
    return nullptr;
  return new Fp8Results{std::move(*outputs)};
}

intptr_t fp8ResultsGetNum(Fp8ResultsRef results) {
  return results->tensors.size();
}

Fp8HostBuffer fp8ResultsGet(Fp8ResultsRef results, intptr_t index) {
  const fp8::HostTensor &tensor = results->tensors[index];
  return {wrap(tensor.elementType), intptr_t(tensor.shape.size()),
          tensor.shape.data(), tensor.data.data()};
}

void fp8ResultsDestroy(Fp8ResultsRef results) { delete results; }

MlirLogicalResult fp8ResultsPackFP4(Fp8ResultsRef results) {
  for (const fp8::HostTensor &tensor : results->tensors)
    if (isa<Float4E2M1FNType>(tensor.elementType) &&
        (tensor.shape.empty() || tensor.shape.back() % 2 != 0))
      return mlirLogicalResultFailure();
  for (fp8::HostTensor &tensor : results->tensors)
    if (isa<Float4E2M1FNType>(tensor.elementType))
      (void)fp8::packFP4(tensor);
  return mlirLogicalResultSuccess();
}

void fp8UnpackFP4(const uint8_t *packed, intptr_t numBytes,
                  uint8_t *unpacked) {
  for (intptr_t i = 0; i < numBytes; ++i) {
    unpacked[2 * i] = packed[i] & 0xF;
    unpacked[2 * i + 1] = (packed[i] >> 4) & 0xF;
  }
}

MlirLogicalResult fp8ReportFunction(MlirModule module, MlirStringRef entry,
                                    intptr_t numInputs,
                                    const Fp8HostBuffer *inputs,
                                    MlirStringCallback callback,
                                    void *userData) {
  initializeNativeTarget();
  FailureOr<fp8::ReportRun> run = fp8::runReport(
      unwrap(module), unwrap(entry), toHostTensors(numInputs, inputs));
  if (failed(run))
    return mlirLogicalResultFailure();
  callback(wrap(StringRef(run->json)), userData);
  return mlirLogicalResultSuccess();
}
