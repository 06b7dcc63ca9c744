//===- FP8Attrs.h - fp8 dialect attributes ----------------------*- C++ -*-===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_IR_FP8ATTRS_H
#define FP8_DIALECT_FP8_IR_FP8ATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "fp8/Dialect/FP8/IR/FP8Enums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "fp8/Dialect/FP8/IR/FP8Attrs.h.inc"

#include <string>

namespace mlir {
namespace fp8 {

/// The recipe names, as diagnostics list them: "tensorwise, delayed, ...
/// or mxfp8" (every value of the RecipeKind enum, in order).
std::string getRecipeKindNames();

} // namespace fp8
} // namespace mlir

#endif // FP8_DIALECT_FP8_IR_FP8ATTRS_H
