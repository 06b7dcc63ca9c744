//===- Passes.td - fp8 dialect passes ----------------------*- tablegen -*-===//
//
// Part of fp8-mlir. Every pass documents what it does with a before/after
// example (StableHLO's Passes.td is the model).
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_PASSES_TD
#define FP8_DIALECT_FP8_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

#endif // FP8_DIALECT_FP8_TRANSFORMS_PASSES_TD
