//===- GemmRaster.cpp - The order in which GEMM tiles are visited ---------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "GemmRaster.h"
#include "IRBuildingBlocks.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

std::pair<Value, Value>
gpu_kernels::rasterTile(ImplicitLocOpBuilder &b, Value linear, int64_t rows,
                        int64_t cols, const GemmSchedule &schedule) {
  // A strip of at least all rows is the M-fastest order.
  int64_t group = std::min(schedule.rasterGroup, rows);
  if (schedule.raster == GemmRaster::M || group == rows) {
    Value rowTile = b.create<arith::RemUIOp>(linear, indexConst(b, rows));
    Value colTile = b.create<arith::DivUIOp>(linear, indexConst(b, rows));
    return {rowTile, colTile};
  }
  Value perStrip = indexConst(b, group * cols);
  Value strip = b.create<arith::DivUIOp>(linear, perStrip);
  Value inStrip = b.create<arith::RemUIOp>(linear, perStrip);
  Value firstRow = b.create<arith::MulIOp>(strip, indexConst(b, group));
  // Every strip is `group` rows high when they divide the rows; else the
  // last one holds the rest.
  Value height = indexConst(b, group);
  if (rows % group != 0)
    height = b.create<arith::MinUIOp>(
        b.create<arith::SubIOp>(indexConst(b, rows), firstRow), height);
  Value rowTile = b.create<arith::AddIOp>(
      firstRow, b.create<arith::RemUIOp>(inStrip, height));
  Value colTile = b.create<arith::DivUIOp>(inStrip, height);
  return {rowTile, colTile};
}
