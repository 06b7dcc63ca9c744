//===- HighPrecisionFromReport.cpp - Calibrated high-precision matmuls ----===//
//
// Part of fp8-mlir. Implements fp8-high-precision-from-report: matmuls whose
// FP8 error in a calibration run's numerics report (docs/report.md) is above
// a threshold, or that its `keep` list names (fp8_mlir.calibrate), get
// `fp8.high_precision`, which fp8-quantize-matmuls honours.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/HighPrecisionMatmuls.h"
#include "fp8/Dialect/FP8/Transforms/MatmulMatchers.h"
#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "fp8/Dialect/FP8/Transforms/ReportManifest.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace mlir::fp8 {
#define GEN_PASS_DEF_FP8HIGHPRECISIONFROMREPORT
#include "fp8/Dialect/FP8/Transforms/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;
using namespace mlir::fp8;

/// `file:line:col` with the file's directories dropped.
static std::string withBaseName(StringRef location) {
  // The line and column are the last two fields; the file may hold ':'.
  size_t column = location.rfind(':');
  size_t line = column == StringRef::npos ? column
                                          : location.rfind(':', column - 1);
  if (line == StringRef::npos)
    return location.str();
  return (llvm::sys::path::filename(location.take_front(line)) +
          location.drop_front(line))
      .str();
}

namespace {
/// A matmul of the report: where it is, its error (none for a matmul only
/// the keep list names), whether the keep list names it, and whether an op
/// of the module matched it.
struct CalibratedMatmul {
  std::string loc;
  std::optional<double> error;
  bool keep = false;
  bool matched = false;
};

struct FP8HighPrecisionFromReportPass
    : public fp8::impl::FP8HighPrecisionFromReportBase<
          FP8HighPrecisionFromReportPass> {
  using Base::Base;

  /// The matmuls of the report at `report` with a relative error, or
  /// failure after an error at the module.
  FailureOr<std::vector<CalibratedMatmul>> readReport(ModuleOp module) {
    auto fail = [&](const Twine &why) {
      module.emitError() << "fp8-high-precision-from-report: " << report
                         << ": " << why;
      return failure();
    };
    auto buffer = llvm::MemoryBuffer::getFile(report);
    if (!buffer)
      return fail("cannot read: " + buffer.getError().message());
    llvm::Expected<llvm::json::Value> json =
        llvm::json::parse((*buffer)->getBuffer());
    if (!json)
      return fail("not JSON: " + llvm::toString(json.takeError()));
    const llvm::json::Object *root = json->getAsObject();
    const llvm::json::Value *keep = root ? root->get("keep") : nullptr;
    if (!root || root->getInteger("schema_version") != 1 ||
        (!root->getArray("matmuls") && !keep))
      return fail("not a numerics report of schema version 1 (see "
                  "docs/report.md)");
    std::vector<CalibratedMatmul> matmuls;
    if (const llvm::json::Array *measured = root->getArray("matmuls")) {
      for (const llvm::json::Value &value : *measured) {
        const llvm::json::Object *matmul = value.getAsObject();
        std::optional<StringRef> loc =
            matmul ? matmul->getString("loc") : std::nullopt;
        std::optional<double> error =
            matmul ? matmul->getNumber("relative_error") : std::nullopt;
        if (loc && error)
          matmuls.push_back({loc->str(), *error});
      }
    }
    if (!keep)
      return matmuls;
    const llvm::json::Array *keepList = keep->getAsArray();
    if (!keepList)
      return fail("\"keep\" is not a list");
    for (auto [index, value] : llvm::enumerate(*keepList)) {
      const llvm::json::Object *entry = value.getAsObject();
      std::optional<StringRef> loc =
          entry ? entry->getString("loc") : std::nullopt;
      if (!loc)
        return fail(llvm::formatv("entry {0} of \"keep\" has no \"loc\" "
                                  "string",
                                  index));
      auto measured = llvm::find_if(matmuls, [&](const CalibratedMatmul &m) {
        return m.loc == *loc;
      });
      if (measured != matmuls.end())
        measured->keep = true;
      else
        matmuls.push_back({loc->str(), std::nullopt, /*keep=*/true});
    }
    return matmuls;
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<std::vector<CalibratedMatmul>> matmuls = readReport(module);
    if (failed(matmuls))
      return signalPassFailure();
    // By full location, and by base name where that is unambiguous.
    llvm::StringMap<CalibratedMatmul *> byLocation;
    llvm::StringMap<SmallVector<CalibratedMatmul *, 1>> byBaseName;
    for (CalibratedMatmul &matmul : *matmuls) {
      byLocation[matmul.loc] = &matmul;
      byBaseName[withBaseName(matmul.loc)].push_back(&matmul);
    }
    module.walk([&](Operation *op) {
      if (!isMatmulLike(op))
        return;
      std::string loc = report::formatLocation(op->getLoc());
      CalibratedMatmul *found = byLocation.lookup(loc);
      if (!found) {
        auto it = byBaseName.find(withBaseName(loc));
        if (it != byBaseName.end() && it->second.size() == 1)
          found = it->second.front();
      }
      if (!found)
        return;
      found->matched = true;
      if (found->keep) {
        op->setAttr(kHighPrecisionAttrName, UnitAttr::get(op->getContext()));
        op->emitRemark() << "kept in high precision: the calibration's keep "
                            "list names it";
        return;
      }
      if (!found->error || *found->error <= maxError)
        return;
      op->setAttr(kHighPrecisionAttrName, UnitAttr::get(op->getContext()));
      op->emitRemark() << llvm::formatv(
          "kept in high precision: the calibration report measured a "
          "relative error of {0:P1} for its FP8 matmul (above {1:P1})",
          *found->error, double(maxError));
    });
    for (const CalibratedMatmul &matmul : *matmuls)
      if (!matmul.matched)
        module.emitWarning() << "fp8-high-precision-from-report: the matmul "
                                "of the report at "
                             << matmul.loc
                             << " matches no matmul of the module (a report "
                                "of another program?)";
  }
};
} // namespace
