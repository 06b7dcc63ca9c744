//===- LowerToLinalgUtils.cpp - Building blocks of fp8-lower-to-linalg ----===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/LowerToLinalgUtils.h"

#include "fp8/Dialect/FP8/IR/FP8Types.h"
#include "fp8/Support/CheckedShape.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/TypeUtilities.h"

#include "llvm/ADT/bit.h"

#include <cmath>

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::lowering;

//===----------------------------------------------------------------------===//
// Scalar numerics
//===----------------------------------------------------------------------===//

static Value f32Constant(OpBuilder &b, Location loc, float value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
}

static Value i32Constant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIntOp::create(b, loc, b.getI32Type(), value);
}

Value lowering::castFloat(OpBuilder &b, Location loc, Value value, Type type) {
  Type from = value.getType();
  if (from == type)
    return value;
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = type.getIntOrFloatBitWidth();
  if (fromWidth < toWidth)
    return arith::ExtFOp::create(b, loc, type, value);
  if (fromWidth > toWidth)
    return arith::TruncFOp::create(b, loc, type, value);
  Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), value);
  return arith::TruncFOp::create(b, loc, type, wide);
}

Value lowering::castToNarrow(OpBuilder &b, Location loc, Value value,
                             Type format, bool saturate) {
  if (saturate) {
    float formatMax = static_cast<float>(getFormatMax(format));
    value = arith::MaximumFOp::create(b, loc, value,
                                      f32Constant(b, loc, -formatMax));
    value = arith::MinimumFOp::create(b, loc, value,
                                      f32Constant(b, loc, formatMax));
  }
  return arith::TruncFOp::create(b, loc, format, value);
}

/// The binary exponent floor(log2(x)) (i32) and the 23 fraction bits of the
/// significand in [1, 2) (i32) of an f32 x > 0, subnormals included: these
/// are first scaled by 2^64, which is exact and makes them normal.
static std::pair<Value, Value> buildExponentAndFraction(OpBuilder &b,
                                                        Location loc, Value x) {
  Value isSubnormal =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                            f32Constant(b, loc, std::ldexp(1.0f, -126)));
  Value scaled = arith::MulFOp::create(
      b, loc, x, f32Constant(b, loc, std::ldexp(1.0f, 64)));
  Value normal = arith::SelectOp::create(b, loc, isSubnormal, scaled, x);
  Value bits = arith::BitcastOp::create(b, loc, b.getI32Type(), normal);
  Value biased = arith::ShRUIOp::create(b, loc, bits, i32Constant(b, loc, 23));
  Value bias = arith::SelectOp::create(b, loc, isSubnormal,
                                       i32Constant(b, loc, 127 + 64),
                                       i32Constant(b, loc, 127));
  Value exponent = arith::SubIOp::create(b, loc, biased, bias);
  Value fraction =
      arith::AndIOp::create(b, loc, bits, i32Constant(b, loc, 0x7FFFFF));
  return {exponent, fraction};
}

/// ceil(log2(x / c)) (i32), exactly, for an f32 x > 0 and a normal constant
/// c. With x = mx * 2^ex and c = mc * 2^ec (significands in [1, 2)), the
/// ratio mx / mc lies in (1/2, 2), so ceil(log2(x / c)) = ex - ec + 1 when
/// mx > mc and ex - ec otherwise.
static Value buildLog2CeilOfRatio(OpBuilder &b, Location loc, Value x,
                                  float c) {
  auto [exponent, fraction] = buildExponentAndFraction(b, loc, x);
  int constantExponent = std::ilogb(c);
  int64_t constantFraction = llvm::bit_cast<uint32_t>(c) & 0x7FFFFF;
  Value above =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, fraction,
                            i32Constant(b, loc, constantFraction));
  Value roundUp = arith::ExtUIOp::create(b, loc, b.getI32Type(), above);
  Value difference = arith::SubIOp::create(
      b, loc, exponent, i32Constant(b, loc, constantExponent));
  return arith::AddIOp::create(b, loc, difference, roundUp);
}

/// 2^e as an f32, exactly, for an i32 `e` clamped to [minExp, maxExp]
/// (within [-149, 128]; 128 gives +inf). Normal results put e + 127 in the
/// exponent field, subnormal ones (e < -126) set mantissa bit e + 149.
static Value buildExp2(OpBuilder &b, Location loc, Value e, int64_t minExp,
                       int64_t maxExp) {
  e = arith::MaxSIOp::create(b, loc, e, i32Constant(b, loc, minExp));
  e = arith::MinSIOp::create(b, loc, e, i32Constant(b, loc, maxExp));
  Value normalBits = arith::ShLIOp::create(
      b, loc, arith::AddIOp::create(b, loc, e, i32Constant(b, loc, 127)),
      i32Constant(b, loc, 23));
  Value subnormalShift = arith::MinSIOp::create(
      b, loc, arith::AddIOp::create(b, loc, e, i32Constant(b, loc, 149)),
      i32Constant(b, loc, 23));
  Value subnormalBits =
      arith::ShLIOp::create(b, loc, i32Constant(b, loc, 1), subnormalShift);
  Value isNormal = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, e,
                                         i32Constant(b, loc, -126));
  Value bits =
      arith::SelectOp::create(b, loc, isNormal, normalBits, subnormalBits);
  return arith::BitcastOp::create(b, loc, b.getF32Type(), bits);
}

/// `value + constant` on i32, or `value` itself when the constant is 0.
static Value addI32(OpBuilder &b, Location loc, Value value, int64_t constant) {
  if (constant == 0)
    return value;
  return arith::AddIOp::create(b, loc, value, i32Constant(b, loc, constant));
}

/// `scale * 2^margin` (rounded to f32); `scale` itself for margin 0.
static Value applyMargin(OpBuilder &b, Location loc, Value scale,
                         int64_t margin) {
  if (margin == 0)
    return scale;
  return arith::MulFOp::create(
      b, loc, scale,
      f32Constant(b, loc, std::ldexp(1.0f, static_cast<int>(margin))));
}

/// Transformer Engine's rule: `scale` where 0 < amax < +inf, else 1 (an
/// all-zero, infinite or NaN amax gives scale 1).
static Value selectScaleOneUnlessValidAmax(OpBuilder &b, Location loc,
                                           Value amax, Value scale) {
  Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                         amax, f32Constant(b, loc, 0.0f));
  Value finite = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, amax,
                                       f32Constant(b, loc, INFINITY));
  Value valid = arith::AndIOp::create(b, loc, positive, finite);
  return arith::SelectOp::create(b, loc, valid, scale,
                                 f32Constant(b, loc, 1.0f));
}

Value lowering::buildScaleFromAmax(OpBuilder &b, Location loc, Value amax,
                                   const ScaleRule &rule) {
  bool isE8M0 = isa<Float8E8M0FNUType>(rule.scaleType);
  float formatMax = static_cast<float>(getFormatMax(rule.format));

  Value scale;
  if (isE8M0 && rule.mxRounding == MXScaleRounding::floor) {
    // OCP MX v1.0: 2^(floor(log2 amax) - emax + margin), may clip.
    Value exponent = buildExponentAndFraction(b, loc, amax).first;
    exponent =
        addI32(b, loc, exponent, rule.margin - getFormatEmax(rule.format));
    scale = buildExp2(b, loc, exponent, -127, 127);
  } else if (isE8M0 || rule.pow2) {
    // Round up so that nothing clips: 2^(ceil(log2(amax / fmax)) + margin).
    Value exponent = addI32(
        b, loc, buildLog2CeilOfRatio(b, loc, amax, formatMax), rule.margin);
    scale = isE8M0 ? buildExp2(b, loc, exponent, -127, 127)
                   : buildExp2(b, loc, exponent, -149, 128);
  } else {
    // (amax / fmax) * 2^margin, each step rounded to f32; the per-tensor
    // scale of two-level scaling divides by fmax * max(block scale type)
    // (2688 for NVFP4, exact in f32).
    float divisor = formatMax;
    if (rule.blockScaleType)
      divisor *= static_cast<float>(getFormatMax(rule.blockScaleType));
    scale = arith::DivFOp::create(b, loc, amax, f32Constant(b, loc, divisor));
    scale = applyMargin(b, loc, scale, rule.margin);
  }

  scale = selectScaleOneUnlessValidAmax(b, loc, amax, scale);
  // Exact for E8M0: scale is a power of two within its range.
  return castFloat(b, loc, scale, rule.scaleType);
}

Value lowering::buildTwoLevelBlockScale(OpBuilder &b, Location loc, Value amax,
                                       Value global, const ScaleRule &rule) {
  float formatMax = static_cast<float>(getFormatMax(rule.format));
  Value scale =
      arith::DivFOp::create(b, loc, amax, f32Constant(b, loc, formatMax));
  scale = applyMargin(b, loc, scale, rule.margin);
  scale = arith::DivFOp::create(b, loc, scale, global);
  // torchao's nvfp4_quantize: clamp to [tiny(E4M3), max(E4M3)], then round
  // to nearest even (the cast of an in-range value).
  float blockMax = static_cast<float>(getFormatMax(rule.scaleType));
  scale = arith::MaximumFOp::create(b, loc, scale,
                                    f32Constant(b, loc, std::ldexp(1.0f, -6)));
  scale =
      arith::MinimumFOp::create(b, loc, scale, f32Constant(b, loc, blockMax));
  scale = selectScaleOneUnlessValidAmax(b, loc, amax, scale);
  return arith::TruncFOp::create(b, loc, rule.scaleType, scale);
}

//===----------------------------------------------------------------------===//
// Indexing maps
//===----------------------------------------------------------------------===//

AffineMap lowering::getScaleMap(ScalingAttr scaling,
                                ArrayRef<AffineExpr> dataIndices,
                                unsigned numLoops, MLIRContext *context) {
  if (scaling.isTensor())
    return AffineMap::get(numLoops, 0, context);
  size_t rank = dataIndices.size();
  SmallVector<AffineExpr> results(dataIndices.drop_back(2));
  AffineExpr row = dataIndices[rank - 2], col = dataIndices[rank - 1];
  if (scaling.isRowwise()) {
    results.push_back(row);
    results.push_back(getAffineConstantExpr(0, context));
  } else {
    int64_t rows = scaling.getBlock()[0], cols = scaling.getBlock()[1];
    results.push_back(rows == 1 ? row : row.floorDiv(rows));
    results.push_back(cols == 1 ? col : col.floorDiv(cols));
  }
  return AffineMap::get(numLoops, 0, results, context);
}

SmallVector<AffineExpr> lowering::getLoopExprs(unsigned count,
                                               MLIRContext *context) {
  SmallVector<AffineExpr> exprs;
  for (unsigned i = 0; i < count; ++i)
    exprs.push_back(getAffineDimExpr(i, context));
  return exprs;
}

//===----------------------------------------------------------------------===//
// Tensors and generics
//===----------------------------------------------------------------------===//

Value lowering::createEmptyTensor(OpBuilder &b, Location loc,
                                  RankedTensorType type,
                                  ArrayRef<OpFoldResult> sizes) {
  assert(sizes.size() == static_cast<size_t>(type.getRank()) &&
         "one size per dim");
  SmallVector<Value> dynamicSizes;
  for (auto [dim, size] : llvm::zip_equal(type.getShape(), sizes))
    if (ShapedType::isDynamic(dim))
      dynamicSizes.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
  return tensor::EmptyOp::create(b, loc, type, dynamicSizes);
}

Value lowering::createFilledTensor(OpBuilder &b, Location loc,
                                   RankedTensorType type,
                                   ArrayRef<OpFoldResult> sizes, double value) {
  Value empty = createEmptyTensor(b, loc, type, sizes);
  Value fill = arith::ConstantOp::create(
      b, loc, b.getFloatAttr(type.getElementType(), value));
  return linalg::FillOp::create(b, loc, ValueRange{fill}, ValueRange{empty})
      .getResult(0);
}

SmallVector<OpFoldResult> lowering::getScaleSizes(OpBuilder &b, Location loc,
                                                  ScalingAttr scaling,
                                                  Value data) {
  if (scaling.isTensor())
    return {};
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, data);
  size_t rank = sizes.size();
  if (scaling.isRowwise()) {
    sizes[rank - 1] = b.getIndexAttr(1);
    return sizes;
  }
  for (auto [size, extent] : llvm::zip_equal(
           MutableArrayRef(sizes).take_back(2), scaling.getBlock())) {
    if (extent == 1)
      continue;
    if (std::optional<int64_t> constant = getConstantIntValue(size)) {
      size = b.getIndexAttr(ceilDiv(*constant, extent));
      continue;
    }
    Value extentValue = arith::ConstantIndexOp::create(b, loc, extent);
    size = arith::CeilDivUIOp::create(b, loc, cast<Value>(size), extentValue)
               .getResult();
  }
  return sizes;
}

Value lowering::buildElementwise(OpBuilder &b, Location loc, Value init,
                                 ValueRange inputs,
                                 ArrayRef<AffineMap> inputMaps,
                                 ElementwiseBodyFn body) {
  auto initType = cast<RankedTensorType>(init.getType());
  unsigned rank = initType.getRank();
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{initType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.drop_back());
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

Value lowering::buildScalesFromAmaxes(OpBuilder &b, Location loc, Value amax,
                                      Value init, const ScaleRule &rule) {
  unsigned rank = cast<RankedTensorType>(init.getType()).getRank();
  return buildElementwise(
      b, loc, init, {amax}, {b.getMultiDimIdentityMap(rank)},
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        return buildScaleFromAmax(nested, nestedLoc, args[0], rule);
      });
}

Value lowering::buildMaxReduction(OpBuilder &b, Location loc, Value input,
                                  Value init, AffineMap outputMap,
                                  bool absolute) {
  unsigned rank = cast<RankedTensorType>(input.getType()).getRank();
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::reduction);
  for (AffineExpr result : outputMap.getResults())
    if (auto dim = dyn_cast<AffineDimExpr>(result))
      iterators[dim.getPosition()] = utils::IteratorType::parallel;
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank), outputMap};
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{input}, ValueRange{init},
      maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value element =
            castFloat(nested, nestedLoc, args[0], nested.getF32Type());
        if (absolute)
          element = math::AbsFOp::create(nested, nestedLoc, element);
        Value max =
            arith::MaximumFOp::create(nested, nestedLoc, args[1], element);
        linalg::YieldOp::create(nested, nestedLoc, max);
      });
  return generic.getResult(0);
}

Value lowering::buildDequantize(OpBuilder &b, Location loc, Value data,
                                Value scale, ScalingAttr scaling, Value init,
                                ArrayRef<AffineExpr> dataIndices) {
  MLIRContext *context = b.getContext();
  unsigned numLoops = cast<RankedTensorType>(init.getType()).getRank();
  AffineMap dataMap = AffineMap::get(numLoops, 0, dataIndices, context);
  AffineMap scaleMap = getScaleMap(scaling, dataIndices, numLoops, context);
  Type resultElementType = getElementTypeOrSelf(init.getType());
  return buildElementwise(
      b, loc, init, {data, scale}, {dataMap, scaleMap},
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Type f32 = nested.getF32Type();
        Value value = arith::MulFOp::create(
            nested, nestedLoc, castFloat(nested, nestedLoc, args[0], f32),
            castFloat(nested, nestedLoc, args[1], f32));
        return castFloat(nested, nestedLoc, value, resultElementType);
      });
}

//===----------------------------------------------------------------------===//
// Stochastic rounding
//===----------------------------------------------------------------------===//

/// An i64 constant (two's complement of `value`).
static Value i64Constant(OpBuilder &b, Location loc, uint64_t value) {
  return arith::ConstantOp::create(
      b, loc, b.getI64IntegerAttr(static_cast<int64_t>(value)));
}

Value lowering::buildRandomBits(OpBuilder &b, Location loc, Value seed,
                                Value counter) {
  // SplitMix64: state = seed + (counter + 1) * gamma, then the mix; all
  // arithmetic wraps modulo 2^64.
  Value one = i64Constant(b, loc, 1);
  Value step = arith::MulIOp::create(
      b, loc, arith::AddIOp::create(b, loc, counter, one),
      i64Constant(b, loc, 0x9E3779B97F4A7C15ull));
  Value z = arith::AddIOp::create(b, loc, seed, step);
  auto xorShift = [&](Value value, int64_t shift) {
    return arith::XOrIOp::create(
        b, loc, value,
        arith::ShRUIOp::create(b, loc, value,
                               i64Constant(b, loc, shift)));
  };
  z = arith::MulIOp::create(b, loc, xorShift(z, 30),
                            i64Constant(b, loc, 0xBF58476D1CE4E5B9ull));
  z = arith::MulIOp::create(b, loc, xorShift(z, 27),
                            i64Constant(b, loc, 0x94D049BB133111EBull));
  z = xorShift(z, 31);
  return arith::ShRUIOp::create(b, loc, z, i64Constant(b, loc, 32));
}

Value lowering::buildStochasticRoundToFP4(OpBuilder &b, Location loc,
                                          Value value, Value randomByte) {
  // |v| clamped to 6 (NaN stays NaN). The E2M1 grid has step 0.5 below 2,
  // 1 in [2, 4) and 2 in [4, 6]: lo = floor(|v| / step) * step and
  // (|v| - lo) / step are exact.
  Value magnitude = math::AbsFOp::create(b, loc, value);
  magnitude =
      arith::MinimumFOp::create(b, loc, magnitude, f32Constant(b, loc, 6.0f));
  auto below = [&](float bound) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, magnitude,
                                 f32Constant(b, loc, bound));
  };
  Value step = arith::SelectOp::create(
      b, loc, below(2.0f), f32Constant(b, loc, 0.5f),
      arith::SelectOp::create(b, loc, below(4.0f), f32Constant(b, loc, 1.0f),
                              f32Constant(b, loc, 2.0f)));
  Value steps = arith::DivFOp::create(b, loc, magnitude, step);
  Value lowSteps = math::FloorOp::create(b, loc, steps);
  Value low = arith::MulFOp::create(b, loc, lowSteps, step);
  // t = floor(256 * fraction) in [0, 256): rounds away from zero when
  // t + r >= 256, so with probability t / 256.
  Value fraction = arith::SubFOp::create(b, loc, steps, lowSteps);
  Value t = arith::FPToUIOp::create(
      b, loc, b.getI64Type(),
      arith::MulFOp::create(b, loc, fraction, f32Constant(b, loc, 256.0f)));
  Value roundsUp = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::uge,
      arith::AddIOp::create(b, loc, t, randomByte), i64Constant(b, loc, 256));
  Value rounded = arith::SelectOp::create(
      b, loc, roundsUp, arith::AddFOp::create(b, loc, low, step), low);
  Value isNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, value,
                                      value);
  return arith::SelectOp::create(
      b, loc, isNaN, value, math::CopySignOp::create(b, loc, rounded, value));
}
