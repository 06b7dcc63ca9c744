//===- QuantizeMatmuls.cpp - Matmuls to scaled FP8 matmuls ----------------===//
//
// Part of fp8-mlir. Rewrites matmul-like linalg ops on f32/bf16/f16 into
//
//   amax -> scale_from_amax -> quantize (per operand) -> scaled_matmul
//
// with formats and scalings chosen per operand role by the recipe
// (Recipe.h), operands laid out K-major, and one amax, scale and quantize
// per (value, scaling, format) in a function.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/IR/FP8Dialect.h"
#include "fp8/Dialect/FP8/IR/FP8Ops.h"
#include "fp8/Dialect/FP8/IR/FP8Types.h"
#include "fp8/Dialect/FP8/Transforms/FuseBias.h"
#include "fp8/Dialect/FP8/Transforms/HighPrecisionMatmuls.h"
#include "fp8/Dialect/FP8/Transforms/KeptLayers.h"
#include "fp8/Dialect/FP8/Transforms/MatmulMatchers.h"
#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "fp8/Dialect/FP8/Transforms/Recipe.h"
#include "fp8/Dialect/FP8/Transforms/Roles.h"
#include "fp8/Dialect/FP8/Transforms/StaticAmax.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::fp8 {
#define GEN_PASS_DEF_FP8QUANTIZEMATMULS
#include "fp8/Dialect/FP8/Transforms/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;
using namespace mlir::fp8;

//===----------------------------------------------------------------------===//
// Operand quantization
//===----------------------------------------------------------------------===//

namespace {
/// A quantized matmul operand: FP8 data in K-major layout and its scales.
struct QuantizedOperand {
  Value data;
  Value scale;
  ScalingAttr scaling;
  /// The per-tensor f32 scale of two-level (NVFP4) scaling, else null.
  Value global;
};

/// Emits the K-major layout, amax, scale and quantized data of matmul
/// operands, once per (value, scaling, format) in a function: a value that
/// feeds several matmuls is measured and quantized once.
///
/// Placement: every op made here belongs to the group of a *base*, a value
/// of the original IR: the source a transpose reads, the (original) data
/// an amax or quantize reads, or the base of the op it reads. A group sits
/// right after its base's definition (at the start of the block for a block
/// argument), in the order its ops are made. So the ops dominate every
/// matmul that reads the base, and no position in a block ever has to be
/// compared (Operation::isBeforeInBlock would renumber the block after
/// each insertion, quadratic on large functions).
class OperandQuantizer {
public:
  explicit OperandQuantizer(OpBuilder &builder) : builder(builder) {}

  /// Quantizes `value`, which becomes K-major through `toKMajor` (a
  /// transpose permutation), as `how` says.
  QuantizedOperand quantize(Value value, ArrayRef<int64_t> toKMajor,
                            const OperandQuantization &how);

private:
  Value getTransposed(Value source, ArrayRef<int64_t> permutation);
  /// `fp8.hadamard` of `kMajor` along K (its last dim), to f32.
  Value getHadamard(Value kMajor, ArrayRef<bool> signs);
  Value getAmax(Value input, ScalingAttr scaling);
  /// The scales of `amax` under `how`; `global` is the per-tensor scale of
  /// two-level (NVFP4) block scales, else null.
  Value getScale(Value amax, const OperandQuantization &how,
                 Value global = Value());
  /// The per-tensor f32 scale of two-level (NVFP4) scaling of `kMajor`:
  /// `fp8.scale_from_amax {block_scale_type}` of its per-tensor amax.
  Value getTwoLevelGlobalScale(Value kMajor, const OperandQuantization &how);

  /// The base of `value`: itself for a value of the original IR, else the
  /// base of the op made here that defines it.
  Value getBase(Value value) const;
  /// Puts the insertion point at the end of the group of `base`.
  void setInsertionPointInGroup(Value base);
  /// Records the ops made since setInsertionPointInGroup(base), ending with
  /// the one defining `made`, as the tail of the group of `base`.
  void addToGroup(Value base, Value made);

  OpBuilder &builder;
  /// The base of each op made here.
  DenseMap<Operation *, Value> bases;
  /// The last op of each base's group.
  DenseMap<Value, Operation *> groupEnds;
  /// The first op of a block before anything was inserted there.
  DenseMap<Block *, Operation *> blockStarts;
  DenseMap<std::pair<Value, Attribute>, Value> transposes;
  DenseMap<std::pair<Value, Attribute>, Value> amaxes;
  DenseMap<std::pair<Value, Type>, Value> scales;
  DenseMap<std::pair<Value, Type>, Value> twoLevelGlobals;
  DenseMap<std::pair<Value, Attribute>, Value> hadamards;
  /// Keyed by (K-major data, scaling, format, stochastic rounding seed or
  /// -1).
  DenseMap<std::tuple<Value, Attribute, Type, int64_t>, QuantizedOperand>
      quantized;
  /// Stochastically rounded quantizes made so far: the n-th gets
  /// `sr_offset = n * kSROffsetStride`, so no two share random bits.
  int64_t numStochasticQuantizes = 0;
};

/// The distance between the `sr_offset`s of two stochastically rounded
/// quantizes of one function: 2^40 words of random bits (2^42 elements)
/// each.
constexpr int64_t kSROffsetStride = int64_t(1) << 40;
} // namespace

Value OperandQuantizer::getBase(Value value) const {
  if (Operation *def = value.getDefiningOp())
    if (Value base = bases.lookup(def))
      return base;
  return value;
}

void OperandQuantizer::setInsertionPointInGroup(Value base) {
  if (Operation *end = groupEnds.lookup(base)) {
    builder.setInsertionPointAfter(end);
  } else if (Operation *def = base.getDefiningOp()) {
    builder.setInsertionPointAfter(def);
  } else {
    // A block argument: before the block's first original op, so the groups
    // of several arguments keep the order they are made in.
    Block *block = base.getParentBlock();
    auto [it, inserted] = blockStarts.try_emplace(block, nullptr);
    if (inserted)
      it->second = &block->front();
    builder.setInsertionPoint(it->second);
  }
}

void OperandQuantizer::addToGroup(Value base, Value made) {
  Operation *def = made.getDefiningOp();
  bases[def] = base;
  groupEnds[base] = def;
}

Value OperandQuantizer::getTransposed(Value source,
                                      ArrayRef<int64_t> permutation) {
  Attribute key = builder.getDenseI64ArrayAttr(permutation);
  Value &transposed = transposes[{source, key}];
  if (transposed)
    return transposed;
  Value base = getBase(source);
  setInsertionPointInGroup(base);
  Location loc = source.getLoc();
  SmallVector<OpFoldResult> sizes = applyPermutation(
      tensor::getMixedSizes(builder, loc, source), permutation);
  auto sourceType = cast<RankedTensorType>(source.getType());
  Value init =
      tensor::EmptyOp::create(builder, loc, sizes, sourceType.getElementType());
  transposed =
      linalg::TransposeOp::create(builder, loc, source, init, permutation)
          ->getResult(0);
  addToGroup(base, transposed);
  return transposed;
}

Value OperandQuantizer::getHadamard(Value kMajor, ArrayRef<bool> signs) {
  Attribute key = builder.getDenseBoolArrayAttr(signs);
  Value &transformed = hadamards[{kMajor, key}];
  if (transformed)
    return transformed;
  Value base = getBase(kMajor);
  setInsertionPointInGroup(base);
  auto type = cast<RankedTensorType>(kMajor.getType());
  transformed = HadamardOp::create(builder, kMajor.getLoc(),
                                   type.clone(builder.getF32Type()), kMajor,
                                   builder.getDenseBoolArrayAttr(signs));
  addToGroup(base, transformed);
  return transformed;
}

Value OperandQuantizer::getAmax(Value input, ScalingAttr scaling) {
  Value &amax = amaxes[{input, scaling}];
  if (amax)
    return amax;
  Value base = getBase(input);
  setInsertionPointInGroup(base);
  auto inputType = cast<RankedTensorType>(input.getType());
  auto amaxType = RankedTensorType::get(
      scaling.getScaleShape(inputType.getShape()), builder.getF32Type());
  amax = AmaxOp::create(builder, input.getLoc(), amaxType, input, scaling);
  addToGroup(base, amax);
  return amax;
}

Value OperandQuantizer::getScale(Value amax, const OperandQuantization &how,
                                 Value global) {
  Value &scale = scales[{amax, how.format}];
  if (scale)
    return scale;
  Value base = getBase(amax);
  setInsertionPointInGroup(base);
  auto amaxType = cast<RankedTensorType>(amax.getType());
  auto scaleType = amaxType.clone(how.scaleElementType);
  MXScaleRoundingAttr mxScale;
  if (how.mxScale)
    mxScale = MXScaleRoundingAttr::get(builder.getContext(), *how.mxScale);
  scale = ScaleFromAmaxOp::create(
      builder, amax.getLoc(), scaleType, amax, global,
      TypeAttr::get(how.format), builder.getI64IntegerAttr(how.margin),
      how.pow2 ? builder.getUnitAttr() : UnitAttr(), mxScale,
      /*block_scale_type=*/TypeAttr());
  addToGroup(base, scale);
  return scale;
}

Value OperandQuantizer::getTwoLevelGlobalScale(Value kMajor,
                                               const OperandQuantization &how) {
  // The per-tensor amax does not depend on the layout: measure the
  // untransposed source, as one-scale-per-tensor recipes do.
  SmallVector<int64_t> ignored(
      cast<RankedTensorType>(kMajor.getType()).getRank());
  Value source = lookThroughTransposes(kMajor, ignored);
  Value amax =
      getAmax(source, ScalingAttr::get(builder.getContext(), ScalingKind::tensor));
  Value &global = twoLevelGlobals[{amax, how.format}];
  if (global)
    return global;
  Value base = getBase(amax);
  setInsertionPointInGroup(base);
  global = ScaleFromAmaxOp::create(
      builder, amax.getLoc(), amax.getType(), amax, /*global_scale=*/Value(),
      TypeAttr::get(how.format), builder.getI64IntegerAttr(how.margin),
      UnitAttr(), MXScaleRoundingAttr(),
      TypeAttr::get(how.scaleElementType));
  addToGroup(base, global);
  return global;
}

QuantizedOperand OperandQuantizer::quantize(Value value,
                                            ArrayRef<int64_t> toKMajor,
                                            const OperandQuantization &how) {
  // The K-major layout: the value itself, the source of the transposes it
  // comes from, or a new transpose of that source (which the GPU lowering
  // fuses into the quantize kernel).
  SmallVector<int64_t> permutation(toKMajor);
  Value kMajor = value;
  if (!isIdentityPermutation(permutation)) {
    Value source = lookThroughTransposes(value, permutation);
    kMajor = isIdentityPermutation(permutation)
                 ? source
                 : getTransposed(source, permutation);
  }

  // The random Hadamard transform (weight gradients under nvfp4) comes
  // between the layout and the quantization: amaxes and scales are those of
  // the transformed data.
  if (!how.hadamardSigns.empty())
    kMajor = getHadamard(kMajor, how.hadamardSigns);

  auto key = std::make_tuple(kMajor, Attribute(how.scaling), how.format,
                             how.srSeed.value_or(-1));
  auto it = quantized.find(key);
  if (it != quantized.end())
    return it->second;

  // One scale for the whole tensor does not depend on the layout: measure
  // the untransposed source, which other matmuls may share.
  Value amaxInput = kMajor;
  if (how.scaling.isTensor()) {
    SmallVector<int64_t> ignored(
        cast<RankedTensorType>(kMajor.getType()).getRank());
    amaxInput = lookThroughTransposes(kMajor, ignored);
  }
  Value global;
  if (how.isTwoLevel())
    global = getTwoLevelGlobalScale(kMajor, how);
  Value scale = getScale(getAmax(amaxInput, how.scaling), how, global);

  // The scale's base is kMajor's base or (for a per-tensor amax) the source
  // kMajor is transposed from, which comes first: kMajor's group is the
  // later one.
  Value base = getBase(kMajor);
  setInsertionPointInGroup(base);
  auto kMajorType = cast<RankedTensorType>(kMajor.getType());
  IntegerAttr srSeed, srOffset;
  if (how.srSeed) {
    srSeed = builder.getI64IntegerAttr(*how.srSeed);
    srOffset =
        builder.getI64IntegerAttr(numStochasticQuantizes++ * kSROffsetStride);
  }
  Value data = QuantizeOp::create(
      builder, kMajor.getLoc(), kMajorType.clone(how.format), kMajor, scale,
      global, how.scaling, builder.getBoolAttr(true), srSeed, srOffset);
  addToGroup(base, data);
  QuantizedOperand result{data, scale, how.scaling, global};
  quantized[key] = result;
  return result;
}

//===----------------------------------------------------------------------===//
// Deciding what to quantize
//===----------------------------------------------------------------------===//

/// True when `init` holds zeros or nothing a matmul should add:
/// `tensor.empty`, `bufferization.alloc_tensor`, a zero constant or a
/// `linalg.fill` with zero, also seen through a `tensor.collapse_shape`
/// (the init of a matmul whose M dims were collapsed).
static bool isZeroAccumulator(Value init) {
  if (auto collapse = init.getDefiningOp<tensor::CollapseShapeOp>())
    init = collapse.getSrc();
  Operation *def = init.getDefiningOp();
  if (!def)
    return false;
  if (isa<tensor::EmptyOp, bufferization::AllocTensorOp>(def))
    return true;
  if (matchPattern(init, m_AnyZeroFloat()))
    return true;
  if (auto fill = dyn_cast<linalg::FillOp>(def))
    return matchPattern(fill.getInputs().front(), m_AnyZeroFloat());
  return false;
}

/// The element type of a shaped value.
static Type getElementType(Value value) {
  return cast<ShapedType>(value.getType()).getElementType();
}

/// True for the FP8/FP6/FP4 formats and every other float of 8 bits or
/// fewer.
static bool isNarrowFloat(Type type) {
  return isNarrowDataType(type) ||
         (isa<FloatType>(type) && type.getIntOrFloatBitWidth() <= 8);
}

/// Returns why the element types of a matched matmul rule quantization
/// out, or an empty string when they are f32/bf16/f16.
static std::string checkElementTypes(const MatmulView &view) {
  Type a = getElementType(view.a), b = getElementType(view.b);
  Type result = getElementType(view.init);
  std::string types = llvm::formatv("({0} x {1} -> {2})", a, b, result).str();
  if (isa<IntegerType, IndexType>(a) || isa<IntegerType, IndexType>(b))
    return "integer matmul " + types +
           "; FP8 quantization applies to floating-point matmuls";
  for (auto [name, type] : {std::make_pair("A", a), std::make_pair("B", b)})
    if (isNarrowFloat(type))
      return llvm::formatv("operand {0} is already {1}", name, type).str();
  if (!isWideFloatType(a) || !isWideFloatType(b) || !isWideFloatType(result))
    return "element types " + types + " are not all f32, bf16 or f16";
  return "";
}

/// The number of flops `2 * batch * M * N * K` of a static matmul,
/// saturating at the largest uint64_t.
static uint64_t getFlops(MatmulView &view) {
  uint64_t flops = 2;
  for (int64_t size : view.getLoopSizes())
    flops = llvm::SaturatingMultiply(flops, static_cast<uint64_t>(size));
  return flops;
}

/// True when a loop of `view` (so an operand or the init) has a dynamic size.
static bool hasDynamicShape(MatmulView &view) {
  return llvm::any_of(view.getLoopSizes(), ShapedType::isDynamic);
}

//===----------------------------------------------------------------------===//
// The rewrite
//===----------------------------------------------------------------------===//

/// Replaces the matched matmul by quantized operands and one
/// fp8.scaled_matmul (B K-major, `transpose_b`), transposed to the init's
/// layout where that is not `[b..., M, N]`, plus the init where it is not
/// zero. Returns the scaled_matmul where its result replaces the matmul's
/// directly (so a bias add may be fused into it), else null.
static ScaledMatmulOp rewriteMatmul(MatmulView &view, OperandQuantizer &quantizer,
                          const OperandQuantization &aHow,
                          const OperandQuantization &bHow, OpBuilder &builder) {
  QuantizedOperand a = quantizer.quantize(view.a, view.aToKMajor, aHow);
  QuantizedOperand b = quantizer.quantize(view.b, view.bToKMajor, bHow);

  Operation *op = view.op;
  Location loc = op->getLoc();
  builder.setInsertionPoint(op);
  auto initType = cast<RankedTensorType>(view.init.getType());
  // Canonical dim resultToInit[j] is init dim j.
  SmallVector<int64_t> resultShape(initType.getRank());
  for (auto [initDim, canonicalDim] : llvm::enumerate(view.resultToInit))
    resultShape[canonicalDim] = initType.getDimSize(initDim);
  auto initShapedType = initType.clone(resultShape);
  // A dim the init leaves dynamic is static in the result where the operands
  // fix it (A is [b..., M, K], B [b..., N, K]): the verifier requires that.
  auto aType = cast<RankedTensorType>(a.data.getType());
  auto bType = cast<RankedTensorType>(b.data.getType());
  int64_t rank = initType.getRank();
  if (aType.getRank() == rank && bType.getRank() == rank) {
    for (int64_t dim = 0; dim < rank; ++dim) {
      if (!ShapedType::isDynamic(resultShape[dim]))
        continue;
      if (dim == rank - 1)
        resultShape[dim] = bType.getDimSize(rank - 2);
      else
        resultShape[dim] = aType.getDimSize(dim);
    }
  }
  auto resultType = initType.clone(resultShape);
  ScaledMatmulOp scaled = ScaledMatmulOp::create(
      builder, loc, resultType, /*amax=*/Type(), a.data, a.scale, b.data,
      b.scale, /*bias=*/Value(), /*out_scale=*/Value(), a.scaling, b.scaling,
      /*transpose_b=*/true);
  // Two-level (NVFP4) operands bring their per-tensor scales.
  if (a.global)
    scaled.getAGlobalMutable().assign(a.global);
  if (b.global)
    scaled.getBGlobalMutable().assign(b.global);
  Value result = scaled.getResult();
  if (resultType != initShapedType)
    result = tensor::CastOp::create(builder, loc, initShapedType, result);

  if (!isIdentityPermutation(view.resultToInit)) {
    Value init = tensor::EmptyOp::create(
        builder, loc, tensor::getMixedSizes(builder, loc, view.init),
        initType.getElementType());
    result = linalg::TransposeOp::create(builder, loc, result, init,
                                         view.resultToInit)
                 ->getResult(0);
  }
  if (!isZeroAccumulator(view.init))
    result = linalg::AddOp::create(builder, loc, TypeRange{initType},
                                   ValueRange{result, view.init},
                                   ValueRange{view.init})
                 ->getResult(0);
  // The op itself is erased by the caller once the whole function is done,
  // so no value the quantizer caches is freed and reused meanwhile.
  op->getResult(0).replaceAllUsesWith(result);
  return result == scaled.getResult() ? scaled : ScaledMatmulOp();
}

namespace {
struct QuantizeMatmulsPass
    : fp8::impl::FP8QuantizeMatmulsBase<QuantizeMatmulsPass> {
  using Base::Base;
  void runOnOperation() override;

private:
  /// Quantizes one matmul-like op whose operands have `roles` (A, B), or
  /// leaves it with a remark that says why. Returns true when the op was
  /// replaced (and is now dead); `fusable` is then the new scaled_matmul
  /// where a bias add may be fused into it.
  bool quantizeOrExplain(Operation *op, std::pair<Role, Role> roles,
                         const ResolvedRecipe &recipe,
                         OperandQuantizer &quantizer, OpBuilder &builder,
                         ScaledMatmulOp &fusable);
};
} // namespace

bool QuantizeMatmulsPass::quantizeOrExplain(Operation *op,
                                            std::pair<Role, Role> roles,
                                            const ResolvedRecipe &recipe,
                                            OperandQuantizer &quantizer,
                                            OpBuilder &builder,
                                            ScaledMatmulOp &fusable) {
  auto leaveAlone = [&](const Twine &why) {
    op->emitRemark() << "not quantized to FP8: " << why;
    return false;
  };
  std::string whyNot;
  FailureOr<MatmulView> view = matchMatmul(op, whyNot);
  if (failed(view))
    return leaveAlone(whyNot);
  whyNot = checkElementTypes(*view);
  if (!whyNot.empty())
    return leaveAlone(whyNot);

  if (op->hasAttr(kHighPrecisionAttrName))
    return leaveAlone(llvm::formatv("it is marked {0}", kHighPrecisionAttrName)
                          .str());
  if (Type wgradType = getWeightGradientType(op->getContext(),
                                             recipe.getWgrad());
      wgradType && isWeightGradientMatmul(roles)) {
    StringRef wgrad = stringifyWgradPrecision(recipe.getWgrad());
    FailureOr<Operation *> kept =
        computeMatmulIn(op, wgradType, builder, whyNot);
    if (failed(kept))
      return leaveAlone(llvm::formatv("a weight gradient under wgrad = {0}, "
                                      "kept as it is: {1}",
                                      wgrad, whyNot)
                            .str());
    (*kept)->emitRemark() << "not quantized to FP8: a weight gradient, "
                             "computed in "
                          << wgrad << " (wgrad = " << wgrad << ")";
    return false;
  }

  auto [aRole, bRole] = roles;
  if (aRole == Role::gradient && bRole == Role::gradient && recipe.isHybrid())
    return leaveAlone("both operands are gradients and hybrid formats never "
                      "pair E5M2 with E5M2; use formats=e4m3 to quantize it");
  OperandQuantization aHow =
      recipe.getOperandQuantization(aRole, MatmulOperand::A);
  OperandQuantization bHow =
      recipe.getOperandQuantization(bRole, MatmulOperand::B);
  // NVFP4 training (Transformer Engine's NVFP4BlockScaling): gradients
  // round stochastically; both operands of a weight gradient get the random
  // Hadamard transform along K.
  if (std::optional<int64_t> seed = recipe.getGradientSRSeed()) {
    if (aRole == Role::gradient)
      aHow.srSeed = seed;
    if (bRole == Role::gradient)
      bHow.srSeed = seed;
  }
  if (recipe.useWgradHadamard() && isWeightGradientMatmul(roles)) {
    ArrayRef<bool> signs(kWgradHadamardSigns);
    auto aType = cast<RankedTensorType>(view->a.getType());
    int64_t k = aType.getDimSize(view->aToKMajor.back());
    if (!ShapedType::isDynamic(k) && k % int64_t(signs.size()) == 0) {
      aHow.hadamardSigns = signs;
      bHow.hadamardSigns = signs;
    } else {
      op->emitRemark() << "weight gradient quantized without the random "
                          "Hadamard transform: K = "
                       << (ShapedType::isDynamic(k) ? std::string("?")
                                                    : std::to_string(k))
                       << " is not a static multiple of " << signs.size();
    }
  }

  if (hasDynamicShape(*view)) {
    if (recipe.getMinFlops() > 0)
      return leaveAlone(llvm::formatv("dynamic shape; its flops cannot be "
                                      "compared with min-flops = {0}",
                                      recipe.getMinFlops())
                            .str());
  } else if (uint64_t flops = getFlops(*view);
             flops < static_cast<uint64_t>(recipe.getMinFlops())) {
    return leaveAlone(llvm::formatv("2*M*N*K = {0} flops is below "
                                    "min-flops = {1}",
                                    flops, recipe.getMinFlops())
                          .str());
  }

  fusable = rewriteMatmul(*view, quantizer, aHow, bHow, builder);
  return true;
}

void QuantizeMatmulsPass::runOnOperation() {
  ModuleOp module = getOperation();
  FailureOr<RecipeAttr> recipeAttr =
      resolveModuleRecipe(module, recipe, getArgument());
  if (failed(recipeAttr))
    return signalPassFailure();
  ResolvedRecipe resolved(*recipeAttr);
  if (staticRanges != "on" && staticRanges != "off") {
    module.emitError() << getArgument() << ": static-ranges must be on or "
                       << "off, not '" << staticRanges << "'";
    return signalPassFailure();
  }
  // Static amaxes (StaticAmax.h), except under `delayed`, whose scales come
  // from amax histories threaded through the function.
  bool useStaticRanges =
      staticRanges == "on" && resolved.getKind() != RecipeKind::delayed;

  OpBuilder builder(&getContext());
  module.walk([&](FunctionOpInterface function) {
    SmallVector<Operation *> matmuls;
    function->walk([&](Operation *op) {
      if (isMatmulLike(op) &&
          op->getParentOfType<FunctionOpInterface>() == function)
        matmuls.push_back(op);
    });
    if (matmuls.empty())
      return;
    // Roles first: rewriting a matmul replaces values later matmuls read.
    RoleAnalysis analysis(function);
    SmallVector<std::pair<Role, Role>> roles;
    for (Operation *op : matmuls)
      roles.push_back(getMatmulRoles(op, analysis));

    // Layers kept in high precision (KeptLayers.h).
    int64_t numLayers = 0;
    llvm::DenseMap<Operation *, int64_t> layers;
    if (resolved.getKeepFirst() > 0 || resolved.getKeepLast() > 0)
      layers = getMatmulLayers(matmuls, roles, numLayers);
    auto isKept = [&](Operation *op) {
      auto it = layers.find(op);
      return it != layers.end() &&
             (it->second < resolved.getKeepFirst() ||
              it->second >= numLayers - resolved.getKeepLast());
    };

    OperandQuantizer quantizer(builder);
    SmallVector<Operation *> replaced;
    SmallVector<ScaledMatmulOp> fusable;
    IRRewriter collapser(&getContext());
    for (auto [op, opRoles] : llvm::zip_equal(matmuls, roles)) {
      if (isKept(op)) {
        op->emitRemark() << "not quantized to FP8: it is in layer "
                         << layers.lookup(op) << " of " << numLayers
                         << ", kept in high precision (keep-first = "
                         << resolved.getKeepFirst()
                         << ", keep-last = " << resolved.getKeepLast() << ")";
        continue;
      }
      // [B, S, K] x [K, N]: one M dim first (CollapseMatmulDims.cpp).
      if (auto generic = dyn_cast<linalg::GenericOp>(op))
        if (FailureOr<linalg::GenericOp> collapsed =
                collapseMatmulMDims(collapser, generic);
            succeeded(collapsed))
          op = *collapsed;
      ScaledMatmulOp scaled;
      if (quantizeOrExplain(op, opRoles, resolved, quantizer, builder,
                            scaled))
        replaced.push_back(op);
      if (scaled)
        fusable.push_back(scaled);
    }
    for (Operation *op : replaced)
      op->erase();
    // Bias adds into the epilogue, where exact (FuseBias.cpp).
    IRRewriter rewriter(&getContext());
    for (ScaledMatmulOp scaled : fusable)
      (void)fuseBiasAdd(scaled, rewriter);
    if (useStaticRanges)
      (void)replaceBoundedAmaxes(function);
  });
}
