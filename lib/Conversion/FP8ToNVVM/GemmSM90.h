//===- GemmSM90.h - The sm_90a FP8 GEMM kernel emitter ---------*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: what the parts of
// the Hopper GEMM emitter share. GemmSM90.cpp plans the kernel and builds
// its structure (roles, ring, barriers), GemmSM90Mma.cpp the wgmma main
// loop with the promotion of block-scaled partial sums, GemmSM90Scales.cpp
// the scale lookups of the accumulator fragments, GemmSM90Epilogue.cpp the
// epilogue, GemmSM90Persistent.cpp the tile loops of the persistent
// kernel, GemmSM90PingPong.cpp those of its ping-pong schedule. The ring and its mbarriers are a TmaPipeline; what the sm_100a
// GEMM shares is in GemmCommon.h and GemmEpilogue.h.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_GEMMSM90_H
#define FP8_LIB_CONVERSION_FP8TONVVM_GEMMSM90_H

#include "KernelBuilder.h"
#include "TmaPipeline.h"

#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <optional>

namespace mlir::fp8::gpu_kernels::sm90 {

/// How the scales of one operand enter D.
struct OperandScales {
  /// Where the scale of each element lives (A seen as [M, K], B as [N, K]).
  ScaleLayout layout;
  /// The scale changes along K inside the problem (block scaling whose
  /// groups split K): it multiplies the partial sums of each K group when
  /// they are promoted into the accumulators. Otherwise it is a factor of
  /// the row (A) or column (B) applied in the epilogue.
  bool alongK = false;
};

/// Everything that specializes one GEMM kernel.
struct GemmShape : GemmSignature {
  GemmSM90Config config;
  OperandScales aScales, bScales;
  /// Bytes of one of A's scales (4 for f32, 1 for E8M0).
  int64_t aScaleBytes = 4;
  /// A's scales, its element type.
  Type aScaleType;
  /// The same for B's scales.
  int64_t bScaleBytes = 4;
  Type bScaleType;
  /// Elements of K per promotion (32, 64 or 128) when a scale changes along
  /// K, or 128 with a split accumulator; 0 otherwise.
  int64_t kGroup = 0;
  /// Partial sums are promoted every K step without a scale (the scales
  /// are applied in the epilogue): `acc += partial`.
  bool splitAccumulator = false;

  int64_t kSteps() const { return ceilDiv(k, config.tileK); }

  /// Whether a tile's rows may run past M: a static M not a multiple of
  /// tileM, or a runtime M.
  bool raggedM() const { return runtimeM || m % config.tileM != 0; }
  bool promotes() const { return kGroup != 0; }
  /// K groups per K step and k32 wgmma steps per K group.
  int64_t groupsPerStep() const { return config.tileK / kGroup; }
  int64_t mmasPerGroup() const { return kGroup / 32; }
  /// m64 wgmma row blocks of one consumer warpgroup.
  int64_t mmaRows() const { return config.consumerRows() / 64; }
  /// f32 accumulator registers per thread of one m64 x tileN wgmma.
  int64_t accumulatorSize() const { return config.tileN / 2; }

  /// Bytes per element of D, and elements of D per 16-byte chunk.
  int64_t outBytes() const { return outType.getIntOrFloatBitWidth() / 8; }
  int64_t outChunk() const { return 16 / outBytes(); }
  /// Row pitch (elements) of the shared-memory staging tile of D: 16 bytes
  /// of padding per row put the 8 rows one warp stores into different
  /// banks.
  int64_t stagePitch() const { return config.tileN + outChunk(); }
  /// Whether D goes through shared memory (see GemmSM90Epilogue.cpp): for
  /// 1- and 2-byte outputs (f32 pairs already fill 32-byte sectors), when
  /// rows of D are whole 16-byte chunks and the tile fits in the ring, and
  /// the kernel is not persistent.
  bool stagesOutput() const {
    // A persistent producer is already filling the ring for the next tile.
    return !config.persistent && outBytes() <= 2 && n % outChunk() == 0 &&
           config.tileM * stagePitch() * outBytes() <=
               config.stages * config.stageBytes();
  }
};

/// Where one consumer thread's accumulator registers sit in D. Register i
/// of accumulator set `mh` holds D[rowBase + 64 * mh + 8 * ((i % 4) / 2),
/// colBase + 8 * (i / 4) + i % 2]; the row offsets 64 * mh + 8 * h are the
/// thread's fragment rows r = 2 * mh + h, the column offsets 8 * j + c its
/// fragment columns 2 * j + c.
struct Fragment {
  /// The thread within its warpgroup, and the consumer warpgroup.
  Value thread, consumer;
  /// First row of the CTA tile, of the consumer's rows, and of the thread's
  /// rows (consumerRow + 16 * warp + lane / 4).
  Value tileRow, consumerRow, rowBase;
  /// First column of the CTA tile and of the thread's columns
  /// (tileCol + 2 * (lane % 4)).
  Value tileCol, colBase;
  /// The GEMM of a batched op (blockIdx.z); null without batch dims. Rows
  /// and columns above count within it.
  Value batch;
  /// The runtime M (index); null when M is static.
  Value rows;
};

/// Loads the scale factors a consumer thread's fragment needs at one K
/// position, as few times as the scale groups allow: rows sharing a group
/// share one load (and Value), and so do columns.
class FragmentScales {
public:
  FragmentScales(ImplicitLocOpBuilder &b, const GemmShape &shape,
                 const Fragment &fragment)
      : b(b), shape(shape), fragment(fragment) {}

  /// The scale of A for fragment row `r` at K index `k` (an index Value,
  /// clamped into the matrix by the caller).
  Value rowScale(Value aScale, int64_t r, Value k);
  /// The scale of B for fragment column `c` at K index `k`.
  Value colScale(Value bScale, int64_t c, Value k);

private:
  Value twoGroupColScale(Value bScale, int64_t j, Value k);

  ImplicitLocOpBuilder &b;
  const GemmShape &shape;
  const Fragment &fragment;
  DenseMap<std::pair<int64_t, Value>, Value> rows, cols;
  /// Per K index: the scales of the two groups of B a wide tile spans.
  DenseMap<Value, std::pair<Value, Value>> twoGroups;
  /// Per K index: the scale index of the thread's first row / column.
  DenseMap<Value, Value> rowBaseIndex, colBaseIndex;
};

/// The along-K scales of one K group for a consumer thread: `rows[r]` for
/// fragment row r (null when A's scale does not change along K), `cols[c]`
/// for fragment column c (null when B's does not, or not loaded yet when
/// `deferCols`: then the promotion loads them at their first use).
struct PromotionScales {
  PromotionScales(ImplicitLocOpBuilder &b, const GemmShape &shape,
                  const Fragment &fragment)
      : scales(b, shape, fragment) {}

  FragmentScales scales;
  /// The K index the scales are read at, and whether the group lies in K
  /// (null unless K is ragged).
  Value kIndex, inK;
  SmallVector<Value> rows, cols;
  bool deferCols = false;
  /// gemm-scale-load=tma with MX B: B's scale box of the group in the
  /// stage and the index of the thread's first column's scale in it (the
  /// deferred column scales are read from there; null otherwise).
  Value bBox, bBoxFirst;
};

/// What the overlapped K loop (gemm-promotion=overlapped) carries from one
/// K group to the next: the totals and the two sets of partial sums, one
/// per m64 block each.
struct OverlappedState {
  SmallVector<Value> accs;
  SmallVector<Value> sets[2];
};

/// The factors of D a consumer thread holds through the whole epilogue:
/// A's scale for each fragment row (null when it changes along K, or for
/// all rows without one) and the output scale (null without one).
struct EpilogueFactors {
  SmallVector<Value> rowScales;
  Value outScale;
};

/// A ping-pong consumer's turn on the tensor cores: it waits until
/// `wait` (an order mbarrier) completes phase `parity` (i32) before its
/// main loop, and arrives on `pass`, the other consumer's, once its
/// wgmma's are issued. The same for its epilogue's turn (before the first
/// store of D, after the last).
struct MmaTurn {
  Value wait, parity, pass;
};

/// Builds the kernel body; one method per phase, spread over the files
/// named in the file comment.
class GemmEmitter {
public:
  GemmEmitter(ImplicitLocOpBuilder &b, const GemmShape &shape,
              const GemmArgs &args)
      : b(b), shape(shape), args(args) {}

  void emit();
  /// D's TMA descriptor, for gemm-epilogue=tma-store.
  void setOutputMap(Value map) { dMap = map; }

private:
  // Structure (GemmSM90.cpp).
  std::pair<Value, Value> blockTile();
  void setTile(Value tileM, Value tileN, Value z);
  Value slotOf(Value kStep);
  Fragment buildFragment(Value consumerThread, Value consumer);
  void emitRing();
  void emitSetup();
  Value emitWarpSpecialized();
  void emitProducer();
  Value emitConsumer(Value consumerThread, Value consumer,
                     std::optional<MmaTurn> turn = std::nullopt);
  std::pair<Value, Value> stageOffsets(Value stage);
  std::pair<Value, Value> stageTiles(Value stage);
  Value scaleBoxOffset(Value stage);
  Value bScaleBoxOffset(Value stage);
  void emitLoad(Value kStep, Value stage);
  void emitRelease(Value kStep, Value valid);

  // Persistent tile loops (GemmSM90Persistent.cpp).
  scf::ForOp emitTileLoop(ValueRange inits, Value firstTile = Value(),
                          int64_t interleave = 1);
  void setPersistentTile(Value clusterTile);
  void emitPersistentProducer();
  Value emitPersistentConsumer(Value consumerThread, Value consumer);

  // Ping-pong schedule (GemmSM90PingPong.cpp).
  Value orderBarrier(int64_t stage, Value consumer);
  void emitOrderBarrierInit();
  Value emitPingPongConsumer(Value consumerThread, Value consumer);

  // Main loop (GemmSM90Mma.cpp).
  SmallVector<Value> emitMainLoop(const Fragment &fragment);
  std::pair<Value, Value> emitStageDescriptors(const Fragment &fragment,
                                               Value kStep);
  SmallVector<Value> emitFastStep(const Fragment &fragment, Value kStep,
                                  ArrayRef<Value> accumulators, bool first);
  SmallVector<Value> emitMmas(ArrayRef<Value> accumulators, Value aDescriptor,
                              Value bDescriptor, int64_t firstMma,
                              int64_t numMmas, bool accumulate);
  SmallVector<Value> emitPromotion(ArrayRef<Value> accumulators,
                                   ArrayRef<Value> partials,
                                   PromotionScales &scales);
  PromotionScales emitPromotionScales(const Fragment &fragment, Value kIndex);

  // Scales from the stage (GemmSM90Scales.cpp).
  std::pair<Value, Value> stageScaleBox(Value kIndex, bool ofB, Type type,
                                        int64_t scaleBytes);
  SmallVector<Value> emitStageRowScales(const Fragment &fragment,
                                        Value kIndex);
  void emitStageColScaleBase(const Fragment &fragment, Value kIndex,
                             PromotionScales &scales);
  Value stageColScale(const PromotionScales &scales, int64_t c);
  void emitOverlappedSteps(const Fragment &fragment, Value firstStep,
                           int64_t count, OverlappedState &state);
  SmallVector<Value> emitOverlappedMainLoop(const Fragment &fragment,
                                            ArrayRef<Value> init);
  SmallVector<Value> zeroBeyondK(ArrayRef<Value> scales, Value inK);
  bool releasesAfterPromotion() const;

  // Epilogue (GemmSM90Epilogue.cpp).
  EpilogueFactors emitEpilogueFactors(const Fragment &fragment);
  Value emitEpilogue(const Fragment &fragment, ArrayRef<Value> accumulators,
                     std::optional<EpilogueFactors> factors);
  Value emitOutputPair(Value scale0, Value scale1, Value bias0, Value bias1,
                       Value outScale, Value row, Value col, Value v0,
                       Value v1, Value amax);
  Value emitWideStores(const Fragment &fragment, ArrayRef<Value> accumulators,
                       const EpilogueFactors &factors);
  Value emitStagingTile();
  void emitStagedCopy(const Fragment &fragment);
  void emitStoreBufferAcquire();
  Value storeBufferOffset(Value row, Value col);
  void emitStoreBufferFlush(const Fragment &fragment);
  void emitStoreDrain(Value consumerThread);
  Value outOffset(Value row, Value col);

  ImplicitLocOpBuilder &b;
  const GemmShape &shape;
  const GemmArgs &args;

  Value thread, isLeader, tileRow, tileCol;
  /// The GEMM of a batched op (index; null without batch dims) and where
  /// its rows start in the flattened [batch * M, K] A, [batch * N, K] B and
  /// [batch * M, N] D.
  Value batch, aRowBase, bRowBase;
  /// Persistent kernels: the ring slot of K step 0 of the current tile
  /// (the K steps of all earlier tiles of the CTA); null otherwise (K step
  /// kt uses slot kt). Slot s is stage s % stages in round s / stages.
  Value slotBase;
  /// Thread 0 of the consumer warpgroup being emitted.
  Value consumerLeader;
  /// Lane 0 of each consumer warp (the stage releases of
  /// gemm-scale-load=tma).
  Value warpLeader;
  /// The shared-memory staging tile of D (in the ring, after the main
  /// loop) when the output is staged.
  Value staging;
  /// gemm-epilogue=tma-store: the consumer's TMA-store buffer (a flat
  /// memref of D's element type) while its epilogue writes it, and the
  /// first row of D it holds.
  Value storeBuffer, storeRow;
  /// The dynamic shared memory and the byte offsets in it of the ring, of
  /// the TMA-store buffers (after the ring) and of the mbarriers (after
  /// those): full[s], empty[s], then the ping-pong order barriers.
  Value sharedBytes, ringBase, storeBase, barrierBase;
  /// Byte offset of the scale boxes (gemm-scale-load=tma), after the ring.
  Value scaleBase;
  /// The consumer warpgroup being emitted (index; its TMA-store buffer).
  Value consumerIndex;
  /// Ping-pong with ordered epilogues: the current consumer's turn for its
  /// epilogue (GemmSM90PingPong.cpp); none otherwise.
  std::optional<MmaTurn> epilogueTurn;
  /// The ring and its mbarriers, after the ring: full barriers (TMA bytes
  /// landed) and empty barriers (stage released; used with warp
  /// specialization).
  std::optional<TmaPipeline> ring;
  /// This CTA's rank in its cluster (index; null without a cluster).
  Value clusterRank;
  Value aMap, bMap;
  /// The TMA descriptor of D (gemm-epilogue=tma-store; null otherwise).
  Value dMap;
  MemRefType aTileType, bTileType;
};

} // namespace mlir::fp8::gpu_kernels::sm90

#endif // FP8_LIB_CONVERSION_FP8TONVVM_GEMMSM90_H
