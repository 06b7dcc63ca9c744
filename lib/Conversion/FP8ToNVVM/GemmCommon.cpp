//===- GemmCommon.cpp - What the TMA GEMMs of every chip share ------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "GemmCommon.h"

#include "fp8/Conversion/FP8ToNVVM/KernelHeuristics.h"
#include "fp8/Support/CheckedShape.h"

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
  dims.k = a.back();
  dims.n = b[b.size() - 2];
  return dims;
}

LogicalResult gpu_kernels::checkGemmLayout(ScaledMatmulOp op,
                                           const ChipInfo &chip,
                                           StringRef kMajorWhy) {
  if (!op.getA().getType().hasStaticShape() ||
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
  if (dims.k % 16 != 0)
    return op.emitOpError("needs K to be a multiple of 16 on ")
           << chip.getName()
           << " (TMA needs 16-byte row strides), got K = " << dims.k;
  // The TMA descriptors see A as [batch * M, K] and B as [batch * N, K].
  // Both products are element counts / K, within int64 by the verifier.
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

GemmArgs GemmArgs::unpack(ValueRange kernelArgs, bool hasBias,
                          bool hasOutScale, bool hasAmax) {
  GemmArgs args;
  unsigned next = 0;
  args.aMap = kernelArgs[next++];
  args.aScale = kernelArgs[next++];
  args.bMap = kernelArgs[next++];
  args.bScale = kernelArgs[next++];
  if (hasBias)
    args.bias = kernelArgs[next++];
  if (hasOutScale)
    args.outScale = kernelArgs[next++];
  args.out = kernelArgs[next++];
  if (hasAmax) {
    args.amax = kernelArgs[next++];
    args.partials = kernelArgs[next++];
  }
  return args;
}
