//===- AmaxKernels.cpp - fp8.amax kernels ---------------------------------===//
//
// Part of fp8-mlir. max |x| per scale group. Values are compared as the
// unsigned bit patterns of |x| (see absBits): one integer max per element,
// NaN propagating for free, and the integer shuffles and atomics of sm_90a
// (redux.sync fmax is sm_100a only).
//
// * tensor scaling: a grid-stride loop over 16-byte chunks, a warp
//   shuffle reduction, a shared-memory reduction over the 8 warps, and one
//   atom.global.max.u32 per CTA into the zero-initialized result. On
//   sm_100a the warp and CTA reductions are `redux.sync.max.abs.NaN.f32`
//   on those (non-negative, NaN-propagating) values instead of shuffles.
// * rowwise / block scaling: a group of L lanes (a power of two <= 32) per
//   scale group, each lane striding over the group's 16-byte chunks, then a
//   shuffle reduction within the L lanes (a redux.sync on sm_100a when a
//   group spans the whole warp) and one plain store per group.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/ADT/bit.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

static constexpr int64_t kWarpsPerBlock = kElementwiseBlockSize / 32;

/// Folds max |x| of the `chunk` elements at `offset` into `acc`.
static Value accumulateChunk(ImplicitLocOpBuilder &b, Value input,
                             Value offset, int64_t chunk, Value acc) {
  Type elementType = cast<MemRefType>(input.getType()).getElementType();
  Value x =
      loadAligned(b, input, offset, VectorType::get({chunk}, elementType));
  for (int64_t i = 0; i < chunk; ++i) {
    Value element = b.create<vector::ExtractOp>(x, i);
    acc = b.create<arith::MaxUIOp>(acc, absBits(b, extendToF32(b, element)));
  }
  return acc;
}

/// `for (i = lower; i < upper; i += step) acc = max(acc, chunk(i))`.
static Value emitStridedMax(
    ImplicitLocOpBuilder &b, Value lower, Value upper, Value step,
    function_ref<Value(ImplicitLocOpBuilder &, Value, Value)> body) {
  auto loop = b.create<scf::ForOp>(lower, upper, step,
                                   ValueRange{i32Const(b, 0)});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value acc = body(b, loop.getInductionVar(), loop.getRegionIterArgs()[0]);
  b.create<scf::YieldOp>(acc);
  return loop.getResult(0);
}

//===----------------------------------------------------------------------===//
// Tensor scaling
//===----------------------------------------------------------------------===//

/// Chips with a float redux.sync (sm_100a) do the warp and CTA steps with
/// `redux.sync.max.abs.NaN.f32` (atomicMaxAbsOverBlockRedux) instead of
/// shuffles; LLVM cannot select it for the others.
/// With runtime rows (`rows` set), `numChunks` counts the chunks of one
/// row and the grid is launched from the rows.
static void emitTensorAmaxBody(ImplicitLocOpBuilder &b, Value input,
                               Value output, Value partials, int64_t chunk,
                               int64_t numChunks, int64_t gridSize,
                               const ChipInfo &chip, Value rows) {
  Value start = globalThreadIndex(b, kElementwiseBlockSize);
  Value upper = indexConst(b, numChunks);
  Value step = indexConst(b, gridSize * kElementwiseBlockSize);
  if (rows) {
    upper = b.create<arith::MulIOp>(rows, upper);
    step = b.create<arith::MulIOp>(b.create<gpu::GridDimOp>(gpu::Dimension::x),
                                   indexConst(b, kElementwiseBlockSize));
  }
  Value acc = emitStridedMax(
      b, start, upper, step,
      [&](ImplicitLocOpBuilder &b, Value c, Value acc) {
        Value offset = b.create<arith::MulIOp>(c, indexConst(b, chunk));
        return accumulateChunk(b, input, offset, chunk, acc);
      });
  if (chip.hasReduxF32Max())
    atomicMaxAbsOverBlockRedux(
        b, b.create<arith::BitcastOp>(b.getF32Type(), acc), partials,
        kWarpsPerBlock, output);
  else
    atomicMaxOverBlock(b, acc, partials, kWarpsPerBlock, output);
  b.create<gpu::ReturnOp>();
}

//===----------------------------------------------------------------------===//
// Rowwise and block scaling
//===----------------------------------------------------------------------===//

namespace {
/// The shape facts of the grouped amax kernel.
struct GroupedAmaxShape {
  ScaleLayout layout;
  int64_t numGroups;
  int64_t chunk;
  /// Lanes that share one group.
  int64_t lanes;
};
} // namespace

/// The rowwise / block kernel: the `shape.lanes` lanes of each scale group
/// stride over its chunks (the group clipped at ragged edges), reduce within
/// the group, and the group's first lane stores its amax at `output[group]`.
/// With runtime rows (`runtimeRows` set), `shape.numGroups` counts the groups of
/// one row.
static void emitGroupedAmaxBody(ImplicitLocOpBuilder &b, Value input,
                                Value output, const GroupedAmaxShape &shape,
                                const ChipInfo &chip, Value runtimeRows) {
  const ScaleLayout &layout = shape.layout;
  Value thread = globalThreadIndex(b, kElementwiseBlockSize);
  Value lanes = indexConst(b, shape.lanes);
  Value group = b.create<arith::DivUIOp>(thread, lanes);
  Value laneInGroup = b.create<arith::RemUIOp>(thread, lanes);
  Value numGroups = indexConst(b, shape.numGroups);
  if (runtimeRows)
    numGroups = b.create<arith::MulIOp>(runtimeRows, numGroups);
  Value inRange =
      b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, group, numGroups);

  ScaleLayout::GroupOrigin origin = layout.buildGroupOrigin(b, group);
  Value firstRowInBatch = origin.rowInBatch;
  Value firstRow = origin.row;
  Value firstCol = origin.col;

  // Extents of this group, clipped at the ragged edges.
  Value rows = indexConst(b, layout.groupRows);
  if (layout.rowsPerBatch % layout.groupRows != 0)
    rows = b.create<arith::MinUIOp>(
        rows, b.create<arith::SubIOp>(indexConst(b, layout.rowsPerBatch),
                                      firstRowInBatch));
  Value cols = indexConst(b, layout.groupCols);
  if (layout.cols % layout.groupCols != 0)
    cols = b.create<arith::MinUIOp>(
        cols, b.create<arith::SubIOp>(indexConst(b, layout.cols), firstCol));
  Value chunksPerRow = b.create<arith::DivUIOp>(cols, indexConst(b, shape.chunk));
  Value numChunks = b.create<arith::MulIOp>(rows, chunksPerRow);
  numChunks = b.create<arith::SelectOp>(inRange, numChunks, indexConst(b, 0));

  Value acc = emitStridedMax(
      b, laneInGroup, numChunks, lanes,
      [&](ImplicitLocOpBuilder &b, Value i, Value acc) {
        Value row = b.create<arith::AddIOp>(
            firstRow, b.create<arith::DivUIOp>(i, chunksPerRow));
        Value col = b.create<arith::AddIOp>(
            firstCol,
            b.create<arith::MulIOp>(b.create<arith::RemUIOp>(i, chunksPerRow),
                                    indexConst(b, shape.chunk)));
        Value offset = b.create<arith::AddIOp>(
            b.create<arith::MulIOp>(row, indexConst(b, layout.cols)), col);
        return accumulateChunk(b, input, offset, shape.chunk, acc);
      });
  // Every lane shuffles (lanes past the last group hold 0).
  if (chip.hasReduxF32Max() && shape.lanes == 32)
    acc = absBits(b, warpMaxAbsRedux(
                         b, b.create<arith::BitcastOp>(b.getF32Type(), acc)));
  else
    acc = warpMaxU32(b, acc, shape.lanes);

  Value isFirstLane = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq,
                                              laneInGroup, indexConst(b, 0));
  Value writes = b.create<arith::AndIOp>(isFirstLane, inRange);
  auto ifWrites = b.create<scf::IfOp>(writes, /*withElseRegion=*/false);
  b.setInsertionPointToStart(&ifWrites.getThenRegion().front());
  Value amax = b.create<arith::BitcastOp>(b.getF32Type(), acc);
  b.create<memref::StoreOp>(amax, output, ValueRange{group});
  b.setInsertionPointAfter(ifWrites);
  b.create<gpu::ReturnOp>();
}

//===----------------------------------------------------------------------===//
// Planning
//===----------------------------------------------------------------------===//

FailureOr<KernelPlan> gpu_kernels::planAmaxKernel(AmaxOp op,
                                                  const ChipInfo &chip) {
  RankedTensorType inputType = op.getInput().getType();
  RankedTensorType resultType = op.getResult().getType();
  Type elementType = inputType.getElementType();
  ScalingAttr scaling = op.getScaling();
  // Dynamic shapes: the leading dims are the runtime rows, and every size
  // below is that of one row.
  bool runtimeRows = !inputType.hasStaticShape();
  if (runtimeRows && failed(checkRuntimeRowShape(op, inputType, scaling)))
    return failure();
  if (!elementType.isF32() && !elementType.isBF16() && !elementType.isF16())
    return op.emitOpError("has no GPU kernel for ")
           << elementType << " input (f32, bf16 or f16)";
  SmallVector<int64_t, 2> rowShape = {1, inputType.getShape().back()};
  ArrayRef<int64_t> shapeOfRows =
      runtimeRows ? ArrayRef(rowShape) : inputType.getShape();
  int64_t numElements = computeProduct(shapeOfRows);
  if (numElements == 0)
    return op.emitOpError("has no GPU kernel for empty tensors");

  int64_t elementBytes = elementType.getIntOrFloatBitWidth() / 8;
  ScaleLayout layout = ScaleLayout::get(scaling, shapeOfRows);
  int64_t numResults = scaling.isTensor() || !runtimeRows
                           ? resultType.getNumElements()
                           : layout.scaleCols;
  std::optional<RuntimeExtent> inputLength, resultLength;
  if (runtimeRows) {
    inputLength = RuntimeExtent{numElements, 1, 0};
    if (!scaling.isTensor())
      resultLength = RuntimeExtent{numResults, 1, 0};
  }

  KernelPlan plan;
  plan.name = "fp8_amax_" + typeName(elementType) + "_" +
              scalingName(scaling) + "_" + shapeName(inputType.getShape());
  plan.params = {
      {KernelParam::Kind::Input, "input", 0,
       kernelBufferType(numElements, elementType, inputLength)},
      {KernelParam::Kind::Output, "amax", 0,
       kernelBufferType(numResults, Float32Type::get(op.getContext()),
                        resultLength)},
  };
  plan.params[0].runtimeLength = inputLength;
  plan.params[1].runtimeLength = resultLength;
  plan.block = {kElementwiseBlockSize, 1, 1};
  if (runtimeRows) {
    plan.runtimeRows = RuntimeRows{0, rowDims(inputType)};
    addRuntimeRowsParam(plan, op.getContext());
  }
  // The runtime rows follow the buffers; the workgroup buffers come last.
  auto rowsArg = [runtimeRows](ValueRange args) {
    return runtimeRows ? args[2] : Value();
  };
  unsigned firstWorkgroupArg = runtimeRows ? 3 : 2;

  if (scaling.isTensor()) {
    int64_t chunk = chooseVectorWidth(elementBytes, {numElements});
    int64_t numChunks = numElements / chunk;
    int64_t gridSize = chooseTensorAmaxGridSize(numChunks);
    plan.params[1].zeroInit = true;
    plan.grid = {gridSize, 1, 1};
    // Runtime rows: the same heuristic as a formula of the rows (about 4
    // chunks a thread, at most 2 CTAs per SM of an H100); the kernel
    // strides by the launched grid.
    if (runtimeRows)
      plan.runtimeGrid[0] =
          RuntimeExtent{numChunks, kElementwiseBlockSize * 4,
                        chooseTensorAmaxGridSize(
                            std::numeric_limits<int32_t>::max())};
    // Per-warp partials: f32 with a float redux.sync (sm_100a), else i32
    // bit patterns (shuffles, sm_90a).
    Type partialType = chip.hasReduxF32Max()
                           ? Type(Float32Type::get(op.getContext()))
                           : Type(IntegerType::get(op.getContext(), 32));
    plan.workgroupBuffers.push_back(MemRefType::get(
        {kWarpsPerBlock}, partialType,
        MemRefLayoutAttrInterface(),
        gpu::AddressSpaceAttr::get(op.getContext(),
                                   gpu::AddressSpace::Workgroup)));
    plan.emitBody = [=](ImplicitLocOpBuilder &b, ValueRange args) {
      emitTensorAmaxBody(b, args[0], args[1], args[firstWorkgroupArg], chunk,
                         numChunks, gridSize, chip, rowsArg(args));
    };
    return plan;
  }

  GroupedAmaxShape shape;
  shape.layout = layout;
  shape.numGroups = numResults;
  shape.chunk = chooseVectorWidth(
      elementBytes, {shape.layout.cols, shape.layout.groupCols});
  int64_t chunksPerGroup =
      std::min(shape.layout.groupRows, shape.layout.rowsPerBatch) *
      std::min(shape.layout.groupCols, shape.layout.cols) / shape.chunk;
  shape.lanes = std::min<int64_t>(
      32, (int64_t)llvm::bit_floor(static_cast<uint64_t>(std::max<int64_t>(1, chunksPerGroup))));
  int64_t groupsPerBlock = kElementwiseBlockSize / shape.lanes;
  plan.grid = {ceilDiv(shape.numGroups, groupsPerBlock), 1, 1};
  if (runtimeRows)
    plan.runtimeGrid[0] = RuntimeExtent{shape.numGroups, groupsPerBlock, 0};
  plan.emitBody = [=](ImplicitLocOpBuilder &b, ValueRange args) {
    emitGroupedAmaxBody(b, args[0], args[1], shape, chip, rowsArg(args));
  };
  return plan;
}
