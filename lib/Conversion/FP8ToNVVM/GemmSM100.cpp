//===- GemmSM100.cpp - fp8.scaled_matmul as a Blackwell tcgen05 kernel ----===//
//
// Part of fp8-mlir. D = (A * sA) x (B * sB)^T (+ bias), A [M, K] and B [N, K]
// both K-major, E4M3/E5M2 in any combination, f32 accumulation in tensor
// memory. Two flavours:
//
// * `.kind::f8f6f4`: tensor or rowwise f32 scales, applied in the epilogue.
// * `.kind::mxf8f6f4.block_scale.block32` (MXFP8): [1, 32] E8M0 scales on A
//   and B along K, applied by the tensor core. The kernel reads the scales
//   in their canonical row-major [rows, K / 32] layout and moves the four
//   of each K step (128 = 4 x 32) into the layout the MMA reads itself, so
//   no relayout kernel is needed (see stageScales).
//
// One CTA (four warps) computes a 128 x tileN tile of D:
//
//   setup:    thread 0 initializes the mbarriers full[s], empty[s], done;
//             warp 0 allocates the tensor memory (accumulator, MX scales)
//   prologue: thread 0 starts the TMA loads of the first `stages` K steps;
//             (MX) every thread stages its scale words of those steps
//   for each K step kt (stage s = kt % stages):
//     thread 0: wait full[s]; (MX) tcgen05.cp the scales into tensor
//               memory; 4 x tcgen05.mma 128 x tileN x 32; tcgen05.commit
//               -> empty[s] (arrives when those MMAs have read the stage)
//     refill:   wait empty of step kt - 1 (its MMAs are done, kt's keep
//               the tensor core busy), then load K step kt - 1 + stages
//               into that stage
//   thread 0: tcgen05.commit -> done; everyone waits for done
//   epilogue: warp w reads accumulator lanes 32w..32w+31 (= tile rows)
//             with tcgen05.ld 32x32b, 16 columns at a time: scales, bias,
//             output cast, row-contiguous vector stores; optional amax with
//             redux.sync max.abs.NaN and one atomic per CTA
//   teardown: warp 0 frees the tensor memory
//
// Shared memory (dynamic, from its first 1024-byte boundary):
//
//   [A tile | B tile] x stages       128 x 128 and tileN x 128 bytes, as TMA
//                                    writes them with the 128-byte swizzle
//   [A scales | B scales] x stages   (MX only) 512 bytes per 128 rows
//   full[stages] empty[stages] done  mbarriers
//   tensor memory address            written by tcgen05.alloc
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"
#include "Tcgen05Descriptors.h"
#include "TmaPipeline.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <optional>

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

namespace {

/// Everything that specializes one sm_100a GEMM kernel.
struct GemmShape : GemmSignature {
  GemmSM100Config config;
  /// `.kind::f8f6f4` only: rowwise (else tensor) scales of A / B.
  bool aRowwise = false, bRowwise = false;

  bool blockScaled() const { return config.blockScaled; }
  int64_t kSteps() const { return ceilDiv(k, config.tileK); }
  /// k32 MMAs per K step.
  int64_t mmasPerStep() const { return config.tileK / 32; }
  /// MX: scale columns of A and B (one per 32 elements of K).
  int64_t scaleCols() const { return ceilDiv(k, 32); }
  /// Accumulator columns one tcgen05.ld reads.
  int64_t loadColumns() const { return config.tileN % 16 == 0 ? 16 : 8; }
};

/// Byte offsets in the shared memory region (see the file comment).
struct SharedLayout {
  explicit SharedLayout(const GemmSM100Config &config) : config(config) {}

  int64_t operandStage() const { return config.operandStageBytes(); }
  int64_t scaleBase() const { return config.stages * operandStage(); }
  /// The ring's full and empty barriers (TmaPipeline), then done.
  int64_t barrierBase() const {
    return scaleBase() + config.stages * config.scaleStageBytes();
  }
  int64_t doneBarrier() const { return barrierBase() + 16 * config.stages; }
  int64_t tensorMemorySlot() const { return doneBarrier() + 8; }

  const GemmSM100Config &config;
};

/// Builds the kernel body; one method per phase.
class GemmEmitter {
public:
  GemmEmitter(ImplicitLocOpBuilder &b, const GemmShape &shape,
              const GemmArgs &args)
      : b(b), shape(shape), args(args), layout(shape.config) {}

  void emit();

private:
  // Addresses.
  Value perStage(int64_t base, int64_t stride, Value stage);
  Value sharedPointer(int64_t offset) {
    return ring->sharedPointer(indexConst(b, offset));
  }
  Value tensorMemory(Value lane, int64_t column);

  // Phases.
  void emitSetup();
  void emitLoad(Value kStep, Value stage);
  void emitFill(Value kStep, Value stage);
  Value loadScaleWord(Value scales, Value row, Value kStep);
  void stageScales(Value kStep, Value stage);
  void emitMmaStep(Value kStep, Value stage);
  void emitRefill(Value kStep);
  void emitMainLoop();
  void emitEpilogue();
  Value emitOutputs(ArrayRef<Value> values, Value row, Value col,
                    Value amax);
  void emitTeardown();

  ImplicitLocOpBuilder &b;
  const GemmShape &shape;
  const GemmArgs &args;
  SharedLayout layout;

  Value thread, warp, lane, isLeader, isWarp0, tileRow, tileCol;
  /// Where this CTA's GEMM starts in the flattened [batch * M, K] A,
  /// [batch * N, K] B (and their row scales) and [batch * M, N] D: rows
  /// z * M and z * N (index 0 without batch dims).
  Value aRowBase, bRowBase;
  /// The ring of operand stages and its barriers, in the shared memory
  /// region (1024-byte aligned) whose address is the pipeline's base.
  std::optional<TmaPipeline> ring;
  /// The tensor memory base address (i32) from tcgen05.alloc.
  Value tensorBase;
  /// Epilogue factors: `.kind::f8f6f4` multiplies D by rowScale * colScale
  /// (scaleProduct when neither is per column); FP8 outputs divide by
  /// outScale.
  Value rowScale, scaleProduct, outScale;
};

} // namespace

//===----------------------------------------------------------------------===//
// Addresses
//===----------------------------------------------------------------------===//

/// `base + stage * stride`: the element of `stage` in an array of
/// per-stage elements of `stride` bytes (or columns) at `base`.
Value GemmEmitter::perStage(int64_t base, int64_t stride, Value stage) {
  return b.create<arith::AddIOp>(
      indexConst(b, base),
      b.create<arith::MulIOp>(stage, indexConst(b, stride)));
}

/// A tensor memory address: lane in bits 16-31, column in bits 0-15.
Value GemmEmitter::tensorMemory(Value lane, int64_t column) {
  Value address = tensorBase;
  if (lane)
    address = b.create<arith::AddIOp>(
        address, b.create<arith::ShLIOp>(lane, i32Const(b, 16)));
  if (column != 0)
    address = b.create<arith::AddIOp>(address, i32Const(b, column));
  return b.create<LLVM::IntToPtrOp>(
      LLVM::LLVMPointerType::get(b.getContext(),
                                 static_cast<unsigned>(
                                     NVVM::NVVMMemorySpace::Tensor)),
      address);
}

//===----------------------------------------------------------------------===//
// Setup and loads
//===----------------------------------------------------------------------===//

void GemmEmitter::emitSetup() {
  const GemmSM100Config &config = shape.config;

  // The region starts on the first 1024-byte boundary of the dynamic shared
  // memory, the operand stages first.
  DynamicSharedMemory memory = getDynamicSharedMemory(b);
  Value region = b.create<arith::AddIOp>(memory.base, memory.padding);
  ring.emplace(b, region, config.stages, indexConst(b, 0),
               layout.operandStage(), layout.barrierBase());

  // Thread 0 initializes the barriers: full[s] completes when the TMA bytes
  // of a K step landed (and, for MX, when all 128 threads staged their
  // scale words), empty[s] when the MMAs that read stage s are done, done
  // when the accumulator is final.
  int64_t fullArrivals = 1 + (shape.blockScaled() ? config.kNumThreads : 0);
  {
    auto setup = b.create<scf::IfOp>(isLeader, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&setup.getThenRegion().front());
    for (int64_t s = 0; s < config.stages; ++s) {
      ring->initFullBarrier(s, fullArrivals);
      ring->initEmptyBarrier(s, /*arrivals=*/1);
    }
    b.create<NVVM::MBarrierInitOp>(sharedPointer(layout.doneBarrier()),
                                   i32Const(b, 1), Value());
    ring->fenceBarrierInit();
  }
  // Warp 0 allocates the tensor memory and gives up the right to allocate
  // more, so other CTAs on the SM are not kept waiting.
  {
    auto allocate = b.create<scf::IfOp>(isWarp0, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&allocate.getThenRegion().front());
    b.create<NVVM::Tcgen05AllocOp>(sharedPointer(layout.tensorMemorySlot()),
                                   i32Const(b, config.tensorMemoryColumns()));
    b.create<NVVM::Tcgen05RelinquishAllocPermitOp>();
  }
  b.create<gpu::BarrierOp>();
  b.create<NVVM::Tcgen05FenceOp>(NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
  tensorBase = b.create<LLVM::LoadOp>(
      b.getI32Type(), sharedPointer(layout.tensorMemorySlot()));
}

/// Thread 0: announce the bytes of K step `kStep` on full[stage] and start
/// its two TMA loads (coordinates innermost first: k, then row).
void GemmEmitter::emitLoad(Value kStep, Value stage) {
  const GemmSM100Config &config = shape.config;
  Value full = ring->producerExpectTx(stage, config.operandStageBytes());
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

/// The four E8M0 scales of `row` for the K groups 4 * kStep .. +3 as one
/// i32, group 4 * kStep in the low byte. Groups past K (zero-filled data)
/// get 127 (= 1.0).
Value GemmEmitter::loadScaleWord(Value scales, Value row, Value kStep) {
  int64_t cols = shape.scaleCols();
  Value rowStart = b.create<arith::MulIOp>(row, indexConst(b, cols));
  Value firstGroup = b.create<arith::MulIOp>(kStep, indexConst(b, 4));
  if (cols % 4 == 0) {
    Value offset = b.create<arith::AddIOp>(rowStart, firstGroup);
    Type scaleType = cast<MemRefType>(scales.getType()).getElementType();
    Value word = loadAligned(b, scales, offset,
                             VectorType::get({4}, scaleType));
    Value asInt = b.create<vector::BitCastOp>(
        VectorType::get({1}, b.getI32Type()), word);
    return b.create<vector::ExtractOp>(asInt, 0);
  }
  Value word = i32Const(b, 0);
  for (int64_t i = 0; i < 4; ++i) {
    Value group = b.create<arith::AddIOp>(firstGroup, indexConst(b, i));
    Value inside = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, group,
                                           indexConst(b, cols));
    Value clamped = b.create<arith::MinUIOp>(group, indexConst(b, cols - 1));
    Value scale = b.create<memref::LoadOp>(
        scales, ValueRange{b.create<arith::AddIOp>(rowStart, clamped)});
    Value byte = b.create<arith::ExtUIOp>(
        b.getI32Type(), b.create<arith::BitcastOp>(b.getI8Type(), scale));
    byte = b.create<arith::SelectOp>(inside, byte, i32Const(b, 127));
    word = b.create<arith::OrIOp>(
        word, b.create<arith::ShLIOp>(byte, i32Const(b, 8 * i)));
  }
  return word;
}

/// MX: every thread writes the scale words of A row `thread` (and of B rows
/// `thread`, `thread + 128`) for K step `kStep` into `stage`, in the layout
/// `tcgen05.cp .32x128b.warpx4` copies into tensor memory: the word of row
/// r goes to byte 16 * (r % 32) + 4 * (r / 32) of its 128-row chunk, so that
/// tensor memory lane r % 32 (of every 32-lane quarter) holds it in column
/// r / 32, and byte j of the word is the scale of the step's j-th k32 MMA.
/// Then it makes the writes visible to the async proxy and arrives on
/// full[stage].
void GemmEmitter::stageScales(Value kStep, Value stage) {
  const GemmSM100Config &config = shape.config;
  Value chunkOffset = b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(lane, indexConst(b, 16)),
      b.create<arith::MulIOp>(warp, indexConst(b, 4)));
  Value scaleStage =
      perStage(layout.scaleBase(), config.scaleStageBytes(), stage);
  auto store = [&](Value word, int64_t chunk) {
    Value offset = b.create<arith::AddIOp>(
        scaleStage,
        b.create<arith::AddIOp>(
            chunkOffset,
            indexConst(b, chunk * GemmSM100Config::kScaleChunkBytes)));
    b.create<LLVM::StoreOp>(word, ring->sharedPointer(offset),
                            /*alignment=*/4);
  };

  Value aRow = b.create<arith::AddIOp>(
      aRowBase, b.create<arith::MinUIOp>(b.create<arith::AddIOp>(tileRow, thread),
                                         indexConst(b, shape.m - 1)));
  store(loadScaleWord(args.aScale, aRow, kStep), 0);
  for (int64_t j = 0; j < config.scaleChunksB(); ++j) {
    // Rows of the last chunk past tileN are never read by the MMA.
    int64_t rowsInChunk = std::min<int64_t>(128, config.tileN - 128 * j);
    auto emitRow = [&] {
      Value bRow = b.create<arith::AddIOp>(
          bRowBase,
          b.create<arith::MinUIOp>(
              b.create<arith::AddIOp>(
                  tileCol,
                  b.create<arith::AddIOp>(thread, indexConst(b, 128 * j))),
              indexConst(b, shape.n - 1)));
      store(loadScaleWord(args.bScale, bRow, kStep), 1 + j);
    };
    if (rowsInChunk == 128) {
      emitRow();
      continue;
    }
    Value inChunk = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, thread,
                                            indexConst(b, rowsInChunk));
    auto guard = b.create<scf::IfOp>(inChunk, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard insertion(b);
    b.setInsertionPointToStart(&guard.getThenRegion().front());
    emitRow();
  }
  b.create<NVVM::FenceProxyOp>(
      NVVM::ProxyKind::async_shared,
      NVVM::SharedSpaceAttr::get(b.getContext(),
                                 NVVM::SharedSpace::shared_cta));
  ring->producerArrive(stage);
}

//===----------------------------------------------------------------------===//
// Main loop
//===----------------------------------------------------------------------===//

/// Thread 0: the MMAs of K step `kStep` from `stage`, then a commit that
/// releases the stage when they are done.
void GemmEmitter::emitMmaStep(Value kStep, Value stage) {
  MLIRContext *ctx = b.getContext();
  const GemmSM100Config &config = shape.config;
  ring->consumerWait(stage, kStep);
  b.create<NVVM::Tcgen05FenceOp>(NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);

  Value scaleA, scaleB;
  if (shape.blockScaled()) {
    // This stage's scales: 4 tensor memory columns for A, 4 per 128 rows of
    // B, after the accumulator's tileN columns. tcgen05.cp -> tcgen05.mma
    // is ordered, so the MMAs below see them.
    Value scaleStage =
        perStage(layout.scaleBase(), config.scaleStageBytes(), stage);
    Value columnOffset = b.create<arith::IndexCastOp>(
        b.getI32Type(),
        perStage(config.tileN, config.scaleColumnsPerStage(), stage));
    Value stageBase = b.create<arith::AddIOp>(tensorBase, columnOffset);
    Tcgen05SmemDescriptor rows = Tcgen05SmemDescriptor::scaleFactorRows();
    auto tmem = [&](int64_t column) -> Value {
      Value address = b.create<arith::AddIOp>(stageBase, i32Const(b, column));
      return b.create<LLVM::IntToPtrOp>(
          LLVM::LLVMPointerType::get(
              ctx, static_cast<unsigned>(NVVM::NVVMMemorySpace::Tensor)),
          address);
    };
    for (int64_t chunk = 0; chunk < 1 + config.scaleChunksB(); ++chunk) {
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
                                  NVVM::Tcgen05CpSrcFormatAttr(), destination,
                                  source);
      if (chunk == 0)
        scaleA = destination;
      else if (chunk == 1)
        scaleB = destination;
    }
  }

  Tcgen05SmemDescriptor tiles = Tcgen05SmemDescriptor::kMajorSwizzle128B();
  Value aTile = ring->stageOffset(stage);
  Value bTile = perStage(config.tileM * config.tileK, layout.operandStage(),
                         stage);
  Value aDescriptor = buildSmemDescriptor(b, ring->sharedAddress(aTile), tiles);
  Value bDescriptor = buildSmemDescriptor(b, ring->sharedAddress(bTile), tiles);
  Value accumulator = tensorMemory(Value(), 0);
  // The first MMA of the kernel overwrites the (uninitialized) accumulator.
  Value accumulateFirst = b.create<arith::CmpIOp>(
      arith::CmpIPredicate::ne, kStep, indexConst(b, 0));
  Value accumulate = b.create<arith::ConstantIntOp>(b.getI1Type(), 1);

  Tcgen05InstrDescriptor instr;
  instr.kind = shape.blockScaled() ? Tcgen05MmaKind::MXF8F6F4
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
    if (shape.blockScaled()) {
      // The scale of this k32 block is byte kk of the scale words.
      instr.scaleFactorAId = kk;
      instr.scaleFactorBId = kk;
      b.create<NVVM::Tcgen05MMABlockScaleOp>(
          NVVM::MMABlockScaleKind::MXF8F6F4, NVVM::CTAGroupKind::CTA_1,
          NVVM::Tcgen05MMABlockScale::BLOCK32,
          NVVM::Tcgen05MMACollectorOp::DISCARD, accumulator, aStep, bStep,
          buildInstrDescriptor(b, instr), enable, scaleA, scaleB);
    } else {
      b.create<NVVM::Tcgen05MMAOp>(
          NVVM::Tcgen05MMAKind::F8F6F4, NVVM::CTAGroupKind::CTA_1,
          NVVM::Tcgen05MMACollectorOp::DISCARD, /*aShift=*/false, accumulator,
          aStep, bStep, buildInstrDescriptor(b, instr), enable, Value(),
          Value());
    }
  }
  ring->consumerReleaseAfterMmas(stage);
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

  auto loop = b.create<scf::ForOp>(indexConst(b, 0),
                                   indexConst(b, shape.kSteps()),
                                   indexConst(b, 1));
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
  waitForPhase(b, sharedPointer(layout.doneBarrier()), i32Const(b, 0));
  b.create<NVVM::Tcgen05FenceOp>(NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
}

//===----------------------------------------------------------------------===//
// Epilogue
//===----------------------------------------------------------------------===//

/// Scales, biases, casts and stores `values` = D[row, col + i]; folds |D|
/// into `amax` (the bit pattern, see absBits) when the kernel reports it.
Value GemmEmitter::emitOutputs(ArrayRef<Value> values, Value row, Value col,
                               Value amax) {
  int64_t width = values.size();
  SmallVector<Value> d;
  for (int64_t i = 0; i < width; ++i) {
    Value v = values[i];
    Value colIndex;
    auto column = [&]() {
      if (!colIndex)
        colIndex = b.create<arith::MinUIOp>(
            b.create<arith::AddIOp>(col, indexConst(b, i)),
            indexConst(b, shape.n - 1));
      return colIndex;
    };
    // B's rowwise scales of this CTA's GEMM.
    auto columnScale = [&]() {
      return b.create<arith::AddIOp>(bRowBase, column()).getResult();
    };
    if (scaleProduct)
      v = b.create<arith::MulFOp>(v, scaleProduct);
    else if (rowScale)
      v = b.create<arith::MulFOp>(
          v, b.create<arith::MulFOp>(
                 rowScale, loadScaleAsF32(b, args.bScale, columnScale())));
    if (args.bias)
      v = b.create<arith::AddFOp>(
          v, extendToF32(b, b.create<memref::LoadOp>(args.bias,
                                                     ValueRange{column()})));
    if (args.amax)
      amax = b.create<arith::MaxUIOp>(amax, absBits(b, v));
    d.push_back(v);
  }

  Value packed;
  if (isa<Float8E4M3FNType, Float8E5M2Type>(shape.outType)) {
    SmallVector<Value> pairs;
    for (int64_t i = 0; i < width; i += 2) {
      Value lo = b.create<arith::DivFOp>(d[i], outScale);
      Value hi = i + 1 < width ? b.create<arith::DivFOp>(d[i + 1], outScale)
                               : f32Const(b, 0.0);
      pairs.push_back(convertPairToFP8(b, lo, hi, shape.outType,
                                       /*saturate=*/true));
    }
    if (width == 1) {
      Value byte = b.create<arith::TruncIOp>(b.getI8Type(), pairs.front());
      packed = b.create<vector::BitCastOp>(
          VectorType::get({1}, shape.outType),
          b.create<vector::FromElementsOp>(VectorType::get({1}, b.getI8Type()),
                                           byte));
    } else {
      packed = b.create<vector::BitCastOp>(
          VectorType::get({width}, shape.outType),
          b.create<vector::FromElementsOp>(
              VectorType::get({width / 2}, b.getI16Type()), pairs));
    }
  } else {
    if (!shape.outType.isF32())
      for (Value &v : d)
        v = b.create<arith::TruncFOp>(shape.outType, v);
    packed = b.create<vector::FromElementsOp>(
        VectorType::get({width}, shape.outType), d);
  }
  Value offset = b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(b.create<arith::AddIOp>(aRowBase, row),
                              indexConst(b, shape.n)),
      col);
  storeAligned(b, packed, args.out, offset);
  return amax;
}

/// Warp w reads accumulator lanes 32w..32w+31, i.e. thread t holds tile row
/// t: `tcgen05.ld .32x32b.x16` gives each thread 16 consecutive columns of
/// its row, stored as row-contiguous vectors. Up to kLoadsPerWait loads are
/// issued before one `tcgen05.wait::ld`, so their latencies overlap.
void GemmEmitter::emitEpilogue() {
  const GemmSM100Config &config = shape.config;
  Value row = b.create<arith::AddIOp>(tileRow, thread);
  Value laneBase = b.create<arith::IndexCastOp>(
      b.getI32Type(), b.create<arith::MulIOp>(warp, indexConst(b, 32)));

  if (!shape.blockScaled()) {
    rowScale = shape.aRowwise
                   ? loadScaleAsF32(
                         b, args.aScale,
                         b.create<arith::AddIOp>(
                             aRowBase, b.create<arith::MinUIOp>(
                                           row, indexConst(b, shape.m - 1))))
                   : loadScaleAsF32(b, args.aScale, indexConst(b, 0));
    if (!shape.bRowwise)
      scaleProduct = b.create<arith::MulFOp>(
          rowScale, loadScaleAsF32(b, args.bScale, indexConst(b, 0)));
  }
  if (args.outScale)
    outScale = loadScaleAsF32(b, args.outScale, indexConst(b, 0));

  int64_t outBytes = shape.outType.getIntOrFloatBitWidth() / 8;
  int64_t columns = shape.loadColumns();
  int64_t width = chooseVectorWidth(outBytes, {shape.n, columns});
  bool raggedM = shape.m % config.tileM != 0;
  bool raggedN = shape.n % config.tileN != 0;
  Value rowInside;
  if (raggedM)
    rowInside = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, row,
                                        indexConst(b, shape.m));

  auto loadType = VectorType::get({columns}, b.getI32Type());
  Value amax = i32Const(b, 0);
  SmallVector<Value> loaded;
  // The loads of kLoadsPerWait column blocks are in flight together; one
  // tcgen05.wait::ld covers them.
  int64_t batch = columns * GemmSM100Config::kLoadsPerWait;
  for (int64_t c0 = 0; c0 < config.tileN; c0 += columns) {
    if (c0 % batch == 0) {
      loaded.clear();
      for (int64_t c = c0; c < std::min(c0 + batch, config.tileN);
           c += columns)
        loaded.push_back(b.create<NVVM::Tcgen05LdOp>(
            loadType, /*pack=*/false, NVVM::Tcgen05LdStShape::SHAPE_32X32B,
            tensorMemory(laneBase, c), Value()));
      b.create<NVVM::Tcgen05WaitOp>(NVVM::Tcgen05WaitKind::LOAD);
    }
    Value values = b.create<vector::BitCastOp>(
        VectorType::get({columns}, b.getF32Type()),
        loaded[(c0 % batch) / columns]);
    for (int64_t p = 0; p < columns; p += width) {
      SmallVector<Value> piece;
      for (int64_t i = 0; i < width; ++i)
        piece.push_back(b.create<vector::ExtractOp>(values, p + i));
      Value col = b.create<arith::AddIOp>(tileCol, indexConst(b, c0 + p));
      Value inside = rowInside;
      if (raggedN) {
        Value colInside = b.create<arith::CmpIOp>(
            arith::CmpIPredicate::ult, col, indexConst(b, shape.n));
        inside = inside ? b.create<arith::AndIOp>(inside, colInside)
                        : colInside;
      }
      if (!inside) {
        amax = emitOutputs(piece, row, col, amax);
        continue;
      }
      auto guard = b.create<scf::IfOp>(TypeRange{b.getI32Type()}, inside,
                                       /*withElseRegion=*/true);
      b.setInsertionPointToStart(&guard.getThenRegion().front());
      Value updated = emitOutputs(piece, row, col, amax);
      b.create<scf::YieldOp>(updated);
      b.setInsertionPointToStart(&guard.getElseRegion().front());
      b.create<scf::YieldOp>(amax);
      b.setInsertionPointAfter(guard);
      amax = guard.getResult(0);
    }
  }
  if (args.amax)
    atomicMaxAbsOverBlockRedux(
        b, b.create<arith::BitcastOp>(b.getF32Type(), amax), args.partials,
        config.kNumThreads / 32, args.amax);
}

/// Every tensor memory read is done before warp 0 frees it.
void GemmEmitter::emitTeardown() {
  b.create<NVVM::Tcgen05FenceOp>(NVVM::Tcgen05FenceKind::BEFORE_THREAD_SYNC);
  b.create<gpu::BarrierOp>();
  auto free = b.create<scf::IfOp>(isWarp0, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&free.getThenRegion().front());
  b.create<NVVM::Tcgen05FenceOp>(NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
  b.create<NVVM::Tcgen05DeallocOp>(
      tensorMemory(Value(), 0),
      i32Const(b, shape.config.tensorMemoryColumns()));
}

void GemmEmitter::emit() {
  const GemmSM100Config &config = shape.config;
  thread = b.create<gpu::ThreadIdOp>(gpu::Dimension::x);
  warp = b.create<arith::DivUIOp>(thread, indexConst(b, 32));
  lane = b.create<arith::RemUIOp>(thread, indexConst(b, 32));
  isLeader = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, thread,
                                     indexConst(b, 0));
  isWarp0 = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, warp,
                                    indexConst(b, 0));
  tileRow = b.create<arith::MulIOp>(b.create<gpu::BlockIdOp>(gpu::Dimension::x),
                                    indexConst(b, config.tileM));
  tileCol = b.create<arith::MulIOp>(b.create<gpu::BlockIdOp>(gpu::Dimension::y),
                                    indexConst(b, config.tileN));
  aRowBase = bRowBase = indexConst(b, 0);
  if (shape.batched()) {
    // GEMM z: rows z * M of the flattened A, z * N of B.
    Value z = b.create<gpu::BlockIdOp>(gpu::Dimension::z);
    aRowBase = b.create<arith::MulIOp>(z, indexConst(b, shape.m));
    bRowBase = b.create<arith::MulIOp>(z, indexConst(b, shape.n));
  }
  emitSetup();
  emitMainLoop();
  emitEpilogue();
  emitTeardown();
  b.create<gpu::ReturnOp>();
}

//===----------------------------------------------------------------------===//
// Planning
//===----------------------------------------------------------------------===//

/// MX scaling: [1, 32] blocks.
static bool isMXScaling(ScalingAttr scaling) {
  return scaling.isBlock() && scaling.getBlock() == ArrayRef<int64_t>{1, 32};
}

/// Checks the op against what the kernel supports; fills `shape` except its
/// config, and `problem`.
static LogicalResult checkGemm(ScaledMatmulOp op, const ChipInfo &chip,
                               GemmShape &shape, GemmSM100Problem &problem) {
  RankedTensorType a = op.getA().getType(), b = op.getB().getType();
  if (failed(checkGemmLayout(op, chip,
                             "the tcgen05 GEMM reads both operands K-major")))
    return failure();
  for (Type type : {a.getElementType(), b.getElementType()})
    if (!isa<Float8E4M3FNType, Float8E5M2Type>(type))
      return op.emitOpError("has no ")
             << chip.getName() << " kernel for " << type
             << " operands yet (f8E4M3FN and f8E5M2)";

  ScalingAttr aScaling = op.getAScaling(), bScaling = op.getBScaling();
  Type aScaleType = op.getAScale().getType().getElementType();
  Type bScaleType = op.getBScale().getType().getElementType();
  bool aMX = isMXScaling(aScaling), bMX = isMXScaling(bScaling);
  if (aMX || bMX) {
    if (!aMX || !bMX)
      return op.emitOpError("mixes MX block scaling with ")
             << (aMX ? bScaling : aScaling)
             << " scaling; tcgen05.mma.block_scale needs [1, 32] scales on "
                "both A and B";
    if (!isa<Float8E8M0FNUType>(aScaleType) ||
        !isa<Float8E8M0FNUType>(bScaleType))
      return op.emitOpError("with MX block scaling needs f8E8M0FNU scales "
                            "on ")
             << chip.getName()
             << " (tcgen05.mma.block_scale reads UE8M0), got " << aScaleType
             << " and " << bScaleType;
  } else {
    for (ScalingAttr scaling : {aScaling, bScaling})
      if (scaling.isBlock())
        return op.emitOpError("with block scaling ")
               << scaling << " has no " << chip.getName()
               << " kernel yet (tensor, rowwise, and MX [1, 32] with E8M0 "
                  "scales)";
  }

  FailureOr<GemmDims> dims = getTmaGemmDims(op, chip);
  if (failed(dims))
    return failure();
  static_cast<GemmSignature &>(shape) = GemmSignature::get(op, *dims);
  shape.aRowwise = aScaling.isRowwise();
  shape.bRowwise = bScaling.isRowwise();
  problem.m = shape.m;
  problem.n = shape.n;
  problem.k = shape.k;
  problem.batch = shape.batch;
  problem.blockScaled = aMX;
  return success();
}

FailureOr<KernelPlan>
gpu_kernels::planScaledMatmulSM100Kernel(ScaledMatmulOp op,
                                         const ChipInfo &chip,
                                         const GemmSM100Overrides &overrides) {
  GemmShape shape;
  GemmSM100Problem problem;
  if (failed(checkGemm(op, chip, shape, problem)))
    return failure();
  if (auto error = configureGemmSM100(chip, problem, overrides, shape.config))
    return op.emitOpError("cannot use the GEMM options: ") << *error;
  const GemmSM100Config &config = shape.config;

  KernelPlan plan;
  plan.name = gemmKernelName("sm100", op, shape,
                             {config.tileM, config.tileN, config.tileK},
                             config.stages) +
              gemmKernelNameSuffix(shape);
  addGemmParams(op, shape, {config.tileM, config.tileK},
                {config.tileN, config.tileK}, Float32Type::get(op.getContext()),
                GemmSM100Config::kNumThreads / 32, plan);
  if (failed(setGemmTileGrid(op, shape, config.tileM, config.tileN, plan)))
    return failure();
  plan.block = {GemmSM100Config::kNumThreads, 1, 1};
  plan.dynamicSharedMemory = config.dynamicSharedMemory();

  plan.emitBody = [shape](ImplicitLocOpBuilder &b, ValueRange kernelArgs) {
    GemmArgs args = GemmArgs::unpack(kernelArgs, shape);
    GemmEmitter(b, shape, args).emit();
  };
  return plan;
}
