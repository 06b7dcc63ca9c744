//===- Roles.cpp - Training roles of tensors ------------------------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/Roles.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace mlir::fp8;

/// True for ops whose results are constants or globals: weights.
static bool isConstantOrGlobal(Operation *op) {
  if (op->hasTrait<OpTrait::ConstantLike>())
    return true;
  StringRef name = op->getName().getStringRef();
  return name == "ml_program.global_load" ||
         name == "ml_program.global_load_const" || name == "memref.get_global";
}

/// The operands whose values `op` reads: the inputs of a linalg op plus
/// the inits its body reads, the inputs of other destination-style ops, and
/// every operand of any other op.
static SmallVector<Value> getReadOperands(Operation *op) {
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    SmallVector<Value> read(linalgOp.getDpsInputs());
    for (OpOperand &init : linalgOp.getDpsInitsMutable())
      if (linalgOp.payloadUsesValueFromOperand(&init))
        read.push_back(init.get());
    return read;
  }
  if (auto dpsOp = dyn_cast<DestinationStyleOpInterface>(op))
    return SmallVector<Value>(dpsOp.getDpsInputs());
  return SmallVector<Value>(op->getOperands());
}

RoleAnalysis::State RoleAnalysis::fromRole(Role role) {
  switch (role) {
  case Role::activation:
    return State::activation;
  case Role::weight:
    return State::weight;
  case Role::gradient:
    return State::gradient;
  }
  llvm_unreachable("unknown role");
}

RoleAnalysis::RoleAnalysis(Operation *function) {
  auto functionOp = dyn_cast<FunctionOpInterface>(function);
  if (functionOp && !functionOp.isExternal()) {
    for (BlockArgument arg : functionOp.getArguments()) {
      auto role = functionOp.getArgAttrOfType<RoleAttr>(arg.getArgNumber(),
                                                        kRoleAttrName);
      states[arg] = role ? fromRole(role.getValue()) : State::activation;
    }
    for (const InferredRole &inferred : inferArgumentRoles(functionOp))
      states[functionOp.getArgument(inferred.argNumber)] =
          fromRole(inferred.role);
  }
  // Pre-order: an op is visited after the ops that define its operands
  // (dominance) and before the ops of its regions.
  function->walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (op != function)
      visit(op);
  });
}

void RoleAnalysis::visit(Operation *op) {
  // Block arguments of nested regions (loop induction variables, iter
  // args, ...): gradients when the op reads a gradient, else unknown.
  bool readsGradient = llvm::any_of(op->getOperands(), [&](Value operand) {
    return getState(operand) == State::gradient;
  });
  for (Region &region : op->getRegions())
    for (Block &block : region)
      for (BlockArgument arg : block.getArguments())
        states[arg] = readsGradient ? State::gradient : State::unknown;

  if (op->getNumResults() == 0)
    return;
  State resultState = State::unknown;
  if (auto role = op->getAttrOfType<RoleAttr>(kRoleAttrName)) {
    resultState = fromRole(role.getValue());
  } else if (isConstantOrGlobal(op)) {
    resultState = State::weight;
  } else {
    for (Value operand : getReadOperands(op))
      resultState = join(resultState, getState(operand));
  }
  for (Value result : op->getResults())
    states[result] = resultState;
}

RoleAnalysis::State RoleAnalysis::getState(Value value) const {
  return states.lookup(value); // State::unknown when absent.
}

Role RoleAnalysis::getRole(Value value) const {
  switch (getState(value)) {
  case State::weight:
    return Role::weight;
  case State::gradient:
    return Role::gradient;
  case State::unknown:
  case State::activation:
    return Role::activation;
  }
  llvm_unreachable("unknown role state");
}

std::pair<Role, Role> fp8::getMatmulRoles(Operation *matmul,
                                          const RoleAnalysis &analysis) {
  if (auto roles = matmul->getAttrOfType<ArrayAttr>(kRolesAttrName)) {
    if (roles.size() == 2) {
      auto a = dyn_cast<RoleAttr>(roles[0]);
      auto b = dyn_cast<RoleAttr>(roles[1]);
      if (a && b)
        return {a.getValue(), b.getValue()};
    }
  }
  auto dpsOp = cast<DestinationStyleOpInterface>(matmul);
  return {analysis.getRole(dpsOp.getDpsInputOperand(0)->get()),
          analysis.getRole(dpsOp.getDpsInputOperand(1)->get())};
}
