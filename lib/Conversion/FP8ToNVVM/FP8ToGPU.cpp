//===- FP8ToGPU.cpp - Replace fp8 ops by GPU kernel launches --------------===//
//
// Part of fp8-mlir. The `convert-fp8-to-gpu` pass: plans a kernel for every
// fp8 op on the chip `chip=` names (its ChipInfo; the planners live in
// QuantizeKernels.cpp, AmaxKernels.cpp, GemmSM90.cpp, GemmSM100.cpp, ...),
// emits each distinct kernel once into a gpu.module of its own, and
// replaces the op by host code that launches it.
//
//===----------------------------------------------------------------------===//

#include "fp8/Conversion/Passes.h"

#include "KernelBuilder.h"
#include "KernelManifest.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"

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

/// Returns the kernel `plan.name`, emitting its gpu.module on first use.
/// Fails (at `op`) when the module already holds an unrelated symbol of that
/// name.
static FailureOr<gpu::GPUFuncOp> getOrCreateKernel(ModuleOp module,
                                                   SymbolTable &symbols,
                                                   const KernelPlan &plan,
                                                   Operation *op) {
  if (Operation *existing = symbols.lookup(plan.name)) {
    auto gpuModule = dyn_cast<gpu::GPUModuleOp>(existing);
    auto kernel =
        gpuModule ? gpuModule.lookupSymbol<gpu::GPUFuncOp>(plan.name) : nullptr;
    if (!kernel)
      return op->emitOpError("needs the symbol @")
             << plan.name << " for its kernel, but the module already has one";
    return kernel;
  }

  Location loc = module.getLoc();
  OpBuilder moduleBuilder = OpBuilder::atBlockBegin(module.getBody());
  auto gpuModule = gpu::GPUModuleOp::create(moduleBuilder, loc, plan.name);
  symbols.insert(gpuModule);

  SmallVector<Type> argTypes;
  for (const KernelParam &param : plan.params)
    argTypes.push_back(param.kernelType);
  SmallVector<Type> workgroupTypes(plan.workgroupBuffers.begin(),
                                   plan.workgroupBuffers.end());
  OpBuilder builder = OpBuilder::atBlockBegin(gpuModule.getBody());
  auto func = gpu::GPUFuncOp::create(
      builder, loc, plan.name, builder.getFunctionType(argTypes, {}),
      workgroupTypes);
  func->setAttr(gpu::GPUDialect::getKernelFuncAttrName(),
                builder.getUnitAttr());
  SmallVector<int32_t> block(plan.block.begin(), plan.block.end());
  func.setKnownBlockSizeAttr(builder.getDenseI32ArrayAttr(block));
  SmallVector<int32_t> grid(plan.grid.begin(), plan.grid.end());
  func.setKnownGridSizeAttr(builder.getDenseI32ArrayAttr(grid));
  if (plan.minBlocksPerSM != 0)
    func->setAttr(NVVM::NVVMDialect::getMinctasmAttrName(),
                  builder.getI32IntegerAttr(plan.minBlocksPerSM));

  ImplicitLocOpBuilder body(loc, builder);
  body.setInsertionPointToStart(&func.getBody().front());
  plan.emitBody(body, func.getArguments());
  return func;
}

//===----------------------------------------------------------------------===//
// Host side of a launch
//===----------------------------------------------------------------------===//

/// The kernels see every buffer as 1-D: collapse (or, for rank 0, expand)
/// `tensor` to rank 1 and take its buffer.
static Value flatBuffer(ImplicitLocOpBuilder &b, Value tensor,
                        MemRefType bufferType) {
  auto type = cast<RankedTensorType>(tensor.getType());
  auto flatType =
      RankedTensorType::get(bufferType.getShape(), type.getElementType());
  if (type.getRank() == 0) {
    tensor = b.create<tensor::ExpandShapeOp>(
        flatType, tensor, ArrayRef<ReassociationIndices>{});
  } else if (type.getRank() > 1) {
    ReassociationIndices all = llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
    tensor = b.create<tensor::CollapseShapeOp>(
        flatType, tensor, ArrayRef<ReassociationIndices>{all});
  }
  return b.create<bufferization::ToBufferOp>(bufferType, tensor,
                                             /*read_only=*/true);
}

/// The inverse of flatBuffer for a result the kernel wrote.
static Value reshapeResult(ImplicitLocOpBuilder &b, Value buffer,
                           RankedTensorType resultType) {
  auto bufferType = cast<MemRefType>(buffer.getType());
  auto flatType = RankedTensorType::get(bufferType.getShape(),
                                        resultType.getElementType());
  Value flat = b.create<bufferization::ToTensorOp>(flatType, buffer,
                                                   /*restrict=*/true,
                                                   /*writable=*/true);
  if (resultType.getRank() == 0)
    return b.create<tensor::CollapseShapeOp>(
        resultType, flat, ArrayRef<ReassociationIndices>{});
  if (resultType.getRank() > 1) {
    ReassociationIndices all =
        llvm::to_vector(llvm::seq<int64_t>(0, resultType.getRank()));
    return b.create<tensor::ExpandShapeOp>(
        resultType, flat, ArrayRef<ReassociationIndices>{all});
  }
  return flat;
}

/// A TMA descriptor of the FP8 `tensor` seen as 2-D (batch dims folded into
/// the rows). The descriptor is built for a `ui8` view of the buffer:
/// nvgpu.tma.create.descriptor labels f8 and i8 memrefs with a 2-byte data
/// type (see "Upstream workarounds" in docs/gpu-pipeline.md), and the bytes
/// are all TMA moves. The kernel receives a plain pointer
/// (a gpu.func taking !nvgpu.tensormap.descriptor does not legalize).
static Value createTensorMap(ImplicitLocOpBuilder &b, Value tensor,
                             std::array<int64_t, 2> box) {
  auto type = cast<RankedTensorType>(tensor.getType());
  MLIRContext *ctx = b.getContext();
  auto bufferType = MemRefType::get(type.getShape(), type.getElementType());
  Value buffer = b.create<bufferization::ToBufferOp>(bufferType, tensor,
                                                     /*read_only=*/true);
  auto u8 = IntegerType::get(ctx, 8, IntegerType::Unsigned);
  Value bytes = b.create<UnrealizedConversionCastOp>(
                     MemRefType::get(type.getShape(), u8), buffer)
                    .getResult(0);
  // Batch dims fold into the rows: [batch * rows, K].
  if (type.getRank() > 2) {
    ReassociationIndices rows =
        llvm::to_vector(llvm::seq<int64_t>(0, type.getRank() - 1));
    bytes = b.create<memref::CollapseShapeOp>(
        bytes, ArrayRef<ReassociationIndices>{rows, {type.getRank() - 1}});
  }
  Value unranked =
      b.create<memref::CastOp>(UnrankedMemRefType::get(u8, 0), bytes);
  auto shared = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  auto descriptorType = nvgpu::TensorMapDescriptorType::get(
      ctx, MemRefType::get(box, u8, MemRefLayoutAttrInterface(), shared),
      nvgpu::TensorMapSwizzleKind::SWIZZLE_128B,
      nvgpu::TensorMapL2PromoKind::L2PROMO_NONE,
      nvgpu::TensorMapOOBKind::OOB_ZERO,
      nvgpu::TensorMapInterleaveKind::INTERLEAVE_NONE);
  Value descriptor = b.create<nvgpu::TmaCreateDescriptorOp>(
      descriptorType, unranked,
      ValueRange{indexConst(b, box[0]), indexConst(b, box[1])});
  return b
      .create<UnrealizedConversionCastOp>(LLVM::LLVMPointerType::get(ctx),
                                          descriptor)
      .getResult(0);
}

/// Replaces `op` by the launch of `kernel` as `plan` describes. Values that
/// earlier launches replaced (plans are all made before any launch, so a
/// plan may name the result of an op that is gone by now) are read through
/// `replaced`; the results this launch replaces are added to it.
static void replaceWithLaunch(Operation *op, const KernelPlan &plan,
                              gpu::GPUFuncOp kernel, IRMapping &replaced) {
  ImplicitLocOpBuilder b(op->getLoc(), op);
  SmallVector<Value> args;
  SmallVector<Value> outputs(op->getNumResults());
  // Buffers that replace results of ops fused into the kernel.
  SmallVector<std::pair<Value, Value>> fusedOutputs;
  for (const KernelParam &param : plan.params) {
    switch (param.kind) {
    case KernelParam::Kind::Input:
      args.push_back(flatBuffer(
          b,
          param.value ? replaced.lookupOrDefault(param.value)
                      : op->getOperand(param.index),
          cast<MemRefType>(param.kernelType)));
      break;
    case KernelParam::Kind::TensorMap:
      args.push_back(createTensorMap(b, op->getOperand(param.index),
                                     param.box));
      break;
    case KernelParam::Kind::Output: {
      // Managed memory, so host code (and mlir-runner) can read results.
      Value buffer =
          b.create<gpu::AllocOp>(param.kernelType, /*asyncToken=*/Type(),
                                 ValueRange{}, ValueRange{}, ValueRange{},
                                 /*hostShared=*/true)
              .getMemref();
      if (param.zeroInit) {
        // gpu-to-llvm lowers only the async form of gpu.memset.
        Type elementType = cast<MemRefType>(param.kernelType).getElementType();
        Value zero = b.create<arith::ConstantOp>(b.getZeroAttr(elementType));
        auto tokenType = gpu::AsyncTokenType::get(b.getContext());
        Value ready =
            b.create<gpu::WaitOp>(tokenType, ValueRange{}).getAsyncToken();
        Value zeroed = b.create<gpu::MemsetOp>(tokenType, ValueRange{ready},
                                               buffer, zero)
                           .getAsyncToken();
        b.create<gpu::WaitOp>(Type(), ValueRange{zeroed});
      }
      args.push_back(buffer);
      if (param.replaces)
        fusedOutputs.emplace_back(param.replaces, buffer);
      else
        outputs[param.index] = buffer;
      break;
    }
    }
  }
  auto dim3 = [&](std::array<int64_t, 3> sizes) {
    return gpu::KernelDim3{indexConst(b, sizes[0]), indexConst(b, sizes[1]),
                           indexConst(b, sizes[2])};
  };
  Value sharedMemory;
  if (plan.dynamicSharedMemory != 0)
    sharedMemory = b.create<arith::ConstantIntOp>(b.getI32Type(),
                                                  plan.dynamicSharedMemory);
  std::optional<gpu::KernelDim3> cluster;
  if (plan.cluster != std::array<int64_t, 3>{1, 1, 1})
    cluster = dim3(plan.cluster);
  b.create<gpu::LaunchFuncOp>(kernel, dim3(plan.grid), dim3(plan.block),
                              sharedMemory, args, /*asyncTokenType=*/Type(),
                              ValueRange{}, cluster);
  for (OpResult result : op->getResults()) {
    Value replacement =
        reshapeResult(b, outputs[result.getResultNumber()],
                      cast<RankedTensorType>(result.getType()));
    result.replaceAllUsesWith(replacement);
    replaced.map(result, replacement);
  }
  for (auto [fused, buffer] : fusedOutputs) {
    Value replacement =
        reshapeResult(b, buffer, cast<RankedTensorType>(fused.getType()));
    fused.replaceAllUsesWith(replacement);
    replaced.map(fused, replacement);
  }
  op->erase();
}

/// Whether every user of `amax` is an `fp8.scale_from_amax` fused with a
/// quantize into one kernel, so `amax` needs no kernel of its own.
static bool isOnlyFusedAmax(AmaxOp amax) {
  return llvm::all_of(amax->getUsers(), [](Operation *user) {
    auto scale = dyn_cast<ScaleFromAmaxOp>(user);
    return scale && llvm::any_of(scale->getUsers(), [&](Operation *use) {
             auto quantize = dyn_cast<QuantizeOp>(use);
             return quantize && getFusableScaleFromAmax(quantize) == scale;
           });
  });
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {

struct ConvertFP8ToGPUPass
    : public fp8::impl::ConvertFP8ToGPUBase<ConvertFP8ToGPUPass> {
  using Base::Base;

  void runOnOperation() override;

private:
  FailureOr<KernelPlan> plan(Operation *op, const ChipInfo &target);
  FailureOr<KernelPlan> choosePlan(Operation *op, const ChipInfo &target);
  FailureOr<KernelPlan> planScaledMatmul(ScaledMatmulOp op,
                                         const ChipInfo &target);
  LogicalResult checkTargetOps(ModuleOp module, const ChipInfo &target);
};

} // namespace

/// Whether every tensor operand and result of `op` has a static shape: the
/// kernels and their launches are sized from the types.
static bool hasStaticShapes(Operation *op) {
  auto isStatic = [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    return !shaped || shaped.hasStaticShape();
  };
  return llvm::all_of(op->getOperandTypes(), isStatic) &&
         llvm::all_of(op->getResultTypes(), isStatic);
}

/// Plans the kernel of `op` and checks what every plan must meet: static
/// shapes going in, a grid CUDA can launch coming out.
FailureOr<KernelPlan> ConvertFP8ToGPUPass::plan(Operation *op,
                                                const ChipInfo &target) {
  if (!hasStaticShapes(op))
    return op->emitOpError("has no GPU kernel for dynamic shapes; the GPU "
                           "lowering needs static shapes");
  FailureOr<KernelPlan> kernel = choosePlan(op, target);
  if (failed(kernel))
    return failure();
  if (!CudaLimits::fitsGrid(kernel->grid))
    return op->emitOpError("needs a grid of [")
           << kernel->grid[0] << ", " << kernel->grid[1] << ", "
           << kernel->grid[2] << "] CTAs; CUDA launches at most "
           << CudaLimits::kMaxGridX << " along x and "
           << CudaLimits::kMaxGridYZ << " along y and z";
  return kernel;
}

/// The kernel of `op`: a fused or transposing kernel where one applies,
/// else the op's own.
FailureOr<KernelPlan> ConvertFP8ToGPUPass::choosePlan(Operation *op,
                                                      const ChipInfo &target) {
  // amax -> scale_from_amax -> quantize of one value: one kernel.
  if (auto quantize = dyn_cast<QuantizeOp>(op))
    if (ScaleFromAmaxOp scale = getFusableScaleFromAmax(quantize))
      return planFusedQuantizeKernel(quantize, scale, target);
  // An input made K-major by linalg.transpose is read untransposed.
  if (auto quantize = dyn_cast<QuantizeOp>(op))
    if (Value source = getFusableTransposeSource(quantize))
      return planQuantizeTransposeKernel(quantize, source, target);
  if (auto amax = dyn_cast<AmaxOp>(op))
    if (Value source = getFusableTransposeSource(amax))
      return planAmaxTransposeKernel(amax, source, target);
  if (auto quantize = dyn_cast<QuantizeOp>(op))
    return planQuantizeKernel(quantize, target);
  if (auto dequantize = dyn_cast<DequantizeOp>(op))
    return planDequantizeKernel(dequantize, target);
  if (auto amax = dyn_cast<AmaxOp>(op))
    return planAmaxKernel(amax, target);
  return planScaledMatmul(cast<ScaledMatmulOp>(op), target);
}

/// The GEMM kernel of the matrix unit `target` has: tcgen05 or wgmma.
FailureOr<KernelPlan>
ConvertFP8ToGPUPass::planScaledMatmul(ScaledMatmulOp op,
                                      const ChipInfo &target) {
  if (target.hasTcgen05()) {
    GemmSM100Overrides overrides;
    overrides.tile = gemmTile;
    overrides.stages = gemmStages;
    return planScaledMatmulSM100Kernel(op, target, overrides);
  }
  if (target.hasWgmma()) {
    GemmSM90Overrides overrides;
    overrides.tile = gemmTile;
    overrides.stages = gemmStages;
    overrides.warpSpecialize = gemmWarpSpecialize;
    overrides.cluster = gemmCluster;
    overrides.accumulate = gemmAccumulate;
    overrides.persistent = gemmPersistent;
    return planScaledMatmulSM90Kernel(op, target, overrides);
  }
  return op.emitOpError("has no GEMM kernel for ")
         << target.getName() << " (it has neither tcgen05 nor wgmma)";
}

/// Rejects NVVM ops already in the module that `target` cannot run; LLVM
/// would abort on them instead of reporting an error.
LogicalResult ConvertFP8ToGPUPass::checkTargetOps(ModuleOp module,
                                                  const ChipInfo &target) {
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
  FailureOr<ChipInfo> target =
      ChipInfo::parse(chip, [&] { return module.emitError(); });
  if (failed(target))
    return signalPassFailure();
  if (failed(checkTargetOps(module, *target)))
    return signalPassFailure();

  // Plan every op first, so one unsupported op leaves the IR untouched and
  // all of them are reported.
  std::vector<std::pair<Operation *, KernelPlan>> plans;
  bool failedAny = false;
  module.walk([&](Operation *op) {
    if (!isa<QuantizeOp, DequantizeOp, AmaxOp, ScaledMatmulOp>(op))
      return;
    if (auto amax = dyn_cast<AmaxOp>(op); amax && isOnlyFusedAmax(amax))
      return;
    FailureOr<KernelPlan> kernel = plan(op, *target);
    if (failed(kernel)) {
      failedAny = true;
      return;
    }
    plans.emplace_back(op, std::move(*kernel));
  });
  if (failedAny)
    return signalPassFailure();
  if (plans.empty())
    return;

  module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                  UnitAttr::get(&getContext()));
  SymbolTable symbols(module);
  llvm::json::Array manifest;
  llvm::StringSet<> described;
  // Ops whose results a fused kernel wrote (fp8.scale_from_amax), and the
  // transposes kernels read through: erased at the end if unused, so that
  // no plan still to be launched names a value of an erased op.
  llvm::SetVector<Operation *> fusedProducers;
  llvm::SetVector<Operation *> readTransposes;
  // The results of replaced ops and what replaced them.
  IRMapping replaced;
  for (auto &[op, kernelPlan] : plans) {
    FailureOr<gpu::GPUFuncOp> kernel =
        getOrCreateKernel(module, symbols, kernelPlan, op);
    if (failed(kernel))
      return signalPassFailure();
    if (described.insert(kernelPlan.name).second)
      manifest.push_back(describeKernel(kernelPlan, op));
    Operation *producer = op->getOperand(0).getDefiningOp();
    for (const KernelParam &param : kernelPlan.params)
      if (param.replaces)
        fusedProducers.insert(param.replaces.getDefiningOp());
    if (isa_and_nonnull<linalg::TransposeOp>(producer))
      readTransposes.insert(producer);
    replaceWithLaunch(op, kernelPlan, *kernel, replaced);
  }
  // A transpose a kernel read through is dead once its users are.
  for (Operation *transpose : readTransposes)
    if (transpose->use_empty())
      transpose->erase();
  // A fused scale_from_amax, and then its amax, are dead unless still used.
  for (Operation *scale : fusedProducers) {
    Operation *amax = scale->getOperand(0).getDefiningOp();
    if (scale->use_empty())
      scale->erase();
    if (isa_and_nonnull<AmaxOp>(amax) && amax->use_empty())
      amax->erase();
  }
  module->setAttr(kManifestAttrName,
                  StringAttr::get(&getContext(),
                                  printManifest(target->getName(),
                                                std::move(manifest))));
}
