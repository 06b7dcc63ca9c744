//===- KernelHeuristics.h - Launch shapes of the fp8 GPU kernels -*- C++ -*-=//
//
// Part of fp8-mlir. The one place that decides tile shapes, pipeline depths
// and launch sizes of the GPU kernels (see docs/gpu-pipeline.md). Pass
// options override these choices.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_CONVERSION_FP8TONVVM_KERNELHEURISTICS_H
#define FP8_CONVERSION_FP8TONVVM_KERNELHEURISTICS_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir::fp8 {

/// Facts about the Hopper parts the heuristics size for (H100/H200 SXM).
struct HopperLimits {
  static constexpr int64_t kNumSMs = 132;
  /// Largest dynamic shared memory one CTA may opt into (227 KiB).
  static constexpr int64_t kMaxDynamicSharedMemory = 227 * 1024;
};

/// The tiling of the sm_90a FP8 GEMM kernel.
struct GemmSM90Config {
  /// CTA tile: rows of A (M), rows of B (N), and the K step of one stage.
  int64_t tileM = 128;
  int64_t tileN = 128;
  int64_t tileK = 128;
  /// Depth of the TMA -> shared memory ring.
  int64_t stages = 4;
  /// Warpgroups issuing wgmma; each owns tileM / consumers rows.
  int64_t consumerWarpgroups = 1;

  /// Shared memory of one stage (A tile + B tile, one byte per element).
  int64_t stageBytes() const { return (tileM + tileN) * tileK; }
  /// Threads of one CTA.
  int64_t numThreads() const { return 128 * consumerWarpgroups; }
  /// Dynamic shared memory of the kernel: the ring plus 1 KiB so the ring
  /// can start on a 1024-byte boundary (what the 128-byte swizzle needs).
  int64_t dynamicSharedMemory() const { return stages * stageBytes() + 1024; }
};

/// Chooses the GEMM tiling for an M x N x K problem:
///
/// * `tileK = 128`: one 128-byte swizzle row of FP8 per stage and row.
/// * `tileM = 128` (two m64 wgmma rows per warpgroup), `tileN = 128`;
///   `tileN = 64` when N <= 64 or when 128x128 tiles would leave more than
///   half of the 132 SMs idle, so small problems still spread over the chip.
/// * `stages`: as many as fit in 227 KiB of shared memory, at most 4 and at
///   most the number of K steps.
GemmSM90Config chooseGemmSM90Config(int64_t m, int64_t n, int64_t k);

/// Applies the `gemm-tile` (`MxN`) and `gemm-stages` overrides to `config`
/// (stages beyond the number of K steps are dropped).
/// Returns an error message when an override is malformed or not a shape
/// the kernel supports.
std::optional<std::string> applyGemmOverrides(GemmSM90Config &config,
                                              llvm::StringRef tile,
                                              unsigned stages, int64_t k);

/// Threads per CTA of the elementwise kernels (quantize, dequantize, amax).
constexpr int64_t kElementwiseBlockSize = 256;

/// Grid size of the per-tensor amax kernel for `numChunks` vector chunks:
/// enough CTAs for about four chunks per thread, at most two per SM (each
/// CTA ends with one atomic, so fewer CTAs mean fewer atomics).
int64_t chooseTensorAmaxGridSize(int64_t numChunks);

} // namespace mlir::fp8

#endif // FP8_CONVERSION_FP8TONVVM_KERNELHEURISTICS_H
