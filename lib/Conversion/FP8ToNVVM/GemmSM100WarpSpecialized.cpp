//===- GemmSM100WarpSpecialized.cpp - Warp roles of the sm_100a GEMM ------===//
//
// Part of fp8-mlir. With `gemm-warp-specialize=on` the sm_100a GEMM gives
// each warp of a 192-thread CTA one role, and the roles hand work to each
// other through mbarriers only (no CTA barrier between setup and
// teardown):
//
//   warp 0  producer: one thread (all 32 for MXFP8) fills the ring: wait
//           empty[s], arrive.expect_tx full[s] with the stage's bytes, TMA
//           loads of A and B (packed FP4: K / 2 bytes a row); (MX, NVFP4)
//           every lane writes the scale words of 4 rows per 128-row chunk
//           and scale set (stageScalesByWarp), fences them to the async proxy and
//           arrives on full[s] (full[s] counts 1 + 32 arrivals); with
//           gemm-scale-load=tma thread 0 loads them as TMA boxes instead,
//           in full[s]'s expect-tx (1 arrival; loadScaleBoxes)
//   warp 1  MMA: one thread waits accumulatorEmpty[buf], then per K step
//           full[s], (MX) tcgen05.cp of the stage's scales, the step's
//           tcgen05.mma's (emitMmas: 4 x k32, packed FP4 4 x k64) into
//           accumulator buf, tcgen05.commit -> empty[s];
//           after the tile's last step tcgen05.commit -> accumulatorFull[buf]
//           (gemm-scale-load=tma: all 32 lanes wait and first gather the
//           boxes' words into the tcgen05.cp source, arrangeScaleBoxes)
//   warps 2-5 epilogue: wait accumulatorFull[buf], tcgen05.ld (warp w reads
//           lanes 32 * (w % 4)..+31, the rule of tcgen05.ld), and after the
//           last tcgen05.wait::ld every thread arrives on
//           accumulatorEmpty[buf] (128 arrivals), then scales, casts and
//           stores its row; amax: one atomic per epilogue warp at the end
//
// Tiles: the grid is 1-D. Without persistence each CTA computes tile
// blockIdx.x; with `gemm-persistent=on` persistentCTAs CTAs (at most one per
// SM) visit tiles blockIdx.x, + gridDim, ... in the order of gemm-raster
// (GemmRaster.h), batched GEMMs one after another. All three roles walk the
// same tiles; a role's i-th tile (i counted per CTA) uses:
//
//   ring slot i * kSteps + kt for its K step kt (TmaPipeline: stage
//           slot % stages, phase (slot / stages) & 1), so the producer runs
//           up to `stages` K steps ahead, into the next tile
//   accumulator buffer i % buffers (2 when persistent, else 1) in its use
//           (i / buffers): the MMA waits accumulatorEmpty[buf] for parity
//           ((i / buffers) & 1) ^ 1 (the first use returns at once), the
//           epilogue accumulatorFull[buf] for (i / buffers) & 1
//
// so the epilogue of tile i overlaps the MMAs of tile i + 1. Setup (thread
// 0 initializes the barriers, warp 0 allocates accumulatorColumns + scale
// columns of tensor memory and relinquishes the allocation permit) and
// teardown (warp 0 frees it) are the one-tile kernel's (GemmSM100.cpp).
//
//===----------------------------------------------------------------------===//

#include "GemmRaster.h"
#include "GemmSM100.h"
#include "Reductions.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;
using namespace mlir::fp8::gpu_kernels::sm100;

/// The epilogue warps (2-5) arrive on accumulatorEmpty one thread each.
static constexpr int64_t kEpilogueThreads = 128;
static constexpr int64_t kProducerWarp = 0, kMmaWarp = 1;

//===----------------------------------------------------------------------===//
// Tiles and accumulator buffers
//===----------------------------------------------------------------------===//

/// The loop over this CTA's tiles: tile blockIdx.x, then every
/// persistentCTAs-th (one iteration without persistence). The body gets the
/// tile's linear index, the CTA's count of tiles so far (index) and the
/// carried `inits`, and returns their next values.
static SmallVector<Value> buildTileLoop(
    ImplicitLocOpBuilder &b, const GemmShape &shape, ValueRange inits,
    llvm::function_ref<SmallVector<Value>(Value, Value, ValueRange)> body) {
  const GemmSM100Config &config = shape.config;
  int64_t tiles = shape.batch * ceilDiv(shape.m, config.tileM) *
                  ceilDiv(shape.n, config.tileN);
  int64_t step = config.persistent ? config.persistentCTAs : tiles;
  SmallVector<Value> carried{indexConst(b, 0)};
  carried.append(inits.begin(), inits.end());
  auto loop = b.create<scf::ForOp>(b.create<gpu::BlockIdOp>(gpu::Dimension::x),
                                   indexConst(b, tiles), indexConst(b, step),
                                   carried);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value count = loop.getRegionIterArgs()[0];
  SmallVector<Value> next{b.create<arith::AddIOp>(count, indexConst(b, 1))};
  SmallVector<Value> results = body(loop.getInductionVar(), count,
                                    loop.getRegionIterArgs().drop_front());
  next.append(results.begin(), results.end());
  b.create<scf::YieldOp>(next);
  return SmallVector<Value>(loop.getResults().drop_front());
}

/// Makes tile `linearTile` (index) current: its GEMM z of the batch, then
/// (row tile, column tile) in the order of gemm-raster. A CTA pair's tiles
/// are 256 rows (2 x tileM): this CTA takes its 128 rows of A and D and its
/// half of B's rows (bTileRow).
void GemmEmitter::setTile(Value linearTile) {
  const GemmSM100Config &config = shape.config;
  int64_t tileRows = config.tileM * config.pairCTAs();
  int64_t rows = ceilDiv(shape.m, tileRows);
  int64_t cols = ceilDiv(shape.n, config.tileN);
  Value inGemm = linearTile;
  aRowBase = bRowBase = indexConst(b, 0);
  if (shape.batched()) {
    Value perGemm = indexConst(b, rows * cols);
    Value z = b.create<arith::DivUIOp>(linearTile, perGemm);
    inGemm = b.create<arith::RemUIOp>(linearTile, perGemm);
    aRowBase = b.create<arith::MulIOp>(z, indexConst(b, shape.m));
    bRowBase = b.create<arith::MulIOp>(z, indexConst(b, shape.n));
  }
  auto [tileM, tileN] = rasterTile(b, inGemm, rows, cols, config.schedule);
  Value rank = config.ctaPair ? b.create<arith::IndexCastOp>(
                                     b.getIndexType(), pairRank)
                               : Value();
  tileRow = b.create<arith::MulIOp>(tileM, indexConst(b, tileRows));
  if (rank)
    tileRow = b.create<arith::AddIOp>(
        tileRow, b.create<arith::MulIOp>(rank, indexConst(b, config.tileM)));
  tileCol = b.create<arith::MulIOp>(tileN, indexConst(b, config.tileN));
  if (rank)
    bTileRow = b.create<arith::AddIOp>(
        tileCol,
        b.create<arith::MulIOp>(rank, indexConst(b, config.bTileRows())));
}

/// The accumulator buffer of the CTA's `count`-th tile and the parity of
/// the phase its use completes (i32).
static std::pair<Value, Value> accumulatorUse(ImplicitLocOpBuilder &b,
                                              const GemmSM100Config &config,
                                              Value count) {
  Value buffers = indexConst(b, config.accumulatorBuffers());
  Value buffer = b.create<arith::RemUIOp>(count, buffers);
  Value use = b.create<arith::DivUIOp>(count, buffers);
  Value parity = b.create<arith::AndIOp>(
      b.create<arith::IndexCastOp>(b.getI32Type(), use), i32Const(b, 1));
  return {buffer, parity};
}

/// The barrier of accumulator `buffer` (index) in the pair at `first`.
Value GemmEmitter::accumulatorBarrier(int64_t first, Value buffer) {
  return ring->sharedPointer(perStage(first, 8, buffer));
}

//===----------------------------------------------------------------------===//
// Setup
//===----------------------------------------------------------------------===//

/// The one-tile kernel's setup with the warp roles' barriers: full[s]
/// counts the producer's expect_tx (and, MX, its 32 lanes' scale
/// arrivals), empty[s] one tcgen05.commit, accumulatorFull[b] one
/// tcgen05.commit, accumulatorEmpty[b] the 128 epilogue threads.
void GemmEmitter::emitWarpSpecializedSetup() {
  const GemmSM100Config &config = shape.config;
  DynamicSharedMemory memory = getDynamicSharedMemory(b);
  Value region = b.create<arith::AddIOp>(memory.base, memory.padding);
  ring.emplace(b, region, config.stages, indexConst(b, 0),
               layout.operandStage(), layout.barrierBase(),
               config.schedule.waitHint);

  // MX scales by TMA are part of the producer's expect-tx.
  bool scalesByWarp = shape.blockScaled() && !config.scaleLoadTma;
  int64_t fullArrivals = 1 + (scalesByWarp ? 32 : 0);
  {
    auto setup = b.create<scf::IfOp>(isLeader, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&setup.getThenRegion().front());
    for (int64_t s = 0; s < config.stages; ++s) {
      ring->initFullBarrier(s, fullArrivals);
      ring->initEmptyBarrier(s, /*arrivals=*/1);
    }
    for (int64_t buffer = 0; buffer < 2; ++buffer) {
      b.create<NVVM::MBarrierInitOp>(
          sharedPointer(layout.accumulatorFullBarrier() + 8 * buffer),
          i32Const(b, 1), Value());
      b.create<NVVM::MBarrierInitOp>(
          sharedPointer(layout.accumulatorEmptyBarrier() + 8 * buffer),
          i32Const(b, kEpilogueThreads), Value());
    }
    ring->fenceBarrierInit();
  }
  allocateTensorMemory();
}

//===----------------------------------------------------------------------===//
// Producer (warp 0)
//===----------------------------------------------------------------------===//

/// Block scales, the producer warp: lane l writes the scale words of rows
/// l, l + 32, l + 64, l + 96 of every 128-row chunk (A's, then B's) for K
/// step `kStep` into `stage`, one chunk per scale set (stageScales: MX one
/// set, `.kind::mxf4` one per two k64 MMAs, NVFP4 one per MMA with B's
/// `[16, 16]` rows expanded). In the layout `tcgen05.cp .32x128b.warpx4`
/// reads, row r's word is at byte 16 * (r % 32) + 4 * (r / 32), so a
/// lane's four words of a set are one 16-byte store. Then the lane fences
/// them to the async proxy and arrives on full[stage].
void GemmEmitter::stageScalesByWarp(Value kStep, Value stage) {
  const GemmSM100Config &config = shape.config;
  Value scaleStage =
      perStage(layout.scaleBase(), config.scaleStageBytes(), stage);
  Value laneOffset = b.create<arith::MulIOp>(lane, indexConst(b, 16));
  int64_t chunksPerSet = 1 + config.scaleChunksB();
  // The 128-row chunk from row `firstRow` (of `rows` rows; `scaleRowOf`
  // maps a row to its row of `scales`) into chunk `chunk` of every set.
  auto stageChunk = [&](Value scales, llvm::function_ref<Value(Value)> scaleRowOf,
                        Value firstRow, int64_t rows, int64_t chunk) {
    SmallVector<Value> scaleRows;
    for (int64_t j = 0; j < 4; ++j) {
      // Rows past the operand repeat its last row; the MMA ignores them.
      Value row = b.create<arith::MinUIOp>(
          b.create<arith::AddIOp>(
              firstRow, b.create<arith::AddIOp>(lane, indexConst(b, 32 * j))),
          indexConst(b, rows - 1));
      scaleRows.push_back(scaleRowOf(row));
    }
    for (int64_t set = 0; set < config.scaleSetsPerStage(); ++set) {
      Value group = firstScaleGroup(kStep, set);
      SmallVector<Value> words;
      for (Value row : scaleRows)
        words.push_back(loadScaleGroups(scales, row, group));
      Value vector = b.create<vector::FromElementsOp>(
          VectorType::get({4}, b.getI32Type()), words);
      storeScaleChunk(vector, scaleStage, laneOffset,
                      set * chunksPerSet + chunk);
    }
  };
  // A's chunk is chunk 0 of a set; B's 128-row chunk j is chunk 1 + j.
  stageChunk(
      args.aScale,
      [&](Value row) { return b.create<arith::AddIOp>(aRowBase, row); },
      tileRow, shape.m, 0);
  for (int64_t j = 0; j < config.scaleChunksB(); ++j)
    stageChunk(
        args.bScale, [&](Value row) { return bScaleRow(row); },
        b.create<arith::AddIOp>(tileCol, indexConst(b, 128 * j)), shape.n,
        1 + j);
  b.create<NVVM::FenceProxyOp>(
      NVVM::ProxyKind::async_shared,
      NVVM::SharedSpaceAttr::get(b.getContext(),
                                 NVVM::SharedSpace::shared_cta));
  ring->producerArrive(stage);
}

/// gemm-scale-load=tma, the producer thread: the TMA boxes of K step
/// `kStep`'s scales into `stage`, completing on `full` (their bytes are in
/// its expect-tx). A box is 128 rows x 16 bytes from K group 4 * kStep, so
/// the first 4 bytes of each row are the step's; the other 12 (the next
/// three steps', loaded again by them from L2) are not read. A's box holds
/// the tile's rows, B's box j its rows 128 j ..; rows past the tensor are
/// zero-filled, rows past the GEMM (batch) are the next GEMM's: the MMA
/// reads them only for rows and columns of D that are not stored.
void GemmEmitter::loadScaleBoxes(Value kStep, Value stage, Value full) {
  const GemmSM100Config &config = shape.config;
  int64_t boxBase =
      layout.scaleBase() +
      GemmSM100Config::kScaleChunkBytes * (1 + config.scaleChunksB());
  Value group = b.create<arith::IndexCastOp>(
      b.getI32Type(), b.create<arith::MulIOp>(kStep, indexConst(b, 4)));
  auto load = [&](Value map, Value row, int64_t box) {
    Value offset = perStage(
        boxBase + box * GemmSM100Config::kScaleBoxBytes,
        config.scaleStageBytes(), stage);
    ring->loadTile(map, group, row, offset, full, TmaDestination::ThisCta);
  };
  load(args.aScale, b.create<arith::AddIOp>(aRowBase, tileRow), 0);
  for (int64_t j = 0; j < config.scaleChunksB(); ++j)
    load(args.bScale,
         b.create<arith::AddIOp>(
             bRowBase, b.create<arith::AddIOp>(tileCol,
                                               indexConst(b, 128 * j))),
         1 + j);
}

/// gemm-scale-load=tma, every lane l of the MMA warp once full[stage]
/// completed: the `tcgen05.cp .32x128b.warpx4` source of each 128-row
/// chunk from its TMA box. Row r's word (first 4 bytes of box row r) goes
/// to byte 16 * (r % 32) + 4 * (r / 32) of the chunk (see
/// stageScalesByWarp), so lane l gathers rows l, l + 32, l + 64, l + 96
/// and writes them with one 16-byte store. Then the lanes fence the writes
/// to the async proxy and meet at bar.warp.sync, after which lane 0
/// issues the tcgen05.cp's. Nothing here reads global memory.
void GemmEmitter::arrangeScaleBoxes(Value stage) {
  const GemmSM100Config &config = shape.config;
  Value scaleStage =
      perStage(layout.scaleBase(), config.scaleStageBytes(), stage);
  int64_t chunks = 1 + config.scaleChunksB();
  int64_t boxBase = GemmSM100Config::kScaleChunkBytes * chunks;
  Value laneOffset = b.create<arith::MulIOp>(lane, indexConst(b, 16));
  for (int64_t chunk = 0; chunk < chunks; ++chunk) {
    Value box = b.create<arith::AddIOp>(
        scaleStage,
        indexConst(b, boxBase + chunk * GemmSM100Config::kScaleBoxBytes));
    SmallVector<Value> words;
    for (int64_t q = 0; q < 4; ++q) {
      // Box row 32 q + l starts at byte 16 * (32 q + l).
      Value offset = b.create<arith::AddIOp>(
          box, b.create<arith::AddIOp>(laneOffset, indexConst(b, 512 * q)));
      words.push_back(b.create<LLVM::LoadOp>(
          b.getI32Type(), ring->sharedPointer(offset), /*alignment=*/16));
    }
    storeScaleChunk(b.create<vector::FromElementsOp>(
                        VectorType::get({4}, b.getI32Type()), words),
                    scaleStage, laneOffset, chunk);
  }
  b.create<NVVM::FenceProxyOp>(
      NVVM::ProxyKind::async_shared,
      NVVM::SharedSpaceAttr::get(b.getContext(),
                                 NVVM::SharedSpace::shared_cta));
  b.create<NVVM::SyncWarpOp>(i32Const(b, -1));
}

/// Warp 0 (its thread 0 only without MX scales or with them by TMA): every
/// tile's K steps into the ring, each stage once its MMAs released it.
void GemmEmitter::emitProducer() {
  int64_t kSteps = shape.kSteps();
  Value isLane0 = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, lane,
                                          indexConst(b, 0));
  buildTileLoop(b, shape, {}, [&](Value tile, Value count, ValueRange) {
    setTile(tile);
    Value slotBase = b.create<arith::MulIOp>(count, indexConst(b, kSteps));
    auto loop = buildKStepLoop(b, 0, kSteps);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value kStep = loop.getInductionVar();
    Value slot = b.create<arith::AddIOp>(slotBase, kStep);
    Value stage = ring->stageOf(slot);
    ring->producerAcquire(stage, slot);
    {
      auto leader = b.create<scf::IfOp>(isLane0, /*withElseRegion=*/false);
      OpBuilder::InsertionGuard leaderGuard(b);
      b.setInsertionPointToStart(&leader.getThenRegion().front());
      emitLoad(kStep, stage);
    }
    if (shape.blockScaled() && !shape.config.scaleLoadTma)
      stageScalesByWarp(kStep, stage);
    return SmallVector<Value>();
  });
}

//===----------------------------------------------------------------------===//
// MMA issuer (warp 1, one thread)
//===----------------------------------------------------------------------===//

/// The MMA role: one thread, or with gemm-scale-load=tma the whole warp 1
/// (every lane waits and rearranges the scale boxes, lane 0 issues the
/// tcgen05 instructions).
void GemmEmitter::emitMmaIssuer() {
  const GemmSM100Config &config = shape.config;
  int64_t kSteps = shape.kSteps();
  // Runs `body` on the issuing thread only.
  auto issuer = [&](llvm::function_ref<void()> body) {
    if (!config.scaleLoadTma)
      return body();
    Value isLane0 = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, lane,
                                            indexConst(b, 0));
    auto guard = b.create<scf::IfOp>(isLane0, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard insertion(b);
    b.setInsertionPointToStart(&guard.getThenRegion().front());
    body();
  };
  buildTileLoop(b, shape, {}, [&](Value, Value count, ValueRange) {
    // Plain variables, not structured bindings: the lambdas below capture
    // them (capturing a binding is C++20).
    Value buffer, parity;
    std::tie(buffer, parity) = accumulatorUse(b, config, count);
    // The epilogue has read this buffer's previous tile.
    waitForPhase(b,
                 accumulatorBarrier(layout.accumulatorEmptyBarrier(), buffer),
                 b.create<arith::XOrIOp>(parity, i32Const(b, 1)),
                 config.schedule.waitHint);
    b.create<NVVM::Tcgen05FenceOp>(NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
    accumulatorBase = b.create<arith::AddIOp>(
        tensorBase,
        b.create<arith::IndexCastOp>(
            b.getI32Type(),
            b.create<arith::MulIOp>(buffer, indexConst(b, config.tileN))));
    Value slotBase = b.create<arith::MulIOp>(count, indexConst(b, kSteps));
    {
      auto loop = buildKStepLoop(b, 0, kSteps);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      Value kStep = loop.getInductionVar();
      Value slot = b.create<arith::AddIOp>(slotBase, kStep);
      Value stage = ring->stageOf(slot);
      ring->consumerWait(stage, slot);
      if (config.scaleLoadTma)
        arrangeScaleBoxes(stage);
      issuer([&] {
        b.create<NVVM::Tcgen05FenceOp>(
            NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
        emitMmas(kStep, stage);
        ring->consumerReleaseAfterMmas(stage);
      });
    }
    // The tile's accumulator is final once its MMAs are done.
    issuer([&] {
      b.create<NVVM::Tcgen05CommitOp>(
          accumulatorBarrier(layout.accumulatorFullBarrier(), buffer),
          Value(), NVVM::CTAGroupKind::CTA_1);
    });
    return SmallVector<Value>();
  });
}

//===----------------------------------------------------------------------===//
// Epilogue (warps 2-5)
//===----------------------------------------------------------------------===//

void GemmEmitter::emitEpilogueWarps() {
  const GemmSM100Config &config = shape.config;
  laneQuarter = b.create<arith::RemUIOp>(warp, indexConst(b, 4));
  epilogueRow = b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(laneQuarter, indexConst(b, 32)), lane);
  SmallVector<Value> amax = buildTileLoop(
      b, shape, {i32Const(b, 0)},
      [&](Value tile, Value count, ValueRange carried) {
        setTile(tile);
        Value buffer, parity;
        std::tie(buffer, parity) = accumulatorUse(b, config, count);
        waitForPhase(
            b, accumulatorBarrier(layout.accumulatorFullBarrier(), buffer),
            parity, config.schedule.waitHint);
        b.create<NVVM::Tcgen05FenceOp>(
            NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
        accumulatorBase = b.create<arith::AddIOp>(
            tensorBase,
            b.create<arith::IndexCastOp>(
                b.getI32Type(),
                b.create<arith::MulIOp>(buffer, indexConst(b, config.tileN))));
        // Once the thread's loads are done, the MMAs may overwrite the
        // buffer.
        Value next = emitTileEpilogue(carried[0], [&] {
          b.create<NVVM::Tcgen05FenceOp>(
              NVVM::Tcgen05FenceKind::BEFORE_THREAD_SYNC);
          b.create<NVVM::MBarrierArriveOp>(
              Type(),
              accumulatorBarrier(layout.accumulatorEmptyBarrier(), buffer),
              Value());
        });
        return SmallVector<Value>{next};
      });
  if (args.amax)
    emitEpilogueWarpAmax(amax[0]);
}

/// One atomic per epilogue warp: the roles share no CTA barrier.
void GemmEmitter::emitEpilogueWarpAmax(Value amaxBits) {
  Value warpMax = warpMaxAbsRedux(
      b, b.create<arith::BitcastOp>(b.getF32Type(), amaxBits));
  Value isLane0 = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, lane,
                                          indexConst(b, 0));
  auto ifLane0 = b.create<scf::IfOp>(isLane0, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&ifLane0.getThenRegion().front());
  atomicMaxBits(b, args.amax, indexConst(b, 0), absBits(b, warpMax));
}

//===----------------------------------------------------------------------===//
// Structure
//===----------------------------------------------------------------------===//

void GemmEmitter::emitWarpSpecialized() {
  emitWarpSpecializedSetup();
  auto role = [&](Value condition, llvm::function_ref<void()> body) {
    auto guard = b.create<scf::IfOp>(condition, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard insertion(b);
    b.setInsertionPointToStart(&guard.getThenRegion().front());
    body();
  };
  Value isProducer = b.create<arith::CmpIOp>(
      arith::CmpIPredicate::eq, warp, indexConst(b, kProducerWarp));
  // Without MX scales (or with them by TMA) only one producer thread has
  // work.
  if (!shape.blockScaled() || shape.config.scaleLoadTma)
    isProducer = isLeader;
  // With MX scales by TMA the whole MMA warp rearranges them.
  Value isMmaThread =
      shape.config.scaleLoadTma
          ? b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, warp,
                                    indexConst(b, kMmaWarp))
          : b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, thread,
                                    indexConst(b, 32 * kMmaWarp));
  Value isEpilogue = b.create<arith::CmpIOp>(
      arith::CmpIPredicate::uge, warp, indexConst(b, kMmaWarp + 1));
  role(isProducer, [&] { emitProducer(); });
  role(isMmaThread, [&] { emitMmaIssuer(); });
  role(isEpilogue, [&] { emitEpilogueWarps(); });
  emitTeardown();
  b.create<gpu::ReturnOp>();
}
