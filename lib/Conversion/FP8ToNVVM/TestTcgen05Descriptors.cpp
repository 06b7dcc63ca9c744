//===- TestTcgen05Descriptors.cpp - Lit access to the tcgen05 descriptors -===//
//
// Part of fp8-mlir. The test-only pass `test-fp8-tcgen05-descriptors` (see
// Passes.td): turns attribute dictionaries into the descriptors the
// Tcgen05Descriptors builders produce, so lit tests can pin every field.
//
//===----------------------------------------------------------------------===//

#include "fp8/Conversion/Passes.h"

#include "Tcgen05Descriptors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"

namespace mlir::fp8 {
#define GEN_PASS_DEF_TESTTCGEN05DESCRIPTORS
#include "fp8/Conversion/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

static constexpr StringLiteral kInstrAttr = "fp8.test.tcgen05_instr_desc";
static constexpr StringLiteral kSmemAttr = "fp8.test.tcgen05_smem_desc";

namespace {

/// Reads typed entries of a descriptor dictionary; remembers the first
/// problem.
class FieldReader {
public:
  FieldReader(func::FuncOp func, DictionaryAttr fields)
      : func(func), fields(fields) {}

  void integer(StringRef key, int64_t &value) {
    if (Attribute attr = take(key)) {
      if (auto integer = dyn_cast<IntegerAttr>(attr))
        value = integer.getInt();
      else
        fail(key, "an integer");
    }
  }
  void integer(StringRef key, uint32_t &value) {
    int64_t wide = value;
    integer(key, wide);
    value = static_cast<uint32_t>(wide);
  }
  void flag(StringRef key, bool &value) {
    if (Attribute attr = take(key)) {
      if (auto boolean = dyn_cast<BoolAttr>(attr))
        value = boolean.getValue();
      else if (isa<UnitAttr>(attr))
        value = true;
      else
        fail(key, "a bool");
    }
  }
  std::optional<StringRef> string(StringRef key) {
    Attribute attr = take(key);
    if (!attr)
      return std::nullopt;
    if (auto text = dyn_cast<StringAttr>(attr))
      return text.getValue();
    fail(key, "a string");
    return std::nullopt;
  }
  std::optional<Type> type(StringRef key) {
    Attribute attr = take(key);
    if (!attr)
      return std::nullopt;
    if (auto type = dyn_cast<TypeAttr>(attr))
      return type.getValue();
    fail(key, "a type");
    return std::nullopt;
  }
  void fail(StringRef key, const Twine &expected) {
    if (!error)
      error = ("'" + key + "' must be " + expected).str();
  }
  /// Fails on keys nobody asked for (typos would otherwise test nothing).
  LogicalResult finish() {
    for (NamedAttribute entry : fields)
      if (!used.contains(entry.getName().getValue()))
        fail(entry.getName().getValue(), "a known descriptor field");
    if (!error)
      return success();
    return func.emitError("invalid descriptor fields: ") << *error;
  }

private:
  Attribute take(StringRef key) {
    used.insert(key);
    return fields.get(key);
  }

  func::FuncOp func;
  DictionaryAttr fields;
  llvm::StringSet<> used;
  std::optional<std::string> error;
};

struct TestTcgen05DescriptorsPass
    : public fp8::impl::TestTcgen05DescriptorsBase<
          TestTcgen05DescriptorsPass> {
  void runOnOperation() override;
};

} // namespace

/// The instruction descriptor whose fields `fields` sets (the others keep
/// their defaults). Reports at `func` and fails on a malformed or unknown
/// field, or a descriptor that does not verify.
static FailureOr<Tcgen05InstrDescriptor>
readInstrDescriptor(func::FuncOp func, DictionaryAttr fields) {
  FieldReader read(func, fields);
  Tcgen05InstrDescriptor descriptor;
  if (std::optional<StringRef> kind = read.string("kind")) {
    if (*kind == "mxf8f6f4")
      descriptor.kind = Tcgen05MmaKind::MXF8F6F4;
    else if (*kind == "mxf4nvf4")
      descriptor.kind = Tcgen05MmaKind::MXF4NVF4;
    else if (*kind == "mxf4")
      descriptor.kind = Tcgen05MmaKind::MXF4;
    else if (*kind != "f8f6f4")
      read.fail("kind",
                "\"f8f6f4\", \"mxf8f6f4\", \"mxf4\" or \"mxf4nvf4\"");
  }
  for (auto [key, format] : {std::pair<StringRef, Tcgen05ElementFormat *>{
                                 "a", &descriptor.aFormat},
                             {"b", &descriptor.bFormat}}) {
    if (std::optional<Type> type = read.type(key)) {
      if (auto code = getTcgen05ElementFormat(*type))
        *format = *code;
      else
        read.fail(key, "an FP8, FP6 or FP4 type");
    }
  }
  read.integer("m", descriptor.m);
  read.integer("n", descriptor.n);
  if (std::optional<StringRef> acc = read.string("accumulator")) {
    if (*acc == "f16")
      descriptor.accumulator = Tcgen05AccumulatorFormat::F16;
    else if (*acc != "f32")
      read.fail("accumulator", "\"f32\" or \"f16\"");
  }
  read.flag("sparse", descriptor.sparse);
  read.integer("sparsity_selector", descriptor.sparsitySelector);
  read.flag("negate_a", descriptor.negateA);
  read.flag("negate_b", descriptor.negateB);
  read.flag("transpose_a", descriptor.transposeA);
  read.flag("transpose_b", descriptor.transposeB);
  read.integer("sfa_id", descriptor.scaleFactorAId);
  read.integer("sfb_id", descriptor.scaleFactorBId);
  read.integer("max_shift", descriptor.maxShift);
  if (failed(read.finish()))
    return failure();
  if (std::optional<std::string> error = descriptor.verify())
    return func.emitError("invalid tcgen05 instruction descriptor: ")
           << *error;
  return descriptor;
}

/// The shared memory descriptor whose fields `fields` sets, with the start
/// address of its `address` field (0 if absent). Fails as
/// readInstrDescriptor does.
static FailureOr<std::pair<Tcgen05SmemDescriptor, int64_t>>
readSmemDescriptor(func::FuncOp func, DictionaryAttr fields) {
  FieldReader read(func, fields);
  Tcgen05SmemDescriptor descriptor = Tcgen05SmemDescriptor::kMajorSwizzle128B();
  if (std::optional<StringRef> layout = read.string("layout")) {
    if (*layout == "scale_factor_rows")
      descriptor = Tcgen05SmemDescriptor::scaleFactorRows();
    else if (*layout != "k_major_sw128")
      read.fail("layout", "\"k_major_sw128\" or \"scale_factor_rows\"");
  }
  int64_t address = 0;
  read.integer("address", address);
  read.integer("lbo", descriptor.leadingByteOffset);
  read.integer("sbo", descriptor.strideByteOffset);
  read.integer("base_offset", descriptor.baseOffset);
  read.flag("absolute", descriptor.leadingAbsolute);
  if (std::optional<StringRef> swizzle = read.string("swizzle")) {
    std::optional<Tcgen05Swizzle> mode =
        llvm::StringSwitch<std::optional<Tcgen05Swizzle>>(*swizzle)
            .Case("none", Tcgen05Swizzle::None)
            .Case("128b_atom32b", Tcgen05Swizzle::Swizzle128BAtom32B)
            .Case("128b", Tcgen05Swizzle::Swizzle128B)
            .Case("64b", Tcgen05Swizzle::Swizzle64B)
            .Case("32b", Tcgen05Swizzle::Swizzle32B)
            .Default(std::nullopt);
    if (mode)
      descriptor.swizzle = *mode;
    else
      read.fail("swizzle", "none, 128b_atom32b, 128b, 64b or 32b");
  }
  if (failed(read.finish()))
    return failure();
  if (std::optional<std::string> error = descriptor.verify())
    return func.emitError("invalid tcgen05 shared memory descriptor: ")
           << *error;
  return std::make_pair(descriptor, address);
}

/// Gives the declaration `func` a body returning `build(b)`.
static LogicalResult
defineReturning(func::FuncOp func, Type type,
                function_ref<Value(ImplicitLocOpBuilder &)> build) {
  FunctionType functionType = func.getFunctionType();
  if (!func.isExternal() || functionType.getNumInputs() != 0 ||
      functionType.getNumResults() != 1 || functionType.getResult(0) != type)
    return func.emitError("must be a declaration without arguments returning ")
           << type;
  Block *body = func.addEntryBlock();
  ImplicitLocOpBuilder b(func.getLoc(), OpBuilder::atBlockBegin(body));
  b.create<func::ReturnOp>(build(b));
  return success();
}

void TestTcgen05DescriptorsPass::runOnOperation() {
  bool failedAny = false;
  getOperation().walk([&](func::FuncOp func) {
    if (auto fields = func->getAttrOfType<DictionaryAttr>(kInstrAttr)) {
      FailureOr<Tcgen05InstrDescriptor> descriptor =
          readInstrDescriptor(func, fields);
      if (failed(descriptor) ||
          failed(defineReturning(func, IntegerType::get(func.getContext(), 32),
                                 [&](ImplicitLocOpBuilder &b) {
                                   return buildInstrDescriptor(b, *descriptor);
                                 })))
        failedAny = true;
    }
    if (auto fields = func->getAttrOfType<DictionaryAttr>(kSmemAttr)) {
      auto descriptor = readSmemDescriptor(func, fields);
      if (failed(descriptor) ||
          failed(defineReturning(
              func, IntegerType::get(func.getContext(), 64),
              [&](ImplicitLocOpBuilder &b) -> Value {
                Value address = b.create<arith::ConstantIntOp>(
                    b.getI64Type(), descriptor->second);
                return buildSmemDescriptor(b, address, descriptor->first);
              })))
        failedAny = true;
    }
  });
  if (failedAny)
    signalPassFailure();
}
