//===- FusedBlockQuantize.h - The CTA-per-group fused quantize --*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: the launch shape
// and the body of the fused amax -> scale -> quantize kernel that gives
// each scale group a CTA (FusedBlockQuantizeKernels.cpp), chosen by
// FusedQuantizeKernels.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_FUSEDBLOCKQUANTIZE_H
#define FP8_LIB_CONVERSION_FP8TONVVM_FUSEDBLOCKQUANTIZE_H

#include "ScaleLayout.h"

#include "fp8/Conversion/FP8ToNVVM/ChipInfo.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <algorithm>
#include <utility>

namespace mlir::fp8::gpu_kernels {

//===----------------------------------------------------------------------===//
// The CTA-per-group fused quantize kernel
//===----------------------------------------------------------------------===//

/// The launch shape of the CTA-per-group fused kernel, chosen by the
/// heuristic of FusedQuantizeKernels.cpp.
struct FusedBlockShape {
  ScaleLayout layout;
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

} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_FUSEDBLOCKQUANTIZE_H
