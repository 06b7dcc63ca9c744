//===- Recipe.cpp - Resolving FP8 recipes ---------------------------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/Recipe.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::fp8;

//===----------------------------------------------------------------------===//
// ResolvedRecipe
//===----------------------------------------------------------------------===//

ResolvedRecipe::ResolvedRecipe(RecipeAttr recipe) : recipe(recipe) {}

bool ResolvedRecipe::isHybrid() const {
  switch (recipe.getFormats()) {
  case Formats::hybrid:
  case Formats::e5m2_grad:
    return true;
  case Formats::e4m3:
    return false;
  case Formats::recipe_default:
    return getKind() == RecipeKind::tensorwise ||
           getKind() == RecipeKind::delayed;
  }
  llvm_unreachable("unknown formats");
}

Type ResolvedRecipe::getFormat(Role role) const {
  MLIRContext *context = recipe.getContext();
  if (role == Role::gradient && isHybrid())
    return Float8E5M2Type::get(context);
  return Float8E4M3FNType::get(context);
}

ScalingAttr ResolvedRecipe::getScaling(Role role, MatmulOperand) const {
  // Every scaling below is stated for the K-major operand ([M, K] or
  // [N, K]), so A and B get the same grouping for the same role.
  MLIRContext *context = recipe.getContext();
  switch (getKind()) {
  case RecipeKind::tensorwise:
  case RecipeKind::delayed:
    return ScalingAttr::get(context, ScalingKind::tensor);
  case RecipeKind::rowwise:
    return ScalingAttr::get(context, ScalingKind::rowwise);
  case RecipeKind::blockwise:
    if (role == Role::weight)
      return ScalingAttr::get(context, ScalingKind::block, {128, 128});
    return ScalingAttr::get(context, ScalingKind::block, {1, 128});
  case RecipeKind::mxfp8:
    return ScalingAttr::get(context, ScalingKind::block, {1, 32});
  }
  llvm_unreachable("unknown recipe kind");
}

OperandQuantization
ResolvedRecipe::getOperandQuantization(Role role, MatmulOperand operand) const {
  MLIRContext *context = recipe.getContext();
  OperandQuantization result;
  result.format = getFormat(role);
  result.scaling = getScaling(role, operand);
  result.margin = recipe.getMargin();
  if (getKind() == RecipeKind::mxfp8) {
    result.scaleElementType = Float8E8M0FNUType::get(context);
    std::optional<MXScaleRounding> rounding = recipe.getMxScale();
    if (rounding && *rounding != MXScaleRounding::ceil)
      result.mxScale = rounding;
    return result;
  }
  result.scaleElementType = Float32Type::get(context);
  result.pow2 = recipe.getPow2().value_or(getKind() == RecipeKind::rowwise);
  return result;
}

int64_t ResolvedRecipe::getHistoryLength() const {
  return recipe.getHistory() > 0 ? recipe.getHistory() : kDefaultHistoryLength;
}

HistoryAlgo ResolvedRecipe::getHistoryAlgo() const {
  return recipe.getAlgo().value_or(HistoryAlgo::max);
}

//===----------------------------------------------------------------------===//
// Recipe strings
//===----------------------------------------------------------------------===//

namespace {
/// The fields of a recipe string as they are parsed.
struct RecipeFields {
  Formats formats = Formats::recipe_default;
  int64_t margin = 0;
  std::optional<bool> pow2;
  int64_t history = 0;
  std::optional<HistoryAlgo> algo;
  std::optional<MXScaleRounding> mxScale;
  int64_t minFlops = 0;
};
} // namespace

/// Parses a signed decimal integer.
static std::optional<int64_t> parseInteger(StringRef text) {
  int64_t value;
  if (text.empty() || text.getAsInteger(10, value))
    return std::nullopt;
  return value;
}

/// Applies one `key[=value]` override to `fields`.
static LogicalResult
parseOverride(StringRef key, std::optional<StringRef> value,
              RecipeFields &fields,
              function_ref<InFlightDiagnostic()> emitError) {
  auto badValue = [&](StringRef expected) {
    return emitError() << "invalid value '" << value.value_or("")
                       << "' for recipe field '" << key << "'; expected "
                       << expected;
  };
  auto needValue = [&]() -> LogicalResult {
    if (value && !value->empty())
      return success();
    return emitError() << "recipe field '" << key << "' needs a value ('" << key
                       << "=...')";
  };

  if (key == "pow2") {
    if (!value || *value == "true")
      fields.pow2 = true;
    else if (*value == "false")
      fields.pow2 = false;
    else
      return badValue("'true' or 'false'");
    return success();
  }
  if (failed(needValue()))
    return failure();

  if (key == "formats") {
    if (*value == "hybrid")
      fields.formats = Formats::hybrid;
    else if (*value == "e4m3")
      fields.formats = Formats::e4m3;
    else if (*value == "e5m2-grad")
      fields.formats = Formats::e5m2_grad;
    else
      return badValue("hybrid, e4m3 or e5m2-grad");
    return success();
  }
  if (key == "margin") {
    std::optional<int64_t> margin = parseInteger(*value);
    if (!margin)
      return badValue("an integer");
    fields.margin = *margin;
    return success();
  }
  if (key == "history") {
    std::optional<int64_t> history = parseInteger(*value);
    if (!history || *history < 1)
      return badValue("an integer >= 1");
    fields.history = *history;
    return success();
  }
  if (key == "algo") {
    std::string spelled = value->str();
    std::replace(spelled.begin(), spelled.end(), '-', '_');
    fields.algo = symbolizeHistoryAlgo(spelled);
    if (!fields.algo)
      return badValue("max or most_recent");
    return success();
  }
  if (key == "mx-scale") {
    fields.mxScale = symbolizeMXScaleRounding(*value);
    if (!fields.mxScale)
      return badValue("ceil or floor");
    return success();
  }
  if (key == "min-flops") {
    std::optional<int64_t> minFlops = parseInteger(*value);
    if (!minFlops || *minFlops < 0)
      return badValue("an integer >= 0");
    fields.minFlops = *minFlops;
    return success();
  }
  return emitError() << "unknown recipe field '" << key
                     << "'; expected formats, margin, pow2, history, algo, "
                        "mx-scale or min-flops";
}

FailureOr<RecipeAttr>
fp8::parseRecipeString(MLIRContext *context, StringRef text,
                       function_ref<InFlightDiagnostic()> emitError) {
  SmallVector<StringRef> pieces;
  text.split(pieces, ',');
  StringRef name = pieces.front().trim();
  if (name.empty()) {
    emitError() << "empty recipe '" << text
                << "'; expected a recipe name (tensorwise, delayed, "
                   "rowwise, blockwise or mxfp8) and optional overrides";
    return failure();
  }
  std::optional<RecipeKind> kind = symbolizeRecipeKind(name);
  if (!kind) {
    emitError() << "unknown recipe '" << name
                << "'; expected tensorwise, delayed, rowwise, blockwise or "
                   "mxfp8";
    return failure();
  }

  RecipeFields fields;
  llvm::StringSet<> seen;
  for (StringRef piece : llvm::drop_begin(pieces)) {
    auto [rawKey, rawValue] = piece.split('=');
    std::string key = rawKey.trim().str();
    std::replace(key.begin(), key.end(), '_', '-');
    std::optional<StringRef> value;
    if (piece.contains('='))
      value = rawValue.trim();
    if (key.empty()) {
      emitError() << "empty field in recipe '" << text << "'";
      return failure();
    }
    if (!seen.insert(key).second) {
      emitError() << "recipe field '" << key << "' given twice";
      return failure();
    }
    if (failed(parseOverride(key, value, fields, emitError)))
      return failure();
  }

  RecipeAttr recipe = RecipeAttr::getChecked(
      emitError, context, *kind, fields.formats, fields.margin, fields.pow2,
      fields.history, fields.algo, fields.mxScale, fields.minFlops);
  if (!recipe)
    return failure();
  return recipe;
}

FailureOr<RecipeAttr> fp8::getRecipeForModule(ModuleOp module,
                                              StringRef optionText,
                                              StringRef passName) {
  auto emitError = [&]() { return module.emitError() << passName << ": "; };
  if (!optionText.trim().empty())
    return parseRecipeString(module.getContext(), optionText, emitError);

  Attribute attr = module->getAttr(kRecipeAttrName);
  if (!attr) {
    emitError() << "no recipe: pass the 'recipe' option (e.g. "
                   "recipe=tensorwise) or put a '"
                << kRecipeAttrName
                << " = #fp8.recipe<...>' attribute on the module";
    return failure();
  }
  auto recipe = dyn_cast<RecipeAttr>(attr);
  if (!recipe) {
    emitError() << "expected the module attribute '" << kRecipeAttrName
                << "' to be a #fp8.recipe, found " << attr;
    return failure();
  }
  return recipe;
}
