//===- GemmSM90.cpp - fp8.scaled_matmul as a Hopper wgmma kernel ----------===//
//
// Part of fp8-mlir. D = (A * sA) x (B * sB)^T (+ bias), A [M, K] and B [N, K]
// both K-major, E4M3/E5M2 in any combination, f32 accumulation. This file
// checks the op, plans the kernel and builds its structure; the main loop,
// the scale lookups and the epilogue live in GemmSM90{Mma,Scales,Epilogue}.cpp.
//
// Both structures stream K in 128-wide steps through a ring of `stages`
// shared-memory stages (a tileM x 128 A tile and a tileN x 128 B tile each,
// written by TMA with the 128-byte swizzle) guarded by "full" mbarriers
// that count the TMA bytes of a stage (a TmaPipeline, TmaPipeline.h).
//
// One warpgroup (128 threads), for small problems:
//
//   thread 0: init full[s]; TMA the first `stages` K steps
//   for each K step kt (stage s = kt % stages):
//     wait full[s]; wgmma; commit; wait for step kt - 1 (or kt)
//     bar.sync; thread 0: TMA K step kt - 1 + stages into the freed stage
//   epilogue
//
// Warp-specialized (384 threads), once the problem fills the GPU:
//
//   warpgroup 0 (producer, setmaxnreg.dec 40), thread 0 only:
//     for each K step kt: wait empty[s] (the consumers released the step
//       kt - stages); arrive.expect_tx full[s]; TMA A and B into stage s
//       (with gemm-scale-load=tma also a tileM x 16-byte box of A's
//       per-row scales along K into the stage's scale box, after the ring,
//       and with MX B a tileN x 16-byte box of B's per-column scales)
//   warpgroups 1 and 2 (consumers, setmaxnreg.inc 232), each owning
//   tileM / 2 rows of the tile:
//     for each K step kt: wait full[s]; wgmma; commit; wait for step
//       kt - 1; its thread 0 arrives on empty[(kt - 1) % stages]
//     epilogue of its rows
//
// Persistent (GemmSM90Persistent.cpp), the CTAs loop over tiles; with the
// ping-pong schedule (GemmSM90PingPong.cpp) each consumer warpgroup then
// owns whole tiles and the two take turns issuing their main loops.
//
// A warp-specialized kernel may run as 2-CTA clusters (KernelHeuristics):
// in a 2x1 cluster the two CTAs compute row tiles m and m + 1 of the same
// columns and share B's tile. Each producer loads its own A tile and one
// half of B's, with a TMA multicast that writes the half into both CTAs'
// stage s and completes the bytes on both CTAs' full[s]; so every full[s]
// still expects whole tiles. Since a producer writes into its peer's
// stage, empty[s] waits for the consumers of both CTAs (4 arrivals), each
// of which arrives on its own and, through `mapa` to rank ^ 1, its peer's
// empty[s].
// Both CTAs synchronize (barrier.cluster) once their barriers are
// initialized, before any multicast or remote arrival, and again before
// exiting, while the peer may still arrive on their barriers. A 1x2
// cluster shares A's tile the same way.
//
// Scales that change along K (block scaling: DeepSeek-style [1, 128] x
// [128, 128], MX [1, 32]) cannot wait for the epilogue: each K group's
// wgmma's accumulate into fresh partial sums, which are then promoted into
// the accumulators multiplied by the group's sA[row] * sB[col] (see
// GemmSM90Mma.cpp). Tensor and rowwise scales are applied in the epilogue.
//
//===----------------------------------------------------------------------===//

#include "GemmRaster.h"
#include "GemmSM90.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;
using namespace mlir::fp8::gpu_kernels::sm90;

/// The kernel-side type of a TMA descriptor for `rows x cols` tiles.
static nvgpu::TensorMapDescriptorType tileMapType(MLIRContext *ctx,
                                                  int64_t rows, int64_t cols,
                                                  Type elementType) {
  auto shared = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  return nvgpu::TensorMapDescriptorType::get(
      ctx,
      MemRefType::get({rows, cols}, elementType, MemRefLayoutAttrInterface(),
                      shared),
      nvgpu::TensorMapSwizzleKind::SWIZZLE_128B,
      nvgpu::TensorMapL2PromoKind::L2PROMO_NONE,
      nvgpu::TensorMapOOBKind::OOB_ZERO,
      nvgpu::TensorMapInterleaveKind::INTERLEAVE_NONE);
}

//===----------------------------------------------------------------------===//
// Ring and barriers
//===----------------------------------------------------------------------===//

void GemmEmitter::emitRing() {
  MLIRContext *ctx = b.getContext();
  const GemmSM90Config &config = shape.config;
  auto shared = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  aTileType = MemRefType::get({config.tileM, config.tileK}, shape.aType,
                              MemRefLayoutAttrInterface(), shared);
  bTileType = MemRefType::get({config.tileN, config.tileK}, shape.bType,
                              MemRefLayoutAttrInterface(), shared);

  // The ring starts on the first 1024-byte boundary of the dynamic shared
  // memory; the mbarriers follow it.
  DynamicSharedMemory memory = getDynamicSharedMemory(b);
  sharedBytes = memory.bytes;
  ringBase = memory.padding;
  // The scale boxes of gemm-scale-load=tma follow the ring, then the
  // TMA-store buffers.
  scaleBase = b.create<arith::AddIOp>(
      ringBase, indexConst(b, config.stages * config.stageBytes()));
  storeBase = b.create<arith::AddIOp>(
      scaleBase, indexConst(b, config.stages * config.scaleStageBytes()));
  barrierBase = b.create<arith::AddIOp>(
      storeBase, indexConst(b, config.consumerWarpgroups *
                                   config.storeBufferBytes()));
  ring.emplace(b, memory.base, config.stages, ringBase, config.stageBytes(),
               barrierBase, config.schedule.waitHint);

  // The descriptors as nvgpu sees them, for the prefetch only.
  aMap = b.create<UnrealizedConversionCastOp>(
              tileMapType(ctx, config.aBoxRows(), config.tileK, shape.aType),
              args.aMap)
             .getResult(0);
  bMap = b.create<UnrealizedConversionCastOp>(
              tileMapType(ctx, config.bBoxRows(), config.tileK, shape.bType),
              args.bMap)
             .getResult(0);
}

/// The ring slot of K step `kStep` of the current tile: `kStep` itself, or
/// `slotBase + kStep` in a persistent kernel.
Value GemmEmitter::slotOf(Value kStep) {
  return slotBase ? b.create<arith::AddIOp>(slotBase, kStep).getResult()
                  : kStep;
}

/// Byte offset of the A and B tiles of `stage` in the dynamic shared memory.
std::pair<Value, Value> GemmEmitter::stageOffsets(Value stage) {
  const GemmSM90Config &config = shape.config;
  Value aOffset = ring->stageOffset(stage);
  Value bOffset = b.create<arith::AddIOp>(
      aOffset, indexConst(b, config.tileM * config.tileK));
  return {aOffset, bOffset};
}

/// Byte offset of the scale box of `stage` (gemm-scale-load=tma) in the
/// dynamic shared memory: one 16-byte row per row of the tile.
Value GemmEmitter::scaleBoxOffset(Value stage) {
  return b.create<arith::AddIOp>(
      scaleBase, b.create<arith::MulIOp>(
                     stage, indexConst(b, shape.config.scaleStageBytes())));
}

/// Byte offset of B's scale box of `stage` (gemm-scale-load=tma with MX
/// B): after A's box, one 16-byte row per row of B's tile.
Value GemmEmitter::bScaleBoxOffset(Value stage) {
  return b.create<arith::AddIOp>(
      scaleBoxOffset(stage), indexConst(b, shape.config.aScaleBoxBytes()));
}

/// The A and B tiles of `stage` in the ring.
std::pair<Value, Value> GemmEmitter::stageTiles(Value stage) {
  auto [aOffset, bOffset] = stageOffsets(stage);
  Value aTile = b.create<memref::ViewOp>(aTileType, sharedBytes, aOffset,
                                         ValueRange{});
  Value bTile = b.create<memref::ViewOp>(bTileType, sharedBytes, bOffset,
                                         ValueRange{});
  return {aTile, bTile};
}

/// Announces the bytes of K step `kStep` on full[stage] and starts its TMA
/// loads. One thread. In a cluster, this CTA loads its share of the
/// multicast operand (the rows `rank * boxRows` on) into the same rows of
/// every CTA's tile, and every CTA's full barrier counts whole tiles.
/// With gemm-scale-load=tma, also the box of A's scales of the step (its
/// own rows, never multicast): bytes `kStep * groupsPerStep * scaleBytes`
/// on of the tile's rows, where the step's groups are the first bytes;
/// with MX B, B's box the same way over the tile's rows of B.
void GemmEmitter::emitLoad(Value kStep, Value stage) {
  const GemmSM90Config &config = shape.config;
  auto [aOffset, bOffset] = stageOffsets(stage);
  Value full = ring->producerExpectTx(stage, config.stageTxBytes());
  Value k = b.create<arith::IndexCastOp>(
      b.getI32Type(),
      b.create<arith::MulIOp>(kStep, indexConst(b, config.tileK)));
  // The share of a multicast tile this CTA loads: rows and bytes in.
  auto share = [&](Value first, Value offset, int64_t boxRows) {
    Value rows = b.create<arith::MulIOp>(clusterRank, indexConst(b, boxRows));
    return std::make_pair(
        b.create<arith::AddIOp>(first, rows).getResult(),
        b.create<arith::AddIOp>(
             offset, b.create<arith::MulIOp>(rows, indexConst(b, config.tileK)))
            .getResult());
  };
  Value aRow = tileRow, bRow = tileCol;
  if (batch) {
    aRow = b.create<arith::AddIOp>(aRowBase, aRow);
    bRow = b.create<arith::AddIOp>(bRowBase, bRow);
  }
  // The scale boxes cover this CTA's rows and columns, before a multicast
  // share.
  Value scaleRow = aRow, bScaleRow = bRow;
  if (config.multicastsA())
    std::tie(aRow, aOffset) = share(aRow, aOffset, config.aBoxRows());
  if (config.multicastsB())
    std::tie(bRow, bOffset) = share(bRow, bOffset, config.bBoxRows());
  // Every CTA's TMA writes through a shared::cluster address; a multicast
  // writes the same rows of every CTA's tile and completes the bytes on the
  // full barrier at the same offset in each.
  int64_t clusterMask = (int64_t(1) << config.clusterSize()) - 1;
  ring->loadTile(args.aMap, k, aRow, aOffset, full, TmaDestination::Cluster,
                 config.multicastsA() ? clusterMask : 0);
  ring->loadTile(args.bMap, k, bRow, bOffset, full, TmaDestination::Cluster,
                 config.multicastsB() ? clusterMask : 0);
  if (config.scaleLoadTma) {
    Value scaleColumn = b.create<arith::IndexCastOp>(
        b.getI32Type(),
        b.create<arith::MulIOp>(
            kStep, indexConst(b, shape.groupsPerStep() * shape.aScaleBytes)));
    ring->loadTile(args.aScale, scaleColumn, scaleRow, scaleBoxOffset(stage),
                   full, TmaDestination::Cluster);
  }
  if (config.bScaleLoadTma) {
    Value scaleColumn = b.create<arith::IndexCastOp>(
        b.getI32Type(),
        b.create<arith::MulIOp>(
            kStep, indexConst(b, shape.groupsPerStep() * shape.bScaleBytes)));
    ring->loadTile(args.bScale, scaleColumn, bScaleRow,
                   bScaleBoxOffset(stage), full, TmaDestination::Cluster);
  }
}

/// Called by every consumer thread once the wgmma's of K step `kStep` are
/// complete (when `valid`, if given): its stage may be overwritten.
/// Warp-specialized, the consumer's thread 0 arrives on the stage's empty
/// barrier in this CTA and, in a cluster, in the peer CTA (whose producer
/// writes into this CTA's stage too); otherwise the warpgroup synchronizes
/// and thread 0 loads the K step `stages` ahead into the stage.
void GemmEmitter::emitRelease(Value kStep, Value valid) {
  const GemmSM90Config &config = shape.config;
  int64_t stages = config.stages;
  Value stage = ring->stageOf(slotOf(kStep));
  if (config.warpSpecialized) {
    // With gemm-scale-load=tma each warp's lane 0 (its ld.shared of the
    // scale boxes are its own), as DeepGEMM's math warps release a stage.
    Value arrives = config.releasesPerReader() == 1 ? consumerLeader
                                                     : warpLeader;
    if (valid)
      arrives = b.create<arith::AndIOp>(arrives, valid);
    auto release = b.create<scf::IfOp>(arrives, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&release.getThenRegion().front());
    Value empty = ring->consumerRelease(stage);
    // The one peer is `rank ^ 1`: clusters are 1x1, 2x1 or 1x2.
    assert(config.clusterSize() <= 2 && "the release assumes a 2-CTA cluster");
    if (config.clusterSize() == 1)
      return;
    // The peer's barrier too: the wgmma's reading the stage are complete
    // (wgmma.wait_group).
    Value peer = b.create<arith::XOrIOp>(
        b.create<arith::IndexCastOp>(b.getI32Type(), clusterRank),
        i32Const(b, 1));
    ring->consumerReleasePeer(empty, peer);
    return;
  }

  // Every warp has finished reading the released stage.
  b.create<gpu::BarrierOp>();
  Value refillStep = b.create<arith::AddIOp>(kStep, indexConst(b, stages));
  Value refills = b.create<arith::AndIOp>(
      isLeader, b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, refillStep,
                                        indexConst(b, shape.kSteps())));
  if (valid)
    refills = b.create<arith::AndIOp>(refills, valid);
  auto refill = b.create<scf::IfOp>(refills, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&refill.getThenRegion().front());
  emitLoad(refillStep, stage);
}

//===----------------------------------------------------------------------===//
// Roles
//===----------------------------------------------------------------------===//

/// Thread 0 initializes the barriers and, without a producer warpgroup,
/// fills the ring.
void GemmEmitter::emitSetup() {
  const GemmSM90Config &config = shape.config;
  auto setup = b.create<scf::IfOp>(isLeader, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&setup.getThenRegion().front());
  for (int64_t s = 0; s < config.stages; ++s)
    ring->initFullBarrier(s, /*arrivals=*/1);
  // Each consumer warpgroup of the cluster that reads a stage releases it
  // with one arrival (with ping-pong, one warpgroup per CTA reads it), or
  // one per warp with gemm-scale-load=tma.
  if (config.warpSpecialized)
    for (int64_t s = 0; s < config.stages; ++s)
      ring->initEmptyBarrier(s, config.stageReaders() *
                                    config.releasesPerReader() *
                                    config.clusterSize());
  if (config.pingPong)
    emitOrderBarrierInit();
  ring->fenceBarrierInit();
  b.create<nvgpu::TmaPrefetchOp>(aMap, Value());
  b.create<nvgpu::TmaPrefetchOp>(bMap, Value());
  if (!config.warpSpecialized)
    for (int64_t s = 0; s < std::min(config.stages, shape.kSteps()); ++s)
      emitLoad(indexConst(b, s), indexConst(b, s));
}

/// The producer loop (one thread): K step kt goes to stage kt % stages once
/// both consumers released the step kt - stages, i.e. once the empty
/// barrier of the stage completed phase kt / stages - 1. For the first
/// round the parity waited for is 1, the phase "before" the initial one,
/// which counts as complete: the wait returns at once.
void GemmEmitter::emitProducer() {
  auto loop = buildKStepLoop(b, 0, shape.kSteps());
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value kStep = loop.getInductionVar();
  Value stage = ring->stageOf(slotOf(kStep));
  ring->producerAcquire(stage, slotOf(kStep));
  emitLoad(kStep, stage);
}

/// Where the registers of `consumerThread` of consumer warpgroup
/// `consumer` sit in the current tile.
Fragment GemmEmitter::buildFragment(Value consumerThread, Value consumer) {
  const GemmSM90Config &config = shape.config;
  Fragment fragment;
  fragment.thread = consumerThread;
  fragment.consumer = consumer;
  fragment.tileRow = tileRow;
  fragment.tileCol = tileCol;
  fragment.batch = batch;
  fragment.consumerRow = b.create<arith::AddIOp>(
      tileRow,
      b.create<arith::MulIOp>(consumer, indexConst(b, config.consumerRows())));
  Value warp = b.create<arith::DivUIOp>(consumerThread, indexConst(b, 32));
  Value lane = b.create<arith::RemUIOp>(consumerThread, indexConst(b, 32));
  fragment.rowBase = b.create<arith::AddIOp>(
      fragment.consumerRow,
      b.create<arith::AddIOp>(
          b.create<arith::MulIOp>(warp, indexConst(b, 16)),
          b.create<arith::DivUIOp>(lane, indexConst(b, 4))));
  fragment.colBase = b.create<arith::AddIOp>(
      tileCol, b.create<arith::MulIOp>(
                   b.create<arith::RemUIOp>(lane, indexConst(b, 4)),
                   indexConst(b, 2)));
  fragment.rows = args.rows;
  return fragment;
}

/// One consumer warpgroup: the main loop and the epilogue of its rows of
/// the current tile. `consumerThread` is the thread within the warpgroup,
/// `consumer` the warpgroup's index among the consumers. With a `turn`
/// (ping-pong), the warpgroup owns the whole tile and issues its main
/// loop in its turn. Returns the thread's amax bits.
Value GemmEmitter::emitConsumer(Value consumerThread, Value consumer,
                                std::optional<MmaTurn> turn) {
  const GemmSM90Config &config = shape.config;
  consumerIndex = consumer;
  // A ping-pong consumer's rows start at the tile's first.
  Fragment fragment =
      buildFragment(consumerThread, turn ? indexConst(b, 0) : consumer);
  consumerLeader = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq,
                                           consumerThread, indexConst(b, 0));
  warpLeader = b.create<arith::CmpIOp>(
      arith::CmpIPredicate::eq,
      b.create<arith::RemUIOp>(consumerThread, indexConst(b, 32)),
      indexConst(b, 0));

  if (turn)
    waitForPhase(b, turn->wait, turn->parity, config.schedule.waitHint);
  SmallVector<Value> accumulators = emitMainLoop(fragment);
  // Every wgmma of the tile is issued (the last K step's still running):
  // the other consumer's turn.
  if (turn)
    b.create<NVVM::MBarrierArriveOp>(Type(), turn->pass, Value());
  // gemm-epilogue-prefetch=on: the epilogue's row and output scales are
  // loaded while the last wgmma's run, not after the epilogue's barrier.
  std::optional<EpilogueFactors> factors;
  if (config.schedule.epiloguePrefetch == GemmToggle::On)
    factors = emitEpilogueFactors(fragment);
  b.create<NVVM::WgmmaWaitGroupSyncOp>(0);
  // The fast main loop releases each K step one step late; a persistent
  // producer needs the tile's last stage back for the next tile.
  if (config.persistent && !shape.promotes() && config.stages > 1)
    emitRelease(indexConst(b, shape.kSteps() - 1), Value());
  return emitEpilogue(fragment, accumulators, std::move(factors));
}

/// Splits the CTA into the producer warpgroup and the consumer warpgroups;
/// returns each thread's amax bits (0 in the producer).
Value GemmEmitter::emitWarpSpecialized() {
  Value warpgroup = b.create<arith::DivUIOp>(thread, indexConst(b, 128));
  Value isProducer = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq,
                                             warpgroup, indexConst(b, 0));
  auto roles = b.create<scf::IfOp>(TypeRange{b.getI32Type()}, isProducer,
                                   /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);

  b.setInsertionPointToStart(&roles.getThenRegion().front());
  b.create<NVVM::SetMaxRegisterOp>(GemmSM90Config::kProducerRegisters,
                                   NVVM::SetMaxRegisterAction::decrease);
  {
    auto issuer = b.create<scf::IfOp>(isLeader, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard issuerGuard(b);
    b.setInsertionPointToStart(&issuer.getThenRegion().front());
    if (shape.config.persistent)
      emitPersistentProducer();
    else
      emitProducer();
  }
  b.create<scf::YieldOp>(i32Const(b, 0));

  b.setInsertionPointToStart(&roles.getElseRegion().front());
  b.create<NVVM::SetMaxRegisterOp>(GemmSM90Config::kConsumerRegisters,
                                   NVVM::SetMaxRegisterAction::increase);
  Value consumer = b.create<arith::SubIOp>(warpgroup, indexConst(b, 1));
  Value consumerThread = b.create<arith::RemUIOp>(thread, indexConst(b, 128));
  Value amax;
  if (shape.config.pingPong)
    amax = emitPingPongConsumer(consumerThread, consumer);
  else if (shape.config.persistent)
    amax = emitPersistentConsumer(consumerThread, consumer);
  else
    amax = emitConsumer(consumerThread, consumer);
  b.create<scf::YieldOp>(amax);
  return roles.getResult(0);
}

/// The tile (row, column) of this CTA of a grid of one CTA per tile: its
/// block index (x, y) with gemm-raster=m. With gemm-raster=grouped, the
/// CTA's cluster in launch order (x fastest) is remapped by rasterTile
/// over the grid of cluster tiles, and the CTA keeps its place in the
/// cluster (rank = x % clusterM or y % clusterN).
std::pair<Value, Value> GemmEmitter::blockTile() {
  const GemmSM90Config &config = shape.config;
  Value x = b.create<gpu::BlockIdOp>(gpu::Dimension::x);
  Value y = b.create<gpu::BlockIdOp>(gpu::Dimension::y);
  if (config.schedule.raster == GemmRaster::M)
    return {x, y};
  int64_t rows = ceilDiv(shape.m, config.tileM) / config.clusterM;
  int64_t cols = ceilDiv(shape.n, config.tileN) / config.clusterN;
  Value clusterX = x, clusterY = y;
  if (config.clusterM > 1)
    clusterX = b.create<arith::DivUIOp>(x, indexConst(b, config.clusterM));
  if (config.clusterN > 1)
    clusterY = b.create<arith::DivUIOp>(y, indexConst(b, config.clusterN));
  Value linear = b.create<arith::AddIOp>(
      clusterX, b.create<arith::MulIOp>(clusterY, indexConst(b, rows)));
  auto [tileM, tileN] = rasterTile(b, linear, rows, cols, config.schedule);
  if (config.clusterM > 1)
    tileM = b.create<arith::AddIOp>(
        b.create<arith::MulIOp>(tileM, indexConst(b, config.clusterM)),
        b.create<arith::RemUIOp>(x, indexConst(b, config.clusterM)));
  if (config.clusterN > 1)
    tileN = b.create<arith::AddIOp>(
        b.create<arith::MulIOp>(tileN, indexConst(b, config.clusterN)),
        b.create<arith::RemUIOp>(y, indexConst(b, config.clusterN)));
  return {tileM, tileN};
}

/// Makes tile (`tileM`, `tileN`) of GEMM `z` (null without batch dims) the
/// one the code emitted next works on.
void GemmEmitter::setTile(Value tileM, Value tileN, Value z) {
  tileRow = b.create<arith::MulIOp>(tileM, indexConst(b, shape.config.tileM));
  tileCol = b.create<arith::MulIOp>(tileN, indexConst(b, shape.config.tileN));
  batch = z;
  if (z) {
    // GEMM z reads rows z * M of the flattened A, z * N of B.
    aRowBase = b.create<arith::MulIOp>(z, indexConst(b, shape.m));
    bRowBase = b.create<arith::MulIOp>(z, indexConst(b, shape.n));
  }
}

void GemmEmitter::emit() {
  const GemmSM90Config &config = shape.config;
  thread = b.create<gpu::ThreadIdOp>(gpu::Dimension::x);
  isLeader = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, thread,
                                     indexConst(b, 0));
  // A persistent kernel sets its tiles in its tile loops.
  if (!config.persistent) {
    auto [tileM, tileN] = blockTile();
    Value z;
    if (shape.batched())
      z = b.create<gpu::BlockIdOp>(gpu::Dimension::z);
    setTile(tileM, tileN, z);
  }
  bool clustered = config.clusterSize() > 1;
  if (clustered) {
    // The cluster size is a launch attribute (as CUTLASS launches its
    // kernels; a compile-time .reqnctapercluster cannot be given at launch
    // too). Launched without it, each CTA would wait forever for a peer:
    // trap instead.
    Value size = b.create<NVVM::ClusterDim>(b.getI32Type());
    Value wrongSize = b.create<arith::CmpIOp>(
        arith::CmpIPredicate::ne, size, i32Const(b, config.clusterSize()));
    auto check = b.create<scf::IfOp>(wrongSize, /*withElseRegion=*/false);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&check.getThenRegion().front());
      b.create<LLVM::Trap>();
    }
    clusterRank = b.create<arith::IndexCastOp>(
        b.getIndexType(), b.create<NVVM::ClusterId>(b.getI32Type()));
  }
  emitRing();
  emitSetup();
  // Everyone waits for the initialized barriers; in a cluster, also for
  // those of the other CTAs, which this CTA's TMA multicasts and releases
  // signal.
  if (clustered) {
    b.create<NVVM::ClusterArriveOp>(UnitAttr());
    b.create<NVVM::ClusterWaitOp>(UnitAttr());
  } else {
    b.create<gpu::BarrierOp>();
  }

  Value amax = config.warpSpecialized
                   ? emitWarpSpecialized()
                   : emitConsumer(thread, indexConst(b, 0));
  if (args.amax)
    atomicMaxOverBlock(b, amax, args.partials, config.numThreads() / 32,
                       args.amax);
  // A CTA of a cluster exits only once its peer is done too: the peer's
  // consumers still arrive on this CTA's empty barriers.
  if (clustered) {
    b.create<NVVM::ClusterArriveOp>(UnitAttr());
    b.create<NVVM::ClusterWaitOp>(UnitAttr());
  }
  b.create<gpu::ReturnOp>();
}

//===----------------------------------------------------------------------===//
// Planning
//===----------------------------------------------------------------------===//

/// How the scales of an operand of shape `dataShape` ([rows, K]) enter D.
static OperandScales getOperandScales(ScalingAttr scaling,
                                      ArrayRef<int64_t> dataShape) {
  OperandScales scales;
  scales.layout = ScaleLayout::get(scaling, dataShape);
  scales.alongK = scaling.isBlock() && scales.layout.groupCols < dataShape[1];
  return scales;
}

/// Checks the op against what the kernel supports; fills `shape` except
/// for its config.
static LogicalResult checkGemm(ScaledMatmulOp op, const ChipInfo &chip,
                               GemmShape &shape) {
  if (failed(checkGemmLayout(op, chip,
                             "FP8 wgmma reads both operands K-major")))
    return failure();
  if (Type type = getNonFP8OperandType(op))
    return op.emitOpError("has ")
           << type << " operands, which " << chip.getName()
           << " wgmma cannot multiply (FP4/FP6 need sm_100a)";
  FailureOr<GemmDims> dims = getTmaGemmDims(op, chip);
  if (failed(dims))
    return failure();
  static_cast<GemmSignature &>(shape) = GemmSignature::get(op, *dims);
  if (shape.n % 2 != 0)
    return op.emitOpError("needs an even N on ")
           << chip.getName()
           << " (the epilogue stores pairs), got N = " << shape.n;

  shape.aScales = getOperandScales(op.getAScaling(), {shape.m, shape.k});
  shape.bScales = getOperandScales(op.getBScaling(), {shape.n, shape.k});
  shape.aScaleType = op.getAScale().getType().getElementType();
  shape.aScaleBytes = std::max<int64_t>(
      1, shape.aScaleType.getIntOrFloatBitWidth() / 8);
  shape.bScaleType = op.getBScale().getType().getElementType();
  shape.bScaleBytes = std::max<int64_t>(
      1, shape.bScaleType.getIntOrFloatBitWidth() / 8);
  for (const OperandScales *scales : {&shape.aScales, &shape.bScales}) {
    if (!scales->alongK)
      continue;
    int64_t group = scales->layout.groupCols;
    if (group != 32 && group != 64 && group != 128)
      return op.emitOpError("with block scaling ")
             << scales->layout.scaling << " groups " << group
             << " elements of K; the " << chip.getName()
             << " kernel promotes partial sums every 32, 64 or 128 elements "
                "of K (one to four k32 wgmma steps)";
    // The verifier makes the groups of A and B along K equal.
    shape.kGroup = group;
  }

  return success();
}

/// gemmKernelName, then `_ws` (warp-specialized), `_c<M>x<N>` (cluster),
/// `_persistent`, `_pingpong` (`_pingpong_mmaorder` when only the main
/// loops take turns), `_tmastore`, `_widestore`, `_splitacc`, `_e8m0`, gemmKernelNameSuffix, and the
/// schedule's GemmSchedule::nameSuffix.
static std::string kernelName(ScaledMatmulOp op, const GemmShape &shape) {
  const GemmSM90Config &config = shape.config;
  std::string name =
      gemmKernelName("sm90", op, shape,
                     {config.tileM, config.tileN, config.tileK}, config.stages);
  if (config.warpSpecialized)
    name += "_ws";
  if (config.clusterSize() > 1)
    name += "_c" + std::to_string(config.clusterM) + "x" +
            std::to_string(config.clusterN);
  if (config.persistent)
    name += "_persistent";
  if (config.pingPong)
    name += config.orderedEpilogues ? "_pingpong" : "_pingpong_mmaorder";
  if (config.tmaStore)
    name += "_tmastore";
  if (config.wideStoreRounds > 0)
    name += "_widestore";
  if (config.scaleLoadTma)
    name += "_tmascales";
  if (shape.splitAccumulator)
    name += "_splitacc";
  if (isa<Float8E8M0FNUType>(op.getAScale().getType().getElementType()))
    name += "_e8m0";
  return name + gemmKernelNameSuffix(shape) + config.schedule.nameSuffix();
}

FailureOr<KernelPlan>
gpu_kernels::planScaledMatmulSM90Kernel(ScaledMatmulOp op,
                                        const ChipInfo &chip,
                                        const GemmSM90Overrides &overrides) {
  GemmShape shape;
  if (failed(checkGemm(op, chip, shape)))
    return failure();
  GemmSM90Problem problem;
  problem.m = shape.m;
  problem.n = shape.n;
  problem.k = shape.k;
  problem.batch = shape.batch;
  bool split = chooseGemmSM90SplitAccumulator(
      overrides.accumulate,
      isa<Float8E5M2Type>(shape.aType) || isa<Float8E5M2Type>(shape.bType));
  if (split && !shape.promotes()) {
    shape.kGroup = GemmSM90Config().tileK;
    shape.splitAccumulator = true;
  }
  problem.kGroup = shape.kGroup;
  problem.outBytes = shape.outBytes();
  problem.outRowsAligned = shape.n * shape.outBytes() % 16 == 0;
  problem.splitAccumulator = shape.splitAccumulator;
  problem.rowScalesAlongK =
      shape.aScales.alongK && shape.aScales.layout.groupRows == 1;
  problem.scaleBytes = shape.aScaleBytes;
  problem.colScalesAlongK =
      shape.bScales.alongK && shape.bScales.layout.groupRows == 1;
  problem.bScaleBytes = shape.bScaleBytes;
  if (auto error = configureGemmSM90(chip, problem, overrides, shape.config))
    return op.emitOpError("cannot use the GEMM options: ") << *error;
  if (shape.runtimeM) {
    // The grid along M is ceil(M / tileM), which need not divide into the
    // heuristic's clusters along M (a given one is reported).
    if (overrides.cluster == GemmCluster::Auto)
      shape.config.clusterM = 1;
    if (failed(checkRuntimeMOptions(op, chip, shape.config.persistent,
                                    shape.config.schedule.raster,
                                    shape.config.clusterM)))
      return failure();
  }
  const GemmSM90Config &config = shape.config;

  KernelPlan plan;
  plan.name = kernelName(op, shape);
  addGemmParams(op, shape, {config.aBoxRows(), config.tileK},
                {config.bBoxRows(), config.tileK},
                config.schedule.l2Promotion, IntegerType::get(op.getContext(), 32), config.numThreads() / 32,
                plan);
  // gemm-scale-load=tma: A's scales [M, K / kGroup] (and MX B's
  // [N, K / kGroup]) are passed as a TMA descriptor in place of their
  // buffer, over their bytes, boxes of tileM (tileN) rows x 16 bytes
  // without swizzle.
  for (KernelParam &param : plan.params) {
    int64_t boxRows = 0;
    if (param.name == "a_scale" && config.scaleLoadTma)
      boxRows = config.tileM;
    else if (param.name == "b_scale" && config.bScaleLoadTma)
      boxRows = config.tileN;
    if (boxRows == 0)
      continue;
    param.kind = KernelParam::Kind::TensorMap;
    param.kernelType = LLVM::LLVMPointerType::get(op.getContext());
    param.box = {boxRows, GemmSM90Config::kScaleBoxBytes};
    param.swizzle128B = false;
    param.l2Promotion = config.schedule.l2Promotion;
    param.runtimeLength = std::nullopt;
  }
  // gemm-epilogue=tma-store: D's descriptor follows D.
  int64_t dMapIndex = -1;
  if (config.tmaStore) {
    auto d = llvm::find_if(plan.params, [](const KernelParam &param) {
      return param.kind == KernelParam::Kind::Output && param.name == "d";
    });
    KernelParam dMap{KernelParam::Kind::OutputTensorMap, "d_map", 0,
                     LLVM::LLVMPointerType::get(op.getContext())};
    dMap.box = {config.consumerRows(), config.storeBoxCols()};
    dMapIndex = d - plan.params.begin() + 1;
    plan.params.insert(plan.params.begin() + dMapIndex, dMap);
  }
  if (failed(setGemmTileGrid(op, shape, config.tileM, config.tileN, plan)))
    return failure();
  plan.cluster = {config.clusterM, config.clusterN, 1};
  if (config.persistent) {
    // A 1-D grid of whole clusters, each looping over cluster tiles.
    plan.grid = {config.persistentCTAs, 1, 1};
    plan.cluster = {config.clusterSize(), 1, 1};
  }
  plan.block = {config.numThreads(), 1, 1};
  plan.dynamicSharedMemory = config.dynamicSharedMemory();
  // setmaxnreg moves registers between warpgroups of a fixed budget.
  if (config.warpSpecialized)
    plan.minBlocksPerSM = 1;

  plan.emitBody = [shape, dMapIndex](ImplicitLocOpBuilder &b,
                                     ValueRange kernelArgs) {
    SmallVector<Value> common(kernelArgs);
    Value dMap;
    if (dMapIndex >= 0) {
      dMap = common[dMapIndex];
      common.erase(common.begin() + dMapIndex);
    }
    GemmArgs args = GemmArgs::unpack(common, shape);
    GemmEmitter emitter(b, shape, args);
    emitter.setOutputMap(dMap);
    emitter.emit();
  };
  return plan;
}
