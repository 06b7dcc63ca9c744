//===- GemmSM90Persistent.cpp - Tile loops of the persistent sm_90a GEMM --===//
//
// Part of fp8-mlir. With `gemm-persistent=on` the warp-specialized GEMM
// launches one CTA per SM (whole clusters) instead of one per tile, and
// each cluster loops over the cluster tiles c, c + C, c + 2C, ... (C
// clusters in the grid). A cluster tile is clusterM x clusterN output
// tiles; cluster tiles are numbered M fastest (or M fastest within strips
// of row tiles with gemm-raster=grouped, GemmRaster.h), so the clusters
// running at the same time share B's column of tiles in L2, and GEMMs of a
// batched op follow one another.
//
// The producer and the consumers walk the same tiles in the same order,
// and the ring simply continues from one tile into the next: K step kt of
// the CTA's i-th tile uses ring slot i * kSteps + kt (slotBase + kt), i.e.
// stage slot % stages in round slot / stages. So the producer starts
// loading the next tile while the consumers still compute, or store, the
// current one. Every stage must come back: the fast main loop releases
// each K step one step late, so a consumer releases the tile's last stage
// after its final wgmma wait. The epilogue stores from the registers (the
// ring cannot stage D: it holds the next tile's operands), or, with
// `gemm-epilogue=tma-store`, through the consumer's own shared-memory
// buffer (GemmSM90Epilogue.cpp). `gemm-schedule=pingpong` walks the same
// tiles with one consumer per tile (GemmSM90PingPong.cpp).
//
//===----------------------------------------------------------------------===//

#include "GemmRaster.h"
#include "GemmSM90.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;
using namespace mlir::fp8::gpu_kernels::sm90;

/// Output tiles along M and N of one GEMM.
static std::pair<int64_t, int64_t> tileCounts(const GemmShape &shape) {
  const GemmSM90Config &config = shape.config;
  return {ceilDiv(shape.m, config.tileM), ceilDiv(shape.n, config.tileN)};
}

/// The loop over this CTA's cluster tiles: from the CTA's cluster index
/// (plus `firstTile` of the CTA's tiles, when given), by `interleave` times
/// the number of clusters in the grid, with `inits` carried. The builder is
/// left at the start of the body.
scf::ForOp GemmEmitter::emitTileLoop(ValueRange inits, Value firstTile,
                                     int64_t interleave) {
  const GemmSM90Config &config = shape.config;
  auto [rowTiles, colTiles] = tileCounts(shape);
  int64_t clusterTiles =
      shape.batch * rowTiles * colTiles / config.clusterSize();
  int64_t clusters = config.persistentCTAs / config.clusterSize();
  Value cluster = b.create<arith::DivUIOp>(
      b.create<gpu::BlockIdOp>(gpu::Dimension::x),
      indexConst(b, config.clusterSize()));
  if (firstTile)
    cluster = b.create<arith::AddIOp>(
        cluster, b.create<arith::MulIOp>(firstTile, indexConst(b, clusters)));
  auto loop = b.create<scf::ForOp>(cluster, indexConst(b, clusterTiles),
                                   indexConst(b, interleave * clusters), inits);
  b.setInsertionPointToStart(loop.getBody());
  return loop;
}

/// Makes this CTA's tile of cluster tile `clusterTile` the current tile:
/// the cluster tile's (z, cm, cn) in the order of `gemm-raster`
/// (rasterTile), then the CTA's share of it by its rank in the cluster.
void GemmEmitter::setPersistentTile(Value clusterTile) {
  const GemmSM90Config &config = shape.config;
  assert(config.clusterSize() <= 2 && "a cluster of at most 2 CTAs");
  auto [rowTiles, colTiles] = tileCounts(shape);
  int64_t clusterRows = rowTiles / config.clusterM;
  int64_t clusterCols = colTiles / config.clusterN;
  Value perGemm = indexConst(b, clusterRows * clusterCols);
  Value z;
  Value inGemm = clusterTile;
  if (shape.batched()) {
    z = b.create<arith::DivUIOp>(clusterTile, perGemm);
    inGemm = b.create<arith::RemUIOp>(clusterTile, perGemm);
  }
  auto [tileM, tileN] =
      rasterTile(b, inGemm, clusterRows, clusterCols, config.schedule);
  if (config.clusterM > 1)
    tileM = b.create<arith::AddIOp>(
        b.create<arith::MulIOp>(tileM, indexConst(b, config.clusterM)),
        clusterRank);
  if (config.clusterN > 1)
    tileN = b.create<arith::AddIOp>(
        b.create<arith::MulIOp>(tileN, indexConst(b, config.clusterN)),
        clusterRank);
  setTile(tileM, tileN, z);
}

/// The producer (one thread): the K steps of every tile of the CTA.
void GemmEmitter::emitPersistentProducer() {
  OpBuilder::InsertionGuard guard(b);
  scf::ForOp loop = emitTileLoop(ValueRange{indexConst(b, 0)});
  setPersistentTile(loop.getInductionVar());
  slotBase = loop.getRegionIterArgs()[0];
  emitProducer();
  b.create<scf::YieldOp>(ValueRange{b.create<arith::AddIOp>(
      slotBase, indexConst(b, shape.kSteps()))});
  slotBase = Value();
}

/// One consumer warpgroup: main loop and epilogue of every tile of the
/// CTA. Returns the thread's amax bits over all of them.
Value GemmEmitter::emitPersistentConsumer(Value consumerThread,
                                          Value consumer) {
  OpBuilder::InsertionGuard guard(b);
  scf::ForOp loop =
      emitTileLoop(ValueRange{indexConst(b, 0), i32Const(b, 0)});
  setPersistentTile(loop.getInductionVar());
  slotBase = loop.getRegionIterArgs()[0];
  Value amax = b.create<arith::MaxUIOp>(
      loop.getRegionIterArgs()[1], emitConsumer(consumerThread, consumer));
  b.create<scf::YieldOp>(ValueRange{
      b.create<arith::AddIOp>(slotBase, indexConst(b, shape.kSteps())), amax});
  slotBase = Value();
  b.setInsertionPointAfter(loop);
  if (shape.config.tmaStore)
    emitStoreDrain(consumerThread);
  return loop.getResult(1);
}
