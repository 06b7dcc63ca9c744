//===- AssignRoles.cpp - Give every matmul operand a role -----------------===//
//
// Part of fp8-mlir. Stores the roles RoleAnalysis (Roles.h) infers on every
// matmul-like op as `fp8.roles = [#fp8.role<A>, #fp8.role<B>]`.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/IR/FP8Dialect.h"
#include "fp8/Dialect/FP8/Transforms/MatmulMatchers.h"
#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "fp8/Dialect/FP8/Transforms/Roles.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir::fp8 {
#define GEN_PASS_DEF_FP8ASSIGNROLES
#include "fp8/Dialect/FP8/Transforms/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;
using namespace mlir::fp8;

/// Checks the explicit role attributes in `module`: `fp8.role` on ops and
/// function arguments must be a `#fp8.role`, `fp8.roles` on matmul-like ops
/// an array of two. Emits an error at each bad one.
static LogicalResult verifyExplicitRoles(ModuleOp module) {
  bool valid = true;
  module.walk([&](Operation *op) {
    if (Attribute role = op->getAttr(kRoleAttrName);
        role && !isa<RoleAttr>(role)) {
      op->emitError() << "expected '" << kRoleAttrName
                      << "' to be a #fp8.role<activation|weight|gradient>, "
                         "found "
                      << role;
      valid = false;
    }
    if (auto function = dyn_cast<FunctionOpInterface>(op)) {
      for (unsigned i = 0, e = function.getNumArguments(); i < e; ++i) {
        Attribute role = function.getArgAttr(i, kRoleAttrName);
        if (role && !isa<RoleAttr>(role)) {
          function.emitError()
              << "expected '" << kRoleAttrName << "' of argument " << i
              << " to be a #fp8.role<activation|weight|gradient>, found "
              << role;
          valid = false;
        }
      }
    }
    if (Attribute roles = op->getAttr(kRolesAttrName);
        roles && isMatmulLike(op)) {
      auto array = dyn_cast<ArrayAttr>(roles);
      if (!array || array.size() != 2 ||
          !llvm::all_of(array, llvm::IsaPred<RoleAttr>)) {
        op->emitError() << "expected '" << kRolesAttrName
                        << "' to be an array of two #fp8.role (operands A "
                           "and B), found "
                        << roles;
        valid = false;
      }
    }
  });
  return success(valid);
}

namespace {
struct AssignRolesPass : fp8::impl::FP8AssignRolesBase<AssignRolesPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(verifyExplicitRoles(module)))
      return signalPassFailure();

    MLIRContext *context = &getContext();
    module.walk([&](FunctionOpInterface function) {
      if (function.isExternal())
        return;
      // The roles inferred for unannotated arguments are guesses: say so.
      for (const InferredRole &inferred : inferArgumentRoles(function)) {
        Location loc = function.getArgument(inferred.argNumber).getLoc();
        if (isa<UnknownLoc>(loc))
          loc = function.getLoc();
        mlir::emitRemark(loc)
            << "argument " << inferred.argNumber << " of @"
            << SymbolTable::getSymbolName(function).getValue()
            << " inferred to be a " << stringifyRole(inferred.role) << ": "
            << inferred.rule;
      }
      RoleAnalysis analysis(function);
      function->walk([&](Operation *op) {
        if (!isMatmulLike(op) || op->hasAttr(kRolesAttrName) ||
            op->getParentOfType<FunctionOpInterface>() != function)
          return;
        auto [a, b] = getMatmulRoles(op, analysis);
        op->setAttr(kRolesAttrName,
                    ArrayAttr::get(context, {RoleAttr::get(context, a),
                                             RoleAttr::get(context, b)}));
      });
    });
  }
};
} // namespace
