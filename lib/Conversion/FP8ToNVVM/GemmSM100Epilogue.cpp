//===- GemmSM100Epilogue.cpp - The epilogue of the sm_100a GEMM -----------===//
//
// Part of fp8-mlir. From the accumulator in tensor memory to D: warp w
// reads lanes 32w..32w+31 (thread t holds tile row t) with tcgen05.ld,
// applies the tensor or rowwise scales, the bias and the output cast, and
// stores row-contiguous vectors; optional amax with redux.sync.
//
//===----------------------------------------------------------------------===//

#include "GemmEpilogue.h"
#include "GemmSM100.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;
using namespace mlir::fp8::gpu_kernels::sm100;

/// Scales, biases, casts and stores `values` = D[row, col + i]; folds |D|
/// into `amax` (the bit pattern, see absBits) when the kernel reports it.
Value GemmEmitter::emitOutputs(ArrayRef<Value> values, Value row, Value col,
                               Value amax) {
  int64_t width = values.size();
  SmallVector<Value> d;
  for (int64_t i = 0; i < width; ++i) {
    Value v = values[i];
    Value colIndex;
    auto column = [&]() {
      if (!colIndex)
        colIndex = b.create<arith::MinUIOp>(
            b.create<arith::AddIOp>(col, indexConst(b, i)),
            indexConst(b, shape.n - 1));
      return colIndex;
    };
    // B's rowwise scales of this CTA's GEMM.
    auto columnScale = [&]() {
      return b.create<arith::AddIOp>(bRowBase, column()).getResult();
    };
    if (scaleProduct)
      v = b.create<arith::MulFOp>(v, scaleProduct);
    else if (rowScale)
      v = b.create<arith::MulFOp>(
          v, b.create<arith::MulFOp>(
                 rowScale, loadScaleAsF32(b, args.bScale, columnScale())));
    if (args.bias)
      v = b.create<arith::AddFOp>(
          v, extendToF32(b, b.create<memref::LoadOp>(args.bias,
                                                     ValueRange{column()})));
    if (args.amax)
      amax = b.create<arith::MaxUIOp>(amax, absBits(b, v));
    d.push_back(v);
  }

  Value packed = convertToOutputType(b, d, shape.outType, outScale);
  Value offset = b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(b.create<arith::AddIOp>(aRowBase, row),
                              indexConst(b, shape.n)),
      col);
  storeAligned(b, packed, args.out, offset);
  return amax;
}

/// The epilogue of the kernel: one tile, then the CTA's amax.
void GemmEmitter::emitEpilogue() {
  Value amax = emitTileEpilogue(i32Const(b, 0), [] {});
  if (args.amax)
    atomicMaxAbsOverBlockRedux(
        b, b.create<arith::BitcastOp>(b.getF32Type(), amax), args.partials,
        shape.config.kNumThreads / 32, args.amax);
}

/// Warp w reads accumulator lanes 32 * laneQuarter.. + 31, its thread holds
/// tile row epilogueRow: `tcgen05.ld .32x32b.x16` gives each thread 16
/// consecutive columns of its row, stored as row-contiguous vectors. Up to
/// kLoadsPerWait loads are issued before one `tcgen05.wait::ld`, so their
/// latencies overlap; `afterLoads` runs after the last wait (the
/// accumulator is then free). Returns `amax` with |D| of this thread's
/// values folded in.
Value GemmEmitter::emitTileEpilogue(Value amax,
                                    llvm::function_ref<void()> afterLoads) {
  const GemmSM100Config &config = shape.config;
  Value row = b.create<arith::AddIOp>(tileRow, epilogueRow);
  Value laneBase = b.create<arith::IndexCastOp>(
      b.getI32Type(), b.create<arith::MulIOp>(laneQuarter, indexConst(b, 32)));

  if (!shape.blockScaled()) {
    rowScale = shape.aRowwise
                   ? loadScaleAsF32(
                         b, args.aScale,
                         b.create<arith::AddIOp>(
                             aRowBase,
                             b.create<arith::MinUIOp>(
                                 row, buildLastRow(b, shape, args.rows))))
                   : loadScaleAsF32(b, args.aScale, indexConst(b, 0));
    if (!shape.bRowwise)
      scaleProduct = b.create<arith::MulFOp>(
          rowScale, loadScaleAsF32(b, args.bScale, indexConst(b, 0)));
  }
  // NVFP4: the tensor core applied the E4M3 block scales; the per-tensor
  // scales multiply D here (alpha = a_global * b_global).
  if (shape.nvfp4())
    scaleProduct = b.create<arith::MulFOp>(
        loadScaleAsF32(b, args.aGlobal, indexConst(b, 0)),
        loadScaleAsF32(b, args.bGlobal, indexConst(b, 0)));
  if (args.outScale)
    outScale = loadScaleAsF32(b, args.outScale, indexConst(b, 0));

  int64_t outBytes = shape.outType.getIntOrFloatBitWidth() / 8;
  int64_t columns = shape.loadColumns();
  int64_t width = chooseVectorWidth(outBytes, {shape.n, columns});
  bool raggedM = shape.raggedM();
  bool raggedN = shape.n % config.tileN != 0;
  Value rowInside;
  if (raggedM)
    rowInside = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, row,
                                        buildRowCount(b, shape, args.rows));

  auto loadType = VectorType::get({columns}, b.getI32Type());
  SmallVector<Value> loaded;
  // The loads of kLoadsPerWait column blocks are in flight together; one
  // tcgen05.wait::ld covers them.
  int64_t batch = columns * GemmSM100Config::kLoadsPerWait;
  for (int64_t c0 = 0; c0 < config.tileN; c0 += columns) {
    if (c0 % batch == 0) {
      loaded.clear();
      for (int64_t c = c0; c < std::min(c0 + batch, config.tileN);
           c += columns)
        loaded.push_back(b.create<NVVM::Tcgen05LdOp>(
            loadType, /*pack=*/false, NVVM::Tcgen05LdStShape::SHAPE_32X32B,
            tensorMemory(accumulatorBase, laneBase, c), Value()));
      b.create<NVVM::Tcgen05WaitOp>(NVVM::Tcgen05WaitKind::LOAD);
      if (c0 + batch >= config.tileN)
        afterLoads();
    }
    Value values = b.create<vector::BitCastOp>(
        VectorType::get({columns}, b.getF32Type()),
        loaded[(c0 % batch) / columns]);
    for (int64_t p = 0; p < columns; p += width) {
      SmallVector<Value> piece;
      for (int64_t i = 0; i < width; ++i)
        piece.push_back(b.create<vector::ExtractOp>(values, p + i));
      Value col = b.create<arith::AddIOp>(tileCol, indexConst(b, c0 + p));
      Value inside = rowInside;
      if (raggedN)
        inside = conjoin(b, inside,
                         b.create<arith::CmpIOp>(arith::CmpIPredicate::ult,
                                                 col, indexConst(b, shape.n)));
      amax = emitIfInBounds(b, inside, amax, [&](Value amaxSoFar) {
        return emitOutputs(piece, row, col, amaxSoFar);
      });
    }
  }
  return amax;
}
