//===- FP8ToGPU.cpp - Replace fp8 ops by GPU kernel launches --------------===//
//
// Part of fp8-mlir. The `convert-fp8-to-gpu` pass: plans a kernel for every
// fp8 op on the chip `chip=` names (PlanKernel.cpp), emits each distinct
// kernel once into a gpu.module of its own, and replaces the op by host
// code that launches it (LaunchKernel.cpp): one conversion pattern per op.
// Which ops share a kernel is decided before, by fp8-fuse-quantize.
//
//===----------------------------------------------------------------------===//

#include "fp8/Conversion/FP8ToNVVM/FP8ToGPU.h"
#include "fp8/Conversion/Passes.h"

#include "KernelManifest.h"
#include "PlanKernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::fp8 {
#define GEN_PASS_DEF_CONVERTFP8TOGPU
#include "fp8/Conversion/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

//===----------------------------------------------------------------------===//
// Kernels
//===----------------------------------------------------------------------===//

LogicalResult fp8::emitFP8Kernels(Operation *root,
                                  const FP8ToGPUTarget &target,
                                  GPUKernelTable &kernels) {
  // Plan every op first, so one unsupported op leaves the IR untouched and
  // all of them are reported.
  SmallVector<std::pair<Operation *, KernelPlan>, 0> plans;
  bool failedAny = false;
  root->walk([&](Operation *op) {
    if (!isConvertedToGPU(op))
      return;
    FailureOr<KernelPlan> plan = planKernel(op, target);
    if (failed(plan)) {
      failedAny = true;
      return;
    }
    plans.emplace_back(op, std::move(*plan));
  });
  if (failedAny)
    return failure();
  OpBuilder builder(root->getContext());
  for (auto &[op, plan] : plans)
    if (failed(kernels.getOrCreate(builder, plan, op)))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {

/// Replaces an fp8 op by host code launching its kernel: operands handed
/// over as flat buffers (or TMA descriptors), results in fresh managed
/// buffers. The kernel is emitted into the module on first use.
template <typename OpTy>
struct LaunchKernelPattern : OpConversionPattern<OpTy> {
  LaunchKernelPattern(MLIRContext *ctx, const FP8ToGPUTarget &target,
                      GPUKernelTable &kernels)
      : OpConversionPattern<OpTy>(ctx), target(target), kernels(kernels) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<KernelPlan> plan = planKernel(op, target);
    if (failed(plan))
      return failure();
    FailureOr<gpu::GPUFuncOp> kernel = kernels.getOrCreate(rewriter, *plan, op);
    if (failed(kernel))
      return failure();
    replaceWithLaunch(rewriter, op, adaptor.getOperands(), *plan, *kernel);
    return success();
  }

  const FP8ToGPUTarget &target;
  GPUKernelTable &kernels;
};

} // namespace

void fp8::configureFP8ToGPUConversionTarget(ConversionTarget &target) {
  target.addIllegalOp<QuantizeOp, DequantizeOp, AmaxOp, ScaledMatmulOp,
                      QuantizeWithAmaxOp, QuantizeTransposedOp,
                      AmaxTransposedOp, HadamardOp>();
  target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
}

void fp8::populateFP8ToGPUConversionPatterns(RewritePatternSet &patterns,
                                             const FP8ToGPUTarget &target,
                                             GPUKernelTable &kernels) {
  patterns.add<LaunchKernelPattern<QuantizeOp>,
               LaunchKernelPattern<DequantizeOp>, LaunchKernelPattern<AmaxOp>,
               LaunchKernelPattern<ScaledMatmulOp>,
               LaunchKernelPattern<QuantizeWithAmaxOp>,
               LaunchKernelPattern<QuantizeTransposedOp>,
               LaunchKernelPattern<AmaxTransposedOp>,
               LaunchKernelPattern<HadamardOp>>(patterns.getContext(), target,
                                                kernels);
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {

struct ConvertFP8ToGPUPass
    : public fp8::impl::ConvertFP8ToGPUBase<ConvertFP8ToGPUPass> {
  using Base::Base;

  void runOnOperation() override;
};

} // namespace

/// Rejects NVVM ops already in the module that `target` cannot run; LLVM
/// would abort on them instead of reporting an error.
static LogicalResult checkTargetOps(ModuleOp module, const ChipInfo &target) {
  if (target.hasReduxF32Max())
    return success();
  WalkResult result = module.walk([&](NVVM::ReduxOp redux) {
    NVVM::ReduxKind kind = redux.getKind();
    if (kind != NVVM::ReduxKind::FMAX && kind != NVVM::ReduxKind::FMIN)
      return WalkResult::advance();
    redux.emitOpError("with a float kind needs sm_100a; on ")
        << target.getName()
        << " reduce with shuffles or on integer bit patterns";
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}

void ConvertFP8ToGPUPass::runOnOperation() {
  ModuleOp module = getOperation();
  FailureOr<ChipInfo> chipInfo =
      ChipInfo::parse(chip, [&] { return module.emitError(); });
  if (failed(chipInfo))
    return signalPassFailure();
  if (failed(checkTargetOps(module, *chipInfo)))
    return signalPassFailure();

  FP8ToGPUTarget target{*chipInfo, {}, {}};
  target.sm90.tile = gemmTile;
  target.sm90.stages = gemmStages;
  target.sm90.warpSpecialize = gemmWarpSpecialize;
  target.sm90.cluster = gemmCluster;
  target.sm90.accumulate = gemmAccumulate;
  target.sm90.persistent = gemmPersistent;
  target.sm90.kernelSchedule = gemmSchedule;
  target.sm90.pingPongOrder = gemmPingPongOrder;
  target.sm90.epilogue = gemmEpilogue;
  target.sm90.scaleLoad = gemmScaleLoad;
  GemmSchedule schedule;
  schedule.waitHint = gemmWaitHint;
  schedule.raster = gemmRaster;
  schedule.rasterGroup = gemmRasterGroup;
  schedule.l2Promotion = gemmL2Promotion;
  schedule.epiloguePrefetch = gemmEpiloguePrefetch;
  schedule.promotion = gemmPromotion;
  target.sm90.schedule = schedule;
  target.sm100.tile = gemmTile;
  target.sm100.stages = gemmStages;
  target.sm100.warpSpecialize = gemmWarpSpecialize;
  target.sm100.persistent = gemmPersistent;
  target.sm100.schedule = schedule;
  target.sm100.scaleLoad = gemmScaleLoad;
  target.sm100.cluster = gemmCluster;

  // Every kernel first, in program order (and every op without one
  // reported); then the launches.
  GPUKernelTable kernels(module);
  if (failed(emitFP8Kernels(module, target, kernels)))
    return signalPassFailure();
  if (kernels.empty())
    return;
  ConversionTarget conversionTarget(getContext());
  configureFP8ToGPUConversionTarget(conversionTarget);
  RewritePatternSet patterns(&getContext());
  populateFP8ToGPUConversionPatterns(patterns, target, kernels);
  if (failed(applyPartialConversion(module, conversionTarget,
                                    std::move(patterns))))
    return signalPassFailure();

  module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                  UnitAttr::get(&getContext()));
  module->setAttr(kManifestAttrName,
                  StringAttr::get(&getContext(),
                                  printManifest(chipInfo->getName(),
                                                kernels.takeManifest())));
}
