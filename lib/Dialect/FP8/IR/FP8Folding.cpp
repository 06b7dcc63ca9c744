//===- FP8Folding.cpp - Folds of the fp8 dialect operations ---------------===//
//
// Part of fp8-mlir. Every fold here gives bit for bit what the reference
// lowering (fp8-lower-to-linalg, lib/Dialect/FP8/Transforms) computes for the
// same op, or folds nothing: folding must never change a program's numbers.
// python/tests/test_folding.py checks each fold against fp8-run.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/IR/FP8Dialect.h"
#include "fp8/Dialect/FP8/IR/FP8Ops.h"
#include "fp8/Dialect/FP8/IR/FP8Types.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/APFloat.h"

using namespace mlir;
using namespace mlir::fp8;

/// Folded fp8 ops become `arith.constant`s.
Operation *FP8Dialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  return arith::ConstantOp::materialize(builder, value, type, loc);
}

/// Folds that visit every element give up on constants with more elements
/// than this: the folded constant would be as large, and the visit as slow,
/// as the computation it saves. Splat constants fold in O(1) at any size.
static constexpr int64_t kMaxFoldedElements = int64_t(1) << 22;

/// `value` converted to f32 with round-to-nearest-even: what `arith.extf`
/// (exact) and `arith.truncf` (f64 -> f32, RNE, overflow to inf) give.
static APFloat toF32(APFloat value) {
  bool losesInfo = false;
  value.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven,
                &losesInfo);
  return value;
}

//===----------------------------------------------------------------------===//
// AmaxOp
//===----------------------------------------------------------------------===//

/// amax of a constant: the constant amax per group.
///
/// Exact: the lowering reduces `arith.maximumf(acc, |f32(x)|)` from a 0-filled
/// accumulator. Each step is exact (abs and max select one of their
/// operands; the conversion to f32 is the same RNE conversion), and
/// `llvm::maximum` has the semantics of `arith.maximumf` (NaN propagates,
/// -0 < +0), which is associative and commutative, so the reduction order
/// does not matter. A group holding a NaN gives NaN (its payload is not
/// significant); an empty tensor gives 0 like the fill. A splat input gives
/// a splat result without visiting its elements; other inputs fold only up
/// to kMaxFoldedElements.
OpFoldResult AmaxOp::fold(FoldAdaptor adaptor) {
  auto input = dyn_cast_or_null<DenseElementsAttr>(adaptor.getInput());
  RankedTensorType inputType = getInput().getType();
  RankedTensorType resultType = getResult().getType();
  if (!input || !inputType.hasStaticShape() || !resultType.hasStaticShape())
    return {};
  if (input.isSplat()) {
    // Every group holds at least one element unless the tensor is empty.
    bool empty = llvm::is_contained(inputType.getShape(), 0);
    APFloat amax = empty ? APFloat::getZero(APFloat::IEEEsingle())
                         : llvm::abs(toF32(input.getSplatValue<APFloat>()));
    return DenseElementsAttr::get(resultType, amax);
  }
  if (input.getNumElements() > kMaxFoldedElements)
    return {};

  ArrayRef<int64_t> shape = inputType.getShape();
  ScalingAttr scaling = getScaling();
  int64_t rank = inputType.getRank();
  int64_t numGroups = resultType.getNumElements();
  SmallVector<APFloat> amax(numGroups, APFloat::getZero(APFloat::IEEEsingle()));

  // Group extent along the last two dims; tensor scaling has one group.
  int64_t groupRows = 1, groupCols = 1;
  if (!scaling.isTensor())
    std::tie(groupRows, groupCols) = scaling.getGroupExtent(shape);
  ArrayRef<int64_t> scaleShape = resultType.getShape();

  SmallVector<int64_t> index(rank, 0);
  for (APFloat value : input.getValues<APFloat>()) {
    int64_t group = 0;
    if (!scaling.isTensor()) {
      // Batch dims index the scale directly; the last two divide by the
      // group extent (ceil-div shapes: ragged edge groups are smaller).
      for (int64_t dim = 0; dim < rank; ++dim) {
        int64_t position = index[dim];
        if (dim == rank - 2)
          position /= groupRows;
        else if (dim == rank - 1)
          position /= groupCols;
        group = group * scaleShape[dim] + position;
      }
    }
    APFloat magnitude = llvm::abs(toF32(value));
    amax[group] = llvm::maximum(amax[group], magnitude);
    // Next row-major index.
    for (int64_t dim = rank - 1; dim >= 0; --dim) {
      if (++index[dim] < shape[dim])
        break;
      index[dim] = 0;
    }
  }
  return DenseElementsAttr::get(resultType, amax);
}

//===----------------------------------------------------------------------===//
// ScaleFromAmaxOp
//===----------------------------------------------------------------------===//

/// scale_from_amax of a constant amax, for f32 scales without `pow2`.
///
/// Exact: the lowering (buildScaleFromAmax) computes `amax / fmax`, then,
/// for a non-zero margin, `* 2^margin`, each an f32 operation rounded to
/// nearest even; APFloat's IEEE-single divide and multiply round the same
/// way (no flush of subnormals, unlike host float arithmetic under some
/// flags). Where `0 < amax < +inf` fails (0, -0, negative, +-inf, NaN) the
/// scale is 1, as the lowering's select gives. The pow2 and E8M0 rules
/// (exponent bit manipulation and clamping) are not folded. A splat amax
/// gives a splat scale in O(1); others fold up to kMaxFoldedElements.
OpFoldResult ScaleFromAmaxOp::fold(FoldAdaptor adaptor) {
  auto amax = dyn_cast_or_null<DenseElementsAttr>(adaptor.getAmax());
  RankedTensorType scaleType = getScale().getType();
  if (!amax || getPow2() || getBlockScaleType() ||
      !scaleType.getElementType().isF32() ||
      !scaleType.hasStaticShape())
    return {};
  if (!amax.isSplat() && amax.getNumElements() > kMaxFoldedElements)
    return {};

  const llvm::fltSemantics &f32 = APFloat::IEEEsingle();
  APFloat formatMax(static_cast<float>(getFormatMax(getFormat())));
  int64_t margin = getMargin();
  APFloat marginFactor = llvm::scalbn(APFloat::getOne(f32), static_cast<int>(margin),
                                APFloat::rmNearestTiesToEven);
  APFloat zero = APFloat::getZero(f32);
  APFloat infinity = APFloat::getInf(f32);

  auto scaleOf = [&](const APFloat &value) {
    bool valid = value.compare(zero) == APFloat::cmpGreaterThan &&
                 value.compare(infinity) == APFloat::cmpLessThan;
    if (!valid)
      return APFloat::getOne(f32);
    APFloat scale = value;
    scale.divide(formatMax, APFloat::rmNearestTiesToEven);
    if (margin != 0)
      scale.multiply(marginFactor, APFloat::rmNearestTiesToEven);
    return scale;
  };
  if (amax.isSplat())
    return DenseElementsAttr::get(scaleType,
                                  scaleOf(amax.getSplatValue<APFloat>()));
  SmallVector<APFloat> scales;
  scales.reserve(scaleType.getNumElements());
  for (APFloat value : amax.getValues<APFloat>())
    scales.push_back(scaleOf(value));
  return DenseElementsAttr::get(scaleType, scales);
}

//===----------------------------------------------------------------------===//
// QuantizeOp
//===----------------------------------------------------------------------===//

/// True when every element of the constant `scale` is 2^k with q * 2^k exact
/// in f32 for every finite value q of `format`: the largest, fmax * 2^k, is
/// finite (fmax has at most 4 significant bits, so exponent <= 127 suffices)
/// and the smallest subnormal, 2^d * 2^k, is at least 2^-149 (f32's
/// smallest subnormal). Every q is a multiple of 2^d with at most 24
/// significant bits, so q * 2^k is then an f32.
static bool isExactPowerOfTwoScale(Attribute scaleAttr, Type format) {
  auto scale = dyn_cast_or_null<DenseElementsAttr>(scaleAttr);
  if (!scale)
    return false;
  const llvm::fltSemantics &semantics = cast<FloatType>(format).getFloatSemantics();
  int maxExponent = llvm::ilogb(APFloat::getLargest(semantics));
  int minExponent = APFloat::getSmallest(semantics).getExactLog2Abs();
  auto isExact = [&](const APFloat &value) {
    APFloat f32 = toF32(value);
    if (!f32.isFinite() || f32.isNegative() || f32.isZero())
      return false;
    int exponent = f32.getExactLog2Abs();
    return exponent != INT_MIN && maxExponent + exponent <= 127 &&
           minExponent + exponent >= -149;
  };
  // A splat is checked once, whatever its size.
  if (scale.isSplat())
    return isExact(scale.getSplatValue<APFloat>());
  if (scale.getNumElements() > kMaxFoldedElements)
    return false;
  return llvm::all_of(scale.getValues<APFloat>(), isExact);
}

/// quantize(dequantize(%q, %s), %s) -> %q, with the same scale value,
/// scaling and narrow type, and an f32 dequantize result.
///
/// Exact when the scale is a constant power of two 2^k that passes
/// isExactPowerOfTwoScale (f32 or E8M0): then x = q * 2^k is exact, x / 2^k
/// gives back q exactly, the saturating clamp leaves |q| <= fmax alone and
/// the final cast of a representable value is the identity. Infinities are
/// the exception: E5M2 +-inf comes back as +-max under `saturate`, so with
/// `saturate` only formats without inf fold (E4M3FN and the FP6/FP4
/// formats); without `saturate` inf stays inf and every format folds. NaN
/// maps to NaN (its sign and payload are not significant). A non-constant
/// or non-power-of-two scale is not folded: q * s may round, overflow to
/// inf or (for an E8M0 0xFF scale) be NaN.
OpFoldResult QuantizeOp::fold(FoldAdaptor adaptor) {
  auto dequantize = getInput().getDefiningOp<DequantizeOp>();
  if (!dequantize || getGlobalScale() || dequantize.getGlobalScale() ||
      dequantize.getScale() != getScale() ||
      dequantize.getScaling() != getScaling() ||
      dequantize.getInput().getType() != getType() ||
      !dequantize.getType().getElementType().isF32())
    return {};
  Type format = getType().getElementType();
  if (getSaturate() &&
      APFloat::semanticsHasInf(cast<FloatType>(format).getFloatSemantics()))
    return {};
  if (!isExactPowerOfTwoScale(adaptor.getScale(), format))
    return {};
  return dequantize.getInput();
}
