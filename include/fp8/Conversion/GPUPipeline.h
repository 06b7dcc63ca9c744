//===- GPUPipeline.h - fp8 ops to PTX for Hopper/Blackwell ------*- C++ -*-===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_CONVERSION_GPUPIPELINE_H
#define FP8_CONVERSION_GPUPIPELINE_H

#include "fp8/Conversion/GPUOptions.h"
#include "fp8/Conversion/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
namespace fp8 {

/// Options of `--fp8-gpu-pipeline`, declared once: each pass the pipeline
/// runs gets its options from these (the projections below).
struct FP8GPUPipelineOptions
    : public PassPipelineOptions<FP8GPUPipelineOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip",
      llvm::cl::desc("Target GPU: sm_90a (Hopper) or sm_100a (Blackwell)"),
      llvm::cl::init("sm_90a")};
  PassOptions::Option<GPUBinaryFormat> format{
      *this, "format",
      llvm::cl::desc("What gpu.binary holds: isa (PTX text), bin (cubin, "
                     "needs ptxas) or fatbin"),
      llvm::cl::init(GPUBinaryFormat::Isa), gpuBinaryFormatValues()};
  PassOptions::Option<std::string> gemmTile{
      *this, "gemm-tile",
      llvm::cl::desc("Override the GEMM CTA tile, `MxN` (e.g. 128x128); "
                     "empty: the KernelHeuristics choice"),
      llvm::cl::init("")};
  PassOptions::Option<unsigned> gemmStages{
      *this, "gemm-stages",
      llvm::cl::desc("Override the GEMM shared-memory pipeline depth; 0: the "
                     "KernelHeuristics choice"),
      llvm::cl::init(0)};
  PassOptions::Option<GemmSwitch> gemmWarpSpecialize{
      *this, "gemm-warp-specialize",
      llvm::cl::desc("GEMM structure: on (sm_90a: producer + two consumer "
                     "warpgroups; sm_100a: TMA, MMA and epilogue warps), "
                     "off (one warpgroup) or auto (the KernelHeuristics "
                     "choice; off on sm_100a until measured)"),
      llvm::cl::init(GemmSwitch::Auto), gemmSwitchValues()};
  PassOptions::Option<GemmCluster> gemmCluster{
      *this, "gemm-cluster",
      llvm::cl::desc("GEMM cluster, CTAs along M x along N: 1x1, 2x1 "
                     "(sm_90a: sharing B's tile through TMA multicast; "
                     "sm_100a: a CTA pair with tcgen05.mma.cta_group::2), "
                     "1x2 (sm_90a: sharing A's) or auto (the KernelHeuristics "
                     "choice; no pair on sm_100a)"),
      llvm::cl::init(GemmCluster::Auto), gemmClusterValues()};
  PassOptions::Option<GemmAccumulate> gemmAccumulate{
      *this, "gemm-accumulate",
      llvm::cl::desc("sm_90a GEMM accumulation without scales along K: fast "
                     "(in the wgmma accumulators), split (per K step partial "
                     "sums added to f32 totals) or auto (split when an "
                     "operand is E5M2)"),
      llvm::cl::init(GemmAccumulate::Auto), gemmAccumulateValues()};
  PassOptions::Option<GemmSwitch> gemmPersistent{
      *this, "gemm-persistent",
      llvm::cl::desc("GEMM with persistent CTAs (both chips): on (one CTA "
                     "per SM looping over the tiles; sm_100a: two TMEM "
                     "accumulators), off, or auto (off until measured on a "
                     "GPU)"),
      llvm::cl::init(GemmSwitch::Auto), gemmSwitchValues()};
  PassOptions::Option<GemmWaitHint> gemmWaitHint{
      *this, "gemm-wait-hint",
      llvm::cl::desc("GEMM mbarrier waits (both chips): suspend (try_wait "
                     "with a 10 ms suspend-time hint; the default until "
                     "measured) or spin (no hint, as CUTLASS waits)"),
      llvm::cl::init(GemmWaitHint::Suspend), gemmWaitHintValues()};
  PassOptions::Option<GemmRaster> gemmRaster{
      *this, "gemm-raster",
      llvm::cl::desc("GEMM tile order (both chips): m (M fastest; the "
                     "default until measured) or grouped (M fastest within "
                     "strips of gemm-raster-group row tiles)"),
      llvm::cl::init(GemmRaster::M), gemmRasterValues()};
  PassOptions::Option<unsigned> gemmRasterGroup{
      *this, "gemm-raster-group",
      llvm::cl::desc("Row tiles per strip of gemm-raster=grouped, 1 to 64"),
      llvm::cl::init(8)};
  PassOptions::Option<GemmL2Promotion> gemmL2Promotion{
      *this, "gemm-l2-promotion",
      llvm::cl::desc("L2 promotion of the GEMMs' TMA descriptors (recorded "
                     "in the launch manifest): none (the default until "
                     "measured), 64, 128 or 256 bytes"),
      llvm::cl::init(GemmL2Promotion::None), gemmL2PromotionValues()};
  PassOptions::Option<GemmToggle> gemmEpiloguePrefetch{
      *this, "gemm-epilogue-prefetch",
      llvm::cl::desc("sm_90a GEMM: on loads the epilogue's row and output "
                     "scales before the last wgmma wait, off (the default "
                     "until measured) after the epilogue's barrier"),
      llvm::cl::init(GemmToggle::Off), gemmToggleValues()};
  PassOptions::Option<GemmSM90Schedule> gemmSchedule{
      *this, "gemm-schedule",
      llvm::cl::desc("Persistent sm_90a GEMM: cooperative (both consumer "
                     "warpgroups on one tile; the default until measured) "
                     "or pingpong (each on whole tiles, taking turns on "
                     "the tensor cores)"),
      llvm::cl::init(GemmSM90Schedule::Cooperative), gemmSM90ScheduleValues()};
  PassOptions::Option<GemmPingPongOrder> gemmPingPongOrder{
      *this, "gemm-pingpong-order",
      llvm::cl::desc("sm_90a ping-pong schedule: mma-epilogue (the "
                     "default, as CUTLASS: the consumers take turns in "
                     "their main loops and their epilogues) or mma (main "
                     "loops only)"),
      llvm::cl::init(GemmPingPongOrder::MmaEpilogue),
      gemmPingPongOrderValues()};
  PassOptions::Option<GemmEpilogue> gemmEpilogue{
      *this, "gemm-epilogue",
      llvm::cl::desc("Persistent sm_90a GEMM epilogue: direct (stores from "
                     "the registers; the default until measured), "
                     "direct-wide (stores of up to 16 contiguous bytes a "
                     "lane after shuffles within a row) or tma-store (a "
                     "swizzled shared-memory tile stored by TMA)"),
      llvm::cl::init(GemmEpilogue::Direct), gemmEpilogueValues()};
  PassOptions::Option<GemmPromotion> gemmPromotion{
      *this, "gemm-promotion",
      llvm::cl::desc("sm_90a GEMM with scales along K: serial (the default "
                     "until measured) or overlapped (the next K group's "
                     "wgmma's run while the previous group is promoted)"),
      llvm::cl::init(GemmPromotion::Serial), gemmPromotionValues()};
  PassOptions::Option<GemmScaleLoad> gemmScaleLoad{
      *this, "gemm-scale-load",
      llvm::cl::desc("How block-scaled GEMMs stage their scale factors: "
                     "global (producer threads; the default) or tma (TMA "
                     "boxes in each stage)"),
      llvm::cl::init(GemmScaleLoad::Global), gemmScaleLoadValues()};
  PassOptions::Option<unsigned> optLevel{
      *this, "opt-level",
      llvm::cl::desc("LLVM optimization level of the kernels"),
      llvm::cl::init(3)};

  /// The options of `convert-fp8-to-gpu`.
  ConvertFP8ToGPUOptions convertFP8ToGPUOptions() const;
  /// The options of `nvvm-attach-target`: the chip, the PTX ISA version its
  /// kernels need, the optimization level.
  GpuNVVMAttachTargetOptions nvvmAttachTargetOptions() const;
  /// The options of `gpu-module-to-binary`.
  GpuModuleToBinaryPassOptions moduleToBinaryOptions() const;
};

/// `--fp8-gpu-pipeline`: tensor-level IR with fp8 ops down to LLVM-dialect
/// host code that launches kernels held in `gpu.binary` ops (PTX with
/// `format=isa`). See docs/gpu-pipeline.md.
void buildFP8GPUPipeline(OpPassManager &pm,
                         const FP8GPUPipelineOptions &options);

/// Registers `--fp8-gpu-pipeline`.
void registerFP8GPUPipeline();

} // namespace fp8
} // namespace mlir

#endif // FP8_CONVERSION_GPUPIPELINE_H
