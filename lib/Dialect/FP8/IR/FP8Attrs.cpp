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

//===----------------------------------------------------------------------===//
// The one recipe grammar
//
// `#fp8.recipe<...>` in IR and the `recipe=` text of pass options are the
// same grammar: option text is parsed as the body of the attribute
// (Recipe.cpp wraps it in `#fp8.recipe<` and `>`). So the grammar accepts
// the spellings a command line favours too: `-` for `_` in field names
// (`mx-scale`, `min-flops`), `=` without spaces, a bare `pow2` for
// `pow2 = true`, and `e5m2-grad` unquoted.
//===----------------------------------------------------------------------===//

/// The values `minValue..maxValue` of an enum, spelled as the grammar
/// spells them and separated by ", " with "or" before the last one, e.g.
/// "max or most_recent".
template <typename EnumT>
static std::string listEnumValues(uint64_t minValue, uint64_t maxValue,
                                  StringRef (*stringify)(EnumT)) {
  std::string text;
  llvm::raw_string_ostream os(text);
  for (uint64_t value = minValue; value <= maxValue; ++value) {
    if (value != minValue)
      os << (value == maxValue ? " or " : ", ");
    os << stringify(static_cast<EnumT>(value));
  }
  return text;
}

std::string fp8::getRecipeKindNames() {
  return listEnumValues<RecipeKind>(0, getMaxEnumValForRecipeKind(),
                                    stringifyRecipeKind);
}

/// Parses `ident ('-' ident)*`, e.g. `mx-scale` or `e5m2-grad`, which the
/// lexer sees as identifiers and minus signs, into `spelled`. No value when
/// no identifier starts here; failure (reported) for a `-` not followed by
/// one.
static OptionalParseResult parseDashedIdentifier(AsmParser &parser,
                                                 std::string &spelled) {
  StringRef piece;
  if (parser.parseOptionalKeyword(&piece))
    return std::nullopt;
  spelled = piece.str();
  while (succeeded(parser.parseOptionalMinus())) {
    if (parser.parseKeyword(&piece))
      return failure();
    spelled += "-" + piece.str();
  }
  return success();
}

/// Reads whatever value the user wrote where a field's value belongs, to
/// quote it in a diagnostic: an identifier, a string or an integer (empty
/// when there is none). Fails where reading it already reported an error.
static FailureOr<std::string> readAnyValue(AsmParser &parser) {
  std::string text;
  OptionalParseResult identifier = parseDashedIdentifier(parser, text);
  if (identifier.has_value()) {
    if (failed(*identifier))
      return failure();
    return text;
  }
  if (succeeded(parser.parseOptionalString(&text)))
    return text;
  int64_t number;
  OptionalParseResult integer = parser.parseOptionalInteger(number);
  if (integer.has_value()) {
    if (failed(*integer))
      return failure();
    return std::to_string(number);
  }
  return std::string();
}

namespace {
/// The fields of a recipe as they are parsed.
struct RecipeFields {
  Formats formats = Formats::recipe_default;
  int64_t margin = 0;
  std::optional<bool> pow2;
  int64_t history = 0;
  std::optional<HistoryAlgo> algo;
  std::optional<MXScaleRounding> mxScale;
  int64_t minFlops = 0;
  std::optional<WgradPrecision> wgrad;
  int64_t keepFirst = 0;
  int64_t keepLast = 0;
  std::optional<bool> rht;
  std::optional<bool> sr;
  std::optional<int64_t> srSeed;
  std::optional<int64_t> weightBlockRows;
};

/// Parses the value of one field, `key` as the user spelled it.
class RecipeFieldParser {
public:
  RecipeFieldParser(AsmParser &parser, StringRef key)
      : parser(parser), key(key), loc(parser.getCurrentLocation()) {}

  /// An integer no smaller than `min`.
  ParseResult parseInteger(int64_t &value, int64_t min, StringRef expected) {
    OptionalParseResult parsed = parser.parseOptionalInteger(value);
    if (!parsed.has_value()) {
      FailureOr<std::string> text = readAnyValue(parser);
      if (failed(text))
        return failure();
      return badValue(*text, expected);
    }
    if (failed(*parsed))
      return failure();
    if (value < min)
      return badValue(std::to_string(value), expected);
    return success();
  }

  /// An enum value, as an identifier (`-` allowed inside) or a string; `_`
  /// and `-` are the same in it. Diagnostics list the values from
  /// `minValue` up.
  template <typename EnumT>
  ParseResult parseEnum(std::optional<EnumT> (*symbolize)(StringRef),
                        uint64_t minValue, uint64_t maxValue,
                        StringRef (*stringify)(EnumT), EnumT &value) {
    FailureOr<std::string> read = readAnyValue(parser);
    if (failed(read))
      return failure();
    std::string text = *read;
    std::optional<EnumT> parsed = symbolize(text);
    if (!parsed) {
      std::string underscored = text;
      std::replace(underscored.begin(), underscored.end(), '-', '_');
      parsed = symbolize(underscored);
    }
    // Values below `minValue` are not for users to write.
    if (!parsed || static_cast<uint64_t>(*parsed) < minValue)
      return badValue(text, listEnumValues(minValue, maxValue, stringify));
    value = *parsed;
    return success();
  }

  /// `on` or `off`.
  ParseResult parseOnOff(std::optional<bool> &value) {
    FailureOr<std::string> text = readAnyValue(parser);
    if (failed(text))
      return failure();
    if (*text != "on" && *text != "off")
      return badValue(*text, "'on' or 'off'");
    value = *text == "on";
    return success();
  }

  /// `true` or `false`.
  ParseResult parseBool(bool &value) {
    FailureOr<std::string> text = readAnyValue(parser);
    if (failed(text))
      return failure();
    if (*text != "true" && *text != "false")
      return badValue(*text, "'true' or 'false'");
    value = *text == "true";
    return success();
  }

  /// A weight block shape, `16x16` or `1x16` (the lexer reads `1x16` as
  /// the integer 1 and the identifier `x16`); `rows` is its first number.
  ParseResult parseWeightBlocks(std::optional<int64_t> &rows) {
    static constexpr StringLiteral kExpected = "16x16 or 1x16";
    int64_t number;
    OptionalParseResult parsed = parser.parseOptionalInteger(number);
    if (!parsed.has_value()) {
      FailureOr<std::string> text = readAnyValue(parser);
      if (failed(text))
        return failure();
      return badValue(*text, kExpected);
    }
    if (failed(*parsed))
      return failure();
    std::string text = std::to_string(number);
    StringRef columns;
    if (succeeded(parser.parseOptionalKeyword(&columns)))
      text += columns.str();
    if (text != "16x16" && text != "1x16")
      return badValue(text, kExpected);
    rows = number;
    return success();
  }

private:
  ParseResult badValue(StringRef text, StringRef expected) {
    if (text.empty())
      return parser.emitError(loc, "expected a value for recipe field '")
             << key << "' after '='; expected " << expected;
    return parser.emitError(loc, "invalid value '")
           << text << "' for recipe field '" << key << "'; expected "
           << expected;
  }

  AsmParser &parser;
  StringRef key;
  SMLoc loc;
};
} // namespace

/// The field names, spelled as the printer spells them.
static constexpr StringLiteral kRecipeFieldNames =
    "formats, margin, pow2, history, algo, mx_scale, min_flops, wgrad, "
    "keep_first, keep_last, rht, sr, sr_seed or weight_blocks";

/// Parses the value of field `key` (`_` spelling; `spelled` as written)
/// into `fields`. Every field but `pow2` needs `= value`.
static ParseResult parseRecipeField(AsmParser &parser, StringRef key,
                                    StringRef spelled, SMLoc keyLoc,
                                    RecipeFields &fields) {
  bool hasValue = succeeded(parser.parseOptionalEqual());
  RecipeFieldParser field(parser, spelled);
  if (key == "pow2") {
    bool value = true;
    if (hasValue && field.parseBool(value))
      return failure();
    fields.pow2 = value;
    return success();
  }
  if (key != "formats" && key != "margin" && key != "history" &&
      key != "algo" && key != "mx_scale" && key != "min_flops" &&
      key != "wgrad" && key != "keep_first" && key != "keep_last" &&
      key != "rht" && key != "sr" && key != "sr_seed" &&
      key != "weight_blocks")
    return parser.emitError(keyLoc, "unknown recipe field '")
           << spelled << "'; expected " << kRecipeFieldNames;
  if (!hasValue)
    return parser.emitError(keyLoc, "recipe field '")
           << spelled << "' needs a value ('" << spelled << "=...')";

  if (key == "formats")
    // `recipe_default` (0) is what an absent field means; not listed.
    return field.parseEnum(symbolizeFormats, 1, getMaxEnumValForFormats(),
                           stringifyFormats, fields.formats);
  if (key == "margin")
    return field.parseInteger(fields.margin, INT64_MIN, "an integer");
  if (key == "history")
    return field.parseInteger(fields.history, 1, "an integer >= 1");
  if (key == "min_flops")
    return field.parseInteger(fields.minFlops, 0, "an integer >= 0");
  if (key == "keep_first")
    return field.parseInteger(fields.keepFirst, 0, "an integer >= 0");
  if (key == "keep_last")
    return field.parseInteger(fields.keepLast, 0, "an integer >= 0");
  if (key == "rht")
    return field.parseOnOff(fields.rht);
  if (key == "weight_blocks")
    return field.parseWeightBlocks(fields.weightBlockRows);
  if (key == "sr")
    return field.parseOnOff(fields.sr);
  if (key == "sr_seed") {
    int64_t seed;
    if (field.parseInteger(seed, 0, "an integer >= 0"))
      return failure();
    fields.srSeed = seed;
    return success();
  }
  if (key == "wgrad") {
    WgradPrecision wgrad;
    if (field.parseEnum(symbolizeWgradPrecision, 0,
                        getMaxEnumValForWgradPrecision(),
                        stringifyWgradPrecision, wgrad))
      return failure();
    fields.wgrad = wgrad;
    return success();
  }
  if (key == "algo") {
    HistoryAlgo algo;
    if (field.parseEnum(symbolizeHistoryAlgo, 0, getMaxEnumValForHistoryAlgo(),
                        stringifyHistoryAlgo, algo))
      return failure();
    fields.algo = algo;
    return success();
  }
  MXScaleRounding rounding;
  if (field.parseEnum(symbolizeMXScaleRounding, 0,
                      getMaxEnumValForMXScaleRounding(),
                      stringifyMXScaleRounding, rounding))
    return failure();
  fields.mxScale = rounding;
  return success();
}

/// Parses `<kind (, field [= value])*>`.
Attribute RecipeAttr::parse(AsmParser &parser, Type) {
  if (parser.parseLess())
    return {};
  SMLoc loc = parser.getCurrentLocation();
  std::string name;
  OptionalParseResult hasName = parseDashedIdentifier(parser, name);
  if (hasName.has_value() && failed(*hasName))
    return {};
  if (!hasName.has_value()) {
    parser.emitError(loc, "expected a recipe name (")
        << getRecipeKindNames() << ") before the overrides";
    return {};
  }
  std::optional<RecipeKind> kind = symbolizeRecipeKind(name);
  if (!kind) {
    parser.emitError(loc, "unknown recipe '")
        << name << "'; expected " << getRecipeKindNames();
    return {};
  }

  RecipeFields fields;
  llvm::StringSet<> seen;
  while (succeeded(parser.parseOptionalComma())) {
    SMLoc keyLoc = parser.getCurrentLocation();
    std::string spelled;
    OptionalParseResult hasKey = parseDashedIdentifier(parser, spelled);
    if (hasKey.has_value() && failed(*hasKey))
      return {};
    if (!hasKey.has_value()) {
      parser.emitError(keyLoc, "expected a recipe field (")
          << kRecipeFieldNames << ")";
      return {};
    }
    std::string key = spelled;
    std::replace(key.begin(), key.end(), '-', '_');
    if (!seen.insert(key).second) {
      parser.emitError(keyLoc, "recipe field '") << spelled << "' given twice";
      return {};
    }
    if (parseRecipeField(parser, key, spelled, keyLoc, fields))
      return {};
  }
  if (parser.parseGreater())
    return {};
  return parser.getChecked<RecipeAttr>(
      loc, parser.getContext(), *kind, fields.formats, fields.margin,
      fields.pow2, fields.history, fields.algo, fields.mxScale,
      fields.minFlops, fields.wgrad, fields.keepFirst, fields.keepLast,
      fields.rht, fields.sr, fields.srSeed, fields.weightBlockRows);
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
  if (getWgrad())
    printer << ", wgrad = " << stringifyWgradPrecision(*getWgrad());
  if (getKeepFirst() != 0)
    printer << ", keep_first = " << getKeepFirst();
  if (getKeepLast() != 0)
    printer << ", keep_last = " << getKeepLast();
  if (getRht())
    printer << ", rht = " << (*getRht() ? "on" : "off");
  if (getSr())
    printer << ", sr = " << (*getSr() ? "on" : "off");
  if (getSrSeed())
    printer << ", sr_seed = " << *getSrSeed();
  if (getWeightBlockRows())
    printer << ", weight_blocks = " << *getWeightBlockRows() << "x16";
  printer << ">";
}

/// The FP4/FP6 recipes fix their formats: `formats` is `e2m3` or `hybrid`
/// (the default: E3M2 gradients) for mxfp6, `fp4-weights` (MXFP8 x MXFP4
/// weights) or absent for mxfp4, absent for nvfp4; `e2m3` and
/// `fp4-weights` belong to those recipes only, and nvfp4's E4M3 block
/// scales take no `pow2`.
static LogicalResult
verifyFP4FP6RecipeFields(function_ref<InFlightDiagnostic()> emitError,
                         RecipeKind kind, Formats formats,
                         std::optional<bool> pow2) {
  if (formats == Formats::fp4_weights && kind != RecipeKind::mxfp4)
    return emitError() << "recipe formats 'fp4-weights' applies to the "
                          "'mxfp4' recipe only, not '"
                       << stringifyRecipeKind(kind) << "'";
  if (formats == Formats::fp4_weights)
    return success();
  bool isFP4 = kind == RecipeKind::mxfp4 || kind == RecipeKind::nvfp4;
  if (formats == Formats::e2m3 && kind != RecipeKind::mxfp6)
    return emitError() << "recipe formats 'e2m3' applies to the 'mxfp6' "
                          "recipe only, not '"
                       << stringifyRecipeKind(kind) << "'";
  if (kind == RecipeKind::mxfp6 && formats != Formats::recipe_default &&
      formats != Formats::hybrid && formats != Formats::e2m3)
    return emitError() << "recipe 'mxfp6' takes formats 'hybrid' (E2M3, "
                          "gradients E3M2; the default) or 'e2m3', not '"
                       << stringifyFormats(formats) << "'";
  if (isFP4 && formats != Formats::recipe_default)
    return emitError() << "recipe '" << stringifyRecipeKind(kind)
                       << "' is E2M1 for every role and takes no 'formats', "
                          "found '"
                       << stringifyFormats(formats) << "'";
  if (pow2 && kind == RecipeKind::nvfp4)
    return emitError() << "recipe field 'pow2' does not apply to 'nvfp4': "
                          "its block scales are E4M3";
  return success();
}

LogicalResult
RecipeAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                   RecipeKind kind, Formats formats, int64_t margin,
                   std::optional<bool> pow2, int64_t history,
                   std::optional<HistoryAlgo> algo,
                   std::optional<MXScaleRounding> mxScale, int64_t minFlops,
                   std::optional<WgradPrecision>, int64_t keepFirst,
                   int64_t keepLast, std::optional<bool> rht,
                   std::optional<bool> sr, std::optional<int64_t> srSeed,
                   std::optional<int64_t> weightBlockRows) {
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
  bool isMX = kind == RecipeKind::mxfp8 || kind == RecipeKind::mxfp4 ||
              kind == RecipeKind::mxfp6;
  if (mxScale && !isMX)
    return emitError() << "recipe field 'mx_scale' applies to the MX recipes "
                          "(mxfp8, mxfp4, mxfp6) only, not '"
                       << stringifyRecipeKind(kind) << "'";
  if (pow2 && isMX)
    return emitError() << "recipe field 'pow2' does not apply to '"
                       << stringifyRecipeKind(kind)
                       << "': E8M0 scales are always powers of two";
  if (failed(verifyFP4FP6RecipeFields(emitError, kind, formats, pow2)))
    return failure();
  if (minFlops < 0)
    return emitError() << "recipe min_flops must be >= 0, found " << minFlops;
  if (keepFirst < 0 || keepLast < 0)
    return emitError() << "recipe keep_first and keep_last must be >= 0";
  if ((rht || sr || srSeed) && kind != RecipeKind::nvfp4)
    return emitError() << "recipe fields 'rht', 'sr' and 'sr_seed' apply to "
                          "the 'nvfp4' recipe only, not '"
                       << stringifyRecipeKind(kind) << "'";
  if (srSeed && *srSeed < 0)
    return emitError() << "recipe sr_seed must be >= 0, found " << *srSeed;
  if (weightBlockRows && kind != RecipeKind::nvfp4)
    return emitError() << "recipe field 'weight_blocks' applies to the "
                          "'nvfp4' recipe only, not '"
                       << stringifyRecipeKind(kind) << "'";
  if (weightBlockRows && *weightBlockRows != 1 && *weightBlockRows != 16)
    return emitError() << "recipe weight_blocks must be 16x16 or 1x16, found "
                       << *weightBlockRows << "x16";
  return success();
}
