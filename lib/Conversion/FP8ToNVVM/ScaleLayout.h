//===- ScaleLayout.h - Where the scale of an element lives ------*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: the scale groups
// of tensor, rowwise and block scaling as the kernels index them.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_SCALELAYOUT_H
#define FP8_LIB_CONVERSION_FP8TONVVM_SCALELAYOUT_H

#include "fp8/Dialect/FP8/IR/FP8Attrs.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::fp8::gpu_kernels {

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
};

} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_SCALELAYOUT_H
