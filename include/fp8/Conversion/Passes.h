//===- Passes.h - fp8 conversion passes -------------------------*- C++ -*-===//
//
// Part of fp8-mlir. Passes that lower fp8 ops to target code (GPU kernels).
//
//===----------------------------------------------------------------------===//

#ifndef FP8_CONVERSION_PASSES_H
#define FP8_CONVERSION_PASSES_H

#include "fp8/Conversion/GPUOptions.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir {
namespace fp8 {

#define GEN_PASS_DECL
#include "fp8/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "fp8/Conversion/Passes.h.inc"

} // namespace fp8
} // namespace mlir

#endif // FP8_CONVERSION_PASSES_H
