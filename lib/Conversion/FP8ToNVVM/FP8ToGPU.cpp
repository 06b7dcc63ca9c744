//===- FP8ToGPU.cpp - Replace fp8 ops by GPU kernel launches --------------===//
//
// Part of fp8-mlir. The `convert-fp8-to-gpu` pass: plans a kernel for every
// fp8 op on the chip `chip=` names (its ChipInfo; the planners live in
// QuantizeKernels.cpp, AmaxKernels.cpp, GemmSM90.cpp, GemmSM100.cpp, ...),
// emits each distinct kernel once into a gpu.module of its own, and
// replaces the op by host code that launches it: one conversion pattern per
// op. Which ops share a kernel is decided before, by fp8-fuse-quantize.
//
//===----------------------------------------------------------------------===//

#include "fp8/Conversion/FP8ToNVVM/FP8ToGPU.h"
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
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/TypeSwitch.h"

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

FailureOr<gpu::GPUFuncOp> GPUKernelTable::getOrCreate(OpBuilder &builder,
                                                      const KernelPlan &plan,
                                                      Operation *op) {
  FailureOr<gpu::GPUFuncOp> kernel = lookupOrEmit(builder, plan, op);
  if (succeeded(kernel) && described.insert(plan.name).second)
    manifest.push_back(describeKernel(plan, op));
  return kernel;
}

FailureOr<gpu::GPUFuncOp> GPUKernelTable::lookupOrEmit(OpBuilder &builder,
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
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(module.getBody());
  auto gpuModule = gpu::GPUModuleOp::create(builder, loc, plan.name);
  symbols.insert(gpuModule);

  SmallVector<Type> argTypes;
  for (const KernelParam &param : plan.params)
    argTypes.push_back(param.kernelType);
  SmallVector<Type> workgroupTypes(plan.workgroupBuffers.begin(),
                                   plan.workgroupBuffers.end());
  // The body is built off the rewriter: it holds no op to convert.
  OpBuilder kernelBuilder = OpBuilder::atBlockBegin(gpuModule.getBody());
  auto func = gpu::GPUFuncOp::create(
      kernelBuilder, loc, plan.name,
      kernelBuilder.getFunctionType(argTypes, {}), workgroupTypes);
  func->setAttr(gpu::GPUDialect::getKernelFuncAttrName(),
                kernelBuilder.getUnitAttr());
  SmallVector<int32_t> block(plan.block.begin(), plan.block.end());
  func.setKnownBlockSizeAttr(kernelBuilder.getDenseI32ArrayAttr(block));
  SmallVector<int32_t> grid(plan.grid.begin(), plan.grid.end());
  func.setKnownGridSizeAttr(kernelBuilder.getDenseI32ArrayAttr(grid));
  if (plan.minBlocksPerSM != 0)
    func->setAttr(NVVM::NVVMDialect::getMinctasmAttrName(),
                  kernelBuilder.getI32IntegerAttr(plan.minBlocksPerSM));

  ImplicitLocOpBuilder body(loc, kernelBuilder);
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

//===----------------------------------------------------------------------===//
// Planning
//===----------------------------------------------------------------------===//

namespace {

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

} // namespace

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

/// Plans the kernel of `op` and checks what every plan must meet: static
/// shapes going in, a grid CUDA can launch coming out.
static LogicalResult planKernel(Operation *op, const FP8ToGPUTarget &target,
                                PlannedKernel &planned) {
  if (!hasStaticShapes(op))
    return op->emitOpError("has no GPU kernel for dynamic shapes; the GPU "
                           "lowering needs static shapes");
  FailureOr<KernelPlan> kernel = TypeSwitch<Operation *, FailureOr<KernelPlan>>(op)
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
  // Reported at the op the plan was made for (the unfused quantize of a
  // fused op), as the planners report.
  if (!CudaLimits::fitsGrid(kernel->grid))
    return planned.plannedOp->emitOpError("needs a grid of [")
           << kernel->grid[0] << ", " << kernel->grid[1] << ", "
           << kernel->grid[2] << "] CTAs; CUDA launches at most "
           << CudaLimits::kMaxGridX << " along x and "
           << CudaLimits::kMaxGridYZ << " along y and z";
  planned.plan = std::move(*kernel);
  return success();
}

/// The ops `convert-fp8-to-gpu` converts.
static bool isConverted(Operation *op) {
  return isa<QuantizeOp, DequantizeOp, AmaxOp, ScaledMatmulOp,
             QuantizeWithAmaxOp, QuantizeTransposedOp, AmaxTransposedOp>(op);
}

LogicalResult fp8::emitFP8Kernels(Operation *root,
                                  const FP8ToGPUTarget &target,
                                  GPUKernelTable &kernels) {
  // Plan every op first, so one unsupported op leaves the IR untouched and
  // all of them are reported.
  SmallVector<std::pair<Operation *, PlannedKernel>, 0> plans;
  bool failedAny = false;
  root->walk([&](Operation *op) {
    if (!isConverted(op))
      return;
    PlannedKernel planned;
    if (failed(planKernel(op, target, planned))) {
      failedAny = true;
      return;
    }
    plans.emplace_back(op, std::move(planned));
  });
  if (failedAny)
    return failure();
  OpBuilder builder(root->getContext());
  for (auto &[op, planned] : plans)
    if (failed(kernels.getOrCreate(builder, planned.plan, planned.plannedOp)))
      return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Launching
//===----------------------------------------------------------------------===//

/// Replaces `op` by the launch of `kernel` as `planned` describes. The
/// kernel reads `operands`, what the converted operands of `op` are now.
static void replaceWithLaunch(ConversionPatternRewriter &rewriter,
                              Operation *op, ValueRange operands,
                              const PlannedKernel &planned,
                              gpu::GPUFuncOp kernel) {
  const KernelPlan &plan = planned.plan;
  Operation *plannedOp = planned.plannedOp;
  // What an operand of `op` the kernel reads is now (the driver keeps the
  // replaced ops until the end and hands over their replacements).
  auto operandFor = [&](Value value) {
    for (OpOperand &operand : op->getOpOperands())
      if (operand.get() == value)
        return operands[operand.getOperandNumber()];
    llvm_unreachable("a kernel input that is no operand of the op");
  };
  ImplicitLocOpBuilder b(op->getLoc(), rewriter);
  SmallVector<Value> args;
  SmallVector<Value> outputs(planned.results.size());
  for (const KernelParam &param : plan.params) {
    switch (param.kind) {
    case KernelParam::Kind::Input:
      args.push_back(flatBuffer(
          b,
          operandFor(param.value ? param.value
                                 : plannedOp->getOperand(param.index)),
          cast<MemRefType>(param.kernelType)));
      break;
    case KernelParam::Kind::TensorMap:
      args.push_back(createTensorMap(
          b, operandFor(plannedOp->getOperand(param.index)), param.box));
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
      Value result = param.replaces ? param.replaces
                                    : plannedOp->getResult(param.index);
      auto *at = llvm::find(planned.results, result);
      if (at != planned.results.end())
        outputs[at - planned.results.begin()] = buffer;
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
  SmallVector<Value> replacements;
  for (auto [result, buffer] : llvm::zip_equal(op->getResults(), outputs))
    replacements.push_back(
        reshapeResult(b, buffer, cast<RankedTensorType>(result.getType())));
  rewriter.replaceOp(op, replacements);
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
    PlannedKernel planned;
    if (failed(planKernel(op, target, planned)))
      return failure();
    FailureOr<gpu::GPUFuncOp> kernel =
        kernels.getOrCreate(rewriter, planned.plan, planned.plannedOp);
    if (failed(kernel))
      return failure();
    replaceWithLaunch(rewriter, op, adaptor.getOperands(), planned, *kernel);
    return success();
  }

  const FP8ToGPUTarget &target;
  GPUKernelTable &kernels;
};

} // namespace

void fp8::configureFP8ToGPUConversionTarget(ConversionTarget &target) {
  target.addIllegalOp<QuantizeOp, DequantizeOp, AmaxOp, ScaledMatmulOp,
                      QuantizeWithAmaxOp, QuantizeTransposedOp,
                      AmaxTransposedOp>();
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
               LaunchKernelPattern<AmaxTransposedOp>>(patterns.getContext(),
                                                      target, kernels);
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
  target.sm90.warpSpecialize = stringifyGemmSwitch(gemmWarpSpecialize);
  target.sm90.cluster = stringifyGemmCluster(gemmCluster);
  target.sm90.accumulate = stringifyGemmAccumulate(gemmAccumulate);
  target.sm90.persistent = stringifyGemmSwitch(gemmPersistent);
  target.sm100.tile = gemmTile;
  target.sm100.stages = gemmStages;

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
