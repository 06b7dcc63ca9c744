//===- GemmCommon.h - What the TMA GEMMs of every chip share ----*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: the sizes of a
// scaled_matmul, the checks every TMA GEMM makes, and the kernel arguments
// by role (GemmSM90*.cpp and GemmSM100*.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_GEMMCOMMON_H
#define FP8_LIB_CONVERSION_FP8TONVVM_GEMMCOMMON_H

#include "KernelPlan.h"

#include "fp8/Conversion/FP8ToNVVM/ChipInfo.h"
#include "fp8/Dialect/FP8/IR/FP8Ops.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <array>
#include <string>

namespace mlir::fp8::gpu_kernels {

/// The sizes of a scaled_matmul with static shapes: A [batch..., M, K],
/// B [batch..., N, K] (`transpose_b`), the batch dims folded into `batch`
/// (the independent GEMMs of a batched op, one per blockIdx.z; 1 without
/// batch dims).
struct GemmDims {
  int64_t batch = 1, m = 0, n = 0, k = 0;
  /// M (A's rows) is known only at run time (A [?, K]): the kernel takes it
  /// as its RuntimeRows argument, and `m` is kNominalRuntimeM, the M the
  /// tile heuristics plan for.
  bool runtimeM = false;

  static GemmDims get(ScaledMatmulOp op);
  bool empty() const { return batch == 0 || m == 0 || n == 0 || k == 0; }
};

/// A GEMM's sizes, element types and optional operands: what both GEMM
/// emitters' shapes start from.
struct GemmSignature : GemmDims {
  Type aType, bType, outType;
  Type biasType; // null without bias
  bool hasOutScale = false;
  bool hasAmax = false;
  /// NVFP4: the f32 per-tensor scales `a_global` and `b_global`, whose
  /// product the epilogue multiplies D by.
  bool hasGlobalScales = false;

  /// The signature of `op`, whose sizes are `dims`.
  static GemmSignature get(ScaledMatmulOp op, const GemmDims &dims);
  bool batched() const { return batch > 1; }
};

/// The M the tile heuristics assume for a GEMM whose M comes at run time
/// (docs/gpu-pipeline.md, "Dynamic shapes"): a prefill-sized batch of
/// tokens, so the kernel is the one a large M gets (tiles 128 rows tall).
inline constexpr int64_t kNominalRuntimeM = 4096;

/// Reports at `op` which dim of a GEMM with dynamic A or B is dynamic and
/// why the kernels need it static: K (the contraction: K loop, TMA boxes and
/// scale groups along K are compiled in), N (the weight's rows: tile grid
/// along N, epilogue column bounds, B's scales), batch dims (the runtime M
/// is A's rows without batch dims). Fails always: call it for a GEMM with
/// a dynamic A or B that hasRuntimeMKernelShape refuses.
LogicalResult reportDynamicGemmDims(ScaledMatmulOp op);

/// Whether `op` is a GEMM whose only dynamic dim is M, the kernels' runtime
/// M: A [?, K] (no batch dims) and B static.
bool hasRuntimeMKernelShape(ScaledMatmulOp op);

/// The operand layout the TMA GEMMs of every chip need: static shapes
/// except A's M (a rank-2 A [?, K]) and B K-major; `kMajorWhy` says why on
/// `chip`. Reports at the op.
LogicalResult checkGemmLayout(ScaledMatmulOp op, const ChipInfo &chip,
                              StringRef kMajorWhy);
/// The first element type of A and B that is not E4M3FN or E5M2, the FP8
/// formats both GEMMs multiply; null when both are.
Type getNonFP8OperandType(ScaledMatmulOp op);
/// The dims of a GEMM the TMA kernels take: not empty, K a multiple of 16
/// (TMA's 16-byte row strides). Reports at the op.
FailureOr<GemmDims> getTmaGemmDims(ScaledMatmulOp op, const ChipInfo &chip);

/// The arguments of a GEMM kernel (sm_90a and sm_100a alike) by role. The
/// planners list the parameters in this order: A's TMA descriptor, A's
/// scales, B's TMA descriptor, B's scales, [bias], [out_scale], the output,
/// [amax and its zero-initialized partials]. Absent ones stay null.
struct GemmArgs {
  Value aMap, aScale, bMap, bScale, bias, outScale, aGlobal, bGlobal, out,
      amax, partials;
  /// The runtime M (index), after the parameters and before the workgroup
  /// buffers; null when M is static.
  Value rows;

  /// Names `kernelArgs` by role; `signature` says which optional
  /// parameters the kernel has.
  static GemmArgs unpack(ValueRange kernelArgs,
                         const GemmSignature &signature);
};

/// The row count M of a GEMM (index): `rows`, the runtime M, when given,
/// else the static M of `dims`.
Value buildRowCount(ImplicitLocOpBuilder &b, const GemmDims &dims, Value rows);
/// Its last row, M - 1: where the scale loads of rows past M clamp to.
Value buildLastRow(ImplicitLocOpBuilder &b, const GemmDims &dims, Value rows);

/// `fp8_gemm_<chip>_<A>_<B>_<D>_<sA>_<sB>_[<batch>x]<MxNxK>_tile<MxNxK>_s<stages>`,
/// the start of a GEMM kernel's name (`chip`: `sm90`, `sm100`).
std::string gemmKernelName(StringRef chip, ScaledMatmulOp op,
                           const GemmSignature &signature,
                           ArrayRef<int64_t> tile, int64_t stages);
/// `_bias<type>`, `_amax`: the end of a GEMM kernel's name.
std::string gemmKernelNameSuffix(const GemmSignature &signature);

/// Adds the parameters of a GEMM kernel to `plan` in GemmArgs order: A's
/// and B's TMA descriptors with boxes `aBox` and `bBox` (rows, columns)
/// and L2 promotion `l2Promotion`,
/// their flat scales, [bias], [out_scale], [a_global, b_global], D, and, when the op reports
/// amax, its zero-initialized output and a shared-memory buffer of
/// `numWarps` partials of `partialType`. With a runtime M, A's scales
/// (one row per group) and D have runtime lengths and the RuntimeRows
/// parameter comes last.
void addGemmParams(ScaledMatmulOp op, const GemmSignature &signature,
                   std::array<int64_t, 2> aBox, std::array<int64_t, 2> bBox,
                   GemmL2Promotion l2Promotion, Type partialType,
                   int64_t numWarps, KernelPlan &plan);

/// Checks what a GEMM with a runtime M needs from its kernel's options:
/// no persistent CTAs (their tile counts are compiled in), the plain
/// `gemm-raster=m` order (the grouped order needs the number of row
/// tiles), and no cluster along M (the grid along M is ceil(M / tileM),
/// which need not divide into clusters). Reports at the op.
LogicalResult checkRuntimeMOptions(ScaledMatmulOp op, const ChipInfo &chip,
                                   bool persistent, GemmRaster raster,
                                   int64_t clusterM);

/// The loop over the K steps `first` .. `kSteps` - 1 (index) of a GEMM,
/// carrying `inits`.
scf::ForOp buildKStepLoop(ImplicitLocOpBuilder &b, int64_t first,
                          int64_t kSteps, ValueRange inits = {});

/// Sets `plan.grid` to one CTA per `tileM` x `tileN` tile of D and GEMM of
/// the batch (blockIdx.z), the grid along M computed at launch
/// (ceil(M / tileM)) for a runtime M; reports at the op when the grid is
/// beyond CUDA's limits.
LogicalResult setGemmTileGrid(ScaledMatmulOp op, const GemmDims &dims,
                              int64_t tileM, int64_t tileN, KernelPlan &plan);

} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_GEMMCOMMON_H
