//===- FloatRangePatterns.cpp - Relational rules of the float ranges ------===//
//
// Part of fp8-mlir. Recognizes an element combined with a reduction of its
// own row (FloatRangePatterns.h says why each rule is sound).
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/FloatRangePatterns.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
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
/// order (`(d0, d1, d2) -> (d0, d1)` drops {2}).
static std::optional<SmallVector<int64_t>> getDroppedDims(AffineMap map) {
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

/// When `row` is read, at each point where `element` is read, as a
/// reduction of `element`'s tensor over a set of its elements that contains
/// `element`, returns the reduction's init; else null.
static Value getRowReductionInit(
    Value element, Value row,
    llvm::function_ref<bool(Operation *)> isCombiner) {
  std::optional<ElementRead> elementRead = getElementRead(element);
  std::optional<ElementRead> rowRead = getElementRead(row);
  if (!elementRead || !rowRead || !elementRead->map.isIdentity() ||
      rowRead->map.getNumDims() != elementRead->map.getNumDims())
    return Value();
  // Read through a broadcast over the reduced dims: b[p] = r[p minus dims].
  Value reduced = rowRead->tensor;
  std::optional<SmallVector<int64_t>> dims;
  if (auto broadcast = reduced.getDefiningOp<linalg::BroadcastOp>();
      broadcast && rowRead->map.isIdentity()) {
    reduced = broadcast.getInput();
    dims = SmallVector<int64_t>(broadcast.getDimensions());
  } else {
    dims = getDroppedDims(rowRead->map);
  }
  if (!dims || dims->empty())
    return Value();
  return getReductionInit(reduced, elementRead->tensor, *dims, isCombiner);
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
