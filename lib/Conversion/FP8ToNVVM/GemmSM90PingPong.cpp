//===- GemmSM90PingPong.cpp - The ping-pong schedule of the sm_90a GEMM ---===//
//
// Part of fp8-mlir. With `gemm-persistent=on gemm-schedule=pingpong` the two
// consumer warpgroups no longer split each tile's rows: each computes whole
// tiles (tileM x tileN, at most 128 accumulator registers a thread), the
// CTA's i-th tile going to consumer i % 2. The producer is the persistent
// one (GemmSM90Persistent.cpp): it loads the CTA's tiles in order, so the
// ring slots of tile i are i * kSteps + kt whichever consumer reads them,
// and each stage has one reader per CTA (empty[s] counts one arrival per
// CTA of the cluster).
//
// Two "order" mbarriers after the ring's make the consumers take turns on
// the tensor cores. Consumer w, before the main loop of its n-th tile
// (the CTA's tile 2n + w), waits on order[w]; once its wgmma's are issued
// it arrives (all 128 threads) on order[1 - w]:
//
//   WG0: wait order[0] | MMA tile 0 | arrive order[1] | epilogue 0 | wait order[0] | MMA tile 2 ...
//   WG1:       wait order[1]         | MMA tile 1     | arrive order[0] | epilogue 1 | wait ...
//
// so WG1's epilogue of tile 1 overlaps WG0's MMAs of tile 2. order[w]
// completes phase n when the other consumer has issued its n-th tile, so
// consumer 0 waits for parity (n + 1) & 1 (its first wait, parity 1, is
// the phase "before" the initial one and returns at once) and consumer 1
// for n & 1: the parity starts at 1 - w and flips every tile. Consumer 1
// has at most as many tiles as consumer 0, and never more than one phase
// of order[w] is pending, so neither waits for a tile that does not come.
//
// Unlike CUTLASS's KernelTmaWarpSpecializedPingpong, the epilogues are not
// ordered too (its OrderedSequenceBarrier has a second stage around the
// epilogue): the direct epilogue stores from the registers and shares
// nothing between the consumers, and each TMA-store buffer belongs to one
// consumer.
//
//===----------------------------------------------------------------------===//

#include "GemmSM90.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;
using namespace mlir::fp8::gpu_kernels::sm90;

/// order[consumer]: completes a phase each time the other consumer has
/// issued the main loop of a tile.
Value GemmEmitter::orderBarrier(Value consumer) {
  const GemmSM90Config &config = shape.config;
  Value first = b.create<arith::AddIOp>(
      barrierBase, indexConst(b, 2 * 8 * config.stages));
  return ring->sharedPointer(b.create<arith::AddIOp>(
      first, b.create<arith::MulIOp>(consumer, indexConst(b, 8))));
}

/// Thread 0, with the ring's barriers: each order barrier completes once
/// every thread of the other consumer has arrived.
void GemmEmitter::emitOrderBarrierInit() {
  for (int64_t w = 0; w < 2; ++w)
    b.create<NVVM::MBarrierInitOp>(orderBarrier(indexConst(b, w)),
                                   i32Const(b, 128), Value());
}

/// Consumer warpgroup `consumer` (0 or 1): the main loop and epilogue of
/// the CTA's tiles consumer, consumer + 2, ..., each main loop in its turn.
/// Returns the thread's amax bits over all of them.
Value GemmEmitter::emitPingPongConsumer(Value consumerThread,
                                        Value consumer) {
  OpBuilder::InsertionGuard guard(b);
  int64_t kSteps = shape.kSteps();
  Value firstSlot = b.create<arith::MulIOp>(consumer, indexConst(b, kSteps));
  Value firstParity = b.create<arith::IndexCastOp>(
      b.getI32Type(), b.create<arith::SubIOp>(indexConst(b, 1), consumer));
  Value other = b.create<arith::SubIOp>(indexConst(b, 1), consumer);
  scf::ForOp loop =
      emitTileLoop(ValueRange{firstSlot, firstParity, i32Const(b, 0)},
                   consumer, /*interleave=*/2);
  setPersistentTile(loop.getInductionVar());
  slotBase = loop.getRegionIterArgs()[0];
  Value parity = loop.getRegionIterArgs()[1];
  MmaTurn turn{orderBarrier(consumer), parity, orderBarrier(other)};
  Value amax =
      b.create<arith::MaxUIOp>(loop.getRegionIterArgs()[2],
                               emitConsumer(consumerThread, consumer, turn));
  b.create<scf::YieldOp>(ValueRange{
      b.create<arith::AddIOp>(slotBase, indexConst(b, 2 * kSteps)),
      b.create<arith::XOrIOp>(parity, i32Const(b, 1)), amax});
  slotBase = Value();
  b.setInsertionPointAfter(loop);
  if (shape.config.tmaStore)
    emitStoreDrain(consumerThread);
  return loop.getResult(2);
}
