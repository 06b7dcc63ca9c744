//===- GemmSM100.h - The sm_100a FP8 GEMM kernel emitter --------*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: what the parts of
// the Blackwell GEMM emitter share. GemmSM100.cpp plans the kernel and
// builds its structure (shared memory, barriers, tensor memory),
// GemmSM100Mma.cpp the TMA loads and the tcgen05 main loop,
// GemmSM100Scales.cpp the MX / NVFP4 scale staging, GemmSM100Epilogue.cpp the
// epilogue from tensor memory to D; GemmSM100WarpSpecialized.cpp arranges
// the same pieces into warp roles (gemm-warp-specialize=on, optionally
// persistent); GemmSM100Pair.cpp the CTA-pair kernel (gemm-cluster=2x1,
// tcgen05.mma.cta_group::2). The ring and its mbarriers are a
// TmaPipeline; what the sm_90a GEMM shares is in GemmCommon.h and
// GemmEpilogue.h.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_GEMMSM100_H
#define FP8_LIB_CONVERSION_FP8TONVVM_GEMMSM100_H

#include "KernelBuilder.h"
#include "TmaPipeline.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

#include <optional>

namespace mlir::fp8::gpu_kernels::sm100 {

/// Everything that specializes one sm_100a GEMM kernel.
struct GemmShape : GemmSignature {
  GemmSM100Config config;
  /// `.kind::f8f6f4` only: rowwise (else tensor) scales of A / B.
  bool aRowwise = false, bRowwise = false;
  /// NVFP4: rows of B that share a row of B's scales (16 for `[16, 16]`
  /// weight blocks, else 1).
  int64_t bScaleRows = 1;

  bool blockScaled() const { return config.blockScaled; }
  bool nvfp4() const { return config.nvfp4; }
  int64_t kSteps() const { return ceilDiv(k, config.kElementsPerStep()); }
  /// Whether a tile's rows may run past M: a static M not a multiple of
  /// the rows one MMA covers (tileM, 2 * tileM for a CTA pair, whose odd
  /// CTA may lie wholly past M), or a runtime M.
  bool raggedM() const {
    return runtimeM || m % (config.tileM * config.pairCTAs()) != 0;
  }
  /// MMAs per K step: each reads 32 bytes of a row (k32, or k64 packed).
  int64_t mmasPerStep() const { return config.tileK / 32; }
  /// Elements of K per scale: 32 (MX), 16 (NVFP4).
  int64_t scaleBlock() const { return nvfp4() ? 16 : 32; }
  /// Scale columns of A and B.
  int64_t scaleCols() const { return ceilDiv(k, scaleBlock()); }
  /// Accumulator columns one tcgen05.ld reads.
  int64_t loadColumns() const { return config.tileN % 16 == 0 ? 16 : 8; }
};

/// Byte offsets in the shared memory region (see the file comment).
struct SharedLayout {
  explicit SharedLayout(const GemmSM100Config &config) : config(config) {}

  int64_t operandStage() const { return config.operandStageBytes(); }
  int64_t scaleBase() const { return config.stages * operandStage(); }
  /// The ring's full and empty barriers (TmaPipeline), then done (or, warp
  /// specialized, accumulatorFull[2] and accumulatorEmpty[2]).
  int64_t barrierBase() const {
    return scaleBase() + config.stages * config.scaleStageBytes();
  }
  int64_t doneBarrier() const { return barrierBase() + 16 * config.stages; }
  /// Warp-specialized: the barriers of accumulator buffer 0; buffer 1's
  /// follow 8 bytes later.
  int64_t accumulatorFullBarrier() const { return doneBarrier(); }
  int64_t accumulatorEmptyBarrier() const { return doneBarrier() + 16; }
  int64_t tensorMemorySlot() const {
    return doneBarrier() + 8 * config.accumulatorBarriers();
  }

  const GemmSM100Config &config;
};

/// Builds the kernel body; one method per phase, spread over the files
/// named in the file comment.
class GemmEmitter {
public:
  GemmEmitter(ImplicitLocOpBuilder &b, const GemmShape &shape,
              const GemmArgs &args)
      : b(b), shape(shape), args(args), layout(shape.config) {}

  void emit();

private:
  // Addresses (GemmSM100.cpp).
  Value perStage(int64_t base, int64_t stride, Value stage);
  Value sharedPointer(int64_t offset) {
    return ring->sharedPointer(indexConst(b, offset));
  }
  Value tensorMemory(Value base, Value lane, int64_t column);

  // Structure (GemmSM100.cpp).
  void emitSetup();
  /// Allocates the tensor memory (warp 0) and sets tensorBase.
  void allocateTensorMemory();
  void emitTeardown();

  // Loads and main loop (GemmSM100Mma.cpp).
  void emitLoad(Value kStep, Value stage);
  void emitFill(Value kStep, Value stage);
  void emitMmaStep(Value kStep, Value stage);
  void emitMmas(Value kStep, Value stage);
  void emitRefill(Value kStep);
  void emitMainLoop();

  // MX / NVFP4 scales (GemmSM100Scales.cpp).
  Value loadScaleGroups(Value scales, Value row, Value firstGroup);
  /// The first K group of scale set `set` of K step `kStep`.
  Value firstScaleGroup(Value kStep, int64_t set);
  /// The row of B's scales for row `bRow` (index, of this GEMM's B).
  Value bScaleRow(Value bRow);
  /// Stores `value` (an i32 scale word or a vector of them) at byte
  /// `offset` of chunk `chunk` of the stage's scales at `scaleStage`.
  void storeScaleChunk(Value value, Value scaleStage, Value offset,
                       int64_t chunk);
  void stageScales(Value kStep, Value stage);

  // Epilogue (GemmSM100Epilogue.cpp).
  void emitEpilogue();
  Value emitTileEpilogue(Value amax, llvm::function_ref<void()> afterLoads);
  Value emitOutputs(ArrayRef<Value> values, Value row, Value col,
                    Value amax);

  // Warp-specialized structure (GemmSM100WarpSpecialized.cpp).
  void emitWarpSpecialized();
  void emitWarpSpecializedSetup();
  scf::ForOp emitTileLoop(ValueRange inits);
  void setTile(Value linearTile);
  Value accumulatorBarrier(int64_t first, Value buffer);
  void emitProducer();
  void stageScalesByWarp(Value kStep, Value stage);
  void loadScaleBoxes(Value kStep, Value stage, Value full);
  void arrangeScaleBoxes(Value stage);
  void emitMmaIssuer();
  void emitEpilogueWarps();
  /// One atomic max per epilogue warp of its lanes' `amaxBits` (i32).
  void emitEpilogueWarpAmax(Value amaxBits);

  // CTA-pair structure (GemmSM100Pair.cpp).
  void emitCtaPair();
  void emitPairSetup();
  Value leaderFullBarrier(Value stage);
  void emitPairLoad(Value map, Value k, Value row, Value offset,
                    Value barrier);
  void emitPairProducer();
  void emitPairMmaIssuer();
  void emitPairEpilogue();
  void emitPairTeardown();

  ImplicitLocOpBuilder &b;
  const GemmShape &shape;
  const GemmArgs &args;
  SharedLayout layout;

  Value thread, warp, lane, isLeader, isWarp0, tileRow, tileCol;
  /// CTA pair: this CTA's rank in its 2-CTA cluster (i32; 0 is the CTA
  /// that issues the MMAs) and the first row of its half of B's tile.
  Value pairRank, bTileRow;
  /// Where this CTA's GEMM starts in the flattened [batch * M, K] A,
  /// [batch * N, K] B (and their row scales) and [batch * M, N] D: rows
  /// z * M and z * N (index 0 without batch dims).
  Value aRowBase, bRowBase;
  /// The ring of operand stages and its barriers, in the shared memory
  /// region (1024-byte aligned) whose address is the pipeline's base.
  std::optional<TmaPipeline> ring;
  /// The tensor memory base address (i32) from tcgen05.alloc.
  Value tensorBase;
  /// The accumulator the MMAs write and the epilogue reads (i32 tensor
  /// memory address): tensorBase, or that of the tile's buffer.
  Value accumulatorBase;
  /// The epilogue thread's row of the tile (index) and its warp's quarter
  /// of the tensor memory lanes (index, 0-3; tcgen05.ld lets warp w reach
  /// lanes 32 * (w % 4) .. + 31 only).
  Value epilogueRow, laneQuarter;
  /// Epilogue factors: `.kind::f8f6f4` multiplies D by rowScale * colScale
  /// (scaleProduct when neither is per column); FP8 outputs divide by
  /// outScale.
  Value rowScale, scaleProduct, outScale;
};

} // namespace mlir::fp8::gpu_kernels::sm100

#endif // FP8_LIB_CONVERSION_FP8TONVVM_GEMMSM100_H
