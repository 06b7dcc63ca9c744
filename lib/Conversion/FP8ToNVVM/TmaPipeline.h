//===- TmaPipeline.h - The TMA / mbarrier ring of the GEMMs -----*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM. Both GEMMs
// (GemmSM90*.cpp, GemmSM100*.cpp) stream K through a ring of `stages`
// shared-memory stages: a producer fills a stage with TMA loads, consumers
// (wgmma, tcgen05.mma) read it and hand it back. Two mbarriers per stage
// keep them in step:
//
//   full[s]   completes when the TMA bytes of the stage have landed (the
//             producer announces them with arrive.expect_tx; the TMA
//             loads complete the transaction)
//   empty[s]  completes when every consumer released the stage
//
// Uses of the ring are numbered by their slot: slot i (the K step, counted
// across the tiles of a persistent kernel) uses stage i % stages in round
// i / stages. Each round completes one phase of the stage's barriers, so
// the parity of the round is the phase a wait names:
//
//   producer: producerAcquire(stage, slot)   wait empty[s], parity ^ 1
//             producerExpectTx(stage, bytes) arrive.expect_tx full[s]
//             loadTile(...)                  TMA, complete_tx on full[s]
//   consumer: consumerWait(stage, slot)      wait full[s], parity
//             ... MMAs read the stage ...
//             consumerRelease(stage)         arrive empty[s] (with
//                                            consumerReleasePeer, also the
//                                            peer CTA's), or
//             consumerReleaseAfterMmas       tcgen05.commit -> empty[s]
//
// The first round of the producer waits for parity 1, the phase "before"
// the initial one, which counts as complete: the wait returns at once.
// A producer that refills a stage right after its consumer released it
// can instead wait for that release (producerWaitReleased).
//
// The barriers are 2 * stages mbarriers of 8 bytes, full[0..stages) then
// empty[0..stages), at a byte offset in the dynamic shared memory.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_TMAPIPELINE_H
#define FP8_LIB_CONVERSION_FP8TONVVM_TMAPIPELINE_H

#include "fp8/Conversion/GPUOptions.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <cstdint>

namespace mlir::fp8::gpu_kernels {

/// The dynamic shared memory of a GEMM kernel, whose ring must start on a
/// 1024-byte boundary (the 128-byte swizzle pattern repeats every 1024
/// bytes and the MMA descriptors assume it starts at one), while the
/// dynamic shared memory itself is only 16-byte aligned.
struct DynamicSharedMemory {
  /// The whole dynamic shared memory, as an i8 memref in the workgroup
  /// space.
  Value bytes;
  /// Its address (index).
  Value base;
  /// Bytes from `base` to the next 1024-byte boundary (index).
  Value padding;
};

/// The dynamic shared memory of the kernel and the padding that aligns it
/// to 1024 bytes.
DynamicSharedMemory getDynamicSharedMemory(ImplicitLocOpBuilder &b);

/// Waits on `barrier` (a shared-memory pointer) until phase `parity` (i32)
/// completes: a loop over `mbarrier.try_wait.parity`, with a suspend-time
/// hint (`Suspend`, NVVM's op) or without one (`Spin`, inline PTX: the
/// NVVM op requires the hint).
void waitForPhase(ImplicitLocOpBuilder &b, Value barrier, Value parity,
                  GemmWaitHint hint);

/// Where a TMA load writes: the issuing CTA's shared memory
/// (`.shared::cta`), or a shared::cluster address, which a multicast
/// repeats in every CTA of its mask.
enum class TmaDestination { ThisCta, Cluster };

/// The ring of TMA-filled stages and its full / empty mbarriers (see the
/// file comment). Addresses are byte offsets (index) from `sharedBase`.
class TmaPipeline {
public:
  /// A ring of `stages` stages of `stageBytes` bytes from `ringOffset`,
  /// and its barriers at `barrierOffset` (known at run time only); both
  /// offsets from `sharedBase` (an address, index). Every wait of the ring
  /// waits as `waitHint` says.
  TmaPipeline(ImplicitLocOpBuilder &b, Value sharedBase, int64_t stages,
              Value ringOffset, int64_t stageBytes, Value barrierOffset,
              GemmWaitHint waitHint)
      : b(b), sharedBase(sharedBase), stages(stages), ringOffset(ringOffset),
        stageBytes(stageBytes), waitHint(waitHint), fullOffset(barrierOffset) {
  }
  /// The same with the barriers at a compile-time `barrierOffset`: the
  /// offset of full[s] and of empty[s] is then one constant plus 8 * s.
  TmaPipeline(ImplicitLocOpBuilder &b, Value sharedBase, int64_t stages,
              Value ringOffset, int64_t stageBytes, int64_t barrierOffset,
              GemmWaitHint waitHint);

  //===--------------------------------------------------------------------===//
  // Slots, stages and phases
  //===--------------------------------------------------------------------===//

  /// The stage of ring slot `slot` (index): `slot % stages`.
  Value stageOf(Value slot);
  /// The phase parity (i32 0 or 1) that the use of its stage by `slot`
  /// completes: `(slot / stages) & 1`.
  Value phaseOf(Value slot);

  //===--------------------------------------------------------------------===//
  // Addresses
  //===--------------------------------------------------------------------===//

  /// The shared address (i64) `offset` bytes from the base.
  Value sharedAddress(Value offset);
  /// The shared-memory pointer (`!llvm.ptr<3>`) `offset` bytes from the
  /// base.
  Value sharedPointer(Value offset);
  /// The byte offset of `stage` (index) in the ring.
  Value stageOffset(Value stage);
  /// full[stage]: completes when the TMA bytes of the stage have landed.
  Value fullBarrier(Value stage);
  /// empty[stage]: completes when every consumer released the stage.
  Value emptyBarrier(Value stage);

  //===--------------------------------------------------------------------===//
  // Barrier initialization (one thread, before any use)
  //===--------------------------------------------------------------------===//

  /// Initializes full[stage] to complete after `arrivals` arrivals (and
  /// the announced bytes).
  void initFullBarrier(int64_t stage, int64_t arrivals);
  /// Initializes empty[stage] to complete after `arrivals` releases.
  void initEmptyBarrier(int64_t stage, int64_t arrivals);
  /// Makes the initialized barriers visible to the async proxy (TMA,
  /// tcgen05.commit) and to the other CTAs of the cluster.
  void fenceBarrierInit();

  //===--------------------------------------------------------------------===//
  // Producer
  //===--------------------------------------------------------------------===//

  /// Waits until `stage` is free for ring slot `slot`: the consumers
  /// released its previous use (slot - stages). The first round returns at
  /// once.
  void producerAcquire(Value stage, Value slot);
  /// Waits until the consumers released the use of `stage` by ring slot
  /// `releasedSlot` (an earlier, existing use).
  void producerWaitReleased(Value stage, Value releasedSlot);
  /// The producer's commit of `stage`: one arrival on full[stage] that
  /// announces the `bytes` the TMA loads will complete. Returns full[stage]
  /// for the loads.
  Value producerExpectTx(Value stage, int64_t bytes);
  /// A plain arrival on full[stage], by a thread that wrote its share of
  /// the stage with ordinary stores (and fenced them to the async proxy).
  void producerArrive(Value stage);
  /// Starts the TMA load of one tile of `map` at K index `k` (i32) and row
  /// `row` (index; coordinates innermost first) to `offset` in the shared
  /// memory, completing its bytes on `full`. A non-zero `multicastMask`
  /// writes the tile into every CTA of the mask (`destination` Cluster).
  void loadTile(Value map, Value k, Value row, Value offset, Value full,
                TmaDestination destination, int64_t multicastMask = 0);

  //===--------------------------------------------------------------------===//
  // Consumer
  //===--------------------------------------------------------------------===//

  /// Waits until the TMA bytes of ring slot `slot` have landed in `stage`.
  void consumerWait(Value stage, Value slot);
  /// Releases `stage` with one arrival on this CTA's empty[stage]; returns
  /// that barrier (for consumerReleasePeer).
  Value consumerRelease(Value stage);
  /// Releases a stage on the same barrier `localEmpty` of the CTA of rank
  /// `peerRank` (i32) in the cluster, through its shared::cluster address
  /// (`mapa`), when the peer's producer writes into this CTA's stage too.
  /// The default `.release.cta` semantics suffice once the reads of the
  /// stage are complete; `.release.cluster` would cost two fences per
  /// arrival.
  void consumerReleasePeer(Value localEmpty, Value peerRank);
  /// Releases `stage` once the tcgen05 MMAs issued so far by this thread
  /// have read it (`tcgen05.commit` arrives on empty[stage]).
  void consumerReleaseAfterMmas(Value stage);

private:
  ImplicitLocOpBuilder &b;
  Value sharedBase;
  int64_t stages;
  Value ringOffset;
  int64_t stageBytes;
  GemmWaitHint waitHint;
  /// Offsets of full[0] and, when known at compile time, of empty[0]
  /// (else null: empty[s] is found as full[s + stages]).
  Value fullOffset, emptyOffset;

  /// The mbarrier `first + 8 * stage` bytes from the base.
  Value barrierAt(Value first, Value stage);
};

} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_TMAPIPELINE_H
