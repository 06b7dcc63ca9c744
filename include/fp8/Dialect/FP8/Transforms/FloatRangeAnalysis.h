//===- FloatRangeAnalysis.h - Sound element intervals of floats -*- C++ -*-===//
//
// Part of fp8-mlir. A sparse forward data-flow analysis that bounds the
// elements of every f32/bf16/f16 scalar and tensor: an interval [lo, hi]
// holding every element that is not NaN, and whether NaN may appear.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_FLOATRANGEANALYSIS_H
#define FP8_DIALECT_FP8_TRANSFORMS_FLOATRANGEANALYSIS_H

#include "mlir/Analysis/DataFlow/SparseAnalysis.h"
#include <optional>

namespace mlir::fp8 {

/// The elements of a float value: every element that is not NaN lies in
/// [lo, hi] (either end may be infinite), and `mayBeNaN` says whether an
/// element may be NaN. The bounds are doubles, which hold every f32, bf16
/// and f16 value exactly.
class FloatRange {
public:
  FloatRange(double lo, double hi, bool mayBeNaN)
      : lo(lo), hi(hi), mayBeNaN(mayBeNaN) {}
  /// Knows nothing: any value, NaN included.
  static FloatRange unbounded();

  double getLo() const { return lo; }
  double getHi() const { return hi; }
  bool getMayBeNaN() const { return mayBeNaN; }
  /// True when both ends are finite.
  bool isFinite() const;
  /// max(|lo|, |hi|): the largest magnitude of a non-NaN element.
  double getMaxMagnitude() const;
  bool contains(double value) const { return lo <= value && value <= hi; }

  /// The smallest range containing both.
  static FloatRange join(const FloatRange &lhs, const FloatRange &rhs);

  bool operator==(const FloatRange &other) const {
    return lo == other.lo && hi == other.hi && mayBeNaN == other.mayBeNaN;
  }
  void print(raw_ostream &os) const;

private:
  double lo, hi;
  bool mayBeNaN;
};

/// The lattice value: uninitialized (nothing known yet, the bottom) or a
/// FloatRange.
class FloatRangeValue {
public:
  FloatRangeValue() = default;
  FloatRangeValue(FloatRange range) : range(range) {}
  bool isUninitialized() const { return !range.has_value(); }
  const FloatRange &getValue() const { return *range; }
  static FloatRangeValue join(const FloatRangeValue &lhs,
                              const FloatRangeValue &rhs);
  bool operator==(const FloatRangeValue &other) const {
    return range == other.range;
  }
  void print(raw_ostream &os) const;

private:
  std::optional<FloatRange> range;
};

/// The sparse lattice element of one SSA value. Its join widens: after
/// kWidenAfter growths, a side that still grows jumps to infinity, so every
/// fixpoint (reductions, loops) is reached in a bounded number of steps.
class FloatRangeLattice : public dataflow::Lattice<FloatRangeValue> {
public:
  using Lattice::Lattice;
  ChangeResult join(const AbstractSparseLattice &rhs) override;
  /// Joins `rhs` in, widening as described above.
  ChangeResult joinWidening(const FloatRangeValue &rhs);

private:
  static constexpr unsigned kWidenAfter = 2;
  unsigned growth = 0;
};

/// The analysis. Load it into a DataFlowSolver together with
/// dataflow::DeadCodeAnalysis and dataflow::SparseConstantPropagation (the
/// framework needs them to know which blocks run), then read results with
/// getFloatRange. Values of other types (integers, index) get the
/// unbounded range.
///
/// Elementwise: arith (addf, subf, mulf, divf, negf, maximumf, minimumf,
/// maxnumf, minnumf, select, extf, truncf, sitofp, uitofp, constant),
/// math (exp, exp2, tanh, erf, absf, sqrt, rsqrt, log), on scalars and on
/// tensors alike. linalg ops: the body is analysed elementwise (each input
/// block argument gets its operand's range; an init argument the join of
/// the init's range and the op's result, widened to infinity when it keeps
/// growing, so reductions terminate); the result is what the body yields.
/// This covers generic, map, reduce, broadcast, transpose, fill, copy and
/// the elementwise named ops; a contraction's result is unbounded.
/// tensor ops that move data (extract_slice, insert_slice, concat,
/// expand_shape, collapse_shape, extract, insert, cast, pad, empty) keep
/// their sources' ranges; linalg.softmax is in [0, 1].
/// Relational rules (FloatRangePatterns.h): `e / sum(e)` is in [0, 1],
/// `x - max(x)` is at most 0, and RMSNorm's
/// `|x * rsqrt(mean(x^2) + eps)|` is at most sqrt(N).
///
/// Soundness in rounded arithmetic: each bound is computed in double from
/// the operands' bounds and then rounded outward by two units in the last
/// place of the result's element type (more than the rounding of the op
/// itself, since rounding to nearest is monotone and off by at most half a
/// unit), and to infinity past the type's largest finite value. The ends
/// of exp, tanh, erf at exact points (exp(0) = 1, tanh(x) in [-1, 1]) are
/// taken from the mathematical function: the CPU lowering keeps them, as
/// python/tests/test_static_ranges.py checks on adversarial inputs.
class FloatRangeAnalysis
    : public dataflow::SparseForwardDataFlowAnalysis<FloatRangeLattice> {
public:
  using SparseForwardDataFlowAnalysis::SparseForwardDataFlowAnalysis;

  void setToEntryState(FloatRangeLattice *lattice) override;
  LogicalResult visitOperation(Operation *op,
                               ArrayRef<const FloatRangeLattice *> operands,
                               ArrayRef<FloatRangeLattice *> results) override;
  void visitNonControlFlowArguments(Operation *op,
                                    const RegionSuccessor &successor,
                                    ArrayRef<FloatRangeLattice *> argLattices,
                                    unsigned firstIndex) override;

private:
  /// Joins `range` into `lattice` and propagates a change.
  void update(FloatRangeLattice *lattice, const FloatRange &range);
};

/// The range the solver computed for `value`, unbounded where it has none.
FloatRange getFloatRange(const DataFlowSolver &solver, Value value);

/// Loads the analysis and the two analyses it needs into `solver`.
void loadFloatRangeAnalysis(DataFlowSolver &solver);

} // namespace mlir::fp8

#endif // FP8_DIALECT_FP8_TRANSFORMS_FLOATRANGEANALYSIS_H
