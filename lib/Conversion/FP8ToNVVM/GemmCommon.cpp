//===- GemmCommon.cpp - What the TMA GEMMs of every chip share ------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "GemmCommon.h"
#include "IRBuildingBlocks.h"

#include "fp8/Conversion/FP8ToNVVM/KernelHeuristics.h"
#include "fp8/Support/CheckedShape.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

GemmDims GemmDims::get(ScaledMatmulOp op) {
  // The verifier makes the batch dims of A, B and D equal.
  ArrayRef<int64_t> a = op.getA().getType().getShape();
  ArrayRef<int64_t> b = op.getB().getType().getShape();
  GemmDims dims;
  // The verifier keeps the element counts of A and B within int64.
  dims.batch = *checkedProduct(a.drop_back(2));
  dims.m = a[a.size() - 2];
  if (ShapedType::isDynamic(dims.m)) {
    dims.runtimeM = true;
    dims.m = kNominalRuntimeM;
  }
  dims.k = a.back();
  dims.n = b[b.size() - 2];
  return dims;
}

LogicalResult gpu_kernels::reportDynamicGemmDims(ScaledMatmulOp op) {
  ArrayRef<int64_t> a = op.getA().getType().getShape();
  ArrayRef<int64_t> b = op.getB().getType().getShape();
  int64_t rank = a.size();
  bool dynamicK = ShapedType::isDynamic(a.back()) ||
                  ShapedType::isDynamic(op.getTransposeB() ? b.back()
                                                           : b[rank - 2]);
  bool dynamicN = ShapedType::isDynamic(op.getTransposeB() ? b[rank - 2]
                                                           : b.back());
  if (dynamicK)
    return op.emitOpError(
        "has no GPU kernel for a dynamic K (the contraction dim): the GEMM "
        "kernels compile the K loop, the TMA boxes along K and the scale "
        "groups along K for a static K");
  if (dynamicN)
    return op.emitOpError(
        "has no GPU kernel for a dynamic N: the GEMM kernels need N (B's "
        "rows, a weight's output features) static for the tile grid along "
        "N, the epilogue's column bounds and B's scales");
  return op.emitOpError(
      "has no GPU kernel for dynamic batch dims: the GEMM kernels take M "
      "(A's rows) at run time only without batch dims (A [?, K])");
}

bool gpu_kernels::hasRuntimeMKernelShape(ScaledMatmulOp op) {
  auto a = op.getA().getType();
  auto b = op.getB().getType();
  return a.getRank() == 2 && b.hasStaticShape() &&
         ShapedType::isDynamic(a.getDimSize(0)) &&
         !ShapedType::isDynamic(a.getDimSize(1));
}

LogicalResult gpu_kernels::checkGemmLayout(ScaledMatmulOp op,
                                           const ChipInfo &chip,
                                           StringRef kMajorWhy) {
  if ((!op.getA().getType().hasStaticShape() &&
       !hasRuntimeMKernelShape(op)) ||
      !op.getB().getType().hasStaticShape())
    return op.emitOpError("has no GPU kernel for dynamic shapes; the GPU "
                          "lowering needs static shapes");
  if (!op.getTransposeB())
    return op.emitOpError("needs B K-major ([N, K], `transpose_b`) on ")
           << chip.getName() << ": " << kMajorWhy;
  return success();
}

FailureOr<GemmDims> gpu_kernels::getTmaGemmDims(ScaledMatmulOp op,
                                                const ChipInfo &chip) {
  GemmDims dims = GemmDims::get(op);
  if (dims.empty())
    return op.emitOpError("has no GPU kernel for empty operands");
  ScalingAttr aScaling = op.getAScaling();
  if (dims.runtimeM && !aScaling.isTensor() &&
      aScaling.getGroupExtent({dims.m, dims.k}).first != 1)
    return op.emitOpError("has no GPU kernel for ")
           << aScaling << " of A with a runtime M: only scale groups one row "
           << "tall (tensor, rowwise, [1, c]) take A's rows at run time";
  if (dims.k % 16 != 0)
    return op.emitOpError("needs K to be a multiple of 16 on ")
           << chip.getName()
           << " (TMA needs 16-byte row strides), got K = " << dims.k;
  // The TMA descriptors see A as [batch * M, K] and B as [batch * N, K].
  // Both products are element counts / K, within int64 by the verifier.
  // (A runtime M is bounded at launch: the host encodes A's descriptor.)
  for (auto [name, rows] : {std::make_pair("A", dims.batch * dims.m),
                            std::make_pair("B", dims.batch * dims.n)})
    if (rows > CudaLimits::kMaxTmaExtent)
      return op.emitOpError("needs ")
             << rows << " rows of " << name << " (batch dims folded in), "
             << "more than TMA's signed 32-bit coordinates reach (2^31)";
  if (dims.k > CudaLimits::kMaxTmaExtent)
    return op.emitOpError("needs K = ")
           << dims.k << ", more than TMA's signed 32-bit coordinates reach "
           << "(2^31)";
  return dims;
}

GemmArgs GemmArgs::unpack(ValueRange kernelArgs,
                          const GemmSignature &signature) {
  GemmArgs args;
  unsigned next = 0;
  args.aMap = kernelArgs[next++];
  args.aScale = kernelArgs[next++];
  args.bMap = kernelArgs[next++];
  args.bScale = kernelArgs[next++];
  if (signature.biasType)
    args.bias = kernelArgs[next++];
  if (signature.hasOutScale)
    args.outScale = kernelArgs[next++];
  if (signature.hasGlobalScales) {
    args.aGlobal = kernelArgs[next++];
    args.bGlobal = kernelArgs[next++];
  }
  args.out = kernelArgs[next++];
  if (signature.hasAmax)
    args.amax = kernelArgs[next++];
  if (signature.runtimeM)
    args.rows = kernelArgs[next++];
  if (signature.hasAmax)
    args.partials = kernelArgs[next++];
  return args;
}

GemmSignature GemmSignature::get(ScaledMatmulOp op, const GemmDims &dims) {
  GemmSignature signature;
  static_cast<GemmDims &>(signature) = dims;
  signature.aType = op.getA().getType().getElementType();
  signature.bType = op.getB().getType().getElementType();
  signature.outType = op.getResult().getType().getElementType();
  if (op.getBias())
    signature.biasType = op.getBias().getType().getElementType();
  signature.hasOutScale = static_cast<bool>(op.getOutScale());
  signature.hasAmax = static_cast<bool>(op.getAmax());
  signature.hasGlobalScales = op.getAGlobal() && op.getBGlobal();
  return signature;
}

Value gpu_kernels::buildRowCount(ImplicitLocOpBuilder &b, const GemmDims &dims,
                                Value rows) {
  return rows ? rows : indexConst(b, dims.m);
}

Value gpu_kernels::buildLastRow(ImplicitLocOpBuilder &b, const GemmDims &dims,
                               Value rows) {
  if (rows)
    return b.create<arith::SubIOp>(rows, indexConst(b, 1));
  return indexConst(b, dims.m - 1);
}

std::string gpu_kernels::gemmKernelName(StringRef chip, ScaledMatmulOp op,
                                        const GemmSignature &signature,
                                        ArrayRef<int64_t> tile,
                                        int64_t stages) {
  return "fp8_gemm_" + chip.str() + "_" + typeName(signature.aType) + "_" +
         typeName(signature.bType) + "_" + typeName(signature.outType) + "_" +
         scalingName(op.getAScaling()) + "_" + scalingName(op.getBScaling()) +
         "_" +
         (signature.batched() ? std::to_string(signature.batch) + "x" : "") +
         shapeName({signature.runtimeM ? ShapedType::kDynamic : signature.m,
                    signature.n, signature.k}) +
         "_tile" +
         shapeName(tile) + "_s" + std::to_string(stages);
}

std::string gpu_kernels::gemmKernelNameSuffix(const GemmSignature &signature) {
  std::string suffix;
  if (signature.biasType)
    suffix += "_bias" + typeName(signature.biasType);
  if (signature.hasAmax)
    suffix += "_amax";
  return suffix;
}

void gpu_kernels::addGemmParams(ScaledMatmulOp op,
                                const GemmSignature &signature,
                                std::array<int64_t, 2> aBox,
                                std::array<int64_t, 2> bBox,
                                GemmL2Promotion l2Promotion, Type partialType,
                                int64_t numWarps, KernelPlan &plan) {
  MLIRContext *ctx = op.getContext();
  auto flat = [](int64_t size, Type type) {
    return MemRefType::get({size}, type);
  };
  auto flatLike = [&](Value tensor) {
    auto type = cast<RankedTensorType>(tensor.getType());
    return flat(type.getNumElements(), type.getElementType());
  };
  auto operandIndex = [&](unsigned odsIndex) {
    return op.getODSOperandIndexAndLength(odsIndex).first;
  };
  auto pointer = LLVM::LLVMPointerType::get(ctx);

  KernelParam aMap{KernelParam::Kind::TensorMap, "a", operandIndex(0),
                   pointer};
  aMap.box = aBox;
  aMap.l2Promotion = l2Promotion;
  KernelParam bMap{KernelParam::Kind::TensorMap, "b", operandIndex(2),
                   pointer};
  bMap.box = bBox;
  bMap.l2Promotion = l2Promotion;
  plan.params.push_back(aMap);
  KernelParam aScale{KernelParam::Kind::Input, "a_scale", operandIndex(1),
                     Type()};
  auto aScaleType = cast<RankedTensorType>(op.getAScale().getType());
  if (signature.runtimeM && !aScaleType.hasStaticShape())
    // One row of scales per row of A (tensor scaling has static scales).
    aScale.runtimeLength = RuntimeExtent{aScaleType.getShape().back(), 1, 0};
  aScale.kernelType =
      aScale.runtimeLength
          ? kernelBufferType(0, aScaleType.getElementType(),
                             aScale.runtimeLength)
          : flatLike(op.getAScale());
  plan.params.push_back(aScale);
  plan.params.push_back(bMap);
  plan.params.push_back({KernelParam::Kind::Input, "b_scale", operandIndex(3),
                         flatLike(op.getBScale())});
  if (signature.biasType)
    plan.params.push_back({KernelParam::Kind::Input, "bias", operandIndex(4),
                           flat(signature.n, signature.biasType)});
  if (signature.hasOutScale)
    plan.params.push_back({KernelParam::Kind::Input, "out_scale",
                           operandIndex(5), flatLike(op.getOutScale())});
  if (signature.hasGlobalScales) {
    plan.params.push_back({KernelParam::Kind::Input, "a_global",
                           operandIndex(6), flatLike(op.getAGlobal())});
    plan.params.push_back({KernelParam::Kind::Input, "b_global",
                           operandIndex(7), flatLike(op.getBGlobal())});
  }
  KernelParam d{KernelParam::Kind::Output, "d", 0, Type()};
  if (signature.runtimeM)
    d.runtimeLength = RuntimeExtent{signature.n, 1, 0};
  d.kernelType =
      kernelBufferType(signature.batch * signature.m * signature.n,
                       signature.outType, d.runtimeLength);
  plan.params.push_back(d);
  if (signature.hasAmax) {
    KernelParam amax{KernelParam::Kind::Output, "amax", 1,
                     flat(1, Float32Type::get(ctx))};
    amax.zeroInit = true;
    plan.params.push_back(amax);
    plan.workgroupBuffers.push_back(MemRefType::get(
        {numWarps}, partialType, MemRefLayoutAttrInterface(),
        gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup)));
  }
  if (signature.runtimeM) {
    plan.runtimeRows = RuntimeRows{operandIndex(0), {0}};
    addRuntimeRowsParam(plan, ctx);
  }
}

LogicalResult gpu_kernels::setGemmTileGrid(ScaledMatmulOp op,
                                           const GemmDims &dims, int64_t tileM,
                                           int64_t tileN, KernelPlan &plan) {
  plan.grid = {ceilDiv(dims.m, tileM), ceilDiv(dims.n, tileN), dims.batch};
  if (dims.runtimeM)
    plan.runtimeGrid[0] = RuntimeExtent{1, tileM, 0};
  if (plan.grid[1] > CudaLimits::kMaxGridYZ)
    return op.emitOpError("needs ")
           << plan.grid[1] << " CTAs along N, more than the grid's y limit ("
           << CudaLimits::kMaxGridYZ << ")";
  if (plan.grid[2] > CudaLimits::kMaxGridYZ)
    return op.emitOpError("has ")
           << plan.grid[2] << " GEMMs in its batch dims, more than the grid's "
           << "z limit (" << CudaLimits::kMaxGridYZ << ")";
  return success();
}

Type gpu_kernels::getNonFP8OperandType(ScaledMatmulOp op) {
  for (Type type : {op.getA().getType().getElementType(),
                    op.getB().getType().getElementType()})
    if (!isa<Float8E4M3FNType, Float8E5M2Type>(type))
      return type;
  return Type();
}

LogicalResult gpu_kernels::checkRuntimeMOptions(ScaledMatmulOp op,
                                                const ChipInfo &chip,
                                                bool persistent,
                                                GemmRaster raster,
                                                int64_t clusterM) {
  auto report = [&](StringRef option, StringRef why) {
    return op.emitOpError("has a runtime M (A's rows), which the ")
           << chip.getName() << " GEMM does not take with " << option << ": "
           << why;
  };
  if (persistent)
    return report("gemm-persistent=on",
                  "the persistent CTAs' tile counts are compiled in");
  if (raster != GemmRaster::M)
    return report("gemm-raster=grouped",
                  "the grouped order needs the number of row tiles");
  if (clusterM > 1)
    return report("a cluster along M (gemm-cluster=2x1)",
                  "ceil(M / tileM) row tiles need not divide into clusters");
  return success();
}

scf::ForOp gpu_kernels::buildKStepLoop(ImplicitLocOpBuilder &b, int64_t first,
                                       int64_t kSteps, ValueRange inits) {
  return b.create<scf::ForOp>(indexConst(b, first), indexConst(b, kSteps),
                              indexConst(b, 1), inits);
}
