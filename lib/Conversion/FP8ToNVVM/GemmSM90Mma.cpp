//===- GemmSM90Mma.cpp - The wgmma main loop of the sm_90a GEMM -----------===//
//
// Part of fp8-mlir. One consumer warpgroup's K loop: wait for a stage,
// issue its wgmma's, release the stage.
//
// Without scales along K, the 4 k32 steps of a 128-wide K step accumulate
// straight into the accumulators; the group of step kt keeps running while
// the loop waits only for step kt - 1 (`wgmma.wait_group 1`), whose stage is
// then released.
//
// A split accumulator promotes the same way, once per 128-wide K step and
// with no scale (acc += partial): Hopper's FP8 wgmma aligns its addends
// to fewer than 32 bits (DeepSeek-V3 measured about 14), so summing all of
// a long K inside the wgmma accumulators loses accuracy that f32 adds of
// per-step partial sums keep.
//
// With scales along K (groups of 32, 64 or 128 elements), each group's
// k32 steps start a fresh partial sum (scale-d = 0 on the first), the
// consumer waits for it (`wgmma.wait_group 0`) and promotes it:
//
//   acc[i] = fma(partial[i], sA[row(i), g] * sB[col(i), g], acc[i])
//
// The scale loads are issued right after the commit, so their latency
// hides behind the wgmma's (with gemm-scale-load=tma, A's come from the
// stage's scale box in shared memory, GemmSM90Scales.cpp); only
// per-column scales of B (32 per thread for MX) wait for their first use
// in the promotion, as 32 more values live across the wait push a
// consumer past its 232 registers. The stage is released after the last
// group's wait, before the promotion; after it when MX B's scales are
// read from the stage's box (gemm-scale-load=tma). While one consumer
// promotes, the other's wgmma's keep the tensor cores busy.
//
// gemm-promotion=overlapped (emitOverlappedMainLoop) also keeps this
// consumer's tensor cores busy: two partial-sum sets, the next group
// issued before the previous one is promoted (`wgmma.wait_group 1`).
//
//===----------------------------------------------------------------------===//

#include "GemmSM90.h"
#include "WgmmaDescriptors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;
using namespace mlir::fp8::gpu_kernels::sm90;

//===----------------------------------------------------------------------===//
// Descriptors
//===----------------------------------------------------------------------===//

/// The shared-memory address of a tile of the ring (a workgroup memref),
/// as i64.
static Value tileAddress(ImplicitLocOpBuilder &b, Value tile) {
  Value address = b.create<memref::ExtractAlignedPointerAsIndexOp>(tile);
  return b.create<arith::IndexCastOp>(b.getI64Type(), address);
}

/// The wgmma operand type of an FP8 element type.
static NVVM::WGMMATypes wgmmaType(Type type) {
  return isa<Float8E4M3FNType>(type) ? NVVM::WGMMATypes::e4m3
                                     : NVVM::WGMMATypes::e5m2;
}

//===----------------------------------------------------------------------===//
// wgmma
//===----------------------------------------------------------------------===//

/// Issues the k32 steps [firstMma, firstMma + numMmas) of the stage for
/// every m64 block of the consumer's rows, after a wgmma.fence. Unless
/// `accumulate`, the first step overwrites the accumulators (scale-d = 0).
SmallVector<Value> GemmEmitter::emitMmas(ArrayRef<Value> accumulators,
                                         Value aDescriptor, Value bDescriptor,
                                         int64_t firstMma, int64_t numMmas,
                                         bool accumulate) {
  MLIRContext *ctx = b.getContext();
  const GemmSM90Config &config = shape.config;
  auto mmaShape = NVVM::MMAShapeAttr::get(ctx, 64, config.tileN, 32);
  SmallVector<Value> accs(accumulators);
  b.create<NVVM::WgmmaFenceAlignedOp>();
  for (int64_t kk = firstMma; kk < firstMma + numMmas; ++kk) {
    Value bStep = advanceSmemDescriptor(b, bDescriptor, kk * 32);
    auto scaleOut = accumulate || kk != firstMma ? NVVM::WGMMAScaleOut::one
                                                 : NVVM::WGMMAScaleOut::zero;
    for (int64_t mh = 0; mh < shape.mmaRows(); ++mh) {
      Value aStep = advanceSmemDescriptor(b, aDescriptor,
                                          mh * 64 * config.tileK + kk * 32);
      accs[mh] = b.create<NVVM::WgmmaMmaAsyncOp>(
          accs[mh].getType(), accs[mh], aStep, bStep, mmaShape,
          wgmmaType(shape.aType), wgmmaType(shape.bType),
          NVVM::WGMMATypes::f32, scaleOut, NVVM::WGMMAScaleIn::one,
          NVVM::WGMMAScaleIn::one, NVVM::MMALayout::row, NVVM::MMALayout::col,
          NVVM::MMAIntOverflowAttr());
    }
  }
  b.create<NVVM::WgmmaGroupSyncAlignedOp>();
  return accs;
}

//===----------------------------------------------------------------------===//
// Promotion
//===----------------------------------------------------------------------===//

/// The along-K scales of the K group starting at `kIndex`: sA of every
/// fragment row (when A's scales change along K) and sB of every fragment
/// column (when B's do); rows or columns sharing a scale group share one
/// load. Issued before the wgmma wait, so the loads overlap the wgmma's.
PromotionScales GemmEmitter::emitPromotionScales(const Fragment &fragment,
                                                 Value kIndex) {
  int64_t numRows = 2 * shape.mmaRows(), numCols = shape.config.tileN / 4;
  // With a ragged K, the last step's groups may start beyond K: their
  // partial sums are 0 (TMA zero fill) and their factor is made 0 too
  // (scales read at a clamped index might be inf or NaN).
  bool raggedK = shape.k % shape.config.tileK != 0;
  Value kLoad = raggedK ? b.create<arith::MinUIOp>(
                              kIndex, indexConst(b, shape.k - 1))
                        : kIndex;
  Value inK;
  if (raggedK)
    inK = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, kIndex,
                                  indexConst(b, shape.k));

  PromotionScales result(b, shape, fragment);
  result.kIndex = kLoad;
  result.inK = inK;
  result.rows.resize(numRows);
  result.cols.resize(numCols);
  if (shape.aScales.alongK && shape.config.scaleLoadTma)
    result.rows = emitStageRowScales(fragment, kIndex);
  else if (shape.aScales.alongK)
    for (int64_t r = 0; r < numRows; ++r)
      result.rows[r] = result.scales.rowScale(args.aScale, r, kLoad);
  if (inK && shape.aScales.alongK)
    result.rows = zeroBeyondK(result.rows, inK);
  // Per-column scales of B (MX, [1, 128] activations as B) are loaded at
  // their first use in the promotion: 32 of them kept live across the wait
  // would push the consumer over its 232 registers.
  result.deferCols = shape.bScales.layout.groupRows % 8 != 0;
  // gemm-scale-load=tma with MX B: the deferred loads read B's box in the
  // stage, which stays held until the group is promoted (releasesAfter-
  // Promotion).
  if (shape.config.bScaleLoadTma)
    emitStageColScaleBase(fragment, kIndex, result);
  if (shape.bScales.alongK && !result.deferCols) {
    for (int64_t c = 0; c < numCols; ++c)
      result.cols[c] = result.scales.colScale(args.bScale, c, kLoad);
    if (inK && !shape.aScales.alongK)
      result.cols = zeroBeyondK(result.cols, inK);
  }
  return result;
}

/// `select(inK, scale, 0)` of each distinct scale in `scales`.
SmallVector<Value> GemmEmitter::zeroBeyondK(ArrayRef<Value> scales,
                                            Value inK) {
  DenseMap<Value, Value> zeroed;
  Value zero = f32Const(b, 0.0);
  SmallVector<Value> result;
  for (Value scale : scales) {
    Value &masked = zeroed[scale];
    if (!masked)
      masked = b.create<arith::SelectOp>(inK, scale, zero);
    result.push_back(masked);
  }
  return result;
}

/// acc[i] = fma(partial[i], sA(row(i)) * sB(col(i)), acc[i]) for every
/// register of every m64 block. Each distinct product is formed once, next
/// to its first use: precomputing all of them would keep up to 64 more
/// values live across the wgmma wait (MX: one per row and column pair).
SmallVector<Value> GemmEmitter::emitPromotion(ArrayRef<Value> accumulators,
                                              ArrayRef<Value> partials,
                                              PromotionScales &scales) {
  DenseMap<std::pair<Value, Value>, Value> products;
  auto colScaleAt = [&](int64_t c) -> Value {
    if (!shape.bScales.alongK || !scales.deferCols)
      return scales.cols[c];
    Value &scale = scales.cols[c];
    if (!scale) {
      scale = scales.bBox
                  ? stageColScale(scales, c)
                  : scales.scales.colScale(args.bScale, c, scales.kIndex);
      // Without along-K scales of A the beyond-K zero goes on B's.
      if (scales.inK && !shape.aScales.alongK)
        scale = b.create<arith::SelectOp>(scales.inK, scale, f32Const(b, 0.0));
    }
    return scale;
  };
  auto factor = [&](int64_t r, int64_t c) {
    Value rowScale = scales.rows[r], colScale = colScaleAt(c);
    Value &product = products[{rowScale, colScale}];
    if (!product)
      product = rowScale && colScale
                    ? b.create<arith::MulFOp>(rowScale, colScale).getResult()
                    : (rowScale ? rowScale : colScale);
    return product;
  };
  SmallVector<Value> promoted;
  for (int64_t mh = 0; mh < shape.mmaRows(); ++mh) {
    Value acc = accumulators[mh];
    for (int64_t i = 0; i < shape.accumulatorSize(); ++i) {
      int64_t r = 2 * mh + (i % 4) / 2;
      int64_t c = 2 * (i / 4) + i % 2;
      Value partial = b.create<LLVM::ExtractValueOp>(partials[mh], i);
      Value total = b.create<LLVM::ExtractValueOp>(acc, i);
      // A split accumulator has no scale along K: acc += partial.
      Value sum = shape.splitAccumulator
                      ? b.create<LLVM::FAddOp>(partial, total).getResult()
                      : b.create<LLVM::FMAOp>(partial, factor(r, c), total)
                            .getResult();
      acc = b.create<LLVM::InsertValueOp>(acc, sum, i);
    }
    promoted.push_back(acc);
  }
  return promoted;
}

//===----------------------------------------------------------------------===//
// The K loop
//===----------------------------------------------------------------------===//

/// Waits until the stage of K step `kStep` has landed; returns the wgmma
/// descriptors of the consumer's rows of its A tile and of its B tile.
std::pair<Value, Value>
GemmEmitter::emitStageDescriptors(const Fragment &fragment, Value kStep) {
  const GemmSM90Config &config = shape.config;
  Value stage = ring->stageOf(slotOf(kStep));
  ring->consumerWait(stage, slotOf(kStep));
  // The consumer's rows start consumer * consumerRows rows (of 128 bytes)
  // into the A tile.
  auto [aTile, bTile] = stageTiles(stage);
  Value aAddress = b.create<arith::AddIOp>(
      tileAddress(b, aTile),
      b.create<arith::IndexCastOp>(
          b.getI64Type(),
          b.create<arith::MulIOp>(
              fragment.consumer,
              indexConst(b, config.consumerRows() * config.tileK))));
  // Both tiles are K-major with 128-byte rows and the 128-byte swizzle, as
  // TMA writes them.
  WgmmaSmemDescriptor tiles = WgmmaSmemDescriptor::kMajorSwizzle128B();
  return {buildWgmmaSmemDescriptor(b, aAddress, tiles),
          buildWgmmaSmemDescriptor(b, tileAddress(b, bTile), tiles)};
}

/// Whether a K step's stage is released only after its last group's
/// promotion: B's per-column scales are read at their first use in the
/// promotion, from the stage's box with gemm-scale-load=tma (MX B).
/// Otherwise the stage is released as soon as its wgmma's are complete.
bool GemmEmitter::releasesAfterPromotion() const {
  return shape.config.bScaleLoadTma;
}

/// One K step without promotion: its k32 wgmma's accumulate into `accs`
/// (overwrite them when `first`), then the wait for the previous step,
/// whose stage is released.
SmallVector<Value> GemmEmitter::emitFastStep(const Fragment &fragment,
                                             Value kStep,
                                             ArrayRef<Value> accumulators,
                                             bool first) {
  int64_t stages = shape.config.stages;
  auto [aDescriptor, bDescriptor] = emitStageDescriptors(fragment, kStep);
  SmallVector<Value> accs =
      emitMmas(accumulators, aDescriptor, bDescriptor, 0,
               shape.config.tileK / 32, /*accumulate=*/!first);
  // Keep this step's wgmma group running and wait only for the previous
  // one (`lag` = 1), whose stage is then free; with a single stage there
  // is nothing to overlap and the current step is waited for.
  int64_t lag = stages > 1 ? 1 : 0;
  b.create<NVVM::WgmmaWaitGroupSyncOp>(lag);
  if (lag == 0) {
    emitRelease(kStep, Value());
  } else if (!first) {
    Value previous = b.create<arith::SubIOp>(kStep, indexConst(b, lag));
    Value hasPrevious = b.create<arith::CmpIOp>(
        arith::CmpIPredicate::uge, kStep, indexConst(b, lag));
    emitRelease(previous, hasPrevious);
  }
  return accs;
}

SmallVector<Value> GemmEmitter::emitMainLoop(const Fragment &fragment) {
  MLIRContext *ctx = b.getContext();
  const GemmSM90Config &config = shape.config;
  auto accType = LLVM::LLVMStructType::getLiteral(
      ctx, SmallVector<Type>(shape.accumulatorSize(), b.getF32Type()));

  if (!shape.promotes()) {
    // K step 0 overwrites the accumulators (scale-d = 0) instead of adding
    // to zeros: moving zeros into them between wgmma.fence and the first
    // wgmma would be undefined in PTX (ptxas repairs it with one more
    // warpgroup.arrive, info C7519).
    SmallVector<Value> accs(shape.mmaRows(), b.create<LLVM::UndefOp>(accType));
    accs = emitFastStep(fragment, indexConst(b, 0), accs, /*first=*/true);
    if (shape.kSteps() == 1)
      return accs;
    auto loop = buildKStepLoop(b, 1, shape.kSteps(), accs);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    b.create<scf::YieldOp>(
        emitFastStep(fragment, loop.getInductionVar(),
                     SmallVector<Value>(loop.getRegionIterArgs()),
                     /*first=*/false));
    return SmallVector<Value>(loop.getResults());
  }

  // The totals start at 0; each K group's partial sums start fresh.
  SmallVector<Value> init;
  for (int64_t i = 0; i < shape.mmaRows(); ++i)
    init.push_back(b.create<LLVM::ZeroOp>(accType));
  if (config.schedule.promotion == GemmPromotion::Overlapped)
    return emitOverlappedMainLoop(fragment, init);
  auto loop = buildKStepLoop(b, 0, shape.kSteps(), init);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value kStep = loop.getInductionVar();
  auto [aDescriptor, bDescriptor] = emitStageDescriptors(fragment, kStep);
  SmallVector<Value> accs(loop.getRegionIterArgs());

  Value undefined = b.create<LLVM::UndefOp>(accType);
  Value stepK = b.create<arith::MulIOp>(kStep, indexConst(b, config.tileK));
  for (int64_t g = 0; g < shape.groupsPerStep(); ++g) {
    SmallVector<Value> partials(shape.mmaRows(), undefined);
    partials = emitMmas(partials, aDescriptor, bDescriptor,
                        g * shape.mmasPerGroup(), shape.mmasPerGroup(),
                        /*accumulate=*/false);
    Value kIndex =
        b.create<arith::AddIOp>(stepK, indexConst(b, g * shape.kGroup));
    PromotionScales scales = emitPromotionScales(fragment, kIndex);
    b.create<NVVM::WgmmaWaitGroupSyncOp>(0);
    bool last = g == shape.groupsPerStep() - 1;
    if (last && !releasesAfterPromotion())
      emitRelease(kStep, Value());
    accs = emitPromotion(accs, partials, scales);
    if (last && releasesAfterPromotion())
      emitRelease(kStep, Value());
  }
  b.create<scf::YieldOp>(accs);
  return SmallVector<Value>(loop.getResults());
}

//===----------------------------------------------------------------------===//
// The K loop with overlapped promotion (gemm-promotion=overlapped)
//===----------------------------------------------------------------------===//

/// `count` K steps from `firstStep` on, overlapped: K group G of them
/// (counting from 0 at `firstStep`) accumulates into partial-sum set G % 2,
/// the set's previous values being its wgmma's (ignored, scale-d = 0)
/// input, so each set stays in the same registers. After each issue but
/// the first, the scales of group G - 1 are loaded, `wgmma.wait_group 1`
/// waits for that group only, and it is promoted while group G runs. Each
/// step but the first releases the stage of the step before once its
/// groups are issued (the previous step's groups have all completed); at
/// the end `wgmma.wait_group 0` drains the last group, its stage is
/// released and it is promoted. So no wgmma is in flight where the K loop
/// branches back: ptxas tracks which accumulators a wgmma still owns only
/// within straight-line code, and serializes every wgmma (C7514) when a
/// set is read after a loop's back edge while the other's wgmma's run.
void GemmEmitter::emitOverlappedSteps(const Fragment &fragment,
                                      Value firstStep, int64_t count,
                                      OverlappedState &state) {
  int64_t groups = shape.groupsPerStep();
  for (int64_t s = 0; s < count; ++s) {
    Value kStep = s == 0 ? firstStep
                         : b.create<arith::AddIOp>(firstStep, indexConst(b, s))
                               .getResult();
    auto [aDescriptor, bDescriptor] = emitStageDescriptors(fragment, kStep);
    Value stepK =
        b.create<arith::MulIOp>(kStep, indexConst(b, shape.config.tileK));
    for (int64_t g = 0; g < groups; ++g) {
      int64_t set = (s * groups + g) % 2;
      state.sets[set] =
          emitMmas(state.sets[set], aDescriptor, bDescriptor,
                   g * shape.mmasPerGroup(), shape.mmasPerGroup(),
                   /*accumulate=*/false);
      if (s == 0 && g == 0)
        continue;
      // The K index of the group issued before this one (for g = 0 the
      // last group of the step before).
      Value previousK = b.create<arith::SubIOp>(
          b.create<arith::AddIOp>(stepK, indexConst(b, g * shape.kGroup)),
          indexConst(b, shape.kGroup));
      PromotionScales scales = emitPromotionScales(fragment, previousK);
      b.create<NVVM::WgmmaWaitGroupSyncOp>(1);
      state.accs = emitPromotion(state.accs, state.sets[1 - set], scales);
    }
    if (s > 0)
      emitRelease(b.create<arith::SubIOp>(kStep, indexConst(b, 1)), Value());
  }
  Value lastStep =
      count == 1 ? firstStep
                 : b.create<arith::AddIOp>(firstStep, indexConst(b, count - 1))
                       .getResult();
  Value lastK = b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(lastStep, indexConst(b, shape.config.tileK)),
      indexConst(b, shape.config.tileK - shape.kGroup));
  PromotionScales scales = emitPromotionScales(fragment, lastK);
  b.create<NVVM::WgmmaWaitGroupSyncOp>(0);
  if (!releasesAfterPromotion())
    emitRelease(lastStep, Value());
  state.accs = emitPromotion(state.accs, state.sets[(count * groups - 1) % 2],
                             scales);
  if (releasesAfterPromotion())
    emitRelease(lastStep, Value());
}

/// gemm-promotion=overlapped: the tensor cores run the next K group's
/// wgmma's while the consumer promotes the previous group, at the cost of
/// a third set of f32 registers (totals and two sets of partial sums; see
/// KernelHeuristics). Each iteration of the K loop overlaps the groups of
/// kOverlappedGroups / groupsPerStep K steps (all but the last group of
/// the iteration overlap: 3 of 4), carrying the totals and both sets; the
/// K steps left over follow the loop the same way. Needs two stages once
/// an iteration has two K steps (configureGemmSM90 checks): K step kt + 1
/// is waited for before the stage of kt is released.
SmallVector<Value>
GemmEmitter::emitOverlappedMainLoop(const Fragment &fragment,
                                    ArrayRef<Value> init) {
  int64_t rows = shape.mmaRows();
  Value undefined = b.create<LLVM::UndefOp>(init.front().getType());
  OverlappedState state;
  state.accs.assign(init.begin(), init.end());
  state.sets[0].assign(rows, undefined);
  state.sets[1].assign(rows, undefined);

  int64_t stepsPerIteration = std::max<int64_t>(
      1, GemmSM90Config::kOverlappedGroups / shape.groupsPerStep());
  int64_t loopSteps = shape.kSteps() / stepsPerIteration * stepsPerIteration;
  if (loopSteps > 0) {
    SmallVector<Value> carried(state.accs);
    carried.append(state.sets[0]);
    carried.append(state.sets[1]);
    auto loop = b.create<scf::ForOp>(indexConst(b, 0), indexConst(b, loopSteps),
                                     indexConst(b, stepsPerIteration), carried);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      auto iterArgs = loop.getRegionIterArgs();
      OverlappedState body;
      body.accs.assign(iterArgs.begin(), iterArgs.begin() + rows);
      body.sets[0].assign(iterArgs.begin() + rows, iterArgs.begin() + 2 * rows);
      body.sets[1].assign(iterArgs.begin() + 2 * rows, iterArgs.end());
      emitOverlappedSteps(fragment, loop.getInductionVar(), stepsPerIteration,
                          body);
      SmallVector<Value> yielded(body.accs);
      yielded.append(body.sets[0]);
      yielded.append(body.sets[1]);
      b.create<scf::YieldOp>(yielded);
    }
    auto results = loop.getResults();
    state.accs.assign(results.begin(), results.begin() + rows);
    state.sets[0].assign(results.begin() + rows, results.begin() + 2 * rows);
    state.sets[1].assign(results.begin() + 2 * rows, results.end());
  }
  if (loopSteps < shape.kSteps())
    emitOverlappedSteps(fragment, indexConst(b, loopSteps),
                        shape.kSteps() - loopSteps, state);
  return state.accs;
}
