//===- GemmSM90Epilogue.cpp - The epilogue of the sm_90a GEMM -------------===//
//
// Part of fp8-mlir. From one consumer thread's accumulator fragments to D:
// the scales that do not change along K (tensor, rowwise, block groups
// spanning K), the bias, the output cast (FP8 through out_scale), and the
// thread's share of amax(D).
//
// Pairs of D could go straight from the fragments to global memory, but a
// warp's pair store then covers 8 rows with 16 bytes each (bf16), half of
// every 32-byte sector. For 1- and 2-byte outputs the consumers therefore
// stage their rows of D in shared memory (the ring, free after the main
// loop) and copy them out in 16-byte chunks, consecutive threads writing
// consecutive chunks of a row:
//
//   fence.proxy.async.shared::cta (TMA and wgmma used the ring)
//   consumers: named barrier 1 (nobody reads the ring any more)
//   each thread: its pairs -> staging[row][col] (rows padded by 16 bytes)
//   consumers: named barrier 2; each consumer's rows -> D, 16 B a thread
//
// (With one warpgroup, both barriers are bar.sync 0.)
//
// f32 pairs already fill the sectors (8 rows x 32 bytes) and are stored
// directly, as is any D whose rows are not whole 16-byte chunks.
//
// A persistent kernel cannot stage D in the ring (the producer is already
// filling it with the next tile), so its direct epilogue stores the pairs
// from the registers: a warp's bf16 store covers 8 rows x 16 bytes, half
// of each 32-byte sector (the two halves come from the next 8-column
// block's store, which L2 usually merges). `gemm-epilogue=tma-store` gives
// each consumer its own buffer after the ring instead, for rows of D
// that are whole 16 bytes:
//
//   thread 0: cp.async.bulk.wait_group.read 0 (the previous tile's store
//             has read the buffer); consumer: bar.sync (3 + consumer, 128)
//   each thread: its pairs -> buffer, in 128-byte boxes of
//             consumerRows x 128 bytes with the 128-byte swizzle (16-byte
//             chunk c of row r at chunk c ^ (r % 8): a warp's 8 rows x 4
//             pairs hit 32 different banks)
//   each thread: fence.proxy.async.shared::cta; bar.sync (3 + consumer)
//   thread 0: one cp.async.bulk.tensor store per box (TMA clips the rows
//             and columns beyond D), cp.async.bulk.commit_group
//
// and the consumer goes on with its next tile while the stores drain; it
// waits for them (cp.async.bulk.wait_group 0) once, after its last tile.
//
// `gemm-epilogue=direct-wide` keeps the stores in the registers but
// regroups a row's pairs first. Lane q of a quad (the 4 lanes of one
// fragment row) holds columns 2q, 2q + 1 of every 8-column block. A
// butterfly round k exchanges, between lanes q and q ^ (1 << k), one of two
// neighbouring chunks: the lane whose bit k is 0 keeps the lower chunk and
// receives its partner's lower one, the other keeps the upper chunk:
//
//   round 0 (blocks j, j + 1):  lane 0: j[0:4]   lane 1: j+1[0:4]
//                               lane 2: j[4:8]   lane 3: j+1[4:8]
//   round 1 (blocks j .. j + 3): lane q: block j + q, all 8 columns
//
// One round gives a lane 4 consecutive elements, two rounds 8, so a warp's
// store covers 8 rows x (4 lanes x 8 elements), contiguous per row:
// bf16/f16 16 bytes a lane and 64 a row, FP8 8 and 32: whole 32-byte
// sectors per store (bf16 pairs covered half of each, FP8 pairs a
// quarter; f32 pairs already fill them and stay pairs). Each round costs
// one 32-bit shuffle per 4 bytes a lane sends. Fewer rounds where the
// tile's blocks or N do not allow them (KernelHeuristics.cpp); a piece
// divides N, so it is wholly inside D or wholly outside.
//
//===----------------------------------------------------------------------===//

#include "GemmEpilogue.h"
#include "GemmSM90.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;
using namespace mlir::fp8::gpu_kernels::sm90;

/// `a * b` where either factor may be absent (1).
static Value multiplyFactors(ImplicitLocOpBuilder &b, Value lhs, Value rhs) {
  if (lhs && rhs)
    return b.create<arith::MulFOp>(lhs, rhs);
  return lhs ? lhs : rhs;
}

/// Scales, biases and stores the pair D[row, col], D[row, col + 1]; folds
/// its magnitude into `amax` when the kernel reports one. `scale0`,
/// `scale1`, `bias0`, `bias1` may be absent.
Value GemmEmitter::emitOutputPair(Value scale0, Value scale1, Value bias0,
                                  Value bias1, Value outScale, Value row,
                                  Value col, Value v0, Value v1, Value amax) {
  Value d[2] = {v0, v1};
  Value scales[2] = {scale0, scale1};
  Value biases[2] = {bias0, bias1};
  for (int i = 0; i < 2; ++i) {
    if (scales[i])
      d[i] = b.create<arith::MulFOp>(d[i], scales[i]);
    if (biases[i])
      d[i] = b.create<arith::AddFOp>(d[i], biases[i]);
    if (args.amax)
      amax = b.create<arith::MaxUIOp>(amax, absBits(b, d[i]));
  }

  Value pair = convertToOutputType(b, d, shape.outType, outScale);
  if (storeBuffer) {
    storeAligned(b, pair, storeBuffer, storeBufferOffset(row, col));
    return amax;
  }
  if (staging) {
    Value localRow = b.create<arith::SubIOp>(row, tileRow);
    Value localCol = b.create<arith::SubIOp>(col, tileCol);
    Value offset = b.create<arith::AddIOp>(
        b.create<arith::MulIOp>(localRow, indexConst(b, shape.stagePitch())),
        localCol);
    storeAligned(b, pair, staging, offset);
    return amax;
  }
  storeAligned(b, pair, args.out, outOffset(row, col));
  return amax;
}

/// The flat index in D of (`row`, `col`) of this CTA's GEMM: D is
/// [batch * M, N], GEMM z owning rows z * M on.
Value GemmEmitter::outOffset(Value row, Value col) {
  if (aRowBase)
    row = b.create<arith::AddIOp>(aRowBase, row);
  return b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(row, indexConst(b, shape.n)), col);
}

/// Waits until every consumer is done with the ring and returns it as the
/// staging tile of D: tileM rows of stagePitch() elements.
Value GemmEmitter::emitStagingTile() {
  const GemmSM90Config &config = shape.config;
  // The ring was last written by TMA and read by wgmma (the async proxy);
  // order those accesses before the generic stores that reuse it.
  b.create<NVVM::FenceProxyOp>(
      NVVM::ProxyKind::async_shared,
      NVVM::SharedSpaceAttr::get(b.getContext(), NVVM::SharedSpace::shared_cta));
  if (config.warpSpecialized)
    b.create<NVVM::BarrierOp>(
        TypeRange{}, i32Const(b, 1),
        i32Const(b, 128 * config.consumerWarpgroups),
        NVVM::BarrierReductionAttr(), Value());
  else
    b.create<gpu::BarrierOp>();
  auto shared = gpu::AddressSpaceAttr::get(b.getContext(),
                                           gpu::AddressSpace::Workgroup);
  auto type = MemRefType::get({config.tileM * shape.stagePitch()},
                              shape.outType, MemRefLayoutAttrInterface(),
                              shared);
  return b.create<memref::ViewOp>(type, sharedBytes, ringBase, ValueRange{});
}

/// Copies the consumer's staged rows to D in 16-byte chunks (chunk i of the
/// consumer's rows goes to thread i % 128), skipping chunks outside D.
void GemmEmitter::emitStagedCopy(const Fragment &fragment) {
  const GemmSM90Config &config = shape.config;
  // The staged rows are complete. (A barrier per consumer would need a
  // barrier id computed from the consumer, and ptxas then reserves all 16.)
  if (config.warpSpecialized)
    b.create<NVVM::BarrierOp>(
        TypeRange{}, i32Const(b, 2),
        i32Const(b, 128 * config.consumerWarpgroups),
        NVVM::BarrierReductionAttr(), Value());
  else
    b.create<gpu::BarrierOp>();

  int64_t chunk = shape.outChunk();
  int64_t chunksPerRow = config.tileN / chunk;
  int64_t numChunks = config.consumerRows() * chunksPerRow;
  auto chunkType = VectorType::get({chunk}, shape.outType);
  Value firstRow = b.create<arith::MulIOp>(
      fragment.consumer, indexConst(b, config.consumerRows()));
  bool raggedM = shape.raggedM();
  Value mBound = args.rows; // the runtime M; null when static
  bool raggedN = shape.n % config.tileN != 0;
  for (int64_t first = 0; first < numChunks; first += 128) {
    Value index =
        b.create<arith::AddIOp>(fragment.thread, indexConst(b, first));
    Value localRow = b.create<arith::AddIOp>(
        firstRow, b.create<arith::DivUIOp>(index, indexConst(b, chunksPerRow)));
    Value localCol = b.create<arith::MulIOp>(
        b.create<arith::RemUIOp>(index, indexConst(b, chunksPerRow)),
        indexConst(b, chunk));
    Value row = b.create<arith::AddIOp>(tileRow, localRow);
    Value col = b.create<arith::AddIOp>(tileCol, localCol);

    Value inBounds;
    if (numChunks - first < 128)
      inBounds = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, index,
                                         indexConst(b, numChunks));
    if (raggedM)
      inBounds = conjoin(b, inBounds,
                         b.create<arith::CmpIOp>(
                             arith::CmpIPredicate::ult, row,
                             mBound ? mBound : indexConst(b, shape.m)));
    if (raggedN)
      inBounds = conjoin(b, inBounds,
                         b.create<arith::CmpIOp>(arith::CmpIPredicate::ult,
                                                 col, indexConst(b, shape.n)));
    OpBuilder::InsertionGuard guard(b);
    if (inBounds) {
      auto ifInBounds = b.create<scf::IfOp>(inBounds, /*withElseRegion=*/false);
      b.setInsertionPointToStart(&ifInBounds.getThenRegion().front());
    }
    Value source = b.create<arith::AddIOp>(
        b.create<arith::MulIOp>(localRow, indexConst(b, shape.stagePitch())),
        localCol);
    Value data = loadAligned(b, staging, source, chunkType);
    storeAligned(b, data, args.out, outOffset(row, col));
  }
}

/// Loads the row scales (at most 2 per m64 block) and the output scale,
/// which stay live through the epilogue.
EpilogueFactors GemmEmitter::emitEpilogueFactors(const Fragment &fragment) {
  FragmentScales scales(b, shape, fragment);
  Value kZero = indexConst(b, 0);
  EpilogueFactors factors;
  factors.rowScales.resize(2 * shape.mmaRows());
  if (!shape.aScales.alongK)
    for (auto [r, scale] : llvm::enumerate(factors.rowScales))
      scale = scales.rowScale(args.aScale, r, kZero);
  if (args.outScale)
    factors.outScale = loadScaleAsF32(b, args.outScale, kZero);
  return factors;
}

/// `factors` are the row and output scales, when already loaded (else
/// they are loaded after the staging barrier); column scales and biases
/// are loaded per 8-column block, next to their use, to keep register
/// pressure low. Returns the thread's amax bits (0 without amax).
Value GemmEmitter::emitEpilogue(const Fragment &fragment,
                                ArrayRef<Value> accumulators,
                                std::optional<EpilogueFactors> factors) {
  const GemmSM90Config &config = shape.config;
  // Ping-pong with ordered epilogues: the other consumer's epilogue of the
  // tile before has finished its stores.
  if (epilogueTurn)
    waitForPhase(b, epilogueTurn->wait, epilogueTurn->parity,
                 config.schedule.waitHint);
  if (shape.stagesOutput())
    staging = emitStagingTile();
  if (config.tmaStore) {
    storeRow = fragment.consumerRow;
    emitStoreBufferAcquire();
  }
  if (!factors)
    factors = emitEpilogueFactors(fragment);
  FragmentScales scales(b, shape, fragment);
  Value kZero = indexConst(b, 0);
  int64_t numRows = 2 * shape.mmaRows();
  ArrayRef<Value> rowScales = factors->rowScales;
  Value outScale = factors->outScale;

  auto rowAt = [&](int64_t r) -> Value {
    return b.create<arith::AddIOp>(
        fragment.rowBase, indexConst(b, 64 * (r / 2) + 8 * (r % 2)));
  };
  auto colAt = [&](int64_t offset) -> Value {
    return b.create<arith::AddIOp>(fragment.colBase, indexConst(b, offset));
  };
  bool raggedM = shape.raggedM();
  Value mBound = args.rows; // the runtime M; null when static
  bool raggedN = shape.n % config.tileN != 0;
  Value amax = i32Const(b, 0);
  if (config.wideStoreRounds > 0)
    amax = emitWideStores(fragment, accumulators, *factors);
  for (int64_t j = 0; config.wideStoreRounds == 0 && j < config.tileN / 8;
       ++j) {
    Value colScales[2], biases[2];
    for (int64_t e = 0; e < 2; ++e) {
      if (!shape.bScales.alongK)
        colScales[e] = scales.colScale(args.bScale, 2 * j + e, kZero);
      if (args.bias) {
        Value col = b.create<arith::MinUIOp>(colAt(8 * j + e),
                                             indexConst(b, shape.n - 1));
        biases[e] = extendToF32(
            b, b.create<memref::LoadOp>(args.bias, ValueRange{col}));
      }
    }
    Value col = colAt(8 * j);
    for (int64_t r = 0; r < numRows; ++r) {
      int64_t mh = r / 2, h = r % 2;
      int64_t i = 4 * j + 2 * h;
      Value row = rowAt(r);
      Value scale0 = multiplyFactors(b, rowScales[r], colScales[0]);
      Value scale1 = multiplyFactors(b, rowScales[r], colScales[1]);
      Value v0 = b.create<LLVM::ExtractValueOp>(accumulators[mh], i);
      Value v1 = b.create<LLVM::ExtractValueOp>(accumulators[mh], i + 1);
      Value inBounds;
      if (raggedM)
        inBounds = b.create<arith::CmpIOp>(
            arith::CmpIPredicate::ult, row,
            mBound ? mBound : indexConst(b, shape.m));
      if (raggedN)
        inBounds = conjoin(b, inBounds,
                           b.create<arith::CmpIOp>(arith::CmpIPredicate::ult,
                                                   col, indexConst(b, shape.n)));
      amax = emitIfInBounds(b, inBounds, amax, [&](Value amaxSoFar) {
        return emitOutputPair(scale0, scale1, biases[0], biases[1], outScale,
                              row, col, v0, v1, amaxSoFar);
      });
    }
  }
  if (staging)
    emitStagedCopy(fragment);
  if (storeBuffer)
    emitStoreBufferFlush(fragment);
  // The other consumer's epilogue may start (its MMAs already run).
  if (epilogueTurn)
    b.create<NVVM::MBarrierArriveOp>(Type(), epilogueTurn->pass, Value());
  return amax;
}

//===----------------------------------------------------------------------===//
// Wide direct stores (gemm-epilogue=direct-wide)
//===----------------------------------------------------------------------===//

/// `value` (a vector of D's element type, 2 bytes or a multiple of 4) as
/// lane `lane ^ mask` holds it: one 32-bit shuffle per 4 bytes (a 2-byte
/// FP8 pair widened to one word).
static Value shuffleXor(ImplicitLocOpBuilder &b, Value value, int64_t mask) {
  auto type = cast<VectorType>(value.getType());
  int64_t bytes = type.getNumElements() * type.getElementTypeBitWidth() / 8;
  assert((bytes == 2 || bytes % 4 == 0) && "shuffled piece of odd size");
  Type wordType = bytes == 2 ? Type(b.getI16Type()) : Type(b.getI32Type());
  auto wordsType = VectorType::get({bytes == 2 ? 1 : bytes / 4}, wordType);
  Value words = b.create<vector::BitCastOp>(wordsType, value);
  SmallVector<Value> moved;
  for (int64_t i = 0; i < wordsType.getNumElements(); ++i) {
    Value word = b.create<vector::ExtractOp>(words, i);
    if (bytes == 2)
      word = b.create<arith::ExtUIOp>(b.getI32Type(), word);
    Value shuffled = b.create<gpu::ShuffleOp>(word, i32Const(b, mask),
                                              i32Const(b, 32),
                                              gpu::ShuffleMode::XOR)
                         .getShuffleResult();
    if (bytes == 2)
      shuffled = b.create<arith::TruncIOp>(b.getI16Type(), shuffled);
    moved.push_back(shuffled);
  }
  return b.create<vector::BitCastOp>(
      type, b.create<vector::FromElementsOp>(wordsType, moved));
}

/// The butterfly of one fragment row (see the file comment): `chunks` are
/// the lane's converted pairs of 2^rounds consecutive 8-column blocks, and
/// the result is its piece of 2^(rounds + 1) consecutive elements.
/// `quadLane` is the lane's index in its row's quad (thread % 4).
static Value exchangeRowPairs(ImplicitLocOpBuilder &b,
                              SmallVector<Value> chunks, Value quadLane,
                              int64_t rounds) {
  for (int64_t round = 0; round < rounds; ++round) {
    Value upperLane = b.create<arith::CmpIOp>(
        arith::CmpIPredicate::ne,
        b.create<arith::AndIOp>(quadLane, indexConst(b, int64_t(1) << round)),
        indexConst(b, 0));
    SmallVector<Value> joined;
    for (size_t i = 0; i < chunks.size(); i += 2) {
      Value lower = chunks[i], upper = chunks[i + 1];
      // Each lane sends the chunk it gives up and keeps the other.
      Value sent = b.create<arith::SelectOp>(upperLane, lower, upper);
      Value received = shuffleXor(b, sent, int64_t(1) << round);
      Value first = b.create<arith::SelectOp>(upperLane, received, lower);
      Value second = b.create<arith::SelectOp>(upperLane, upper, received);
      int64_t width = cast<VectorType>(lower.getType()).getNumElements();
      joined.push_back(b.create<vector::ShuffleOp>(
          first, second, llvm::to_vector(llvm::seq<int64_t>(0, 2 * width))));
    }
    chunks = std::move(joined);
  }
  return chunks.front();
}

/// The direct epilogue with wide stores: for each group of 2^rounds
/// 8-column blocks and each fragment row, the thread scales its pairs,
/// folds their magnitudes into amax (where inside D), converts them,
/// exchanges them within the row and stores its piece. Returns the
/// thread's amax bits.
Value GemmEmitter::emitWideStores(const Fragment &fragment,
                                  ArrayRef<Value> accumulators,
                                  const EpilogueFactors &factors) {
  const GemmSM90Config &config = shape.config;
  int64_t rounds = config.wideStoreRounds;
  int64_t group = int64_t(1) << rounds; // 8-column blocks per exchange
  int64_t width = 2 * group;            // elements of a lane's piece
  FragmentScales scales(b, shape, fragment);
  Value kZero = indexConst(b, 0);
  bool raggedM = shape.raggedM();
  Value mBound = args.rows ? args.rows : indexConst(b, shape.m);
  bool raggedN = shape.n % config.tileN != 0;
  Value nBound = indexConst(b, shape.n);

  // Lane q of the quad ends with block q % group of the group, from
  // element width * (q / group) on.
  Value quadLane = b.create<arith::RemUIOp>(fragment.thread, indexConst(b, 4));
  Value pieceColumn = b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(
          b.create<arith::RemUIOp>(quadLane, indexConst(b, group)),
          indexConst(b, 8)),
      b.create<arith::MulIOp>(
          b.create<arith::DivUIOp>(quadLane, indexConst(b, group)),
          indexConst(b, width)));
  Value pieceBase = b.create<arith::AddIOp>(fragment.tileCol, pieceColumn);

  Value amax = i32Const(b, 0);
  for (int64_t g = 0; g < config.tileN / (8 * group); ++g) {
    // Column scales and biases of the thread's 2 * group columns.
    SmallVector<Value> colScales(2 * group), biases(2 * group);
    for (int64_t c = 0; c < 2 * group; ++c) {
      int64_t fragmentCol = 2 * group * g + c;
      if (!shape.bScales.alongK)
        colScales[c] = scales.colScale(args.bScale, fragmentCol, kZero);
      if (args.bias) {
        Value col = b.create<arith::MinUIOp>(
            b.create<arith::AddIOp>(
                fragment.colBase,
                indexConst(b, 8 * (fragmentCol / 2) + fragmentCol % 2)),
            indexConst(b, shape.n - 1));
        biases[c] = extendToF32(
            b, b.create<memref::LoadOp>(args.bias, ValueRange{col}));
      }
    }
    for (int64_t r = 0; r < 2 * shape.mmaRows(); ++r) {
      int64_t mh = r / 2, h = r % 2;
      Value row = b.create<arith::AddIOp>(
          fragment.rowBase, indexConst(b, 64 * mh + 8 * h));
      Value rowInside;
      if (raggedM)
        rowInside =
            b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, row, mBound);
      SmallVector<Value> pairs;
      for (int64_t jj = 0; jj < group; ++jj) {
        int64_t j = group * g + jj;
        Value d[2];
        for (int64_t e = 0; e < 2; ++e) {
          d[e] = b.create<LLVM::ExtractValueOp>(accumulators[mh],
                                                4 * j + 2 * h + e);
          Value scale =
              multiplyFactors(b, factors.rowScales[r], colScales[2 * jj + e]);
          if (scale)
            d[e] = b.create<arith::MulFOp>(d[e], scale);
          if (biases[2 * jj + e])
            d[e] = b.create<arith::AddFOp>(d[e], biases[2 * jj + e]);
        }
        if (args.amax) {
          // Only the thread's own pair, and only where it lies in D.
          Value inside = rowInside;
          if (raggedN)
            inside = conjoin(
                b, inside,
                b.create<arith::CmpIOp>(
                    arith::CmpIPredicate::ult,
                    b.create<arith::AddIOp>(fragment.colBase,
                                            indexConst(b, 8 * j)),
                    nBound));
          Value updated = b.create<arith::MaxUIOp>(
              amax, b.create<arith::MaxUIOp>(absBits(b, d[0]),
                                             absBits(b, d[1])));
          amax = inside ? b.create<arith::SelectOp>(inside, updated, amax)
                              .getResult()
                        : updated;
        }
        pairs.push_back(
            convertToOutputType(b, d, shape.outType, factors.outScale));
      }
      // Every lane of the quad takes part in the shuffles, inside D or not.
      Value piece = exchangeRowPairs(b, pairs, quadLane, rounds);
      Value col = b.create<arith::AddIOp>(
          pieceBase, indexConst(b, 8 * group * g));
      Value inBounds = rowInside;
      if (raggedN)
        inBounds = conjoin(b, inBounds,
                           b.create<arith::CmpIOp>(arith::CmpIPredicate::ult,
                                                   col, nBound));
      OpBuilder::InsertionGuard guard(b);
      if (inBounds) {
        auto ifInside = b.create<scf::IfOp>(inBounds, /*withElseRegion=*/false);
        b.setInsertionPointToStart(&ifInside.getThenRegion().front());
      }
      storeAligned(b, piece, args.out, outOffset(row, col));
    }
  }
  return amax;
}

//===----------------------------------------------------------------------===//
// TMA-store epilogue
//===----------------------------------------------------------------------===//

/// The named barrier of the current consumer warpgroup's 128 threads (ids
/// 3 and 4; the staged epilogue of the non-persistent kernel uses 1 and 2).
static void consumerBarrier(ImplicitLocOpBuilder &b, Value consumer) {
  Value id = b.create<arith::AddIOp>(
      i32Const(b, 3), b.create<arith::IndexCastOp>(b.getI32Type(), consumer));
  b.create<NVVM::BarrierOp>(TypeRange{}, id, i32Const(b, 128),
                            NVVM::BarrierReductionAttr(), Value());
}

/// Waits until the consumer's previous TMA store has read its buffer and
/// makes the buffer (a flat memref of D's type) the epilogue's target.
void GemmEmitter::emitStoreBufferAcquire() {
  const GemmSM90Config &config = shape.config;
  {
    auto leader = b.create<scf::IfOp>(consumerLeader, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&leader.getThenRegion().front());
    b.create<NVVM::CpAsyncBulkWaitGroupOp>(0, b.getUnitAttr());
  }
  consumerBarrier(b, consumerIndex);
  Value offset = b.create<arith::AddIOp>(
      storeBase, b.create<arith::MulIOp>(
                     consumerIndex, indexConst(b, config.storeBufferBytes())));
  auto shared = gpu::AddressSpaceAttr::get(b.getContext(),
                                           gpu::AddressSpace::Workgroup);
  auto type = MemRefType::get({config.consumerRows() * config.tileN},
                              shape.outType, MemRefLayoutAttrInterface(),
                              shared);
  storeBuffer = b.create<memref::ViewOp>(type, sharedBytes, offset,
                                         ValueRange{});
}

/// The element offset in the store buffer of D[`row`, `col`]: box
/// (col - tileCol) / boxCols, then the row, then the 16-byte chunk XOR
/// row % 8 (the 128-byte swizzle TMA reads it with).
Value GemmEmitter::storeBufferOffset(Value row, Value col) {
  const GemmSM90Config &config = shape.config;
  int64_t boxCols = config.storeBoxCols();
  int64_t chunk = shape.outChunk();
  Value localRow = b.create<arith::SubIOp>(row, storeRow);
  Value localCol = b.create<arith::SubIOp>(col, tileCol);
  Value box = b.create<arith::DivUIOp>(localCol, indexConst(b, boxCols));
  Value inBox = b.create<arith::RemUIOp>(localCol, indexConst(b, boxCols));
  Value swizzled = b.create<arith::XOrIOp>(
      b.create<arith::DivUIOp>(inBox, indexConst(b, chunk)),
      b.create<arith::RemUIOp>(localRow, indexConst(b, 8)));
  Value boxBase = b.create<arith::MulIOp>(
      box, indexConst(b, config.consumerRows() * boxCols));
  Value rowBase =
      b.create<arith::MulIOp>(localRow, indexConst(b, boxCols));
  return b.create<arith::AddIOp>(
      b.create<arith::AddIOp>(boxBase, rowBase),
      b.create<arith::AddIOp>(
          b.create<arith::MulIOp>(swizzled, indexConst(b, chunk)),
          b.create<arith::RemUIOp>(inBox, indexConst(b, chunk))));
}

/// Hands the written buffer to TMA: every thread's stores are made visible
/// to the async proxy, then thread 0 stores each box and commits them as
/// one bulk group.
void GemmEmitter::emitStoreBufferFlush(const Fragment &fragment) {
  const GemmSM90Config &config = shape.config;
  b.create<NVVM::FenceProxyOp>(
      NVVM::ProxyKind::async_shared,
      NVVM::SharedSpaceAttr::get(b.getContext(), NVVM::SharedSpace::shared_cta));
  consumerBarrier(b, consumerIndex);
  Value buffer = storeBuffer;
  storeBuffer = Value();
  auto leader = b.create<scf::IfOp>(consumerLeader, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&leader.getThenRegion().front());
  Value bufferAddress = b.create<memref::ExtractAlignedPointerAsIndexOp>(buffer);
  Value row = storeRow;
  if (aRowBase)
    row = b.create<arith::AddIOp>(aRowBase, row);
  Value row32 = b.create<arith::IndexCastOp>(b.getI32Type(), row);
  int64_t boxCols = config.storeBoxCols();
  int64_t boxBytes = config.consumerRows() * 128;
  for (int64_t box = 0; box < config.tileN / boxCols; ++box) {
    Value col = b.create<arith::AddIOp>(tileCol, indexConst(b, box * boxCols));
    Value address = b.create<arith::IndexCastOp>(
        b.getI64Type(),
        b.create<arith::AddIOp>(bufferAddress, indexConst(b, box * boxBytes)));
    Value source = b.create<LLVM::IntToPtrOp>(
        LLVM::LLVMPointerType::get(b.getContext(), 3), address);
    b.create<NVVM::CpAsyncBulkTensorSharedCTAToGlobalOp>(
        dMap, source,
        ValueRange{b.create<arith::IndexCastOp>(b.getI32Type(), col), row32},
        Value(), NVVM::TMAStoreMode::TILE, Value());
  }
  b.create<NVVM::CpAsyncBulkCommitGroupOp>();
}

/// After the consumer's last tile: its thread 0 waits until the TMA stores
/// are complete (the CTA's shared memory must outlive their reads).
void GemmEmitter::emitStoreDrain(Value consumerThread) {
  Value isLeader = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq,
                                           consumerThread, indexConst(b, 0));
  auto leader = b.create<scf::IfOp>(isLeader, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&leader.getThenRegion().front());
  b.create<NVVM::CpAsyncBulkWaitGroupOp>(0, UnitAttr());
}
