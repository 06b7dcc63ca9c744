//===- ScaleLayout.cpp - Where the scale of an element lives --------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "ScaleLayout.h"
#include "IRBuildingBlocks.h"

#include "fp8/Support/CheckedShape.h"
#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

//===----------------------------------------------------------------------===//
// ScaleLayout
//===----------------------------------------------------------------------===//

ScaleLayout ScaleLayout::get(ScalingAttr scaling, ArrayRef<int64_t> shape) {
  ScaleLayout layout;
  layout.scaling = scaling;
  layout.cols = shape.empty() ? 1 : shape.back();
  layout.rowsPerBatch = shape.size() >= 2 ? shape[shape.size() - 2] : 1;
  if (scaling.isTensor())
    return layout;
  auto [groupRows, groupCols] = scaling.getGroupExtent(shape);
  layout.groupRows = groupRows;
  layout.groupCols = groupCols;
  layout.scaleRows = ceilDiv(layout.rowsPerBatch, groupRows);
  layout.scaleCols = ceilDiv(layout.cols, groupCols);
  return layout;
}

Value ScaleLayout::buildIndex(ImplicitLocOpBuilder &b, Value row,
                              Value col) const {
  if (scaling.isTensor())
    return indexConst(b, 0);
  // Group row across batches: batch * scaleRows + (row % R) / groupRows.
  Value groupRow;
  if (rowsPerBatch % groupRows == 0) {
    groupRow = b.create<arith::DivUIOp>(row, indexConst(b, groupRows));
  } else {
    Value batch = b.create<arith::DivUIOp>(row, indexConst(b, rowsPerBatch));
    Value inBatch = b.create<arith::RemUIOp>(row, indexConst(b, rowsPerBatch));
    groupRow = b.create<arith::AddIOp>(
        b.create<arith::MulIOp>(batch, indexConst(b, scaleRows)),
        b.create<arith::DivUIOp>(inBatch, indexConst(b, groupRows)));
  }
  if (scaleCols == 1)
    return groupRow;
  Value groupCol = b.create<arith::DivUIOp>(col, indexConst(b, groupCols));
  return b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(groupRow, indexConst(b, scaleCols)), groupCol);
}

ScaleLayout::GroupOrigin ScaleLayout::buildGroupOrigin(ImplicitLocOpBuilder &b,
                                                      Value group) const {
  // group = (batch * scaleRows + groupRow) * scaleCols + groupCol.
  Value groupCol = b.create<arith::RemUIOp>(group, indexConst(b, scaleCols));
  Value rest = b.create<arith::DivUIOp>(group, indexConst(b, scaleCols));
  Value groupRow = b.create<arith::RemUIOp>(rest, indexConst(b, scaleRows));
  Value batch = b.create<arith::DivUIOp>(rest, indexConst(b, scaleRows));
  GroupOrigin origin;
  origin.rowInBatch =
      b.create<arith::MulIOp>(groupRow, indexConst(b, groupRows));
  origin.row = b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(batch, indexConst(b, rowsPerBatch)),
      origin.rowInBatch);
  origin.col = b.create<arith::MulIOp>(groupCol, indexConst(b, groupCols));
  return origin;
}
