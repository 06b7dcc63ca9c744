//===- GPUOptions.h - Fixed choices of the GPU lowering options -*- C++ -*-===//
//
// Part of fp8-mlir. The enums behind the fixed-choice options of
// `convert-fp8-to-gpu` and `--fp8-gpu-pipeline`, with their command-line
// spellings, declared once for both.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_CONVERSION_GPUOPTIONS_H
#define FP8_CONVERSION_GPUOPTIONS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/ErrorHandling.h"

namespace mlir::fp8 {

/// What `gpu.binary` holds (`format=`).
enum class GPUBinaryFormat { Isa, Bin, Fatbin };

inline llvm::cl::ValuesClass gpuBinaryFormatValues() {
  return llvm::cl::values(
      clEnumValN(GPUBinaryFormat::Isa, "isa", "PTX text"),
      clEnumValN(GPUBinaryFormat::Bin, "bin", "cubin (needs ptxas)"),
      clEnumValN(GPUBinaryFormat::Fatbin, "fatbin", "fatbin (needs ptxas)"));
}

/// The `compilation-target` of gpu-module-to-binary.
inline llvm::StringRef stringifyGPUBinaryFormat(GPUBinaryFormat format) {
  switch (format) {
  case GPUBinaryFormat::Isa:
    return "isa";
  case GPUBinaryFormat::Bin:
    return "bin";
  case GPUBinaryFormat::Fatbin:
    return "fatbin";
  }
  llvm_unreachable("unknown GPUBinaryFormat");
}

/// A GEMM feature forced on or off, or left to KernelHeuristics
/// (`gemm-warp-specialize=`, `gemm-persistent=`).
enum class GemmSwitch { Auto, On, Off };

inline llvm::cl::ValuesClass gemmSwitchValues() {
  return llvm::cl::values(
      clEnumValN(GemmSwitch::Auto, "auto", "the KernelHeuristics choice"),
      clEnumValN(GemmSwitch::On, "on", "on"),
      clEnumValN(GemmSwitch::Off, "off", "off"));
}

/// The sm_90a GEMM cluster, CTAs along M x along N (`gemm-cluster=`).
enum class GemmCluster { Auto, C1x1, C2x1, C1x2 };

inline llvm::cl::ValuesClass gemmClusterValues() {
  return llvm::cl::values(
      clEnumValN(GemmCluster::Auto, "auto", "the KernelHeuristics choice"),
      clEnumValN(GemmCluster::C1x1, "1x1", "no cluster"),
      clEnumValN(GemmCluster::C2x1, "2x1", "two CTAs along M share B's tile"),
      clEnumValN(GemmCluster::C1x2, "1x2", "two CTAs along N share A's tile"));
}

/// The sm_90a GEMM accumulation without scales along K
/// (`gemm-accumulate=`).
enum class GemmAccumulate { Auto, Fast, Split };

inline llvm::cl::ValuesClass gemmAccumulateValues() {
  return llvm::cl::values(
      clEnumValN(GemmAccumulate::Auto, "auto",
                 "split when an operand is E5M2"),
      clEnumValN(GemmAccumulate::Fast, "fast",
                 "all of K in the wgmma accumulators"),
      clEnumValN(GemmAccumulate::Split, "split",
                 "per K step partial sums added to f32 totals"));
}

/// How a GEMM thread waits on an mbarrier phase (`gemm-wait-hint=`):
/// `mbarrier.try_wait.parity` with a suspend-time hint, or without one
/// (the thread spins on try_wait, as CUTLASS's and DeepGEMM's barriers do).
enum class GemmWaitHint { Suspend, Spin };

inline llvm::cl::ValuesClass gemmWaitHintValues() {
  return llvm::cl::values(
      clEnumValN(GemmWaitHint::Suspend, "suspend",
                 "try_wait with a 10 ms suspend-time hint"),
      clEnumValN(GemmWaitHint::Spin, "spin", "try_wait without a hint"));
}

/// The order in which a GEMM's CTAs (or a persistent CTA's iterations)
/// visit the output tiles (`gemm-raster=`).
enum class GemmRaster { M, Grouped };

inline llvm::cl::ValuesClass gemmRasterValues() {
  return llvm::cl::values(
      clEnumValN(GemmRaster::M, "m", "M fastest over all row tiles"),
      clEnumValN(GemmRaster::Grouped, "grouped",
                 "M fastest within strips of gemm-raster-group row tiles"));
}

/// The L2 promotion of the GEMMs' TMA descriptors (`gemm-l2-promotion=`),
/// in the order of CUDA's CUtensorMapL2promotion.
enum class GemmL2Promotion { None, B64, B128, B256 };

inline llvm::cl::ValuesClass gemmL2PromotionValues() {
  return llvm::cl::values(
      clEnumValN(GemmL2Promotion::None, "none", "no L2 promotion"),
      clEnumValN(GemmL2Promotion::B64, "64", "64-byte L2 promotion"),
      clEnumValN(GemmL2Promotion::B128, "128", "128-byte L2 promotion"),
      clEnumValN(GemmL2Promotion::B256, "256", "256-byte L2 promotion"));
}

/// The CUtensorMapL2promotion enumerator of `value`, as the launch manifest
/// names it.
inline llvm::StringRef stringifyGemmL2Promotion(GemmL2Promotion value) {
  switch (value) {
  case GemmL2Promotion::None:
    return "CU_TENSOR_MAP_L2_PROMOTION_NONE";
  case GemmL2Promotion::B64:
    return "CU_TENSOR_MAP_L2_PROMOTION_L2_64B";
  case GemmL2Promotion::B128:
    return "CU_TENSOR_MAP_L2_PROMOTION_L2_128B";
  case GemmL2Promotion::B256:
    return "CU_TENSOR_MAP_L2_PROMOTION_L2_256B";
  }
  llvm_unreachable("unknown GemmL2Promotion");
}

/// A schedule choice that is either off or on (`gemm-epilogue-prefetch=`).
enum class GemmToggle { Off, On };

inline llvm::cl::ValuesClass gemmToggleValues() {
  return llvm::cl::values(clEnumValN(GemmToggle::Off, "off", "off"),
                          clEnumValN(GemmToggle::On, "on", "on"));
}

/// How the consumer warpgroups of the persistent sm_90a GEMM share the
/// tiles (`gemm-schedule=`): both on the rows of one tile, or each on whole
/// tiles, taking turns on the tensor cores.
enum class GemmSM90Schedule { Cooperative, PingPong };

inline llvm::cl::ValuesClass gemmSM90ScheduleValues() {
  return llvm::cl::values(
      clEnumValN(GemmSM90Schedule::Cooperative, "cooperative",
                 "both consumers on halves of one tile"),
      clEnumValN(GemmSM90Schedule::PingPong, "pingpong",
                 "each consumer on whole tiles, alternating MMAs"));
}

/// How the persistent sm_90a GEMM writes D (`gemm-epilogue=`): straight
/// from the registers (pairs, or after an exchange between the 4 lanes of
/// a fragment row so each lane stores up to 16 contiguous bytes and a
/// warp's store fills whole 32-byte sectors), or through a swizzled
/// shared-memory tile that one thread stores with TMA.
enum class GemmEpilogue { Direct, DirectWide, TmaStore };

inline llvm::cl::ValuesClass gemmEpilogueValues() {
  return llvm::cl::values(
      clEnumValN(GemmEpilogue::Direct, "direct", "stores from the registers"),
      clEnumValN(GemmEpilogue::DirectWide, "direct-wide",
                 "stores from the registers after shuffles between the "
                 "lanes of a row, whole 32-byte sectors per store"),
      clEnumValN(GemmEpilogue::TmaStore, "tma-store",
                 "shared-memory tile stored by cp.async.bulk.tensor"));
}

/// What the order mbarriers of the sm_90a ping-pong schedule order
/// (`gemm-pingpong-order=`): the consumers' main loops only, or their main
/// loops and their epilogues (CUTLASS's ping-pong).
enum class GemmPingPongOrder { Mma, MmaEpilogue };

inline llvm::cl::ValuesClass gemmPingPongOrderValues() {
  return llvm::cl::values(
      clEnumValN(GemmPingPongOrder::Mma, "mma",
                 "the consumers take turns issuing their main loops"),
      clEnumValN(GemmPingPongOrder::MmaEpilogue, "mma-epilogue",
                 "the consumers take turns issuing their main loops and "
                 "running their epilogues"));
}

/// How the sm_90a GEMM promotes the partial sums of scales along K
/// (`gemm-promotion=`).
enum class GemmPromotion { Serial, Overlapped };

inline llvm::cl::ValuesClass gemmPromotionValues() {
  return llvm::cl::values(
      clEnumValN(GemmPromotion::Serial, "serial",
                 "wait for each K group's wgmma's, then promote"),
      clEnumValN(GemmPromotion::Overlapped, "overlapped",
                 "issue the next K group's wgmma's, then promote the "
                 "previous group while they run"));
}

/// How a block-scaled GEMM moves its scale factors into shared memory
/// (`gemm-scale-load=`): loads by the threads from global memory
/// (`global`), or TMA boxes counted in the stage's full barrier (`tma`;
/// sm_100a: both MX operands' scales, sm_90a: A's per-row scales along K).
enum class GemmScaleLoad { Global, Tma };

inline llvm::cl::ValuesClass gemmScaleLoadValues() {
  return llvm::cl::values(
      clEnumValN(GemmScaleLoad::Global, "global",
                 "the threads load the scales from global memory"),
      clEnumValN(GemmScaleLoad::Tma, "tma",
                 "TMA boxes of the scales in each stage"));
}

/// The spelling of a cluster, for diagnostics.
inline llvm::StringRef stringifyGemmCluster(GemmCluster value) {
  switch (value) {
  case GemmCluster::Auto:
    return "auto";
  case GemmCluster::C1x1:
    return "1x1";
  case GemmCluster::C2x1:
    return "2x1";
  case GemmCluster::C1x2:
    return "1x2";
  }
  llvm_unreachable("unknown GemmCluster");
}

} // namespace mlir::fp8

#endif // FP8_CONVERSION_GPUOPTIONS_H
