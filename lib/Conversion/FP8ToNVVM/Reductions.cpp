//===- Reductions.cpp - Warp and CTA max reductions -----------------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "Reductions.h"
#include "IRBuildingBlocks.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/bit.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

//===----------------------------------------------------------------------===//
// Integer max reductions
//===----------------------------------------------------------------------===//

Value gpu_kernels::absBits(ImplicitLocOpBuilder &b, Value f32Value) {
  Value bits = b.create<arith::BitcastOp>(b.getI32Type(), f32Value);
  return b.create<arith::AndIOp>(bits, i32Const(b, 0x7fffffff));
}

Value gpu_kernels::warpMaxU32(ImplicitLocOpBuilder &b, Value value,
                              int64_t lanes) {
  Value width = i32Const(b, 32);
  for (int64_t offset = lanes / 2; offset >= 1; offset /= 2) {
    auto shuffle = b.create<gpu::ShuffleOp>(value, i32Const(b, offset), width,
                                            gpu::ShuffleMode::XOR);
    value = b.create<arith::MaxUIOp>(value, shuffle.getShuffleResult());
  }
  return value;
}

void gpu_kernels::atomicMaxBits(ImplicitLocOpBuilder &b, Value buffer,
                                Value index, Value bits) {
  // memref.atomic_rmw has no unsigned max on an f32 buffer: address the
  // element and use the LLVM atomic directly.
  Value base = b.create<memref::ExtractAlignedPointerAsIndexOp>(buffer);
  Value address = b.create<arith::AddIOp>(
      base, b.create<arith::MulIOp>(index, indexConst(b, 4)));
  Value address64 = b.create<arith::IndexCastOp>(b.getI64Type(), address);
  Value pointer = b.create<LLVM::IntToPtrOp>(
      LLVM::LLVMPointerType::get(b.getContext()), address64);
  b.create<LLVM::AtomicRMWOp>(LLVM::AtomicBinOp::umax, pointer, bits,
                              LLVM::AtomicOrdering::monotonic);
}

WarpLane gpu_kernels::storeWarpPartials(ImplicitLocOpBuilder &b,
                                        Value warpValue, Value partials) {
  Value thread = b.create<gpu::ThreadIdOp>(gpu::Dimension::x);
  WarpLane self;
  self.lane = b.create<arith::RemUIOp>(thread, indexConst(b, 32));
  self.warp = b.create<arith::DivUIOp>(thread, indexConst(b, 32));
  self.isLane0 = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, self.lane,
                                         indexConst(b, 0));
  {
    auto ifLane0 = b.create<scf::IfOp>(self.isLane0, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&ifLane0.getThenRegion().front());
    b.create<memref::StoreOp>(warpValue, partials, ValueRange{self.warp});
  }
  b.create<gpu::BarrierOp>();
  return self;
}

/// The exchange step of the CTA reductions: storeWarpPartials, then `b`
/// moves into an `scf.if` that only warp 0 enters (the caller restores the
/// insertion point with an InsertionGuard).
static WarpLane storePartialsAndEnterWarp0(ImplicitLocOpBuilder &b,
                                           Value warpValue, Value partials) {
  WarpLane self = storeWarpPartials(b, warpValue, partials);
  Value isWarp0 = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, self.warp,
                                          indexConst(b, 0));
  auto ifWarp0 = b.create<scf::IfOp>(isWarp0, /*withElseRegion=*/false);
  b.setInsertionPointToStart(&ifWarp0.getThenRegion().front());
  return self;
}

void gpu_kernels::atomicMaxOverBlock(ImplicitLocOpBuilder &b, Value bits,
                                     Value partials, int64_t numWarps,
                                     Value output) {
  Value warpMax = warpMaxU32(b, bits, 32);

  // One partial per warp in shared memory, reduced by warp 0.
  OpBuilder::InsertionGuard guard(b);
  WarpLane thread = storePartialsAndEnterWarp0(b, warpMax, partials);
  Value holdsPartial = b.create<arith::CmpIOp>(
      arith::CmpIPredicate::ult, thread.lane, indexConst(b, numWarps));
  auto readPartial = b.create<scf::IfOp>(
      holdsPartial,
      [&](OpBuilder &nested, Location loc) {
        Value partial = memref::LoadOp::create(nested, loc, partials,
                                               ValueRange{thread.lane});
        scf::YieldOp::create(nested, loc, partial);
      },
      [&](OpBuilder &nested, Location loc) {
        Value zero =
            arith::ConstantIntOp::create(nested, loc, nested.getI32Type(), 0);
        scf::YieldOp::create(nested, loc, zero);
      });
  Value blockMax = warpMaxU32(b, readPartial.getResult(0),
                              static_cast<int64_t>(llvm::bit_ceil(
                                  static_cast<uint64_t>(numWarps))));
  auto ifThread0 =
      b.create<scf::IfOp>(thread.isLane0, /*withElseRegion=*/false);
  b.setInsertionPointToStart(&ifThread0.getThenRegion().front());
  atomicMaxBits(b, output, indexConst(b, 0), blockMax);
}
//===----------------------------------------------------------------------===//
// Float redux.sync building blocks
//===----------------------------------------------------------------------===//

Value gpu_kernels::warpMaxAbsRedux(ImplicitLocOpBuilder &b, Value f32Value) {
  return b.create<NVVM::ReduxOp>(f32Value.getType(), f32Value,
                                 NVVM::ReduxKind::FMAX,
                                 /*mask_and_clamp=*/i32Const(b, -1),
                                 /*abs=*/true, /*nan=*/true);
}

void gpu_kernels::atomicMaxAbsOverBlockRedux(ImplicitLocOpBuilder &b,
                                             Value f32Value, Value partials,
                                             int64_t numWarps, Value output) {
  Value warpMax = warpMaxAbsRedux(b, f32Value);

  OpBuilder::InsertionGuard guard(b);
  WarpLane thread = storePartialsAndEnterWarp0(b, warpMax, partials);
  // Lanes past the last warp contribute 0, which never wins a max of |x|.
  Value holdsPartial = b.create<arith::CmpIOp>(
      arith::CmpIPredicate::ult, thread.lane, indexConst(b, numWarps));
  Value clampedLane =
      b.create<arith::MinUIOp>(thread.lane, indexConst(b, numWarps - 1));
  Value partial = b.create<memref::LoadOp>(partials, ValueRange{clampedLane});
  partial = b.create<arith::SelectOp>(holdsPartial, partial, f32Const(b, 0.0));
  Value blockMax = warpMaxAbsRedux(b, partial);
  auto ifThread0 =
      b.create<scf::IfOp>(thread.isLane0, /*withElseRegion=*/false);
  b.setInsertionPointToStart(&ifThread0.getThenRegion().front());
  atomicMaxBits(b, output, indexConst(b, 0), absBits(b, blockMax));
}
