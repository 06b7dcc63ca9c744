//===- CPURunner.cpp - Run tensor functions on the host -------------------===//
//
// Part of fp8-mlir.
//
// The entry function gets `llvm.emit_c_interface`, so after lowering it is
// called as `_mlir_ciface_<entry>(results*, args...)`: each ranked memref
// argument is passed as a pointer to its descriptor
// `{allocated, aligned, offset, sizes[rank], strides[rank]}`, scalars by
// value, and all (memref) results come back through one pointer to their
// descriptors laid out one after the other.
//
//===----------------------------------------------------------------------===//

#include "fp8/Runner/CPURunner.h"
#include "fp8/Dialect/FP8/Transforms/Pipelines.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

using namespace mlir;
using namespace mlir::fp8;

//===----------------------------------------------------------------------===//
// Failed runtime checks
//===----------------------------------------------------------------------===//
//
// The pipeline's runtime verification (e.g. of dynamic sizes that must agree)
// lowers a failed check to `puts(message); abort();`. The JIT-compiled code
// resolves those two symbols to the functions below: while a call is running
// they record the message and jump back into CPUFunction::run, which reports
// it as a diagnostic; the process is not aborted. Only JIT frames (no C++
// destructors) lie between the setjmp and the longjmp.

static thread_local std::jmp_buf *activeCall = nullptr;
static thread_local std::string *checkMessage = nullptr;

extern "C" int fp8RunnerPuts(const char *text) {
  if (!checkMessage)
    return std::puts(text);
  *checkMessage += text;
  *checkMessage += "\n";
  return 0;
}

extern "C" void fp8RunnerAbort() {
  if (activeCall)
    std::longjmp(*activeCall, 1);
  std::abort();
}

/// Calls a packed JIT function, turning a failed runtime check into a
/// message (returned) instead of a process abort.
static std::optional<std::string> callCatchingChecks(void (*function)(void **),
                                                     void **arguments) {
  std::string message;
  std::jmp_buf checkpoint;
  activeCall = &checkpoint;
  checkMessage = &message;
  bool failedCheck = setjmp(checkpoint) != 0;
  if (!failedCheck)
    function(arguments);
  activeCall = nullptr;
  checkMessage = nullptr;
  if (failedCheck)
    return StringRef(message).trim().str();
  return std::nullopt;
}

int64_t HostTensor::getNumElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

LogicalResult fp8::packFP4(HostTensor &tensor) {
  if (!isa<Float4E2M1FNType>(tensor.elementType) || tensor.shape.empty() ||
      tensor.shape.back() % 2 != 0)
    return failure();
  std::vector<uint8_t> packed(tensor.data.size() / 2);
  for (size_t i = 0; i < packed.size(); ++i)
    packed[i] = static_cast<uint8_t>((tensor.data[2 * i] & 0xF) |
                                     ((tensor.data[2 * i + 1] & 0xF) << 4));
  tensor.data = std::move(packed);
  tensor.shape.back() /= 2;
  return success();
}

LogicalResult fp8::unpackFP4(HostTensor &tensor) {
  if (!isa<Float4E2M1FNType>(tensor.elementType) || tensor.shape.empty())
    return failure();
  std::vector<uint8_t> unpacked(tensor.data.size() * 2);
  for (size_t i = 0; i < tensor.data.size(); ++i) {
    unpacked[2 * i] = tensor.data[i] & 0xF;
    unpacked[2 * i + 1] = (tensor.data[i] >> 4) & 0xF;
  }
  tensor.data = std::move(unpacked);
  tensor.shape.back() *= 2;
  return success();
}

unsigned fp8::getStorageBytes(Type type) {
  if (isa<IndexType>(type))
    return 8;
  if (!type.isIntOrFloat())
    return 0;
  unsigned bits = type.getIntOrFloatBitWidth();
  if (bits > 64)
    return 0;
  return llvm::PowerOf2Ceil(std::max(1u, (bits + 7) / 8));
}

/// Formats a type for messages.
static std::string describe(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

/// The LLVM-level size of a ranked memref descriptor, in 8-byte words.
static size_t descriptorWords(int64_t rank) { return 3 + 2 * rank; }

/// The allocated pointer the lowering of `memref.get_global` puts in a
/// descriptor (the global is not heap memory).
static constexpr int64_t kGlobalAllocatedPointer = 0xdeadbeef;

/// Whether LLVM knows `cpu` as a CPU of `triple`'s target.
static bool isKnownCPU(const llvm::Triple &triple, StringRef cpu) {
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return false;
  std::unique_ptr<llvm::MCSubtargetInfo> info(
      target->createMCSubtargetInfo(triple, "", ""));
  return info && info->isCPUStringValid(cpu);
}

CPUFunction::~CPUFunction() = default;

void CPUFunction::freeResultBuffers(
    ArrayRef<int64_t> resultStorage,
    ArrayRef<std::vector<uint8_t>> arguments) const {
  // The function's results were allocated with `malloc` by the JIT code
  // (memref.alloc), unless a result is a global, or a view of an argument
  // (whose data is the caller's), or shares its buffer with another result.
  llvm::SmallPtrSet<const void *, 4> notOurs;
  for (const std::vector<uint8_t> &argument : arguments)
    notOurs.insert(argument.data());
  size_t offset = 0;
  for (Type type : resultTypes) {
    int64_t allocated = resultStorage[offset];
    offset += descriptorWords(cast<RankedTensorType>(type).getRank());
    auto *pointer = reinterpret_cast<void *>(allocated);
    if (!pointer || allocated == kGlobalAllocatedPointer ||
        !notOurs.insert(pointer).second)
      continue;
    std::free(pointer);
  }
}

FailureOr<std::unique_ptr<CPUFunction>>
CPUFunction::compile(ModuleOp module, StringRef entry, unsigned optLevel,
                     StringRef cpu) {
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  if (!func || func.isExternal()) {
    InFlightDiagnostic diag = emitError(module.getLoc())
                              << "no function named '" << entry
                              << "' with a body in the module";
    SmallVector<StringRef> names;
    for (auto candidate : module.getOps<func::FuncOp>())
      if (!candidate.isExternal())
        names.push_back(candidate.getSymName());
    if (!names.empty())
      diag << "; available: " << llvm::join(names, ", ");
    return failure();
  }

  std::unique_ptr<CPUFunction> result(new CPUFunction());
  result->entry = entry.str();
  result->loc = func.getLoc();
  for (Type type : func.getArgumentTypes()) {
    auto tensorType = dyn_cast<RankedTensorType>(type);
    Type elementType = tensorType ? tensorType.getElementType() : type;
    if (isa<TensorType>(type) && !tensorType)
      return func.emitError() << "argument of unranked type " << type
                              << " cannot be passed from the host";
    if (!getStorageBytes(elementType))
      return func.emitError() << "argument type " << type
                              << " cannot be passed from the host";
    result->argumentTypes.push_back(type);
  }
  for (Type type : func.getResultTypes()) {
    auto tensorType = dyn_cast<RankedTensorType>(type);
    if (!tensorType || !getStorageBytes(tensorType.getElementType()))
      return func.emitError()
             << "result type " << type
             << " cannot be returned to the host; return ranked tensors";
    result->resultTypes.push_back(type);
  }

  // fp8 annotations (roles, recipes) have no meaning past quantization, and
  // LLVM translation warns about unknown argument attributes.
  for (unsigned index = 0; index < func.getNumArguments(); ++index) {
    SmallVector<StringAttr> names;
    DictionaryAttr attrs = func.getArgAttrDict(index);
    for (NamedAttribute attr : attrs ? attrs.getValue()
                                     : ArrayRef<NamedAttribute>())
      if (attr.getName().strref().starts_with("fp8."))
        names.push_back(attr.getName());
    for (StringAttr name : names)
      func.removeArgAttr(index, name);
  }

  MLIRContext *context = module.getContext();
  func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                UnitAttr::get(context));
  // The pipeline replaces `func` by an llvm.func: only `loc` stays valid.
  Location loc = func.getLoc();
  PassManager pm(context);
  buildFP8CPUPipeline(pm);
  if (failed(pm.run(module)))
    return failure();

  // Once per process: compile may run on several threads at a time (the
  // Python extension releases the GIL).
  static std::once_flag nativeTargetInitialized;
  std::call_once(nativeTargetInitialized, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  registerBuiltinDialectTranslation(*context);
  registerLLVMDialectTranslation(*context);

  // Optimize for the host CPU so loops vectorize with its full vector width,
  // or for the CPU asked for, with its baseline features only.
  auto machineBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!machineBuilder)
    return emitError(loc)
           << "cannot detect the host target: "
           << llvm::toString(machineBuilder.takeError());
  if (!cpu.empty()) {
    if (!isKnownCPU(machineBuilder->getTargetTriple(), cpu))
      return emitError(loc) << "unknown CPU '" << cpu << "' for target "
                            << machineBuilder->getTargetTriple().str();
    machineBuilder->setCPU(cpu.str());
    machineBuilder->setFeatures("");
  }
  auto machine = machineBuilder->createTargetMachine();
  if (!machine)
    return emitError(loc)
           << "cannot create a target machine for the host: "
           << llvm::toString(machine.takeError());
  auto transformer =
      makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, machine->get());
  ExecutionEngineOptions options;
  options.transformer = transformer;
  // No perf or GDB JIT listeners: the perf listener writes a jitdump file
  // per process under ~/.debug/jit that nothing ever removes.
  options.enableGDBNotificationListener = false;
  options.enablePerfNotificationListener = false;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine = ExecutionEngine::create(module, options, std::move(*machine));
  if (!engine)
    return emitError(loc)
           << "JIT compilation failed: " << llvm::toString(engine.takeError());
  result->engine = std::move(*engine);
  result->engine->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap symbols;
    symbols[interner("puts")] = {llvm::orc::ExecutorAddr::fromPtr(&fp8RunnerPuts),
                                 llvm::JITSymbolFlags::Exported};
    symbols[interner("abort")] = {
        llvm::orc::ExecutorAddr::fromPtr(&fp8RunnerAbort),
        llvm::JITSymbolFlags::Exported};
    return symbols;
  });
  result->engine->initialize();
  return result;
}

FailureOr<std::vector<HostTensor>>
CPUFunction::run(ArrayRef<HostTensor> inputs) {
  if (inputs.size() != argumentTypes.size())
    return emitError(*loc) << "@" << entry << " takes "
                           << argumentTypes.size() << " arguments, "
                           << inputs.size() << " given";

  // Descriptors (and scalars) of the arguments; `packed` points at each.
  std::vector<std::vector<int64_t>> argumentStorage(inputs.size());
  // The compiled function may write into its argument buffers (one-shot
  // bufferization updates arguments in place): it gets copies, so the
  // caller's data stays as it was and repeated calls see the same inputs.
  std::vector<std::vector<uint8_t>> argumentData(inputs.size());
  std::vector<void *> argumentPointers(inputs.size());
  for (auto [index, input, type] :
       llvm::enumerate(inputs, ArrayRef<Type>(argumentTypes))) {
    auto tensorType = dyn_cast<RankedTensorType>(type);
    Type elementType = tensorType ? tensorType.getElementType() : type;
    ArrayRef<int64_t> expectedShape =
        tensorType ? tensorType.getShape() : ArrayRef<int64_t>();
    if (input.elementType != elementType)
      return emitError(*loc) << "argument " << index << " of @" << entry
                             << " is " << type << ", given "
                             << describe(input.elementType) << " data";
    bool shapeMatches = input.shape.size() == expectedShape.size();
    for (size_t dim = 0; shapeMatches && dim < expectedShape.size(); ++dim)
      shapeMatches = ShapedType::isDynamic(expectedShape[dim]) ||
                     expectedShape[dim] == input.shape[dim];
    if (!shapeMatches) {
      InFlightDiagnostic diag = emitError(*loc)
                                << "argument " << index << " of @" << entry
                                << " is " << type << ", given data of shape [";
      llvm::interleaveComma(input.shape, diag);
      diag << "]";
      return failure();
    }
    unsigned bytes = getStorageBytes(elementType);
    if (input.data.size() != size_t(input.getNumElements()) * bytes)
      return emitError(*loc) << "argument " << index << " holds "
                             << input.data.size() << " bytes, expected "
                             << input.getNumElements() * bytes;

    std::vector<int64_t> &storage = argumentStorage[index];
    if (!tensorType) {
      storage.assign(1, 0);
      std::memcpy(storage.data(), input.data.data(), bytes);
      argumentPointers[index] = storage.data();
      continue;
    }
    int64_t rank = input.shape.size();
    storage.assign(descriptorWords(rank), 0);
    argumentData[index] = input.data;
    uint8_t *data = argumentData[index].data();
    storage[0] = reinterpret_cast<int64_t>(data);
    storage[1] = reinterpret_cast<int64_t>(data);
    storage[2] = 0;
    int64_t stride = 1;
    for (int64_t dim = rank - 1; dim >= 0; --dim) {
      storage[3 + dim] = input.shape[dim];
      storage[3 + rank + dim] = stride;
      stride *= input.shape[dim];
    }
    argumentPointers[index] = storage.data();
  }

  size_t resultWords = 0;
  for (Type type : resultTypes)
    resultWords += descriptorWords(cast<RankedTensorType>(type).getRank());
  std::vector<int64_t> resultStorage(std::max<size_t>(resultWords, 1), 0);
  void *resultPointer = resultStorage.data();

  // The packed interface takes a pointer to each C-interface argument.
  SmallVector<void *> packed;
  if (!resultTypes.empty())
    packed.push_back(&resultPointer);
  for (auto [index, type] : llvm::enumerate(argumentTypes)) {
    if (isa<RankedTensorType>(type))
      packed.push_back(&argumentPointers[index]);
    else
      packed.push_back(argumentPointers[index]);
  }
  auto function = engine->lookupPacked("_mlir_ciface_" + entry);
  if (!function)
    return emitError(*loc) << "call of @" << entry << " failed: "
                           << llvm::toString(function.takeError());
  if (std::optional<std::string> check =
          callCatchingChecks(*function, packed.data()))
    return emitError(*loc) << "a runtime check of @" << entry
                           << " failed: " << *check;

  // Copy each (possibly strided) result into a dense HostTensor.
  std::vector<HostTensor> outputs;
  size_t offset = 0;
  for (Type type : resultTypes) {
    auto tensorType = cast<RankedTensorType>(type);
    int64_t rank = tensorType.getRank();
    const int64_t *descriptor = resultStorage.data() + offset;
    offset += descriptorWords(rank);
    HostTensor output;
    output.elementType = tensorType.getElementType();
    output.shape.assign(descriptor + 3, descriptor + 3 + rank);
    unsigned bytes = getStorageBytes(output.elementType);
    int64_t count = output.getNumElements();
    output.data.resize(count * bytes);
    auto *base = reinterpret_cast<const uint8_t *>(descriptor[1]) +
                 descriptor[2] * bytes;
    for (int64_t linear = 0; linear < count; ++linear) {
      int64_t remaining = linear, elementOffset = 0;
      for (int64_t dim = rank - 1; dim >= 0; --dim) {
        int64_t size = output.shape[dim];
        elementOffset += (remaining % size) * descriptor[3 + rank + dim];
        remaining /= size;
      }
      std::memcpy(output.data.data() + linear * bytes,
                  base + elementOffset * bytes, bytes);
    }
    outputs.push_back(std::move(output));
  }
  freeResultBuffers(resultStorage, argumentData);
  return outputs;
}
