//===- GPUPipeline.h - fp8 ops to PTX for Hopper/Blackwell ------*- C++ -*-===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_CONVERSION_GPUPIPELINE_H
#define FP8_CONVERSION_GPUPIPELINE_H

#include "fp8/Conversion/GPUOptions.h"
#include "fp8/Conversion/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
namespace fp8 {

/// Options of `--fp8-gpu-pipeline`: every option of `convert-fp8-to-gpu`
/// (`chip` and the `gemm-*` options), declared once in Passes.td and
/// repeated here from the table scripts/pass-option-table.py cuts out of its
/// generated base class, then the pipeline's own options. Each pass the
/// pipeline runs gets its options from these (the projections below).
struct FP8GPUPipelineOptions
    : public PassPipelineOptions<FP8GPUPipelineOptions> {
#define FP8_PASS_OPTION(field, type, ...)                                      \
  PassOptions::Option<type> field{*this, __VA_ARGS__};
#include "fp8/Conversion/ConvertFP8ToGPUOptions.h.inc"
#undef FP8_PASS_OPTION

  PassOptions::Option<GPUBinaryFormat> format{
      *this, "format",
      llvm::cl::desc("What gpu.binary holds: isa (PTX text), bin (cubin, "
                     "needs ptxas) or fatbin"),
      llvm::cl::init(GPUBinaryFormat::Isa), gpuBinaryFormatValues()};
  PassOptions::Option<unsigned> optLevel{
      *this, "opt-level",
      llvm::cl::desc("LLVM optimization level of the kernels"),
      llvm::cl::init(3)};

  /// The options of `convert-fp8-to-gpu`.
  ConvertFP8ToGPUOptions convertFP8ToGPUOptions() const;
  /// The options of `nvvm-attach-target`: the chip, the PTX ISA version its
  /// kernels need, the optimization level.
  GpuNVVMAttachTargetOptions nvvmAttachTargetOptions() const;
  /// The options of `gpu-module-to-binary`.
  GpuModuleToBinaryPassOptions moduleToBinaryOptions() const;
};

/// `--fp8-gpu-pipeline`: tensor-level IR with fp8 ops down to LLVM-dialect
/// host code that launches kernels held in `gpu.binary` ops (PTX with
/// `format=isa`). See docs/gpu-pipeline.md.
void buildFP8GPUPipeline(OpPassManager &pm,
                         const FP8GPUPipelineOptions &options);

/// Registers `--fp8-gpu-pipeline`.
void registerFP8GPUPipeline();

} // namespace fp8
} // namespace mlir

#endif // FP8_CONVERSION_GPUPIPELINE_H
