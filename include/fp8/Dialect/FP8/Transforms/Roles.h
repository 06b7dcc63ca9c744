//===- Roles.h - Training roles of tensors ----------------------*- C++ -*-===//
//
// Part of fp8-mlir. Which matmul operands are activations, weights and
// gradients: the analysis behind `fp8-assign-roles`, shared with
// `fp8-quantize-matmuls` for IR that has no `fp8.roles` yet.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_ROLES_H
#define FP8_DIALECT_FP8_TRANSFORMS_ROLES_H

#include "fp8/Dialect/FP8/IR/FP8Attrs.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::fp8 {

/// An explicit role: a function argument attribute or an attribute on the
/// op that defines a value (all of its results), e.g.
/// `%w: tensor<64x256xf32> {fp8.role = #fp8.role<weight>}`.
inline constexpr llvm::StringLiteral kRoleAttrName = "fp8.role";

/// The roles of the two inputs (A, B) of a matmul-like op, as an array of
/// `#fp8.role` on the op: `fp8.roles = [#fp8.role<activation>,
/// #fp8.role<weight>]`.
inline constexpr llvm::StringLiteral kRolesAttrName = "fp8.roles";

/// Forward propagation of roles through the use-def graph of one function
/// (any FunctionOpInterface op), in program order.
///
/// Every value gets one of: nothing known yet (`tensor.empty`, ops without
/// operands), weight, activation or gradient, in this order of precedence
/// (a join takes the highest):
///   1. an explicit `fp8.role` on the function argument or defining op;
///   2. values of constants and globals (`ConstantLike` ops such as
///      `arith.constant`, `ml_program.global_load[_const]`,
///      `memref.get_global`) are weights;
///   3. other op results join the roles of the operands the op reads (the
///      inits of a linalg op count only where its body reads them): a
///      value derived from a gradient (through elementwise ops, broadcast,
///      reshape, transpose, matmul, ...) is a gradient; one derived only
///      from weights (a transposed or cast weight) is a weight; anything
///      that mixes in an activation is an activation. Block arguments of
///      nested regions are gradients when their op reads a gradient;
///   4. function arguments without `fp8.role` get the role
///      `inferArgumentRoles` infers, else are activations.
/// Values with nothing known count as activations.
class RoleAnalysis {
public:
  explicit RoleAnalysis(Operation *function);

  /// The role of `value` (a value of the analysed function).
  Role getRole(Value value) const;

private:
  /// The lattice of the propagation; `unknown` < weight < activation <
  /// gradient.
  enum class State { unknown, weight, activation, gradient };
  static State join(State lhs, State rhs) { return std::max(lhs, rhs); }
  static State fromRole(Role role);

  void visit(Operation *op);
  State getState(Value value) const;

  llvm::DenseMap<Value, State> states;
};

/// A role inferred for a function argument without `fp8.role`, and the
/// rule that gave it (a sentence, for a remark).
struct InferredRole {
  unsigned argNumber;
  Role role;
  StringRef rule;
};

/// The weights and gradients among the arguments of `function` that have
/// no `fp8.role`, inferred from the matmuls of a joint forward + backward
/// graph as PyTorch exports it (nn.Linear weights stored [out, in]), in
/// argument order:
///   1. the B operand of one matmul through a transpose (the forward,
///      X W^T) and of another without one (the dgrad, dY W): a weight;
///   2. the A operand of such a dgrad matmul (dY): a gradient;
///   3. the B operand of a forward matmul (its A computed from no
///      gradient) when a result of the function has the argument's type and
///      is computed from a gradient (the weight's gradient): a weight.
/// An operand counts as the argument where only transposes, broadcasts,
/// reshapes and casts lie between them. Explicit roles are never changed
/// and count in rules 2 and 3. A forward-only function gets nothing.
SmallVector<InferredRole> inferArgumentRoles(FunctionOpInterface function);

/// The roles of the A and B inputs of a matmul-like op: its `fp8.roles`
/// attribute when it holds two `#fp8.role`s, else the analysis.
std::pair<Role, Role> getMatmulRoles(Operation *matmul,
                                     const RoleAnalysis &analysis);

} // namespace mlir::fp8

#endif // FP8_DIALECT_FP8_TRANSFORMS_ROLES_H
