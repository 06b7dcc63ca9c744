//===- FP8Attrs.cpp - fp8 dialect attributes ------------------------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/IR/FP8Attrs.h"
#include "fp8/Dialect/FP8/IR/FP8Dialect.h"
#include "fp8/Support/CheckedShape.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::fp8;

#include "fp8/Dialect/FP8/IR/FP8Enums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "fp8/Dialect/FP8/IR/FP8Attrs.cpp.inc"

void FP8Dialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "fp8/Dialect/FP8/IR/FP8Attrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// ScalingAttr
//===----------------------------------------------------------------------===//

/// Parses `<tensor>`, `<rowwise>` or `<block [r, c]>`.
Attribute ScalingAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseLess() || parser.parseKeyword(&keyword))
    return {};
  std::optional<ScalingKind> kind = symbolizeScalingKind(keyword);
  if (!kind) {
    parser.emitError(loc, "expected scaling kind 'tensor', 'rowwise' or "
                          "'block', found '")
        << keyword << "'";
    return {};
  }
  SmallVector<int64_t> block;
  if (*kind == ScalingKind::block) {
    if (parser.parseCommaSeparatedList(
            AsmParser::Delimiter::Square, [&]() -> ParseResult {
              int64_t extent;
              if (parser.parseInteger(extent))
                return failure();
              block.push_back(extent);
              return success();
            }))
      return {};
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<ScalingAttr>(loc, parser.getContext(), *kind,
                                        block);
}

void ScalingAttr::print(AsmPrinter &printer) const {
  printer << "<" << stringifyScalingKind(getKind());
  if (isBlock()) {
    printer << " [";
    llvm::interleaveComma(getBlock(), printer);
    printer << "]";
  }
  printer << ">";
}

LogicalResult
ScalingAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                    ScalingKind kind, ArrayRef<int64_t> block) {
  if (kind != ScalingKind::block) {
    if (!block.empty())
      return emitError() << "scaling '" << stringifyScalingKind(kind)
                         << "' takes no block shape";
    return success();
  }
  if (block.size() != 2)
    return emitError() << "block scaling needs 2 extents [rows, cols], found "
                       << block.size();
  for (int64_t extent : block)
    if (extent < 1)
      return emitError() << "block extents must be positive, found ["
                         << block[0] << ", " << block[1] << "]";
  return success();
}

std::pair<int64_t, int64_t>
ScalingAttr::getGroupExtent(ArrayRef<int64_t> dataShape) const {
  size_t rank = dataShape.size();
  int64_t rows = rank >= 2 ? dataShape[rank - 2] : 1;
  int64_t cols = rank >= 1 ? dataShape[rank - 1] : 1;
  switch (getKind()) {
  case ScalingKind::tensor:
    return {rows, cols};
  case ScalingKind::rowwise:
    return {1, cols};
  case ScalingKind::block:
    return {getBlock()[0], getBlock()[1]};
  }
  llvm_unreachable("unknown scaling kind");
}

SmallVector<int64_t>
ScalingAttr::getScaleShape(ArrayRef<int64_t> dataShape) const {
  if (isTensor())
    return {};
  assert(dataShape.size() >= 2 && "row/block scaling needs rank >= 2");
  auto groups = [](int64_t size, int64_t group) {
    return ShapedType::isDynamic(size) ? ShapedType::kDynamic
                                       : fp8::ceilDiv(size, group);
  };
  SmallVector<int64_t> shape(dataShape.drop_back(2));
  int64_t rows = dataShape[dataShape.size() - 2];
  int64_t cols = dataShape.back();
  if (isRowwise()) {
    shape.push_back(rows);
    shape.push_back(1);
    return shape;
  }
  shape.push_back(groups(rows, getBlock()[0]));
  shape.push_back(groups(cols, getBlock()[1]));
  return shape;
}

//===----------------------------------------------------------------------===//
// RecipeAttr
//===----------------------------------------------------------------------===//

/// Parses an enum value given as a keyword or a string (for values such as
/// "e5m2-grad" that are not bare identifiers).
template <typename EnumT>
static ParseResult
parseEnumValue(AsmParser &parser, StringRef key,
               std::optional<EnumT> (*symbolize)(StringRef), EnumT &value) {
  SMLoc loc = parser.getCurrentLocation();
  std::string text;
  if (parser.parseKeywordOrString(&text))
    return failure();
  std::optional<EnumT> parsed = symbolize(text);
  if (!parsed)
    return parser.emitError(loc, "invalid value '")
           << text << "' for recipe field '" << key << "'";
  value = *parsed;
  return success();
}

/// Parses `<kind (, key = value)*>`.
Attribute RecipeAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseLess() || parser.parseKeyword(&keyword))
    return {};
  std::optional<RecipeKind> kind = symbolizeRecipeKind(keyword);
  if (!kind) {
    parser.emitError(loc, "unknown recipe '")
        << keyword
        << "'; expected tensorwise, delayed, rowwise, blockwise or mxfp8";
    return {};
  }
  Formats formats = Formats::recipe_default;
  int64_t margin = 0, history = 0, minFlops = 0;
  std::optional<bool> pow2;
  std::optional<HistoryAlgo> algo;
  std::optional<MXScaleRounding> mxScale;
  llvm::StringSet<> seen;
  while (succeeded(parser.parseOptionalComma())) {
    SMLoc keyLoc = parser.getCurrentLocation();
    StringRef key;
    if (parser.parseKeyword(&key) || parser.parseEqual())
      return {};
    if (!seen.insert(key).second) {
      parser.emitError(keyLoc, "recipe field '") << key << "' given twice";
      return {};
    }
    ParseResult result = success();
    if (key == "formats") {
      result = parseEnumValue(parser, key, symbolizeFormats, formats);
    } else if (key == "margin") {
      result = parser.parseInteger(margin);
    } else if (key == "pow2") {
      bool value = false;
      if (succeeded(parser.parseOptionalKeyword("true")))
        value = true;
      else if (failed(parser.parseOptionalKeyword("false"))) {
        parser.emitError(parser.getCurrentLocation(),
                         "expected 'true' or 'false' for recipe field 'pow2'");
        return {};
      }
      pow2 = value;
    } else if (key == "history") {
      SMLoc valueLoc = parser.getCurrentLocation();
      result = parser.parseInteger(history);
      if (succeeded(result) && history < 1) {
        parser.emitError(valueLoc, "recipe history length must be >= 1");
        return {};
      }
    } else if (key == "algo") {
      HistoryAlgo value;
      result = parseEnumValue(parser, key, symbolizeHistoryAlgo, value);
      algo = value;
    } else if (key == "mx_scale") {
      MXScaleRounding value;
      result = parseEnumValue(parser, key, symbolizeMXScaleRounding, value);
      mxScale = value;
    } else if (key == "min_flops") {
      result = parser.parseInteger(minFlops);
    } else {
      parser.emitError(keyLoc, "unknown recipe field '")
          << key
          << "'; expected formats, margin, pow2, history, algo, mx_scale or "
             "min_flops";
      return {};
    }
    if (failed(result))
      return {};
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<RecipeAttr>(loc, parser.getContext(), *kind,
                                       formats, margin, pow2, history, algo,
                                       mxScale, minFlops);
}

void RecipeAttr::print(AsmPrinter &printer) const {
  printer << "<" << stringifyRecipeKind(getKind());
  if (getFormats() != Formats::recipe_default) {
    printer << ", formats = ";
    printer.printKeywordOrString(stringifyFormats(getFormats()));
  }
  if (getMargin() != 0)
    printer << ", margin = " << getMargin();
  if (getPow2())
    printer << ", pow2 = " << (*getPow2() ? "true" : "false");
  if (getHistory() != 0)
    printer << ", history = " << getHistory();
  if (getAlgo())
    printer << ", algo = " << stringifyHistoryAlgo(*getAlgo());
  if (getMxScale())
    printer << ", mx_scale = " << stringifyMXScaleRounding(*getMxScale());
  if (getMinFlops() != 0)
    printer << ", min_flops = " << getMinFlops();
  printer << ">";
}

LogicalResult
RecipeAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                   RecipeKind kind, Formats formats, int64_t margin,
                   std::optional<bool> pow2, int64_t history,
                   std::optional<HistoryAlgo> algo,
                   std::optional<MXScaleRounding> mxScale, int64_t minFlops) {
  if (margin < -127 || margin > 127)
    return emitError() << "recipe margin must be in [-127, 127], found "
                       << margin;
  if (history < 0)
    return emitError() << "recipe history length must be >= 1, found "
                       << history;
  if ((history != 0 || algo) && kind != RecipeKind::delayed)
    return emitError() << "recipe fields 'history' and 'algo' apply to the "
                          "'delayed' recipe only, not '"
                       << stringifyRecipeKind(kind) << "'";
  if (mxScale && kind != RecipeKind::mxfp8)
    return emitError() << "recipe field 'mx_scale' applies to the 'mxfp8' "
                          "recipe only, not '"
                       << stringifyRecipeKind(kind) << "'";
  if (pow2 && kind == RecipeKind::mxfp8)
    return emitError() << "recipe field 'pow2' does not apply to 'mxfp8': "
                          "E8M0 scales are always powers of two";
  if (minFlops < 0)
    return emitError() << "recipe min_flops must be >= 0, found " << minFlops;
  return success();
}
