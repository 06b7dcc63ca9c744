//===- FusedQuantizeKernels.cpp - amax + scale + quantize in one kernel ---===//
//
// Part of fp8-mlir. The kernel of `%q, %s = fp8.quantize_with_amax %x`,
// which fp8-fuse-quantize makes of the chain
//
//   %a = fp8.amax %x {scaling = S}
//   %s = fp8.scale_from_amax %a {...}
//   %q = fp8.quantize %x, %s {scaling = S}
//
// with S rowwise or block [r, c]: one kernel that reads %x once and writes
// %q and %s. Every thread derives its group's scale with the very
// arith ops of the CPU lowering (buildScaleFromAmax), so GPU and CPU scales
// agree bit for bit. Two kernels, the first that applies wins:
//
// * warp per group (this file): S rowwise or [1, c] with c dividing the
//   row, and a group spans a power of two <= 32 of lanes of 16 (or fewer)
//   elements. Each thread owns a chunk of consecutive elements of one
//   group; the `lanes` consecutive lanes holding a group reduce its amax
//   with butterfly shuffles, every one of them derives the scale, quantizes
//   its chunk, and the group's first lane stores the scale.
// * CTA per group (FusedBlockQuantizeKernels.cpp): every other rowwise or
//   block scaling (wide rows, [1, c] with large or ragged c, [r, c] blocks
//   with ragged edges). One CTA loads its group into registers, reduces the
//   amax through the warps and shared memory, and quantizes the registers.
//
// Launch shape of the CTA-per-group kernel (the one heuristic of the fused
// kernels): for a group of E elements (R x C, clipped to the tensor),
//   chunk   = the largest of 16/8/4/2 dividing the row and the group width
//             (one 16-byte FP8 store; a chunk never crosses a group);
//   threads = bit_ceil(E / 32) clamped to [32, 512] (about 32 elements a
//             thread: [128, 128] -> 512 threads, a row of 4096 -> 128);
//   chunks  = ceil(E / chunk / threads) per thread, kept in registers.
// Not fused (the three kernels remain): groups that would need more than 64
// elements a thread (more than 32768 elements, e.g. rows wider than 32K),
// since registers are what make one read of %x enough (see
// FusedBlockQuantizeKernels.cpp) and 64 f32 values is what a 512-thread CTA
// holds without spills (at most 128 registers a thread); groups of fewer
// than 32 chunks (e.g. [1, 32] on rows not a multiple of 32), which would
// leave most of a CTA's only warp idle; odd row or group widths (no FP8
// pairs).
// Tensor scaling stays unfused: its scale needs a grid-wide amax first.
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
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

/// The launch heuristic of the CTA-per-group kernel (see the file header).
static constexpr int64_t kTargetElementsPerThread = 32;
static constexpr int64_t kMaxThreadsPerGroup = 512;
static constexpr int64_t kMaxElementsPerThread = 64;

namespace {

/// What specializes one warp-per-group kernel.
struct FusedWarpShape {
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

/// Which fused kernel handles a quantize, and its shape.
struct FusedKernel {
  enum class Kind { None, Warp, Block };
  Kind kind = Kind::None;
  FusedWarpShape warp;
  FusedBlockShape block;
};

} // namespace

/// The group width of `scaling` on rows of `cols` elements when the
/// warp-per-group kernel handles it: the whole row (rowwise) or c (block
/// [1, c] with c dividing the row); 0 otherwise.
static int64_t getWarpGroupCols(ScalingAttr scaling, int64_t cols) {
  if (scaling.isRowwise())
    return cols;
  if (scaling.isTensor() || scaling.getBlock()[0] != 1)
    return 0;
  int64_t c = scaling.getBlock()[1];
  return cols % c == 0 ? c : 0;
}

/// Fills `result` when the warp-per-group kernel handles `input` under
/// `scaling`.
static bool getWarpShape(RankedTensorType input, ScalingAttr scaling,
                         FusedWarpShape &result) {
  int64_t cols = input.getShape().back();
  result.groupCols = getWarpGroupCols(scaling, cols);
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

/// Fills `result` with the launch shape of the CTA-per-group kernel for
/// `input` under `scaling` (the heuristic of the file header) when the
/// kernel handles it.
static bool getBlockShape(RankedTensorType input, ScalingAttr scaling,
                          FusedBlockShape &result) {
  result.layout = ScaleLayout::get(scaling, input.getShape());
  result.chunk = chooseVectorWidth(
      /*elementBytes=*/1, {result.layout.cols, result.layout.groupCols});
  if (result.chunk < 2)
    return false;
  int64_t elements = result.groupRows() * result.groupCols();
  result.threads = std::clamp<int64_t>(
      llvm::PowerOf2Ceil(llvm::divideCeil(elements, kTargetElementsPerThread)),
      32, kMaxThreadsPerGroup);
  result.chunksPerThread =
      llvm::divideCeil(result.chunksPerGroup(), result.threads);
  return result.chunksPerGroup() >= 32 &&
         result.chunksPerThread * result.chunk <= kMaxElementsPerThread;
}

/// The fused kernel quantizing `input` to `outType` under `scaling`, if any.
static FusedKernel chooseFusedKernel(RankedTensorType input,
                                     ScalingAttr scaling, Type outType) {
  FusedKernel kernel;
  if (!input.hasStaticShape() || input.getRank() < 2 ||
      input.getNumElements() == 0 || scaling.isTensor() ||
      !isa<Float8E4M3FNType, Float8E5M2Type>(outType) ||
      !isa<Float32Type, BFloat16Type, Float16Type>(input.getElementType()))
    return kernel;
  if (getWarpShape(input, scaling, kernel.warp))
    kernel.kind = FusedKernel::Kind::Warp;
  else if (getBlockShape(input, scaling, kernel.block))
    kernel.kind = FusedKernel::Kind::Block;
  return kernel;
}

bool gpu_kernels::hasFusedQuantizeKernel(RankedTensorType input,
                                         ScalingAttr scaling, Type outType) {
  return chooseFusedKernel(input, scaling, outType).kind !=
         FusedKernel::Kind::None;
}

/// The scale rule of `op`, as fp8-lower-to-linalg reads it.
static lowering::ScaleRule getScaleRule(QuantizeWithAmaxOp op) {
  lowering::ScaleRule rule;
  rule.format = op.getFormat();
  rule.margin = op.getMargin();
  rule.pow2 = op.getPow2();
  rule.scaleType = op.getScale().getType().getElementType();
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

/// The warp-per-group kernel body: see the file header.
static void emitFusedWarpBody(ImplicitLocOpBuilder &b,
                              const FusedWarpShape &shape,
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
  Value q = quantizePairsToFP8(b, elements, scale, outType, saturate);

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
static std::string ruleName(QuantizeWithAmaxOp op) {
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
gpu_kernels::planFusedQuantizeKernel(QuantizeWithAmaxOp op,
                                     const ChipInfo &chip) {
  RankedTensorType inputType = op.getInput().getType();
  Type inType = inputType.getElementType();
  Type outType = op.getResult().getType().getElementType();
  FusedKernel kernel = chooseFusedKernel(inputType, op.getScaling(), outType);
  if (kernel.kind == FusedKernel::Kind::None)
    return op.emitOpError("has no fused amax/scale/quantize kernel for "
                          "these shapes and scaling");
  RankedTensorType scaleType = op.getScale().getType();
  Type scaleElement = scaleType.getElementType();
  int64_t numElements = inputType.getNumElements();
  bool saturate = op.getSaturate();
  lowering::ScaleRule rule = getScaleRule(op);

  KernelPlan plan;
  plan.name = "fp8_fused_quantize_" + typeName(inType) + "_" +
              typeName(outType) + "_" + scalingName(op.getScaling()) + "_" +
              shapeName(inputType.getShape()) + "_" + typeName(scaleElement) +
              ruleName(op);
  if (!saturate)
    plan.name += "_nosat";
  plan.params = {
      {KernelParam::Kind::Input, "input", 0,
       MemRefType::get({numElements}, inType)},
      {KernelParam::Kind::Output, "output", 0,
       MemRefType::get({numElements}, outType)},
      {KernelParam::Kind::Output, "scale", 1,
       MemRefType::get({scaleType.getNumElements()}, scaleElement)},
  };

  if (kernel.kind == FusedKernel::Kind::Warp) {
    // The paired cvt and shuffles exist on sm_90a and sm_100a alike.
    FusedWarpShape shape = kernel.warp;
    plan.grid = {ceilDiv(shape.numChunks(), kElementwiseBlockSize), 1, 1};
    plan.block = {kElementwiseBlockSize, 1, 1};
    plan.emitBody = [shape, rule, outType, saturate](ImplicitLocOpBuilder &b,
                                                     ValueRange args) {
      emitFusedWarpBody(b, shape, rule, outType, saturate, args[0], args[1],
                        args[2]);
    };
    return plan;
  }

  FusedBlockShape shape = kernel.block;
  // One CTA per scale group.
  plan.grid = {scaleType.getNumElements(), 1, 1};
  plan.block = {shape.threads, 1, 1};
  // One amax partial per warp (i32 |x| bit patterns).
  if (shape.numWarps() > 1)
    plan.workgroupBuffers.push_back(MemRefType::get(
        {shape.numWarps()}, IntegerType::get(op.getContext(), 32),
        MemRefLayoutAttrInterface(),
        gpu::AddressSpaceAttr::get(op.getContext(),
                                   gpu::AddressSpace::Workgroup)));
  plan.emitBody = [shape, rule, outType, saturate,
                   chip](ImplicitLocOpBuilder &b, ValueRange args) {
    auto groupScale = [&](ImplicitLocOpBuilder &b, Value amax) {
      return buildScale(b, amax, rule);
    };
    emitFusedBlockQuantizeBody(b, shape, outType, saturate, chip, groupScale,
                               args);
  };
  return plan;
}
