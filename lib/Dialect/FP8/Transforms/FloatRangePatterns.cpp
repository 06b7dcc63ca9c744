//===- FloatRangePatterns.cpp - Relational rules of the float ranges ------===//
//
// Part of fp8-mlir. Recognizes an element combined with a reduction of its
// own row (FloatRangePatterns.h says why each rule is sound).
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/FloatRangePatterns.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include <optional>

using namespace mlir;
using namespace mlir::fp8;

namespace {
/// An element read at each point of an iteration: `tensor[map(point)]`.
struct ElementRead {
  Value tensor;
  AffineMap map;
};
} // namespace

/// Where the elements `value` takes come from: the tensor itself (identity
/// map) for an op on tensors, or the operand and indexing map of a linalg
/// body's block argument.
static std::optional<ElementRead> getElementRead(Value value) {
  if (auto tensorType = dyn_cast<RankedTensorType>(value.getType()))
    return ElementRead{value, AffineMap::getMultiDimIdentityMap(
                                  tensorType.getRank(), value.getContext())};
  auto arg = dyn_cast<BlockArgument>(value);
  if (!arg)
    return std::nullopt;
  auto linalgOp = dyn_cast<linalg::LinalgOp>(arg.getOwner()->getParentOp());
  if (!linalgOp || arg.getOwner() != linalgOp.getBlock())
    return std::nullopt;
  OpOperand *operand = linalgOp.getMatchingOpOperand(arg);
  if (!operand || !isa<RankedTensorType>(operand->get().getType()))
    return std::nullopt;
  return ElementRead{operand->get(), linalgOp.getMatchingIndexingMap(operand)};
}

/// The dims `map` drops when it is the identity minus some dims, kept in
/// order (`(d0, d1, d2) -> (d0, d1)` drops {2}), or the identity with some
/// dims replaced by the constant 0 (keepdim, as torch-mlir writes it:
/// `(d0, d1, d2) -> (d0, d1, 0)` drops {2}). A reduction written and read
/// through either form touches the same element for every value of the
/// dropped dims.
static std::optional<SmallVector<int64_t>> getDroppedDims(AffineMap map) {
  if (map.getNumResults() == map.getNumDims() && !map.isIdentity()) {
    SmallVector<int64_t> zeroed;
    for (auto [dim, result] : llvm::enumerate(map.getResults())) {
      auto constant = dyn_cast<AffineConstantExpr>(result);
      if (constant && constant.getValue() == 0)
        zeroed.push_back(dim);
      else if (auto dimExpr = dyn_cast<AffineDimExpr>(result);
               !dimExpr || dimExpr.getPosition() != dim)
        return std::nullopt;
    }
    return zeroed;
  }
  if (!map.isProjectedPermutation())
    return std::nullopt;
  SmallVector<int64_t> dropped;
  unsigned next = 0;
  for (unsigned dim = 0; dim < map.getNumDims(); ++dim) {
    if (next < map.getNumResults() && map.getDimPosition(next) == dim)
      ++next;
    else
      dropped.push_back(dim);
  }
  if (next != map.getNumResults())
    return std::nullopt;
  return dropped;
}

/// The op combining the two block arguments of a one-op reduction body
/// (yield(combine(in, acc)) in either order), or null.
static Operation *getCombiner(Block &body) {
  if (body.getNumArguments() != 2 || !llvm::hasSingleElement(
                                         body.without_terminator()))
    return nullptr;
  Operation *combiner = &body.front();
  if (combiner->getNumOperands() != 2 ||
      body.getTerminator()->getNumOperands() != 1 ||
      body.getTerminator()->getOperand(0) != combiner->getResult(0))
    return nullptr;
  Value in = body.getArgument(0), acc = body.getArgument(1);
  Value lhs = combiner->getOperand(0), rhs = combiner->getOperand(1);
  if (!((lhs == in && rhs == acc) || (lhs == acc && rhs == in)))
    return nullptr;
  return combiner;
}

/// When `reduced` is a reduction of `source` over exactly `dims` whose
/// combiner satisfies `isCombiner`, returns its init, else null.
/// `linalg.reduce` and a `linalg.generic` with one identity-mapped input
/// and one init whose map drops exactly the reduction dims are recognized.
static Value getReductionInit(Value reduced, Value source,
                              ArrayRef<int64_t> dims,
                              llvm::function_ref<bool(Operation *)> isCombiner) {
  Operation *def = reduced.getDefiningOp();
  if (auto reduce = dyn_cast_or_null<linalg::ReduceOp>(def)) {
    if (reduce.getInputs().size() != 1 || reduce.getInputs()[0] != source ||
        reduce.getDimensions() != dims)
      return Value();
    Operation *combiner = getCombiner(reduce.getCombiner().front());
    if (!combiner || !isCombiner(combiner))
      return Value();
    return reduce.getInits()[0];
  }
  auto generic = dyn_cast_or_null<linalg::GenericOp>(def);
  if (!generic || generic.getNumDpsInputs() != 1 || generic.getNumDpsInits() != 1 ||
      generic.getDpsInputOperand(0)->get() != source)
    return Value();
  if (!generic.getMatchingIndexingMap(generic.getDpsInputOperand(0))
           .isIdentity())
    return Value();
  std::optional<SmallVector<int64_t>> dropped = getDroppedDims(
      generic.getMatchingIndexingMap(generic.getDpsInitOperand(0)));
  if (!dropped || *dropped != dims)
    return Value();
  for (auto [dim, type] : llvm::enumerate(generic.getIteratorTypesArray()))
    if ((type == utils::IteratorType::reduction) !=
        llvm::is_contained(dims, static_cast<int64_t>(dim)))
      return Value();
  Operation *combiner = getCombiner(*generic.getBlock());
  if (!combiner || !isCombiner(combiner))
    return Value();
  return generic.getDpsInitOperand(0)->get();
}

namespace {
/// A per-row tensor read at each point of an element's iteration: the
/// element's tensor X (read through the identity), and `rows[p minus dims]`.
struct RowRead {
  Value elementTensor;
  Value rows;
  SmallVector<int64_t> dims;
};
} // namespace

/// When `value` is a `linalg.generic` that only broadcasts its one input
/// (all parallel, identity init map, body `yield %in`, the input's map
/// dropping some dims), the input and those dims.
static std::optional<std::pair<Value, SmallVector<int64_t>>>
getBroadcastGeneric(Value value) {
  auto generic = value.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity())
    return std::nullopt;
  OpOperand *input = generic.getDpsInputOperand(0);
  Block &body = *generic.getBlock();
  if (!llvm::hasSingleElement(body) ||
      body.getTerminator()->getNumOperands() != 1 ||
      body.getTerminator()->getOperand(0) !=
          generic.getMatchingBlockArgument(input))
    return std::nullopt;
  AffineMap map = generic.getMatchingIndexingMap(input);
  if (map.getNumResults() == map.getNumDims())
    return std::nullopt;
  std::optional<SmallVector<int64_t>> dims = getDroppedDims(map);
  if (!dims)
    return std::nullopt;
  return std::make_pair(input->get(), *dims);
}

/// A per-row tensor indexed by p minus `dims` read back through a
/// `tensor.collapse_shape` that only removed unit dims at `dims` from a
/// tensor of rank `rank` (torch-mlir's keepdim [2, 3, 1] -> [2, 3]): the
/// source, whose element at p with `dims` set to 0 is the same; else
/// `rows` itself.
static Value lookThroughUnitCollapse(Value rows, ArrayRef<int64_t> dims,
                                     unsigned rank) {
  auto collapse = rows.getDefiningOp<tensor::CollapseShapeOp>();
  if (!collapse)
    return rows;
  RankedTensorType source = collapse.getSrcType();
  if (source.getRank() != rank ||
      collapse.getResultType().getRank() !=
          static_cast<int64_t>(rank - dims.size()))
    return rows;
  for (ReassociationIndices group : collapse.getReassociationIndices()) {
    unsigned kept = 0;
    for (int64_t dim : group) {
      if (!llvm::is_contained(dims, dim))
        ++kept;
      else if (source.getDimSize(dim) != 1)
        return rows;
    }
    if (kept != 1)
      return rows;
  }
  return collapse.getSrc();
}

/// How `row` is read where `element` is: through a broadcast over some dims
/// (b[p] = r[p minus dims], by `linalg.broadcast` or a broadcasting
/// `linalg.generic`, possibly of a collapse of keepdim unit dims) or a
/// linalg indexing map dropping them (or zeroing them, keepdim).
static std::optional<RowRead> getRowRead(Value element, Value row) {
  std::optional<ElementRead> elementRead = getElementRead(element);
  std::optional<ElementRead> rowRead = getElementRead(row);
  if (!elementRead || !rowRead || !elementRead->map.isIdentity() ||
      rowRead->map.getNumDims() != elementRead->map.getNumDims())
    return std::nullopt;
  Value reduced = rowRead->tensor;
  std::optional<SmallVector<int64_t>> dims;
  if (auto broadcast = reduced.getDefiningOp<linalg::BroadcastOp>();
      broadcast && rowRead->map.isIdentity()) {
    reduced = broadcast.getInput();
    dims = SmallVector<int64_t>(broadcast.getDimensions());
  } else if (auto broadcastGeneric = getBroadcastGeneric(reduced);
             broadcastGeneric && rowRead->map.isIdentity()) {
    reduced = broadcastGeneric->first;
    dims = broadcastGeneric->second;
  } else {
    dims = getDroppedDims(rowRead->map);
  }
  if (!dims || dims->empty())
    return std::nullopt;
  reduced = lookThroughUnitCollapse(reduced, *dims,
                                    elementRead->map.getNumDims());
  return RowRead{elementRead->tensor, reduced, *dims};
}

/// When `row` is read, at each point where `element` is read, as a
/// reduction of `element`'s tensor over a set of its elements that contains
/// `element`, returns the reduction's init; else null.
static Value getRowReductionInit(
    Value element, Value row,
    llvm::function_ref<bool(Operation *)> isCombiner) {
  std::optional<RowRead> read = getRowRead(element, row);
  if (!read)
    return Value();
  return getReductionInit(read->rows, read->elementTensor, read->dims,
                          isCombiner);
}

bool mlir::fp8::isSubtractionOfRowMax(Operation *op) {
  auto sub = dyn_cast<arith::SubFOp>(op);
  if (!sub)
    return false;
  auto isMax = [](Operation *combiner) {
    return isa<arith::MaximumFOp, arith::MaxNumFOp>(combiner);
  };
  return static_cast<bool>(
      getRowReductionInit(sub.getLhs(), sub.getRhs(), isMax));
}

bool mlir::fp8::isDivisionByRowSum(
    Operation *op, llvm::function_ref<bool(Value)> isNonNegative) {
  auto div = dyn_cast<arith::DivFOp>(op);
  if (!div)
    return false;
  auto isAdd = [](Operation *combiner) { return isa<arith::AddFOp>(combiner); };
  Value init = getRowReductionInit(div.getLhs(), div.getRhs(), isAdd);
  if (!init)
    return false;
  std::optional<ElementRead> elementRead = getElementRead(div.getLhs());
  return isNonNegative(elementRead->tensor) && isNonNegative(init);
}

/// The value an elementwise `rows` tensor computes per element: the yielded
/// value of an all-parallel one-result `linalg.generic`, or `rows` itself
/// for an op on tensors.
static Value getElementExpression(Value rows) {
  auto generic = rows.getDefiningOp<linalg::GenericOp>();
  if (!generic)
    return rows;
  if (generic.getNumResults() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity())
    return Value();
  return generic.getBlock()->getTerminator()->getOperand(0);
}

/// The tensor an element expression reads at the same point: the value
/// itself on tensors, or an identity-mapped operand of a linalg body.
static Value getTensorAtSamePoint(Value value) {
  std::optional<ElementRead> read = getElementRead(value);
  if (!read || !read->map.isIdentity())
    return Value();
  return read->tensor;
}

/// `value`, an element expression, followed back through elementwise
/// generics: while it is a block argument read through the identity from
/// a tensor that an elementwise `linalg.generic` computes, that generic's
/// yielded value (the same element; torch-mlir puts each step of
/// rsqrt(var / n + eps) in its own generic).
static Value followElementwise(Value value) {
  for (int hop = 0; hop < 16 && isa_and_nonnull<BlockArgument>(value);
       ++hop) {
    Value tensor = getTensorAtSamePoint(value);
    if (!tensor || !tensor.getDefiningOp<linalg::GenericOp>())
      return value;
    Value yielded = getElementExpression(tensor);
    if (!yielded)
      return value;
    value = yielded;
  }
  return value;
}

/// True when `op` computes its results from its operands alone, the same
/// way every time: an arith or math op, or an all-parallel `linalg.generic`
/// on tensors whose body uses only arith, math and `linalg.index` ops and
/// never reads its init arguments (so the init's undefined elements, as
/// from `tensor.empty`, cannot leak in).
static bool isDeterministicElementwise(Operation *op) {
  if (isa_and_nonnull<arith::ArithDialect, math::MathDialect>(op->getDialect()))
    return isMemoryEffectFree(op);
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || !generic.hasPureTensorSemantics() ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return false;
  for (OpOperand &init : generic.getDpsInitsMutable())
    if (!generic.getMatchingBlockArgument(&init).use_empty())
      return false;
  for (Operation &bodyOp : generic.getBlock()->without_terminator())
    if (!isa_and_nonnull<arith::ArithDialect, math::MathDialect>(
            bodyOp.getDialect()) &&
        !isa<linalg::IndexOp>(bodyOp))
      return false;
  return true;
}

/// True when `a` and `b` hold the same elements: the same value, or the
/// same result of two ops that `isDeterministicElementwise` accepts and
/// that are structurally identical (same name, attributes, operands,
/// result types and bodies, locations aside), such as two
/// `arith.subf %x, %m` or two `linalg.generic` subtracting the same
/// broadcast mean from the same x. Operands must be the same SSA values
/// (no recursion, no reliance on CSE having merged anything).
static bool computeSameElements(Value a, Value b) {
  if (a == b)
    return true;
  auto resultA = dyn_cast<OpResult>(a), resultB = dyn_cast<OpResult>(b);
  if (!resultA || !resultB ||
      resultA.getResultNumber() != resultB.getResultNumber())
    return false;
  Operation *opA = resultA.getOwner(), *opB = resultB.getOwner();
  return isDeterministicElementwise(opA) && isDeterministicElementwise(opB) &&
         OperationEquivalence::isEquivalentTo(
             opA, opB, OperationEquivalence::IgnoreLocations);
}

/// True when every element of the tensor `squares` is c * c with c the
/// element of `x` at the same point: `arith.mulf %a, %b` on tensors, or an
/// elementwise `linalg.generic` yielding `arith.mulf` of two identity-read
/// operands %a and %b (torch-mlir writes `ins(%c, %c)`), where %a and %b
/// hold the same elements as `x` (`computeSameElements`).
static bool isSquareOf(Value squares, Value x) {
  Value expression = getElementExpression(squares);
  auto mul = expression ? expression.getDefiningOp<arith::MulFOp>() : nullptr;
  if (!mul)
    return false;
  Value lhs = getTensorAtSamePoint(mul.getLhs());
  Value rhs = getTensorAtSamePoint(mul.getRhs());
  return lhs && rhs && computeSameElements(lhs, x) &&
         computeSameElements(rhs, x);
}

/// True when `sum` is a row sum of c * c over `dims`, c holding the same
/// elements as `x` (`computeSameElements`), onto an init `getLowerBound`
/// proves nonnegative.
static bool isRowSumOfSquares(
    Value sum, Value x, ArrayRef<int64_t> dims,
    llvm::function_ref<std::optional<double>(Value)> getLowerBound) {
  auto isAdd = [](Operation *combiner) { return isa<arith::AddFOp>(combiner); };
  auto initIsNonNegative = [&](Value init) {
    std::optional<double> lo = init ? getLowerBound(init) : std::nullopt;
    return lo && *lo >= 0.0;
  };
  // The sum of a tensor of squares: reduce(X * X).
  if (Operation *def = sum.getDefiningOp()) {
    Value input;
    if (auto reduce = dyn_cast<linalg::ReduceOp>(def);
        reduce && reduce.getInputs().size() == 1)
      input = reduce.getInputs()[0];
    if (auto generic = dyn_cast<linalg::GenericOp>(def);
        generic && generic.getNumDpsInputs() == 1)
      input = generic.getDpsInputOperand(0)->get();
    if (input && isSquareOf(input, x))
      return initIsNonNegative(getReductionInit(sum, input, dims, isAdd));
  }
  // A reduction whose body squares: yield(addf(mulf(in, in), acc)).
  auto generic = sum.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 ||
      !computeSameElements(generic.getDpsInputOperand(0)->get(), x) ||
      !generic.getMatchingIndexingMap(generic.getDpsInputOperand(0))
           .isIdentity())
    return false;
  std::optional<SmallVector<int64_t>> dropped = getDroppedDims(
      generic.getMatchingIndexingMap(generic.getDpsInitOperand(0)));
  if (!dropped || *dropped != dims)
    return false;
  for (auto [dim, type] : llvm::enumerate(generic.getIteratorTypesArray()))
    if ((type == utils::IteratorType::reduction) !=
        llvm::is_contained(dims, static_cast<int64_t>(dim)))
      return false;
  Block &body = *generic.getBlock();
  auto add = dyn_cast<arith::AddFOp>(
      body.getTerminator()->getOperand(0).getDefiningOp());
  if (!add)
    return false;
  Value in = body.getArgument(0), acc = body.getArgument(1);
  Value squareValue = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  if ((add.getLhs() == acc) == (add.getRhs() == acc))
    return false;
  auto square = squareValue.getDefiningOp<arith::MulFOp>();
  return square && square.getLhs() == in && square.getRhs() == in &&
         initIsNonNegative(generic.getDpsInitOperand(0)->get());
}

std::optional<double> mlir::fp8::getRMSNormLength(
    Operation *op,
    llvm::function_ref<std::optional<double>(Value)> getLowerBound,
    llvm::function_ref<std::optional<double>(Value)> getConstant) {
  auto mul = dyn_cast<arith::MulFOp>(op);
  if (!mul)
    return std::nullopt;
  for (auto [x, r] : {std::make_pair(mul.getLhs(), mul.getRhs()),
                      std::make_pair(mul.getRhs(), mul.getLhs())}) {
    std::optional<RowRead> read = getRowRead(x, r);
    if (!read)
      continue;
    // rsqrt(mean + eps), eps >= 1e-30 (so that squares lost to underflow
    // are covered by it).
    Value expression = followElementwise(getElementExpression(read->rows));
    auto rsqrt = expression ? expression.getDefiningOp<math::RsqrtOp>()
                            : nullptr;
    auto add = rsqrt ? followElementwise(rsqrt.getOperand())
                           .getDefiningOp<arith::AddFOp>()
                     : nullptr;
    if (!add)
      continue;
    for (auto [mean, eps] : {std::make_pair(add.getLhs(), add.getRhs()),
                             std::make_pair(add.getRhs(), add.getLhs())}) {
      std::optional<double> epsLo = getLowerBound(eps);
      if (!epsLo || !(*epsLo >= 1e-30))
        continue;
      // mean = s / n or s * c, n and c positive constants.
      Operation *meanOp = followElementwise(mean).getDefiningOp();
      if (!isa_and_nonnull<arith::DivFOp, arith::MulFOp>(meanOp))
        continue;
      std::optional<double> factor = getConstant(meanOp->getOperand(1));
      if (!factor || !(*factor > 0.0))
        continue;
      double length = isa<arith::DivFOp>(meanOp) ? *factor : 1.0 / *factor;
      Value sum = getTensorAtSamePoint(meanOp->getOperand(0));
      if (sum && isRowSumOfSquares(sum, read->elementTensor, read->dims,
                                   getLowerBound))
        return length;
    }
  }
  return std::nullopt;
}
