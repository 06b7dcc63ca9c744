//===- GemmSM100.cpp - fp8.scaled_matmul as a Blackwell tcgen05 kernel ----===//
//
// Part of fp8-mlir. D = (A * sA) x (B * sB)^T (+ bias), A [M, K] and B [N, K]
// both K-major, E4M3/E5M2 in any combination, f32 accumulation in tensor
// memory. Two flavours:
//
// * `.kind::f8f6f4`: tensor or rowwise f32 scales, applied in the epilogue.
// * `.kind::mxf8f6f4.block_scale.block32` (MXFP8): [1, 32] E8M0 scales on A
//   and B along K, applied by the tensor core. The kernel reads the scales
//   in their canonical row-major [rows, K / 32] layout and moves the four
//   of each K step (128 = 4 x 32) into the layout the MMA reads itself, so
//   no relayout kernel is needed (see stageScales).
// * `.kind::mxf4nvf4.block_scale.block16` (NVFP4, scale_vec::4X): packed
//   FP4 (two values a byte; the TMA maps read [rows, K / 2] bytes), E4M3
//   scales per 16 elements, staged per k64 MMA (a whole scale word each),
//   [16, 16] weight scales expanded per row; the epilogue multiplies D by
//   a_global * b_global.
// * `.kind::mxf4.block_scale.block32` (MXFP4 x MXFP4 whose operands are
//   stored packed, getSubByteStorage; scale_vec::2X): the NVFP4 geometry
//   with E8M0 scales per 32 elements, one scale set per two k64 MMAs (MMA
//   kk reads bytes 2 (kk % 2) .. +1 of its set's words), no global scales.
//
// One CTA (four warps) computes a 128 x tileN tile of D:
//
//   setup:    thread 0 initializes the mbarriers full[s], empty[s], done;
//             warp 0 allocates the tensor memory (accumulator, MX scales)
//   prologue: thread 0 starts the TMA loads of the first `stages` K steps;
//             (MX) every thread stages its scale words of those steps
//   for each K step kt (stage s = kt % stages):
//     thread 0: wait full[s]; (MX) tcgen05.cp the scales into tensor
//               memory; 4 x tcgen05.mma 128 x tileN x 32; tcgen05.commit
//               -> empty[s] (arrives when those MMAs have read the stage)
//     refill:   wait empty of step kt - 1 (its MMAs are done, kt's keep
//               the tensor core busy), then load K step kt - 1 + stages
//               into that stage
//   thread 0: tcgen05.commit -> done; everyone waits for done
//   epilogue: warp w reads accumulator lanes 32w..32w+31 (= tile rows)
//             with tcgen05.ld 32x32b, 16 columns at a time: scales, bias,
//             output cast, row-contiguous vector stores; optional amax with
//             redux.sync max.abs.NaN and one atomic per CTA
//   teardown: warp 0 frees the tensor memory
//
// Shared memory (dynamic, from its first 1024-byte boundary):
//
//   [A tile | B tile] x stages       128 x 128 and tileN x 128 bytes, as TMA
//                                    writes them with the 128-byte swizzle
//   [A scales | B scales] x stages   (MX only) 512 bytes per 128 rows
//   full[stages] empty[stages] done  mbarriers
//   tensor memory address            written by tcgen05.alloc
//
//===----------------------------------------------------------------------===//

#include "FP8Converts.h"
#include "GemmRaster.h"
#include "GemmSM100.h"
#include "Tcgen05Descriptors.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;
using namespace mlir::fp8::gpu_kernels::sm100;

//===----------------------------------------------------------------------===//
// Addresses
//===----------------------------------------------------------------------===//

/// `base + stage * stride`: the element of `stage` in an array of
/// per-stage elements of `stride` bytes (or columns) at `base`.
Value GemmEmitter::perStage(int64_t base, int64_t stride, Value stage) {
  return b.create<arith::AddIOp>(
      indexConst(b, base),
      b.create<arith::MulIOp>(stage, indexConst(b, stride)));
}

/// A tensor memory address from `base` (i32): lane in bits 16-31, column
/// in bits 0-15.
Value GemmEmitter::tensorMemory(Value base, Value lane, int64_t column) {
  Value address = base;
  if (lane)
    address = b.create<arith::AddIOp>(
        address, b.create<arith::ShLIOp>(lane, i32Const(b, 16)));
  if (column != 0)
    address = b.create<arith::AddIOp>(address, i32Const(b, column));
  return b.create<LLVM::IntToPtrOp>(
      LLVM::LLVMPointerType::get(b.getContext(),
                                 static_cast<unsigned>(
                                     NVVM::NVVMMemorySpace::Tensor)),
      address);
}

//===----------------------------------------------------------------------===//
// Setup
//===----------------------------------------------------------------------===//

void GemmEmitter::emitSetup() {
  const GemmSM100Config &config = shape.config;

  // The region starts on the first 1024-byte boundary of the dynamic shared
  // memory, the operand stages first.
  DynamicSharedMemory memory = getDynamicSharedMemory(b);
  Value region = b.create<arith::AddIOp>(memory.base, memory.padding);
  ring.emplace(b, region, config.stages, indexConst(b, 0),
               layout.operandStage(), layout.barrierBase(),
               config.schedule.waitHint);

  // Thread 0 initializes the barriers: full[s] completes when the TMA bytes
  // of a K step landed (and, for MX, when all 128 threads staged their
  // scale words), empty[s] when the MMAs that read stage s are done, done
  // when the accumulator is final.
  int64_t fullArrivals = 1 + (shape.blockScaled() ? config.kNumThreads : 0);
  {
    auto setup = b.create<scf::IfOp>(isLeader, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&setup.getThenRegion().front());
    for (int64_t s = 0; s < config.stages; ++s) {
      ring->initFullBarrier(s, fullArrivals);
      ring->initEmptyBarrier(s, /*arrivals=*/1);
    }
    b.create<NVVM::MBarrierInitOp>(sharedPointer(layout.doneBarrier()),
                                   i32Const(b, 1), Value());
    ring->fenceBarrierInit();
  }
  allocateTensorMemory();
}

/// Warp 0 allocates the tensor memory and gives up the right to allocate
/// more, so other CTAs on the SM are not kept waiting; after a CTA barrier
/// every thread reads the base address.
void GemmEmitter::allocateTensorMemory() {
  {
    auto allocate = b.create<scf::IfOp>(isWarp0, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&allocate.getThenRegion().front());
    b.create<NVVM::Tcgen05AllocOp>(
        sharedPointer(layout.tensorMemorySlot()),
        i32Const(b, shape.config.tensorMemoryColumns()));
    b.create<NVVM::Tcgen05RelinquishAllocPermitOp>();
  }
  b.create<gpu::BarrierOp>();
  b.create<NVVM::Tcgen05FenceOp>(NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
  tensorBase = b.create<LLVM::LoadOp>(
      b.getI32Type(), sharedPointer(layout.tensorMemorySlot()));
  accumulatorBase = tensorBase;
}

//===----------------------------------------------------------------------===//
// Teardown and structure
//===----------------------------------------------------------------------===//

/// Every tensor memory read is done before warp 0 frees it.
void GemmEmitter::emitTeardown() {
  b.create<NVVM::Tcgen05FenceOp>(NVVM::Tcgen05FenceKind::BEFORE_THREAD_SYNC);
  b.create<gpu::BarrierOp>();
  auto free = b.create<scf::IfOp>(isWarp0, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&free.getThenRegion().front());
  b.create<NVVM::Tcgen05FenceOp>(NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC);
  b.create<NVVM::Tcgen05DeallocOp>(
      tensorMemory(tensorBase, Value(), 0),
      i32Const(b, shape.config.tensorMemoryColumns()));
}

void GemmEmitter::emit() {
  const GemmSM100Config &config = shape.config;
  thread = b.create<gpu::ThreadIdOp>(gpu::Dimension::x);
  warp = b.create<arith::DivUIOp>(thread, indexConst(b, 32));
  lane = b.create<arith::RemUIOp>(thread, indexConst(b, 32));
  isLeader = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, thread,
                                     indexConst(b, 0));
  isWarp0 = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, warp,
                                    indexConst(b, 0));
  if (config.ctaPair) {
    emitCtaPair();
    return;
  }
  if (config.warpSpecialized) {
    emitWarpSpecialized();
    return;
  }
  // Thread t holds tile row t, warp w reads tensor memory lanes 32w..
  epilogueRow = thread;
  laneQuarter = warp;
  // The CTA's tile: its block index (x, y), or with gemm-raster=grouped
  // its place in launch order (x fastest) remapped by rasterTile.
  Value tileM = b.create<gpu::BlockIdOp>(gpu::Dimension::x);
  Value tileN = b.create<gpu::BlockIdOp>(gpu::Dimension::y);
  if (config.schedule.raster != GemmRaster::M) {
    int64_t rows = ceilDiv(shape.m, config.tileM);
    Value linear = b.create<arith::AddIOp>(
        tileM, b.create<arith::MulIOp>(tileN, indexConst(b, rows)));
    std::tie(tileM, tileN) = rasterTile(
        b, linear, rows, ceilDiv(shape.n, config.tileN), config.schedule);
  }
  tileRow = b.create<arith::MulIOp>(tileM, indexConst(b, config.tileM));
  tileCol = b.create<arith::MulIOp>(tileN, indexConst(b, config.tileN));
  aRowBase = bRowBase = indexConst(b, 0);
  if (shape.batched()) {
    // GEMM z: rows z * M of the flattened A, z * N of B.
    Value z = b.create<gpu::BlockIdOp>(gpu::Dimension::z);
    aRowBase = b.create<arith::MulIOp>(z, indexConst(b, shape.m));
    bRowBase = b.create<arith::MulIOp>(z, indexConst(b, shape.n));
  }
  emitSetup();
  emitMainLoop();
  emitEpilogue();
  emitTeardown();
  b.create<gpu::ReturnOp>();
}

//===----------------------------------------------------------------------===//
// Planning
//===----------------------------------------------------------------------===//

/// MX scaling: [1, 32] blocks.
static bool isMXScaling(ScalingAttr scaling) {
  return scaling.isBlock() && scaling.getBlock() == ArrayRef<int64_t>{1, 32};
}

/// NVFP4 (`.kind::mxf4nvf4.block_scale.scale_vec::4X`): E4M3 scales of
/// `[1, 16]` blocks on A, `[1, 16]` or `[16, 16]` on B, both global scales,
/// and K a multiple of 32 (the packed rows of K / 2 bytes need TMA's
/// 16-byte row strides).
static LogicalResult checkNVFP4Gemm(ScaledMatmulOp op) {
  ScalingAttr aScaling = op.getAScaling(), bScaling = op.getBScaling();
  auto isBlock = [](ScalingAttr scaling, int64_t rows) {
    return scaling.isBlock() &&
           scaling.getBlock() == ArrayRef<int64_t>{rows, 16};
  };
  if (!isBlock(aScaling, 1) || !(isBlock(bScaling, 1) || isBlock(bScaling, 16)))
    return op.emitOpError("with NVFP4 operands needs [1, 16] scales on A and "
                          "[1, 16] or [16, 16] on B for "
                          ".kind::mxf4nvf4.scale_vec::4X, got ")
           << aScaling << " and " << bScaling;
  if (!op.getAGlobal() || !op.getBGlobal())
    return op.emitOpError("with NVFP4 operands needs a_global and b_global "
                          "(the per-tensor scales the epilogue applies)");
  int64_t k = op.getA().getType().getShape().back();
  if (k % 32 != 0)
    return op.emitOpError("with NVFP4 operands needs K to be a multiple of "
                          "32 (packed rows of K / 2 bytes need TMA's 16-byte "
                          "row strides), got K = ")
           << k;
  return success();
}

/// Checks the op against what the kernel supports; fills `shape` except its
/// config, and `problem`.
static LogicalResult checkGemm(ScaledMatmulOp op, const ChipInfo &chip,
                               GemmShape &shape, GemmSM100Problem &problem) {
  if (failed(checkGemmLayout(op, chip,
                             "the tcgen05 GEMM reads both operands K-major")))
    return failure();
  ScalingAttr aScaling = op.getAScaling(), bScaling = op.getBScaling();
  Type aScaleType = op.getAScale().getType().getElementType();
  Type bScaleType = op.getBScale().getType().getElementType();
  bool aMX = isMXScaling(aScaling), bMX = isMXScaling(bScaling);
  std::string whyNot;
  bool nvfp4 = false, mxf4 = false;
  if (Type type = getNonFP8OperandType(op)) {
    // MX FP4 storage is decided by the readers (getSubByteStorage): both
    // operands Packed, or neither, for an MX GEMM.
    bool aPacked = false, bPacked = false;
    if (aMX && bMX) {
      aPacked = getSubByteStorage(op.getA(), aScaleType) ==
                SubByteStorage::Packed;
      bPacked = getSubByteStorage(op.getB(), bScaleType) ==
                SubByteStorage::Packed;
      if (aPacked != bPacked)
        return op.emitOpError("has no ")
               << chip.getName() << " kernel for MX FP4 operands stored "
               << (aPacked ? "packed (A) and padded (B)"
                           : "padded (A) and packed (B)")
               << ": an MX FP4 tensor that also feeds a GEMM with a non-FP4 "
                  "operand keeps the 16-byte containers of "
                  ".kind::mxf8f6f4, so every FP4 GEMM it meets must too";
    }
    FailureOr<Tcgen05MmaChoice> choice = chooseTcgen05Mma(
        op.getA().getType().getElementType(),
        op.getB().getType().getElementType(), aScaleType, bScaleType,
        aMX && bMX, aPacked && bPacked, whyNot);
    if (failed(choice))
      return op.emitOpError("has no ")
             << chip.getName() << " kernel for " << type
             << " operands with " << whyNot;
    nvfp4 = choice->kind == Tcgen05MmaKind::MXF4NVF4;
    mxf4 = choice->kind == Tcgen05MmaKind::MXF4;
  }
  if (nvfp4) {
    if (failed(checkNVFP4Gemm(op)))
      return failure();
  } else if (aMX || bMX) {
    if (!aMX || !bMX)
      return op.emitOpError("mixes MX block scaling with ")
             << (aMX ? bScaling : aScaling)
             << " scaling; tcgen05.mma.block_scale needs [1, 32] scales on "
                "both A and B";
    if (!isa<Float8E8M0FNUType>(aScaleType) ||
        !isa<Float8E8M0FNUType>(bScaleType))
      return op.emitOpError("with MX block scaling needs f8E8M0FNU scales "
                            "on ")
             << chip.getName()
             << " (tcgen05.mma.block_scale reads UE8M0), got " << aScaleType
             << " and " << bScaleType;
  } else {
    for (ScalingAttr scaling : {aScaling, bScaling})
      if (scaling.isBlock())
        return op.emitOpError("with block scaling ")
               << scaling << " has no " << chip.getName()
               << " kernel yet (tensor, rowwise, and MX [1, 32] with E8M0 "
                  "scales)";
  }

  FailureOr<GemmDims> dims = getTmaGemmDims(op, chip);
  if (failed(dims))
    return failure();
  static_cast<GemmSignature &>(shape) = GemmSignature::get(op, *dims);
  shape.aRowwise = aScaling.isRowwise();
  shape.bRowwise = bScaling.isRowwise();
  shape.bScaleRows = nvfp4 ? bScaling.getBlock()[0] : 1;
  problem.m = shape.m;
  problem.n = shape.n;
  problem.k = shape.k;
  problem.batch = shape.batch;
  problem.blockScaled = aMX || nvfp4;
  problem.nvfp4 = nvfp4;
  problem.mxf4 = mxf4;
  return success();
}

FailureOr<KernelPlan>
gpu_kernels::planScaledMatmulSM100Kernel(ScaledMatmulOp op,
                                         const ChipInfo &chip,
                                         const GemmSM100Overrides &overrides) {
  GemmShape shape;
  GemmSM100Problem problem;
  if (failed(checkGemm(op, chip, shape, problem)))
    return failure();
  if (auto error = configureGemmSM100(chip, problem, overrides, shape.config))
    return op.emitOpError("cannot use the GEMM options: ") << *error;
  const GemmSM100Config &config = shape.config;
  if (shape.runtimeM) {
    if (failed(checkRuntimeMOptions(op, chip, config.persistent,
                                    config.schedule.raster, /*clusterM=*/1)))
      return failure();
    if (config.warpSpecialized)
      return op.emitOpError("has a runtime M (A's rows), which the ")
             << chip.getName()
             << " GEMM does not take with gemm-warp-specialize=on (nor its "
                "CTA pairs, gemm-cluster=2x1): its 1-D grid of tiles is "
                "compiled in";
  }

  KernelPlan plan;
  plan.name = gemmKernelName("sm100", op, shape,
                             {config.tileM, config.tileN, config.tileK},
                             config.stages) +
              (config.warpSpecialized ? "_ws" : "") +
              (config.persistent ? "_persistent" : "") +
              (config.scaleLoadTma ? "_tmascales" : "") +
              (config.ctaPair ? "_cta2" : "") +
              (config.mxf4 ? "_mxf4" : "") +
              gemmKernelNameSuffix(shape) + config.schedule.nameSuffix();
  addGemmParams(op, shape, {config.tileM, config.tileK},
                {config.bTileRows(), config.tileK},
                config.schedule.l2Promotion,
                Float32Type::get(op.getContext()), config.numThreads() / 32,
                plan);
  // gemm-scale-load=tma: the E8M0 scales [rows, K / 32] are passed as TMA
  // descriptors (same place in the argument list), boxes of 128 rows x 16
  // bytes without swizzle.
  if (config.scaleLoadTma)
    for (KernelParam &param : plan.params)
      if (param.name == "a_scale" || param.name == "b_scale") {
        param.kind = KernelParam::Kind::TensorMap;
        param.kernelType = LLVM::LLVMPointerType::get(op.getContext());
        param.box = {GemmSM100Config::kScaleBoxRows,
                     GemmSM100Config::kScaleBoxBytes /
                         GemmSM100Config::kScaleBoxRows};
        param.swizzle128B = false;
        param.l2Promotion = config.schedule.l2Promotion;
      }
  // NVFP4 and .kind::mxf4: TMA reads the packed bytes of A and B, tileK of
  // them (2 * tileK values) a row per K step.
  if (config.packedFP4())
    for (KernelParam &param : plan.params)
      if (param.name == "a" || param.name == "b")
        param.packedFP4 = true;
  // A CTA pair covers 2 * tileM rows of D.
  if (failed(setGemmTileGrid(op, shape, config.tileM * config.pairCTAs(),
                             config.tileN, plan)))
    return failure();
  // The warp-specialized kernel walks a 1-D grid of tiles (one per CTA, or
  // persistentCTAs CTAs looping over them).
  if (config.warpSpecialized)
    plan.grid = {config.persistent
                     ? config.persistentCTAs
                     : plan.grid[0] * plan.grid[1] * plan.grid[2],
                 1, 1};
  // A CTA pair: two CTAs (a 2x1 cluster, neighbours along x) per tile of
  // 2 * tileM rows.
  if (config.ctaPair) {
    plan.grid[0] *= 2;
    plan.cluster = {2, 1, 1};
  }
  plan.block = {config.numThreads(), 1, 1};
  // Persistent CTAs are one per SM: ptxas may use the registers of the
  // whole SM (without the bound it held the persistent MXFP8 kernel with
  // TMA scales at 64 registers and spilled).
  if (config.persistent)
    plan.minBlocksPerSM = 1;
  plan.dynamicSharedMemory = config.dynamicSharedMemory();
  // With a runtime M, ptxas (CUDA 13.0) otherwise aims for a register count
  // that spills a few bytes (rowwise, 128x128, K = 2048); `.minnctapersm 1`
  // is a lower bound, so it limits no occupancy, and ptxas then keeps them
  // in registers.
  if (shape.runtimeM)
    plan.minBlocksPerSM = 1;

  plan.emitBody = [shape](ImplicitLocOpBuilder &b, ValueRange kernelArgs) {
    GemmArgs args = GemmArgs::unpack(kernelArgs, shape);
    GemmEmitter(b, shape, args).emit();
  };
  return plan;
}
