//===- GemmSM100Scales.cpp - MX scales of the sm_100a GEMM ----------------===//
//
// Part of fp8-mlir. With MX / NVFP4 block scaling every thread reads the
// scales of its rows for a K step from their canonical row-major layout
// and writes them into the stage in the layout tcgen05.cp copies into
// tensor memory, where tcgen05.mma.block_scale reads them. The
// warp-specialized kernel's producer warp (stageScalesByWarp) stages the
// same words with the helpers here (loadScaleGroups, firstScaleGroup,
// bScaleRow, storeScaleChunk).
//
//===----------------------------------------------------------------------===//

#include "GemmSM100.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;
using namespace mlir::fp8::gpu_kernels::sm100;

/// The four scales of `row` for the K groups firstGroup .. +3 (E8M0 of
/// 32 elements, NVFP4: E4M3 of 16) as one i32, group firstGroup in the low
/// byte. Groups past K (zero-filled data) get 1.0 (E8M0 127, E4M3 0x38),
/// so no NaN byte meets the zeros.
Value GemmEmitter::loadScaleGroups(Value scales, Value row, Value firstGroup) {
  int64_t cols = shape.scaleCols();
  int64_t one = shape.nvfp4() ? 0x38 : 127;
  Value rowStart = b.create<arith::MulIOp>(row, indexConst(b, cols));
  // One aligned 4-byte load when every K step's groups lie inside the row
  // (MX: 4 a step, NVFP4: 16); else byte by byte, clamped.
  if (cols % (4 * shape.config.scaleSetsPerStage()) == 0) {
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
    byte = b.create<arith::SelectOp>(inside, byte, i32Const(b, one));
    word = b.create<arith::OrIOp>(
        word, b.create<arith::ShLIOp>(byte, i32Const(b, 8 * i)));
  }
  return word;
}

/// The first K group of scale set `set` of K step `kStep`: a set's word
/// holds 4 consecutive groups, a step's sets follow each other (MX: one
/// set, groups 4 * kStep ..; `.kind::mxf4`: two, 8 * kStep + 4 * set ..;
/// NVFP4: four, 16 * kStep + 4 * set ..).
Value GemmEmitter::firstScaleGroup(Value kStep, int64_t set) {
  int64_t groupsPerStep = 4 * shape.config.scaleSetsPerStage();
  return b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(kStep, indexConst(b, groupsPerStep)),
      indexConst(b, 4 * set));
}

/// B row `bRow` of GEMM z reads scale row bRowBase + bRow (bRowBase =
/// z * N); with NVFP4 `[16, 16]` weight blocks GEMM z's ceil(N / 16)
/// scale rows start at z * ceil(N / 16), then row bRow / 16.
Value GemmEmitter::bScaleRow(Value bRow) {
  if (shape.bScaleRows == 1)
    return b.create<arith::AddIOp>(bRowBase, bRow);
  return b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(
          b.create<arith::DivUIOp>(bRowBase, indexConst(b, shape.n)),
          indexConst(b, ceilDiv(shape.n, shape.bScaleRows))),
      b.create<arith::DivUIOp>(bRow, indexConst(b, shape.bScaleRows)));
}

/// A word (4-byte aligned) or a lane's four words of rows r, r + 32, r + 64,
/// r + 96 (one 16-byte store; see stageScales for the layout).
void GemmEmitter::storeScaleChunk(Value value, Value scaleStage, Value offset,
                                  int64_t chunk) {
  Value address = b.create<arith::AddIOp>(
      scaleStage,
      b.create<arith::AddIOp>(
          offset, indexConst(b, chunk * GemmSM100Config::kScaleChunkBytes)));
  unsigned alignment = isa<VectorType>(value.getType()) ? 16 : 4;
  b.create<LLVM::StoreOp>(value, ring->sharedPointer(address), alignment);
}

/// Every thread writes the scale words of A row `thread` (and of B rows
/// `thread`, `thread + 128`) for K step `kStep` into `stage`, in the layout
/// `tcgen05.cp .32x128b.warpx4` copies into tensor memory: the word of row
/// r goes to byte 16 * (r % 32) + 4 * (r / 32) of its 128-row chunk, so that
/// tensor memory lane r % 32 (of every 32-lane quarter) holds it in column
/// r / 32. MX: one chunk set per step, byte j of a word the scale of the
/// step's j-th k32 MMA (groups 4 * kStep ..). NVFP4: one chunk set per k64
/// MMA kk, its word the 4 E4M3 scales of 16 elements each (groups
/// 16 * kStep + 4 * kk ..); B row n reads scale row n / bScaleRows.
/// `.kind::mxf4`: one chunk set per two k64 MMAs, set j's word the 4 E8M0
/// scales of groups 8 * kStep + 4 * j .. (MMA kk = 2 j + h reads bytes 2 h
/// and 2 h + 1).
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
    storeScaleChunk(word, scaleStage, chunkOffset, chunk);
  };

  int64_t sets = config.scaleSetsPerStage();
  int64_t chunksPerSet = 1 + config.scaleChunksB();
  auto firstGroup = [&](int64_t set) { return firstScaleGroup(kStep, set); };

  Value aRow = b.create<arith::AddIOp>(
      aRowBase, b.create<arith::MinUIOp>(b.create<arith::AddIOp>(tileRow, thread),
                                         buildLastRow(b, shape, args.rows)));
  for (int64_t set = 0; set < sets; ++set)
    store(loadScaleGroups(args.aScale, aRow, firstGroup(set)),
          set * chunksPerSet);
  for (int64_t j = 0; j < config.scaleChunksB(); ++j) {
    // Rows of the last chunk past tileN are never read by the MMA.
    int64_t rowsInChunk = std::min<int64_t>(128, config.tileN - 128 * j);
    auto emitRow = [&] {
      Value bRow = b.create<arith::MinUIOp>(
          b.create<arith::AddIOp>(
              tileCol,
              b.create<arith::AddIOp>(thread, indexConst(b, 128 * j))),
          indexConst(b, shape.n - 1));
      Value scaleRow = bScaleRow(bRow);
      for (int64_t set = 0; set < sets; ++set)
        store(loadScaleGroups(args.bScale, scaleRow, firstGroup(set)),
              set * chunksPerSet + 1 + j);
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
