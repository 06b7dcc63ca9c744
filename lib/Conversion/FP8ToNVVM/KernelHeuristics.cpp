//===- KernelHeuristics.cpp - Launch shapes of the fp8 GPU kernels --------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8/Conversion/FP8ToNVVM/KernelHeuristics.h"
#include "fp8/Support/CheckedShape.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::fp8;

//===----------------------------------------------------------------------===//
// sm_90a GEMM
//===----------------------------------------------------------------------===//
//
// With ctas(tm, tn) = batch * ceil(M / tm) * ceil(N / tn) and the chip's
// SMs (ChipInfo::getNumSMs, 132 for sm_90a: H100/H200 SXM), the kernel is
// chosen by:
//
// | K scales | condition                     | structure | tile    | stages |
// |----------|-------------------------------|-----------|---------|--------|
// | no       | N >= 256, ctas(128, 256) >= 132 | WS      | 128x256 | <= 4   |
// | no       | ctas(128, 128) >= 132         | WS        | 128x128 | <= 6   |
// | no       | otherwise                     | 1 WG      | 128x128 | <= 4   |
// |          |   and ctas(128, 128) <= 66    | 1 WG      | 128x64  | <= 4   |
// | yes      | ctas(128, 128) >= 132         | WS        | 128x128 | <= 6   |
// | yes      | otherwise                     | 1 WG      | 64x128  | <= 4   |
// |          |   and ctas(64, 128) <= 66     | 1 WG      | 64x64   | <= 4   |
//
// (WS: warp-specialized, 3 warpgroups; 1 WG: one warpgroup.)
//
// * "Scales along K": a block-scaled operand whose groups split K ([1, 128],
//   [128, 128], MX [1, 32]), or a split accumulator (see
//   chooseGemmSM90SplitAccumulator: partial sums per 128-wide K step). Every
//   consumer thread then holds a second set of accumulators for the
//   partial sums of the current K group, so the default tile gives a
//   consumer 64 x 128 (2 x 64 f32 registers). `gemm-tile` may widen it up
//   to 192 f32 accumulator registers (128x192; 128x128 with
//   `gemm-promotion=overlapped`, which holds a third set).
// * Warp-specialized: a producer warpgroup (TMA, `setmaxnreg.dec` 40) and
//   two consumer warpgroups (wgmma, `setmaxnreg.inc` 232), each owning half
//   of the tile's rows. It pays off once every SM gets a tile: smaller
//   problems keep the one-warpgroup kernel, whose 128 threads need fewer
//   registers and no producer hand-off.
// * One warpgroup: tileN = 64 when N <= 64 or when the 128-wide tiles would
//   leave more than half of the SMs idle. Every structure uses tileN = 64
//   when N <= 64 (a wider tile would only multiply zero fill).
// * Stages: as many as fit in ChipInfo::getMaxDynamicSharedMemory (226
//   KiB) with the cap above, at most one per 128-wide K step. 128x256
//   stages take 48 KiB (4 = 192 KiB), 128x128 32 KiB (6 = 192 KiB), 64x128
//   24 KiB.
// * Cluster (warp-specialized only): 2x1 when the grid has an even number
//   of row tiles, else 1x2 when it has an even number of column tiles, else
//   1x1. The two CTAs of a 2x1 cluster share B's tile, each TMA-loading one
//   half with a multicast to both, so B's share of the L2 -> SM traffic
//   halves (a 128x256 stage: 48 KiB per CTA -> 32 KiB). Like CUTLASS's
//   default Hopper schedules, which use 2-CTA clusters for large GEMMs. The
//   grid must divide into clusters: a padded grid would need CTAs beyond M
//   or N that only load, so the heuristic never pads and an override that
//   would need it is an error. The one-warpgroup kernel has no empty
//   barriers through which a peer could release a stage: no cluster.
//
// * Persistent CTAs (`gemm-persistent=on`, warp-specialized only; off by
//   default until measured on a GPU): min(cluster tiles, 132 / cluster
//   size) clusters, each looping over every that many-th cluster tile.
// * Ping-pong (`gemm-schedule=pingpong`, persistent only; cooperative by
//   default until measured): each consumer warpgroup computes whole tiles,
//   so the tile is what one warpgroup's 128 accumulator registers hold:
//   128x128, or 64x128 with scales along K (like CUTLASS's FP8 ping-pong
//   tiles); gemm-tile M may be 64 or 128. The epilogues take turns too
//   unless `gemm-pingpong-order=mma` (two more mbarriers).
// * TMA-store epilogue (`gemm-epilogue=tma-store`, persistent only;
//   direct by default until measured): each consumer's rows of D get a
//   shared-memory buffer after the ring, so fewer stages fit (128x256
//   bf16: 3 instead of 4). Used only where D's rows are whole 16 bytes
//   (TMA's global stride), a tile row whole 128-byte boxes and, batched,
//   M whole tiles (the GEMMs' rows share one tensor map); otherwise the
//   kernel keeps the direct epilogue.
// * Wide direct stores (`gemm-epilogue=direct-wide`, persistent only):
//   shuffles within each fragment row, no shared memory; as many butterfly
//   rounds as the tile's column blocks and N allow (wideStoreRounds).
//
// `gemm-warp-specialize=on|off`, `gemm-tile=MxN`, `gemm-stages=S`,
// `gemm-cluster=1x1|2x1|1x2` and `gemm-persistent=on|off` override the
// structure, tile, stages, cluster and persistence, in that order.

/// `bytes` in KiB for messages: `226 KiB`.
static std::string kibText(int64_t bytes) {
  return std::to_string(bytes / 1024) + " KiB";
}

/// ctas(tileM, tileN) of the table above: the CTAs of the grid (of all the
/// GEMMs of a batched op), saturated at INT64_MAX.
static int64_t ctas(const GemmSM90Problem &problem, int64_t tileM,
                    int64_t tileN) {
  return saturatingProduct({problem.batch, ceilDiv(problem.m, tileM),
                            ceilDiv(problem.n, tileN)});
}

/// The deepest ring (at most `cap` stages, at most one per K step) that
/// fits in shared memory.
static int64_t chooseStages(const ChipInfo &chip, GemmSM90Config config,
                            int64_t k, int64_t cap) {
  int64_t kSteps = ceilDiv(k, config.tileK);
  config.stages = std::min(cap, kSteps);
  while (config.stages > 1 &&
         config.dynamicSharedMemory() > chip.getMaxDynamicSharedMemory())
    --config.stages;
  return config.stages;
}

/// The stage cap of the table above.
static int64_t stageCap(const GemmSM90Config &config) {
  return config.warpSpecialized ? 6 : 4;
}

/// Sets the structure fields of `config`.
static void setWarpSpecialized(GemmSM90Config &config, bool enable) {
  config.warpSpecialized = enable;
  config.consumerWarpgroups = enable ? 2 : 1;
}

/// Whether the default structure is warp-specialized: once 128x128 tiles give
/// every SM one (the table above).
static bool wantsWarpSpecialization(const ChipInfo &chip,
                                    const GemmSM90Problem &problem) {
  return ctas(problem, 128, 128) >= chip.getNumSMs();
}

/// The default tile of the chosen structure.
static void chooseTile(const ChipInfo &chip, const GemmSM90Problem &problem,
                       GemmSM90Config &config) {
  bool promotes = problem.kGroup != 0;
  if (config.pingPong) {
    // Each consumer holds a whole tile: 128 accumulator registers at most.
    config.tileM = promotes ? 64 : 128;
    config.tileN = 128;
  } else if (config.warpSpecialized) {
    config.tileM = 128;
    config.tileN = 128;
    if (!promotes && problem.n >= 256 &&
        ctas(problem, 128, 256) >= chip.getNumSMs())
      config.tileN = 256;
  } else {
    config.tileM = promotes ? 64 : 128;
    config.tileN = 128;
    if (ctas(problem, config.tileM, 128) <= chip.getNumSMs() / 2)
      config.tileN = 64;
  }
  if (problem.n <= 64)
    config.tileN = 64;
}

/// Sets of f32 accumulator registers one consumer thread holds: the
/// totals, plus with promotion the partial sums of the K group in flight,
/// plus with gemm-promotion=overlapped those of the group being promoted.
static int64_t accumulatorSets(const GemmSM90Problem &problem,
                               const GemmSM90Config &config) {
  if (problem.kGroup == 0)
    return 1;
  return config.schedule.promotion == GemmPromotion::Overlapped ? 3 : 2;
}

/// f32 accumulator registers one consumer thread holds for `config`.
static int64_t accumulatorRegisters(const GemmSM90Problem &problem,
                                    const GemmSM90Config &config) {
  int64_t perSet = config.consumerRows() / 64 * config.tileN / 2;
  return accumulatorSets(problem, config) * perSet;
}

/// The most f32 accumulator registers a consumer thread may hold (of its
/// 232 with warp specialization, 255 without): 128 when all of K
/// accumulates in the wgmma accumulators; 192 when the kernel promotes
/// (blockwise, MX, split accumulator), whose only other long-lived values
/// are a few scales and descriptors. The wider promoting tiles this admits
/// (128x160, 128x192; 128x128 with overlapped promotion) assemble without
/// spills (test/Conversion/FP8ToNVVM/gemm-blockwise-wide-ptx.mlir).
static int64_t maxAccumulatorRegisters(const GemmSM90Problem &problem) {
  return problem.kGroup != 0 ? 192 : 128;
}

/// Parses and checks `gemm-tile`.
static std::optional<std::string> applyTile(const GemmSM90Problem &problem,
                                            llvm::StringRef tile,
                                            GemmSM90Config &config) {
  auto [mText, nText] = tile.split('x');
  int64_t m = 0, n = 0;
  if (mText.getAsInteger(10, m) || nText.getAsInteger(10, n))
    return "gemm-tile must be `MxN` (e.g. 128x128), got '" + tile.str() + "'";
  if (config.pingPong && m != 64 && m != 128)
    return "gemm-tile M must be 64 or 128 with gemm-schedule=pingpong (one "
           "consumer warpgroup's m64 wgmma rows), got " +
           std::to_string(m);
  if (!config.pingPong && config.warpSpecialized && m != 128 && m != 256)
    return "gemm-tile M must be 128 or 256 with warp specialization (two "
           "consumer warpgroups of 64 or 128 rows), got " +
           std::to_string(m);
  if (!config.warpSpecialized && m != 64 && m != 128)
    return "gemm-tile M must be 64 or 128 (m64 wgmma rows of one "
           "warpgroup), got " +
           std::to_string(m);
  if (n < 16 || n > 256 || n % 16 != 0)
    return "gemm-tile N must be a multiple of 16 in [16, 256], got " +
           std::to_string(n);
  config.tileM = m;
  config.tileN = n;
  int64_t registers = accumulatorRegisters(problem, config);
  if (registers > maxAccumulatorRegisters(problem))
    return "gemm-tile " + tile.str() + " needs " + std::to_string(registers) +
           " f32 accumulator registers per consumer thread" +
           (problem.splitAccumulator ? " (partial sums and totals of the "
                                       "split accumulator)"
            : problem.kGroup != 0     ? " (partial sums and totals for the "
                                        "scales along K)"
                                      : "") +
           (accumulatorSets(problem, config) == 3
                ? ", three sets with gemm-promotion=overlapped"
                : "") +
           "; at most " + std::to_string(maxAccumulatorRegisters(problem)) +
           " fit";
  return std::nullopt;
}

bool fp8::chooseGemmSM90SplitAccumulator(GemmAccumulate accumulate,
                                          bool hasE5M2Operand) {
  switch (accumulate) {
  case GemmAccumulate::Auto:
    return hasE5M2Operand;
  case GemmAccumulate::Fast:
    return false;
  case GemmAccumulate::Split:
    return true;
  }
  llvm_unreachable("unknown GemmAccumulate");
}

/// The default cluster of the table above.
static void chooseCluster(const GemmSM90Problem &problem,
                          GemmSM90Config &config) {
  config.clusterM = config.clusterN = 1;
  if (!config.warpSpecialized)
    return;
  int64_t rowTiles = ceilDiv(problem.m, config.tileM);
  int64_t colTiles = ceilDiv(problem.n, config.tileN);
  if (rowTiles % 2 == 0)
    config.clusterM = 2;
  else if (colTiles % 2 == 0)
    config.clusterN = 2;
}

/// Checks and applies a `gemm-cluster` other than `auto`.
static std::optional<std::string>
applyCluster(const GemmSM90Problem &problem, GemmCluster cluster,
             GemmSM90Config &config) {
  if (cluster == GemmCluster::C1x1) {
    config.clusterM = config.clusterN = 1;
    return std::nullopt;
  }
  std::string spelled = stringifyGemmCluster(cluster).str();
  if (!config.warpSpecialized)
    return "gemm-cluster " + spelled +
           " needs the warp-specialized kernel (its consumers release "
           "stages to both CTAs through empty barriers); the heuristic or "
           "gemm-warp-specialize chose one warpgroup";
  bool alongM = cluster == GemmCluster::C2x1;
  int64_t tiles = alongM ? ceilDiv(problem.m, config.tileM)
                         : ceilDiv(problem.n, config.tileN);
  if (tiles % 2 != 0)
    return "gemm-cluster " + spelled + " needs an even number of " +
           (alongM ? "row" : "column") + " tiles, got " +
           std::to_string(tiles);
  config.clusterM = alongM ? 2 : 1;
  config.clusterN = alongM ? 1 : 2;
  return std::nullopt;
}

/// The CTAs of a persistent GEMM: whole clusters, at most one CTA per SM
/// and one cluster per cluster of tiles.
static int64_t persistentCTAs(const ChipInfo &chip,
                              const GemmSM90Problem &problem,
                              const GemmSM90Config &config) {
  int64_t clusterTiles =
      ctas(problem, config.tileM, config.tileN) / config.clusterSize();
  int64_t clusters = chip.getNumSMs() / config.clusterSize();
  return std::min(clusterTiles, clusters) * config.clusterSize();
}

//===----------------------------------------------------------------------===//
// Schedule options (both chips)
//===----------------------------------------------------------------------===//

std::string GemmSchedule::nameSuffix() const {
  std::string suffix;
  if (waitHint == GemmWaitHint::Spin)
    suffix += "_spin";
  if (raster == GemmRaster::Grouped)
    suffix += "_grp" + std::to_string(rasterGroup);
  switch (l2Promotion) {
  case GemmL2Promotion::None:
    break;
  case GemmL2Promotion::B64:
    suffix += "_l2p64";
    break;
  case GemmL2Promotion::B128:
    suffix += "_l2p128";
    break;
  case GemmL2Promotion::B256:
    suffix += "_l2p256";
    break;
  }
  if (epiloguePrefetch == GemmToggle::On)
    suffix += "_epf";
  if (promotion == GemmPromotion::Overlapped)
    suffix += "_ovp";
  return suffix;
}

std::optional<std::string> GemmSchedule::check() const {
  if (rasterGroup < 1 || rasterGroup > kMaxRasterGroup)
    return "gemm-raster-group must be in [1, " +
           std::to_string(kMaxRasterGroup) + "], got " +
           std::to_string(rasterGroup);
  return std::nullopt;
}

/// The butterfly rounds of `gemm-epilogue=direct-wide`: after r rounds a
/// lane holds 2 << r consecutive elements of a row (r = 2: a whole 8-column
/// block of the fragment): 2 for bf16/f16 (16 bytes a lane) and FP8 (8
/// bytes; 32 a row), none for f32, whose pairs already fill 32-byte
/// sectors (one round would only halve the store count, and costs the
/// ping-pong consumer 32 bytes of spills); fewer where the tile's 8-column
/// blocks do not group into 1 << r or a piece would straddle N (a piece
/// must divide N, so it is wholly inside D or wholly outside).
static int64_t wideStoreRounds(const GemmSM90Problem &problem,
                               const GemmSM90Config &config) {
  int64_t rounds = problem.outBytes >= 4 ? 0 : 2;
  while (rounds > 0 && ((config.tileN / 8) % (int64_t(1) << rounds) != 0 ||
                        problem.n % (int64_t(2) << rounds) != 0))
    --rounds;
  return rounds;
}

/// gemm-scale-load=tma for a GEMM whose A scales change along K per row:
/// the producer loads a 16-byte x tileM box of them per K step (the step's
/// groups are its first groupsPerStep * scaleBytes bytes), so the scale
/// rows need TMA's 16-byte pitch: K / kGroup * scaleBytes a multiple of 16.
/// When B's scales change along K per column too (MX), a 16-byte x tileN
/// box of B's, under the same rule.
static std::optional<std::string>
applyScaleLoadTma(const ChipInfo &chip, const GemmSM90Problem &problem,
                  GemmSM90Config &config) {
  if (!config.warpSpecialized)
    return "gemm-scale-load=tma needs the warp-specialized kernel on " +
           chip.getName().str() +
           " (its producer loads the scales with the stage); the heuristic "
           "or gemm-warp-specialize chose one warpgroup";
  auto checkPitch = [&](llvm::StringRef operand,
                        int64_t scaleBytes) -> std::optional<std::string> {
    int64_t kMultiple =
        GemmSM90Config::kScaleBoxBytes / scaleBytes * problem.kGroup;
    if (problem.k % kMultiple == 0)
      return std::nullopt;
    return "gemm-scale-load=tma needs K to be a multiple of " +
           std::to_string(kMultiple) + " on " + chip.getName().str() + " (" +
           operand.str() + "'s scale rows, K / " +
           std::to_string(problem.kGroup) + " x " +
           std::to_string(scaleBytes) +
           " bytes, are TMA's row pitch, a multiple of 16 bytes), got K = " +
           std::to_string(problem.k) + "; use gemm-scale-load=global";
  };
  if (auto error = checkPitch("A", problem.scaleBytes))
    return error;
  if (problem.colScalesAlongK)
    if (auto error = checkPitch("B", problem.bScaleBytes))
      return error;
  config.scaleLoadTma = true;
  config.bScaleLoadTma = problem.colScalesAlongK;
  return std::nullopt;
}

std::optional<std::string>
fp8::configureGemmSM90(const ChipInfo &chip, const GemmSM90Problem &problem,
                       const GemmSM90Overrides &overrides,
                       GemmSM90Config &config) {
  config = GemmSM90Config();
  if (auto error = overrides.schedule.check())
    return error;
  config.schedule = overrides.schedule;
  // Without promotion there is nothing to overlap (and no `_ovp` name).
  if (problem.kGroup == 0)
    config.schedule.promotion = GemmPromotion::Serial;
  switch (overrides.warpSpecialize) {
  case GemmSwitch::On:
    setWarpSpecialized(config, true);
    break;
  case GemmSwitch::Off:
    setWarpSpecialized(config, false);
    break;
  case GemmSwitch::Auto:
    setWarpSpecialized(config, wantsWarpSpecialization(chip, problem));
    break;
  }

  bool persistent = overrides.persistent == GemmSwitch::On;
  if (overrides.kernelSchedule == GemmSM90Schedule::PingPong) {
    if (!persistent)
      return std::string("gemm-schedule=pingpong needs gemm-persistent=on "
                         "(the consumers alternate over a CTA's tiles)");
    config.pingPong = true;
    config.orderedEpilogues =
        overrides.pingPongOrder == GemmPingPongOrder::MmaEpilogue;
  }
  chooseTile(chip, problem, config);
  if (!overrides.tile.empty())
    if (auto error = applyTile(problem, overrides.tile, config))
      return error;
  if (overrides.epilogue == GemmEpilogue::TmaStore) {
    if (!persistent)
      return std::string("gemm-epilogue=tma-store needs gemm-persistent=on");
    // Batched rows fold into one tensor map: a ragged M would spill into
    // the next GEMM's rows.
    config.tmaStore = problem.outRowsAligned &&
                      config.tileN * problem.outBytes % 128 == 0 &&
                      (problem.batch == 1 || problem.m % config.tileM == 0);
    config.outBytes = config.tmaStore ? problem.outBytes : 0;
  }
  if (overrides.epilogue == GemmEpilogue::DirectWide) {
    if (!persistent)
      return std::string("gemm-epilogue=direct-wide needs gemm-persistent=on "
                         "(the other kernels stage bf16/f16/FP8 D in the "
                         "ring)");
    config.wideStoreRounds = wideStoreRounds(problem, config);
  }

  if (overrides.scaleLoad == GemmScaleLoad::Tma && problem.rowScalesAlongK)
    if (auto error = applyScaleLoadTma(chip, problem, config))
      return error;

  config.stages = chooseStages(chip, config, problem.k, stageCap(config));
  if (overrides.stages != 0) {
    GemmSM90Config wanted = config;
    wanted.stages = overrides.stages;
    if (wanted.dynamicSharedMemory() > chip.getMaxDynamicSharedMemory())
      return "gemm-stages " + std::to_string(overrides.stages) +
             " does not fit in " + kibText(chip.getMaxDynamicSharedMemory()) +
             " of dynamic shared memory with tile " +
             std::to_string(config.tileM) + "x" +
             std::to_string(config.tileN);
    // More stages than K steps would only hold empty buffers.
    config.stages = std::min<int64_t>(overrides.stages,
                                      ceilDiv(problem.k, config.tileK));
  }

  // The overlapped loop waits for K step kt + 1 before it releases the
  // stage of kt.
  // (when one iteration of its K loop spans several K steps).
  if (config.schedule.promotion == GemmPromotion::Overlapped &&
      config.stages < 2 && ceilDiv(problem.k, config.tileK) > 1 &&
      config.tileK / problem.kGroup < GemmSM90Config::kOverlappedGroups)
    return std::string("gemm-promotion=overlapped needs at least 2 stages "
                       "with groups of ") +
           std::to_string(problem.kGroup) +
           " elements of K (K step kt + 1 is waited for before the stage "
           "of kt is released), got 1";

  chooseCluster(problem, config);
  if (overrides.cluster != GemmCluster::Auto)
    if (auto error = applyCluster(problem, overrides.cluster, config))
      return error;

  // Persistent CTAs stay off by default until a GPU has measured them.
  if (overrides.persistent == GemmSwitch::On) {
    if (!config.warpSpecialized)
      return std::string("gemm-persistent=on needs the warp-specialized "
                         "kernel (its producer runs ahead into the next "
                         "tile); the heuristic or gemm-warp-specialize "
                         "chose one warpgroup");
    config.persistent = true;
    config.persistentCTAs = persistentCTAs(chip, problem, config);
  }
  return std::nullopt;
}


//===----------------------------------------------------------------------===//
// sm_100a GEMM
//===----------------------------------------------------------------------===//
//
// One CTA computes a 128 x tileN tile with one M = 128 MMA per k32 step
// (ChipInfo::getNumSMs: 148 SMs for sm_100a, B200):
//
// * tileN = 256 when N >= 256 and 128x256 tiles still give every SM one;
//   otherwise 128 when N > 64 and 128x128 tiles give at least half of the
//   SMs one; otherwise 64. The accumulator lives in tensor memory, so the
//   tile width costs no registers (the epilogue reads 16 columns at a time).
// * stages: as many as fit in 226 KiB of shared memory and in the 512
//   tensor-memory columns (ChipInfo::getMaxDynamicSharedMemory and
//   getTensorMemoryColumns; MXFP8 stages hold their scale factors in
//   both), at most 4 and at most one per 128-wide K step.
//
// `gemm-tile=128xN` and `gemm-stages=S` override them.
//
// `gemm-warp-specialize=on` picks the warp-specialized kernel (off with
// `auto` until a B200 measured it); `gemm-persistent=on` (warp-specialized
// only, off with `auto`) launches min(tiles, SMs) CTAs that loop over the
// tiles with two accumulators in tensor memory. When the two do not fit
// the 512 columns (MXFP8 with 128x256 tiles) and the tile was not given,
// the tile becomes 128x128.

/// The CTAs of the grid with 128 x `tileN` tiles, saturated at INT64_MAX.
static int64_t ctasSM100(const GemmSM100Problem &problem, int64_t tileN) {
  return saturatingProduct(
      {problem.batch, ceilDiv(problem.m, 128), ceilDiv(problem.n, tileN)});
}

/// Why `config` with `stages` stages does not fit the SM, or none.
static std::optional<std::string> checkSM100Fit(const ChipInfo &chip,
                                                GemmSM100Config config,
                                                int64_t stages) {
  config.stages = stages;
  if (config.dynamicSharedMemory() > chip.getMaxDynamicSharedMemory())
    return std::to_string(stages) + " stages of tile " +
           std::to_string(config.tileM) + "x" + std::to_string(config.tileN) +
           " need " + std::to_string(config.dynamicSharedMemory()) +
           " bytes of dynamic shared memory, more than " +
           kibText(chip.getMaxDynamicSharedMemory());
  if (config.tensorMemoryColumnsUsed() > chip.getTensorMemoryColumns())
    return std::to_string(stages) + " stages of tile " +
           std::to_string(config.tileM) + "x" + std::to_string(config.tileN) +
           " need " + std::to_string(config.tensorMemoryColumnsUsed()) +
           " tensor memory columns, more than " +
           std::to_string(chip.getTensorMemoryColumns());
  return std::nullopt;
}

std::optional<std::string>
fp8::configureGemmSM100(const ChipInfo &chip, const GemmSM100Problem &problem,
                        const GemmSM100Overrides &overrides,
                        GemmSM100Config &config) {
  config = GemmSM100Config();
  if (auto error = overrides.schedule.check())
    return error;
  config.schedule = overrides.schedule;
  // The tcgen05.ld epilogue has no wgmma wait to load its scales before.
  config.schedule.epiloguePrefetch = GemmToggle::Off;
  // tcgen05.mma.block_scale applies MX scales in the MMA: no promotion.
  config.schedule.promotion = GemmPromotion::Serial;
  config.blockScaled = problem.blockScaled || problem.nvfp4 || problem.mxf4;
  config.nvfp4 = problem.nvfp4;
  config.mxf4 = problem.mxf4;
  if (problem.n >= 256 && ctasSM100(problem, 256) >= chip.getNumSMs())
    config.tileN = 256;
  else if (problem.n > 64 &&
           ctasSM100(problem, 128) >= ceilDiv(chip.getNumSMs(), 2))
    config.tileN = 128;
  else
    config.tileN = 64;

  if (!overrides.tile.empty()) {
    auto [mText, nText] = overrides.tile.split('x');
    int64_t m = 0, n = 0;
    if (mText.getAsInteger(10, m) || nText.getAsInteger(10, n))
      return "gemm-tile must be `MxN` (e.g. 128x128), got '" +
             overrides.tile.str() + "'";
    if (m != 128)
      return "gemm-tile M must be 128 on " + chip.getName().str() +
             " (one M = 128 tcgen05.mma per CTA), got " + std::to_string(m);
    if (n < 16 || n > 256 || n % 16 != 0)
      return "gemm-tile N must be a multiple of 16 in [16, 256], got " +
             std::to_string(n);
    config.tileN = n;
  }

  if (overrides.persistent == GemmSwitch::On &&
      overrides.warpSpecialize != GemmSwitch::On)
    return "gemm-persistent=on needs the warp-specialized kernel on " +
           chip.getName().str() + " (gemm-warp-specialize=on)";
  config.warpSpecialized = overrides.warpSpecialize == GemmSwitch::On;
  config.persistent = overrides.persistent == GemmSwitch::On;
  if (config.persistent) {
    if (overrides.tile.empty() && checkSM100Fit(chip, config, 1))
      config.tileN = 128;
    config.persistentCTAs = std::min<int64_t>(chip.getNumSMs(),
                                              ctasSM100(problem, config.tileN));
  }

  // gemm-cluster=2x1: a CTA pair sharing one M = 256 MMA.
  if (overrides.cluster == GemmCluster::C1x2)
    return "gemm-cluster=1x2 has no " + chip.getName().str() +
           " kernel: the CTA pair of tcgen05.mma.cta_group::2 splits M "
           "(use 2x1)";
  if (overrides.cluster == GemmCluster::C2x1) {
    if (!config.warpSpecialized)
      return "gemm-cluster=2x1 (a CTA pair with tcgen05.mma.cta_group::2) "
             "needs the warp-specialized kernel on " +
             chip.getName().str() + " (gemm-warp-specialize=on)";
    if (config.blockScaled)
      return "gemm-cluster=2x1 has no block-scaled (MX, NVFP4) CTA-pair "
             "kernel yet on " +
             chip.getName().str() + "; use gemm-cluster=1x1";
    if (config.persistent)
      return "gemm-cluster=2x1 has no persistent CTA-pair kernel yet on " +
             chip.getName().str() + "; use gemm-persistent=off";
    config.ctaPair = true;
  }

  // gemm-scale-load=tma concerns MX GEMMs only; others keep their kernel.
  if (overrides.scaleLoad == GemmScaleLoad::Tma && config.blockScaled) {
    if (!config.warpSpecialized)
      return "gemm-scale-load=tma needs the warp-specialized kernel on " +
             chip.getName().str() + " (gemm-warp-specialize=on)";
    // The scale boxes hold one word per row and K step (loadScaleBoxes);
    // packed FP4 stages two (MXFP4) or four (NVFP4) per step.
    if (config.packedFP4())
      return "gemm-scale-load=tma has no packed FP4 (.kind::mxf4, NVFP4 "
             ".kind::mxf4nvf4) kernel yet on " +
             chip.getName().str() + "; use gemm-scale-load=global";
    // TMA needs 16-byte row strides: K / 32 scale bytes per row.
    if (problem.k % 512 != 0)
      return "gemm-scale-load=tma needs K to be a multiple of 512 on " +
             chip.getName().str() +
             " (TMA reads the [rows, K / 32] E8M0 scales with 16-byte row "
             "strides), got K = " +
             std::to_string(problem.k) + "; use gemm-scale-load=global";
    config.scaleLoadTma = true;
  }

  int64_t kSteps = ceilDiv(problem.k, config.kElementsPerStep());
  if (overrides.stages != 0) {
    if (auto error = checkSM100Fit(chip, config, overrides.stages))
      return "gemm-stages: " + *error;
    // More stages than K steps would only hold empty buffers.
    config.stages = std::min<int64_t>(overrides.stages, kSteps);
    return std::nullopt;
  }
  config.stages = std::max<int64_t>(1, std::min<int64_t>(4, kSteps));
  while (config.stages > 1 && checkSM100Fit(chip, config, config.stages))
    --config.stages;
  if (auto error = checkSM100Fit(chip, config, config.stages))
    return *error;
  return std::nullopt;
}

int64_t fp8::chooseTensorAmaxGridSize(int64_t numChunks) {
  // Two CTAs per SM of an H100 (132 SMs), on every chip.
  constexpr int64_t kMaxCTAs = 2 * 132;
  int64_t wanted = ceilDiv(numChunks, kElementwiseBlockSize * 4);
  return std::clamp<int64_t>(wanted, 1, kMaxCTAs);
}
