//===- FuseBias.cpp - Fold a row-broadcast bias add into scaled_matmul ----===//
//
// Part of fp8-mlir. `fp8-quantize-matmuls` calls fuseBiasAdd on each
// fp8.scaled_matmul it makes, so the bias add that frontends emit after a
// linear layer becomes the matmul's epilogue:
//
//   %d = fp8.scaled_matmul ... -> tensor<MxNxf32>
//   %y = linalg.generic {maps = [(m, n) -> (m, n), (m, n) -> (n), id]}
//        ins(%d, %bias) { %s = arith.addf %v, %b ; linalg.yield %s }
// or
//   %bb = linalg.broadcast ins(%bias : tensor<Nxf32>) ... dimensions = [0]
//   %y = linalg.add ins(%d, %bb) ...
//
// becomes `%y = fp8.scaled_matmul ... bias(%bias : tensor<Nxf32>)`.
//
// Exactness. scaled_matmul computes D = acc + bias in f32 and then rounds D
// once to the result type. For an f32 result the unfused IR adds the same
// f32 values in f32, so fusing changes no bit. For a bf16/f16 result the
// unfused IR rounds acc to bf16/f16, adds in bf16/f16 and rounds again;
// the fused op would round once, which is more accurate but not the same
// value. So only f32 results are fused (with an f32 bias); bf16/f16 ones
// keep the add and get a remark. Likewise the add must be the only user of
// the matmul result (else both D and D + bias are needed) and lie in the
// same block.
//
// A generic whose body continues after the bias add (GELU, ...) is split:
// the add goes into the matmul and the rest stays in a new elementwise
// generic reading the fused result, which computes the same values.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/FuseBias.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::fp8;

namespace {
/// A matched add of `bias[n]` to every row of the matmul result.
struct BiasAdd {
  Operation *add = nullptr;
  /// The 1-D [N] bias.
  Value bias;
  /// For a generic: the body's bias addf, when ops follow it (an epilogue
  /// that stays in a new generic); null when the body is only the add.
  arith::AddFOp epilogueStart;
  /// For a linalg.add: the broadcast of the bias.
  Operation *broadcast = nullptr;
};
} // namespace

/// Matches a `linalg.generic` adding a row-broadcast 1-D input to `result`.
static FailureOr<BiasAdd> matchGenericBiasAdd(linalg::GenericOp generic,
                                              Value result) {
  if (!generic.hasPureTensorSemantics() || generic.getNumDpsInputs() != 2 ||
      generic.getNumDpsInits() != 1 || generic.getNumResults() != 1)
    return failure();
  auto resultType = cast<RankedTensorType>(result.getType());
  int64_t rank = resultType.getRank();
  if (generic.getNumLoops() != static_cast<unsigned>(rank) ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return failure();
  Value in0 = generic.getDpsInputs()[0], in1 = generic.getDpsInputs()[1];
  unsigned dataIdx = in0 == result ? 0 : 1;
  Value bias = dataIdx == 0 ? in1 : in0;
  if (generic.getDpsInputs()[dataIdx] != result || bias == result)
    return failure();
  auto biasType = dyn_cast<RankedTensorType>(bias.getType());
  if (!biasType || biasType.getRank() != 1)
    return failure();

  MLIRContext *ctx = generic.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  AffineMap rowBroadcast =
      AffineMap::get(rank, 0, getAffineDimExpr(rank - 1, ctx));
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  if (maps[dataIdx] != identity || maps[1 - dataIdx] != rowBroadcast ||
      maps[2] != identity)
    return failure();

  // The body: %s = arith.addf %data, %bias (either order) first; the data,
  // bias and out arguments are read by nothing else.
  Block &body = generic.getRegion().front();
  BlockArgument dataArg = body.getArgument(dataIdx);
  BlockArgument biasArg = body.getArgument(1 - dataIdx);
  BlockArgument outArg = body.getArgument(2);
  auto addf = dyn_cast<arith::AddFOp>(&body.front());
  if (!addf || !outArg.use_empty() || !dataArg.hasOneUse() ||
      !biasArg.hasOneUse())
    return failure();
  if (!((addf.getLhs() == dataArg && addf.getRhs() == biasArg) ||
        (addf.getLhs() == biasArg && addf.getRhs() == dataArg)))
    return failure();

  BiasAdd match{generic, bias, {}, nullptr};
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  bool onlyAdd = addf->getNextNode() == yield &&
                 yield.getNumOperands() == 1 &&
                 yield.getOperand(0) == addf.getResult() &&
                 generic.getResult(0).getType() == resultType;
  if (!onlyAdd)
    match.epilogueStart = addf;
  return match;
}

/// Matches `linalg.add` of `result` and a `linalg.broadcast` of a 1-D
/// tensor along every dim but the last.
static FailureOr<BiasAdd> matchNamedBiasAdd(linalg::AddOp add, Value result) {
  if (!add.hasPureTensorSemantics() || add.getNumDpsInputs() != 2 ||
      add->getNumResults() != 1 ||
      add->getResult(0).getType() != result.getType())
    return failure();
  auto resultType = cast<RankedTensorType>(result.getType());
  int64_t rank = resultType.getRank();
  if (!llvm::all_of(add.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return failure();
  Value in0 = add.getDpsInputs()[0], in1 = add.getDpsInputs()[1];
  Value other = in0 == result ? in1 : in0;
  if ((in0 != result && in1 != result) || other == result)
    return failure();
  auto broadcast = other.getDefiningOp<linalg::BroadcastOp>();
  if (!broadcast || !broadcast.hasPureTensorSemantics())
    return failure();
  Value bias = broadcast.getInput();
  auto biasType = cast<RankedTensorType>(bias.getType());
  if (biasType.getRank() != 1 ||
      !llvm::equal(broadcast.getDimensions(), llvm::seq<int64_t>(0, rank - 1)))
    return failure();
  return BiasAdd{add, bias, {}, broadcast};
}

LogicalResult mlir::fp8::fuseBiasAdd(ScaledMatmulOp op,
                                     RewriterBase &rewriter) {
  if (op.getBias() || op.getOutScale() || op.getAmax())
    return failure();
  Value result = op.getResult();
  if (result.use_empty())
    return failure();
  Operation *user = *result.getUsers().begin();
  // Every use is in the add (it may also be the add's unread init).
  if (!llvm::all_of(result.getUsers(),
                    [&](Operation *other) { return other == user; }) ||
      user->getBlock() != op->getBlock())
    return failure();

  FailureOr<BiasAdd> match = failure();
  if (auto generic = dyn_cast<linalg::GenericOp>(user))
    match = matchGenericBiasAdd(generic, result);
  else if (auto add = dyn_cast<linalg::AddOp>(user))
    match = matchNamedBiasAdd(add, result);
  if (failed(match))
    return failure();

  auto resultType = cast<RankedTensorType>(result.getType());
  Type biasElement = cast<RankedTensorType>(match->bias.getType())
                         .getElementType();
  if (!resultType.getElementType().isF32()) {
    user->emitRemark()
        << "bias add not fused into fp8.scaled_matmul: its result is "
        << resultType.getElementType()
        << ", and the fused op would round acc + bias once where this IR "
           "rounds twice; only f32 results are fused";
    return failure();
  }
  if (biasElement != resultType.getElementType())
    return failure();

  // The bias dominates the add; the matmul's operands dominate the matmul,
  // which comes before the add in the same block.
  rewriter.moveOpBefore(op, user);
  rewriter.modifyOpInPlace(
      op, [&] { op.getBiasMutable().assign(match->bias); });

  if (!match->epilogueStart) {
    rewriter.replaceOp(user, op.getResult());
  } else {
    // Keep what follows the add in a new elementwise generic.
    auto generic = cast<linalg::GenericOp>(user);
    Block &oldBody = generic.getRegion().front();
    MLIRContext *ctx = generic.getContext();
    AffineMap identity =
        AffineMap::getMultiDimIdentityMap(resultType.getRank(), ctx);
    rewriter.setInsertionPoint(generic);
    auto epilogue = linalg::GenericOp::create(
        rewriter, generic.getLoc(), generic.getResultTypes(),
        ValueRange{op.getResult()}, generic.getDpsInits(),
        ArrayRef<AffineMap>{identity, identity},
        generic.getIteratorTypesArray(),
        [&](OpBuilder &b, Location, ValueRange args) {
          IRMapping mapping;
          mapping.map(match->epilogueStart.getResult(), args[0]);
          mapping.map(oldBody.getArgument(2), args[1]);
          for (Operation &bodyOp :
               llvm::make_range(std::next(Block::iterator(
                                    match->epilogueStart.getOperation())),
                                oldBody.end()))
            b.clone(bodyOp, mapping);
        });
    epilogue->setDiscardableAttrs(generic->getDiscardableAttrDictionary());
    rewriter.replaceOp(generic, epilogue->getResults());
  }
  // A broadcast only the add read is dead now.
  if (match->broadcast && match->broadcast->use_empty())
    rewriter.eraseOp(match->broadcast);
  return success();
}
