//===- GemmSM90Scales.cpp - Scales of the sm_90a GEMM fragments -----------===//
//
// Part of fp8-mlir. Which scale each accumulator register of a consumer
// thread needs, loaded once per scale group rather than once per register.
//
// A thread holds 2 rows per m64 block (r = 2 * mh + h at row offset
// 64 * mh + 8 * h) and 2 columns per 8-column block (c = 2 * j + e at
// column offset 8 * j + e), see Fragment. A's scale groups span
// `groupRows` rows, B's span `groupRows` rows of B, i.e. columns of D:
//
//   A rows                                   loads
//   tensor, or groupRows % tileM == 0        1 (at the tile's first row)
//   groupRows % rows of the consumer == 0    1 (at the consumer's first row)
//   otherwise (rowwise, [1, 128], ...)       one per fragment row
//
//   B columns                                loads
//   tensor, or groupRows % tileN == 0        1 (at the tile's first column)
//   groupRows % 8 == 0, tileN % groupRows==0 tileN / groupRows
//   groupRows % 8 == 0, tile in two groups   2, selected per 8 columns
//   groupRows % 8 == 0                       one per 8-column block
//   otherwise (rowwise, MX [1, 32], ...)     one per fragment column
//
// In a ragged tile, rows and columns beyond D still compute (on TMA zero
// fill) but are never stored, so any scale will do for them: the flat
// scale index is clamped to the last scale. Clamping the index rather than
// the row or column keeps it affine in the thread's base, so LLVM keeps one
// hoisted base per thread instead of one clamped index per column.
//
// With gemm-scale-load=tma, A's scales (and MX B's) come from the stage's
// scale boxes in shared memory instead (emitStageRowScales,
// stageColScale): no clamp, no global load.
//
//===----------------------------------------------------------------------===//

#include "GemmSM90.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <numeric>

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;
using namespace mlir::fp8::gpu_kernels::sm90;

/// `index` moved to the scales of GEMM `batch` of a batched op (null:
/// not batched); tensor scales are shared by all of them.
static Value inBatch(ImplicitLocOpBuilder &b, const ScaleLayout &layout,
                     Value batch, Value index) {
  if (!batch || layout.scaling.isTensor())
    return index;
  return b.create<arith::AddIOp>(
      index, b.create<arith::MulIOp>(
                 batch, indexConst(b, layout.scaleRows * layout.scaleCols)));
}

/// Loads the scale at flat `index` of an operand whose tile is `ragged`
/// (rows or columns beyond the matrix then clamp to the last scale; with
/// batch dims they may read the next GEMM's scales, equally unused).
static Value loadScaleAt(ImplicitLocOpBuilder &b, Value scales, Value index,
                         bool ragged, Value last = Value()) {
  if (ragged)
    index = b.create<arith::MinUIOp>(
        index,
        last ? last
             : indexConst(
                   b, cast<MemRefType>(scales.getType()).getNumElements() - 1));
  return loadScaleAsF32(b, scales, index);
}

/// The flat scale index of row `base + offset` at K index `k`. With one row
/// per group (rowwise-like scales: [1, 128], MX [1, 32]) it is the index of
/// `base` (built once per `k`, cached in `baseIndex`) plus `offset` rows of
/// scales, so the per-row indices differ by constants.
static Value rowIndex(ImplicitLocOpBuilder &b, const ScaleLayout &layout,
                      Value base, int64_t offset, Value k,
                      DenseMap<Value, Value> &baseIndex) {
  if (layout.groupRows != 1)
    return layout.buildIndex(
        b, b.create<arith::AddIOp>(base, indexConst(b, offset)), k);
  Value &start = baseIndex[k];
  if (!start)
    start = layout.buildIndex(b, base, k);
  if (offset == 0)
    return start;
  return b.create<arith::AddIOp>(start,
                                 indexConst(b, offset * layout.scaleCols));
}

Value FragmentScales::rowScale(Value aScale, int64_t r, Value k) {
  const ScaleLayout &layout = shape.aScales.layout;
  const GemmSM90Config &config = shape.config;
  int64_t key;
  Value base;
  int64_t offset = 0;
  if (layout.scaling.isTensor() || layout.groupRows % config.tileM == 0) {
    key = -1;
    base = fragment.tileRow;
  } else if (layout.groupRows % config.consumerRows() == 0) {
    key = -2;
    base = fragment.consumerRow;
  } else {
    key = r;
    base = fragment.rowBase;
    offset = 64 * (r / 2) + 8 * (r % 2);
  }
  Value &scale = rows[{key, k}];
  if (!scale) {
    // With a runtime M, rows past M clamp to the last of the M rows of
    // scales.
    Value last;
    if (fragment.rows && !layout.scaling.isTensor())
      last = b.create<arith::SubIOp>(
          b.create<arith::MulIOp>(fragment.rows,
                                  indexConst(b, layout.scaleCols)),
          indexConst(b, 1));
    scale = loadScaleAt(
        b, aScale,
        inBatch(b, layout, fragment.batch,
                rowIndex(b, layout, base, offset, k, rowBaseIndex)),
        !layout.scaling.isTensor() && shape.raggedM(), last);
  }
  return scale;
}

/// Whether every `tileN`-wide tile (starting at a multiple of `tileN`)
/// lies in at most two `group`-wide groups of columns, though `tileN` is
/// wider than and not a multiple of `group`: the wide tiles of block-scaled
/// B (128x160, 128x192 with [128, 128] groups). A tile starts at most
/// group - gcd(tileN, group) columns into a group.
static bool spansTwoGroups(int64_t tileN, int64_t group) {
  return tileN > group && tileN % group != 0 &&
         tileN + group - std::gcd(tileN, group) <= 2 * group;
}

/// B's scale for the 8-column block `j` of a tile spanning two groups of B
/// (spansTwoGroups): the tile's first group's scale while 8 * j lies before
/// the next group, else the next group's, as DeepGEMM selects between its
/// two B scales. Both are loaded once per K index; the selects are the
/// same for every K (LLVM hoists the comparisons).
Value FragmentScales::twoGroupColScale(Value bScale, int64_t j, Value k) {
  const ScaleLayout &layout = shape.bScales.layout;
  Value &scale = cols[{j, k}];
  if (scale)
    return scale;
  auto &[first, second] = twoGroups[k];
  if (!first) {
    Value index = inBatch(b, layout, fragment.batch,
                          layout.buildIndex(b, fragment.tileCol, k));
    first = loadScaleAt(b, bScale, index, shape.n % shape.config.tileN != 0);
    // The next group always lies in the scales unless the tile is ragged.
    second = loadScaleAt(
        b, bScale,
        b.create<arith::AddIOp>(index, indexConst(b, layout.scaleCols)),
        /*ragged=*/true);
  }
  // Columns of the tile before the next group: group - tileCol % group.
  int64_t group = layout.groupRows;
  Value before = b.create<arith::SubIOp>(
      indexConst(b, group),
      b.create<arith::RemUIOp>(fragment.tileCol, indexConst(b, group)));
  Value inFirst = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult,
                                          indexConst(b, 8 * j), before);
  scale = b.create<arith::SelectOp>(inFirst, first, second);
  return scale;
}

Value FragmentScales::colScale(Value bScale, int64_t c, Value k) {
  const ScaleLayout &layout = shape.bScales.layout;
  int64_t tileN = shape.config.tileN;
  int64_t group = layout.groupRows;
  int64_t j = c / 2, e = c % 2;
  int64_t key;
  Value base;
  int64_t offset;
  if (layout.scaling.isTensor() || group % tileN == 0) {
    key = -1;
    base = fragment.tileCol;
    offset = 0;
  } else if (group % 8 == 0 && tileN % group == 0) {
    key = 8 * j / group;
    base = fragment.tileCol;
    offset = key * group;
  } else if (group % 8 == 0 && spansTwoGroups(tileN, group)) {
    return twoGroupColScale(bScale, j, k);
  } else if (group % 8 == 0) {
    key = j;
    base = fragment.tileCol;
    offset = 8 * j;
  } else {
    key = c;
    base = fragment.colBase;
    offset = 8 * j + e;
  }
  Value &scale = cols[{key, k}];
  if (!scale)
    scale = loadScaleAt(
        b, bScale,
        inBatch(b, layout, fragment.batch,
                rowIndex(b, layout, base, offset, k, colBaseIndex)),
        !layout.scaling.isTensor() && shape.n % tileN != 0);
  return scale;
}

/// gemm-scale-load=tma: the scale box of the K group at `kIndex` (A's
/// tileM x 16 bytes, or B's tileN x 16 after it) in the group's stage,
/// viewed as `rows * 16 / scaleBytes` scales of `type`, and the index of
/// the group's scale in its first row: row t's group g of the step lies at
/// 16 t / scaleBytes + g (the step's groups are the row's first bytes).
std::pair<Value, Value> GemmEmitter::stageScaleBox(Value kIndex, bool ofB,
                                                   Type type,
                                                   int64_t scaleBytes) {
  const GemmSM90Config &config = shape.config;
  Value tileK = indexConst(b, config.tileK);
  Value kStep = b.create<arith::DivUIOp>(kIndex, tileK);
  Value group = b.create<arith::DivUIOp>(
      b.create<arith::RemUIOp>(kIndex, tileK), indexConst(b, shape.kGroup));
  int64_t rows = ofB ? config.tileN : config.tileM;
  auto boxType = MemRefType::get(
      {rows * GemmSM90Config::kScaleBoxBytes / scaleBytes}, type,
      MemRefLayoutAttrInterface(),
      gpu::AddressSpaceAttr::get(b.getContext(),
                                 gpu::AddressSpace::Workgroup));
  Value stage = ring->stageOf(slotOf(kStep));
  Value box = b.create<memref::ViewOp>(
      boxType, sharedBytes,
      ofB ? bScaleBoxOffset(stage) : scaleBoxOffset(stage), ValueRange{});
  return {box, group};
}

/// gemm-scale-load=tma: A's scales of the K group at `kIndex` for every
/// fragment row, read from the scale box of the group's stage (the
/// producer's TMA wrote it with the operand tiles; the consumer has waited
/// for full[s] and not yet released the stage). Row `t` of the tile owns
/// bytes 16 t .. 16 t + 15 of the box, whose first bytes are the step's
/// groups: group g of the step at byte g * scaleBytes. Rows past M (or
/// past a GEMM of a batch) are TMA zero fill or the next GEMM's scales,
/// only ever multiplying rows of D that are not stored.
SmallVector<Value> GemmEmitter::emitStageRowScales(const Fragment &fragment,
                                                   Value kIndex) {
  auto [box, group] =
      stageScaleBox(kIndex, /*ofB=*/false, shape.aScaleType, shape.aScaleBytes);
  int64_t perRow = GemmSM90Config::kScaleBoxBytes / shape.aScaleBytes;
  Value rowInTile = b.create<arith::SubIOp>(fragment.rowBase, fragment.tileRow);
  Value first = b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(rowInTile, indexConst(b, perRow)), group);
  SmallVector<Value> scales;
  for (int64_t r = 0; r < 2 * shape.mmaRows(); ++r) {
    int64_t offset = 64 * (r / 2) + 8 * (r % 2);
    scales.push_back(loadScaleAsF32(
        b, box,
        b.create<arith::AddIOp>(first, indexConst(b, offset * perRow))));
  }
  return scales;
}

/// gemm-scale-load=tma with per-column scales of B (MX): B's box of the K
/// group at `kIndex` and the index of the thread's first column's scale in
/// it (stageColScale reads column c at first use). Columns past N are TMA
/// zero fill or the next GEMM's scales, only ever multiplying columns of D
/// that are not stored.
void GemmEmitter::emitStageColScaleBase(const Fragment &fragment, Value kIndex,
                                        PromotionScales &scales) {
  auto [box, group] =
      stageScaleBox(kIndex, /*ofB=*/true, shape.bScaleType, shape.bScaleBytes);
  int64_t perRow = GemmSM90Config::kScaleBoxBytes / shape.bScaleBytes;
  Value colInTile = b.create<arith::SubIOp>(fragment.colBase, fragment.tileCol);
  scales.bBox = box;
  scales.bBoxFirst = b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(colInTile, indexConst(b, perRow)), group);
}

/// B's scale of fragment column `c` (column 8 (c / 2) + c % 2 after the
/// thread's first) from the stage's box (emitStageColScaleBase).
Value GemmEmitter::stageColScale(const PromotionScales &scales, int64_t c) {
  int64_t perRow = GemmSM90Config::kScaleBoxBytes / shape.bScaleBytes;
  int64_t offset = 8 * (c / 2) + c % 2;
  return loadScaleAsF32(
      b, scales.bBox,
      b.create<arith::AddIOp>(scales.bBoxFirst,
                              indexConst(b, offset * perRow)));
}
