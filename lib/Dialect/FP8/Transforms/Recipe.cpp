//===- Recipe.cpp - Resolving FP8 recipes ---------------------------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/Recipe.h"
#include "fp8/Dialect/FP8/IR/FP8Dialect.h"
#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"

#include <thread>

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
  case Formats::e2m3:
  case Formats::fp4_weights:
    return false;
  case Formats::recipe_default:
    return getKind() == RecipeKind::tensorwise ||
           getKind() == RecipeKind::delayed;
  }
  llvm_unreachable("unknown formats");
}

Type ResolvedRecipe::getFormat(Role role) const {
  MLIRContext *context = recipe.getContext();
  switch (getKind()) {
  case RecipeKind::mxfp4:
    // `formats = fp4-weights`: MXFP8 activations and gradients.
    if (role != Role::weight && recipe.getFormats() == Formats::fp4_weights)
      return Float8E4M3FNType::get(context);
    return Float4E2M1FNType::get(context);
  case RecipeKind::nvfp4:
    return Float4E2M1FNType::get(context);
  case RecipeKind::mxfp6:
    // E2M3 forward; gradients E3M2 (range over precision) unless
    // `formats = e2m3`.
    if (role == Role::gradient && recipe.getFormats() != Formats::e2m3)
      return Float6E3M2FNType::get(context);
    return Float6E2M3FNType::get(context);
  default:
    break;
  }
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
  case RecipeKind::mxfp4:
  case RecipeKind::mxfp6:
    return ScalingAttr::get(context, ScalingKind::block, {1, 32});
  case RecipeKind::nvfp4:
    // Transformer Engine's NVFP4BlockScaling: 2-D 16x16 blocks for weights
    // (`weight_blocks = 1x16`: 16 along K, as activations).
    if (role == Role::weight)
      return ScalingAttr::get(context, ScalingKind::block,
                              {getNVFP4WeightBlockRows(), 16});
    return ScalingAttr::get(context, ScalingKind::block, {1, 16});
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
  if (isMX()) {
    result.scaleElementType = Float8E8M0FNUType::get(context);
    // FP8 operands round up (Transformer Engine's MXFP8); FP4/FP6 operands
    // round down, as torchao's MXTensor.to_mx does by default.
    MXScaleRounding defaultRounding =
        isa<Float8E4M3FNType, Float8E5M2Type>(result.format)
            ? MXScaleRounding::ceil
            : MXScaleRounding::floor;
    MXScaleRounding rounding = recipe.getMxScale().value_or(defaultRounding);
    if (rounding != MXScaleRounding::ceil)
      result.mxScale = rounding;
    return result;
  }
  if (getKind() == RecipeKind::nvfp4) {
    result.scaleElementType = Float8E4M3FNType::get(context);
    return result;
  }
  result.scaleElementType = Float32Type::get(context);
  result.pow2 = recipe.getPow2().value_or(getKind() == RecipeKind::rowwise);
  return result;
}

bool ResolvedRecipe::isMX() const {
  return getKind() == RecipeKind::mxfp8 || getKind() == RecipeKind::mxfp4 ||
         getKind() == RecipeKind::mxfp6;
}

int64_t ResolvedRecipe::getNVFP4WeightBlockRows() const {
  return recipe.getWeightBlockRows().value_or(16);
}

std::optional<int64_t> ResolvedRecipe::getGradientSRSeed() const {
  if (getKind() != RecipeKind::nvfp4 || !recipe.getSr().value_or(true))
    return std::nullopt;
  return recipe.getSrSeed().value_or(kDefaultSRSeed);
}

int64_t ResolvedRecipe::getHistoryLength() const {
  return recipe.getHistory() > 0 ? recipe.getHistory() : kDefaultHistoryLength;
}

HistoryAlgo ResolvedRecipe::getHistoryAlgo() const {
  return recipe.getAlgo().value_or(HistoryAlgo::max);
}

//===----------------------------------------------------------------------===//
// Recipe option text
//===----------------------------------------------------------------------===//

FailureOr<RecipeAttr>
fp8::parseRecipeString(MLIRContext *context, StringRef text,
                       function_ref<InFlightDiagnostic()> emitError) {
  // The option text is the body of the attribute: one grammar, one parser
  // (RecipeAttr::parse). Its diagnostics, located in a scratch buffer, are
  // re-emitted through `emitError`, with the text they are about.
  if (text.find_first_of("<>#") != StringRef::npos) {
    emitError() << "a recipe is a name and overrides, without '<', '>' or "
                   "'#' (in recipe '"
                << text << "')";
    return failure();
  }
  context->getOrLoadDialect<FP8Dialect>();
  std::string firstError;
  Attribute parsed;
  {
    // The handler is the context's while it lives: diagnostics of other
    // threads (passes running in parallel) go on to the handlers below it.
    std::thread::id parsingThread = std::this_thread::get_id();
    ScopedDiagnosticHandler capture(context, [&](Diagnostic &diag) {
      if (std::this_thread::get_id() != parsingThread)
        return failure();
      if (diag.getSeverity() == DiagnosticSeverity::Error &&
          firstError.empty())
        firstError = diag.str();
      return success();
    });
    // The space keeps a trailing `-` from lexing as `->` with the `>`.
    parsed = parseAttribute(("#fp8.recipe<" + text + " >").str(), context);
  }
  auto recipe = dyn_cast_or_null<RecipeAttr>(parsed);
  if (recipe)
    return recipe;
  if (firstError.empty())
    firstError = "expected a recipe name (" + getRecipeKindNames() + ")";
  emitError() << firstError << " (in recipe '" << text << "')";
  return failure();
}

FailureOr<RecipeAttr> fp8::resolveModuleRecipe(ModuleOp module,
                                               StringRef optionText,
                                               StringRef passName) {
  auto emitError = [&]() { return module.emitError() << passName << ": "; };
  if (!optionText.trim().empty()) {
    FailureOr<RecipeAttr> parsed =
        parseRecipeString(module.getContext(), optionText, emitError);
    if (succeeded(parsed))
      module->setAttr(kRecipeAttrName, *parsed);
    return parsed;
  }

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
