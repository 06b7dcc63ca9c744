//===- HighPrecisionMatmuls.cpp - Matmuls kept out of FP8 -----------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/Transforms/HighPrecisionMatmuls.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::fp8;

bool fp8::isWeightGradientMatmul(std::pair<Role, Role> roles) {
  auto [a, b] = roles;
  return (a == Role::activation && b == Role::gradient) ||
         (a == Role::gradient && b == Role::activation);
}

Type fp8::getWeightGradientType(MLIRContext *context, WgradPrecision wgrad) {
  switch (wgrad) {
  case WgradPrecision::fp8:
    return {};
  case WgradPrecision::bf16:
    return BFloat16Type::get(context);
  case WgradPrecision::f32:
    return Float32Type::get(context);
  }
  llvm_unreachable("unknown WgradPrecision");
}

/// `value` (a float tensor) with elements of type `type`.
static Value castElements(OpBuilder &builder, Location loc, Value value,
                          Type type) {
  auto tensorType = cast<RankedTensorType>(value.getType());
  auto from = cast<FloatType>(tensorType.getElementType());
  auto to = cast<FloatType>(type);
  if (from == to)
    return value;
  Type castType = tensorType.clone(to);
  if (from.getWidth() > to.getWidth() ||
      (from.getWidth() == to.getWidth() &&
       from.getFPMantissaWidth() > to.getFPMantissaWidth()))
    return arith::TruncFOp::create(builder, loc, castType, value);
  return arith::ExtFOp::create(builder, loc, castType, value);
}

/// The attributes of a named matmul that say what it computes (its
/// indexing maps, its cast) and the discardable ones.
static SmallVector<NamedAttribute> getMatmulAttrs(Operation *matmul) {
  SmallVector<NamedAttribute> kept;
  for (NamedAttribute attr : matmul->getAttrs())
    if (attr.getName() != "operandSegmentSizes")
      kept.push_back(attr);
  return kept;
}

FailureOr<Operation *> fp8::computeMatmulIn(Operation *matmul, Type type,
                                            OpBuilder &builder,
                                            std::string &whyNot) {
  if (!isa<linalg::MatmulOp, linalg::BatchMatmulOp>(matmul)) {
    whyNot = (matmul->getName().getStringRef() +
              " computes in its operands' types; only linalg.matmul and "
              "linalg.batch_matmul get their operands cast")
                 .str();
    return failure();
  }
  auto linalgOp = cast<linalg::LinalgOp>(matmul);
  SmallVector<Value> inputs;
  for (Value input : linalgOp.getDpsInputs()) {
    if (!isa<FloatType>(getElementTypeOrSelf(input.getType()))) {
      whyNot = "an operand is not a float tensor";
      return failure();
    }
    inputs.push_back(input);
  }
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPoint(matmul);
  Location loc = matmul->getLoc();
  for (Value &input : inputs)
    input = castElements(builder, loc, input, type);
  SmallVector<Value> outputs = linalgOp.getDpsInits();
  TypeRange results = matmul->getResultTypes();
  SmallVector<NamedAttribute> attrs = getMatmulAttrs(matmul);
  Operation *rebuilt;
  if (isa<linalg::MatmulOp>(matmul))
    rebuilt = linalg::MatmulOp::create(builder, loc, results, inputs,
                                       outputs, attrs);
  else
    rebuilt = linalg::BatchMatmulOp::create(builder, loc, results, inputs,
                                            outputs, attrs);
  matmul->replaceAllUsesWith(rebuilt->getResults());
  matmul->erase();
  return rebuilt;
}
