//===- KernelManifest.h - JSON description of the fp8 kernels ---*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_KERNELMANIFEST_H
#define FP8_LIB_CONVERSION_FP8TONVVM_KERNELMANIFEST_H

#include "KernelBuilder.h"

#include "llvm/Support/JSON.h"

namespace mlir::fp8::gpu_kernels {

/// Name of the module attribute holding the manifest (a JSON string).
inline constexpr llvm::StringLiteral kManifestAttrName = "fp8.gpu_manifest";

/// Describes how to launch the kernel of `plan`, emitted for `op`: name,
/// grid, block, cluster, dynamic shared memory and, per parameter in PTX
/// order, what to pass (buffers with dtype and shape, TMA descriptors with
/// the cuTensorMapEncodeTiled arguments).
llvm::json::Object describeKernel(const KernelPlan &plan, Operation *op);

/// The manifest of a module: `{"version": 1, "chip": ..., "kernels": [...]}`.
std::string printManifest(StringRef chip, llvm::json::Array kernels);

} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_KERNELMANIFEST_H
