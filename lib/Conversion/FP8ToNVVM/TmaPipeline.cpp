//===- TmaPipeline.cpp - The TMA / mbarrier ring of the GEMMs -------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "TmaPipeline.h"
#include "IRBuildingBlocks.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

/// Bytes of one mbarrier.
static constexpr int64_t kBarrierBytes = 8;

/// The suspend-time hint (ns) of the mbarrier waits of the GEMMs with
/// `gemm-wait-hint=suspend`.
static constexpr int64_t kWaitSuspendTime = 10000000;

/// The try_wait loop of `gemm-wait-hint=spin`: NVVM's own loop (see
/// NVVM::MBarrierTryWaitParityOp) without the suspend-time operand, as
/// CUTLASS's ClusterBarrier::wait spins. The braces scope the predicate and
/// the labels, so the loop may be inlined any number of times.
static constexpr const char *kSpinWaitPtx =
    "{\n"
    ".reg .pred P1;\n"
    "LAB_WAIT:\n"
    "mbarrier.try_wait.parity.shared.b64 P1, [$0], $1;\n"
    "@P1 bra.uni DONE;\n"
    "bra.uni LAB_WAIT;\n"
    "DONE:\n"
    "}";

DynamicSharedMemory gpu_kernels::getDynamicSharedMemory(
    ImplicitLocOpBuilder &b) {
  auto shared = gpu::AddressSpaceAttr::get(b.getContext(),
                                           gpu::AddressSpace::Workgroup);
  DynamicSharedMemory memory;
  memory.bytes = b.create<gpu::DynamicSharedMemoryOp>(
      MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                      MemRefLayoutAttrInterface(), shared));
  memory.base = b.create<memref::ExtractAlignedPointerAsIndexOp>(memory.bytes);
  Value misalignment =
      b.create<arith::RemUIOp>(memory.base, indexConst(b, 1024));
  memory.padding = b.create<arith::RemUIOp>(
      b.create<arith::SubIOp>(indexConst(b, 1024), misalignment),
      indexConst(b, 1024));
  return memory;
}

void gpu_kernels::waitForPhase(ImplicitLocOpBuilder &b, Value barrier,
                               Value parity, GemmWaitHint hint) {
  switch (hint) {
  case GemmWaitHint::Suspend:
    b.create<NVVM::MBarrierTryWaitParityOp>(barrier, parity,
                                            i32Const(b, kWaitSuspendTime));
    return;
  case GemmWaitHint::Spin:
    b.create<NVVM::InlinePtxOp>(TypeRange{}, ValueRange{barrier, parity},
                                ValueRange{}, b.getStringAttr(kSpinWaitPtx),
                                Value());
    return;
  }
}

TmaPipeline::TmaPipeline(ImplicitLocOpBuilder &b, Value sharedBase,
                         int64_t stages, Value ringOffset, int64_t stageBytes,
                         int64_t barrierOffset, GemmWaitHint waitHint)
    : b(b), sharedBase(sharedBase), stages(stages), ringOffset(ringOffset),
      stageBytes(stageBytes), waitHint(waitHint) {
  fullOffset = indexConst(b, barrierOffset);
  emptyOffset = indexConst(b, barrierOffset + kBarrierBytes * stages);
}

//===----------------------------------------------------------------------===//
// Slots, stages and phases
//===----------------------------------------------------------------------===//

Value TmaPipeline::stageOf(Value slot) {
  return b.create<arith::RemUIOp>(slot, indexConst(b, stages));
}

Value TmaPipeline::phaseOf(Value slot) {
  Value round = b.create<arith::DivUIOp>(slot, indexConst(b, stages));
  return b.create<arith::IndexCastOp>(
      b.getI32Type(), b.create<arith::AndIOp>(round, indexConst(b, 1)));
}

//===----------------------------------------------------------------------===//
// Addresses
//===----------------------------------------------------------------------===//

Value TmaPipeline::sharedAddress(Value offset) {
  return b.create<arith::IndexCastOp>(
      b.getI64Type(), b.create<arith::AddIOp>(sharedBase, offset));
}

Value TmaPipeline::sharedPointer(Value offset) {
  return b.create<LLVM::IntToPtrOp>(
      LLVM::LLVMPointerType::get(
          b.getContext(), static_cast<unsigned>(NVVM::NVVMMemorySpace::Shared)),
      sharedAddress(offset));
}

Value TmaPipeline::stageOffset(Value stage) {
  return b.create<arith::AddIOp>(
      ringOffset, b.create<arith::MulIOp>(stage, indexConst(b, stageBytes)));
}

Value TmaPipeline::barrierAt(Value first, Value stage) {
  return sharedPointer(b.create<arith::AddIOp>(
      first, b.create<arith::MulIOp>(stage, indexConst(b, kBarrierBytes))));
}

Value TmaPipeline::fullBarrier(Value stage) {
  return barrierAt(fullOffset, stage);
}

Value TmaPipeline::emptyBarrier(Value stage) {
  if (emptyOffset)
    return barrierAt(emptyOffset, stage);
  // The empty barriers follow the full ones.
  return fullBarrier(b.create<arith::AddIOp>(stage, indexConst(b, stages)));
}

//===----------------------------------------------------------------------===//
// Barrier initialization
//===----------------------------------------------------------------------===//

void TmaPipeline::initFullBarrier(int64_t stage, int64_t arrivals) {
  b.create<NVVM::MBarrierInitOp>(fullBarrier(indexConst(b, stage)),
                                 i32Const(b, arrivals), Value());
}

void TmaPipeline::initEmptyBarrier(int64_t stage, int64_t arrivals) {
  b.create<NVVM::MBarrierInitOp>(emptyBarrier(indexConst(b, stage)),
                                 i32Const(b, arrivals), Value());
}

void TmaPipeline::fenceBarrierInit() {
  b.create<NVVM::FenceMbarrierInitOp>();
}

//===----------------------------------------------------------------------===//
// Producer
//===----------------------------------------------------------------------===//

void TmaPipeline::producerAcquire(Value stage, Value slot) {
  Value previousParity = b.create<arith::XOrIOp>(phaseOf(slot), i32Const(b, 1));
  waitForPhase(b, emptyBarrier(stage), previousParity, waitHint);
}

void TmaPipeline::producerWaitReleased(Value stage, Value releasedSlot) {
  Value empty = emptyBarrier(stage);
  waitForPhase(b, empty, phaseOf(releasedSlot), waitHint);
}

Value TmaPipeline::producerExpectTx(Value stage, int64_t bytes) {
  Value full = fullBarrier(stage);
  b.create<NVVM::MBarrierArriveExpectTxOp>(
      Type(), full, i32Const(b, bytes), NVVM::MemScopeKind::CTA,
      /*relaxed=*/false, Value());
  return full;
}

void TmaPipeline::producerArrive(Value stage) {
  b.create<NVVM::MBarrierArriveOp>(Type(), fullBarrier(stage), Value());
}

void TmaPipeline::loadTile(Value map, Value k, Value row, Value offset,
                           Value full, TmaDestination destination,
                           int64_t multicastMask) {
  Value pointer = sharedPointer(offset);
  if (destination == TmaDestination::Cluster)
    pointer = b.create<LLVM::AddrSpaceCastOp>(
        LLVM::LLVMPointerType::get(
            b.getContext(),
            static_cast<unsigned>(NVVM::NVVMMemorySpace::SharedCluster)),
        pointer);
  Value mask;
  if (multicastMask != 0)
    mask = b.create<arith::ConstantIntOp>(b.getI16Type(), multicastMask);
  b.create<NVVM::CpAsyncBulkTensorGlobalToSharedClusterOp>(
      pointer, map,
      ValueRange{k, b.create<arith::IndexCastOp>(b.getI32Type(), row)}, full,
      ValueRange{}, mask, Value(), NVVM::TMALoadMode::TILE,
      /*isCTAOnly=*/destination == TmaDestination::ThisCta,
      NVVM::CTAGroupKindAttr(), Value());
}

//===----------------------------------------------------------------------===//
// Consumer
//===----------------------------------------------------------------------===//

void TmaPipeline::consumerWait(Value stage, Value slot) {
  Value full = fullBarrier(stage);
  waitForPhase(b, full, phaseOf(slot), waitHint);
}

Value TmaPipeline::consumerRelease(Value stage) {
  Value empty = emptyBarrier(stage);
  b.create<NVVM::MBarrierArriveOp>(Type(), empty, Value());
  return empty;
}

void TmaPipeline::consumerReleasePeer(Value localEmpty, Value peerRank) {
  Value remote = b.create<NVVM::MapaOp>(
      LLVM::LLVMPointerType::get(
          b.getContext(),
          static_cast<unsigned>(NVVM::NVVMMemorySpace::SharedCluster)),
      localEmpty, peerRank);
  b.create<NVVM::MBarrierArriveOp>(Type(), remote, Value());
}

void TmaPipeline::consumerReleaseAfterMmas(Value stage) {
  b.create<NVVM::Tcgen05CommitOp>(emptyBarrier(stage), Value(),
                                  NVVM::CTAGroupKind::CTA_1);
}
