//===- KernelBuilder.h - What the fp8 GPU kernel emitters share -*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: the description
// of a kernel to emit and launch (KernelPlan), the per-op planners, and the
// small IR building blocks the kernel bodies are made of.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_KERNELBUILDER_H
#define FP8_LIB_CONVERSION_FP8TONVVM_KERNELBUILDER_H

#include "fp8/Conversion/FP8ToNVVM/ChipInfo.h"
#include "fp8/Conversion/FP8ToNVVM/KernelHeuristics.h"
#include "fp8/Dialect/FP8/IR/FP8Attrs.h"
#include "fp8/Dialect/FP8/IR/FP8Ops.h"
#include "fp8/Support/CheckedShape.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <algorithm>
#include <array>
#include <functional>
#include <string>

namespace mlir::fp8::gpu_kernels {

//===----------------------------------------------------------------------===//
// Kernel plans
//===----------------------------------------------------------------------===//

/// How the host binds one kernel parameter.
struct KernelParam {
  enum class Kind {
    /// An operand of the fp8 op, passed as a flat 1-D buffer.
    Input,
    /// A result of the fp8 op, a flat 1-D buffer the kernel writes.
    Output,
    /// A TMA descriptor (CUtensorMap, 128-byte swizzle, zero fill) of a 2-D
    /// FP8 operand, passed as a pointer to the descriptor in global memory.
    TensorMap,
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
  /// Input only: when set, the host passes this value instead of operand
  /// `index` (the input of a producer fused into the kernel, e.g. the source
  /// of a `linalg.transpose`).
  Value value = {};
  /// Output only: when set, the buffer replaces this value (a result of an
  /// op fused into the kernel, e.g. the scales of `fp8.scale_from_amax`)
  /// instead of result `index` of the launched op.
  Value replaces = {};
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

/// Transposing kernels (QuantizeTransposeKernels.cpp). When `op`'s input is
/// a `linalg.transpose` swapping the last two dimensions of `x` and the
/// transposing kernel handles the shapes and scaling, returns `x`; else
/// null, and the op keeps the plain kernel (the transpose runs on the host).
Value getFusableTransposeSource(QuantizeOp op);
Value getFusableTransposeSource(AmaxOp op);
/// `op` on `linalg.transpose(source)`, read from `source` directly: tiles
/// read coalesced and transposed through shared memory.
FailureOr<KernelPlan> planQuantizeTransposeKernel(QuantizeOp op, Value source,
                                                  const ChipInfo &chip);
FailureOr<KernelPlan> planAmaxTransposeKernel(AmaxOp op, Value source,
                                              const ChipInfo &chip);

/// Fused scaling (FusedQuantizeKernels.cpp). When `op` quantizes its input
/// with `fp8.scale_from_amax(fp8.amax(input))` of the same rowwise or block
/// scaling and a fused kernel handles the shapes (a warp per group, or a
/// CTA per group for wider groups and [r, c] blocks), returns that
/// scale_from_amax op; else null, and the three ops keep their own kernels.
ScaleFromAmaxOp getFusableScaleFromAmax(QuantizeOp op);
/// One kernel computing amax, scale and quantized data of `op`'s input,
/// writing the data (replacing `op`) and the scales (replacing `scale`).
FailureOr<KernelPlan> planFusedQuantizeKernel(QuantizeOp op,
                                              ScaleFromAmaxOp scale,
                                              const ChipInfo &chip);

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

//===----------------------------------------------------------------------===//
// Scale groups
//===----------------------------------------------------------------------===//

/// Where the scale of a data element lives. Data `[b..., R, C]` is seen as
/// `rows x C` (rows = b... * R) in row-major order; its scales, flattened the
/// same way, hold `scaleRows x scaleCols` groups per batch.
struct ScaleLayout {
  ScalingAttr scaling;
  int64_t rowsPerBatch = 1;
  int64_t cols = 1;
  int64_t groupRows = 1;
  int64_t groupCols = 1;
  int64_t scaleRows = 1;
  int64_t scaleCols = 1;

  static ScaleLayout get(ScalingAttr scaling, ArrayRef<int64_t> shape);
  /// The flat scale index of the element at (`row`, `col`), `row` counting
  /// across batches.
  Value buildIndex(ImplicitLocOpBuilder &b, Value row, Value col) const;

  /// Where scale group `group` (its flat index in the scales) starts: its
  /// first row counting across batches and within its batch, and its first
  /// column.
  struct GroupOrigin {
    Value row, rowInBatch, col;
  };
  GroupOrigin buildGroupOrigin(ImplicitLocOpBuilder &b, Value group) const;
  /// Column extent of one group (C for tensor scaling).
  int64_t groupColsOrAll() const { return scaling.isTensor() ? cols : groupCols; }
};

//===----------------------------------------------------------------------===//
// The CTA-per-group fused quantize kernel
//===----------------------------------------------------------------------===//

/// The launch shape of the CTA-per-group fused kernel, chosen by the
/// heuristic of FusedQuantizeKernels.cpp.
struct FusedBlockShape {
  ScaleLayout layout;
  /// Scale groups, one CTA each.
  int64_t numGroups = 0;
  /// Consecutive elements of one row a thread loads, converts and stores at
  /// once (divides the row and the group width).
  int64_t chunk = 0;
  /// Threads per CTA: a power of two, 32 to 512.
  int64_t threads = 0;
  /// Chunks each thread keeps in registers between amax and quantize.
  int64_t chunksPerThread = 0;

  int64_t numWarps() const { return threads / 32; }
  /// Rows and columns of a whole (not ragged) group.
  int64_t groupRows() const {
    return std::min(layout.groupRows, layout.rowsPerBatch);
  }
  int64_t groupCols() const { return std::min(layout.groupCols, layout.cols); }
  int64_t chunksPerGroup() const { return groupRows() * groupCols() / chunk; }
};

/// The f32 decode scale the data are divided by and the scale element
/// stored, from a group's f32 amax.
using GroupScaleBuilder =
    function_ref<std::pair<Value, Value>(ImplicitLocOpBuilder &b, Value amax)>;

/// The body of the CTA-per-group fused kernel
/// (FusedBlockQuantizeKernels.cpp). `args`: input, output, scales, then,
/// when `shape` has more than one warp, the shared memory partials
/// (`numWarps` i32).
void emitFusedBlockQuantizeBody(ImplicitLocOpBuilder &b,
                                const FusedBlockShape &shape, Type outType,
                                bool saturate, const ChipInfo &chip,
                                GroupScaleBuilder buildScale, ValueRange args);

//===----------------------------------------------------------------------===//
// IR building blocks
//===----------------------------------------------------------------------===//

Value indexConst(ImplicitLocOpBuilder &b, int64_t value);
Value i32Const(ImplicitLocOpBuilder &b, int64_t value);
Value f32Const(ImplicitLocOpBuilder &b, double value);

/// `block_id.x * blockSize + thread_id.x`.
Value globalThreadIndex(ImplicitLocOpBuilder &b, int64_t blockSize);

/// Extends f16/bf16 to f32 (exact); f32 passes through.
Value extendToF32(ImplicitLocOpBuilder &b, Value value);

/// The f32 bit pattern of |x| as i32. For non-negative floats the integer
/// order is the float order, and every NaN sorts above +inf, so an unsigned
/// integer max of these patterns is a NaN-propagating float max.
Value absBits(ImplicitLocOpBuilder &b, Value f32Value);

/// Max over groups of `lanes` consecutive lanes (a power of two <= 32) of a
/// warp with `shfl.sync.bfly`; every lane of the group gets the result. All
/// 32 lanes must execute it.
Value warpMaxU32(ImplicitLocOpBuilder &b, Value value, int64_t lanes);

/// `atom.global.max.u32` on element `index` of a 1-D f32 buffer, whose bits
/// are read as unsigned integers (see absBits).
void atomicMaxBits(ImplicitLocOpBuilder &b, Value buffer, Value index,
                   Value bits);

/// The current thread's lane and warp, and whether it is lane 0.
struct WarpLane {
  Value lane, warp, isLane0;
};

/// The exchange step of the CTA reductions: lane 0 of each warp stores the
/// warp's `warpValue` at `partials[warp]` (shared memory), then the CTA
/// waits at a barrier. Every thread must execute it.
WarpLane storeWarpPartials(ImplicitLocOpBuilder &b, Value warpValue,
                           Value partials);

/// The max of `bits` over the CTA, atomically maxed into element 0 of the
/// f32 buffer `output` by thread 0 (one atomic per CTA). `partials` is a
/// shared memory buffer of `numWarps` i32. Every thread must execute it.
void atomicMaxOverBlock(ImplicitLocOpBuilder &b, Value bits, Value partials,
                        int64_t numWarps, Value output);

/// Loads the scale at `index` of a 1-D scale buffer as f32: f32 as is,
/// E8M0 `e` decoded to 2^(e - 127) (0xFF: NaN).
Value loadScaleAsF32(ImplicitLocOpBuilder &b, Value scales, Value index);

/// Loads / stores `vectorType` at element `offset` of a 1-D buffer with the
/// alignment of the whole vector (at most 16 bytes), so the backend emits
/// one ld/st.global.v4 per 16 bytes.
Value loadAligned(ImplicitLocOpBuilder &b, Value buffer, Value offset,
                  VectorType vectorType);
void storeAligned(ImplicitLocOpBuilder &b, Value value, Value buffer,
                  Value offset);

/// Converts two f32 to FP8 with `cvt.rn.satfinite.<fmt>x2.f32`; the result
/// i16 holds `lo` in its low byte (first in memory) and `hi` in its high
/// byte. With `saturate` false, values that overflow the format become NaN
/// (E4M3FN) or +-inf (E5M2) as `arith.truncf` does.
Value convertPairToFP8(ImplicitLocOpBuilder &b, Value lo, Value hi,
                       Type fp8Type, bool saturate);

/// Decodes the two FP8 bytes of an i16 (low byte first) with
/// `cvt.rn.f16x2.<fmt>x2` (exact) and extends them to f32.
std::pair<Value, Value> convertFP8PairToF32(ImplicitLocOpBuilder &b,
                                            Value pair, Type fp8Type);

/// `cvt.rn.satfinite` pairs of `f32Elements[i] / scale` (an even count),
/// packed into a vector of `fp8Type` in element order. With `saturate`
/// false, overflows become NaN / inf as in convertPairToFP8.
Value quantizePairsToFP8(ImplicitLocOpBuilder &b, ArrayRef<Value> f32Elements,
                         Value scale, Type fp8Type, bool saturate);

/// Largest element count in {16, 8, 4, 2, 1} whose bytes fit in
/// `maxBytes` and that divides every value of `extents`.
int64_t chooseVectorWidth(int64_t elementBytes, ArrayRef<int64_t> extents,
                          int64_t maxBytes = 16);

//===----------------------------------------------------------------------===//
// Float redux.sync building blocks (ChipInfo::hasReduxF32Max chips only)
//===----------------------------------------------------------------------===//

/// max |x| of an f32 over the 32 lanes of a warp with
/// `redux.sync.max.abs.NaN.f32` (NaN if any lane holds NaN); every lane
/// gets the result. All 32 lanes must execute it. Only for chips with
/// ChipInfo::hasReduxF32Max: LLVM aborts on it for the others.
Value warpMaxAbsRedux(ImplicitLocOpBuilder &b, Value f32Value);

/// max |x| of an f32 over the CTA: warpMaxAbsRedux, one partial per warp in
/// the shared memory buffer `partials` (`numWarps` f32), warp 0 reduces the
/// partials the same way, and thread 0 does one `atom.global.max.u32` of
/// the result's bits (see absBits) on element 0 of the f32 buffer `output`.
/// Every thread must execute it. ChipInfo::hasReduxF32Max chips only.
void atomicMaxAbsOverBlockRedux(ImplicitLocOpBuilder &b, Value f32Value,
                                Value partials, int64_t numWarps,
                                Value output);

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

#endif // FP8_LIB_CONVERSION_FP8TONVVM_KERNELBUILDER_H
