//===- PlanKernel.cpp - The kernel of each op convert-fp8-to-gpu converts -===//
//
// Part of fp8-mlir. Dispatches each op to its planner (QuantizeKernels.cpp,
// AmaxKernels.cpp, FusedQuantizeKernels.cpp, QuantizeTransposeKernels.cpp,
// HadamardKernels.cpp, GemmSM90.cpp, GemmSM100.cpp).
//
//===----------------------------------------------------------------------===//

#include "PlanKernel.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

/// The GEMM kernel of the matrix unit `target` has: tcgen05 or wgmma.
static FailureOr<KernelPlan> planScaledMatmul(ScaledMatmulOp op,
                                              const FP8ToGPUTarget &target) {
  if (target.chip.hasTcgen05())
    return planScaledMatmulSM100Kernel(op, target.chip, target.sm100);
  if (target.chip.hasWgmma())
    return planScaledMatmulSM90Kernel(op, target.chip, target.sm90);
  return op.emitOpError("has no GEMM kernel for ")
         << target.chip.getName() << " (it has neither tcgen05 nor wgmma)";
}

/// The planner of `op`, one per op `convert-fp8-to-gpu` converts.
static FailureOr<KernelPlan> planOp(Operation *op,
                                    const FP8ToGPUTarget &target) {
  const ChipInfo &chip = target.chip;
  return TypeSwitch<Operation *, FailureOr<KernelPlan>>(op)
      .Case([&](QuantizeOp quantize) {
        return planQuantizeKernel(quantize, chip);
      })
      .Case([&](DequantizeOp dequantize) {
        return planDequantizeKernel(dequantize, chip);
      })
      .Case([&](AmaxOp amax) { return planAmaxKernel(amax, chip); })
      .Case([&](ScaledMatmulOp matmul) {
        return planScaledMatmul(matmul, target);
      })
      .Case([&](QuantizeWithAmaxOp fused) {
        return planFusedQuantizeKernel(fused, chip);
      })
      .Case([&](QuantizeTransposedOp transposed) {
        return planQuantizeTransposeKernel(transposed, chip);
      })
      .Case([&](AmaxTransposedOp transposed) {
        return planAmaxTransposeKernel(transposed, chip);
      })
      .Case([&](HadamardOp hadamard) {
        return planHadamardKernel(hadamard, chip);
      })
      .Default([](Operation *) -> FailureOr<KernelPlan> {
        llvm_unreachable("an op convert-fp8-to-gpu does not convert");
      });
}

FailureOr<KernelPlan> gpu_kernels::planKernel(Operation *op,
                                              const FP8ToGPUTarget &target) {
  // A GEMM says which of its dims is dynamic and why it must be static.
  // A GEMM whose only dynamic dim is M takes it at run time.
  auto matmul = dyn_cast<ScaledMatmulOp>(op);
  bool runtimeM = matmul && hasRuntimeMKernelShape(matmul);
  if (matmul && !runtimeM &&
      (!matmul.getA().getType().hasStaticShape() ||
       !matmul.getB().getType().hasStaticShape()))
    return reportDynamicGemmDims(matmul);
  // Quantize, dequantize and amax have runtime-row kernels (their planners
  // check what stays static); the other kernels need static shapes.
  if (!hasStaticShapes(op) && !runtimeM &&
      !isa<QuantizeOp, DequantizeOp, AmaxOp>(op))
    return op->emitOpError("has no GPU kernel for dynamic shapes; the GPU "
                           "lowering needs static shapes");
  FailureOr<KernelPlan> plan = planOp(op, target);
  if (failed(plan))
    return failure();
  // A grid dim computed at launch is checked there (the host launcher
  // refuses one beyond CUDA's limits).
  std::array<int64_t, 3> staticGrid = plan->grid;
  for (auto [size, extent] : llvm::zip_equal(staticGrid, plan->runtimeGrid))
    if (extent)
      size = 1;
  if (!CudaLimits::fitsGrid(staticGrid))
    return op->emitOpError("needs a grid of [")
           << plan->grid[0] << ", " << plan->grid[1] << ", " << plan->grid[2]
           << "] CTAs; CUDA launches at most " << CudaLimits::kMaxGridX
           << " along x and " << CudaLimits::kMaxGridYZ
           << " along y and z";
  return plan;
}

bool gpu_kernels::isConvertedToGPU(Operation *op) {
  return isa<QuantizeOp, DequantizeOp, AmaxOp, ScaledMatmulOp,
             QuantizeWithAmaxOp, QuantizeTransposedOp, AmaxTransposedOp,
             HadamardOp>(op);
}
