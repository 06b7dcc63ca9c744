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
// "Order" mbarriers after the ring's make the consumers take turns, as the
// OrderedSequenceBarrier of CUTLASS's KernelTmaWarpSpecializedPingpong
// does: a sequence of two stages (the main loop, the epilogue) over two
// groups (the consumers). Stage x has a barrier per consumer, order[x][w]
// (count 128: every thread of the other consumer arrives). Consumer w,
// for each of its tiles (the CTA's tiles w, w + 2, ...):
//
//   wait order[0][w]; main loop (wgmma's issued); arrive order[0][1 - w]
//   wgmma.wait_group 0; release the last stage
//   wait order[1][w]; epilogue (stores of D);      arrive order[1][1 - w]
//
//   WG0: MMA 0 | epilogue 0 |          | MMA 2 | epilogue 2 |
//   WG1:       | MMA 1      | epilogue 1 |       | MMA 3     | ...
//
// so the epilogue of one consumer overlaps the MMAs of the other, the two
// never store at the same time, and neither issues wgmma's while the other
// does. order[x][w] completes phase n when the other consumer has passed
// stage x of its n-th tile, so consumer 0 waits for parity (n + 1) & 1
// (its first waits, parity 1, are the phase "before" the initial one and
// return at once) and consumer 1 for n & 1: one parity, starting at 1 - w
// and flipping every tile, serves both stages. Consumer 1 has at most as
// many tiles as consumer 0, and never more than one phase of a barrier is
// pending (a consumer arrives on order[x][1 - w] again only after it has
// waited on order[x][w], which needs the other's arrival of the tile in
// between), so neither waits for a tile that does not come.
//
// With `gemm-pingpong-order=mma` only stage 0 exists (two barriers): the
// epilogues are not ordered and may overlap each other, which the direct
// epilogue allows (it shares nothing between the consumers, and each
// TMA-store buffer belongs to one consumer); kept to measure against.
//
//===----------------------------------------------------------------------===//

#include "GemmSM90.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;
using namespace mlir::fp8::gpu_kernels::sm90;

/// order[stage][consumer] (stage 0: the main loop, 1: the epilogue):
/// completes a phase each time the other consumer has passed that stage of
/// a tile.
Value GemmEmitter::orderBarrier(int64_t stage, Value consumer) {
  const GemmSM90Config &config = shape.config;
  Value first = b.create<arith::AddIOp>(
      barrierBase, indexConst(b, 2 * 8 * config.stages + 2 * 8 * stage));
  return ring->sharedPointer(b.create<arith::AddIOp>(
      first, b.create<arith::MulIOp>(consumer, indexConst(b, 8))));
}

/// Thread 0, with the ring's barriers: each order barrier completes once
/// every thread of the other consumer has arrived.
void GemmEmitter::emitOrderBarrierInit() {
  int64_t stages = shape.config.orderedEpilogues ? 2 : 1;
  for (int64_t stage = 0; stage < stages; ++stage)
    for (int64_t w = 0; w < 2; ++w)
      b.create<NVVM::MBarrierInitOp>(orderBarrier(stage, indexConst(b, w)),
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
  MmaTurn turn{orderBarrier(0, consumer), parity, orderBarrier(0, other)};
  // The epilogue's turn, taken and passed by emitEpilogue.
  if (shape.config.orderedEpilogues)
    epilogueTurn =
        MmaTurn{orderBarrier(1, consumer), parity, orderBarrier(1, other)};
  Value amax =
      b.create<arith::MaxUIOp>(loop.getRegionIterArgs()[2],
                               emitConsumer(consumerThread, consumer, turn));
  epilogueTurn.reset();
  b.create<scf::YieldOp>(ValueRange{
      b.create<arith::AddIOp>(slotBase, indexConst(b, 2 * kSteps)),
      b.create<arith::XOrIOp>(parity, i32Const(b, 1)), amax});
  slotBase = Value();
  b.setInsertionPointAfter(loop);
  if (shape.config.tmaStore)
    emitStoreDrain(consumerThread);
  return loop.getResult(2);
}
