//===- KernelHeuristics.h - Launch shapes of the fp8 GPU kernels -*- C++ -*-=//
//
// Part of fp8-mlir. The one place that decides tile shapes, pipeline depths
// and launch sizes of the GPU kernels (see docs/gpu-pipeline.md). Pass
// options override these choices.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_CONVERSION_FP8TONVVM_KERNELHEURISTICS_H
#define FP8_CONVERSION_FP8TONVVM_KERNELHEURISTICS_H

#include "fp8/Conversion/FP8ToNVVM/ChipInfo.h"
#include "fp8/Conversion/GPUOptions.h"
#include "fp8/Support/CheckedShape.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace mlir::fp8 {

/// Launch and addressing limits of CUDA shared by sm_90a and sm_100a.
struct CudaLimits {
  /// CTAs of a grid: at most 2^31 - 1 along x, 65535 along y and z.
  static constexpr int64_t kMaxGridX = (int64_t(1) << 31) - 1;
  static constexpr int64_t kMaxGridYZ = 65535;
  /// TMA coordinates (`cp.async.bulk.tensor`) are signed 32-bit: a tensor
  /// map reaches at most 2^31 rows and 2^31 columns.
  static constexpr int64_t kMaxTmaExtent = int64_t(1) << 31;

  /// Whether CUDA can launch a grid of `grid` (x, y, z) CTAs.
  static constexpr bool fitsGrid(const std::array<int64_t, 3> &grid) {
    return grid[0] <= kMaxGridX && grid[1] <= kMaxGridYZ &&
           grid[2] <= kMaxGridYZ;
  }
};

/// Schedule choices of the GEMMs of both chips that do not change their
/// tiling: each a pass option (`gemm-wait-hint`, `gemm-raster`,
/// `gemm-raster-group`, `gemm-l2-promotion`, `gemm-epilogue-prefetch`,
/// `gemm-promotion`)
/// whose default is the kernel as it was before the option existed, until
/// a GPU has measured the alternatives (docs/gpu-pipeline.md).
struct GemmSchedule {
  GemmWaitHint waitHint = GemmWaitHint::Suspend;
  GemmRaster raster = GemmRaster::M;
  /// Row tiles (cluster tiles in a cluster) per strip of the grouped
  /// raster, at most kMaxRasterGroup.
  int64_t rasterGroup = 8;
  static constexpr int64_t kMaxRasterGroup = 64;
  GemmL2Promotion l2Promotion = GemmL2Promotion::None;
  /// sm_90a: the epilogue's row and output scales are loaded before the
  /// last wgmma wait, not after the epilogue's barrier.
  GemmToggle epiloguePrefetch = GemmToggle::Off;
  /// sm_90a with scales along K: whether the next K group's wgmma's are
  /// issued before the previous group is promoted.
  GemmPromotion promotion = GemmPromotion::Serial;

  /// The end of the kernel name that tells the non-default choices apart:
  /// `_spin`, `_grp<N>`, `_l2p<B>`, `_epf`, `_ovp` (empty with the
  /// defaults).
  std::string nameSuffix() const;
  /// Why the choices are malformed (a raster group of 0), or none.
  std::optional<std::string> check() const;
};

/// The tiling and structure of the sm_90a FP8 GEMM kernel.
struct GemmSM90Config {
  /// CTA tile: rows of A (M), rows of B (N), and the K step of one stage.
  int64_t tileM = 128;
  int64_t tileN = 128;
  int64_t tileK = 128;
  /// Depth of the TMA -> shared memory ring.
  int64_t stages = 4;
  /// Warpgroups issuing wgmma; each owns tileM / consumerWarpgroups rows.
  int64_t consumerWarpgroups = 1;
  /// Warp specialization: one extra warpgroup (the first) whose thread 0
  /// only issues the TMA loads, released stage by stage by the consumers
  /// through "empty" mbarriers. Without it, consumer thread 0 refills the
  /// ring between K steps.
  bool warpSpecialized = false;
  /// Thread block cluster along M (grid x) and N (grid y): 1 or 2, at most
  /// one of them 2, warp-specialized kernels only. The two CTAs of a 2x1
  /// cluster compute neighbouring row tiles of the same columns, so they
  /// share B's tile: each loads one half with a TMA multicast to both. A
  /// 1x2 cluster shares A's tile the same way.
  int64_t clusterM = 1;
  int64_t clusterN = 1;
  /// Persistent CTAs (warp-specialized only): one CTA per SM loops over
  /// the output tiles (a cluster over pairs of them), its producer loading
  /// the next tile's K steps while the consumers finish the last one.
  bool persistent = false;
  /// Persistent only: the CTAs of the 1-D grid. Whole clusters, at most
  /// one CTA per SM and one cluster per cluster of tiles.
  int64_t persistentCTAs = 0;
  /// Waits, tile order, L2 promotion, epilogue prefetch: the overrides'.
  GemmSchedule schedule;
  /// Persistent only (`gemm-schedule=pingpong`): each consumer warpgroup
  /// computes whole tiles (tileM rows), consumer w the CTA's tiles w,
  /// w + 2, ...; an ordered pair of mbarriers (orderBarrierBytes) lets
  /// the two issue their main loops in turn, so one's epilogue overlaps
  /// the other's MMAs.
  bool pingPong = false;
  /// Ping-pong only (`gemm-pingpong-order=mma-epilogue`): a second ordered
  /// pair of mbarriers makes the consumers also run their epilogues in
  /// turn, as CUTLASS's ping-pong does.
  bool orderedEpilogues = false;
  /// Persistent direct epilogue (`gemm-epilogue=direct-wide`): the 4 lanes
  /// of a fragment row exchange their pairs in wideStoreRounds() butterfly
  /// rounds of shuffles (1 or 2), after which each lane stores 2 << rounds
  /// consecutive elements of D; 0 stores the pairs as they are.
  int64_t wideStoreRounds = 0;
  /// Persistent only (`gemm-epilogue=tma-store`): each consumer writes its
  /// rows of D into its own buffer of storeBufferBytes() after the ring
  /// (128-byte swizzled boxes of 128 bytes per row), which its thread 0
  /// stores with TMA. Set when D allows it (outBytes > 0).
  bool tmaStore = false;
  /// Bytes per element of D when tmaStore.
  int64_t outBytes = 0;
  /// `gemm-scale-load=tma` (warp-specialized, A's scales per row along K):
  /// the producer loads a box of kScaleBoxBytes x tileM bytes of A's
  /// scales per K step into the stage's scale box (after the ring), counted
  /// on full[s]; the consumers read A's scales from there.
  bool scaleLoadTma = false;
  /// With scaleLoadTma, B's scales per column along K (MX [1, 32]) too: a
  /// box of kScaleBoxBytes x tileN bytes after A's in the stage's scale
  /// area; the consumers read B's scales from there.
  bool bScaleLoadTma = false;
  static constexpr int64_t kScaleBoxBytes = 16;

  /// `setmaxnreg` budgets of the warp-specialized kernel: the producer
  /// warpgroup gives registers back, the consumers take them
  /// (128 * (40 + 2 * 232) <= 64 Ki registers per SM).
  static constexpr int64_t kProducerRegisters = 40;
  static constexpr int64_t kConsumerRegisters = 232;
  /// gemm-promotion=overlapped: the K groups one iteration of the K loop
  /// overlaps (whole K steps, at least one); the last group of each
  /// iteration is promoted after a full wait (GemmSM90Mma.cpp).
  static constexpr int64_t kOverlappedGroups = 4;

  /// Rows of the CTA tile one consumer warpgroup computes.
  int64_t consumerRows() const {
    return pingPong ? tileM : tileM / consumerWarpgroups;
  }
  /// Consumer warpgroups that read each stage (and release it).
  int64_t stageReaders() const { return pingPong ? 1 : consumerWarpgroups; }
  /// Arrivals by which one reader releases a stage: one, after its
  /// wgmma_wait (the wgmma's of all its warps are complete); with
  /// gemm-scale-load=tma, one per warp, as each warp also reads the scale
  /// boxes with ld.shared and no warp may release them for another.
  int64_t releasesPerReader() const { return scaleLoadTma ? 4 : 1; }
  /// The TMA-store buffer of one consumer warpgroup (its rows of D), and
  /// the columns of one 128-byte store box.
  int64_t storeBufferBytes() const {
    return tmaStore ? consumerRows() * tileN * outBytes : 0;
  }
  int64_t storeBoxCols() const { return tmaStore ? 128 / outBytes : 0; }
  /// The ping-pong turn mbarriers, after full[s] and empty[s]: the main
  /// loops' pair, then the epilogues' pair when they are ordered too.
  int64_t orderBarrierBytes() const {
    return pingPong ? (orderedEpilogues ? 4 : 2) * 8 : 0;
  }
  /// Shared memory of one stage (A tile + B tile, one byte per element).
  int64_t stageBytes() const { return (tileM + tileN) * tileK; }
  /// The scale boxes of one stage (gemm-scale-load=tma: A's, then B's;
  /// 0 otherwise), and the TMA bytes full[s] counts: the tiles and boxes.
  int64_t aScaleBoxBytes() const {
    return scaleLoadTma ? tileM * kScaleBoxBytes : 0;
  }
  int64_t scaleStageBytes() const {
    return aScaleBoxBytes() + (bScaleLoadTma ? tileN * kScaleBoxBytes : 0);
  }
  int64_t stageTxBytes() const { return stageBytes() + scaleStageBytes(); }
  /// Threads of one CTA.
  int64_t numThreads() const {
    return 128 * (consumerWarpgroups + (warpSpecialized ? 1 : 0));
  }
  /// CTAs of a cluster, and whether B's (A's) tile is multicast to them.
  int64_t clusterSize() const { return clusterM * clusterN; }
  bool multicastsB() const { return clusterM > 1; }
  bool multicastsA() const { return clusterN > 1; }
  /// Rows of A's and of B's tile one TMA load brings: a 1/clusterSize
  /// share of a multicast tile, else the whole tile.
  int64_t aBoxRows() const { return tileM / clusterN; }
  int64_t bBoxRows() const { return tileN / clusterM; }
  /// Shared memory of the mbarriers after the ring: full[s] and empty[s].
  int64_t barrierBytes() const {
    return 2 * 8 * stages + orderBarrierBytes();
  }
  /// Dynamic shared memory of the kernel: 1 KiB so the ring can start on a
  /// 1024-byte boundary (what the 128-byte swizzle needs; the buffer is
  /// declared 1024-byte aligned, so the kernel's run-time round-up finds it
  /// aligned, but the kernel does not rely on that), the ring, the
  /// scale boxes (gemm-scale-load=tma), the TMA-store buffers of the
  /// consumers, the mbarriers.
  int64_t dynamicSharedMemory() const {
    return 1024 + stages * (stageBytes() + scaleStageBytes()) +
           consumerWarpgroups * storeBufferBytes() + barrierBytes();
  }
};

/// What the GEMM heuristic looks at.
struct GemmSM90Problem {
  int64_t m = 0, n = 0, k = 0;
  /// GEMMs of a batched op (grid z); their CTAs count together.
  int64_t batch = 1;
  /// Elements of K per scale group when a scale changes along K (128 for
  /// `[1, 128]` / `[128, 128]` block scales, 32 for MX): the kernel then
  /// promotes partial sums every `kGroup` elements and holds two
  /// accumulator sets. 0 when no scale changes along K.
  int64_t kGroup = 0;
  /// kGroup comes from the split accumulator (promotion every K step with
  /// no scale), not from scales along K.
  bool splitAccumulator = false;
  /// Bytes per element of D, and whether D's rows are whole 16 bytes (what
  /// a TMA store of D needs).
  int64_t outBytes = 2;
  bool outRowsAligned = true;
  /// A's scales change along K with one row per group ([1, 128], MX
  /// [1, 32]): what gemm-scale-load=tma loads into the stage. Their bytes
  /// per scale (4 for f32, 1 for E8M0).
  bool rowScalesAlongK = false;
  int64_t scaleBytes = 4;
  /// B's scales change along K with one row of B (column of D) per group
  /// (MX [1, 32], [1, 128] as B): gemm-scale-load=tma loads them into the
  /// stage too. Their bytes per scale.
  bool colScalesAlongK = false;
  int64_t bScaleBytes = 4;
};

/// Pass-option overrides of the heuristic (empty / 0 / `Auto`: no
/// override); the enums are the options' own (GPUOptions.h).
struct GemmSM90Overrides {
  /// `MxN`, e.g. `128x256`.
  llvm::StringRef tile;
  /// Ring depth.
  unsigned stages = 0;
  GemmSwitch warpSpecialize = GemmSwitch::Auto;
  /// CTAs along M x along N.
  GemmCluster cluster = GemmCluster::Auto;
  GemmAccumulate accumulate = GemmAccumulate::Auto;
  /// `Auto` is off, until measured on a GPU.
  GemmSwitch persistent = GemmSwitch::Auto;
  GemmSchedule schedule;
  /// Persistent only; cooperative and direct until measured on a GPU.
  GemmSM90Schedule kernelSchedule = GemmSM90Schedule::Cooperative;
  /// Ping-pong only: whether the epilogues take turns too.
  GemmPingPongOrder pingPongOrder = GemmPingPongOrder::MmaEpilogue;
  GemmEpilogue epilogue = GemmEpilogue::Direct;
  /// Where A's along-K scales come from (GemmSM90Config::scaleLoadTma).
  GemmScaleLoad scaleLoad = GemmScaleLoad::Global;
};

/// Whether the sm_90a GEMM of an operand pair without scales along K uses a
/// split accumulator: the wgmma's of each 128-wide K step accumulate into
/// fresh partial sums that are then added to f32 totals, instead of all of
/// K accumulating inside the wgmma accumulators (whose FP8 adds keep fewer
/// than 32 bits, see docs/gpu-pipeline.md). `auto` splits when an operand
/// is E5M2, i.e. for the gradient GEMMs of the hybrid recipes, as
/// Transformer Engine does by default (fast forward, split dgrad/wgrad).
bool chooseGemmSM90SplitAccumulator(GemmAccumulate accumulate,
                                    bool hasE5M2Operand);

/// Chooses the GEMM kernel for `problem` on `chip` (a chip with wgmma; the
/// table in KernelHeuristics.cpp and docs/gpu-pipeline.md), then applies
/// `overrides`: warp specialization first, then the tile (whose default
/// depends on the structure), then the stages, then the cluster, then
/// persistence. Returns an error message when an override is malformed or
/// names a kernel that cannot be built (too many accumulator registers,
/// too much shared memory).
std::optional<std::string>
configureGemmSM90(const ChipInfo &chip, const GemmSM90Problem &problem,
                  const GemmSM90Overrides &overrides, GemmSM90Config &config);

//===----------------------------------------------------------------------===//
// sm_100a GEMM
//===----------------------------------------------------------------------===//

/// The tiling of the sm_100a FP8 GEMM kernel: one CTA of four warps, thread
/// 0 issuing `tcgen05.mma` of tileM x tileN x 32 into a tensor-memory
/// accumulator, TMA feeding a `stages`-deep shared-memory ring.
struct GemmSM100Config {
  /// CTA tile (= MMA shape M x N) and the K step of one stage.
  int64_t tileM = 128;
  int64_t tileN = 128;
  int64_t tileK = 128;
  int64_t stages = 4;
  /// MXFP8 (`tcgen05.mma.block_scale`): each stage also carries the E8M0
  /// scale factors of its K step, in shared and in tensor memory.
  bool blockScaled = false;
  /// NVFP4 (`.kind::mxf4nvf4.block_scale.scale_vec::4X`, implies
  /// blockScaled): A and B are packed FP4, so a K step of tileK bytes holds
  /// 2 * tileK elements, and each of its tileK / 32 MMAs (K 64) reads its
  /// own scale chunks (four E4M3 bytes per row, one per 16 elements).
  bool nvfp4 = false;
  /// MXFP4 x MXFP4 on packed FP4 (`.kind::mxf4.block_scale.scale_vec::2X`,
  /// implies blockScaled): the same K steps of 2 * tileK elements, and one
  /// scale set per two MMAs (four E8M0 bytes per row, one per 32 elements;
  /// MMA kk reads bytes 2 (kk % 2) and 2 (kk % 2) + 1).
  bool mxf4 = false;
  /// Warp specialization (`gemm-warp-specialize=on`,
  /// GemmSM100WarpSpecialized.cpp): six warps, warp 0 the TMA producer,
  /// warp 1 the MMA issuer, warps 2-5 the epilogue.
  bool warpSpecialized = false;
  /// Persistent CTAs (`gemm-persistent=on`, warp-specialized only): one
  /// CTA per SM loops over the tiles with two tensor-memory accumulators,
  /// so the epilogue of a tile overlaps the MMAs of the next.
  bool persistent = false;
  /// Persistent only: the CTAs of the 1-D grid (at most one per SM).
  int64_t persistentCTAs = 0;
  /// MXFP8, warp-specialized (`gemm-scale-load=tma`): the producer loads
  /// each stage's scale factors as TMA boxes of [128 rows, 16 bytes] (the
  /// scales of K groups 4 kt .. 4 kt + 15) next to the operands, counted
  /// in full[s]; the MMA warp rearranges the step's words into the
  /// `tcgen05.cp` source (GemmSM100WarpSpecialized.cpp).
  bool scaleLoadTma = false;
  /// A CTA pair (`gemm-cluster=2x1`, warp-specialized tensorwise /
  /// rowwise only; GemmSM100Pair.cpp): a 2-CTA cluster computes a
  /// 256 x tileN tile with `tcgen05.mma.cta_group::2` issued by the even
  /// CTA; each CTA loads its 128 rows of A and half of B's tileN rows, and
  /// holds its 128 rows of the accumulator.
  bool ctaPair = false;
  /// Waits, tile order, L2 promotion: the overrides'.
  GemmSchedule schedule;

  /// Threads of one CTA (a warp per 32 accumulator lanes).
  static constexpr int64_t kNumThreads = 128;
  /// Threads of a warp-specialized CTA: producer, MMA and 4 epilogue warps.
  static constexpr int64_t kWarpSpecializedThreads = 192;
  /// Epilogue `tcgen05.ld`s (16 columns each) in flight before one wait:
  /// 64 f32 registers per thread.
  static constexpr int64_t kLoadsPerWait = 4;
  /// A `tcgen05.cp .32x128b` source: the four scale bytes of 128 rows.
  static constexpr int64_t kScaleChunkBytes = 512;
  /// `gemm-scale-load=tma`: one TMA box of scales, 128 rows of 16 bytes
  /// (TMA's smallest inner box; 16 K groups of 32).
  static constexpr int64_t kScaleBoxRows = 128, kScaleBoxBytes = 2048;

  /// 128-row chunks of B's scale factors.
  int64_t scaleChunksB() const { return ceilDiv(tileN, 128); }
  /// Elements of K one stage holds (tileK bytes of each row).
  int64_t kElementsPerStep() const {
    return packedFP4() ? 2 * tileK : tileK;
  }
  /// A and B are packed FP4 (NVFP4 or `.kind::mxf4`).
  bool packedFP4() const { return nvfp4 || mxf4; }
  /// CTAs that share one MMA: 2 for a CTA pair, else 1.
  int64_t pairCTAs() const { return ctaPair ? 2 : 1; }
  /// Rows of B's tile in one CTA's shared memory (and of its TMA box): a
  /// CTA pair splits B's tileN rows between its two CTAs.
  int64_t bTileRows() const { return tileN / pairCTAs(); }
  /// Scale chunk sets (A + B's) per stage: one (MX: four k32 MMAs share a
  /// word), NVFP4 one per MMA, mxf4 one per two MMAs.
  int64_t scaleSetsPerStage() const {
    return nvfp4 ? tileK / 32 : mxf4 ? tileK / 64 : 1;
  }
  /// Shared memory of one stage: A and B tiles (one byte per element),
  /// then with block scaling the scale chunks of A and B.
  int64_t operandStageBytes() const { return (tileM + bTileRows()) * tileK; }
  /// `gemm-scale-load=tma`: the stage's TMA boxes of scales (A's, then one
  /// per 128 rows of B), after its `tcgen05.cp` sources.
  int64_t scaleBoxBytes() const {
    return scaleLoadTma ? kScaleBoxBytes * (1 + scaleChunksB()) : 0;
  }
  int64_t scaleStageBytes() const {
    return blockScaled ? kScaleChunkBytes * (1 + scaleChunksB()) *
                                 scaleSetsPerStage() +
                             scaleBoxBytes()
                       : 0;
  }
  /// The bytes TMA writes into one stage: full[s]'s expect-tx.
  int64_t stageTransactionBytes() const {
    return operandStageBytes() + scaleBoxBytes();
  }
  int64_t numThreads() const {
    return warpSpecialized ? kWarpSpecializedThreads : kNumThreads;
  }
  /// Tensor-memory accumulators: two when persistent (the MMAs of one tile
  /// write one while the epilogue reads the other), else one.
  int64_t accumulatorBuffers() const { return persistent ? 2 : 1; }
  int64_t accumulatorColumns() const { return accumulatorBuffers() * tileN; }
  /// mbarriers after the ring's full and empty barriers: one for the
  /// finished accumulator, or (warp-specialized) a full and an empty
  /// barrier per accumulator buffer (always two pairs).
  int64_t accumulatorBarriers() const { return warpSpecialized ? 4 : 1; }
  /// Shared memory of the mbarriers and of the tensor-memory address.
  int64_t barrierBytes() const {
    return 8 * (2 * stages + accumulatorBarriers()) + 8;
  }
  /// Dynamic shared memory of the kernel: 1 KiB to align the ring to a
  /// 1024-byte boundary (the 128-byte swizzle needs it), the ring, the
  /// barriers.
  int64_t dynamicSharedMemory() const {
    return 1024 + stages * (operandStageBytes() + scaleStageBytes()) +
           barrierBytes();
  }
  /// Tensor memory columns: the f32 accumulators (tileN columns each),
  /// then per stage 4 columns of A scales and 4 per 128 rows of B.
  int64_t scaleColumnsPerStage() const {
    return blockScaled ? 4 * (1 + scaleChunksB()) * scaleSetsPerStage() : 0;
  }
  int64_t tensorMemoryColumnsUsed() const {
    return accumulatorColumns() + stages * scaleColumnsPerStage();
  }
  /// What `tcgen05.alloc` takes: a power of two of at least 32 columns.
  int64_t tensorMemoryColumns() const {
    int64_t columns = 32;
    while (columns < tensorMemoryColumnsUsed())
      columns *= 2;
    return columns;
  }
};

/// What the sm_100a GEMM heuristic looks at.
struct GemmSM100Problem {
  int64_t m = 0, n = 0, k = 0;
  /// GEMMs of a batched op (grid z); their CTAs count together.
  int64_t batch = 1;
  bool blockScaled = false;
  /// NVFP4 operands (packed FP4, E4M3 scales of 16 elements).
  bool nvfp4 = false;
  /// MXFP4 x MXFP4 on packed FP4 (`.kind::mxf4`, E8M0 scales of 32).
  bool mxf4 = false;
};

/// Pass-option overrides of the sm_100a heuristic (empty / 0 / `Auto`:
/// none).
struct GemmSM100Overrides {
  llvm::StringRef tile;
  unsigned stages = 0;
  /// `Auto` is off on sm_100a until measured on a B200.
  GemmSwitch warpSpecialize = GemmSwitch::Auto;
  GemmSwitch persistent = GemmSwitch::Auto;
  /// MXFP8 scale factors by TMA (`gemm-scale-load=tma`).
  GemmScaleLoad scaleLoad = GemmScaleLoad::Global;
  /// `2x1`: a CTA pair with `tcgen05.mma.cta_group::2`; `auto` and `1x1`:
  /// one CTA per tile; `1x2` is reported.
  GemmCluster cluster = GemmCluster::Auto;
  /// The epilogue prefetch does not apply (tcgen05.ld epilogue): the
  /// kernel's schedule has it off.
  GemmSchedule schedule;
};

/// Chooses the sm_100a GEMM tiling for `problem` on `chip` (a chip with
/// tcgen05; see KernelHeuristics.cpp and docs/gpu-pipeline.md), then
/// applies `overrides`. Returns an error message when an override is
/// malformed or does not fit (shape of one MMA, shared memory, tensor
/// memory).
std::optional<std::string>
configureGemmSM100(const ChipInfo &chip, const GemmSM100Problem &problem,
                   const GemmSM100Overrides &overrides,
                   GemmSM100Config &config);

/// Threads per CTA of the elementwise kernels (quantize, dequantize, amax).
constexpr int64_t kElementwiseBlockSize = 256;

/// Grid size of the per-tensor amax kernel for `numChunks` vector chunks:
/// enough CTAs for about four chunks per thread, at most two per SM of an
/// H100 (264; each CTA ends with one atomic, so fewer CTAs mean fewer
/// atomics). The same on every chip: not retuned for B200 yet.
int64_t chooseTensorAmaxGridSize(int64_t numChunks);

} // namespace mlir::fp8

#endif // FP8_CONVERSION_FP8TONVVM_KERNELHEURISTICS_H
