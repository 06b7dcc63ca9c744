//===- FP8ToGPU.h - fp8 ops to GPU kernel launches --------------*- C++ -*-===//
//
// Part of fp8-mlir. The patterns behind `fp8-fuse-quantize` and
// `convert-fp8-to-gpu`, for pipelines that drive them themselves.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_CONVERSION_FP8TONVVM_FP8TOGPU_H
#define FP8_CONVERSION_FP8TONVVM_FP8TOGPU_H

#include "fp8/Conversion/FP8ToNVVM/ChipInfo.h"
#include "fp8/Conversion/FP8ToNVVM/KernelHeuristics.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/JSON.h"

namespace mlir {
class ConversionTarget;
class RewritePatternSet;
namespace fp8 {
namespace gpu_kernels {
struct KernelPlan;
} // namespace gpu_kernels

/// Whether every tensor operand and result of `op` has a static shape: the
/// kernels and their launches are sized from the types.
bool hasStaticShapes(Operation *op);

/// The rewrites of `fp8-fuse-quantize`: amax -> scale_from_amax -> quantize
/// chains into fp8.quantize_with_amax, quantize and amax of a transpose into
/// fp8.quantize_transposed and fp8.amax_transposed, where a kernel runs
/// them. Meant for a walk (walkAndApplyPatterns): they erase only the op
/// they match, and leave producers without users (transposes,
/// scale_from_amax, amax) to the caller.
void populateFP8FuseQuantizePatterns(RewritePatternSet &patterns);

/// What the kernels are planned for: the chip and the GEMM overrides.
struct FP8ToGPUTarget {
  ChipInfo chip;
  GemmSM90Overrides sm90;
  GemmSM100Overrides sm100;
};

/// The kernels emitted into a module, each once in a gpu.module of its own,
/// and the manifest entries that describe them.
class GPUKernelTable {
public:
  explicit GPUKernelTable(ModuleOp module) : module(module), symbols(module) {}

  /// The kernel `plan.name`, emitted (its gpu.module created with `builder`
  /// at the start of the module) and described on first use; `op` is the op
  /// the plan was made for. Fails (at `op`) when the module already holds
  /// an unrelated symbol of that name.
  FailureOr<gpu::GPUFuncOp> getOrCreate(OpBuilder &builder,
                                        const gpu_kernels::KernelPlan &plan,
                                        Operation *op);

  bool empty() const { return manifest.empty(); }
  /// The manifest entries, in the order the kernels were emitted.
  llvm::json::Array takeManifest() { return std::move(manifest); }

private:
  /// The kernel `plan.name`, emitted on first use.
  FailureOr<gpu::GPUFuncOp> lookupOrEmit(OpBuilder &builder,
                                         const gpu_kernels::KernelPlan &plan,
                                         Operation *op);

  ModuleOp module;
  SymbolTable symbols;
  llvm::json::Array manifest;
  llvm::StringSet<> described;
};

/// Plans the kernel of every fp8 op under `root` that `convert-fp8-to-gpu`
/// converts and emits it into `kernels` in program order. Reports every op
/// without a kernel at its location and fails then, before any op changed.
LogicalResult emitFP8Kernels(Operation *root, const FP8ToGPUTarget &target,
                             GPUKernelTable &kernels);

/// Marks the fp8 ops `convert-fp8-to-gpu` converts illegal.
void configureFP8ToGPUConversionTarget(ConversionTarget &conversionTarget);

/// One pattern per fp8 op (quantize, dequantize, amax, scaled_matmul and
/// the fused ops of fp8-fuse-quantize): the op becomes host code that
/// launches its kernel from `kernels`.
void populateFP8ToGPUConversionPatterns(RewritePatternSet &patterns,
                                        const FP8ToGPUTarget &target,
                                        GPUKernelTable &kernels);

} // namespace fp8
} // namespace mlir

#endif // FP8_CONVERSION_FP8TONVVM_FP8TOGPU_H
