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
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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
  // A grid computed at launch from the runtime rows is not known here.
  if (llvm::none_of(plan.runtimeGrid,
                    [](const auto &extent) { return extent.has_value(); })) {
    SmallVector<int32_t> grid(plan.grid.begin(), plan.grid.end());
    func.setKnownGridSizeAttr(kernelBuilder.getDenseI32ArrayAttr(grid));
  }
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
/// `tensor` to rank 1 and take its buffer. A buffer with a runtime length is
/// cast to the kernel's placeholder type (`kRuntimeBufferExtent`).
static Value flatBuffer(ImplicitLocOpBuilder &b, Value tensor,
                        MemRefType bufferType) {
  auto type = cast<RankedTensorType>(tensor.getType());
  int64_t length = type.hasStaticShape() ? bufferType.getDimSize(0)
                                         : ShapedType::kDynamic;
  auto flatType = RankedTensorType::get({length}, type.getElementType());
  if (type.getRank() == 0) {
    tensor = b.create<tensor::ExpandShapeOp>(
        flatType, tensor, ArrayRef<ReassociationIndices>{});
  } else if (type.getRank() > 1) {
    ReassociationIndices all = llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
    tensor = b.create<tensor::CollapseShapeOp>(
        flatType, tensor, ArrayRef<ReassociationIndices>{all});
  }
  auto flatBufferType = MemRefType::get({length}, type.getElementType());
  Value buffer = b.create<bufferization::ToBufferOp>(flatBufferType, tensor,
                                                     /*read_only=*/true);
  if (flatBufferType != bufferType)
    buffer = b.create<memref::CastOp>(bufferType, buffer);
  return buffer;
}

/// The inverse of flatBuffer for a result the kernel wrote. The dynamic dims
/// of `resultType` are those of `like` (operand 0 of the op: the runtime
/// kernels keep its leading dims in every result).
static Value reshapeResult(ImplicitLocOpBuilder &b, Value buffer,
                           RankedTensorType resultType, Value like) {
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
    if (resultType.hasStaticShape())
      return b.create<tensor::ExpandShapeOp>(
          resultType, flat, ArrayRef<ReassociationIndices>{all});
    SmallVector<OpFoldResult> sizes;
    for (auto [i, size] : llvm::enumerate(resultType.getShape()))
      sizes.push_back(ShapedType::isDynamic(size)
                          ? OpFoldResult(b.createOrFold<tensor::DimOp>(
                                like, b.create<arith::ConstantIndexOp>(i)))
                          : OpFoldResult(b.getIndexAttr(size)));
    if (resultType.getNumDynamicDims() == 1)
      return b.create<tensor::ExpandShapeOp>(
          resultType, flat, ArrayRef<ReassociationIndices>{all}, sizes);
    // Several dynamic dims: a tensor.reshape by a shape tensor, as MLIR 22's
    // expand-strided-metadata crashes on a memref.expand_shape with more
    // than one dynamic size in a group (docs/gpu-pipeline.md, "Upstream
    // workarounds").
    SmallVector<Value> shape;
    for (OpFoldResult size : sizes)
      shape.push_back(getValueOrCreateConstantIndexOp(b, b.getLoc(), size));
    Value shapeTensor = b.create<tensor::FromElementsOp>(shape);
    return b.create<tensor::ReshapeOp>(resultType, flat, shapeTensor);
  }
  return flat;
}

/// The runtime row count of `plan`: the product of the dims `plan` names of
/// one of `operands`.
static Value buildRuntimeRows(ImplicitLocOpBuilder &b, ValueRange operands,
                              const RuntimeRows &rows) {
  Value source = operands[rows.operand];
  Value count = b.create<arith::ConstantIndexOp>(1);
  for (int64_t dim : rows.dims)
    count = b.createOrFold<arith::MulIOp>(
        count, b.createOrFold<tensor::DimOp>(
                   source, b.create<arith::ConstantIndexOp>(dim)));
  return count;
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

/// A TMA descriptor of `tensor` (FP8, E8M0, or the f32 scales of
/// gemm-scale-load=tma) seen as 2-D (batch dims folded into the rows). The
/// descriptor is built for a `ui8` view of the buffer (rows of their
/// bytes): nvgpu.tma.create.descriptor labels f8 and i8
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
  // Wider elements (the f32 scales of gemm-scale-load=tma): the rows as
  // their bytes, [rows, cols * elementBytes].
  int64_t elementBytes = type.getElementType().getIntOrFloatBitWidth() / 8;
  if (elementBytes > 1) {
    auto matrix = cast<MemRefType>(bytes.getType());
    int64_t rowBytes = matrix.getDimSize(1) * elementBytes;
    OpFoldResult rows =
        matrix.isDynamicDim(0)
            ? OpFoldResult(b.create<memref::DimOp>(bytes, 0).getResult())
            : OpFoldResult(b.getIndexAttr(matrix.getDimSize(0)));
    bytes = b.create<memref::ReinterpretCastOp>(
        MemRefType::get({matrix.getDimSize(0), rowBytes}, u8), bytes,
        b.getIndexAttr(0),
        ArrayRef<OpFoldResult>{rows, b.getIndexAttr(rowBytes)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(rowBytes), b.getIndexAttr(1)});
  }
  // Packed FP4 (NVFP4): the first half of the buffer holds the rows as
  // K / 2 bytes each.
  if (param.packedFP4) {
    auto matrix = cast<MemRefType>(bytes.getType());
    int64_t rows = matrix.getDimSize(0), halfK = matrix.getDimSize(1) / 2;
    bytes = b.create<memref::ReinterpretCastOp>(
        MemRefType::get({rows, halfK}, u8), bytes, /*offset=*/0,
        ArrayRef<int64_t>{rows, halfK}, ArrayRef<int64_t>{halfK, 1});
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

/// A TMA descriptor of the flat output `buffer` of a `rows x cols` result
/// (batch dims folded into the rows) for TMA stores of `param.box`
/// elements: its own element type, or bytes for FP8 (as createTensorMap).
static Value createOutputTensorMap(ImplicitLocOpBuilder &b, Value buffer,
                                   ShapedType result,
                                   const KernelParam &param) {
  MLIRContext *ctx = b.getContext();
  Type element = result.getElementType();
  int64_t cols = result.getShape().back();
  int64_t rows = result.getNumElements() / cols;
  Value matrix = b.create<memref::ExpandShapeOp>(
      MemRefType::get({rows, cols}, element), buffer,
      ArrayRef<ReassociationIndices>{{0, 1}});
  if (element.getIntOrFloatBitWidth() == 8) {
    element = IntegerType::get(ctx, 8, IntegerType::Unsigned);
    matrix = b.create<UnrealizedConversionCastOp>(
                  MemRefType::get({rows, cols}, element), matrix)
                 .getResult(0);
  }
  Value unranked =
      b.create<memref::CastOp>(UnrankedMemRefType::get(element, 0), matrix);
  auto shared = gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup);
  auto descriptorType = nvgpu::TensorMapDescriptorType::get(
      ctx,
      MemRefType::get(param.box, element, MemRefLayoutAttrInterface(), shared),
      nvgpu::TensorMapSwizzleKind::SWIZZLE_128B,
      nvgpu::TensorMapL2PromoKind::L2PROMO_NONE,
      nvgpu::TensorMapOOBKind::OOB_ZERO,
      nvgpu::TensorMapInterleaveKind::INTERLEAVE_NONE);
  Value descriptor = b.create<nvgpu::TmaCreateDescriptorOp>(
      descriptorType, unranked,
      ValueRange{indexConst(b, param.box[0]), indexConst(b, param.box[1])});
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
  Value rows;
  if (plan.runtimeRows)
    rows = buildRuntimeRows(b, operands, *plan.runtimeRows);
  for (const KernelParam &param : plan.params) {
    switch (param.kind) {
    case KernelParam::Kind::Input:
      args.push_back(flatBuffer(b, operands[param.index],
                                cast<MemRefType>(param.kernelType)));
      break;
    case KernelParam::Kind::TensorMap:
      args.push_back(createTensorMap(b, operands[param.index], param));
      break;
    case KernelParam::Kind::OutputTensorMap:
      // After the Output parameter that allocated the buffer.
      args.push_back(createOutputTensorMap(
          b, outputs[param.index],
          cast<ShapedType>(op->getResult(param.index).getType()), param));
      break;
    case KernelParam::Kind::RuntimeRows:
      args.push_back(rows);
      break;
    case KernelParam::Kind::Output: {
      // Managed memory, so host code (and mlir-runner) can read results.
      auto kernelType = cast<MemRefType>(param.kernelType);
      MemRefType allocType = kernelType;
      SmallVector<Value, 1> lengths;
      if (param.runtimeLength) {
        allocType = MemRefType::get({ShapedType::kDynamic},
                                    kernelType.getElementType());
        lengths.push_back(param.runtimeLength->build(b, rows));
      }
      Value buffer =
          b.create<gpu::AllocOp>(allocType, /*asyncToken=*/Type(),
                                 ValueRange{}, lengths, ValueRange{},
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
      args.push_back(allocType == kernelType
                         ? buffer
                         : b.create<memref::CastOp>(kernelType, buffer)
                               .getResult());
      outputs[param.index] = buffer;
      break;
    }
    }
  }
  auto dim3 = [&](std::array<int64_t, 3> sizes) {
    return gpu::KernelDim3{indexConst(b, sizes[0]), indexConst(b, sizes[1]),
                           indexConst(b, sizes[2])};
  };
  // The grid of a runtime-row kernel: its formulas of the rows.
  gpu::KernelDim3 grid = dim3(plan.grid);
  Value *gridDims[] = {&grid.x, &grid.y, &grid.z};
  for (auto [dim, extent] : llvm::zip_equal(gridDims, plan.runtimeGrid))
    if (extent)
      *dim = extent->build(b, rows);
  Value sharedMemory;
  if (plan.dynamicSharedMemory != 0)
    sharedMemory = b.create<arith::ConstantIntOp>(b.getI32Type(),
                                                  plan.dynamicSharedMemory);
  std::optional<gpu::KernelDim3> cluster;
  if (plan.cluster != std::array<int64_t, 3>{1, 1, 1})
    cluster = dim3(plan.cluster);
  // No rows (an empty batch): nothing to launch (CUDA refuses an empty
  // grid); the outputs are empty, a tensor amax stays the zero it was set
  // to.
  if (rows) {
    Value any = b.create<arith::CmpIOp>(arith::CmpIPredicate::ne, rows,
                                        b.create<arith::ConstantIndexOp>(0));
    auto ifAny = b.create<scf::IfOp>(any, /*withElseRegion=*/false);
    b.setInsertionPointToStart(&ifAny.getThenRegion().front());
  }
  b.create<gpu::LaunchFuncOp>(kernel, grid, dim3(plan.block),
                              sharedMemory, args, /*asyncTokenType=*/Type(),
                              ValueRange{}, cluster);
  if (rows)
    b.setInsertionPointAfter(b.getInsertionBlock()->getParentOp());
  SmallVector<Value> replacements;
  for (auto [result, buffer] : llvm::zip_equal(op->getResults(), outputs))
    replacements.push_back(
        reshapeResult(b, buffer, cast<RankedTensorType>(result.getType()),
                      operands.front()));
  rewriter.replaceOp(op, replacements);
}
