//===- PlanKernel.cpp - The kernel of each op convert-fp8-to-gpu converts -===//
//
// Part of fp8-mlir. Dispatches each op to its planner (QuantizeKernels.cpp,
// AmaxKernels.cpp, GemmSM90.cpp, GemmSM100.cpp, ...); a fused op of
// fp8-fuse-quantize is planned on the unfused chain it stands for.
//
//===----------------------------------------------------------------------===//

#include "PlanKernel.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
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

/// A value of `type` for a detached op of the planned IR to read in place of
/// a value that exists only inside a fused op (the transposed input).
static Value placeholder(OpBuilder &b, PlannedKernel &planned, Location loc,
                         RankedTensorType type) {
  return planned
      .keep(tensor::EmptyOp::create(b, loc, type.getShape(),
                                    type.getElementType()))
      .getResult();
}

/// The tensor type of the transpose of the last two dims of `type`.
static RankedTensorType transposedType(RankedTensorType type) {
  SmallVector<int64_t> shape(type.getShape());
  std::swap(shape[shape.size() - 2], shape.back());
  return RankedTensorType::get(shape, type.getElementType());
}

/// fp8.quantize_with_amax as the amax -> scale_from_amax -> quantize chain
/// it stands for, and the fused kernel of that chain.
static FailureOr<KernelPlan> planFused(QuantizeWithAmaxOp op,
                                       const ChipInfo &chip,
                                       PlannedKernel &planned) {
  OpBuilder b(op.getContext());
  Location loc = op.getLoc();
  RankedTensorType scaleType = op.getScale().getType();
  auto amax = planned.keep(AmaxOp::create(
      b, loc, RankedTensorType::get(scaleType.getShape(), b.getF32Type()),
      op.getInput(), op.getScaling()));
  auto scale = planned.keep(ScaleFromAmaxOp::create(
      b, loc, scaleType, amax.getResult(), op.getFormatAttr(),
      op.getMarginAttr(), op.getPow2Attr(), op.getMxScaleAttr()));
  auto quantize = planned.keep(QuantizeOp::create(
      b, loc, op.getResult().getType(), op.getInput(), scale.getScale(),
      op.getScalingAttr(), op.getSaturateAttr()));
  planned.plannedOp = quantize;
  planned.results = {quantize.getResult(), scale.getScale()};
  return planFusedQuantizeKernel(quantize, scale, chip);
}

/// fp8.quantize_transposed as the quantize of a transpose it stands for, and
/// the transposing kernel that reads the input in place.
static FailureOr<KernelPlan> planTransposed(QuantizeTransposedOp op,
                                            const ChipInfo &chip,
                                            PlannedKernel &planned) {
  OpBuilder b(op.getContext());
  Location loc = op.getLoc();
  Value transposed =
      placeholder(b, planned, loc, transposedType(op.getInput().getType()));
  auto quantize = planned.keep(QuantizeOp::create(
      b, loc, op.getResult().getType(), transposed, op.getScale(),
      op.getScalingAttr(), op.getSaturateAttr()));
  planned.plannedOp = quantize;
  planned.results = {quantize.getResult()};
  return planQuantizeTransposeKernel(quantize, op.getInput(), chip);
}

/// fp8.amax_transposed as the amax of a transpose it stands for, and the
/// transposing kernel that reads the input in place.
static FailureOr<KernelPlan> planTransposed(AmaxTransposedOp op,
                                            const ChipInfo &chip,
                                            PlannedKernel &planned) {
  OpBuilder b(op.getContext());
  Location loc = op.getLoc();
  Value transposed =
      placeholder(b, planned, loc, transposedType(op.getInput().getType()));
  auto amax = planned.keep(AmaxOp::create(b, loc, op.getResult().getType(),
                                          transposed, op.getScalingAttr()));
  planned.plannedOp = amax;
  planned.results = {amax.getResult()};
  return planAmaxTransposeKernel(amax, op.getInput(), chip);
}

/// The kernel of an op `convert-fp8-to-gpu` converts, planned on the op
/// itself.
static FailureOr<KernelPlan> planUnfused(Operation *op,
                                         const FP8ToGPUTarget &target,
                                         PlannedKernel &planned) {
  planned.plannedOp = op;
  planned.results.assign(op->result_begin(), op->result_end());
  if (auto quantize = dyn_cast<QuantizeOp>(op))
    return planQuantizeKernel(quantize, target.chip);
  if (auto dequantize = dyn_cast<DequantizeOp>(op))
    return planDequantizeKernel(dequantize, target.chip);
  if (auto amax = dyn_cast<AmaxOp>(op))
    return planAmaxKernel(amax, target.chip);
  return planScaledMatmul(cast<ScaledMatmulOp>(op), target);
}

/// Plans the kernel of `op` (static shapes) and checks that CUDA can launch
/// its grid.
static LogicalResult planLaunchable(Operation *op,
                                    const FP8ToGPUTarget &target,
                                    PlannedKernel &planned) {
  FailureOr<KernelPlan> kernel =
      TypeSwitch<Operation *, FailureOr<KernelPlan>>(op)
          .Case([&](QuantizeWithAmaxOp fused) {
            return planFused(fused, target.chip, planned);
          })
          .Case<QuantizeTransposedOp, AmaxTransposedOp>([&](auto transposed) {
            return planTransposed(transposed, target.chip, planned);
          })
          .Default([&](Operation *unfused) {
            return planUnfused(unfused, target, planned);
          });
  if (failed(kernel))
    return failure();
  // Reported at the op the plan was made for, as the planners report.
  if (!CudaLimits::fitsGrid(kernel->grid))
    return planned.plannedOp->emitOpError("needs a grid of [")
           << kernel->grid[0] << ", " << kernel->grid[1] << ", "
           << kernel->grid[2] << "] CTAs; CUDA launches at most "
           << CudaLimits::kMaxGridX << " along x and "
           << CudaLimits::kMaxGridYZ << " along y and z";
  planned.plan = std::move(*kernel);
  return success();
}

/// Runs `plan` for the fused op `op`, reporting what it says about the
/// detached unfused ops (`'fp8.quantize' op ...`) at `op`, where the user
/// finds it in the IR.
static LogicalResult reportAtFusedOp(Operation *op,
                                     function_ref<LogicalResult()> plan) {
  SmallVector<std::pair<DiagnosticSeverity, std::string>> reports;
  LogicalResult result = failure();
  {
    ScopedDiagnosticHandler handler(op->getContext(), [&](Diagnostic &diag) {
      reports.emplace_back(diag.getSeverity(), diag.str());
      return success();
    });
    result = plan();
  }
  for (auto &[severity, message] : reports) {
    switch (severity) {
    case DiagnosticSeverity::Error:
      op->emitError(message);
      break;
    case DiagnosticSeverity::Warning:
      op->emitWarning(message);
      break;
    case DiagnosticSeverity::Remark:
    case DiagnosticSeverity::Note:
      op->emitRemark(message);
      break;
    }
  }
  return result;
}

LogicalResult gpu_kernels::planKernel(Operation *op,
                                      const FP8ToGPUTarget &target,
                                      PlannedKernel &planned) {
  if (!hasStaticShapes(op))
    return op->emitOpError("has no GPU kernel for dynamic shapes; the GPU "
                           "lowering needs static shapes");
  auto plan = [&] { return planLaunchable(op, target, planned); };
  if (isa<QuantizeWithAmaxOp, QuantizeTransposedOp, AmaxTransposedOp>(op))
    return reportAtFusedOp(op, plan);
  return plan();
}

bool gpu_kernels::isConvertedToGPU(Operation *op) {
  return isa<QuantizeOp, DequantizeOp, AmaxOp, ScaledMatmulOp,
             QuantizeWithAmaxOp, QuantizeTransposedOp, AmaxTransposedOp>(op);
}

