//===- GemmSM100Mma.cpp - Loads and tcgen05 loop of the sm_100a GEMM ------===//
//
// Part of fp8-mlir. Thread 0 fills the ring (TmaPipeline) with the TMA
// loads of A and B, waits for each stage, copies its MX / NVFP4 scales into tensor
// memory, issues its tcgen05.mma's and releases the stage with
// tcgen05.commit; the stage of the step before is then refilled.
//
//===----------------------------------------------------------------------===//

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

//===----------------------------------------------------------------------===//
// Loads
//===----------------------------------------------------------------------===//

/// Thread 0: announce the bytes of K step `kStep` on full[stage] and start
/// its two TMA loads (coordinates innermost first: k, then row), and with
/// gemm-scale-load=tma those of its scale boxes.
void GemmEmitter::emitLoad(Value kStep, Value stage) {
  const GemmSM100Config &config = shape.config;
  Value full = ring->producerExpectTx(stage, config.stageTransactionBytes());
  // The K coordinate in the map's columns: elements, or bytes of packed
  // FP4 (tileK of them per step either way).
  Value k = b.create<arith::IndexCastOp>(
      b.getI32Type(), b.create<arith::MulIOp>(kStep,
                                              indexConst(b, config.tileK)));
  auto load = [&](Value map, int64_t offset, Value row) {
    ring->loadTile(map, k, row,
                   perStage(offset, layout.operandStage(), stage), full,
                   TmaDestination::ThisCta);
  };
  load(args.aMap, 0, b.create<arith::AddIOp>(aRowBase, tileRow));
  load(args.bMap, config.tileM * config.tileK,
       b.create<arith::AddIOp>(bRowBase, tileCol));
  if (config.scaleLoadTma)
    loadScaleBoxes(kStep, stage, full);
}

/// Fills `stage` with K step `kStep`: thread 0 starts the TMA loads; for MX
/// every thread then stages its scale words.
void GemmEmitter::emitFill(Value kStep, Value stage) {
  {
    auto leader = b.create<scf::IfOp>(isLeader, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&leader.getThenRegion().front());
    emitLoad(kStep, stage);
  }
  if (shape.blockScaled())
    stageScales(kStep, stage);
}

//===----------------------------------------------------------------------===//
// Main loop
//===----------------------------------------------------------------------===//

/// Thread 0: the MMAs of K step `kStep` from `stage`, then a commit that
/// releases the stage when they are done.
void GemmEmitter::emitMmaStep(Value kStep, Value stage) {
  ring->consumerWait(stage, kStep);
  b.create<NVVM::Tcgen05FenceOp>(NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
  emitMmas(kStep, stage);
  ring->consumerReleaseAfterMmas(stage);
}

/// The MMAs of K step `kStep` (of the tile) from the landed `stage` into
/// the accumulator at accumulatorBase; (MX) first the stage's scales into
/// tensor memory.
void GemmEmitter::emitMmas(Value kStep, Value stage) {
  MLIRContext *ctx = b.getContext();
  const GemmSM100Config &config = shape.config;
  // Tensor memory addresses of the scales of A and B each MMA reads.
  SmallVector<Value> scaleA, scaleB;
  if (shape.blockScaled()) {
    // This stage's scales: per set (MX: one; NVFP4: one per MMA; mxf4: one
    // per two MMAs) 4 tensor
    // memory columns for A, 4 per 128 rows of B, after the accumulators'
    // columns. tcgen05.cp -> tcgen05.mma is ordered, so the MMAs below see
    // them.
    Value scaleStage =
        perStage(layout.scaleBase(), config.scaleStageBytes(), stage);
    Value columnOffset = b.create<arith::IndexCastOp>(
        b.getI32Type(), perStage(config.accumulatorColumns(),
                                 config.scaleColumnsPerStage(), stage));
    Value stageBase = b.create<arith::AddIOp>(tensorBase, columnOffset);
    Tcgen05SmemDescriptor rows = Tcgen05SmemDescriptor::scaleFactorRows();
    auto tmem = [&](int64_t column) -> Value {
      Value address = b.create<arith::AddIOp>(stageBase, i32Const(b, column));
      return b.create<LLVM::IntToPtrOp>(
          LLVM::LLVMPointerType::get(
              ctx, static_cast<unsigned>(NVVM::NVVMMemorySpace::Tensor)),
          address);
    };
    int64_t chunksPerSet = 1 + config.scaleChunksB();
    for (int64_t set = 0; set < config.scaleSetsPerStage(); ++set) {
      for (int64_t c = 0; c < chunksPerSet; ++c) {
        int64_t chunk = set * chunksPerSet + c;
        Value source = buildSmemDescriptor(
            b,
            ring->sharedAddress(b.create<arith::AddIOp>(
                scaleStage,
                indexConst(b, chunk * GemmSM100Config::kScaleChunkBytes))),
            rows);
        Value destination = tmem(4 * chunk);
        b.create<NVVM::Tcgen05CpOp>(NVVM::Tcgen05CpShape::SHAPE_32x128b,
                                    NVVM::CTAGroupKind::CTA_1,
                                    NVVM::Tcgen05CpMulticast::WARPX4,
                                    NVVM::Tcgen05CpSrcFormatAttr(),
                                    destination, source);
        if (c == 0)
          scaleA.push_back(destination);
        else if (c == 1)
          scaleB.push_back(destination);
      }
    }
  }

  Tcgen05SmemDescriptor tiles = Tcgen05SmemDescriptor::kMajorSwizzle128B();
  Value aTile = ring->stageOffset(stage);
  Value bTile = perStage(config.tileM * config.tileK, layout.operandStage(),
                         stage);
  Value aDescriptor = buildSmemDescriptor(b, ring->sharedAddress(aTile), tiles);
  Value bDescriptor = buildSmemDescriptor(b, ring->sharedAddress(bTile), tiles);
  Value accumulator = tensorMemory(accumulatorBase, Value(), 0);
  // The first MMA of the tile overwrites the (stale) accumulator.
  Value accumulateFirst = b.create<arith::CmpIOp>(
      arith::CmpIPredicate::ne, kStep, indexConst(b, 0));
  Value accumulate = b.create<arith::ConstantIntOp>(b.getI1Type(), 1);

  // chooseTcgen05Mma accepted the operands (checkGemm); MX FP4/FP6 come in
  // their 16-byte containers, so the byte geometry is FP8's; NVFP4 and
  // .kind::mxf4 are packed, so the same 32 bytes of a row hold the 64
  // elements of one k64 MMA.
  Tcgen05InstrDescriptor instr;
  instr.kind = shape.nvfp4()          ? Tcgen05MmaKind::MXF4NVF4
               : config.mxf4         ? Tcgen05MmaKind::MXF4
               : shape.blockScaled() ? Tcgen05MmaKind::MXF8F6F4
                                     : Tcgen05MmaKind::F8F6F4;
  instr.aFormat = *getTcgen05ElementFormat(shape.aType);
  instr.bFormat = *getTcgen05ElementFormat(shape.bType);
  instr.m = config.tileM;
  instr.n = config.tileN;
  for (int64_t kk = 0; kk < shape.mmasPerStep(); ++kk) {
    // K advances 32 bytes inside the swizzled 128-byte rows.
    Value aStep = advanceSmemDescriptor(b, aDescriptor, 32 * kk);
    Value bStep = advanceSmemDescriptor(b, bDescriptor, 32 * kk);
    Value enable = kk == 0 ? accumulateFirst : accumulate;
    if (shape.nvfp4()) {
      // scale_vec::4X: MMA kk reads the whole words of its own scale set.
      b.create<NVVM::Tcgen05MMABlockScaleOp>(
          NVVM::MMABlockScaleKind::MXF4NVF4, NVVM::CTAGroupKind::CTA_1,
          NVVM::Tcgen05MMABlockScale::BLOCK16,
          NVVM::Tcgen05MMACollectorOp::DISCARD, accumulator, aStep, bStep,
          buildInstrDescriptor(b, instr), enable, scaleA[kk], scaleB[kk]);
    } else if (config.mxf4) {
      // scale_vec::2X: MMA kk reads the two E8M0 bytes of its 64 elements,
      // bytes 2 (kk % 2) and 2 (kk % 2) + 1 of the words of set kk / 2.
      instr.scaleFactorAId = 2 * (kk % 2);
      instr.scaleFactorBId = 2 * (kk % 2);
      b.create<NVVM::Tcgen05MMABlockScaleOp>(
          NVVM::MMABlockScaleKind::MXF4, NVVM::CTAGroupKind::CTA_1,
          NVVM::Tcgen05MMABlockScale::BLOCK32,
          NVVM::Tcgen05MMACollectorOp::DISCARD, accumulator, aStep, bStep,
          buildInstrDescriptor(b, instr), enable, scaleA[kk / 2],
          scaleB[kk / 2]);
    } else if (shape.blockScaled()) {
      // The scale of this k32 block is byte kk of the scale words.
      instr.scaleFactorAId = kk;
      instr.scaleFactorBId = kk;
      b.create<NVVM::Tcgen05MMABlockScaleOp>(
          NVVM::MMABlockScaleKind::MXF8F6F4, NVVM::CTAGroupKind::CTA_1,
          NVVM::Tcgen05MMABlockScale::BLOCK32,
          NVVM::Tcgen05MMACollectorOp::DISCARD, accumulator, aStep, bStep,
          buildInstrDescriptor(b, instr), enable, scaleA[0], scaleB[0]);
    } else {
      b.create<NVVM::Tcgen05MMAOp>(
          NVVM::Tcgen05MMAKind::F8F6F4, NVVM::CTAGroupKind::CTA_1,
          NVVM::Tcgen05MMACollectorOp::DISCARD, /*aShift=*/false, accumulator,
          aStep, bStep, buildInstrDescriptor(b, instr), enable, Value(),
          Value());
    }
  }
}

/// After the MMAs of `kStep` are issued: refill the stage of the step
/// before (`lag` 1, whose MMAs finish while kStep's run) with the K step
/// `stages` ahead of it. With one stage nothing can overlap and kStep's own
/// stage is refilled (`lag` 0).
void GemmEmitter::emitRefill(Value kStep) {
  int64_t stages = shape.config.stages;
  int64_t lag = stages > 1 ? 1 : 0;
  Value released = b.create<arith::SubIOp>(kStep, indexConst(b, lag));
  Value next = b.create<arith::AddIOp>(released, indexConst(b, stages));
  Value refills = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, next,
                                          indexConst(b, shape.kSteps()));
  if (lag != 0)
    refills = b.create<arith::AndIOp>(
        refills, b.create<arith::CmpIOp>(arith::CmpIPredicate::uge, kStep,
                                         indexConst(b, lag)));
  // Without MX scales only thread 0 takes part.
  if (!shape.blockScaled())
    refills = b.create<arith::AndIOp>(refills, isLeader);
  auto refill = b.create<scf::IfOp>(refills, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&refill.getThenRegion().front());
  Value stage = ring->stageOf(released);
  ring->producerWaitReleased(stage, released);
  if (shape.blockScaled()) {
    emitFill(next, stage);
    return;
  }
  emitLoad(next, stage);
}

void GemmEmitter::emitMainLoop() {
  const GemmSM100Config &config = shape.config;
  for (int64_t s = 0; s < std::min(config.stages, shape.kSteps()); ++s)
    emitFill(indexConst(b, s), indexConst(b, s));

  auto loop = buildKStepLoop(b, 0, shape.kSteps());
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value kStep = loop.getInductionVar();
    Value stage = ring->stageOf(kStep);
    {
      auto leader = b.create<scf::IfOp>(isLeader, /*withElseRegion=*/false);
      OpBuilder::InsertionGuard leaderGuard(b);
      b.setInsertionPointToStart(&leader.getThenRegion().front());
      emitMmaStep(kStep, stage);
    }
    emitRefill(kStep);
  }

  // The accumulator is final once every MMA is done.
  {
    auto leader = b.create<scf::IfOp>(isLeader, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&leader.getThenRegion().front());
    b.create<NVVM::Tcgen05CommitOp>(sharedPointer(layout.doneBarrier()),
                                    Value(), NVVM::CTAGroupKind::CTA_1);
  }
  waitForPhase(b, sharedPointer(layout.doneBarrier()), i32Const(b, 0),
               shape.config.schedule.waitHint);
  b.create<NVVM::Tcgen05FenceOp>(NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
}
