//===- FusedBlockQuantizeKernels.cpp - Fused quantize, a CTA per group ----===//
//
// Part of fp8-mlir. The CTA-per-group kernel of the fused chain
// amax -> scale_from_amax -> quantize (FusedQuantizeKernels.cpp chooses it
// and its launch shape). CTA g owns scale group g: up to R x C elements
// starting at row r0 (batches flattened into rows) and column c0, clipped
// at ragged edges. With T threads and chunks of `chunk` elements:
//
//   load      thread t takes chunks t, t + T, t + 2T, ... of the group's
//             R x (C / chunk) chunks in row-major order (consecutive
//             threads read consecutive chunks of a row), one vector load
//             each (16 bytes per ld.global.v4), and keeps them in
//             registers. A chunk past the group's edge loads the group's
//             first chunk instead (no branch around the loads) and counts
//             as 0;
//   amax      the max of the |x| bit patterns (NaN-propagating, see
//             absBits) of a thread, then of its warp (butterfly shuffles;
//             redux.sync.max.abs.NaN.f32 on sm_100a); lane 0 of each warp
//             writes it to shared memory, one barrier, and every warp
//             reduces the partials again, so that every thread holds the
//             group's amax without a second barrier;
//   scale     every thread emits buildScaleFromAmax, as the CPU lowering;
//   quantize  each thread divides its registers by the scale, converts them
//             with cvt.rn.satfinite pairs and stores each chunk with one
//             vector store (16 FP8 bytes); thread 0 stores the scale.
//
// The group stays in registers instead of being read again after the
// reduction: %x then leaves memory exactly once, the whole gain of the
// fusion over the three kernels (which read it twice), and the re-read of a
// 64 KiB [128, 128] f32 block would hit L2 at best. The price is a bound
// on the group size (64 elements a thread, see the heuristic), beyond
// which the three kernels remain.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

namespace {

/// A chunk one thread holds in registers between amax and quantize.
struct HeldChunk {
  /// Element offset of the chunk in the flat buffers.
  Value offset;
  /// Whether the chunk lies in the group; null when it always does.
  Value valid;
  /// The loaded elements.
  Value data;
};

} // namespace

using GroupOrigin = ScaleLayout::GroupOrigin;

/// `lhs && rhs` where a null operand stands for true.
static Value andValid(ImplicitLocOpBuilder &b, Value lhs, Value rhs) {
  if (!lhs)
    return rhs;
  if (!rhs)
    return lhs;
  return b.create<arith::AndIOp>(lhs, rhs);
}

/// Loads chunk `k` of this thread (the group's chunk `thread + k * T`).
static HeldChunk loadChunk(ImplicitLocOpBuilder &b,
                           const FusedBlockShape &shape,
                           const GroupOrigin &origin, Value thread, int64_t k,
                           Value input) {
  const ScaleLayout &layout = shape.layout;
  int64_t chunksPerRow = shape.groupCols() / shape.chunk;
  Value i = b.create<arith::AddIOp>(thread,
                                    indexConst(b, k * shape.threads));
  // Row and column in the group; when T spans whole rows, chunk k is T /
  // chunksPerRow rows below chunk 0, in the same column.
  Value first = shape.threads % chunksPerRow == 0 ? thread : i;
  Value row = b.create<arith::DivUIOp>(first, indexConst(b, chunksPerRow));
  Value col = b.create<arith::MulIOp>(
      b.create<arith::RemUIOp>(first, indexConst(b, chunksPerRow)),
      indexConst(b, shape.chunk));
  if (first != i)
    row = b.create<arith::AddIOp>(
        row, indexConst(b, k * shape.threads / chunksPerRow));

  // Checks only where the chunk can leave the group: the last chunks of a
  // thread, and ragged edges of the tensor.
  HeldChunk held;
  if ((k + 1) * shape.threads > shape.chunksPerGroup())
    held.valid = b.create<arith::CmpIOp>(
        arith::CmpIPredicate::ult, i, indexConst(b, shape.chunksPerGroup()));
  if (layout.rowsPerBatch % shape.groupRows() != 0)
    held.valid = andValid(
        b, held.valid,
        b.create<arith::CmpIOp>(
            arith::CmpIPredicate::ult,
            b.create<arith::AddIOp>(origin.rowInBatch, row),
            indexConst(b, layout.rowsPerBatch)));
  if (layout.cols % shape.groupCols() != 0)
    held.valid = andValid(
        b, held.valid,
        b.create<arith::CmpIOp>(arith::CmpIPredicate::ult,
                                b.create<arith::AddIOp>(origin.col, col),
                                indexConst(b, layout.cols)));

  Value cols = indexConst(b, layout.cols);
  Value start =
      b.create<arith::AddIOp>(b.create<arith::MulIOp>(origin.row, cols),
                              origin.col);
  held.offset = b.create<arith::AddIOp>(
      start, b.create<arith::AddIOp>(b.create<arith::MulIOp>(row, cols), col));
  Value safeOffset =
      held.valid ? b.create<arith::SelectOp>(held.valid, held.offset, start)
                       .getResult()
                 : held.offset;
  Type inType = cast<MemRefType>(input.getType()).getElementType();
  held.data = loadAligned(b, input, safeOffset,
                          VectorType::get({shape.chunk}, inType));
  return held;
}

/// The chunk's elements as f32.
static SmallVector<Value> chunkElements(ImplicitLocOpBuilder &b,
                                        const HeldChunk &held) {
  int64_t count = cast<VectorType>(held.data.getType()).getNumElements();
  SmallVector<Value> elements;
  for (int64_t j = 0; j < count; ++j)
    elements.push_back(
        extendToF32(b, b.create<vector::ExtractOp>(held.data, j).getResult()));
  return elements;
}

/// The max of |x| bit patterns over groups of `lanes` lanes (a power of
/// two); every lane of a group gets it. Chips with a float redux.sync
/// (sm_100a) reduce the whole warp with `redux.sync.max.abs.NaN.f32` (the
/// patterns are non-negative floats, NaN above +inf), so there all 32 lanes
/// must hold values of one group.
static Value warpMaxBits(ImplicitLocOpBuilder &b, Value bits, int64_t lanes,
                         const ChipInfo &chip) {
  if (!chip.hasReduxF32Max())
    return warpMaxU32(b, bits, lanes);
  Value asFloat = b.create<arith::BitcastOp>(b.getF32Type(), bits);
  return absBits(b, warpMaxAbsRedux(b, asFloat));
}

/// The max of `bits` over the CTA, in every thread: per warp, then over the
/// `numWarps` partials in shared memory after one barrier.
static Value blockMaxBits(ImplicitLocOpBuilder &b, Value bits,
                          int64_t numWarps, Value partials,
                          const ChipInfo &chip) {
  Value warpMax = warpMaxBits(b, bits, 32, chip);
  if (numWarps == 1)
    return warpMax;
  WarpLane self = storeWarpPartials(b, warpMax, partials);
  // Lane l of every warp reads partial l % numWarps: each group of
  // numWarps lanes holds all of them.
  Value partial = b.create<memref::LoadOp>(
      partials, ValueRange{b.create<arith::RemUIOp>(
                    self.lane, indexConst(b, numWarps))});
  return warpMaxBits(b, partial, numWarps, chip);
}

/// Emits `body` under `if (condition)`, or unguarded when it is null.
static void emitIf(ImplicitLocOpBuilder &b, Value condition,
                   function_ref<void()> body) {
  if (!condition)
    return body();
  auto ifOp = b.create<scf::IfOp>(condition, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&ifOp.getThenRegion().front());
  body();
}

void gpu_kernels::emitFusedBlockQuantizeBody(ImplicitLocOpBuilder &b,
                                             const FusedBlockShape &shape,
                                             Type outType, bool saturate,
                                             const ChipInfo &chip,
                                             GroupScaleBuilder buildScale,
                                             ValueRange args) {
  Value input = args[0], output = args[1], scales = args[2];
  Value partials = shape.numWarps() > 1 ? args[3] : Value();
  Value group = b.create<gpu::BlockIdOp>(gpu::Dimension::x);
  Value thread = b.create<gpu::ThreadIdOp>(gpu::Dimension::x);
  GroupOrigin origin = shape.layout.buildGroupOrigin(b, group);

  // Load every chunk first, so all loads are in flight together.
  SmallVector<HeldChunk> held;
  for (int64_t k = 0; k < shape.chunksPerThread; ++k)
    held.push_back(loadChunk(b, shape, origin, thread, k, input));
  Value bits = i32Const(b, 0);
  for (const HeldChunk &chunk : held) {
    Value chunkBits = i32Const(b, 0);
    for (Value element : chunkElements(b, chunk))
      chunkBits = b.create<arith::MaxUIOp>(chunkBits, absBits(b, element));
    if (chunk.valid)
      chunkBits =
          b.create<arith::SelectOp>(chunk.valid, chunkBits, i32Const(b, 0));
    bits = b.create<arith::MaxUIOp>(bits, chunkBits);
  }
  bits = blockMaxBits(b, bits, shape.numWarps(), partials, chip);
  Value amax = b.create<arith::BitcastOp>(b.getF32Type(), bits);
  std::pair<Value, Value> scale = buildScale(b, amax);

  for (const HeldChunk &chunk : held) {
    Value q = quantizePairsToFP8(b, chunkElements(b, chunk), scale.first,
                                 outType, saturate);
    emitIf(b, chunk.valid, [&] { storeAligned(b, q, output, chunk.offset); });
  }
  Value isThread0 = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, thread,
                                            indexConst(b, 0));
  emitIf(b, isThread0, [&] {
    b.create<memref::StoreOp>(scale.second, scales, ValueRange{group});
  });
  b.create<gpu::ReturnOp>();
}
