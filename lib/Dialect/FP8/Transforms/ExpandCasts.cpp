//===- ExpandCasts.cpp - Narrow float casts to integer bit operations -----===//
//
// Part of fp8-mlir. Implements fp8-expand-casts: arith.truncf and arith.extf
// to and from the FP8/FP6/FP4/E8M0 types, and to and from f16 and bf16,
// become integer bit manipulation on the f32 bit pattern, so any CPU target
// runs them without a runtime library or a CPU feature (AVX512-BF16, F16C).
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

/// True for f16 and bf16, whose casts LLVM lowers to native instructions
/// only on some hosts (F16C, AVX512-BF16) and to runtime library calls
/// (`__truncsfbf2`, `__extendhfsf2`, ...) elsewhere.
static bool isHalfFloat(Type type) { return type.isF16() || type.isBF16(); }

/// True for the casts this pass expands: an arith.truncf or arith.extf with a
/// narrow float on either side, or (with `includeHalf`) with f16/bf16 on
/// either side and the default rounding (a truncf to f16/bf16 with an
/// explicit other rounding mode is left to LLVM).
static bool isExpandedCast(Operation *op, bool includeHalf) {
  if (!isa<arith::TruncFOp, arith::ExtFOp>(op))
    return false;
  Type source = getElementTypeOrSelf(op->getOperand(0));
  Type result = getElementTypeOrSelf(op->getResult(0));
  if (isNarrowFloat(source) || isNarrowFloat(result))
    return true;
  if (!includeHalf || (!isHalfFloat(source) && !isHalfFloat(result)))
    return false;
  auto truncf = dyn_cast<arith::TruncFOp>(op);
  return !truncf || !truncf.getRoundingmode() ||
         *truncf.getRoundingmode() == arith::RoundingMode::to_nearest_even;
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
      if (!type.isF64() && !type.isF32() && !isHalfFloat(type))
        return fail() << type
                      << " is not f64, f32, f16, bf16 or a float type of at "
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

  // The exponent field and significand (with its implicit bit) the value
  // would have if f32 had no subnormals. A subnormal f32 is first scaled by
  // 2^24 (exact) to make it normal; its exponent field then drops to <= 0.
  // Formats whose range reaches below f32's normal range (E8M0, bf16) need
  // the true exponent to round there.
  constexpr int64_t kSubnormalScaleLog2 = 24;
  Value exponentField = ib.lshr(magnitude, wideM);
  Value isSubnormal = ib.cmp(Pred::eq, exponentField, ib.constant(0));
  Value scaled = ib.bitAnd(
      ib.bitsOf(arith::MulFOp::create(
          ib.b, ib.f32Of(magnitude),
          ib.constantF32(std::ldexp(1.0f, kSubnormalScaleLog2)))),
      wide.getMagnitudeMask());
  exponentField =
      ib.select(isSubnormal,
                ib.add(ib.lshr(scaled, wideM), -kSubnormalScaleLog2),
                exponentField);
  Value fraction = ib.bitAnd(ib.select(isSubnormal, scaled, magnitude),
                             wide.getMantissaMask());
  Value significand =
      ib.select(ib.cmp(Pred::eq, magnitude, ib.constant(0)), ib.constant(0),
                ib.bitOr(fraction, ib.constant(int64_t(1) << wideM)));
  // The exponent field the value gets in `narrow`; below `lowestNormal`
  // (1, or 0 in formats without zero, whose field 0 is a normal number) each
  // binade further down costs one more mantissa bit.
  const int64_t lowestNormal = narrow.hasZero ? 1 : 0;
  Value narrowExponent = ib.add(exponentField, narrow.bias - wide.bias);
  Value belowNormal = ib.smax(
      ib.sub(ib.constant(lowestNormal), narrowExponent), ib.constant(0));
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
  // moves the value to the next binade the same way. Formats without zero
  // give their smallest value to everything that rounds below it.
  Value storedExponent =
      ib.add(ib.smax(narrowExponent, ib.constant(lowestNormal)), -1);
  Value packed = ib.add(ib.shl(storedExponent, narrowM), rounded);
  if (!narrow.hasZero)
    packed = ib.smax(packed, ib.constant(0));
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
  // Formats without NaN give the zero of the NaN's sign, as APFloat (the
  // arith constant folder) does, so that folded and unfolded programs agree;
  // verifyExpandable made sure they are signed.
  Value nan;
  if (narrow.nonFinite == FloatFormat::NonFinite::FiniteOnly)
    nan = sign;
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

/// Rounds f64 values to f32 with round-to-odd: an inexact result gets an odd
/// last mantissa bit. f32 keeps more than twice the precision of every type
/// this pass rounds to (p >= 2q + 2, q <= 11 for f16), so rounding that
/// f32 once more, to nearest, gives the correctly rounded f64 result; a
/// plain nearest rounding to f32 first could round twice. NaN stays NaN,
/// and a finite value beyond f32's range becomes its largest value (odd),
/// which the second rounding takes to the target's overflow result.
static Value roundToOddF32(ImplicitLocOpBuilder &b, BitBuilder &ib,
                           Value value) {
  using FPred = arith::CmpFPredicate;
  Value nearest = arith::TruncFOp::create(b, ib.f32Type, value);
  Value back = arith::ExtFOp::create(b, value.getType(), nearest);
  // Ordered: false for NaN, which stays as it is.
  Value inexact = arith::CmpFOp::create(b, FPred::ONE, back, value);
  Value zero = arith::ConstantOp::create(
      b, b.getZeroAttr(value.getType()));
  Value positive = arith::CmpFOp::create(b, FPred::OGT, value, zero);
  // Nearest rounding went away from zero: step one ulp back (the bits are
  // sign and magnitude, so -1 / +1 move the magnitude either sign).
  Value awayFromZero =
      ib.select(positive, arith::CmpFOp::create(b, FPred::OGT, back, value),
                arith::CmpFOp::create(b, FPred::OLT, back, value));
  Value bits = ib.bitsOf(nearest);
  Value stepped = ib.select(awayFromZero, ib.add(bits, -1), ib.add(bits, 1));
  Value even = ib.cmp(arith::CmpIPredicate::eq, ib.bitAnd(bits, 1),
                      ib.constant(0));
  return ib.f32Of(ib.select(arith::AndIOp::create(b, inexact, even), stepped,
                            bits));
}

/// Converts scalar or vector `value` to `targetType` (same shape) through
/// f32: exactly to f32 (decoding a narrow, f16 or bf16 source with integer
/// code; an f64 source is rounded to odd), then with the one rounding to the
/// target, also integer code (an f64 target is an exact native extension).
/// Without `includeHalf`, f16 and bf16 sources are extended natively.
/// Native f16/bf16 casts would be host-dependent: LLVM emits library calls
/// (`__truncsfbf2`, `__extendhfsf2`) on hosts without AVX512-BF16 or F16C,
/// which a JIT cannot resolve, and the AVX512-BF16 truncation flushes
/// subnormals (E8M0 0x00 = 2^-127 became 0).
static Value castThroughF32(ImplicitLocOpBuilder &b, Value value,
                            Type targetType, bool includeHalf) {
  Type shape = value.getType();
  BitBuilder ib(b, shape);
  FloatFormat wide = getFormat(b.getF32Type());

  Type sourceElement = getElementTypeOrSelf(shape);
  Value f32Value = value;
  if (isNarrowFloat(sourceElement) ||
      (includeHalf && isHalfFloat(sourceElement))) {
    FloatFormat narrow = getFormat(sourceElement);
    Type intType = withElementType(shape, b.getIntegerType(narrow.width));
    Value bits = arith::BitcastOp::create(b, intType, value);
    f32Value = decodeToF32(ib, arith::ExtUIOp::create(b, ib.i32Type, bits),
                           narrow, wide);
  } else if (sourceElement.isF64()) {
    f32Value = roundToOddF32(b, ib, value);
  } else if (!sourceElement.isF32()) {
    f32Value = arith::ExtFOp::create(b, ib.f32Type, value);
  }

  Type targetElement = getElementTypeOrSelf(targetType);
  if (targetElement.isF32())
    return f32Value;
  if (targetElement.isF64())
    return arith::ExtFOp::create(b, targetType, f32Value);
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
  CastTensorElementwise(MLIRContext *context, bool includeHalf)
      : OpRewritePattern<CastOp>(context), includeHalf(includeHalf) {}

  LogicalResult matchAndRewrite(CastOp op,
                                PatternRewriter &rewriter) const override {
    auto resultType = dyn_cast<RankedTensorType>(op.getType());
    if (!resultType || !isExpandedCast(op, includeHalf))
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

  bool includeHalf;
};

/// Expands a narrow arith.truncf or arith.extf on a scalar or a vector into
/// integer bit operations on the same shape (see castThroughF32).
template <typename CastOp> struct ExpandNarrowCast : OpRewritePattern<CastOp> {
  ExpandNarrowCast(MLIRContext *context, bool includeHalf)
      : OpRewritePattern<CastOp>(context), includeHalf(includeHalf) {}

  LogicalResult matchAndRewrite(CastOp op,
                                PatternRewriter &rewriter) const override {
    if (isa<TensorType>(op.getType()) || !isExpandedCast(op, includeHalf))
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    rewriter.replaceOp(
        op, castThroughF32(b, op.getIn(), op.getType(), includeHalf));
    return success();
  }

  bool includeHalf;
};

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

struct FP8ExpandCastsPass
    : public fp8::impl::FP8ExpandCastsBase<FP8ExpandCastsPass> {
  using Base::Base;

  void runOnOperation() override {
    bool anyUnsupported = false;
    getOperation()->walk([&](Operation *op) {
      if (isExpandedCast(op, includeF16BF16) && failed(verifyExpandable(op)))
        anyUnsupported = true;
    });
    if (anyUnsupported)
      return signalPassFailure();

    RewritePatternSet patterns(&getContext());
    patterns.add<CastTensorElementwise<arith::TruncFOp>,
                 CastTensorElementwise<arith::ExtFOp>,
                 ExpandNarrowCast<arith::TruncFOp>,
                 ExpandNarrowCast<arith::ExtFOp>>(&getContext(),
                                                  includeF16BF16);
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
