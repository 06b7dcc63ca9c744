//===- ExpandCasts.cpp - Narrow float casts to integer bit operations -----===//
//
// Part of fp8-mlir. Implements fp8-expand-casts: arith.truncf and arith.extf
// to and from the FP8/FP6/FP4/E8M0 types become integer bit manipulation on
// the f32 bit pattern, so any CPU target runs them without a runtime library.
// The pass description in Passes.td states the exact semantics.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/FloatFormat.h"
#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include <cmath>

namespace mlir::fp8 {
#define GEN_PASS_DEF_FP8EXPANDCASTS
#include "fp8/Dialect/FP8/Transforms/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;
using namespace mlir::fp8;

//===----------------------------------------------------------------------===//
// Which casts this pass expands
//===----------------------------------------------------------------------===//

/// True for the float types of at most 8 bits (FP8, FP6, FP4, E8M0): the
/// types whose casts this pass expands.
static bool isNarrowFloat(Type type) {
  auto floatType = dyn_cast<FloatType>(type);
  return floatType && floatType.getWidth() <= 8;
}

/// True for an arith.truncf or arith.extf with a narrow float on either side.
static bool isNarrowCast(Operation *op) {
  if (!isa<arith::TruncFOp, arith::ExtFOp>(op))
    return false;
  return isNarrowFloat(getElementTypeOrSelf(op->getOperand(0))) ||
         isNarrowFloat(getElementTypeOrSelf(op->getResult(0)));
}

/// The layout of f32, or of a type verifyExpandable accepted.
static FloatFormat getFormat(Type type) {
  return *FloatFormat::get(cast<FloatType>(getElementTypeOrSelf(type)));
}

/// Reports, on the op, why a narrow cast cannot be expanded.
static LogicalResult verifyExpandable(Operation *op) {
  auto fail = [&]() {
    return op->emitOpError() << "cannot be expanded by fp8-expand-casts: ";
  };
  if (auto truncf = dyn_cast<arith::TruncFOp>(op)) {
    std::optional<arith::RoundingMode> mode = truncf.getRoundingmode();
    if (mode && *mode != arith::RoundingMode::to_nearest_even)
      return fail() << "rounding mode '" << arith::stringifyRoundingMode(*mode)
                    << "' is not implemented (only to_nearest_even)";
  }
  for (Type type : {getElementTypeOrSelf(op->getOperand(0)),
                    getElementTypeOrSelf(op->getResult(0))}) {
    if (!isNarrowFloat(type)) {
      if (!type.isF32() && !type.isF16() && !type.isBF16())
        return fail() << type
                      << " is not f32, f16, bf16 or a float type of at "
                         "most 8 bits";
      continue;
    }
    std::string whyNot;
    FailureOr<FloatFormat> format =
        FloatFormat::get(cast<FloatType>(type), &whyNot);
    if (failed(format))
      return fail() << type << " " << whyNot;
    if (format->nonFinite == FloatFormat::NonFinite::FiniteOnly &&
        (!format->isSigned || !format->hasZero))
      return fail() << type
                    << " has no NaN to give for negative or zero inputs";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise integer arithmetic on scalars and vectors
//===----------------------------------------------------------------------===//

/// `type` (a scalar or a vector) with its element type replaced.
static Type withElementType(Type type, Type elementType) {
  if (auto vectorType = dyn_cast<VectorType>(type))
    return vectorType.clone(elementType);
  return elementType;
}

namespace {
/// Emits i32 bit manipulation elementwise on one shape (a scalar or a
/// vector), with constants splatted to that shape, so that the expansion of
/// a vector cast stays a straight line of vector ops.
class BitBuilder {
public:
  BitBuilder(ImplicitLocOpBuilder &b, Type shape)
      : b(b), i32Type(withElementType(shape, b.getI32Type())),
        f32Type(withElementType(shape, b.getF32Type())) {}

  /// An i32 constant (every bit pattern and shift used here fits).
  Value constant(int64_t value) {
    assert(value >= INT32_MIN && value <= INT32_MAX && "not an i32 value");
    return arith::ConstantOp::create(
        b,
        makeSplat(i32Type, b.getI32IntegerAttr(static_cast<int32_t>(value))));
  }
  Value constantF32(float value) {
    return arith::ConstantOp::create(
        b, makeSplat(f32Type, b.getF32FloatAttr(value)));
  }

  Value add(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, x, y); }
  Value bitAnd(Value x, Value y) { return arith::AndIOp::create(b, x, y); }
  Value bitOr(Value x, Value y) { return arith::OrIOp::create(b, x, y); }
  Value bitXor(Value x, Value y) { return arith::XOrIOp::create(b, x, y); }
  Value shl(Value x, Value y) { return arith::ShLIOp::create(b, x, y); }
  Value lshr(Value x, Value y) { return arith::ShRUIOp::create(b, x, y); }
  Value smax(Value x, Value y) { return arith::MaxSIOp::create(b, x, y); }
  Value smin(Value x, Value y) { return arith::MinSIOp::create(b, x, y); }
  Value cmp(arith::CmpIPredicate predicate, Value x, Value y) {
    return arith::CmpIOp::create(b, predicate, x, y);
  }
  Value select(Value condition, Value x, Value y) {
    return arith::SelectOp::create(b, condition, x, y);
  }

  // Integer-constant shorthands for the right-hand side; the identities
  // (x + 0, x << 0, x >> 0) emit nothing.
  Value add(Value x, int64_t y) { return y ? add(x, constant(y)) : x; }
  Value bitAnd(Value x, int64_t y) { return bitAnd(x, constant(y)); }
  Value shl(Value x, int64_t y) { return y ? shl(x, constant(y)) : x; }
  Value lshr(Value x, int64_t y) { return y ? lshr(x, constant(y)) : x; }

  /// The i32 bit pattern of an f32 value.
  Value bitsOf(Value f32Value) {
    return arith::BitcastOp::create(b, i32Type, f32Value);
  }
  /// The f32 value of an i32 bit pattern.
  Value f32Of(Value bits) { return arith::BitcastOp::create(b, f32Type, bits); }

  ImplicitLocOpBuilder &b;
  Type i32Type, f32Type;

private:
  static TypedAttr makeSplat(Type type, TypedAttr scalar) {
    if (auto shaped = dyn_cast<ShapedType>(type))
      return SplatElementsAttr::get(shaped, scalar);
    return scalar;
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// Encoding and decoding
//===----------------------------------------------------------------------===//

/// The magnitude `narrow` gives to values beyond its largest finite one
/// (infinity included): IEEE infinity, the NaN, or the largest value itself.
static uint64_t getOverflowMagnitude(const FloatFormat &narrow) {
  switch (narrow.nonFinite) {
  case FloatFormat::NonFinite::IEEE:
    return narrow.infinity;
  case FloatFormat::NonFinite::NaNOnly:
    return narrow.quietNaN;
  case FloatFormat::NonFinite::FiniteOnly:
    return narrow.maxFinite;
  }
  llvm_unreachable("unknown non-finite behaviour");
}

/// Rounds f32 values to the nearest `narrow` values, ties to even, and
/// returns their bit patterns in the low bits of i32s. `wide` is f32's
/// layout. Branch-free: every case is computed and picked with selects.
static Value encodeF32(BitBuilder &ib, Value value, const FloatFormat &wide,
                       const FloatFormat &narrow) {
  using Pred = arith::CmpIPredicate;
  const int64_t wideM = wide.mantissaBits, narrowM = narrow.mantissaBits;

  Value bits = ib.bitsOf(value);
  Value magnitude = ib.bitAnd(bits, wide.getMagnitudeMask());
  // The sign bit in its place in `narrow` (none in unsigned formats).
  Value sign;
  if (narrow.isSigned)
    sign = ib.shl(ib.lshr(bits, wide.width - 1), narrow.width - 1);
  Value negative = ib.cmp(Pred::slt, bits, ib.constant(0));
  Value isNaN = ib.cmp(Pred::ugt, magnitude, ib.constant(wide.infinity));

  // The significand with its implicit bit (f32 subnormals have none and the
  // exponent of exponent field 1).
  Value exponentField = ib.lshr(magnitude, wideM);
  Value fraction = ib.bitAnd(magnitude, wide.getMantissaMask());
  Value significand =
      ib.select(ib.cmp(Pred::eq, exponentField, ib.constant(0)), fraction,
                ib.bitOr(fraction, ib.constant(int64_t(1) << wideM)));
  // The exponent field the value gets in `narrow`; <= 0 below its normal
  // range, where each binade further down costs one more mantissa bit.
  Value narrowExponent =
      ib.add(ib.smax(exponentField, ib.constant(1)), narrow.bias - wide.bias);
  Value belowNormal =
      ib.smax(ib.sub(ib.constant(1), narrowExponent), ib.constant(0));
  // Shifting by wideM + 2 already rounds every significand to 0; clamping
  // there keeps the shifts in range.
  Value shift =
      ib.smin(ib.add(belowNormal, wideM - narrowM), ib.constant(wideM + 2));

  // Round to nearest, ties to even: add just under half a unit of the last
  // kept place, plus one more when that kept bit is odd; then shift.
  Value keptLsb = ib.bitAnd(ib.lshr(significand, shift), 1);
  Value justUnderHalf =
      ib.sub(ib.shl(ib.constant(1), ib.add(shift, -1)), ib.constant(1));
  Value rounded =
      ib.lshr(ib.add(ib.add(significand, justUnderHalf), keptLsb), shift);

  // Pack. `rounded` keeps the implicit bit, which adds the missing one to
  // the exponent field (exponent - 1 is stored); a carry out of the mantissa
  // moves the value to the next binade the same way.
  Value storedExponent = ib.add(ib.smax(narrowExponent, ib.constant(1)), -1);
  Value packed = ib.add(ib.shl(storedExponent, narrowM), rounded);
  Value overflow = ib.cmp(Pred::ugt, packed, ib.constant(narrow.maxFinite));
  Value result =
      ib.select(overflow, ib.constant(getOverflowMagnitude(narrow)), packed);
  if (sign)
    result = ib.bitOr(result, sign);

  // NaN, and what `narrow` cannot represent: negative values in unsigned
  // formats and zero in formats without one.
  Value toNaN = isNaN;
  if (!narrow.isSigned) {
    Value nonZero = ib.cmp(Pred::ne, magnitude, ib.constant(0));
    toNaN = ib.bitOr(toNaN, ib.bitAnd(negative, nonZero));
  }
  if (!narrow.hasZero)
    toNaN = ib.bitOr(toNaN, ib.cmp(Pred::eq, magnitude, ib.constant(0)));
  // Formats without NaN give the zero of the opposite sign (ml_dtypes);
  // verifyExpandable made sure they are signed.
  Value nan;
  if (narrow.nonFinite == FloatFormat::NonFinite::FiniteOnly)
    nan = ib.bitXor(sign, ib.constant(narrow.getSignBit()));
  else if (sign)
    nan = ib.bitOr(ib.constant(narrow.quietNaN), sign);
  else
    nan = ib.constant(narrow.quietNaN);
  return ib.select(toNaN, nan, result);
}

/// Returns the f32 values of `narrow` bit patterns held in the low bits of
/// i32s. Exact: every narrow value is an f32 value. `wide` is f32's layout.
static Value decodeToF32(BitBuilder &ib, Value bits, const FloatFormat &narrow,
                         const FloatFormat &wide) {
  using Pred = arith::CmpIPredicate;
  const int64_t wideM = wide.mantissaBits, narrowM = narrow.mantissaBits;

  Value magnitude = ib.bitAnd(bits, narrow.getMagnitudeMask());
  Value exponentField = ib.lshr(magnitude, narrowM);
  Value fraction = ib.bitAnd(magnitude, narrow.getMantissaMask());

  // Normal numbers: rebias the exponent, widen the mantissa.
  const int64_t rebias = wide.bias - narrow.bias;
  const int64_t lowestNormalField = narrow.hasZero ? 1 : 0;
  Value result;
  if (lowestNormalField + rebias >= 1) {
    result = ib.add(ib.shl(magnitude, wideM - narrowM), rebias << wideM);
  } else {
    // The lowest binades are below f32's normal range (E8M0's 2^-127):
    // shift the significand into f32's subnormal encoding there.
    Value wideExponent = ib.add(exponentField, rebias);
    Value significand = ib.bitOr(ib.shl(fraction, wideM - narrowM),
                                 ib.constant(int64_t(1) << wideM));
    Value storedExponent = ib.add(ib.smax(wideExponent, ib.constant(1)), -1);
    Value belowNormal =
        ib.smax(ib.sub(ib.constant(1), wideExponent), ib.constant(0));
    result = ib.add(ib.shl(storedExponent, wideM),
                    ib.lshr(significand, belowNormal));
  }

  // Zero and subnormals: fraction * 2^(1 - bias - mantissaBits), exact.
  if (narrow.hasZero) {
    Value fractionF32 = arith::UIToFPOp::create(ib.b, ib.f32Type, fraction);
    Value scaled = arith::MulFOp::create(
        ib.b, fractionF32,
        ib.constantF32(std::ldexp(1.0f, 1 - narrow.bias - narrowM)));
    result = ib.select(ib.cmp(Pred::eq, exponentField, ib.constant(0)),
                       ib.bitsOf(scaled), result);
  }

  Value isNaN;
  switch (narrow.nonFinite) {
  case FloatFormat::NonFinite::IEEE:
    result =
        ib.select(ib.cmp(Pred::eq, magnitude, ib.constant(narrow.infinity)),
                  ib.constant(wide.infinity), result);
    isNaN = ib.cmp(Pred::ugt, magnitude, ib.constant(narrow.infinity));
    break;
  case FloatFormat::NonFinite::NaNOnly:
    isNaN = ib.cmp(Pred::eq, magnitude, ib.constant(narrow.quietNaN));
    break;
  case FloatFormat::NonFinite::FiniteOnly:
    break;
  }
  if (isNaN)
    result = ib.select(isNaN, ib.constant(wide.quietNaN), result);
  if (narrow.isSigned)
    result = ib.bitOr(result,
                      ib.shl(ib.lshr(bits, narrow.width - 1), wide.width - 1));
  return ib.f32Of(result);
}

/// Converts scalar or vector `value` to `targetType` (same shape) through
/// f32: exactly to f32 (decoding a narrow source, extending f16/bf16), then
/// with the one rounding to the target. That rounding is integer code for
/// f16 and bf16 targets too: LLVM's native f32 -> bf16 truncation flushes
/// subnormals on hosts with AVX512-BF16 (E8M0 0x00 = 2^-127 became 0).
static Value castThroughF32(ImplicitLocOpBuilder &b, Value value,
                            Type targetType) {
  Type shape = value.getType();
  BitBuilder ib(b, shape);
  FloatFormat wide = getFormat(b.getF32Type());

  Type sourceElement = getElementTypeOrSelf(shape);
  Value f32Value = value;
  if (isNarrowFloat(sourceElement)) {
    FloatFormat narrow = getFormat(sourceElement);
    Type intType = withElementType(shape, b.getIntegerType(narrow.width));
    Value bits = arith::BitcastOp::create(b, intType, value);
    f32Value = decodeToF32(ib, arith::ExtUIOp::create(b, ib.i32Type, bits),
                           narrow, wide);
  } else if (!sourceElement.isF32()) {
    f32Value = arith::ExtFOp::create(b, ib.f32Type, value);
  }

  Type targetElement = getElementTypeOrSelf(targetType);
  if (targetElement.isF32())
    return f32Value;
  FloatFormat target = getFormat(targetElement);
  Type intType = withElementType(shape, b.getIntegerType(target.width));
  Value bits = arith::TruncIOp::create(b, intType,
                                       encodeF32(ib, f32Value, wide, target));
  return arith::BitcastOp::create(b, targetType, bits);
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

/// Moves a narrow cast on a ranked tensor into a linalg.generic that casts
/// one element at a time, so that its expansion runs as one loop after
/// bufferization (tensor-level arith ops do not bufferize, and dynamic
/// shapes have no arith.constant splats):
///
///   %q = arith.truncf %x : tensor<?xf32> to tensor<?xf8E4M3FN>
/// becomes
///   %init = tensor.empty(%n) : tensor<?xf8E4M3FN>
///   %q = linalg.generic {...} ins(%x) outs(%init) {
///   ^bb0(%in: f32, %out: f8E4M3FN):
///     %e = arith.truncf %in : f32 to f8E4M3FN
///     linalg.yield %e : f8E4M3FN
///   } -> tensor<?xf8E4M3FN>
template <typename CastOp>
struct CastTensorElementwise : OpRewritePattern<CastOp> {
  using OpRewritePattern<CastOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(CastOp op,
                                PatternRewriter &rewriter) const override {
    auto resultType = dyn_cast<RankedTensorType>(op.getType());
    if (!resultType || !isNarrowCast(op))
      return failure();
    Location loc = op.getLoc();
    Value input = op.getIn();
    Value init = tensor::EmptyOp::create(
        rewriter, loc, tensor::getMixedSizes(rewriter, loc, input),
        resultType.getElementType());
    int64_t rank = resultType.getRank();
    SmallVector<AffineMap> maps(2, rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{input},
        ValueRange{init}, maps, iterators,
        [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
          OperationState state(nestedLoc, op->getName(), ValueRange{args[0]},
                               TypeRange{resultType.getElementType()},
                               op->getAttrs());
          Operation *element = nested.create(state);
          linalg::YieldOp::create(nested, nestedLoc, element->getResult(0));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// Expands a narrow arith.truncf or arith.extf on a scalar or a vector into
/// integer bit operations on the same shape (see castThroughF32).
template <typename CastOp> struct ExpandNarrowCast : OpRewritePattern<CastOp> {
  using OpRewritePattern<CastOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(CastOp op,
                                PatternRewriter &rewriter) const override {
    if (isa<TensorType>(op.getType()) || !isNarrowCast(op))
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    rewriter.replaceOp(op, castThroughF32(b, op.getIn(), op.getType()));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

struct FP8ExpandCastsPass
    : public fp8::impl::FP8ExpandCastsBase<FP8ExpandCastsPass> {
  void runOnOperation() override {
    bool anyUnsupported = false;
    getOperation()->walk([&](Operation *op) {
      if (isNarrowCast(op) && failed(verifyExpandable(op)))
        anyUnsupported = true;
    });
    if (anyUnsupported)
      return signalPassFailure();

    RewritePatternSet patterns(&getContext());
    patterns.add<CastTensorElementwise<arith::TruncFOp>,
                 CastTensorElementwise<arith::ExtFOp>,
                 ExpandNarrowCast<arith::TruncFOp>,
                 ExpandNarrowCast<arith::ExtFOp>>(&getContext());
    // No folding: APFloat would fold constant casts with semantics that
    // differ from ours in corner cases (NaN to FP4, E8M0 zero).
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
  }
};

} // namespace
