//===- TestWgmmaDescriptors.cpp - Lit access to the wgmma descriptors -----===//
//
// Part of fp8-mlir. The test-only pass `test-fp8-wgmma-descriptors` (see
// Passes.td): turns attribute dictionaries into the descriptors the
// WgmmaDescriptors builders produce, so lit tests can pin every field.
//
//===----------------------------------------------------------------------===//

#include "fp8/Conversion/Passes.h"

#include "WgmmaDescriptors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"

namespace mlir::fp8 {
#define GEN_PASS_DEF_TESTWGMMADESCRIPTORS
#include "fp8/Conversion/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

static constexpr StringLiteral kSmemAttr = "fp8.test.wgmma_smem_desc";
static constexpr StringLiteral kEncodedAttr =
    "fp8.test.wgmma_smem_desc_encoded";

namespace {

/// A descriptor to build and where: the runtime builder gets `address`,
/// then the descriptor is moved by `advance` bytes.
struct TestCase {
  WgmmaSmemDescriptor descriptor = WgmmaSmemDescriptor::kMajorSwizzle128B();
  int64_t address = 0;
  int64_t advance = 0;
};

/// Reads the entries of a descriptor dictionary; remembers the first
/// problem.
class FieldReader {
public:
  explicit FieldReader(DictionaryAttr fields) : fields(fields) {}

  /// The entry `key`, or null when absent.
  Attribute take(StringRef key) {
    used.insert(key);
    return fields.get(key);
  }
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
  void fail(StringRef key, const Twine &expected) {
    if (!error)
      error = ("'" + key + "' must be " + expected).str();
  }
  /// Fails on keys nobody asked for (typos would otherwise test nothing).
  LogicalResult finish(func::FuncOp func) {
    for (NamedAttribute entry : fields)
      if (!used.contains(entry.getName().getValue()))
        fail(entry.getName().getValue(), "a known descriptor field");
    if (!error)
      return success();
    return func.emitError("invalid descriptor fields: ") << *error;
  }

private:
  DictionaryAttr fields;
  llvm::StringSet<> used;
  std::optional<std::string> error;
};

struct TestWgmmaDescriptorsPass
    : public fp8::impl::TestWgmmaDescriptorsBase<TestWgmmaDescriptorsPass> {
  void runOnOperation() override;
};

} // namespace

/// The swizzle mode `attr` names ("none", "128b", "64b", "32b"), or holds
/// as its raw 2-bit code (an integer, so that verify() sees bad codes).
static std::optional<WgmmaSwizzle> readSwizzle(Attribute attr) {
  if (auto code = dyn_cast<IntegerAttr>(attr))
    return static_cast<WgmmaSwizzle>(code.getValue().getZExtValue());
  auto name = dyn_cast<StringAttr>(attr);
  if (!name)
    return std::nullopt;
  return llvm::StringSwitch<std::optional<WgmmaSwizzle>>(name.getValue())
      .Case("none", WgmmaSwizzle::None)
      .Case("128b", WgmmaSwizzle::Swizzle128B)
      .Case("64b", WgmmaSwizzle::Swizzle64B)
      .Case("32b", WgmmaSwizzle::Swizzle32B)
      .Default(std::nullopt);
}

/// The test case whose fields `fields` sets (the others keep the defaults
/// of the K-major 128-byte swizzle). Reports at `func` and fails on a
/// malformed or unknown field, or a descriptor that does not verify.
static FailureOr<TestCase> readTestCase(func::FuncOp func,
                                        DictionaryAttr fields) {
  FieldReader read(fields);
  TestCase test;
  if (Attribute layout = read.take("layout")) {
    auto name = dyn_cast<StringAttr>(layout);
    if (!name || name.getValue() != "k_major_sw128")
      read.fail("layout", "\"k_major_sw128\"");
  }
  read.integer("address", test.address);
  read.integer("advance", test.advance);
  read.integer("lbo", test.descriptor.leadingByteOffset);
  read.integer("sbo", test.descriptor.strideByteOffset);
  read.integer("base_offset", test.descriptor.baseOffset);
  if (Attribute swizzle = read.take("swizzle")) {
    if (std::optional<WgmmaSwizzle> mode = readSwizzle(swizzle))
      test.descriptor.swizzle = *mode;
    else
      read.fail("swizzle", "none, 128b, 64b, 32b or a 2-bit code");
  }
  if (test.address < 0)
    read.fail("address", "a shared memory address (not negative)");
  if (test.advance % 16 != 0)
    read.fail("advance", "a multiple of 16 bytes");
  if (failed(read.finish(func)))
    return failure();
  if (std::optional<std::string> error = test.descriptor.verify())
    return func.emitError("invalid wgmma shared memory descriptor: ") << *error;
  return test;
}

/// Gives the declaration `func` a body returning the runtime descriptor of
/// `test` and records its compile-time encoding as `kEncodedAttr`.
static LogicalResult define(func::FuncOp func, const TestCase &test) {
  MLIRContext *ctx = func.getContext();
  Type i64 = IntegerType::get(ctx, 64);
  FunctionType functionType = func.getFunctionType();
  if (!func.isExternal() || functionType.getNumInputs() != 0 ||
      functionType.getNumResults() != 1 || functionType.getResult(0) != i64)
    return func.emitError("must be a declaration without arguments returning ")
           << i64;
  uint64_t encoded =
      test.descriptor.encode(static_cast<uint64_t>(test.address) +
                             static_cast<uint64_t>(test.advance));
  func->setAttr(kEncodedAttr,
                IntegerAttr::get(i64, static_cast<int64_t>(encoded)));
  Block *body = func.addEntryBlock();
  ImplicitLocOpBuilder b(func.getLoc(), OpBuilder::atBlockBegin(body));
  Value address = b.create<arith::ConstantIntOp>(i64, test.address);
  Value descriptor = buildWgmmaSmemDescriptor(b, address, test.descriptor);
  b.create<func::ReturnOp>(
      advanceSmemDescriptor(b, descriptor, test.advance));
  return success();
}

void TestWgmmaDescriptorsPass::runOnOperation() {
  bool failedAny = false;
  getOperation().walk([&](func::FuncOp func) {
    auto fields = func->getAttrOfType<DictionaryAttr>(kSmemAttr);
    if (!fields)
      return;
    FailureOr<TestCase> test = readTestCase(func, fields);
    if (failed(test) || failed(define(func, *test)))
      failedAny = true;
  });
  if (failedAny)
    signalPassFailure();
}
