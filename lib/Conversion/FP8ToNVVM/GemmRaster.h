//===- GemmRaster.h - The order in which GEMM tiles are visited -*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: the one mapping
// from a tile's place in launch order (a CTA's linear block index, or a
// persistent CTA's iteration) to the output tile it computes, used by
// every GEMM that orders tiles (GemmSM90.cpp, GemmSM90Persistent.cpp,
// GemmSM100.cpp).
//
// `gemm-raster=m` walks the rows x cols grid of tiles M fastest: tile t is
// (t % rows, t / rows). The CTAs running at the same time then cover all
// row tiles of a few columns, and each wave reads all of A.
//
// `gemm-raster=grouped` (as Triton's grouped ordering and CUTLASS's
// swizzled rasterization) cuts the rows into strips of `group` row tiles
// and walks the strips one after another, each M fastest, so a wave reads
// `group` row tiles of A and the columns of B the wave needs:
//
//   strip     = t / (group * cols)       firstRow = strip * group
//   height    = min(rows - firstRow, group)   (the last strip may be short)
//   inStrip   = t % (group * cols)
//   tile      = (firstRow + inStrip % height, inStrip / height)
//
// Each tile of the grid is visited exactly once, the short last strip too.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_GEMMRASTER_H
#define FP8_LIB_CONVERSION_FP8TONVVM_GEMMRASTER_H

#include "fp8/Conversion/FP8ToNVVM/KernelHeuristics.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <utility>

namespace mlir::fp8::gpu_kernels {

/// The (row tile, column tile) (index) of the `linear`-th tile (index) in
/// launch order, in a grid of `rows` x `cols` tiles, in the order
/// `schedule.raster` names (see the file comment).
std::pair<Value, Value> rasterTile(ImplicitLocOpBuilder &b, Value linear,
                                   int64_t rows, int64_t cols,
                                   const GemmSchedule &schedule);

} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_GEMMRASTER_H
