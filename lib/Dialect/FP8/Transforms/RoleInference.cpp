//===- RoleInference.cpp - Roles of unannotated function arguments --------===//
//
// Part of fp8-mlir. Infers the weights and gradients among the arguments of
// a joint forward + backward function that carry no `fp8.role`, from the
// matmuls of PyTorch's backward (docs/quantize-pipeline.md, "Roles").
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/MatmulMatchers.h"
#include "fp8/Dialect/FP8/Transforms/Roles.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using namespace mlir::fp8;

namespace {
/// A matmul operand followed back to a function argument through layout
/// ops only.
struct ArgumentUse {
  BlockArgument argument;
  /// Whether an odd number of transposes lies between the two.
  bool transposed = false;
};
} // namespace

/// Follows `value` back through ops that only move data (`linalg.transpose`,
/// `linalg.broadcast`, `tensor.collapse_shape`, `tensor.expand_shape`,
/// `tensor.cast`) to an argument of `function`'s body; std::nullopt when
/// another op lies between them.
static std::optional<ArgumentUse>
traceToArgument(Value value, FunctionOpInterface function) {
  bool transposed = false;
  while (Operation *op = value.getDefiningOp()) {
    if (auto transpose = dyn_cast<linalg::TransposeOp>(op)) {
      transposed = !transposed;
      value = transpose.getInput();
    } else if (auto broadcast = dyn_cast<linalg::BroadcastOp>(op)) {
      value = broadcast.getInput();
    } else if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op)) {
      value = collapse.getSrc();
    } else if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op)) {
      value = expand.getSrc();
    } else if (auto cast = dyn_cast<tensor::CastOp>(op)) {
      value = cast.getSource();
    } else {
      return std::nullopt;
    }
  }
  auto argument = dyn_cast<BlockArgument>(value);
  if (!argument || argument.getOwner() != &function.getFunctionBody().front())
    return std::nullopt;
  return ArgumentUse{argument, transposed};
}

/// The values of `function` computed (through any op, regions included)
/// from one of `sources`.
static llvm::DenseSet<Value>
getValuesComputedFrom(FunctionOpInterface function,
                      const llvm::DenseSet<Value> &sources) {
  llvm::DenseSet<Value> reached(sources.begin(), sources.end());
  function->walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (op == function.getOperation())
      return;
    bool readsSource = llvm::any_of(op->getOperands(), [&](Value operand) {
      return reached.count(operand);
    });
    if (!readsSource)
      return;
    for (Value result : op->getResults())
      reached.insert(result);
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument argument : block.getArguments())
          reached.insert(argument);
  });
  return reached;
}

SmallVector<InferredRole>
fp8::inferArgumentRoles(FunctionOpInterface function) {
  if (function.isExternal())
    return {};
  auto explicitRole = [&](BlockArgument argument) -> std::optional<Role> {
    if (auto role = function.getArgAttrOfType<RoleAttr>(argument.getArgNumber(),
                                                        kRoleAttrName))
      return role.getValue();
    return std::nullopt;
  };

  // The matmuls with their A and B operands traced to arguments.
  struct Matmul {
    Operation *op;
    std::optional<ArgumentUse> a, b;
  };
  SmallVector<Matmul> matmuls;
  function->walk([&](Operation *op) {
    if (!isMatmulLike(op))
      return;
    auto dpsOp = cast<DestinationStyleOpInterface>(op);
    matmuls.push_back(
        {op, traceToArgument(dpsOp.getDpsInputOperand(0)->get(), function),
         traceToArgument(dpsOp.getDpsInputOperand(1)->get(), function)});
  });

  llvm::DenseMap<BlockArgument, InferredRole> inferred;
  auto infer = [&](BlockArgument argument, Role role, StringRef rule) {
    if (explicitRole(argument) || inferred.count(argument))
      return;
    inferred[argument] = {argument.getArgNumber(), role, rule};
  };
  auto roleOf = [&](BlockArgument argument) -> std::optional<Role> {
    if (std::optional<Role> role = explicitRole(argument))
      return role;
    if (auto it = inferred.find(argument); it != inferred.end())
      return it->second.role;
    return std::nullopt;
  };

  // Rule 1, the dgrad pair: PyTorch stores a linear layer's weight as
  // [out, in]; its forward reads W^T as the B operand (Y = X W^T) and its
  // dgrad reads W itself (dX = dY W). An argument that is the B operand of
  // one matmul transposed and of another as it is, is such a weight, unless
  // the transposed read is backward (its A computed from an explicit
  // gradient: dP = dO V^T of attention, whose forward P V reads V as is).
  llvm::DenseSet<Value> explicitGradients;
  for (BlockArgument argument : function.getArguments())
    if (explicitRole(argument) == Role::gradient)
      explicitGradients.insert(argument);
  llvm::DenseSet<Value> fromExplicitGradients =
      getValuesComputedFrom(function, explicitGradients);
  llvm::DenseSet<BlockArgument> readTransposed, readAsIs;
  for (const Matmul &matmul : matmuls) {
    if (!matmul.b)
      continue;
    Value a = cast<DestinationStyleOpInterface>(matmul.op)
                  .getDpsInputOperand(0)
                  ->get();
    if (!matmul.b->transposed)
      readAsIs.insert(matmul.b->argument);
    else if (!fromExplicitGradients.count(a))
      readTransposed.insert(matmul.b->argument);
  }
  for (const Matmul &matmul : matmuls)
    if (matmul.b && readTransposed.count(matmul.b->argument) &&
        readAsIs.count(matmul.b->argument))
      infer(matmul.b->argument, Role::weight,
            "the B operand of a forward matmul (transposed, X W^T) and of "
            "a dgrad matmul (as it is, dY W)");

  // Rule 2, the incoming gradient: the A operand of that dgrad matmul, dY
  // in dX = dY W, when it is an argument, is a gradient (a tangent).
  for (const Matmul &matmul : matmuls)
    if (matmul.a && matmul.b && !matmul.b->transposed &&
        readTransposed.count(matmul.b->argument) &&
        readAsIs.count(matmul.b->argument) &&
        roleOf(matmul.b->argument) == Role::weight)
      infer(matmul.a->argument, Role::gradient,
            "the A operand of a dgrad matmul (dY in dX = dY W)");

  // Rule 3, weights whose gradient is a result: an argument that is the B
  // operand of a forward matmul (its A operand computed from no gradient)
  // while a function result of the same type is computed from a gradient
  // (the first layer's weight, which has no dgrad).
  llvm::DenseSet<Value> gradients;
  for (BlockArgument argument : function.getArguments())
    if (roleOf(argument) == Role::gradient)
      gradients.insert(argument);
  llvm::DenseSet<Value> fromGradients =
      getValuesComputedFrom(function, gradients);
  llvm::DenseSet<Type> gradientResultTypes;
  for (Block &block : function.getFunctionBody())
    if (!block.empty() && block.back().hasTrait<OpTrait::ReturnLike>())
      for (Value result : block.back().getOperands())
        if (fromGradients.count(result))
          gradientResultTypes.insert(result.getType());
  for (const Matmul &matmul : matmuls) {
    if (gradients.empty())
      break;
    auto dpsOp = cast<DestinationStyleOpInterface>(matmul.op);
    if (matmul.b && !fromGradients.count(dpsOp.getDpsInputOperand(0)->get()) &&
        gradientResultTypes.count(matmul.b->argument.getType()))
      infer(matmul.b->argument, Role::weight,
            "the B operand of a forward matmul, and a result of its type is "
            "computed from a gradient (its gradient)");
  }

  SmallVector<InferredRole> roles =
      llvm::to_vector(llvm::make_second_range(inferred));
  llvm::sort(roles, [](const InferredRole &lhs, const InferredRole &rhs) {
    return lhs.argNumber < rhs.argNumber;
  });
  return roles;
}
