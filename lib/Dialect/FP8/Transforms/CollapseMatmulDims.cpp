//===- CollapseMatmulDims.cpp - Several M dims of a matmul into one -------===//
//
// Part of fp8-mlir. A transformer's linear layer on activations [B, S, K]
// is a contraction with two M dims:
//
//   D[b, s, n] = sum_k X[b, s, k] * W[k, n]
//
// fp8.scaled_matmul has one M dim (plus batch dims that both operands
// share, which B and S are not: W has neither). Where the M dims are one
// contiguous run, in the same order, in X and in D, the contraction is the
// matmul of X viewed as [B * S, K]:
//
//   %x2 = tensor.collapse_shape %x [[0, 1], [2]]
//   %d2 = linalg.generic {(m, n, k) ...} ins(%x2, %w) outs(%init2)
//   %d  = tensor.expand_shape %d2 [[0, 1], [2]]
//
// which is what Transformer Engine and torchao quantize too. A rowwise or
// [1, c] scale of the collapsed operand is a scale per token.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/MatmulMatchers.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::fp8;

/// The first result position of the run `dims` (in that order, contiguous)
/// among `map`'s results, or std::nullopt.
static std::optional<unsigned> findRun(AffineMap map,
                                       ArrayRef<unsigned> dims) {
  std::optional<unsigned> first = map.getResultPosition(
      getAffineDimExpr(dims.front(), map.getContext()));
  if (!first || *first + dims.size() > map.getNumResults())
    return std::nullopt;
  for (auto [i, dim] : llvm::enumerate(dims))
    if (map.getResult(*first + i) != getAffineDimExpr(dim, map.getContext()))
      return std::nullopt;
  return first;
}

/// The reassociation that merges results [first, first + count) of a rank
/// `rank` value.
static SmallVector<ReassociationIndices>
mergeRun(int64_t rank, unsigned first, unsigned count) {
  SmallVector<ReassociationIndices> groups;
  for (int64_t i = 0; i < rank;) {
    ReassociationIndices group{i};
    if (i == first)
      for (unsigned j = 1; j < count; ++j)
        group.push_back(i + j);
    groups.push_back(group);
    i += group.size();
  }
  return groups;
}

FailureOr<linalg::GenericOp>
fp8::collapseMatmulMDims(RewriterBase &rewriter, linalg::GenericOp op) {
  if (!linalg::isaContractionOpInterface(op) ||
      !op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2)
    return failure();
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() < 2 || dims->n.size() != 1 ||
      dims->k.size() != 1)
    return failure();
  // The M dims in the order A lays them out; D must agree.
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<unsigned> mDims(dims->m.begin(), dims->m.end());
  llvm::sort(mDims, [&](unsigned x, unsigned y) {
    return *maps[0].getResultPosition(getAffineDimExpr(x, op.getContext())) <
           *maps[0].getResultPosition(getAffineDimExpr(y, op.getContext()));
  });
  std::optional<unsigned> aRun = findRun(maps[0], mDims);
  std::optional<unsigned> dRun = findRun(maps[2], mDims);
  if (!aRun || !dRun)
    return failure();
  SmallVector<int64_t> loops = op.getStaticLoopRanges();
  bool severalDynamicM = llvm::count_if(mDims, [&](unsigned d) {
                           return ShapedType::isDynamic(loops[d]);
                         }) > 1;

  // New loops: the M run becomes loop mDims.front(); later loops move down.
  MLIRContext *ctx = op.getContext();
  unsigned numLoops = op.getNumLoops() - (mDims.size() - 1);
  SmallVector<AffineExpr> replacements;
  unsigned next = 0;
  for (unsigned d = 0; d < op.getNumLoops(); ++d) {
    bool merged = llvm::is_contained(mDims, d) && d != mDims.front();
    replacements.push_back(getAffineDimExpr(
        merged ? 0 : next, ctx)); // merged dims vanish from the maps below
    if (!merged)
      ++next;
  }
  auto rewriteMap = [&](AffineMap map, std::optional<unsigned> run) {
    SmallVector<AffineExpr> results;
    for (unsigned i = 0; i < map.getNumResults(); ++i) {
      if (run && i > *run && i < *run + mDims.size())
        continue; // folded into the run's first result
      results.push_back(map.getResult(i).replaceDims(replacements));
    }
    return AffineMap::get(numLoops, 0, results, ctx);
  };
  SmallVector<AffineMap> newMaps = {rewriteMap(maps[0], aRun),
                                    rewriteMap(maps[1], std::nullopt),
                                    rewriteMap(maps[2], dRun)};
  SmallVector<utils::IteratorType> iterators;
  for (auto [d, kind] : llvm::enumerate(op.getIteratorTypesArray()))
    if (!llvm::is_contained(mDims, d) || d == mDims.front())
      iterators.push_back(kind);

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  auto collapse = [&](Value value, unsigned run) {
    int64_t rank = cast<RankedTensorType>(value.getType()).getRank();
    return tensor::CollapseShapeOp::create(
               rewriter, loc, value, mergeRun(rank, run, mDims.size()))
        .getResult();
  };
  // The result's sizes, for the expand back (dynamic M dims, such as the
  // tokens of a [B, S, K] activation, are read off the accumulator).
  SmallVector<OpFoldResult> resultSizes =
      tensor::getMixedSizes(rewriter, loc, op.getDpsInitOperand(0)->get());
  Value a = collapse(op.getDpsInputOperand(0)->get(), *aRun);
  Value init = collapse(op.getDpsInitOperand(0)->get(), *dRun);
  auto collapsed = linalg::GenericOp::create(
      rewriter, loc, TypeRange{init.getType()},
      ValueRange{a, op.getDpsInputOperand(1)->get()}, ValueRange{init},
      newMaps, iterators);
  IRMapping mapping;
  op.getRegion().cloneInto(&collapsed.getRegion(), mapping);
  // Roles and anything else the op carried.
  for (NamedAttribute attr : op->getDiscardableAttrs())
    collapsed->setAttr(attr.getName(), attr.getValue());

  auto resultType = cast<RankedTensorType>(op.getResult(0).getType());
  if (severalDynamicM) {
    // A group with two dynamic sizes would expand back through a
    // memref.expand_shape that MLIR 22's expand-strided-metadata (in the
    // CPU pipeline) crashes on; tensor.reshape with the sizes as a shape
    // tensor becomes a memref.reshape instead.
    SmallVector<Value> sizes = llvm::map_to_vector(
        resultSizes, [&](OpFoldResult size) {
          return getValueOrCreateConstantIndexOp(rewriter, loc, size);
        });
    Value shape = tensor::FromElementsOp::create(rewriter, loc, sizes);
    rewriter.replaceOpWithNewOp<tensor::ReshapeOp>(
        op, resultType, collapsed.getResult(0), shape);
    return collapsed;
  }
  Value expanded = tensor::ExpandShapeOp::create(
      rewriter, loc, resultType, collapsed.getResult(0),
      mergeRun(resultType.getRank(), *dRun, mDims.size()), resultSizes);
  rewriter.replaceOp(op, expanded);
  return collapsed;
}
