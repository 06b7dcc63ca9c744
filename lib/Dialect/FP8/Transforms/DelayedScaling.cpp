//===- DelayedScaling.cpp - Scales from amax histories --------------------===//
//
// Part of fp8-mlir. Turns current tensor scaling, `scale_from_amax(amax(x))`,
// into delayed scaling: the scale comes from an amax history that the
// function takes as an argument, and the history with this step's amax
// pushed is returned as a new result.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/IR/FP8Dialect.h"
#include "fp8/Dialect/FP8/IR/FP8Ops.h"
#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "fp8/Dialect/FP8/Transforms/Recipe.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/Support/FormatVariadic.h"

namespace mlir::fp8 {
#define GEN_PASS_DEF_FP8DELAYEDSCALING
#include "fp8/Dialect/FP8/Transforms/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;
using namespace mlir::fp8;

/// The attribute on a new history argument and result that names the
/// tensor the history belongs to.
static constexpr llvm::StringLiteral kAmaxHistoryAttrName = "fp8.amax_history";

/// The amax of a current tensor scale `scale_from_amax(amax(x))` with f32
/// scales, or null when `scale` is of another kind.
static AmaxOp getTensorAmax(ScaleFromAmaxOp scale) {
  auto amax = scale.getAmax().getDefiningOp<AmaxOp>();
  if (!amax || !amax.getScaling().isTensor() ||
      !scale.getScale().getType().getElementType().isF32())
    return {};
  return amax;
}

/// Names what a scale belongs to by the scaled matmuls that read the data
/// it quantizes, e.g. "A of scaled_matmul 0, A of scaled_matmul 2"
/// (scaled_matmuls numbered from 0 in the function's order), or
/// "scale <index>" when no scaled_matmul reads it.
static std::string
describeScale(ScaleFromAmaxOp scale, unsigned index,
              const DenseMap<Operation *, unsigned> &matmulNumbers) {
  SmallVector<std::string> uses;
  for (Operation *user : scale->getUsers()) {
    auto quantize = dyn_cast<QuantizeOp>(user);
    if (!quantize)
      continue;
    for (Operation *consumer : quantize->getUsers()) {
      auto matmul = dyn_cast<ScaledMatmulOp>(consumer);
      if (!matmul)
        continue;
      unsigned number = matmulNumbers.lookup(matmul);
      if (matmul.getA() == quantize.getResult())
        uses.push_back(llvm::formatv("A of scaled_matmul {0}", number));
      if (matmul.getB() == quantize.getResult())
        uses.push_back(llvm::formatv("B of scaled_matmul {0}", number));
    }
  }
  if (uses.empty())
    return llvm::formatv("scale {0}", index);
  llvm::sort(uses);
  uses.erase(llvm::unique(uses), uses.end());
  return llvm::join(uses, ", ");
}

namespace {
struct DelayedScalingPass
    : fp8::impl::FP8DelayedScalingBase<DelayedScalingPass> {
  using Base::Base;
  void runOnOperation() override;

private:
  void delayScales(func::FuncOp function, int64_t historyLength,
                   HistoryAlgo algo);
};
} // namespace

void DelayedScalingPass::delayScales(func::FuncOp function,
                                     int64_t historyLength, HistoryAlgo algo) {
  SmallVector<ScaleFromAmaxOp> scales;
  function.walk([&](ScaleFromAmaxOp scale) {
    if (getTensorAmax(scale))
      scales.push_back(scale);
  });
  if (scales.empty())
    return;

  // The histories are threaded through the signature: the function must
  // be public (its callers are outside the module), have no callers inside
  // the module, and compute its amaxes in its only block, which dominates
  // the return.
  auto leaveAlone = [&](const Twine &why) {
    function.emitRemark() << "current scaling kept (not delayed): " << why;
  };
  if (!function.isPublic())
    return leaveAlone("the function is not public");
  ModuleOp module = getOperation();
  if (!SymbolTable::symbolKnownUseEmpty(function, module))
    return leaveAlone("the function is called inside the module, and its "
                      "signature would change");
  Block &body = function.getBody().front();
  if (!function.getBody().hasOneBlock())
    return leaveAlone("the function has more than one block");
  for (ScaleFromAmaxOp scale : scales)
    if (getTensorAmax(scale)->getBlock() != &body)
      return leaveAlone("an amax is computed in a nested region");

  DenseMap<Operation *, unsigned> matmulNumbers;
  function.walk([&](ScaledMatmulOp matmul) {
    matmulNumbers.try_emplace(matmul, matmulNumbers.size());
  });

  MLIRContext *context = &getContext();
  OpBuilder builder(context);
  auto historyType =
      RankedTensorType::get({historyLength}, builder.getF32Type());
  auto returnOp = cast<func::ReturnOp>(body.getTerminator());
  SmallVector<Value> pushed;
  for (auto [index, scale] : llvm::enumerate(scales)) {
    AmaxOp amax = getTensorAmax(scale);
    auto name = builder.getDictionaryAttr(builder.getNamedAttr(
        kAmaxHistoryAttrName,
        builder.getStringAttr(describeScale(scale, index, matmulNumbers))));

    unsigned argIndex = function.getNumArguments();
    (void)function.insertArgument(argIndex, historyType, name, scale.getLoc());
    Value history = function.getArgument(argIndex);
    unsigned resultIndex = function.getNumResults();
    (void)function.insertResult(resultIndex, historyType, name);

    builder.setInsertionPoint(scale);
    Value delayed = ScaleFromHistoryOp::create(
        builder, scale.getLoc(), scale.getScale().getType(), history,
        HistoryAlgoAttr::get(context, algo), scale.getFormatAttr(),
        scale.getMarginAttr(), scale.getPow2Attr());
    scale.getScale().replaceAllUsesWith(delayed);
    scale.erase();

    builder.setInsertionPoint(returnOp);
    pushed.push_back(AmaxHistoryPushOp::create(
        builder, amax.getLoc(), historyType, history, amax.getResult()));
  }
  returnOp.getOperandsMutable().append(pushed);
}

void DelayedScalingPass::runOnOperation() {
  ModuleOp module = getOperation();
  // The recipe, if any: the option's, else the module's.
  RecipeAttr recipeAttr;
  if (!StringRef(recipe).trim().empty() || module->hasAttr(kRecipeAttrName)) {
    FailureOr<RecipeAttr> resolved =
        resolveModuleRecipe(module, recipe, getArgument());
    if (failed(resolved))
      return signalPassFailure();
    recipeAttr = *resolved;
  }
  if (ifDelayed && (!recipeAttr || recipeAttr.getKind() != RecipeKind::delayed))
    return;

  // Options win over the recipe, which wins over the defaults.
  int64_t historyLength = kDefaultHistoryLength;
  HistoryAlgo algoValue = HistoryAlgo::max;
  if (recipeAttr) {
    ResolvedRecipe resolved(recipeAttr);
    historyLength = resolved.getHistoryLength();
    algoValue = resolved.getHistoryAlgo();
  }
  if (history < 0) {
    module.emitError() << getArgument() << ": option 'history' must be >= 1 "
                       << "(0 takes the recipe's), found "
                       << static_cast<int64_t>(history);
    return signalPassFailure();
  }
  if (history > 0)
    historyLength = history;
  if (!algo.empty()) {
    std::string spelled = algo;
    std::replace(spelled.begin(), spelled.end(), '-', '_');
    std::optional<HistoryAlgo> parsed = symbolizeHistoryAlgo(spelled);
    if (!parsed) {
      module.emitError() << getArgument() << ": invalid value '" << algo
                         << "' for option 'algo'; expected max or "
                            "most_recent";
      return signalPassFailure();
    }
    algoValue = *parsed;
  }

  for (auto function : module.getOps<func::FuncOp>())
    if (!function.isExternal())
      delayScales(function, historyLength, algoValue);
}
