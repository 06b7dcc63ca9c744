//===- Report.cpp - Per-tensor numerics report of a quantized run ---------===//
//
// Part of fp8-mlir. The statistics of the numerics report (Report.h,
// docs/report.md), computed once, on the host, from the results that
// fp8-instrument-report adds to the function.
//
//===----------------------------------------------------------------------===//

#include "fp8/Runner/Report.h"
#include "fp8/Dialect/FP8/IR/FP8Dialect.h"
#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "fp8/Dialect/FP8/Transforms/ReportManifest.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/JSON.h"
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::fp8;
namespace json = llvm::json;

//===----------------------------------------------------------------------===//
// Reading the manifest
//===----------------------------------------------------------------------===//

static int64_t getIndex(DictionaryAttr dict, StringRef key) {
  auto attr = dict.getAs<IntegerAttr>(key);
  return attr ? attr.getInt() : -1;
}

static std::string getString(DictionaryAttr dict, StringRef key) {
  auto attr = dict.getAs<StringAttr>(key);
  return attr ? attr.getValue().str() : "";
}

/// One manifest entry as a ReportEntry.
static ReportEntry readEntry(DictionaryAttr dict) {
  ReportEntry entry;
  entry.isMatmul = getString(dict, report::kKind) == report::kMatmulKind;
  entry.op = getString(dict, report::kOp);
  entry.loc = getString(dict, report::kLoc);
  entry.result = getIndex(dict, report::kResult);
  if (entry.isMatmul) {
    entry.a = getIndex(dict, report::kA);
    entry.b = getIndex(dict, report::kB);
    entry.bias = getIndex(dict, report::kBias);
    entry.outScale = getIndex(dict, report::kOutScale);
    entry.transposeB = dict.get(report::kTransposeB) ==
                       BoolAttr::get(dict.getContext(), true);
    return entry;
  }
  entry.role = getString(dict, report::kRole);
  if (auto format = dict.getAs<TypeAttr>(report::kFormat))
    entry.format = format.getValue();
  entry.scaling = dict.getAs<ScalingAttr>(report::kScaling);
  entry.input = getIndex(dict, report::kInput);
  entry.scale = getIndex(dict, report::kScale);
  if (auto feeds = dict.getAs<ArrayAttr>(report::kFeeds))
    for (auto feed : feeds.getAsRange<IntegerAttr>())
      entry.feeds.push_back(feed.getInt());
  return entry;
}

FailureOr<ReportManifest> fp8::instrumentForReport(ModuleOp module,
                                                   StringRef entry) {
  PassManager pm(module.getContext());
  FP8InstrumentReportOptions options;
  options.entry = entry.str();
  pm.addPass(createFP8InstrumentReport(options));
  if (failed(pm.run(module)))
    return failure();
  auto func = module.lookupSymbol<func::FuncOp>(entry);
  auto dict = func->getAttrOfType<DictionaryAttr>(report::kManifestAttrName);
  ReportManifest manifest;
  manifest.entry = entry.str();
  if (Attribute recipe = module->getAttr("fp8.recipe"))
    llvm::raw_string_ostream(manifest.recipe) << recipe;
  manifest.numResults = getIndex(dict, report::kNumResults);
  for (auto entryDict :
       dict.getAs<ArrayAttr>(report::kEntries).getAsRange<DictionaryAttr>())
    manifest.entries.push_back(readEntry(entryDict));
  return manifest;
}

//===----------------------------------------------------------------------===//
// Decoding host tensors
//===----------------------------------------------------------------------===//

/// The value of a float of `type` given its bits.
static double decodeFloatBits(FloatType type, uint64_t bits) {
  llvm::APFloat value(type.getFloatSemantics(),
                      llvm::APInt(type.getWidth(), bits));
  bool losesInfo;
  value.convert(llvm::APFloat::IEEEdouble(),
                llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return value.convertToDouble();
}

/// Every element of a float tensor, as doubles (exact).
static std::vector<double> decode(const HostTensor &tensor) {
  int64_t count = tensor.getNumElements();
  std::vector<double> values(count);
  const uint8_t *data = tensor.data.data();
  Type type = tensor.elementType;
  if (type.isF32()) {
    for (int64_t i = 0; i < count; ++i) {
      float value;
      std::memcpy(&value, data + 4 * i, 4);
      values[i] = value;
    }
    return values;
  }
  if (type.isF64()) {
    std::memcpy(values.data(), data, 8 * count);
    return values;
  }
  // Narrow floats (one byte), f16 and bf16 (two bytes): a table per bit
  // pattern.
  auto floatType = cast<FloatType>(type);
  unsigned bytes = getStorageBytes(type);
  std::vector<double> table(size_t(1) << (8 * bytes));
  for (size_t bits = 0; bits < table.size(); ++bits)
    table[bits] = decodeFloatBits(
        floatType, bits & ((uint64_t(1) << floatType.getWidth()) - 1));
  for (int64_t i = 0; i < count; ++i) {
    uint16_t bits = data[bytes * i];
    if (bytes == 2)
      bits |= uint16_t(data[bytes * i + 1]) << 8;
    values[i] = table[bits];
  }
  return values;
}

//===----------------------------------------------------------------------===//
// Groups of elements sharing a scale
//===----------------------------------------------------------------------===//

namespace {
/// Elements of a [batch..., R, C] tensor grouped in rows x cols tiles per
/// batch, or one group for the whole tensor (`whole`).
struct Grouping {
  bool whole = false;
  int64_t rows = 1, cols = 1;

  static Grouping of(ScalingAttr scaling) {
    if (scaling.isTensor())
      return {true, 1, 1};
    if (scaling.isRowwise())
      return {false, 1, std::numeric_limits<int64_t>::max()};
    return {false, scaling.getBlock()[0], scaling.getBlock()[1]};
  }
};

/// The group of every element of a tensor of `shape` under a Grouping.
struct GroupIndex {
  std::vector<int64_t> ofElement;
  int64_t numGroups = 1;

  GroupIndex(ArrayRef<int64_t> shape, Grouping grouping) {
    int64_t count = 1;
    for (int64_t dim : shape)
      count *= dim;
    ofElement.assign(count, 0);
    if (grouping.whole || shape.size() < 2)
      return;
    int64_t rows = shape[shape.size() - 2], cols = shape.back();
    int64_t groupRows = std::min(grouping.rows, rows);
    int64_t groupCols = std::min(grouping.cols, cols);
    int64_t perRow = (cols + groupCols - 1) / groupCols;
    int64_t perBatch = (rows + groupRows - 1) / groupRows * perRow;
    int64_t batches = rows * cols ? count / (rows * cols) : 0;
    numGroups = batches * perBatch;
    for (int64_t i = 0; i < count; ++i) {
      int64_t batch = i / (rows * cols), row = i / cols % rows,
              col = i % cols;
      ofElement[i] =
          batch * perBatch + row / groupRows * perRow + col / groupCols;
    }
  }
};

/// The quantization figures of one tensor in one format.
struct Figures {
  int64_t saturated = 0, flushed = 0, subnormal = 0, nonfiniteOutputs = 0;
  double signal = 0, noise = 0;
  double scaleMin = std::numeric_limits<double>::infinity();
  double scaleMax = -std::numeric_limits<double>::infinity();
};
} // namespace

/// A JSON number, or null where it is not finite.
static json::Value number(double value) {
  if (!std::isfinite(value))
    return nullptr;
  return value;
}

static double percent(int64_t part, int64_t whole) {
  return whole ? 100.0 * double(part) / double(whole) : 0.0;
}

/// 10 log10(signal / noise); +inf (JSON null) for an exact quantization.
static double sqnrDb(const Figures &figures) {
  if (figures.noise == 0)
    return std::numeric_limits<double>::infinity();
  return 10 * std::log10(figures.signal / figures.noise);
}

static json::Object figuresToJson(const Figures &figures, int64_t finite,
                                  bool narrowFloat) {
  json::Object object{
      {"sqnr_db", number(sqnrDb(figures))},
      {"saturated_pct", percent(figures.saturated, finite)},
      {"flushed_pct", percent(figures.flushed, finite)},
      {"scale_min", number(figures.scaleMin)},
      {"scale_max", number(figures.scaleMax)}};
  if (narrowFloat) {
    object["subnormal_pct"] = percent(figures.subnormal, finite);
    object["nonfinite_outputs"] = figures.nonfiniteOutputs;
  }
  return object;
}

//===----------------------------------------------------------------------===//
// The statistics
//===----------------------------------------------------------------------===//

/// Whether `value` rounds (to nearest even) past the largest finite value
/// of `semantics`: the cast without saturation gives inf or NaN.
static bool overflows(float value, const llvm::fltSemantics &semantics) {
  llvm::APFloat rounded(value);
  bool losesInfo;
  rounded.convert(semantics, llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return !rounded.isFinite();
}

/// The FP8 figures from what the program computed: input `x`, its scales
/// and the narrow result `q`, decoded. Saturated: |x / s| (in f32) rounds
/// past the format's largest finite value, so the saturating cast clamped
/// it (448 < |x / s| <= 464 rounds to 448 in E4M3 anyway and does not
/// count); flushed: x != 0 but q == 0;
/// subnormal: q != 0 below the smallest normal. Non-finite inputs are left
/// out of every figure.
static Figures measureFormat(ArrayRef<double> x, ArrayRef<double> scales,
                             ArrayRef<double> q, const GroupIndex &groups,
                             FloatType format) {
  const llvm::fltSemantics &semantics = format.getFloatSemantics();
  double largest = llvm::APFloat::getLargest(semantics).convertToDouble();
  double smallestNormal =
      llvm::APFloat::getSmallestNormalized(semantics).convertToDouble();
  Figures figures;
  for (double scale : scales) {
    figures.scaleMin = std::min(figures.scaleMin, scale);
    figures.scaleMax = std::max(figures.scaleMax, scale);
  }
  for (size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]))
      continue;
    float scale = float(scales[groups.ofElement[i]]);
    float scaled = float(x[i]) / scale;
    figures.saturated +=
        std::fabs(scaled) > largest && overflows(scaled, semantics);
    figures.flushed += x[i] != 0 && q[i] == 0;
    figures.subnormal += q[i] != 0 && std::fabs(q[i]) < smallestNormal;
    double decoded = float(q[i]) * scale;
    if (!std::isfinite(decoded)) {
      ++figures.nonfiniteOutputs;
      continue;
    }
    figures.signal += x[i] * x[i];
    figures.noise += (x[i] - decoded) * (x[i] - decoded);
  }
  return figures;
}

/// Symmetric INT8 of `x` under `grouping`: per group s = amax / 127 in f32
/// (1 where amax is 0), q = clamp(round-half-even(x / s), -127, 127).
static Figures measureInt8(ArrayRef<double> x, ArrayRef<int64_t> shape,
                           Grouping grouping) {
  GroupIndex groups(shape, grouping);
  std::vector<float> amax(groups.numGroups, 0.0f);
  for (size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i]))
      amax[groups.ofElement[i]] =
          std::max(amax[groups.ofElement[i]], float(std::fabs(x[i])));
  std::vector<float> scales(groups.numGroups);
  Figures figures;
  for (int64_t g = 0; g < groups.numGroups; ++g) {
    scales[g] = amax[g] == 0 ? 1.0f : amax[g] / 127.0f;
    figures.scaleMin = std::min<double>(figures.scaleMin, scales[g]);
    figures.scaleMax = std::max<double>(figures.scaleMax, scales[g]);
  }
  for (size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]))
      continue;
    float scale = scales[groups.ofElement[i]];
    float scaled = float(x[i]) / scale;
    figures.saturated += std::fabs(scaled) > 127.5f;
    float q = std::clamp(std::nearbyint(scaled), -127.0f, 127.0f);
    figures.flushed += x[i] != 0 && q == 0;
    double decoded = q * scale;
    figures.signal += x[i] * x[i];
    figures.noise += (x[i] - decoded) * (x[i] - decoded);
  }
  return figures;
}

/// Counts of floor(log2 |x|) over the finite non-zero elements.
static json::Object histogram(ArrayRef<double> x) {
  int lowest = std::numeric_limits<int>::max(), highest = 0;
  int64_t zeros = 0, nonfinite = 0;
  for (double value : x) {
    if (!std::isfinite(value)) {
      ++nonfinite;
    } else if (value == 0) {
      ++zeros;
    } else {
      int exponent = std::ilogb(value);
      lowest = std::min(lowest, exponent);
      highest = std::max(highest, exponent);
    }
  }
  json::Array counts;
  if (lowest <= highest) {
    std::vector<int64_t> bins(highest - lowest + 1, 0);
    for (double value : x)
      if (std::isfinite(value) && value != 0)
        ++bins[std::ilogb(value) - lowest];
    for (int64_t bin : bins)
      counts.push_back(bin);
  }
  return json::Object{
      {"first_exponent", lowest <= highest ? json::Value(lowest) : nullptr},
      {"counts", std::move(counts)},
      {"zeros", zeros},
      {"nonfinite", nonfinite}};
}

static json::Array shapeToJson(ArrayRef<int64_t> shape) {
  json::Array array;
  for (int64_t dim : shape)
    array.push_back(dim);
  return array;
}

static std::string typeToString(Type type) {
  std::string text;
  llvm::raw_string_ostream(text) << type;
  return text;
}

/// "tensor", "rowwise" or "block [r, c]".
static std::string scalingToString(ScalingAttr scaling) {
  if (scaling.isTensor())
    return "tensor";
  if (scaling.isRowwise())
    return "rowwise";
  return ("block [" + Twine(scaling.getBlock()[0]) + ", " +
          Twine(scaling.getBlock()[1]) + "]")
      .str();
}

/// The report of one quantize entry.
static json::Object reportTensor(const ReportEntry &entry, int64_t id,
                                 ArrayRef<HostTensor> outputs,
                                 const std::vector<int64_t> &matmulIds,
                                 const ReportManifest &manifest) {
  const HostTensor &input = outputs[entry.input];
  std::vector<double> x = decode(input);
  std::vector<double> scales = decode(outputs[entry.scale]);
  std::vector<double> q = decode(outputs[entry.result]);
  GroupIndex groups(input.shape, Grouping::of(entry.scaling));
  auto format = cast<FloatType>(entry.format);
  Figures fp8 = measureFormat(x, scales, q, groups, format);

  int64_t finite = 0;
  double amax = 0;
  for (double value : x)
    if (std::isfinite(value)) {
      ++finite;
      amax = std::max(amax, std::fabs(value));
    }
  Figures int8Tensor = measureInt8(x, input.shape, Grouping{true, 1, 1});
  Figures int8Channel = measureInt8(
      x, input.shape, Grouping{false, 1, std::numeric_limits<int64_t>::max()});
  Figures int8Groups = measureInt8(x, input.shape, Grouping::of(entry.scaling));

  json::Array feeds;
  for (int64_t matmul : entry.feeds)
    feeds.push_back(json::Object{{"matmul", matmulIds[matmul]},
                                 {"loc", manifest.entries[matmul].loc}});
  const llvm::fltSemantics &semantics = format.getFloatSemantics();
  double fp8Sqnr = sqnrDb(fp8), int8Sqnr = sqnrDb(int8Groups);
  return json::Object{
      {"id", id},
      {"op", entry.op},
      {"loc", entry.loc},
      {"role", entry.role},
      {"feeds", std::move(feeds)},
      {"shape", shapeToJson(input.shape)},
      {"input_type", typeToString(input.elementType)},
      {"format", typeToString(format)},
      {"format_max", llvm::APFloat::getLargest(semantics).convertToDouble()},
      {"format_min_normal",
       llvm::APFloat::getSmallestNormalized(semantics).convertToDouble()},
      {"format_min_subnormal",
       llvm::APFloat::getSmallest(semantics).convertToDouble()},
      {"scaling", scalingToString(entry.scaling)},
      {"scale_type", typeToString(outputs[entry.scale].elementType)},
      {"elements", int64_t(x.size())},
      {"nonfinite", int64_t(x.size()) - finite},
      {"amax", amax},
      {"fp8", figuresToJson(fp8, finite, /*narrowFloat=*/true)},
      {"int8",
       json::Object{
           {"tensor", figuresToJson(int8Tensor, finite, false)},
           {"channel", figuresToJson(int8Channel, finite, false)},
           {"fp8_groups", figuresToJson(int8Groups, finite, false)}}},
      {"better", fp8Sqnr >= int8Sqnr ? "fp8" : "int8"},
      {"histogram", histogram(x)}};
}

/// ||D - D_ref|| / ||D_ref|| of a scaled matmul, D_ref the matmul of the
/// high-precision inputs of its quantize ops (plus its bias) in double;
/// nullopt where an operand has no quantize op.
static std::optional<double> matmulError(const ReportEntry &entry,
                                         const ReportManifest &manifest,
                                         ArrayRef<HostTensor> outputs) {
  if (entry.a < 0 || entry.b < 0)
    return std::nullopt;
  const HostTensor &aTensor = outputs[manifest.entries[entry.a].input];
  const HostTensor &bTensor = outputs[manifest.entries[entry.b].input];
  const HostTensor &dTensor = outputs[entry.result];
  std::vector<double> a = decode(aTensor), b = decode(bTensor),
                      d = decode(dTensor);
  size_t rank = aTensor.shape.size();
  int64_t m = aTensor.shape[rank - 2], k = aTensor.shape[rank - 1];
  int64_t n = entry.transposeB ? bTensor.shape[rank - 2]
                               : bTensor.shape[rank - 1];
  int64_t batches = m * k ? int64_t(a.size()) / (m * k) : 0;
  std::vector<double> bias;
  if (entry.bias >= 0)
    bias = decode(outputs[entry.bias]);
  double outScale = entry.outScale >= 0 ? decode(outputs[entry.outScale])[0]
                                        : 1.0;
  double difference = 0, reference = 0;
  std::vector<double> bRow(k);
  for (int64_t batch = 0; batch < batches; ++batch)
    for (int64_t col = 0; col < n; ++col) {
      for (int64_t i = 0; i < k; ++i)
        bRow[i] = entry.transposeB ? b[(batch * n + col) * k + i]
                                   : b[(batch * k + i) * n + col];
      for (int64_t row = 0; row < m; ++row) {
        const double *aRow = &a[(batch * m + row) * k];
        double sum = bias.empty() ? 0.0 : bias[col];
        for (int64_t i = 0; i < k; ++i)
          sum += aRow[i] * bRow[i];
        double got = d[(batch * m + row) * n + col] * outScale;
        difference += (got - sum) * (got - sum);
        reference += sum * sum;
      }
    }
  return std::sqrt(difference / reference);
}

std::string fp8::buildReport(const ReportManifest &manifest,
                             ArrayRef<HostTensor> outputs) {
  // Tensors and matmuls are numbered apart, in program order.
  std::vector<int64_t> tensorIds(manifest.entries.size(), -1),
      matmulIds(manifest.entries.size(), -1);
  int64_t numTensors = 0, numMatmuls = 0;
  for (auto [index, entry] : llvm::enumerate(manifest.entries))
    (entry.isMatmul ? matmulIds[index] = numMatmuls++
                    : tensorIds[index] = numTensors++);

  json::Array tensors, matmuls;
  for (auto [index, entry] : llvm::enumerate(manifest.entries)) {
    if (!entry.isMatmul) {
      tensors.push_back(
          reportTensor(entry, tensorIds[index], outputs, matmulIds, manifest));
      continue;
    }
    std::optional<double> error = matmulError(entry, manifest, outputs);
    auto operand = [&](int64_t entryIndex) -> json::Value {
      if (entryIndex < 0)
        return nullptr;
      return tensorIds[entryIndex];
    };
    matmuls.push_back(json::Object{
        {"id", matmulIds[index]},
        {"op", entry.op},
        {"loc", entry.loc},
        {"a", operand(entry.a)},
        {"b", operand(entry.b)},
        {"shape", shapeToJson(outputs[entry.result].shape)},
        {"output_type", typeToString(outputs[entry.result].elementType)},
        {"relative_error", error ? number(*error) : json::Value(nullptr)}});
  }
  json::Object root{
      {"schema_version", kReportSchemaVersion},
      {"entry", manifest.entry},
      {"recipe", manifest.recipe.empty() ? json::Value(nullptr)
                                         : json::Value(manifest.recipe)},
      {"tensors", std::move(tensors)},
      {"matmuls", std::move(matmuls)}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", json::Value(std::move(root)));
  return text;
}

FailureOr<ReportRun> fp8::runReport(ModuleOp module, StringRef entry,
                                    ArrayRef<HostTensor> inputs) {
  FailureOr<ReportManifest> manifest = instrumentForReport(module, entry);
  if (failed(manifest))
    return failure();
  auto function = CPUFunction::compile(module, entry);
  if (failed(function))
    return failure();
  FailureOr<std::vector<HostTensor>> outputs = (*function)->run(inputs);
  if (failed(outputs))
    return failure();
  ReportRun run;
  run.json = buildReport(*manifest, *outputs);
  outputs->resize(manifest->numResults);
  run.outputs = std::move(*outputs);
  return run;
}
