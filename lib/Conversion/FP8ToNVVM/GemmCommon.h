//===- GemmCommon.h - What the TMA GEMMs of every chip share ----*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: the sizes of a
// scaled_matmul, the checks every TMA GEMM makes, and the kernel arguments
// by role (GemmSM90*.cpp and GemmSM100*.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_GEMMCOMMON_H
#define FP8_LIB_CONVERSION_FP8TONVVM_GEMMCOMMON_H

#include "fp8/Conversion/FP8ToNVVM/ChipInfo.h"
#include "fp8/Dialect/FP8/IR/FP8Ops.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::fp8::gpu_kernels {

/// The sizes of a scaled_matmul with static shapes: A [batch..., M, K],
/// B [batch..., N, K] (`transpose_b`), the batch dims folded into `batch`
/// (the independent GEMMs of a batched op, one per blockIdx.z; 1 without
/// batch dims).
struct GemmDims {
  int64_t batch = 1, m = 0, n = 0, k = 0;

  static GemmDims get(ScaledMatmulOp op);
  bool empty() const { return batch == 0 || m == 0 || n == 0 || k == 0; }
};

/// The operand layout the TMA GEMMs of every chip need: static shapes and
/// B K-major; `kMajorWhy` says why on `chip`. Reports at the op.
LogicalResult checkGemmLayout(ScaledMatmulOp op, const ChipInfo &chip,
                              StringRef kMajorWhy);
/// The dims of a GEMM the TMA kernels take: not empty, K a multiple of 16
/// (TMA's 16-byte row strides). Reports at the op.
FailureOr<GemmDims> getTmaGemmDims(ScaledMatmulOp op, const ChipInfo &chip);

/// The arguments of a GEMM kernel (sm_90a and sm_100a alike) by role. The
/// planners list the parameters in this order: A's TMA descriptor, A's
/// scales, B's TMA descriptor, B's scales, [bias], [out_scale], the output,
/// [amax and its zero-initialized partials]. Absent ones stay null.
struct GemmArgs {
  Value aMap, aScale, bMap, bScale, bias, outScale, out, amax, partials;

  /// Names `kernelArgs` by role, given which optional parameters the kernel
  /// has.
  static GemmArgs unpack(ValueRange kernelArgs, bool hasBias,
                         bool hasOutScale, bool hasAmax);
};

} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_GEMMCOMMON_H
