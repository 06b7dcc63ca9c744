//===- GPUPipeline.cpp - fp8 ops to PTX for Hopper/Blackwell --------------===//
//
// Part of fp8-mlir. `--fp8-gpu-pipeline`: see docs/gpu-pipeline.md.
//
//===----------------------------------------------------------------------===//

#include "fp8/Conversion/GPUPipeline.h"
#include "fp8/Conversion/FP8ToNVVM/ChipInfo.h"
#include "fp8/Conversion/Passes.h"
#include "fp8/Dialect/FP8/Transforms/Passes.h"
#include "fp8/Dialect/FP8/Transforms/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

/// Kernels: gpu/nvgpu/vector/arith inside gpu.module -> NVVM + LLVM.
static void buildKernelLowering(OpPassManager &pm) {
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  kernels.addPass(createConvertNVGPUToNVVMPass());
  kernels.addPass(createSCFToControlFlowPass());
  ConvertGpuOpsToNVVMOpsOptions gpuToNVVM;
  // Kernels take one pointer per buffer (static memref types; a buffer of
  // runtime length has a placeholder extent and the row count comes as an
  // argument), which is what the manifest describes to other runtimes.
  gpuToNVVM.useBarePtrCallConv = true;
  kernels.addPass(createConvertGpuOpsToNVVMOps(gpuToNVVM));
  // The dynamic shared memory must follow the static shared variables.
  kernels.addPass(fp8::createFP8ExternDynamicSharedMemory());
  kernels.addPass(createConvertNVVMToLLVMPass());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());
}

/// Host: memref/scf/gpu launches/TMA descriptor creation -> LLVM.
static void buildHostLowering(OpPassManager &pm) {
  pm.addPass(createConvertNVGPUToNVVMPass());
  fp8::buildFP8MemRefToLLVM(pm);
  GpuToLLVMConversionPassOptions gpuToLLVM;
  gpuToLLVM.kernelBarePtrCallConv = true;
  pm.addPass(createGpuToLLVMConversionPass(gpuToLLVM));
  fp8::buildFP8ArithAndFuncToLLVM(pm);
}

fp8::ConvertFP8ToGPUOptions
fp8::FP8GPUPipelineOptions::convertFP8ToGPUOptions() const {
  ConvertFP8ToGPUOptions result;
  // Every option of the pass, from the table that declares them here.
#define FP8_PASS_OPTION(field, ...) result.field = field;
#include "fp8/Conversion/ConvertFP8ToGPUOptions.h.inc"
#undef FP8_PASS_OPTION
  return result;
}

GpuNVVMAttachTargetOptions
fp8::FP8GPUPipelineOptions::nvvmAttachTargetOptions() const {
  GpuNVVMAttachTargetOptions result;
  result.chip = chip;
  // The PTX ISA version the chip's kernels need (the upstream default,
  // +ptx60, cannot express them). convert-fp8-to-gpu has already reported
  // an unknown chip.
  if (std::optional<ChipInfo> info = ChipInfo::lookup(chip))
    result.features = info->getPtxFeatures();
  result.optLevel = optLevel;
  return result;
}

GpuModuleToBinaryPassOptions
fp8::FP8GPUPipelineOptions::moduleToBinaryOptions() const {
  GpuModuleToBinaryPassOptions result;
  result.compilationTarget = stringifyGPUBinaryFormat(format).str();
  return result;
}

void fp8::buildFP8GPUPipeline(OpPassManager &pm,
                              const FP8GPUPipelineOptions &options) {
  // Vector types too large to lower in reasonable time are an error first.
  pm.addPass(createFP8VerifyVectorSizes());
  // Chains one kernel runs -> fused fp8 ops; then fp8 ops -> kernel
  // launches (the pass checks `chip` and reports at a location what it
  // cannot lower).
  pm.addPass(createFP8FuseQuantize());
  pm.addPass(createConvertFP8ToGPU(options.convertFP8ToGPUOptions()));
  // What is left (scale_from_amax, amax histories) runs on the host, with
  // the reference semantics of the CPU pipeline.
  buildFP8HostTensorLowering(pm, /*runtimeVerification=*/false);
  // Host buffers may be kernel arguments: allocate them as managed memory.
  pm.addPass(createFP8HostBuffersToGPU());
  buildFP8LoopsToControlFlow(pm);

  pm.addPass(createGpuNVVMAttachTarget(options.nvvmAttachTargetOptions()));
  buildKernelLowering(pm);
  buildHostLowering(pm);

  // Types the translation to LLVM IR would crash on get a diagnostic.
  pm.addPass(createFP8VerifyLLVMTypes());
  pm.addPass(createGpuModuleToBinaryPass(options.moduleToBinaryOptions()));
  pm.addPass(createCanonicalizerPass());
}

void fp8::registerFP8GPUPipeline() {
  PassPipelineRegistration<FP8GPUPipelineOptions>(
      "fp8-gpu-pipeline",
      "Lower fp8 ops to sm_90a/sm_100a kernels (static shapes; quantize, "
      "dequantize and amax also with dynamic leading dims) in "
      "gpu.binary (PTX with format=isa) plus LLVM-dialect host code",
      buildFP8GPUPipeline);
}
