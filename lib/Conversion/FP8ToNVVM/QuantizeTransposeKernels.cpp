//===- QuantizeTransposeKernels.cpp - Transposing quantize / amax ---------===//
//
// Part of fp8-mlir. Kernels for `fp8.quantize_transposed` and
// `fp8.amax_transposed` of `x`, the quantize and amax of `linalg.transpose(x)`
// swapping the last two dimensions: the K-major copy fp8-quantize-matmuls
// makes of an operand stored the other way (the wgrad `dY^T X`). They read
// `x` itself, so the transposed high-precision tensor is never
// materialized.
//
// One CTA of 256 threads owns a tile of 128 rows x 32 columns of `x`
// ([R, C], output [C, R]):
//
//   load:  thread t reads 4 consecutive elements of x (16 bytes for f32),
//          4 passes, a warp covering 4 rows x 128 bytes; stores them as f32
//          into shared memory, row `row`, column chunk XOR-swizzled by
//          4 * (row / 16) so the column reads below hit 32 distinct banks.
//   bar.sync
//   use:   thread t owns output row c = t / 8 (a column of the tile) and the
//          16 output columns r = 16 * (t % 8) ..: 16 shared loads, then
//          quantize: scale of the output group, divide, cvt pairs, one
//          16-byte store (8 threads write one 128-byte output row segment);
//          amax: max of the 16 |x|, shuffles over the lanes of one group,
//          one atomic max per group and warp (per CTA for tensor scaling).
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include "fp8/Dialect/FP8/IR/FP8Types.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

namespace {

/// Tile of `x` one CTA transposes: rows (of x, output columns) x columns.
constexpr int64_t kTileRows = 128;
constexpr int64_t kTileCols = 32;
constexpr int64_t kThreads = 256;
/// Elements of x one thread loads per pass, and output elements (bytes) one
/// thread converts.
constexpr int64_t kLoadWidth = 4;
constexpr int64_t kChunk = 16;
constexpr int64_t kChunksPerRow = kTileRows / kChunk; // 8 threads per row

/// The shapes of one transposing kernel: x is [batch, R, C], the output
/// [batch, C, R].
struct TransposeShape {
  int64_t batch = 1;
  int64_t rows = 1; // R
  int64_t cols = 1; // C
  /// The scale groups, in the output ([batch, C, R]) layout.
  ScaleLayout layout;

  int64_t numElements() const { return batch * rows * cols; }
  std::array<int64_t, 3> grid() const {
    return {ceilDiv(cols, kTileCols), ceilDiv(rows, kTileRows), batch};
  }
};

} // namespace

/// The shape of `source` ([b..., R, C]) with its last two dimensions
/// swapped ([b..., C, R]): the shape of the op's result and scale groups.
static SmallVector<int64_t> transposedShape(RankedTensorType source) {
  SmallVector<int64_t> shape(source.getShape());
  std::swap(shape[shape.size() - 2], shape.back());
  return shape;
}

/// The shape of the kernel reading `source` ([batch..., R, C]) for an op on
/// its transpose under `scaling`.
static TransposeShape getShape(RankedTensorType source, ScalingAttr scaling) {
  TransposeShape shape;
  ArrayRef<int64_t> dims = source.getShape();
  shape.rows = dims[dims.size() - 2];
  shape.cols = dims.back();
  // The verifier keeps the element count, hence the batch, within int64.
  shape.batch = *checkedProduct(dims.drop_back(2));
  shape.layout = ScaleLayout::get(scaling, transposedShape(source));
  return shape;
}

bool gpu_kernels::hasQuantizeTransposeKernel(RankedTensorType source,
                                             ScalingAttr scaling) {
  // 16-element output chunks that never straddle a scale group or the edge
  // (R % 16 == 0), whole 4-element loads (C % 4 == 0), and a grid of tiles
  // CUDA can launch (else the plain kernel, whose grid is 1-D, runs on the
  // transposed tensor).
  Type element = source.getElementType();
  if (!element.isF32() && !element.isBF16() && !element.isF16())
    return false;
  if (!source.hasStaticShape() || source.getRank() < 2 ||
      source.getNumElements() == 0)
    return false;
  TransposeShape shape = getShape(source, scaling);
  if (shape.rows % kChunk != 0 || shape.cols % kLoadWidth != 0 ||
      !CudaLimits::fitsGrid(shape.grid()))
    return false;
  return scaling.isTensor() || shape.layout.groupCols % kChunk == 0;
}

bool gpu_kernels::hasAmaxTransposeKernel(RankedTensorType source,
                                         ScalingAttr scaling) {
  if (!hasQuantizeTransposeKernel(source, scaling))
    return false;
  // A group along the output row either spans whole 128-wide tiles or
  // divides one, so the lanes of one group are a power of two.
  int64_t groupCols = getShape(source, scaling).layout.groupCols;
  return scaling.isTensor() || groupCols % kTileRows == 0 ||
         kTileRows % groupCols == 0;
}

//===----------------------------------------------------------------------===//
// The shared tile
//===----------------------------------------------------------------------===//

/// The shared-memory tile: kTileRows x kTileCols f32.
static MemRefType tileBufferType(MLIRContext *ctx) {
  return MemRefType::get(
      {kTileRows * kTileCols}, Float32Type::get(ctx),
      MemRefLayoutAttrInterface(),
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup));
}

/// Swizzled column of tile element (row, col): the 4-column chunk XORed with
/// row / 16, so the 4 x 8 (column, row chunk) pairs of a warp's reads fall
/// in 32 different banks, and 4-aligned runs stay contiguous.
static Value swizzledIndex(ImplicitLocOpBuilder &b, Value row, Value col) {
  Value rowChunk = b.create<arith::DivUIOp>(row, indexConst(b, kChunk));
  Value swizzle = b.create<arith::MulIOp>(
      b.create<arith::RemUIOp>(rowChunk, indexConst(b, kTileCols / kLoadWidth)),
      indexConst(b, kLoadWidth));
  Value swizzled = b.create<arith::XOrIOp>(col, swizzle);
  return b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(row, indexConst(b, kTileCols)), swizzled);
}

/// Where a thread is in the tile and in x.
struct TileCoords {
  Value batch, row0, col0;
};

/// The CTA's tile: block x walks the columns of x, y its rows, z the batch.
static TileCoords getTileCoords(ImplicitLocOpBuilder &b) {
  TileCoords coords;
  coords.col0 = b.create<arith::MulIOp>(
      b.create<gpu::BlockIdOp>(gpu::Dimension::x), indexConst(b, kTileCols));
  coords.row0 = b.create<arith::MulIOp>(
      b.create<gpu::BlockIdOp>(gpu::Dimension::y), indexConst(b, kTileRows));
  coords.batch = b.create<gpu::BlockIdOp>(gpu::Dimension::z);
  return coords;
}

/// Loads the tile of x into shared memory as f32 and waits for all threads.
static void emitLoadTile(ImplicitLocOpBuilder &b, const TransposeShape &shape,
                         const TileCoords &at, Value input, Value tile) {
  // The tile is written with 16-byte st.shared.v4: align it to 16 (the
  // lowering gives workgroup buffers 4 otherwise).
  auto func = cast<gpu::GPUFuncOp>(b.getInsertionBlock()->getParentOp());
  func.setWorkgroupAttributionAttr(
      cast<BlockArgument>(tile).getArgNumber() - func.getNumArguments(),
      LLVM::LLVMDialect::getAlignAttrName(), b.getI64IntegerAttr(16));
  Type element = cast<MemRefType>(input.getType()).getElementType();
  Value thread = b.create<gpu::ThreadIdOp>(gpu::Dimension::x);
  constexpr int64_t loadsPerRow = kTileCols / kLoadWidth;
  for (int64_t pass = 0; pass < kTileRows * loadsPerRow / kThreads; ++pass) {
    Value id = b.create<arith::AddIOp>(thread, indexConst(b, pass * kThreads));
    Value row = b.create<arith::DivUIOp>(id, indexConst(b, loadsPerRow));
    Value col = b.create<arith::MulIOp>(
        b.create<arith::RemUIOp>(id, indexConst(b, loadsPerRow)),
        indexConst(b, kLoadWidth));
    Value r = b.create<arith::AddIOp>(at.row0, row);
    Value c = b.create<arith::AddIOp>(at.col0, col);
    Value inRange = b.create<arith::AndIOp>(
        b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, r,
                                indexConst(b, shape.rows)),
        b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, c,
                                indexConst(b, shape.cols)));
    auto guard = b.create<scf::IfOp>(inRange, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard insertion(b);
    b.setInsertionPointToStart(&guard.getThenRegion().front());
    // offset = ((batch * R) + r) * C + c
    Value offset = b.create<arith::AddIOp>(
        b.create<arith::MulIOp>(
            b.create<arith::AddIOp>(
                b.create<arith::MulIOp>(at.batch, indexConst(b, shape.rows)),
                r),
            indexConst(b, shape.cols)),
        c);
    Value x = loadAligned(b, input, offset,
                          VectorType::get({kLoadWidth}, element));
    if (!element.isF32())
      x = b.create<arith::ExtFOp>(VectorType::get({kLoadWidth}, b.getF32Type()),
                                  x);
    storeAligned(b, x, tile, swizzledIndex(b, row, col));
  }
  b.create<gpu::BarrierOp>();
}

/// The output chunk of this thread: output row c (a column of x) and the
/// 16 output columns from r; `values` are x[r + i, c] as f32.
struct OutputChunk {
  Value c, r, inRange;
  /// Lane index within its 8-lane output row segment.
  Value rowChunk;
  SmallVector<Value, kChunk> values;
};

/// Reads this thread's output chunk out of the shared tile.
static OutputChunk emitReadChunk(ImplicitLocOpBuilder &b,
                                 const TransposeShape &shape,
                                 const TileCoords &at, Value tile) {
  OutputChunk chunk;
  Value thread = b.create<gpu::ThreadIdOp>(gpu::Dimension::x);
  chunk.rowChunk = b.create<arith::RemUIOp>(thread, indexConst(b, kChunksPerRow));
  Value col = b.create<arith::DivUIOp>(thread, indexConst(b, kChunksPerRow));
  Value row = b.create<arith::MulIOp>(chunk.rowChunk, indexConst(b, kChunk));
  chunk.c = b.create<arith::AddIOp>(at.col0, col);
  chunk.r = b.create<arith::AddIOp>(at.row0, row);
  chunk.inRange = b.create<arith::AndIOp>(
      b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, chunk.c,
                              indexConst(b, shape.cols)),
      b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, chunk.r,
                              indexConst(b, shape.rows)));
  // The 16 rows share row / 16, hence one swizzled column.
  Value first = swizzledIndex(b, row, col);
  for (int64_t i = 0; i < kChunk; ++i) {
    Value index =
        b.create<arith::AddIOp>(first, indexConst(b, i * kTileCols));
    chunk.values.push_back(b.create<memref::LoadOp>(tile, index));
  }
  return chunk;
}

/// The row of the output ([batch, C, R]) that holds column `c` of x,
/// counted across batches: batch * C + c.
static Value outputRow(ImplicitLocOpBuilder &b, const TransposeShape &shape,
                       const TileCoords &at, Value c) {
  return b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(at.batch, indexConst(b, shape.cols)), c);
}

/// `fp8_<kind>_transpose_<in>_<scaling>_<source shape>`.
static std::string transposeKernelName(StringRef kind, Type inType,
                                       ScalingAttr scaling,
                                       ArrayRef<int64_t> sourceShape) {
  return ("fp8_" + kind + "_transpose_" + typeName(inType) + "_").str() +
         scalingName(scaling) + "_" + shapeName(sourceShape);
}

//===----------------------------------------------------------------------===//
// fp8.quantize_transposed
//===----------------------------------------------------------------------===//

FailureOr<KernelPlan>
gpu_kernels::planQuantizeTransposeKernel(QuantizeTransposedOp op,
                                         const ChipInfo &chip) {
  Type outType = op.getResult().getType().getElementType();
  if (failed(checkNarrowType(op, outType, chip)))
    return failure();
  RankedTensorType sourceType = op.getInput().getType();
  if (!hasQuantizeTransposeKernel(sourceType, op.getScaling()))
    return op.emitOpError("has no transposing kernel for these shapes and "
                          "scaling");
  auto scaleType = op.getScale().getType();
  Type inType = sourceType.getElementType();
  Type scaleElement = scaleType.getElementType();
  bool saturate = op.getSaturate();
  TransposeShape shape = getShape(sourceType, op.getScaling());

  KernelPlan plan;
  plan.name = transposeKernelName("quantize", inType, op.getScaling(),
                                  sourceType.getShape());
  plan.name += "_" + typeName(outType);
  if (!scaleElement.isF32())
    plan.name += "_" + typeName(scaleElement);
  if (!saturate)
    plan.name += "_nosat";
  plan.params = {
      {KernelParam::Kind::Input, "input", 0,
       MemRefType::get({shape.numElements()}, inType)},
      {KernelParam::Kind::Input, "scale", 1,
       MemRefType::get({scaleType.getNumElements()}, scaleElement)},
      {KernelParam::Kind::Output, "output", 0,
       MemRefType::get({shape.numElements()}, outType)},
  };
  plan.grid = shape.grid();
  plan.block = {kThreads, 1, 1};
  plan.workgroupBuffers.push_back(tileBufferType(op.getContext()));
  plan.emitBody = [=](ImplicitLocOpBuilder &b, ValueRange args) {
    Value input = args[0], scales = args[1], output = args[2], tile = args[3];
    TileCoords at = getTileCoords(b);
    emitLoadTile(b, shape, at, input, tile);
    OutputChunk chunk = emitReadChunk(b, shape, at, tile);
    auto guard = b.create<scf::IfOp>(chunk.inRange, /*withElseRegion=*/false);
    b.setInsertionPointToStart(&guard.getThenRegion().front());
    Value row = outputRow(b, shape, at, chunk.c);
    Value scale =
        loadScaleAsF32(b, scales, shape.layout.buildIndex(b, row, chunk.r));
    SmallVector<Value> pairs;
    for (int64_t i = 0; i < kChunk; i += 2) {
      Value lo = b.create<arith::DivFOp>(chunk.values[i], scale);
      Value hi = b.create<arith::DivFOp>(chunk.values[i + 1], scale);
      pairs.push_back(convertPairToFP8(b, lo, hi, outType, saturate));
    }
    Value packed = b.create<vector::FromElementsOp>(
        VectorType::get({kChunk / 2}, b.getI16Type()), pairs);
    Value q = b.create<vector::BitCastOp>(VectorType::get({kChunk}, outType),
                                          packed);
    Value offset = b.create<arith::AddIOp>(
        b.create<arith::MulIOp>(row, indexConst(b, shape.rows)), chunk.r);
    storeAligned(b, q, output, offset);
    b.setInsertionPointAfter(guard);
    b.create<gpu::ReturnOp>();
  };
  return plan;
}

//===----------------------------------------------------------------------===//
// fp8.amax_transposed
//===----------------------------------------------------------------------===//

FailureOr<KernelPlan>
gpu_kernels::planAmaxTransposeKernel(AmaxTransposedOp op,
                                     const ChipInfo &chip) {
  (void)chip; // Integer shuffles and atomics: the same code on every chip.
  RankedTensorType sourceType = op.getInput().getType();
  Type inType = sourceType.getElementType();
  ScalingAttr scaling = op.getScaling();
  if (!hasAmaxTransposeKernel(sourceType, scaling))
    return op.emitOpError("has no transposing kernel for these shapes and "
                          "scaling");
  TransposeShape shape = getShape(sourceType, scaling);
  constexpr int64_t numWarps = kThreads / 32;

  KernelPlan plan;
  plan.name = transposeKernelName("amax", inType, scaling,
                                  sourceType.getShape());
  KernelParam input{KernelParam::Kind::Input, "input", 0,
                    MemRefType::get({shape.numElements()}, inType)};
  KernelParam amax{KernelParam::Kind::Output, "amax", 0,
                   MemRefType::get({op.getResult().getType().getNumElements()},
                                   Float32Type::get(op.getContext()))};
  // Every CTA (tensor) or warp (groups) atomically maxes into its groups.
  amax.zeroInit = true;
  plan.params = {input, amax};
  plan.grid = shape.grid();
  plan.block = {kThreads, 1, 1};
  MLIRContext *ctx = op.getContext();
  plan.workgroupBuffers.push_back(tileBufferType(ctx));
  plan.workgroupBuffers.push_back(MemRefType::get(
      {numWarps}, IntegerType::get(ctx, 32), MemRefLayoutAttrInterface(),
      gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup)));
  // Lanes (consecutive row chunks) that share one group of a tile row.
  int64_t lanes = scaling.isTensor()
                      ? kChunksPerRow
                      : std::min(shape.layout.groupCols, kTileRows) / kChunk;
  plan.emitBody = [=](ImplicitLocOpBuilder &b, ValueRange args) {
    Value input = args[0], output = args[1], tile = args[2],
          partials = args[3];
    TileCoords at = getTileCoords(b);
    emitLoadTile(b, shape, at, input, tile);
    OutputChunk chunk = emitReadChunk(b, shape, at, tile);
    // Out-of-range chunks read stale shared memory: they contribute 0.
    Value bits = i32Const(b, 0);
    for (Value value : chunk.values)
      bits = b.create<arith::MaxUIOp>(bits, absBits(b, value));
    bits = b.create<arith::SelectOp>(chunk.inRange, bits, i32Const(b, 0));
    if (scaling.isTensor()) {
      atomicMaxOverBlock(b, bits, partials, numWarps, output);
      b.create<gpu::ReturnOp>();
      return;
    }
    bits = warpMaxU32(b, bits, lanes);
    Value leads = b.create<arith::CmpIOp>(
        arith::CmpIPredicate::eq,
        b.create<arith::RemUIOp>(chunk.rowChunk, indexConst(b, lanes)),
        indexConst(b, 0));
    auto guard = b.create<scf::IfOp>(
        b.create<arith::AndIOp>(leads, chunk.inRange),
        /*withElseRegion=*/false);
    b.setInsertionPointToStart(&guard.getThenRegion().front());
    Value row = outputRow(b, shape, at, chunk.c);
    atomicMaxBits(b, output, shape.layout.buildIndex(b, row, chunk.r), bits);
    b.setInsertionPointAfter(guard);
    b.create<gpu::ReturnOp>();
  };
  return plan;
}
