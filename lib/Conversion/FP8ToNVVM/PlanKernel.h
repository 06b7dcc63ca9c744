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

namespace mlir {
class ConversionPatternRewriter;
namespace fp8::gpu_kernels {

/// The ops `convert-fp8-to-gpu` converts: quantize, dequantize, amax,
/// scaled_matmul, hadamard and the fused ops of fp8-fuse-quantize.
bool isConvertedToGPU(Operation *op);

/// Plans the kernel of `op` on `target` and checks what every plan must
/// meet: static shapes going in, a grid CUDA can launch coming out. Reports
/// why not at `op` otherwise.
FailureOr<KernelPlan> planKernel(Operation *op, const FP8ToGPUTarget &target);

/// Replaces `op` by the launch of `kernel` as `plan`, made for `op`,
/// describes. The kernel reads `operands`, what the converted operands of
/// `op` are now.
void replaceWithLaunch(ConversionPatternRewriter &rewriter, Operation *op,
                       ValueRange operands, const KernelPlan &plan,
                       gpu::GPUFuncOp kernel);

} // namespace fp8::gpu_kernels
} // namespace mlir

#endif // FP8_LIB_CONVERSION_FP8TONVVM_PLANKERNEL_H
