//===- GemmSM90.cpp - fp8.scaled_matmul as a Hopper wgmma kernel ----------===//
//
// Part of fp8-mlir. D = (A * sA) x (B * sB)^T (+ bias), A [M, K] and B [N, K]
// both K-major, E4M3/E5M2 in any combination, f32 accumulation.
//
// One CTA computes a tileM x tileN tile of D with one warpgroup (128
// threads):
//
//   thread 0: mbarrier.init full[s] for every stage s; fence.mbarrier_init
//   thread 0: for the first `stages` K steps: expect_tx(full[s], bytes);
//             TMA A[m0:+tileM, k:+128] and B[n0:+tileN, k:+128] -> ring[s]
//   for each K step kt (stage s = kt % stages):
//     all:      mbarrier.try_wait.parity full[s], (kt / stages) & 1
//     all:      wgmma.fence; 4 x (tileM / 64) wgmma.mma_async m64nNk32;
//               commit; wait 1 (step kt keeps running, kt - 1 is done)
//     all:      bar.sync (the stage of kt - 1 is free again)
//     thread 0: TMA the K step kt - 1 + stages into that stage
//   wait 0
//   epilogue: acc * sA * sB (+ bias) -> output type, stored straight from
//             the accumulator fragments; optional amax of D with one atomic
//             per CTA.
//
// Shared memory holds the ring only: per stage a tileM x 128 A tile and a
// tileN x 128 B tile, each row 128 bytes, written by TMA with the 128-byte
// swizzle that the wgmma shared-memory descriptors below describe.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

namespace {

/// Everything that specializes one GEMM kernel.
struct GemmShape {
  int64_t m, n, k;
  GemmSM90Config config;
  Type aType, bType, outType;
  bool aRowwise = false, bRowwise = false;
  Type biasType;      // null without bias
  bool hasOutScale = false;
  bool hasAmax = false;

  int64_t kSteps() const { return (k + config.tileK - 1) / config.tileK; }
  int64_t warpgroupRows() const { return config.tileM / 64; }
  /// f32 accumulator registers per thread of one m64 x tileN wgmma.
  int64_t accumulatorSize() const { return config.tileN / 2; }
};

/// Per-thread epilogue operands: the scale of each accumulator row and the
/// scale and bias of the accumulator columns being stored (indices clamped
/// into the matrix, so ragged edges never read out of bounds).
struct EpilogueOperands {
  DenseMap<int64_t, Value> rowScale;  // by row offset in the tile
  DenseMap<int64_t, Value> colScale;  // by column offset in the tile
  DenseMap<int64_t, Value> colBias;   // by column offset in the tile
  Value outScale;
};

/// Kernel arguments by role.
struct GemmArgs {
  Value aMap, aScale, bMap, bScale, bias, outScale, out, amax, partials;
};

} // namespace

static NVVM::WGMMATypes wgmmaType(Type type) {
  return isa<Float8E4M3FNType>(type) ? NVVM::WGMMATypes::e4m3
                                     : NVVM::WGMMATypes::e5m2;
}

/// The kernel-side type of a TMA descriptor for `rows x 128` tiles.
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

/// The wgmma shared-memory descriptor of a K-major tile at shared address
/// `address` (1024-byte aligned) with 128-byte rows and the 128-byte
/// swizzle: start address >> 4 in bits 0-13, leading byte offset 1 (unused
/// for swizzled K-major tiles) in bits 16-29, stride byte offset 1024 >> 4
/// (between groups of 8 rows) in bits 32-45, swizzle mode 1 (128B) in bits
/// 62-63. Moving by `bytes` inside the tile adds `bytes >> 4`.
static Value wgmmaDescriptor(ImplicitLocOpBuilder &b, Value address) {
  Type i64 = b.getI64Type();
  Value start = b.create<arith::ShRUIOp>(
      b.create<arith::AndIOp>(address,
                              b.create<arith::ConstantIntOp>(i64, 0x3ffff)),
      b.create<arith::ConstantIntOp>(i64, 4));
  int64_t fields = (int64_t(1) << 16) | (int64_t(1024 >> 4) << 32) |
                   (int64_t(1) << 62);
  return b.create<arith::OrIOp>(start,
                                b.create<arith::ConstantIntOp>(i64, fields));
}

static Value addToDescriptor(ImplicitLocOpBuilder &b, Value descriptor,
                             int64_t bytes) {
  if (bytes == 0)
    return descriptor;
  return b.create<arith::AddIOp>(
      descriptor, b.create<arith::ConstantIntOp>(b.getI64Type(), bytes >> 4));
}

static Value sharedAddress(ImplicitLocOpBuilder &b, Value buffer) {
  Value address = b.create<memref::ExtractAlignedPointerAsIndexOp>(buffer);
  return b.create<arith::IndexCastOp>(b.getI64Type(), address);
}

namespace {

/// Builds the kernel body; one method per phase.
class GemmEmitter {
public:
  GemmEmitter(ImplicitLocOpBuilder &b, const GemmShape &shape,
              const GemmArgs &args)
      : b(b), shape(shape), args(args) {}

  void emit();

private:
  void emitRing();
  std::pair<Value, Value> stageTiles(Value stage);
  void emitLoad(Value kStep, Value stage);
  SmallVector<Value> emitMainLoop();
  void emitEpilogue(ArrayRef<Value> accumulators);
  Value emitOutputPair(const EpilogueOperands &operands,
                       int64_t rowOffset, int64_t colOffset, Value row,
                       Value col, Value v0, Value v1, Value amax);

  ImplicitLocOpBuilder &b;
  const GemmShape &shape;
  const GemmArgs &args;

  Value thread, isLeader, tileRow, tileCol;
  Value sharedBytes, ringBase;
  Value barriers;
  Value aMap, bMap;
  MemRefType aTileType, bTileType;
};

} // namespace

void GemmEmitter::emitRing() {
  MLIRContext *ctx = b.getContext();
  const GemmSM90Config &config = shape.config;
  auto shared = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  aTileType = MemRefType::get({config.tileM, config.tileK}, shape.aType,
                              MemRefLayoutAttrInterface(), shared);
  bTileType = MemRefType::get({config.tileN, config.tileK}, shape.bType,
                              MemRefLayoutAttrInterface(), shared);

  // The dynamic shared memory is only 16-byte aligned; start the ring on the
  // next 1024-byte boundary (the 128-byte swizzle pattern repeats every
  // 1024 bytes and the descriptors assume it starts at one).
  sharedBytes = b.create<gpu::DynamicSharedMemoryOp>(
      MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                      MemRefLayoutAttrInterface(), shared));
  Value base = b.create<memref::ExtractAlignedPointerAsIndexOp>(sharedBytes);
  Value misalignment = b.create<arith::RemUIOp>(base, indexConst(b, 1024));
  ringBase = b.create<arith::RemUIOp>(
      b.create<arith::SubIOp>(indexConst(b, 1024), misalignment),
      indexConst(b, 1024));

  barriers = b.create<nvgpu::MBarrierCreateOp>(
      nvgpu::MBarrierGroupType::get(ctx, shared, config.stages));

  aMap = b.create<UnrealizedConversionCastOp>(
              tileMapType(ctx, config.tileM, config.tileK, shape.aType),
              args.aMap)
             .getResult(0);
  bMap = b.create<UnrealizedConversionCastOp>(
              tileMapType(ctx, config.tileN, config.tileK, shape.bType),
              args.bMap)
             .getResult(0);
}

/// The A and B tiles of `stage` in the ring.
std::pair<Value, Value> GemmEmitter::stageTiles(Value stage) {
  const GemmSM90Config &config = shape.config;
  Value aOffset = b.create<arith::AddIOp>(
      ringBase,
      b.create<arith::MulIOp>(stage, indexConst(b, config.stageBytes())));
  Value bOffset = b.create<arith::AddIOp>(
      aOffset, indexConst(b, config.tileM * config.tileK));
  Value aTile = b.create<memref::ViewOp>(aTileType, sharedBytes, aOffset,
                                         ValueRange{});
  Value bTile = b.create<memref::ViewOp>(bTileType, sharedBytes, bOffset,
                                         ValueRange{});
  return {aTile, bTile};
}

/// Thread 0: announce the bytes of K step `kStep` on full[stage] and start
/// its two TMA loads (coordinates innermost first: k, then row).
void GemmEmitter::emitLoad(Value kStep, Value stage) {
  const GemmSM90Config &config = shape.config;
  auto [aTile, bTile] = stageTiles(stage);
  b.create<nvgpu::MBarrierArriveExpectTxOp>(
      barriers, indexConst(b, config.stageBytes()), stage, Value());
  Value k = b.create<arith::MulIOp>(kStep, indexConst(b, config.tileK));
  b.create<nvgpu::TmaAsyncLoadOp>(aTile, barriers, aMap,
                                  ValueRange{k, tileRow}, stage, Value(),
                                  Value());
  b.create<nvgpu::TmaAsyncLoadOp>(bTile, barriers, bMap,
                                  ValueRange{k, tileCol}, stage, Value(),
                                  Value());
}

SmallVector<Value> GemmEmitter::emitMainLoop() {
  MLIRContext *ctx = b.getContext();
  const GemmSM90Config &config = shape.config;
  int64_t stages = config.stages;
  auto accType = LLVM::LLVMStructType::getLiteral(
      ctx, SmallVector<Type>(shape.accumulatorSize(), b.getF32Type()));
  SmallVector<Value> init;
  for (int64_t i = 0; i < shape.warpgroupRows(); ++i)
    init.push_back(b.create<LLVM::ZeroOp>(accType));

  auto loop = b.create<scf::ForOp>(indexConst(b, 0),
                                   indexConst(b, shape.kSteps()),
                                   indexConst(b, 1), init);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value kStep = loop.getInductionVar();
  Value stage = b.create<arith::RemUIOp>(kStep, indexConst(b, stages));
  Value round = b.create<arith::DivUIOp>(kStep, indexConst(b, stages));
  Value parity = b.create<arith::TruncIOp>(
      b.getI1Type(), b.create<arith::IndexCastOp>(b.getI64Type(), round));
  b.create<nvgpu::MBarrierTryWaitParityOp>(barriers, parity,
                                           indexConst(b, 10000000), stage);

  auto [aTile, bTile] = stageTiles(stage);
  Value aDescriptor = wgmmaDescriptor(b, sharedAddress(b, aTile));
  Value bDescriptor = wgmmaDescriptor(b, sharedAddress(b, bTile));

  auto mmaShape = NVVM::MMAShapeAttr::get(ctx, 64, config.tileN, 32);
  SmallVector<Value> accs(loop.getRegionIterArgs());
  b.create<NVVM::WgmmaFenceAlignedOp>();
  for (int64_t kk = 0; kk < config.tileK / 32; ++kk) {
    Value bStep = addToDescriptor(b, bDescriptor, kk * 32);
    for (int64_t mh = 0; mh < shape.warpgroupRows(); ++mh) {
      Value aStep =
          addToDescriptor(b, aDescriptor, mh * 64 * config.tileK + kk * 32);
      accs[mh] = b.create<NVVM::WgmmaMmaAsyncOp>(
          accType, accs[mh], aStep, bStep, mmaShape, wgmmaType(shape.aType),
          wgmmaType(shape.bType), NVVM::WGMMATypes::f32,
          NVVM::WGMMAScaleOut::one, NVVM::WGMMAScaleIn::one,
          NVVM::WGMMAScaleIn::one, NVVM::MMALayout::row,
          NVVM::MMALayout::col, NVVM::MMAIntOverflowAttr());
    }
  }
  b.create<NVVM::WgmmaGroupSyncAlignedOp>();
  // Keep this step's wgmma group running and wait only for the previous
  // one (`lag` = 1), whose stage is then free; with a single stage there is
  // nothing to overlap and the current step is waited for (`lag` = 0).
  int64_t lag = stages > 1 ? 1 : 0;
  b.create<NVVM::WgmmaWaitGroupSyncOp>(lag);
  // Every warp has finished reading the released stage: refill it with the
  // K step `stages` ahead.
  b.create<gpu::BarrierOp>();
  Value refillStep = b.create<arith::SubIOp>(
      b.create<arith::AddIOp>(kStep, indexConst(b, stages)),
      indexConst(b, lag));
  Value hasNext = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, refillStep,
                                          indexConst(b, shape.kSteps()));
  Value refills = b.create<arith::AndIOp>(isLeader, hasNext);
  if (lag != 0)
    refills = b.create<arith::AndIOp>(
        refills, b.create<arith::CmpIOp>(arith::CmpIPredicate::uge, kStep,
                                         indexConst(b, lag)));
  auto refill = b.create<scf::IfOp>(refills, /*withElseRegion=*/false);
  {
    OpBuilder::InsertionGuard refillGuard(b);
    b.setInsertionPointToStart(&refill.getThenRegion().front());
    Value releasedStage =
        b.create<arith::RemUIOp>(refillStep, indexConst(b, stages));
    emitLoad(refillStep, releasedStage);
  }
  b.create<scf::YieldOp>(accs);
  return SmallVector<Value>(loop.getResults());
}


/// Scales, biases and stores the pair D[row, col], D[row, col + 1] at tile
/// offsets (`rowOffset`, `colOffset`); folds its magnitude into `amax` when
/// the kernel reports one.
Value GemmEmitter::emitOutputPair(const EpilogueOperands &operands,
                                  int64_t rowOffset, int64_t colOffset,
                                  Value row, Value col, Value v0, Value v1,
                                  Value amax) {
  Value d[2] = {v0, v1};
  for (int i = 0; i < 2; ++i) {
    Value scale = b.create<arith::MulFOp>(
        operands.rowScale.lookup(rowOffset),
        operands.colScale.lookup(colOffset + i));
    d[i] = b.create<arith::MulFOp>(d[i], scale);
    if (Value bias = operands.colBias.lookup(colOffset + i))
      d[i] = b.create<arith::AddFOp>(d[i], bias);
    if (args.amax)
      amax = b.create<arith::MaxUIOp>(amax, absBits(b, d[i]));
  }

  Value pair;
  if (isa<Float8E4M3FNType, Float8E5M2Type>(shape.outType)) {
    Value q0 = b.create<arith::DivFOp>(d[0], operands.outScale);
    Value q1 = b.create<arith::DivFOp>(d[1], operands.outScale);
    Value packed = convertPairToFP8(b, q0, q1, shape.outType,
                                    /*saturate=*/true);
    pair = b.create<vector::BitCastOp>(
        VectorType::get({2}, shape.outType),
        b.create<vector::BroadcastOp>(VectorType::get({1}, b.getI16Type()),
                                      packed));
  } else {
    if (!shape.outType.isF32()) {
      d[0] = b.create<arith::TruncFOp>(shape.outType, d[0]);
      d[1] = b.create<arith::TruncFOp>(shape.outType, d[1]);
    }
    pair = b.create<vector::FromElementsOp>(
        VectorType::get({2}, shape.outType), ValueRange{d[0], d[1]});
  }
  Value offset = b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(row, indexConst(b, shape.n)), col);
  storeAligned(b, pair, args.out, offset);
  return amax;
}

/// Accumulator fragment of m64nNk32 (f32): thread t of the warpgroup holds,
/// for register i, D[16 * (t / 32) + (t % 32) / 4 + 8 * ((i % 4) / 2),
/// 8 * (i / 4) + 2 * (t % 4) + i % 2].
void GemmEmitter::emitEpilogue(ArrayRef<Value> accumulators) {
  const GemmSM90Config &config = shape.config;
  Value warp = b.create<arith::DivUIOp>(thread, indexConst(b, 32));
  Value lane = b.create<arith::RemUIOp>(thread, indexConst(b, 32));
  Value fragmentRow = b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(warp, indexConst(b, 16)),
      b.create<arith::DivUIOp>(lane, indexConst(b, 4)));
  Value fragmentCol = b.create<arith::MulIOp>(
      b.create<arith::RemUIOp>(lane, indexConst(b, 4)), indexConst(b, 2));
  Value rowBase = b.create<arith::AddIOp>(tileRow, fragmentRow);
  Value colBase = b.create<arith::AddIOp>(tileCol, fragmentCol);
  auto rowAt = [&](int64_t offset) -> Value {
    return b.create<arith::AddIOp>(rowBase, indexConst(b, offset));
  };
  auto colAt = [&](int64_t offset) -> Value {
    return b.create<arith::AddIOp>(colBase, indexConst(b, offset));
  };
  auto clamped = [&](Value index, int64_t size) -> Value {
    return b.create<arith::MinUIOp>(index, indexConst(b, size - 1));
  };

  // Row scales (at most 4 rows per thread) and the output scale stay live
  // through the epilogue; column scales and biases are loaded per 8-column
  // block, next to their use, to keep register pressure low.
  EpilogueOperands operands;
  Value aScale, bScale;
  if (!shape.aRowwise)
    aScale = loadScaleAsF32(b, args.aScale, indexConst(b, 0));
  if (!shape.bRowwise)
    bScale = loadScaleAsF32(b, args.bScale, indexConst(b, 0));
  for (int64_t mh = 0; mh < shape.warpgroupRows(); ++mh) {
    for (int64_t h = 0; h < 2; ++h) {
      int64_t offset = mh * 64 + 8 * h;
      operands.rowScale[offset] =
          shape.aRowwise
              ? loadScaleAsF32(b, args.aScale, clamped(rowAt(offset), shape.m))
              : aScale;
    }
  }
  if (args.outScale)
    operands.outScale = loadScaleAsF32(b, args.outScale, indexConst(b, 0));

  bool raggedM = shape.m % config.tileM != 0;
  bool raggedN = shape.n % config.tileN != 0;
  Value amax = i32Const(b, 0);
  for (int64_t j = 0; j < config.tileN / 8; ++j) {
    int64_t colOffset = 8 * j;
    for (int64_t c = 0; c < 2; ++c) {
      Value col = clamped(colAt(colOffset + c), shape.n);
      operands.colScale[colOffset + c] =
          shape.bRowwise ? loadScaleAsF32(b, args.bScale, col) : bScale;
      if (args.bias)
        operands.colBias[colOffset + c] = extendToF32(
            b, b.create<memref::LoadOp>(args.bias, ValueRange{col}));
    }
    Value col = colAt(colOffset);
    for (int64_t mh = 0; mh < shape.warpgroupRows(); ++mh) {
      for (int64_t h = 0; h < 2; ++h) {
        int64_t i = 4 * j + 2 * h;
        int64_t rowOffset = mh * 64 + 8 * h;
        Value row = rowAt(rowOffset);
        Value v0 = b.create<LLVM::ExtractValueOp>(accumulators[mh], i);
        Value v1 = b.create<LLVM::ExtractValueOp>(accumulators[mh], i + 1);
        Value inBounds;
        if (raggedM)
          inBounds = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, row,
                                             indexConst(b, shape.m));
        if (raggedN) {
          Value colOk = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult,
                                                col, indexConst(b, shape.n));
          inBounds =
              inBounds ? b.create<arith::AndIOp>(inBounds, colOk) : colOk;
        }
        if (!inBounds) {
          amax = emitOutputPair(operands, rowOffset, colOffset, row, col, v0,
                                v1, amax);
          continue;
        }
        auto guard = b.create<scf::IfOp>(TypeRange{b.getI32Type()},
                                         inBounds, /*withElseRegion=*/true);
        b.setInsertionPointToStart(&guard.getThenRegion().front());
        Value updated = emitOutputPair(operands, rowOffset, colOffset, row,
                                       col, v0, v1, amax);
        b.create<scf::YieldOp>(updated);
        b.setInsertionPointToStart(&guard.getElseRegion().front());
        b.create<scf::YieldOp>(amax);
        b.setInsertionPointAfter(guard);
        amax = guard.getResult(0);
      }
    }
  }
  if (args.amax)
    atomicMaxOverBlock(b, amax, args.partials, shape.config.numThreads() / 32,
                       args.amax);
}

void GemmEmitter::emit() {
  const GemmSM90Config &config = shape.config;
  thread = b.create<gpu::ThreadIdOp>(gpu::Dimension::x);
  isLeader = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, thread,
                                     indexConst(b, 0));
  tileRow = b.create<arith::MulIOp>(b.create<gpu::BlockIdOp>(gpu::Dimension::x),
                                    indexConst(b, config.tileM));
  tileCol = b.create<arith::MulIOp>(b.create<gpu::BlockIdOp>(gpu::Dimension::y),
                                    indexConst(b, config.tileN));
  emitRing();

  // Thread 0 sets up the barriers and fills the ring; everyone waits for
  // the initialized barriers.
  {
    auto setup = b.create<scf::IfOp>(isLeader, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&setup.getThenRegion().front());
    for (int64_t s = 0; s < config.stages; ++s)
      b.create<nvgpu::MBarrierInitOp>(barriers, indexConst(b, 1),
                                      indexConst(b, s), Value());
    // Make the initialized barriers visible to the TMA unit.
    b.create<NVVM::FenceMbarrierInitOp>();
    b.create<nvgpu::TmaPrefetchOp>(aMap, Value());
    b.create<nvgpu::TmaPrefetchOp>(bMap, Value());
    for (int64_t s = 0; s < std::min(config.stages, shape.kSteps()); ++s)
      emitLoad(indexConst(b, s), indexConst(b, s));
  }
  b.create<gpu::BarrierOp>();

  SmallVector<Value> accumulators = emitMainLoop();
  b.create<NVVM::WgmmaWaitGroupSyncOp>(0);
  emitEpilogue(accumulators);
  b.create<gpu::ReturnOp>();
}

//===----------------------------------------------------------------------===//
// Planning
//===----------------------------------------------------------------------===//

/// Checks the op against what the kernel supports; fills `shape`.
static LogicalResult checkGemm(ScaledMatmulOp op, GemmShape &shape) {
  RankedTensorType a = op.getA().getType(), b = op.getB().getType();
  if (a.getRank() != 2)
    return op.emitOpError("has no sm_90a kernel for batched operands yet "
                          "(A must be [M, K])");
  if (!a.hasStaticShape() || !b.hasStaticShape())
    return op.emitOpError("has no GPU kernel for dynamic shapes; the GPU "
                          "lowering needs static shapes");
  if (!op.getTransposeB())
    return op.emitOpError("needs B K-major ([N, K], `transpose_b`) on "
                          "sm_90a: FP8 wgmma reads both operands K-major");
  for (Type type : {a.getElementType(), b.getElementType()})
    if (!isa<Float8E4M3FNType, Float8E5M2Type>(type))
      return op.emitOpError("has ")
             << type << " operands, which sm_90a wgmma cannot multiply (FP4/"
             << "FP6 need sm_100a)";
  for (ScalingAttr scaling : {op.getAScaling(), op.getBScaling()})
    if (scaling.isBlock())
      return op.emitOpError("with block scaling ")
             << scaling << " has no sm_90a kernel yet (tensor and rowwise "
             << "scales only)";
  shape.m = a.getDimSize(0);
  shape.k = a.getDimSize(1);
  shape.n = b.getDimSize(0);
  if (shape.m == 0 || shape.n == 0 || shape.k == 0)
    return op.emitOpError("has no GPU kernel for empty operands");
  if (shape.k % 16 != 0)
    return op.emitOpError("needs K to be a multiple of 16 on sm_90a (TMA "
                          "needs 16-byte row strides), got K = ")
           << shape.k;
  if (shape.n % 2 != 0)
    return op.emitOpError("needs an even N on sm_90a (the epilogue stores "
                          "pairs), got N = ")
           << shape.n;
  shape.aType = a.getElementType();
  shape.bType = b.getElementType();
  shape.outType = op.getResult().getType().getElementType();
  shape.aRowwise = op.getAScaling().isRowwise();
  shape.bRowwise = op.getBScaling().isRowwise();
  if (op.getBias())
    shape.biasType = op.getBias().getType().getElementType();
  shape.hasOutScale = static_cast<bool>(op.getOutScale());
  shape.hasAmax = static_cast<bool>(op.getAmax());
  return success();
}

FailureOr<KernelPlan>
gpu_kernels::planScaledMatmulSM90Kernel(ScaledMatmulOp op,
                                        const GemmSM90Config &config) {
  GemmShape shape;
  shape.config = config;
  if (failed(checkGemm(op, shape)))
    return failure();
  MLIRContext *ctx = op.getContext();
  Type f32 = Float32Type::get(ctx);
  auto flat = [](int64_t size, Type type) {
    return MemRefType::get({size}, type);
  };
  auto operandIndex = [&](unsigned odsIndex) {
    return op.getODSOperandIndexAndLength(odsIndex).first;
  };
  auto pointer = LLVM::LLVMPointerType::get(ctx);
  auto scaleElements = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getNumElements();
  };

  KernelPlan plan;
  plan.name = "fp8_gemm_sm90_" + typeName(shape.aType) + "_" +
              typeName(shape.bType) + "_" + typeName(shape.outType) + "_" +
              scalingName(op.getAScaling()) + "_" +
              scalingName(op.getBScaling()) + "_" +
              shapeName({shape.m, shape.n, shape.k}) + "_tile" +
              shapeName({config.tileM, config.tileN, config.tileK}) + "_s" +
              std::to_string(config.stages);
  if (shape.biasType)
    plan.name += "_bias" + typeName(shape.biasType);
  if (shape.hasAmax)
    plan.name += "_amax";

  KernelParam aMap{KernelParam::Kind::TensorMap, "a", operandIndex(0),
                   pointer};
  aMap.box = {config.tileM, config.tileK};
  KernelParam bMap{KernelParam::Kind::TensorMap, "b", operandIndex(2),
                   pointer};
  bMap.box = {config.tileN, config.tileK};
  plan.params = {
      aMap,
      {KernelParam::Kind::Input, "a_scale", operandIndex(1),
       flat(scaleElements(op.getAScale()), f32)},
      bMap,
      {KernelParam::Kind::Input, "b_scale", operandIndex(3),
       flat(scaleElements(op.getBScale()), f32)},
  };
  if (shape.biasType)
    plan.params.push_back({KernelParam::Kind::Input, "bias", operandIndex(4),
                           flat(shape.n, shape.biasType)});
  if (shape.hasOutScale)
    plan.params.push_back(
        {KernelParam::Kind::Input, "out_scale", operandIndex(5), flat(1, f32)});
  plan.params.push_back({KernelParam::Kind::Output, "d", 0,
                         flat(shape.m * shape.n, shape.outType)});
  if (shape.hasAmax) {
    KernelParam amax{KernelParam::Kind::Output, "amax", 1, flat(1, f32)};
    amax.zeroInit = true;
    plan.params.push_back(amax);
    plan.workgroupBuffers.push_back(MemRefType::get(
        {config.numThreads() / 32}, IntegerType::get(ctx, 32),
        MemRefLayoutAttrInterface(),
        gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup)));
  }
  plan.grid = {(shape.m + config.tileM - 1) / config.tileM,
               (shape.n + config.tileN - 1) / config.tileN, 1};
  if (plan.grid[1] > 65535)
    return op.emitOpError("needs ")
           << plan.grid[1] << " CTAs along N, more than the grid's y limit "
           << "(65535)";
  plan.block = {config.numThreads(), 1, 1};
  plan.dynamicSharedMemory = config.dynamicSharedMemory();

  plan.emitBody = [shape](ImplicitLocOpBuilder &b, ValueRange kernelArgs) {
    GemmArgs args;
    unsigned next = 0;
    args.aMap = kernelArgs[next++];
    args.aScale = kernelArgs[next++];
    args.bMap = kernelArgs[next++];
    args.bScale = kernelArgs[next++];
    if (shape.biasType)
      args.bias = kernelArgs[next++];
    if (shape.hasOutScale)
      args.outScale = kernelArgs[next++];
    args.out = kernelArgs[next++];
    if (shape.hasAmax) {
      args.amax = kernelArgs[next++];
      args.partials = kernelArgs[next++];
    }
    GemmEmitter(b, shape, args).emit();
  };
  return plan;
}
