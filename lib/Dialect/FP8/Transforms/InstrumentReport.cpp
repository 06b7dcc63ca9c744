//===- InstrumentReport.cpp - Expose what the numerics report reads ------===//
//
// Part of fp8-mlir. Implements fp8-instrument-report: the high-precision
// input, scale and narrow result of every quantize op, and the result of
// every scaled matmul, become extra function results, described by the
// `fp8.report` manifest (ReportManifest.h). The statistics are computed on
// the host from those results (fp8/Runner/Report.h).
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/IR/FP8Ops.h"
#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "fp8/Dialect/FP8/Transforms/ReportManifest.h"
#include "fp8/Dialect/FP8/Transforms/Roles.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::fp8 {
#define GEN_PASS_DEF_FP8INSTRUMENTREPORT
#include "fp8/Dialect/FP8/Transforms/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;
using namespace mlir::fp8;
using report::formatLocation;

std::string report::formatLocation(Location loc) {
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return (file.getFilename().getValue() + ":" + Twine(file.getLine()) +
            ":" + Twine(file.getColumn()))
        .str();
  if (auto name = dyn_cast<NameLoc>(loc))
    return formatLocation(name.getChildLoc());
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return formatLocation(callSite.getCallee());
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations()) {
      std::string text = formatLocation(inner);
      if (text != "unknown")
        return text;
    }
  return "unknown";
}

namespace {

/// The values one function returns: its own results first, then each value
/// an entry names, once.
class ReturnedValues {
public:
  explicit ReturnedValues(ValueRange own) : values(own.begin(), own.end()) {
    for (auto [index, value] : llvm::enumerate(own))
      indices.try_emplace(value, index);
  }

  /// The result number of `value`, returning it if it is not returned yet.
  int64_t add(Value value) {
    auto [it, inserted] = indices.try_emplace(value, values.size());
    if (inserted)
      values.push_back(value);
    return it->second;
  }

  SmallVector<Value> values;

private:
  DenseMap<Value, int64_t> indices;
};

struct FP8InstrumentReportPass
    : public fp8::impl::FP8InstrumentReportBase<FP8InstrumentReportPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> functions;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal() && (entry.empty() || func.getSymName() == entry))
        functions.push_back(func);
    if (!entry.empty() && functions.empty()) {
      module.emitError() << "fp8-instrument-report: no function named '"
                         << entry << "' with a body in the module";
      return signalPassFailure();
    }
    bool instrumentedAny = false;
    for (func::FuncOp func : functions) {
      FailureOr<bool> instrumented = instrument(func);
      if (failed(instrumented))
        return signalPassFailure();
      instrumentedAny |= *instrumented;
    }
    if (!instrumentedAny) {
      module.emitError()
          << "fp8-instrument-report: no function in the module has an "
             "fp8.quantize op; the report needs a quantized program (the "
             "output of --fp8-quantize-pipeline)";
      return signalPassFailure();
    }
  }

  /// Checks that `op` can be instrumented: in the function's body (so its
  /// values reach the return) and not a GPU-only fused op.
  static LogicalResult checkInstrumentable(Operation *op,
                                           func::FuncOp func) {
    if (isa<QuantizeTransposedOp, AmaxTransposedOp>(op))
      return op->emitError()
             << "the numerics report does not read " << op->getName()
             << " (formed by the GPU pipeline); report on the output of "
                "--fp8-quantize-pipeline";
    if (op->getParentOp() != func.getOperation())
      return op->emitError() << "the numerics report reads only ops in the "
                                "function's body, not in nested regions";
    return success();
  }

  /// Instruments `func`; false when it has no quantize op (left alone).
  FailureOr<bool> instrument(func::FuncOp func) {
    SmallVector<Operation *> ops;
    bool hasQuantize = false, bad = false;
    func.walk([&](Operation *op) {
      if (!isa<QuantizeOp, QuantizeWithAmaxOp, ScaledMatmulOp,
               QuantizeTransposedOp, AmaxTransposedOp>(op))
        return;
      if (failed(checkInstrumentable(op, func))) {
        bad = true;
        return;
      }
      hasQuantize |= isa<QuantizeOp, QuantizeWithAmaxOp>(op);
      ops.push_back(op);
    });
    if (bad)
      return failure();
    if (!hasQuantize) {
      if (!entry.empty())
        return func.emitError()
               << "@" << func.getSymName()
               << " has no fp8.quantize op; the report needs a quantized "
                  "program (the output of --fp8-quantize-pipeline)";
      return false;
    }
    if (!SymbolTable::symbolKnownUseEmpty(func, func->getParentOp()))
      return func.emitError()
             << "@" << func.getSymName()
             << " is called in the module; the numerics report instruments "
                "only functions nothing calls (its results change)";
    if (!func.getBody().hasOneBlock())
      return func.emitError() << "the numerics report needs a function with "
                                 "one block (one return)";
    auto returnOp = cast<func::ReturnOp>(func.getBody().front().back());

    RoleAnalysis roles(func);
    ReturnedValues returned(returnOp.getOperands());
    // Entry index of each op, and of the quantize op defining each narrow
    // value.
    DenseMap<Operation *, int64_t> entryOf;
    DenseMap<Value, int64_t> quantizedBy;
    for (auto [index, op] : llvm::enumerate(ops)) {
      entryOf[op] = index;
      if (isa<QuantizeOp, QuantizeWithAmaxOp>(op))
        quantizedBy[op->getResult(0)] = index;
    }

    Builder b(func.getContext());
    auto integer = [&](int64_t value) { return b.getI64IntegerAttr(value); };
    SmallVector<Attribute> entries;
    for (Operation *op : ops) {
      SmallVector<NamedAttribute> fields;
      fields.push_back(b.getNamedAttr(report::kOp,
                                      b.getStringAttr(op->getName().getStringRef())));
      fields.push_back(b.getNamedAttr(
          report::kLoc, b.getStringAttr(formatLocation(op->getLoc()))));
      if (auto matmul = dyn_cast<ScaledMatmulOp>(op)) {
        fields.append(describeMatmul(matmul, returned, quantizedBy, b));
      } else {
        Value input = op->getOperand(0);
        Value scale = isa<QuantizeOp>(op) ? op->getOperand(1)
                                          : op->getResult(1);
        auto scaling = op->getAttrOfType<ScalingAttr>("scaling");
        SmallVector<Attribute> feeds;
        for (Operation *user : op->getResult(0).getUsers())
          if (isa<ScaledMatmulOp>(user) && entryOf.count(user))
            feeds.push_back(integer(entryOf[user]));
        fields.append(
            {b.getNamedAttr(report::kKind,
                            b.getStringAttr(report::kQuantizeKind)),
             b.getNamedAttr(report::kRole,
                            b.getStringAttr(stringifyRole(roles.getRole(input)))),
             b.getNamedAttr(report::kFormat,
                            TypeAttr::get(getElementTypeOrSelf(
                                op->getResult(0).getType()))),
             b.getNamedAttr(report::kScaling, scaling),
             b.getNamedAttr(report::kInput, integer(returned.add(input))),
             b.getNamedAttr(report::kScale, integer(returned.add(scale))),
             b.getNamedAttr(report::kResult,
                            integer(returned.add(op->getResult(0)))),
             b.getNamedAttr(report::kFeeds, b.getArrayAttr(feeds))});
      }
      entries.push_back(b.getDictionaryAttr(fields));
    }

    int64_t numResults = func.getNumResults();
    returnOp->setOperands(returned.values);
    func.setType(FunctionType::get(func.getContext(),
                                   func.getArgumentTypes(),
                                   ValueRange(returned.values).getTypes()));
    func->setAttr(report::kManifestAttrName,
                  b.getDictionaryAttr(
                      {b.getNamedAttr(report::kNumResults, integer(numResults)),
                       b.getNamedAttr(report::kEntries,
                                      b.getArrayAttr(entries))}));
    return true;
  }

  /// The manifest fields of a scaled matmul: its result (bias, output
  /// scale) and the entries of the quantize ops of its operands.
  static SmallVector<NamedAttribute>
  describeMatmul(ScaledMatmulOp matmul, ReturnedValues &returned,
                 const DenseMap<Value, int64_t> &quantizedBy, Builder &b) {
    auto entryOf = [&](Value operand) {
      auto it = quantizedBy.find(operand);
      return b.getI64IntegerAttr(it == quantizedBy.end() ? -1 : it->second);
    };
    SmallVector<NamedAttribute> fields = {
        b.getNamedAttr(report::kKind, b.getStringAttr(report::kMatmulKind)),
        b.getNamedAttr(report::kResult, b.getI64IntegerAttr(returned.add(
                                            matmul.getResult()))),
        b.getNamedAttr(report::kA, entryOf(matmul.getA())),
        b.getNamedAttr(report::kB, entryOf(matmul.getB())),
        b.getNamedAttr(report::kTransposeB,
                       b.getBoolAttr(matmul.getTransposeB()))};
    if (Value bias = matmul.getBias())
      fields.push_back(b.getNamedAttr(
          report::kBias, b.getI64IntegerAttr(returned.add(bias))));
    if (Value outScale = matmul.getOutScale())
      fields.push_back(b.getNamedAttr(
          report::kOutScale, b.getI64IntegerAttr(returned.add(outScale))));
    return fields;
  }
};

} // namespace
