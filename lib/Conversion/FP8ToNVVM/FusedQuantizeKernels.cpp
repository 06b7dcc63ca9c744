//===- FusedQuantizeKernels.cpp - amax + scale + quantize in one kernel ---===//
//
// Part of fp8-mlir. The chain
//
//   %a = fp8.amax %x {scaling = S}
//   %s = fp8.scale_from_amax %a {...}
//   %q = fp8.quantize %x, %s {scaling = S}
//
// with S rowwise or block [1, c] becomes one kernel that reads %x once and
// writes %q and %s. Each thread owns a chunk of consecutive elements of one
// scale group; the `lanes` consecutive lanes of a warp that hold a group
// reduce its amax with butterfly shuffles, every one of them derives the
// scale with the very arith ops of the CPU lowering (buildScaleFromAmax),
// quantizes its chunk, and the group's first lane stores the scale.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

// The scalar scale rule of fp8-lower-to-linalg, emitted here unchanged so
// the GPU scales are those of the CPU reference bit for bit.
#include "fp8/Dialect/FP8/Transforms/LowerToLinalgUtils.h"

#include "fp8/Dialect/FP8/IR/FP8Types.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

namespace {

/// What specializes one fused kernel.
struct FusedShape {
  SmallVector<int64_t> shape;
  int64_t numElements = 0;
  /// Consecutive elements of one scale group along the last dimension.
  int64_t groupCols = 0;
  /// Elements per thread.
  int64_t chunk = 0;
  /// Threads (consecutive lanes of one warp) per scale group.
  int64_t lanes = 0;

  int64_t numChunks() const { return numElements / chunk; }
  int64_t numGroups() const { return numElements / groupCols; }
};

} // namespace

/// The group width of `scaling` on rows of `cols` elements when the fused
/// kernel handles it: the whole row (rowwise) or c (block [1, c] with c
/// dividing the row); 0 otherwise.
static int64_t getGroupCols(ScalingAttr scaling, int64_t cols) {
  if (scaling.isRowwise())
    return cols;
  if (scaling.isTensor() || scaling.getBlock()[0] != 1)
    return 0;
  int64_t c = scaling.getBlock()[1];
  return cols % c == 0 ? c : 0;
}

/// Fills `result` when the fused kernel handles `op`'s shapes and types.
static bool getFusedShape(QuantizeOp op, FusedShape &result) {
  RankedTensorType input = op.getInput().getType();
  Type outType = op.getResult().getType().getElementType();
  if (!input.hasStaticShape() || input.getRank() < 2 ||
      input.getNumElements() == 0 ||
      !isa<Float8E4M3FNType, Float8E5M2Type>(outType) ||
      !isa<Float32Type, BFloat16Type, Float16Type>(input.getElementType()))
    return false;
  int64_t cols = input.getShape().back();
  result.groupCols = getGroupCols(op.getScaling(), cols);
  if (result.groupCols == 0)
    return false;
  result.shape = llvm::to_vector(input.getShape());
  result.numElements = input.getNumElements();
  result.chunk = chooseVectorWidth(/*elementBytes=*/1, {result.groupCols});
  result.lanes = result.groupCols / result.chunk;
  // Pairs feed the x2 converts; a group must fit one warp's shuffles.
  return result.chunk >= 2 && result.lanes <= 32 &&
         llvm::isPowerOf2_64(result.lanes);
}

ScaleFromAmaxOp gpu_kernels::getFusableScaleFromAmax(QuantizeOp op) {
  auto scale = op.getScale().getDefiningOp<ScaleFromAmaxOp>();
  // A transposed input keeps the transposing kernels, which read it in place.
  if (!scale || getFusableTransposeSource(op))
    return nullptr;
  auto amax = scale.getAmax().getDefiningOp<AmaxOp>();
  if (!amax || amax.getInput() != op.getInput() ||
      amax.getScaling() != op.getScaling())
    return nullptr;
  // The scales are produced at the launch, i.e. at `op`: every other user
  // must come after it.
  for (Operation *user : scale->getUsers())
    if (user != op.getOperation() &&
        (user->getBlock() != op->getBlock() || !op->isBeforeInBlock(user)))
      return nullptr;
  FusedShape shape;
  if (!getFusedShape(op, shape))
    return nullptr;
  return scale;
}

/// The scale rule of `op`, as fp8-lower-to-linalg reads it.
static lowering::ScaleRule getScaleRule(ScaleFromAmaxOp op) {
  lowering::ScaleRule rule;
  rule.format = op.getFormat();
  rule.margin = op.getMargin();
  rule.pow2 = op.getPow2();
  rule.scaleType = op.getType().getElementType();
  rule.mxRounding = op.getMxScale().value_or(MXScaleRounding::ceil);
  return rule;
}

/// The decode scale of `amax` under `rule` as f32 and as the stored element
/// (f32, or the E8M0 byte). buildScaleFromAmax ends E8M0 scales with an
/// `arith.truncf`, which no GPU lowering handles; the scale is an exact
/// power of two 2^e, e in [-127, 127], whose E8M0 byte e + 127 is the f32
/// exponent field (0 for the subnormal 2^-127), so it is read off the bits.
static std::pair<Value, Value> buildScale(ImplicitLocOpBuilder &b, Value amax,
                                          const lowering::ScaleRule &rule) {
  Value scale = lowering::buildScaleFromAmax(b, b.getLoc(), amax, rule);
  if (scale.getType().isF32())
    return {scale, scale};
  auto trunc = scale.getDefiningOp<arith::TruncFOp>();
  assert(trunc && "E8M0 scales end in arith.truncf");
  Value f32Scale = trunc.getIn();
  trunc.erase();
  Value bits = b.create<arith::BitcastOp>(b.getI32Type(), f32Scale);
  Value exponent = b.create<arith::ShRUIOp>(bits, i32Const(b, 23));
  Value byte = b.create<arith::TruncIOp>(b.getI8Type(), exponent);
  return {f32Scale, b.create<arith::BitcastOp>(rule.scaleType, byte)};
}

/// The kernel body: see the file header.
static void emitFusedBody(ImplicitLocOpBuilder &b, const FusedShape &shape,
                          const lowering::ScaleRule &rule, Type outType,
                          bool saturate, Value input, Value output,
                          Value scales) {
  // Threads past the end redo the last chunks (their groups are whole, as
  // numChunks is a multiple of lanes) so every lane takes part in the
  // shuffles, and store nothing.
  Value chunkIndex = globalThreadIndex(b, kElementwiseBlockSize);
  Value last = indexConst(b, shape.numChunks() - 1);
  Value inRange =
      b.create<arith::CmpIOp>(arith::CmpIPredicate::ule, chunkIndex, last);
  Value clamped = b.create<arith::MinUIOp>(chunkIndex, last);
  Value offset = b.create<arith::MulIOp>(clamped, indexConst(b, shape.chunk));

  auto inputType = cast<MemRefType>(input.getType());
  Value x = loadAligned(
      b, input, offset,
      VectorType::get({shape.chunk}, inputType.getElementType()));
  SmallVector<Value> elements;
  Value bits;
  for (int64_t i = 0; i < shape.chunk; ++i) {
    elements.push_back(
        extendToF32(b, b.create<vector::ExtractOp>(x, i).getResult()));
    Value elementBits = absBits(b, elements.back());
    bits = bits ? b.create<arith::MaxUIOp>(bits, elementBits).getResult()
                : elementBits;
  }
  // The unsigned max of |x| bit patterns is the NaN-propagating amax.
  bits = warpMaxU32(b, bits, shape.lanes);
  Value amax = b.create<arith::BitcastOp>(b.getF32Type(), bits);
  auto [scale, storedScale] = buildScale(b, amax, rule);

  SmallVector<Value> pairs;
  for (int64_t i = 0; i < shape.chunk; i += 2) {
    Value lo = b.create<arith::DivFOp>(elements[i], scale);
    Value hi = b.create<arith::DivFOp>(elements[i + 1], scale);
    pairs.push_back(convertPairToFP8(b, lo, hi, outType, saturate));
  }
  Value packed = b.create<vector::FromElementsOp>(
      VectorType::get({shape.chunk / 2}, b.getI16Type()), pairs);
  Value q = b.create<vector::BitCastOp>(
      VectorType::get({shape.chunk}, outType), packed);

  auto guard = b.create<scf::IfOp>(inRange, /*withElseRegion=*/false);
  b.setInsertionPointToStart(&guard.getThenRegion().front());
  storeAligned(b, q, output, offset);
  Value lane = b.create<arith::RemUIOp>(chunkIndex, indexConst(b, shape.lanes));
  Value isFirst = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, lane,
                                          indexConst(b, 0));
  auto first = b.create<scf::IfOp>(isFirst, /*withElseRegion=*/false);
  b.setInsertionPointToStart(&first.getThenRegion().front());
  Value group = b.create<arith::DivUIOp>(offset, indexConst(b, shape.groupCols));
  b.create<memref::StoreOp>(storedScale, scales, group);
  b.setInsertionPointAfter(guard);
  b.create<gpu::ReturnOp>();
}

/// `_m<margin>`, `_pow2`, `_floor`: the parts of the rule beyond the types.
static std::string ruleName(ScaleFromAmaxOp op) {
  std::string name = "_" + typeName(op.getFormat());
  if (op.getMargin() != 0)
    name += "_m" + std::to_string(op.getMargin());
  if (op.getPow2())
    name += "_pow2";
  if (op.getMxScale() == MXScaleRounding::floor)
    name += "_floor";
  return name;
}

FailureOr<KernelPlan>
gpu_kernels::planFusedQuantizeKernel(QuantizeOp op, ScaleFromAmaxOp scale,
                                     Chip chip) {
  (void)chip; // The paired cvt and shuffles exist on sm_90a and sm_100a.
  FusedShape shape;
  if (!getFusedShape(op, shape))
    return op->emitOpError("has no fused amax/scale/quantize kernel for "
                           "these shapes and scaling");
  Type inType = op.getInput().getType().getElementType();
  Type outType = op.getResult().getType().getElementType();
  RankedTensorType scaleType = scale.getType();
  Type scaleElement = scaleType.getElementType();
  bool saturate = op.getSaturate();
  lowering::ScaleRule rule = getScaleRule(scale);

  KernelPlan plan;
  plan.name = "fp8_fused_quantize_" + typeName(inType) + "_" +
              typeName(outType) + "_" + scalingName(op.getScaling()) + "_" +
              shapeName(shape.shape) + "_" + typeName(scaleElement) +
              ruleName(scale);
  if (!saturate)
    plan.name += "_nosat";
  KernelParam scaleOutput{KernelParam::Kind::Output, "scale", 0,
                          MemRefType::get({shape.numGroups()}, scaleElement)};
  scaleOutput.replaces = scale.getResult();
  plan.params = {
      {KernelParam::Kind::Input, "input", 0,
       MemRefType::get({shape.numElements}, inType)},
      {KernelParam::Kind::Output, "output", 0,
       MemRefType::get({shape.numElements}, outType)},
      scaleOutput,
  };
  plan.grid = {(shape.numChunks() + kElementwiseBlockSize - 1) /
                   kElementwiseBlockSize,
               1, 1};
  plan.block = {kElementwiseBlockSize, 1, 1};
  plan.emitBody = [shape, rule, outType, saturate](ImplicitLocOpBuilder &b,
                                                   ValueRange args) {
    emitFusedBody(b, shape, rule, outType, saturate, args[0], args[1],
                  args[2]);
  };
  return plan;
}
