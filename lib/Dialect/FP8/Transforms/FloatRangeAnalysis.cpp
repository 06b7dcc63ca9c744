//===- FloatRangeAnalysis.cpp - Sound element intervals of floats ---------===//
//
// Part of fp8-mlir. The transfer functions of FloatRangeAnalysis (see the
// header for what is covered and why the bounds survive rounding).
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/FloatRangeAnalysis.h"
#include "fp8/Dialect/FP8/Transforms/FloatRangePatterns.h"
#include "mlir/Analysis/DataFlow/ConstantPropagationAnalysis.h"
#include "mlir/Analysis/DataFlow/DeadCodeAnalysis.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::dataflow;

static constexpr double kInf = std::numeric_limits<double>::infinity();

//===----------------------------------------------------------------------===//
// FloatRange and the lattice
//===----------------------------------------------------------------------===//

FloatRange FloatRange::unbounded() { return FloatRange(-kInf, kInf, true); }

bool FloatRange::isFinite() const {
  return std::isfinite(lo) && std::isfinite(hi);
}

double FloatRange::getMaxMagnitude() const {
  return std::max(std::fabs(lo), std::fabs(hi));
}

FloatRange FloatRange::join(const FloatRange &lhs, const FloatRange &rhs) {
  return FloatRange(std::min(lhs.lo, rhs.lo), std::max(lhs.hi, rhs.hi),
                    lhs.mayBeNaN || rhs.mayBeNaN);
}

void FloatRange::print(raw_ostream &os) const {
  os << "[" << llvm::formatv("{0:e}", lo).str() << ", "
     << llvm::formatv("{0:e}", hi).str() << "]";
  if (mayBeNaN)
    os << " nan";
}

FloatRangeValue FloatRangeValue::join(const FloatRangeValue &lhs,
                                      const FloatRangeValue &rhs) {
  if (lhs.isUninitialized())
    return rhs;
  if (rhs.isUninitialized())
    return lhs;
  return FloatRange::join(lhs.getValue(), rhs.getValue());
}

void FloatRangeValue::print(raw_ostream &os) const {
  if (isUninitialized())
    os << "<uninitialized>";
  else
    range->print(os);
}

/// Widens `joined` (which contains `old`) to infinity on each side where it
/// grew past `old`.
static FloatRange widen(const FloatRange &old, const FloatRange &joined) {
  return FloatRange(joined.getLo() < old.getLo() ? -kInf : joined.getLo(),
                    joined.getHi() > old.getHi() ? kInf : joined.getHi(),
                    joined.getMayBeNaN());
}

ChangeResult FloatRangeLattice::join(const AbstractSparseLattice &rhs) {
  return joinWidening(static_cast<const FloatRangeLattice &>(rhs).getValue());
}

ChangeResult FloatRangeLattice::joinWidening(const FloatRangeValue &rhs) {
  FloatRangeValue old = getValue();
  FloatRangeValue joined = FloatRangeValue::join(old, rhs);
  if (joined == old)
    return ChangeResult::NoChange;
  // A range that keeps growing (a sum over a reduction's init argument, a
  // loop-carried value) jumps to infinity on the growing side, so the
  // fixpoint is reached after a bounded number of steps.
  if (!old.isUninitialized() && ++growth > kWidenAfter)
    joined = widen(old.getValue(), joined.getValue());
  getValue() = joined;
  return ChangeResult::Change;
}

//===----------------------------------------------------------------------===//
// Directed rounding in the element type
//===----------------------------------------------------------------------===//

namespace {
enum class Direction { down, up };

/// Arithmetic on bounds in the element type's own format, rounded toward
/// -inf for lower bounds and +inf for upper bounds: the exact result of the
/// op on any operands inside the bounds lies between them, and the
/// round-to-nearest result the program computes does too (rounding is
/// monotone).
class BoundArith {
public:
  explicit BoundArith(FloatType type) : semantics(type.getFloatSemantics()) {}

  /// `value` in the element type, rounded in `direction`.
  APFloat get(double value, Direction direction) const {
    APFloat result(value);
    bool losesInfo;
    result.convert(semantics, roundingMode(direction), &losesInfo);
    return result;
  }
  /// Back to double (exact: every format handled here fits in double).
  static double toDouble(APFloat value) {
    bool losesInfo;
    value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                  &losesInfo);
    return value.convertToDouble();
  }
  /// `value` rounded to the element type in `direction`.
  double round(double value, Direction direction) const {
    return toDouble(get(value, direction));
  }
  /// `value` (a double approximation of a transcendental function) rounded
  /// outward and then moved two more units in the last place outward, which
  /// covers the error of the double computation and of the program's own
  /// implementation of the function (at most one ulp for the ones used).
  double widenApprox(double value, Direction direction) const {
    if (std::isinf(value) || std::isnan(value))
      return value;
    APFloat result = get(value, direction);
    for (int i = 0; i < 2; ++i)
      if (!result.isInfinity())
        result.next(/*nextDown=*/direction == Direction::down);
    return toDouble(result);
  }

  enum class Op { add, sub, mul, div };
  /// `lhs op rhs` rounded in `direction`; NaN when the op is undefined on
  /// these ends (inf - inf, 0 * inf, inf / inf).
  double apply(Op op, double lhs, double rhs, Direction direction) const {
    APFloat a = get(lhs, direction), b = get(rhs, direction);
    APFloat::roundingMode mode = roundingMode(direction);
    switch (op) {
    case Op::add:
      a.add(b, mode);
      break;
    case Op::sub:
      a.subtract(b, mode);
      break;
    case Op::mul:
      a.multiply(b, mode);
      break;
    case Op::div:
      a.divide(b, mode);
      break;
    }
    return toDouble(a);
  }

private:
  static APFloat::roundingMode roundingMode(Direction direction) {
    return direction == Direction::up ? APFloat::rmTowardPositive
                                      : APFloat::rmTowardNegative;
  }
  const llvm::fltSemantics &semantics;
};
} // namespace

//===----------------------------------------------------------------------===//
// Elementwise transfer functions
//===----------------------------------------------------------------------===//

static bool hasInfiniteEnd(const FloatRange &range) {
  return std::isinf(range.getLo()) || std::isinf(range.getHi());
}

/// lhs + rhs and lhs - rhs: the ends combine directly.
static FloatRange addOrSub(const FloatRange &lhs, const FloatRange &rhs,
                           bool subtract, const BoundArith &arith) {
  double rhsLo = subtract ? -rhs.getHi() : rhs.getLo();
  double rhsHi = subtract ? -rhs.getLo() : rhs.getHi();
  // inf + -inf is NaN; x - y is x + (-y), exactly.
  bool nan = lhs.getMayBeNaN() || rhs.getMayBeNaN() ||
             (lhs.getHi() == kInf && rhsLo == -kInf) ||
             (lhs.getLo() == -kInf && rhsHi == kInf);
  double lo = arith.apply(BoundArith::Op::add, lhs.getLo(), rhsLo,
                          Direction::down);
  double hi = arith.apply(BoundArith::Op::add, lhs.getHi(), rhsHi,
                          Direction::up);
  if (std::isnan(lo) || std::isnan(hi))
    return FloatRange::unbounded();
  return FloatRange(lo, hi, nan);
}

/// lhs * rhs and lhs / rhs: the extreme non-NaN results are at the corners
/// of the two intervals (with 0 * inf taken as its limit 0 and corners that
/// are NaN, like inf / inf, left out: their neighbourhoods reach the same
/// extremes through the other corners).
static FloatRange mulOrDiv(const FloatRange &lhs, const FloatRange &rhs,
                           bool divide, const BoundArith &arith) {
  bool nan = lhs.getMayBeNaN() || rhs.getMayBeNaN();
  if (divide) {
    // Division by a value that may be 0 may give either infinity.
    if (rhs.contains(0.0))
      return FloatRange::unbounded();
    nan |= hasInfiniteEnd(lhs) && hasInfiniteEnd(rhs);
  } else {
    nan |= (lhs.contains(0.0) && hasInfiniteEnd(rhs)) ||
           (rhs.contains(0.0) && hasInfiniteEnd(lhs));
  }
  auto op = divide ? BoundArith::Op::div : BoundArith::Op::mul;
  double lo = kInf, hi = -kInf;
  for (double a : {lhs.getLo(), lhs.getHi()}) {
    for (double b : {rhs.getLo(), rhs.getHi()}) {
      for (Direction direction : {Direction::down, Direction::up}) {
        double corner = (!divide && (a == 0.0 || b == 0.0))
                            ? 0.0
                            : arith.apply(op, a, b, direction);
        if (std::isnan(corner))
          continue;
        lo = std::min(lo, corner);
        hi = std::max(hi, corner);
      }
    }
  }
  if (lo > hi)
    return FloatRange::unbounded();
  return FloatRange(lo, hi, nan);
}

/// x * x is never negative.
static FloatRange square(const FloatRange &x, const BoundArith &arith) {
  FloatRange product = mulOrDiv(x, x, /*divide=*/false, arith);
  return FloatRange(x.contains(0.0) ? 0.0 : std::max(0.0, product.getLo()),
                    product.getHi(), x.getMayBeNaN());
}

/// A monotone increasing function `f` whose values lie in [floor, ceiling].
static FloatRange monotone(const FloatRange &x, double (*f)(double),
                           double floor, double ceiling,
                           const BoundArith &arith) {
  double lo = arith.widenApprox(f(x.getLo()), Direction::down);
  double hi = arith.widenApprox(f(x.getHi()), Direction::up);
  return FloatRange(std::clamp(lo, floor, ceiling),
                    std::clamp(hi, floor, ceiling), x.getMayBeNaN());
}

/// exp: increasing, >= 0, and <= 1 for x <= 0 (exp(0) = 1 exactly).
static FloatRange expRange(const FloatRange &x, double (*f)(double),
                      const BoundArith &arith) {
  FloatRange result = monotone(x, f, 0.0, kInf, arith);
  if (x.getHi() <= 0.0)
    result = FloatRange(std::min(result.getLo(), 1.0),
                        std::min(result.getHi(), 1.0), result.getMayBeNaN());
  return result;
}

/// maximumf / minimumf (NaN propagates) and maxnumf / minnumf (NaN only
/// when both are NaN; otherwise the other operand alone may come out).
static FloatRange maxOrMin(const FloatRange &lhs, const FloatRange &rhs,
                           bool isMax, bool propagatesNaN) {
  auto pick = [&](double a, double b) {
    return isMax ? std::max(a, b) : std::min(a, b);
  };
  FloatRange both(pick(lhs.getLo(), rhs.getLo()), pick(lhs.getHi(), rhs.getHi()),
                  lhs.getMayBeNaN() || rhs.getMayBeNaN());
  if (propagatesNaN)
    return both;
  FloatRange result(both.getLo(), both.getHi(),
                    lhs.getMayBeNaN() && rhs.getMayBeNaN());
  if (lhs.getMayBeNaN())
    result = FloatRange::join(result, FloatRange(rhs.getLo(), rhs.getHi(),
                                                 result.getMayBeNaN()));
  if (rhs.getMayBeNaN())
    result = FloatRange::join(result, FloatRange(lhs.getLo(), lhs.getHi(),
                                                 result.getMayBeNaN()));
  return result;
}

/// The range of the elements of a float constant.
static std::optional<FloatRange> getConstantRange(Attribute value) {
  auto rangeOf = [](const APFloat &first) {
    return FloatRange(BoundArith::toDouble(first), BoundArith::toDouble(first),
                      false);
  };
  auto addElement = [](FloatRange range, const APFloat &element) {
    if (element.isNaN())
      return FloatRange(range.getLo(), range.getHi(), true);
    double v = BoundArith::toDouble(element);
    return FloatRange(std::min(range.getLo(), v), std::max(range.getHi(), v),
                      range.getMayBeNaN());
  };
  if (auto floatAttr = dyn_cast<FloatAttr>(value)) {
    if (floatAttr.getValue().isNaN())
      return FloatRange(kInf, -kInf, true);
    return rangeOf(floatAttr.getValue());
  }
  auto dense = dyn_cast<DenseFPElementsAttr>(value);
  if (!dense || dense.empty())
    return std::nullopt;
  FloatRange range(kInf, -kInf, false);
  if (dense.isSplat())
    return addElement(range, dense.getSplatValue<APFloat>());
  for (APFloat element : dense.getValues<APFloat>())
    range = addElement(range, element);
  return range;
}

/// The range of the integers a value of `type` holds, as floats rounded to
/// `arith`'s type (sitofp and uitofp round to nearest, so outward rounding
/// of the ends bounds them).
static FloatRange integerToFloat(Type type, bool isSigned,
                                 const BoundArith &arith) {
  unsigned width = type.getIntOrFloatBitWidth();
  double lo = isSigned ? -std::ldexp(1.0, width - 1) : 0.0;
  double hi = isSigned ? std::ldexp(1.0, width - 1) - 1 : std::ldexp(1.0, width) - 1;
  return FloatRange(arith.round(lo, Direction::down),
                    arith.round(hi, Direction::up), false);
}

//===----------------------------------------------------------------------===//
// The analysis
//===----------------------------------------------------------------------===//

/// The float element type of a scalar or shaped value, else null.
static FloatType getFloatElementType(Value value) {
  return dyn_cast<FloatType>(getElementTypeOrSelf(value.getType()));
}

void FloatRangeAnalysis::setToEntryState(FloatRangeLattice *lattice) {
  propagateIfChanged(lattice,
                     lattice->joinWidening(FloatRange::unbounded()));
}

void FloatRangeAnalysis::update(FloatRangeLattice *lattice,
                                const FloatRange &range) {
  propagateIfChanged(lattice, lattice->joinWidening(range));
}

/// The elementwise transfer function of `op` (same on scalars and tensors),
/// or nullopt for an op it does not know.
static std::optional<FloatRange>
transferElementwise(Operation *op, ArrayRef<FloatRange> in, FloatType type,
                    llvm::function_ref<std::optional<FloatRange>(Value)> rangeOf) {
  BoundArith arith(type);
  auto isNonNegative = [&](Value value) {
    std::optional<FloatRange> range = rangeOf(value);
    return range && range->getLo() >= 0.0;
  };
  auto getLowerBound = [&](Value value) -> std::optional<double> {
    std::optional<FloatRange> range = rangeOf(value);
    if (!range)
      return std::nullopt;
    return range->getLo();
  };
  auto getConstant = [&](Value value) -> std::optional<double> {
    std::optional<FloatRange> range = rangeOf(value);
    if (!range || range->getMayBeNaN() || range->getLo() != range->getHi())
      return std::nullopt;
    return range->getLo();
  };
  // Relational rules first (FloatRangePatterns.h).
  if (std::optional<double> length =
          getRMSNormLength(op, getLowerBound, getConstant)) {
    // sqrt(n), widened by 8 units in the last place of the type for the
    // roundings of x * x, the mean, + eps, rsqrt (two) and the product.
    int precision = llvm::APFloat::semanticsPrecision(type.getFloatSemantics());
    double bound = std::sqrt(*length) * (1.0 + std::ldexp(8.0, -precision));
    bound = arith.round(bound, Direction::up);
    return FloatRange(-bound, bound, true);
  }
  if (isDivisionByRowSum(op, isNonNegative)) {
    // e / s is NaN when both are 0 or both infinite, else in [0, 1].
    return FloatRange(0.0, 1.0, true);
  }
  if (isSubtractionOfRowMax(op)) {
    FloatRange difference = addOrSub(in[0], in[1], true, arith);
    return FloatRange(std::min(difference.getLo(), 0.0),
                      std::min(difference.getHi(), 0.0),
                      difference.getMayBeNaN());
  }
  return llvm::TypeSwitch<Operation *, std::optional<FloatRange>>(op)
      .Case<arith::AddFOp>(
          [&](auto) { return addOrSub(in[0], in[1], false, arith); })
      .Case<arith::SubFOp>(
          [&](auto) { return addOrSub(in[0], in[1], true, arith); })
      .Case<arith::MulFOp>([&](arith::MulFOp mul) {
        if (mul.getLhs() == mul.getRhs())
          return square(in[0], arith);
        return mulOrDiv(in[0], in[1], false, arith);
      })
      .Case<arith::DivFOp>(
          [&](auto) { return mulOrDiv(in[0], in[1], true, arith); })
      .Case<arith::NegFOp>([&](auto) {
        return FloatRange(-in[0].getHi(), -in[0].getLo(), in[0].getMayBeNaN());
      })
      .Case<math::AbsFOp>([&](auto) {
        const FloatRange &x = in[0];
        double lo = x.contains(0.0) ? 0.0
                                    : std::min(std::fabs(x.getLo()),
                                               std::fabs(x.getHi()));
        return FloatRange(lo, x.getMaxMagnitude(), x.getMayBeNaN());
      })
      .Case<arith::MaximumFOp>(
          [&](auto) { return maxOrMin(in[0], in[1], true, true); })
      .Case<arith::MinimumFOp>(
          [&](auto) { return maxOrMin(in[0], in[1], false, true); })
      .Case<arith::MaxNumFOp>(
          [&](auto) { return maxOrMin(in[0], in[1], true, false); })
      .Case<arith::MinNumFOp>(
          [&](auto) { return maxOrMin(in[0], in[1], false, false); })
      .Case<arith::SelectOp>(
          [&](auto) { return FloatRange::join(in[1], in[2]); })
      // extf is exact; truncf rounds to nearest, so rounding the ends
      // outward bounds it (and past the largest finite value gives inf).
      .Case<arith::ExtFOp>([&](auto) { return in[0]; })
      .Case<arith::TruncFOp>([&](auto) {
        return FloatRange(arith.round(in[0].getLo(), Direction::down),
                          arith.round(in[0].getHi(), Direction::up),
                          in[0].getMayBeNaN());
      })
      .Case<arith::SIToFPOp, arith::UIToFPOp>([&](Operation *convert) {
        return integerToFloat(
            getElementTypeOrSelf(convert->getOperand(0).getType()),
            isa<arith::SIToFPOp>(convert), arith);
      })
      .Case<math::ExpOp>(
          [&](auto) { return expRange(in[0], [](double x) { return std::exp(x); },
                                 arith); })
      .Case<math::Exp2Op>(
          [&](auto) { return expRange(in[0], [](double x) { return std::exp2(x); },
                                 arith); })
      .Case<math::TanhOp>([&](auto) {
        return monotone(in[0], [](double x) { return std::tanh(x); }, -1.0,
                        1.0, arith);
      })
      .Case<math::ErfOp>([&](auto) {
        return monotone(in[0], [](double x) { return std::erf(x); }, -1.0,
                        1.0, arith);
      })
      .Case<math::SqrtOp>([&](auto) {
        // sqrt of a negative value is NaN; sqrt(-0) = -0.
        const FloatRange &x = in[0];
        FloatRange root = monotone(
            FloatRange(std::max(x.getLo(), 0.0), std::max(x.getHi(), 0.0),
                       x.getMayBeNaN()),
            [](double v) { return std::sqrt(v); }, 0.0, kInf, arith);
        return FloatRange(root.getLo(), root.getHi(),
                          x.getMayBeNaN() || x.getLo() < 0.0);
      })
      .Case<math::RsqrtOp>([&](auto) {
        // Only for positive inputs: rsqrt(-0) = -inf, negatives give NaN.
        const FloatRange &x = in[0];
        if (!(x.getLo() > 0.0))
          return FloatRange::unbounded();
        double lo = x.getHi() == kInf
                        ? 0.0
                        : arith.widenApprox(1.0 / std::sqrt(x.getHi()),
                                            Direction::down);
        double hi =
            arith.widenApprox(1.0 / std::sqrt(x.getLo()), Direction::up);
        return FloatRange(std::max(lo, 0.0), hi, x.getMayBeNaN());
      })
      .Case<math::LogOp>([&](auto) {
        const FloatRange &x = in[0];
        if (!(x.getLo() >= 0.0))
          return FloatRange(-kInf,
                            x.getHi() < 0.0
                                ? -kInf
                                : arith.widenApprox(std::log(x.getHi()),
                                                    Direction::up),
                            true);
        return monotone(x, [](double v) { return std::log(v); }, -kInf, kInf,
                        arith);
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// Ops that only move or copy elements: the result holds elements of the
/// float operands (and nothing else).
static bool movesData(Operation *op) {
  return isa<tensor::ExtractSliceOp, tensor::InsertSliceOp, tensor::ConcatOp,
             tensor::ExpandShapeOp, tensor::CollapseShapeOp, tensor::CastOp,
             tensor::ExtractOp, tensor::InsertOp, tensor::FromElementsOp,
             tensor::SplatOp, tensor::ReshapeOp>(op);
}

LogicalResult
FloatRangeAnalysis::visitOperation(Operation *op,
                                   ArrayRef<const FloatRangeLattice *> operands,
                                   ArrayRef<FloatRangeLattice *> results) {
  auto setUnbounded = [&] {
    for (FloatRangeLattice *result : results)
      setToEntryState(result);
    return success();
  };
  // Float operands must be known first (integer operands are unbounded).
  SmallVector<FloatRange> in;
  for (auto [operand, lattice] : llvm::zip(op->getOperands(), operands)) {
    if (!getFloatElementType(operand)) {
      in.push_back(FloatRange::unbounded());
      continue;
    }
    if (lattice->getValue().isUninitialized())
      return success();
    in.push_back(lattice->getValue().getValue());
  }

  // Constants.
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    if (std::optional<FloatRange> range = getConstantRange(constant.getValue()))
      update(results[0], *range);
    else
      setToEntryState(results[0]);
    return success();
  }

  // linalg.softmax: exp(x - max x) / sum: in [0, 1], NaN when x holds NaN
  // or an infinity (inf - inf) or when a whole row is -inf.
  if (isa<linalg::SoftmaxOp>(op)) {
    update(results[0], FloatRange(0.0, 1.0, true));
    return success();
  }

  // linalg ops: what the body yields (its arguments are set by
  // visitNonControlFlowArguments). Memref-based ones have no results.
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    Operation *yield = linalgOp.getBlock()->getTerminator();
    for (auto [result, yielded] :
         llvm::zip(results, yield->getOperands())) {
      const FloatRangeLattice *yieldedLattice =
          getLatticeElementFor(getProgramPointAfter(op), yielded);
      if (!getFloatElementType(yielded))
        setToEntryState(result);
      else if (!yieldedLattice->getValue().isUninitialized())
        update(result, yieldedLattice->getValue().getValue());
    }
    return success();
  }

  // tensor.empty holds undefined elements; tensor.pad adds its padding
  // value, which only a constant padding makes known.
  if (auto pad = dyn_cast<tensor::PadOp>(op)) {
    Value padding = pad.getConstantPaddingValue();
    if (!padding)
      return setUnbounded();
    const FloatRangeLattice *paddingLattice =
        getLatticeElementFor(getProgramPointAfter(op), padding);
    if (paddingLattice->getValue().isUninitialized())
      return success();
    update(results[0], FloatRange::join(in[0],
                                        paddingLattice->getValue().getValue()));
    return success();
  }
  if (movesData(op)) {
    std::optional<FloatRange> joined;
    for (auto [operand, range] : llvm::zip(op->getOperands(), in)) {
      if (!getFloatElementType(operand))
        continue;
      joined = joined ? FloatRange::join(*joined, range) : range;
    }
    if (!joined || op->getNumResults() != 1 ||
        !getFloatElementType(op->getResult(0)))
      return setUnbounded();
    update(results[0], *joined);
    return success();
  }

  // Elementwise arith and math ops, on scalars or tensors.
  if (op->getNumResults() != 1)
    return setUnbounded();
  FloatType type = getFloatElementType(op->getResult(0));
  if (!type)
    return setUnbounded();
  auto rangeOf = [&](Value value) -> std::optional<FloatRange> {
    if (!getFloatElementType(value))
      return std::nullopt;
    const FloatRangeLattice *lattice =
        getLatticeElementFor(getProgramPointAfter(op), value);
    if (lattice->getValue().isUninitialized())
      return std::nullopt;
    return lattice->getValue().getValue();
  };
  std::optional<FloatRange> range = transferElementwise(op, in, type, rangeOf);
  if (!range)
    return setUnbounded();
  update(results[0], *range);
  return success();
}

void FloatRangeAnalysis::visitNonControlFlowArguments(
    Operation *op, const RegionSuccessor &successor,
    ArrayRef<FloatRangeLattice *> argLattices, unsigned firstIndex) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp || !linalgOp.hasPureTensorSemantics()) {
    for (FloatRangeLattice *lattice : argLattices)
      setToEntryState(lattice);
    return;
  }
  Block *body = linalgOp.getBlock();
  ProgramPoint *point = getProgramPointBefore(body);
  for (OpOperand &operand : op->getOpOperands()) {
    BlockArgument arg = linalgOp.getMatchingBlockArgument(&operand);
    if (!arg || arg.getArgNumber() >= argLattices.size())
      continue;
    FloatRangeLattice *lattice = argLattices[arg.getArgNumber()];
    if (!getFloatElementType(arg)) {
      setToEntryState(lattice);
      continue;
    }
    const FloatRangeLattice *source = getLatticeElementFor(point, operand.get());
    if (source->getValue().isUninitialized())
      continue;
    FloatRange range = source->getValue().getValue();
    // An init argument also holds what earlier iterations yielded: the
    // op's result, which is fed back until the fixpoint (widened by the
    // lattice when it keeps growing).
    if (linalgOp.isDpsInit(&operand)) {
      const FloatRangeLattice *result = getLatticeElementFor(
          point, linalgOp.getTiedOpResult(&operand));
      if (!result->getValue().isUninitialized())
        range = FloatRange::join(range, result->getValue().getValue());
    }
    update(lattice, range);
  }
}

FloatRange mlir::fp8::getFloatRange(const DataFlowSolver &solver,
                                    Value value) {
  const auto *lattice = solver.lookupState<FloatRangeLattice>(value);
  if (!lattice || lattice->getValue().isUninitialized() ||
      !getFloatElementType(value))
    return FloatRange::unbounded();
  return lattice->getValue().getValue();
}

void mlir::fp8::loadFloatRangeAnalysis(DataFlowSolver &solver) {
  solver.load<DeadCodeAnalysis>();
  solver.load<SparseConstantPropagation>();
  solver.load<FloatRangeAnalysis>();
}
