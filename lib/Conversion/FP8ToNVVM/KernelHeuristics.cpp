//===- KernelHeuristics.cpp - Launch shapes of the fp8 GPU kernels --------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8/Conversion/FP8ToNVVM/KernelHeuristics.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::fp8;

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

/// The deepest ring (at most 4 stages, at most one per K step) that fits in
/// shared memory.
static int64_t chooseStages(const GemmSM90Config &config, int64_t k) {
  int64_t kSteps = ceilDiv(k, config.tileK);
  int64_t fit = (HopperLimits::kMaxDynamicSharedMemory - 1024) /
                config.stageBytes();
  return std::max<int64_t>(1, std::min({int64_t(4), fit, kSteps}));
}

GemmSM90Config fp8::chooseGemmSM90Config(int64_t m, int64_t n, int64_t k) {
  GemmSM90Config config;
  int64_t ctas = ceilDiv(m, config.tileM) * ceilDiv(n, config.tileN);
  if (n <= 64 || ctas * 2 <= HopperLimits::kNumSMs)
    config.tileN = 64;
  config.stages = chooseStages(config, k);
  return config;
}

std::optional<std::string> fp8::applyGemmOverrides(GemmSM90Config &config,
                                                   llvm::StringRef tile,
                                                   unsigned stages,
                                                   int64_t k) {
  if (!tile.empty()) {
    auto [mText, nText] = tile.split('x');
    int64_t m = 0, n = 0;
    if (mText.getAsInteger(10, m) || nText.getAsInteger(10, n))
      return "gemm-tile must be `MxN` (e.g. 128x128), got '" + tile.str() +
             "'";
    if (m != 64 && m != 128)
      return "gemm-tile M must be 64 or 128 (m64 wgmma rows of one "
             "warpgroup), got " +
             std::to_string(m);
    if (n < 16 || n > 256 || n % 16 != 0)
      return "gemm-tile N must be a multiple of 16 in [16, 256], got " +
             std::to_string(n);
    if (m * n > 128 * 128)
      return "gemm-tile " + tile.str() +
             " needs more than 128 f32 accumulator registers per thread "
             "(M * N <= 16384)";
    config.tileM = m;
    config.tileN = n;
    config.stages = chooseStages(config, k);
  }
  if (stages != 0) {
    if (stages * config.stageBytes() + 1024 >
        HopperLimits::kMaxDynamicSharedMemory)
      return "gemm-stages " + std::to_string(stages) +
             " does not fit in 227 KiB of shared memory with tile " +
             std::to_string(config.tileM) + "x" + std::to_string(config.tileN);
    // More stages than K steps would only hold empty buffers.
    config.stages = std::min<int64_t>(stages, ceilDiv(k, config.tileK));
  }
  return std::nullopt;
}

int64_t fp8::chooseTensorAmaxGridSize(int64_t numChunks) {
  int64_t wanted = ceilDiv(numChunks, kElementwiseBlockSize * 4);
  return std::clamp<int64_t>(wanted, 1, 2 * HopperLimits::kNumSMs);
}
