//===- LaunchKernel.cpp - Kernels into the module, launches into host code ===//
//
// Part of fp8-mlir. Emits each kernel once into a gpu.module of its own
// (GPUKernelTable) and replaces an fp8 op by host code that launches its
// kernel, bufferizing the boundary of the op by hand.
//
//===----------------------------------------------------------------------===//

#include "KernelManifest.h"
#include "PlanKernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

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

/// nvgpu's spelling of an L2 promotion.
static nvgpu::TensorMapL2PromoKind getL2PromoKind(GemmL2Promotion value) {
  switch (value) {
  case GemmL2Promotion::None:
    return nvgpu::TensorMapL2PromoKind::L2PROMO_NONE;
  case GemmL2Promotion::B64:
    return nvgpu::TensorMapL2PromoKind::L2PROMO_64B;
  case GemmL2Promotion::B128:
    return nvgpu::TensorMapL2PromoKind::L2PROMO_128B;
  case GemmL2Promotion::B256:
    return nvgpu::TensorMapL2PromoKind::L2PROMO_256B;
  }
  llvm_unreachable("unknown GemmL2Promotion");
}

/// A TMA descriptor of the one-byte `tensor` (FP8, E8M0) seen as 2-D
/// (batch dims folded into the rows). The descriptor is built for a `ui8`
/// view of the buffer: nvgpu.tma.create.descriptor labels f8 and i8
/// memrefs with a 2-byte data type (see "Upstream workarounds" in docs/gpu-pipeline.md), and the bytes
/// are all TMA moves. The kernel receives a plain pointer
/// (a gpu.func taking !nvgpu.tensormap.descriptor does not legalize).
/// `param` gives the box, the swizzle and the L2 promotion.
static Value createTensorMap(ImplicitLocOpBuilder &b, Value tensor,
                             const KernelParam &param) {
  std::array<int64_t, 2> box = param.box;
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
      param.swizzle128B ? nvgpu::TensorMapSwizzleKind::SWIZZLE_128B
                        : nvgpu::TensorMapSwizzleKind::SWIZZLE_NONE,
      getL2PromoKind(param.l2Promotion), nvgpu::TensorMapOOBKind::OOB_ZERO,
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
// The launch
//===----------------------------------------------------------------------===//

void gpu_kernels::replaceWithLaunch(ConversionPatternRewriter &rewriter,
                                    Operation *op, ValueRange operands,
                                    const KernelPlan &plan,
                                    gpu::GPUFuncOp kernel) {
  // `operands` are what the operands of `op` are now (the driver keeps the
  // replaced ops until the end and hands over their replacements).
  ImplicitLocOpBuilder b(op->getLoc(), rewriter);
  SmallVector<Value> args;
  SmallVector<Value> outputs(op->getNumResults());
  for (const KernelParam &param : plan.params) {
    switch (param.kind) {
    case KernelParam::Kind::Input:
      args.push_back(flatBuffer(b, operands[param.index],
                                cast<MemRefType>(param.kernelType)));
      break;
    case KernelParam::Kind::TensorMap:
      args.push_back(createTensorMap(b, operands[param.index], param));
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
  SmallVector<Value> replacements;
  for (auto [result, buffer] : llvm::zip_equal(op->getResults(), outputs))
    replacements.push_back(
        reshapeResult(b, buffer, cast<RankedTensorType>(result.getType())));
  rewriter.replaceOp(op, replacements);
}
