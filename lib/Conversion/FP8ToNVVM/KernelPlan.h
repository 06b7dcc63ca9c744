//===- KernelPlan.h - Kernel plans and the per-op planners ------*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: the description
// of a kernel to emit and launch (KernelPlan), the per-op planners that
// fill one, and the kernel names they build.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_KERNELPLAN_H
#define FP8_LIB_CONVERSION_FP8TONVVM_KERNELPLAN_H

#include "fp8/Conversion/FP8ToNVVM/ChipInfo.h"
#include "fp8/Conversion/FP8ToNVVM/KernelHeuristics.h"
#include "fp8/Dialect/FP8/IR/FP8Attrs.h"
#include "fp8/Dialect/FP8/IR/FP8Ops.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <array>
#include <functional>
#include <optional>
#include <string>

namespace mlir::fp8::gpu_kernels {

//===----------------------------------------------------------------------===//
// Kernel plans
//===----------------------------------------------------------------------===//

/// A size known only at launch: `min(ceil(rows * mul / div), max)` (no
/// clamp when `max` is 0), `rows` being the runtime row count of the plan.
struct RuntimeExtent {
  int64_t mul = 1;
  int64_t div = 1;
  int64_t max = 0;

  /// The extent for `rows` rows (host and tests).
  int64_t evaluate(int64_t rows) const;
  /// The same, built as index arithmetic on `rows`.
  Value build(ImplicitLocOpBuilder &b, Value rows) const;
};

/// Where a kernel with a dynamic shape gets its runtime row count: the
/// product of dims `dims` of operand `operand` of the op (the dims that
/// fold into the rows: all but the last of the operand).
struct RuntimeRows {
  unsigned operand = 0;
  SmallVector<int64_t> dims;
};

/// The static extent the kernel-side type of a buffer with a runtime
/// length has (bare-pointer kernel arguments need static memref types);
/// the kernel bounds every access by the runtime row count instead.
inline constexpr int64_t kRuntimeBufferExtent = int64_t(1) << 40;

/// How the host binds one kernel parameter.
struct KernelParam {
  enum class Kind {
    /// An operand of the fp8 op, passed as a flat 1-D buffer.
    Input,
    /// A result of the fp8 op, a flat 1-D buffer the kernel writes.
    Output,
    /// A TMA descriptor (CUtensorMap, zero fill; 128-byte swizzle unless
    /// `swizzle128B` is false) of a 2-D one-byte tensor (FP8 operand, E8M0
    /// scales), passed as a pointer to the descriptor in global memory.
    TensorMap,
    /// A TMA descriptor (128-byte swizzle) of a result for TMA stores, over
    /// the buffer of the Output parameter just before it; `box` in
    /// elements of the result.
    OutputTensorMap,
    /// The plan's runtime row count (`KernelPlan::runtimeRows`), an index
    /// (i64) argument.
    RuntimeRows,
  };
  Kind kind;
  /// Name in the manifest ("input", "scale", "a", ...).
  std::string name;
  /// Operand (Input, TensorMap) or result (Output) number of the fp8 op.
  unsigned index;
  /// Type of the kernel argument.
  Type kernelType;
  /// Output only: the host zeroes the buffer before the launch.
  bool zeroInit = false;
  /// TensorMap only: the box (rows, columns) one TMA load copies.
  std::array<int64_t, 2> box = {0, 0};
  /// TensorMap only: the operand is packed FP4 (NVFP4's Packed storage,
  /// FP8Converts.h), so the map covers the first half of the buffer as
  /// [rows, K / 2] bytes and `box` counts bytes along K.
  bool packedFP4 = false;
  /// TensorMap only: how far TMA's L2 requests are widened.
  GemmL2Promotion l2Promotion = GemmL2Promotion::None;
  /// Input and Output of a kernel with runtime rows: the element count of
  /// the buffer as a function of the rows (its kernel type then has the
  /// static placeholder extent kRuntimeBufferExtent).
  std::optional<RuntimeExtent> runtimeLength = std::nullopt;
  /// TensorMap only: the 128-byte swizzle of the FP8 operand tiles, or
  /// none (the E8M0 scale boxes of `gemm-scale-load=tma`, 16 bytes wide).
  bool swizzle128B = true;
};

/// A kernel to emit once and launch at one op.
struct KernelPlan {
  /// Name of the kernel and of its gpu.module. Equal names mean equal
  /// kernels.
  std::string name;
  SmallVector<KernelParam> params;
  std::array<int64_t, 3> grid = {1, 1, 1};
  std::array<int64_t, 3> block = {1, 1, 1};
  std::array<int64_t, 3> cluster = {1, 1, 1};
  /// Kernels of dynamic shapes: where the row count comes from, and the
  /// grid dims computed from it at launch (a set entry replaces `grid`'s).
  std::optional<RuntimeRows> runtimeRows;
  std::array<std::optional<RuntimeExtent>, 3> runtimeGrid;
  int64_t dynamicSharedMemory = 0;
  /// When non-zero, the CTAs that must fit on one SM (`.minnctapersm`): a
  /// kernel that moves registers with `setmaxnreg` needs a register count
  /// ptxas fixes at entry (65536 / threads with 1), else ptxas ignores it.
  int64_t minBlocksPerSM = 0;
  /// Shared memory buffers of the kernel (workgroup attributions).
  SmallVector<MemRefType> workgroupBuffers;
  /// Emits the kernel body. `args` are the kernel arguments in `params`
  /// order, followed by the workgroup buffers. The builder is positioned in
  /// the entry block; the emitter ends the body with gpu.return.
  std::function<void(ImplicitLocOpBuilder &b, ValueRange args)> emitBody;
};

/// Whether `type` has static dims except possibly the leading ones (all but
/// the last): the shapes the runtime-row kernels take.
bool hasStaticRowLength(ShapedType type);
/// The dims of `type` that fold into its rows (all but the last), for
/// RuntimeRows.
SmallVector<int64_t> rowDims(ShapedType type);
/// Checks that the elementwise and amax kernels take `data` of `op` with
/// its dynamic dims as runtime rows: the last dim static, and (rowwise or
/// block scaling) scale groups one row tall, so a group never depends on
/// where the rows end. Reports at `op` otherwise.
LogicalResult checkRuntimeRowShape(Operation *op, RankedTensorType data,
                                   ScalingAttr scaling);
/// Makes `plan` a kernel of `plan.runtimeRows` rows: appends the
/// RuntimeRows parameter (the last kernel argument before the workgroup
/// buffers) and returns its position in the kernel arguments.
unsigned addRuntimeRowsParam(KernelPlan &plan, MLIRContext *ctx);
/// A 1-D buffer parameter type: `memref<size x elementType>`, or the
/// placeholder extent when `length` (runtime) is set.
MemRefType kernelBufferType(int64_t size, Type elementType,
                            const std::optional<RuntimeExtent> &length);

/// The planners check that the op has a kernel for `chip` and describe it;
/// they report why not at the op's location and fail otherwise.
FailureOr<KernelPlan> planQuantizeKernel(QuantizeOp op, const ChipInfo &chip);
FailureOr<KernelPlan> planDequantizeKernel(DequantizeOp op,
                                           const ChipInfo &chip);
FailureOr<KernelPlan> planAmaxKernel(AmaxOp op, const ChipInfo &chip);
/// The wgmma GEMM (sm_90a); its tiling comes from configureGemmSM90 with
/// `overrides` (GemmSM90.cpp). `chip` must have wgmma.
FailureOr<KernelPlan>
planScaledMatmulSM90Kernel(ScaledMatmulOp op, const ChipInfo &chip,
                           const GemmSM90Overrides &overrides);
/// The tcgen05 GEMM (sm_100a), its tiling chosen by configureGemmSM100 with
/// `overrides` (GemmSM100.cpp). `chip` must have tcgen05.
FailureOr<KernelPlan>
planScaledMatmulSM100Kernel(ScaledMatmulOp op, const ChipInfo &chip,
                            const GemmSM100Overrides &overrides);

/// Transposing kernels (QuantizeTransposeKernels.cpp): `op` on the
/// transpose of the last two dimensions of its input, read in place (tiles
/// read coalesced and transposed through shared memory).
FailureOr<KernelPlan> planQuantizeTransposeKernel(QuantizeTransposedOp op,
                                                  const ChipInfo &chip);
FailureOr<KernelPlan> planAmaxTransposeKernel(AmaxTransposedOp op,
                                              const ChipInfo &chip);
/// Whether the transposing kernels handle `source` under `scaling` of its
/// transpose (the last two dimensions swapped); else the transpose runs on
/// its own and the plain kernels read its result.
bool hasQuantizeTransposeKernel(RankedTensorType source, ScalingAttr scaling);
bool hasAmaxTransposeKernel(RankedTensorType source, ScalingAttr scaling);

/// Fused scaling (FusedQuantizeKernels.cpp): one kernel computing amax,
/// scales and quantized data of `op`'s input, writing the data and the
/// scales.
FailureOr<KernelPlan> planFusedQuantizeKernel(QuantizeWithAmaxOp op,
                                              const ChipInfo &chip);
/// Whether a fused kernel (a warp per group, or a CTA per group for wider
/// groups and [r, c] blocks) quantizes `input` to `outType` under
/// `scaling`, rowwise or block; else amax, scale and quantize keep their
/// own kernels.
bool hasFusedQuantizeKernel(RankedTensorType input, ScalingAttr scaling,
                            Type outType);

/// The random Hadamard transform (HadamardKernels.cpp): one thread per
/// block of the op's block size (at most 16) along the last dimension, the
/// CPU lowering's f32 arithmetic; any chip.
FailureOr<KernelPlan> planHadamardKernel(HadamardOp op, const ChipInfo &chip);

/// Checks that the kernels can convert between f32 and `narrowType` (the
/// output of a quantize, the input of a dequantize) on `chip`; reports at
/// `op` otherwise. The kernels convert E4M3FN and E5M2 only.
LogicalResult checkNarrowType(Operation *op, Type narrowType,
                              const ChipInfo &chip);

//===----------------------------------------------------------------------===//
// Naming
//===----------------------------------------------------------------------===//

/// `f32`, `bf16`, `f8E4M3FN`, ... as printed by MLIR.
std::string typeName(Type type);
/// `tensor`, `rowwise`, `block1x128`.
std::string scalingName(ScalingAttr scaling);
/// `256x512`.
std::string shapeName(ArrayRef<int64_t> shape);

} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_KERNELPLAN_H
