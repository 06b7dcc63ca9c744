//===- MatmulMatchers.cpp - Recognizing matmul-like linalg ops ------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/MatmulMatchers.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/AffineMap.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::fp8;

bool fp8::isMatmulLike(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && linalg::isaContractionOpInterface(linalgOp);
}

/// The permutation that brings an operand indexed by `map` into the layout
/// whose dims are the loop dims `order`: result `i` is operand dim
/// `perm[i]`. std::nullopt when the operand does not have exactly these
/// dims (e.g. a broadcast operand).
static std::optional<SmallVector<int64_t>>
getPermutationTo(AffineMap map, ArrayRef<unsigned> order) {
  if (map.getNumResults() != order.size())
    return std::nullopt;
  SmallVector<int64_t> permutation;
  for (unsigned dim : order) {
    std::optional<unsigned> position =
        map.getResultPosition(getAffineDimExpr(dim, map.getContext()));
    if (!position)
      return std::nullopt;
    permutation.push_back(*position);
  }
  return permutation;
}

FailureOr<MatmulView> fp8::matchMatmul(Operation *op, std::string &whyNot) {
  if (!isMatmulLike(op)) {
    whyNot = "not a contraction of two inputs";
    return failure();
  }
  auto linalgOp = cast<linalg::LinalgOp>(op);
  if (!linalgOp.hasPureTensorSemantics()) {
    whyNot = "works on buffers; quantization runs on tensors, before "
             "bufferization";
    return failure();
  }
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(linalgOp);
  if (failed(dims)) {
    whyNot = "no M, N and K dims could be inferred";
    return failure();
  }
  if (dims->m.size() != 1 || dims->n.size() != 1 || dims->k.size() != 1) {
    whyNot = llvm::formatv("contraction with {0} M, {1} N and {2} K dims; "
                           "one N and one K dim are supported, and several "
                           "M dims when they are one run of dims in the "
                           "same order in A and the result (a "
                           "linalg.generic), which is collapsed into one",
                           dims->m.size(), dims->n.size(), dims->k.size());
    return failure();
  }
  if (linalgOp.getNumLoops() != dims->batch.size() + 3) {
    whyNot = "has loops that are neither batch, M, N nor K";
    return failure();
  }

  MatmulView view;
  view.op = linalgOp;
  view.a = linalgOp.getDpsInputOperand(0)->get();
  view.b = linalgOp.getDpsInputOperand(1)->get();
  view.init = linalgOp.getDpsInitOperand(0)->get();
  view.batchDims.assign(dims->batch.begin(), dims->batch.end());
  view.m = dims->m.front();
  view.n = dims->n.front();
  view.k = dims->k.front();

  SmallVector<AffineMap> maps = linalgOp.getIndexingMapsArray();
  auto withBatch = [&](std::initializer_list<unsigned> last) {
    SmallVector<unsigned> order(view.batchDims);
    order.append(last.begin(), last.end());
    return order;
  };
  std::optional<SmallVector<int64_t>> aPerm =
      getPermutationTo(maps[0], withBatch({view.m, view.k}));
  std::optional<SmallVector<int64_t>> bPerm =
      getPermutationTo(maps[1], withBatch({view.n, view.k}));
  std::optional<SmallVector<int64_t>> initPerm =
      getPermutationTo(maps[2], withBatch({view.m, view.n}));
  if (!aPerm || !bPerm || !initPerm) {
    whyNot = llvm::formatv(
        "operand {0} is not a permutation of its batch and matmul dims "
        "(broadcast operands are not supported)",
        !aPerm ? "A" : (!bPerm ? "B" : "init"));
    return failure();
  }
  view.aToKMajor = std::move(*aPerm);
  view.bToKMajor = std::move(*bPerm);
  // `initPerm` maps the init to the canonical result; its inverse maps the
  // canonical result to the init.
  view.resultToInit.resize(initPerm->size());
  for (auto [canonicalDim, initDim] : llvm::enumerate(*initPerm))
    view.resultToInit[initDim] = canonicalDim;
  return view;
}

Value fp8::lookThroughTransposes(Value value,
                                 SmallVectorImpl<int64_t> &permutation) {
  while (auto transpose = value.getDefiningOp<linalg::TransposeOp>()) {
    if (!transpose.hasPureTensorSemantics() ||
        transpose.getInput().getParentBlock() != transpose->getBlock())
      break;
    // value dim j = source dim p[j], so target dim i = source dim
    // p[permutation[i]].
    ArrayRef<int64_t> p = transpose.getPermutation();
    for (int64_t &dim : permutation)
      dim = p[dim];
    value = transpose.getInput();
  }
  return value;
}
