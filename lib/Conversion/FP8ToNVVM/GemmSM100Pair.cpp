//===- GemmSM100Pair.cpp - The CTA-pair sm_100a GEMM (cta_group::2) -------===//
//
// Part of fp8-mlir. With `gemm-warp-specialize=on gemm-cluster=2x1` two CTAs
// of a 2x1 cluster (neighbours along the 1-D grid: cluster rank =
// blockIdx.x % 2) compute one 256 x tileN tile of D with
// `tcgen05.mma.cta_group::2` (M = 256) issued by the even CTA, the
// "leader". Each CTA holds half of each operand tile in its own shared
// memory and its 128 rows of the accumulator in its own tensor memory:
//
//   CTA r (r = 0, 1)  A rows  tileRow + 128 r .. + 127      (128 x tileK)
//                     B rows  tileCol + r * tileN / 2 ..    (tileN/2 x tileK)
//                     D rows  its 128, all tileN columns    (TMEM lanes 0-127)
//
// The MMA reads both CTAs' stages at the same shared-memory offsets (the
// leader's descriptors) and writes both CTAs' tensor memory at the same
// address. The roles (192 threads, as GemmSM100WarpSpecialized.cpp):
//
//   setup    thread 0 of each CTA: init full[s] (1), empty[s] (1),
//            accumulatorFull (1); fence.mbarrier_init.release.cluster
//            warp 0 of each CTA: tcgen05.alloc.cta_group::2 (both CTAs
//            together), relinquish_alloc_permit.cta_group::2
//            barrier.cluster.arrive + wait (the peer's TMA signals the
//            leader's barriers only once they are initialized)
//   warp 0   producer (thread 0 of each CTA), per K step kt, stage s:
//            wait own empty[s]; leader: arrive.expect_tx on its full[s]
//            with both CTAs' bytes; TMA of the CTA's A and B halves into
//            its own stage with `.cta_group::2`, completing on the
//            leader's full[s] (mapa to rank 0)
//   warp 1   MMA (thread 32 of the leader only): wait full[s];
//            4 x tcgen05.mma.cta_group::2 (M = 256); tcgen05.commit
//            .cta_group::2 .multicast::cluster mask 0b11 -> empty[s] of
//            both CTAs; after the last step the same commit ->
//            accumulatorFull of both CTAs
//   warps 2-5 epilogue of each CTA: wait accumulatorFull, tcgen05.ld its
//            128 rows (the one-tile epilogue), amax per warp
//   teardown tcgen05.fence::before_thread_sync; barrier.cluster.arrive +
//            wait (no CTA frees tensor memory or leaves while the pair's
//            MMAs may still read its shared memory); warp 0 of each CTA:
//            tcgen05.dealloc.cta_group::2
//
// One tile per pair (no persistence, no MX scales: reported by
// configureGemmSM100). The pair count along M is ceil(M / 256): when M is
// not a multiple of 256 the odd CTA's rows may lie past M; TMA zero-fills
// them and the epilogue stores no row past M (GemmShape::raggedM).
//
//===----------------------------------------------------------------------===//

#include "GemmRaster.h"
#include "GemmSM100.h"
#include "Tcgen05Descriptors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;
using namespace mlir::fp8::gpu_kernels::sm100;

/// The leader's MMAs arrive on the barriers of both CTAs of the pair.
static constexpr int64_t kPairMask = 0b11;
static constexpr int64_t kProducerWarp = 0, kMmaWarp = 1;

/// Runs `body` where `condition` holds.
static void emitIf(ImplicitLocOpBuilder &b, Value condition,
                   llvm::function_ref<void()> body) {
  auto guard = b.create<scf::IfOp>(condition, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard insertion(b);
  b.setInsertionPointToStart(&guard.getThenRegion().front());
  body();
}

/// Every thread of both CTAs: barrier.cluster.arrive (release) and wait
/// (acquire).
static void emitClusterBarrier(ImplicitLocOpBuilder &b) {
  b.create<NVVM::ClusterArriveOp>(/*aligned=*/UnitAttr());
  b.create<NVVM::ClusterWaitOp>(/*aligned=*/UnitAttr());
}

//===----------------------------------------------------------------------===//
// Setup and teardown
//===----------------------------------------------------------------------===//

void GemmEmitter::emitPairSetup() {
  const GemmSM100Config &config = shape.config;
  DynamicSharedMemory memory = getDynamicSharedMemory(b);
  Value region = b.create<arith::AddIOp>(memory.base, memory.padding);
  ring.emplace(b, region, config.stages, indexConst(b, 0),
               layout.operandStage(), layout.barrierBase(),
               config.schedule.waitHint);
  // Both CTAs initialize the same barriers: the leader's full[s] count its
  // producer's expect_tx (the peer's TMA only completes bytes on them),
  // every empty[s] and accumulatorFull one multicast tcgen05.commit.
  emitIf(b, isLeader, [&] {
    for (int64_t s = 0; s < config.stages; ++s) {
      ring->initFullBarrier(s, /*arrivals=*/1);
      ring->initEmptyBarrier(s, /*arrivals=*/1);
    }
    b.create<NVVM::MBarrierInitOp>(
        sharedPointer(layout.accumulatorFullBarrier()), i32Const(b, 1),
        Value());
    ring->fenceBarrierInit();
  });
  // One warp of each CTA allocates the pair's tensor memory together.
  emitIf(b, isWarp0, [&] {
    b.create<NVVM::Tcgen05AllocOp>(sharedPointer(layout.tensorMemorySlot()),
                                   i32Const(b, config.tensorMemoryColumns()),
                                   NVVM::CTAGroupKind::CTA_2);
    b.create<NVVM::Tcgen05RelinquishAllocPermitOp>(NVVM::CTAGroupKind::CTA_2);
  });
  emitClusterBarrier(b);
  b.create<NVVM::Tcgen05FenceOp>(NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
  tensorBase = b.create<LLVM::LoadOp>(
      b.getI32Type(), sharedPointer(layout.tensorMemorySlot()));
  accumulatorBase = tensorBase;
}

void GemmEmitter::emitPairTeardown() {
  b.create<NVVM::Tcgen05FenceOp>(NVVM::Tcgen05FenceKind::BEFORE_THREAD_SYNC);
  emitClusterBarrier(b);
  emitIf(b, isWarp0, [&] {
    b.create<NVVM::Tcgen05FenceOp>(NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
    b.create<NVVM::Tcgen05DeallocOp>(
        tensorMemory(tensorBase, Value(), 0),
        i32Const(b, shape.config.tensorMemoryColumns()),
        NVVM::CTAGroupKind::CTA_2);
  });
}

//===----------------------------------------------------------------------===//
// Producer (warp 0, thread 0 of each CTA)
//===----------------------------------------------------------------------===//

/// The leader's full[stage] as a shared::cluster address (`mapa` to rank
/// 0), typed as the shared pointer the TMA op takes: a `.cta_group::2`
/// load may complete its bytes on the barrier of either CTA of the pair.
Value GemmEmitter::leaderFullBarrier(Value stage) {
  MLIRContext *ctx = b.getContext();
  Value remote = b.create<NVVM::MapaOp>(
      LLVM::LLVMPointerType::get(
          ctx, static_cast<unsigned>(NVVM::NVVMMemorySpace::SharedCluster)),
      ring->fullBarrier(stage), i32Const(b, 0));
  Value address = b.create<LLVM::PtrToIntOp>(b.getI64Type(), remote);
  return b.create<LLVM::IntToPtrOp>(
      LLVM::LLVMPointerType::get(
          ctx, static_cast<unsigned>(NVVM::NVVMMemorySpace::Shared)),
      address);
}

/// A `.cta_group::2` TMA load of `map` at (k, row) into this CTA's shared
/// memory at `offset`, completing on `barrier` (the leader's full[s]).
void GemmEmitter::emitPairLoad(Value map, Value k, Value row, Value offset,
                               Value barrier) {
  Value destination = b.create<LLVM::AddrSpaceCastOp>(
      LLVM::LLVMPointerType::get(
          b.getContext(),
          static_cast<unsigned>(NVVM::NVVMMemorySpace::SharedCluster)),
      ring->sharedPointer(offset));
  b.create<NVVM::CpAsyncBulkTensorGlobalToSharedClusterOp>(
      destination, map,
      ValueRange{k, b.create<arith::IndexCastOp>(b.getI32Type(), row)},
      barrier, ValueRange{}, /*multicastMask=*/Value(), /*l2CacheHint=*/Value(),
      NVVM::TMALoadMode::TILE, /*isCTAOnly=*/false,
      NVVM::CTAGroupKindAttr::get(b.getContext(), NVVM::CTAGroupKind::CTA_2),
      /*predicate=*/Value());
}

/// Every K step into the ring: each CTA's thread 0 waits for its own
/// empty[s] (released by the leader's multicast commit), the leader
/// announces the bytes of both CTAs on its full[s], and each loads its
/// halves of A and B.
void GemmEmitter::emitPairProducer() {
  const GemmSM100Config &config = shape.config;
  Value isPairLeader = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq,
                                               pairRank, i32Const(b, 0));
  auto loop = buildKStepLoop(b, 0, shape.kSteps());
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value kStep = loop.getInductionVar();
  Value stage = ring->stageOf(kStep);
  ring->producerAcquire(stage, kStep);
  emitIf(b, isPairLeader, [&] {
    ring->producerExpectTx(stage,
                           config.pairCTAs() * config.operandStageBytes());
  });
  Value full = leaderFullBarrier(stage);
  Value k = b.create<arith::IndexCastOp>(
      b.getI32Type(),
      b.create<arith::MulIOp>(kStep, indexConst(b, config.tileK)));
  emitPairLoad(args.aMap, k, b.create<arith::AddIOp>(aRowBase, tileRow),
               perStage(0, layout.operandStage(), stage), full);
  emitPairLoad(args.bMap, k, b.create<arith::AddIOp>(bRowBase, bTileRow),
               perStage(config.tileM * config.tileK, layout.operandStage(),
                        stage),
               full);
}

//===----------------------------------------------------------------------===//
// MMA issuer (warp 1, thread 32 of the leader)
//===----------------------------------------------------------------------===//

void GemmEmitter::emitPairMmaIssuer() {
  const GemmSM100Config &config = shape.config;
  Value mask = b.create<arith::ConstantIntOp>(b.getI16Type(), kPairMask);
  Tcgen05InstrDescriptor instr;
  instr.kind = Tcgen05MmaKind::F8F6F4;
  instr.aFormat = *getTcgen05ElementFormat(shape.aType);
  instr.bFormat = *getTcgen05ElementFormat(shape.bType);
  instr.m = config.tileM * config.pairCTAs();
  instr.n = config.tileN;
  Tcgen05SmemDescriptor tiles = Tcgen05SmemDescriptor::kMajorSwizzle128B();
  Value accumulator = tensorMemory(accumulatorBase, Value(), 0);
  {
    auto loop = buildKStepLoop(b, 0, shape.kSteps());
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value kStep = loop.getInductionVar();
    Value stage = ring->stageOf(kStep);
    // Both CTAs' bytes of this step have landed.
    ring->consumerWait(stage, kStep);
    b.create<NVVM::Tcgen05FenceOp>(NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
    Value aDescriptor = buildSmemDescriptor(
        b, ring->sharedAddress(ring->stageOffset(stage)), tiles);
    Value bDescriptor = buildSmemDescriptor(
        b,
        ring->sharedAddress(perStage(config.tileM * config.tileK,
                                     layout.operandStage(), stage)),
        tiles);
    // The first MMA overwrites the (stale) accumulator.
    Value accumulateFirst = b.create<arith::CmpIOp>(
        arith::CmpIPredicate::ne, kStep, indexConst(b, 0));
    Value accumulate = b.create<arith::ConstantIntOp>(b.getI1Type(), 1);
    for (int64_t kk = 0; kk < shape.mmasPerStep(); ++kk)
      b.create<NVVM::Tcgen05MMAOp>(
          NVVM::Tcgen05MMAKind::F8F6F4, NVVM::CTAGroupKind::CTA_2,
          NVVM::Tcgen05MMACollectorOp::DISCARD, /*aShift=*/false, accumulator,
          advanceSmemDescriptor(b, aDescriptor, 32 * kk),
          advanceSmemDescriptor(b, bDescriptor, 32 * kk),
          buildInstrDescriptor(b, instr), kk == 0 ? accumulateFirst : accumulate,
          Value(), Value());
    // Releases stage s in both CTAs once these MMAs have read it.
    b.create<NVVM::Tcgen05CommitOp>(ring->emptyBarrier(stage), mask,
                                    NVVM::CTAGroupKind::CTA_2);
  }
  // Both CTAs' accumulators are final once every MMA is done.
  b.create<NVVM::Tcgen05CommitOp>(
      sharedPointer(layout.accumulatorFullBarrier()), mask,
      NVVM::CTAGroupKind::CTA_2);
}

//===----------------------------------------------------------------------===//
// Epilogue (warps 2-5 of each CTA) and structure
//===----------------------------------------------------------------------===//

void GemmEmitter::emitPairEpilogue() {
  laneQuarter = b.create<arith::RemUIOp>(warp, indexConst(b, 4));
  epilogueRow = b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(laneQuarter, indexConst(b, 32)), lane);
  waitForPhase(b, sharedPointer(layout.accumulatorFullBarrier()),
               i32Const(b, 0), shape.config.schedule.waitHint);
  b.create<NVVM::Tcgen05FenceOp>(NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
  Value amax = emitTileEpilogue(i32Const(b, 0), [] {});
  if (args.amax)
    emitEpilogueWarpAmax(amax);
}

void GemmEmitter::emitCtaPair() {
  Value block = b.create<gpu::BlockIdOp>(gpu::Dimension::x);
  // In a 2x1 cluster of a 1-D grid, the cluster rank is blockIdx.x % 2.
  pairRank = b.create<arith::IndexCastOp>(
      b.getI32Type(), b.create<arith::RemUIOp>(block, indexConst(b, 2)));
  setTile(b.create<arith::DivUIOp>(block, indexConst(b, 2)));
  emitPairSetup();
  Value isMmaThread = b.create<arith::AndIOp>(
      b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, thread,
                              indexConst(b, 32 * kMmaWarp)),
      b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, pairRank,
                              i32Const(b, 0)));
  Value isEpilogue = b.create<arith::CmpIOp>(
      arith::CmpIPredicate::uge, warp, indexConst(b, kMmaWarp + 1));
  static_assert(kProducerWarp == 0, "the producer is thread 0");
  emitIf(b, isLeader, [&] { emitPairProducer(); });
  emitIf(b, isMmaThread, [&] { emitPairMmaIssuer(); });
  emitIf(b, isEpilogue, [&] { emitPairEpilogue(); });
  emitPairTeardown();
  b.create<gpu::ReturnOp>();
}
