//===- PlanKernel.h - The kernel of each op convert-fp8-to-gpu converts -*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: planning the
// kernel of one op (PlanKernel.cpp) and replacing the op by its launch
// (LaunchKernel.cpp), the two halves of the convert-fp8-to-gpu patterns.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_PLANKERNEL_H
#define FP8_LIB_CONVERSION_FP8TONVVM_PLANKERNEL_H

#include "KernelBuilder.h"

#include "fp8/Conversion/FP8ToNVVM/FP8ToGPU.h"
#include "mlir/IR/OwningOpRef.h"

namespace mlir {
class ConversionPatternRewriter;
namespace fp8::gpu_kernels {

/// The kernel of one op and how its launch binds the op. The planners take
/// the unfused ops, so the kernel of a fused op is planned on the unfused
/// chain it stands for, built detached and erased with this object; the
/// inputs of that chain are operands of the fused op.
struct PlannedKernel {
  KernelPlan plan;
  /// The op the plan was made for: the parameters' operand and result
  /// numbers refer to it, and the manifest names it.
  Operation *plannedOp = nullptr;
  /// The values of the planned IR whose buffers replace the results of the
  /// converted op, in result order.
  SmallVector<Value> results;
  /// The detached unfused ops, in creation order (erased in reverse).
  SmallVector<OwningOpRef<Operation *>> temporaries;

  /// Keeps `op`, built detached, until the launch is done.
  template <typename OpTy> OpTy keep(OpTy op) {
    temporaries.emplace_back(op.getOperation());
    return op;
  }
};

/// The ops `convert-fp8-to-gpu` converts: quantize, dequantize, amax,
/// scaled_matmul and the fused ops of fp8-fuse-quantize.
bool isConvertedToGPU(Operation *op);

/// Plans the kernel of `op` on `target` and checks what every plan must
/// meet: static shapes going in, a grid CUDA can launch coming out. Reports
/// why not at `op` otherwise.
LogicalResult planKernel(Operation *op, const FP8ToGPUTarget &target,
                         PlannedKernel &planned);

/// Replaces `op` by the launch of `kernel` as `planned` describes. The
/// kernel reads `operands`, what the converted operands of `op` are now.
void replaceWithLaunch(ConversionPatternRewriter &rewriter, Operation *op,
                       ValueRange operands, const PlannedKernel &planned,
                       gpu::GPUFuncOp kernel);

} // namespace fp8::gpu_kernels
} // namespace mlir

#endif // FP8_LIB_CONVERSION_FP8TONVVM_PLANKERNEL_H
