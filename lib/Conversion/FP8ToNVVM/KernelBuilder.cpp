//===- KernelBuilder.cpp - What the fp8 GPU kernel emitters share ---------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

//===----------------------------------------------------------------------===//
// Naming
//===----------------------------------------------------------------------===//

std::string gpu_kernels::typeName(Type type) {
  std::string name;
  llvm::raw_string_ostream os(name);
  type.print(os);
  return name;
}

std::string gpu_kernels::scalingName(ScalingAttr scaling) {
  switch (scaling.getKind()) {
  case ScalingKind::tensor:
    return "tensor";
  case ScalingKind::rowwise:
    return "rowwise";
  case ScalingKind::block:
    return "block" + shapeName(scaling.getBlock());
  }
  llvm_unreachable("unknown scaling kind");
}

std::string gpu_kernels::shapeName(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string name;
  llvm::raw_string_ostream os(name);
  llvm::interleave(shape, os, "x");
  return name;
}

//===----------------------------------------------------------------------===//
// Target checks
//===----------------------------------------------------------------------===//

LogicalResult gpu_kernels::checkNarrowType(Operation *op, Type narrowType,
                                           const ChipInfo &chip) {
  if (isa<Float8E4M3FNType, Float8E5M2Type>(narrowType))
    return success();
  if (!chip.hasFP4FP6Converts())
    return op->emitOpError("converts ")
           << narrowType << ", which " << chip.getName()
           << " cannot do in hardware: the FP4/FP6 cvt "
              "instructions need sm_100a";
  return op->emitOpError("has no ")
         << chip.getName() << " kernel for " << narrowType
         << " yet (only f8E4M3FN and f8E5M2)";
}

//===----------------------------------------------------------------------===//
// ScaleLayout
//===----------------------------------------------------------------------===//

ScaleLayout ScaleLayout::get(ScalingAttr scaling, ArrayRef<int64_t> shape) {
  ScaleLayout layout;
  layout.scaling = scaling;
  layout.cols = shape.empty() ? 1 : shape.back();
  layout.rowsPerBatch = shape.size() >= 2 ? shape[shape.size() - 2] : 1;
  if (scaling.isTensor())
    return layout;
  auto [groupRows, groupCols] = scaling.getGroupExtent(shape);
  layout.groupRows = groupRows;
  layout.groupCols = groupCols;
  layout.scaleRows = ceilDiv(layout.rowsPerBatch, groupRows);
  layout.scaleCols = ceilDiv(layout.cols, groupCols);
  return layout;
}

Value ScaleLayout::buildIndex(ImplicitLocOpBuilder &b, Value row,
                              Value col) const {
  if (scaling.isTensor())
    return indexConst(b, 0);
  // Group row across batches: batch * scaleRows + (row % R) / groupRows.
  Value groupRow;
  if (rowsPerBatch % groupRows == 0) {
    groupRow = b.create<arith::DivUIOp>(row, indexConst(b, groupRows));
  } else {
    Value batch = b.create<arith::DivUIOp>(row, indexConst(b, rowsPerBatch));
    Value inBatch = b.create<arith::RemUIOp>(row, indexConst(b, rowsPerBatch));
    groupRow = b.create<arith::AddIOp>(
        b.create<arith::MulIOp>(batch, indexConst(b, scaleRows)),
        b.create<arith::DivUIOp>(inBatch, indexConst(b, groupRows)));
  }
  if (scaleCols == 1)
    return groupRow;
  Value groupCol = b.create<arith::DivUIOp>(col, indexConst(b, groupCols));
  return b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(groupRow, indexConst(b, scaleCols)), groupCol);
}

ScaleLayout::GroupOrigin ScaleLayout::buildGroupOrigin(ImplicitLocOpBuilder &b,
                                                      Value group) const {
  // group = (batch * scaleRows + groupRow) * scaleCols + groupCol.
  Value groupCol = b.create<arith::RemUIOp>(group, indexConst(b, scaleCols));
  Value rest = b.create<arith::DivUIOp>(group, indexConst(b, scaleCols));
  Value groupRow = b.create<arith::RemUIOp>(rest, indexConst(b, scaleRows));
  Value batch = b.create<arith::DivUIOp>(rest, indexConst(b, scaleRows));
  GroupOrigin origin;
  origin.rowInBatch =
      b.create<arith::MulIOp>(groupRow, indexConst(b, groupRows));
  origin.row = b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(batch, indexConst(b, rowsPerBatch)),
      origin.rowInBatch);
  origin.col = b.create<arith::MulIOp>(groupCol, indexConst(b, groupCols));
  return origin;
}

//===----------------------------------------------------------------------===//
// IR building blocks
//===----------------------------------------------------------------------===//

Value gpu_kernels::indexConst(ImplicitLocOpBuilder &b, int64_t value) {
  return b.create<arith::ConstantIndexOp>(value);
}

Value gpu_kernels::i32Const(ImplicitLocOpBuilder &b, int64_t value) {
  return b.create<arith::ConstantIntOp>(b.getI32Type(), value);
}

Value gpu_kernels::f32Const(ImplicitLocOpBuilder &b, double value) {
  return b.create<arith::ConstantOp>(b.getF32FloatAttr(value));
}

Value gpu_kernels::globalThreadIndex(ImplicitLocOpBuilder &b,
                                     int64_t blockSize) {
  Value block = b.create<gpu::BlockIdOp>(gpu::Dimension::x);
  Value thread = b.create<gpu::ThreadIdOp>(gpu::Dimension::x);
  return b.create<arith::AddIOp>(
      b.create<arith::MulIOp>(block, indexConst(b, blockSize)), thread);
}

Value gpu_kernels::extendToF32(ImplicitLocOpBuilder &b, Value value) {
  if (value.getType().isF32())
    return value;
  return b.create<arith::ExtFOp>(b.getF32Type(), value);
}

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

Value gpu_kernels::loadScaleAsF32(ImplicitLocOpBuilder &b, Value scales,
                                  Value index) {
  Value scale = b.create<memref::LoadOp>(scales, index);
  if (scale.getType().isF32())
    return scale;
  // E8M0: 2^(e - 127) is the f32 with biased exponent e, except e = 0
  // (2^-127, the f32 subnormal 0x00400000) and e = 0xFF (NaN).
  Value byte = b.create<arith::BitcastOp>(b.getI8Type(), scale);
  Value e = b.create<arith::ExtUIOp>(b.getI32Type(), byte);
  Value normal = b.create<arith::ShLIOp>(e, i32Const(b, 23));
  Value isZero =
      b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, e, i32Const(b, 0));
  Value isNaN =
      b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, e, i32Const(b, 0xff));
  Value bits = b.create<arith::SelectOp>(isZero, i32Const(b, 0x00400000),
                                         normal);
  bits = b.create<arith::SelectOp>(isNaN, i32Const(b, 0x7fc00000), bits);
  return b.create<arith::BitcastOp>(b.getF32Type(), bits);
}

/// The alignment in bytes of a whole-vector access: its size, at most 16.
static int64_t vectorAlignment(VectorType vectorType) {
  int64_t bytes = vectorType.getNumElements() *
                  vectorType.getElementTypeBitWidth() / 8;
  return std::min<int64_t>(16, std::max<int64_t>(1, bytes));
}

Value gpu_kernels::loadAligned(ImplicitLocOpBuilder &b, Value buffer,
                               Value offset, VectorType vectorType) {
  auto load = b.create<vector::LoadOp>(vectorType, buffer, ValueRange{offset});
  load.setAlignment(vectorAlignment(vectorType));
  return load;
}

void gpu_kernels::storeAligned(ImplicitLocOpBuilder &b, Value value,
                               Value buffer, Value offset) {
  auto store = b.create<vector::StoreOp>(value, buffer, ValueRange{offset});
  store.setAlignment(
      vectorAlignment(cast<VectorType>(value.getType())));
}

/// The byte `arith.truncf` gives for an f32 that overflows `fp8Type`:
/// NaN (0x7F) for E4M3FN, inf (0x7C) for E5M2, with the sign of `value`.
/// Overflow means rounding to nearest-even leaves the finite range: |x| >
/// 464 for E4M3FN (464 is the tie between 448 and 480 and rounds to 448),
/// |x| >= 61440 for E5M2 (the tie between 57344 and 65536 rounds to 65536).
static Value applyOverflow(ImplicitLocOpBuilder &b, Value value, Value byte,
                           Type fp8Type) {
  bool isE4M3 = isa<Float8E4M3FNType>(fp8Type);
  Value magnitude =
      b.create<arith::BitcastOp>(b.getF32Type(), absBits(b, value));
  Value overflows = b.create<arith::CmpFOp>(
      isE4M3 ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OGE,
      magnitude, f32Const(b, isE4M3 ? 464.0 : 61440.0));
  Value bits = b.create<arith::BitcastOp>(b.getI32Type(), value);
  Value sign = b.create<arith::ShRUIOp>(bits, i32Const(b, 24));
  sign = b.create<arith::AndIOp>(sign, i32Const(b, 0x80));
  Value special = b.create<arith::OrIOp>(sign, i32Const(b, isE4M3 ? 0x7f : 0x7c));
  special = b.create<arith::TruncIOp>(b.getI16Type(), special);
  return b.create<arith::SelectOp>(overflows, special, byte);
}

Value gpu_kernels::convertPairToFP8(ImplicitLocOpBuilder &b, Value lo,
                                    Value hi, Type fp8Type, bool saturate) {
  // PTX packs operand `a` into the high byte and `b` into the low byte.
  Value pair = b.create<NVVM::ConvertF32x2ToF8x2Op>(
      b.getI16Type(), hi, lo, NVVM::FPRoundingMode::RN,
      NVVM::SaturationMode::SATFINITE, /*relu=*/false, fp8Type);
  if (saturate)
    return pair;
  Value low = b.create<arith::AndIOp>(pair, b.create<arith::ConstantIntOp>(
                                                b.getI16Type(), 0xff));
  Value high = b.create<arith::ShRUIOp>(
      pair, b.create<arith::ConstantIntOp>(b.getI16Type(), 8));
  low = applyOverflow(b, lo, low, fp8Type);
  high = applyOverflow(b, hi, high, fp8Type);
  return b.create<arith::OrIOp>(
      low, b.create<arith::ShLIOp>(
               high, b.create<arith::ConstantIntOp>(b.getI16Type(), 8)));
}

std::pair<Value, Value> gpu_kernels::convertFP8PairToF32(ImplicitLocOpBuilder &b,
                                                         Value pair,
                                                         Type fp8Type) {
  auto bytesType = VectorType::get({2}, b.getI8Type());
  Value bytes = b.create<vector::BitCastOp>(
      bytesType, b.create<vector::BroadcastOp>(
                     VectorType::get({1}, b.getI16Type()), pair));
  auto halvesType = VectorType::get({2}, b.getF16Type());
  Value halves = b.create<NVVM::ConvertF8x2ToF16x2Op>(
      halvesType, bytes, /*relu=*/false, fp8Type);
  Value first = b.create<vector::ExtractOp>(halves, 0);
  Value second = b.create<vector::ExtractOp>(halves, 1);
  return {extendToF32(b, first), extendToF32(b, second)};
}

Value gpu_kernels::quantizePairsToFP8(ImplicitLocOpBuilder &b,
                                      ArrayRef<Value> f32Elements, Value scale,
                                      Type fp8Type, bool saturate) {
  assert(f32Elements.size() % 2 == 0 && "the cvt converts pairs");
  SmallVector<Value> pairs;
  for (size_t i = 0; i < f32Elements.size(); i += 2) {
    Value lo = b.create<arith::DivFOp>(f32Elements[i], scale);
    Value hi = b.create<arith::DivFOp>(f32Elements[i + 1], scale);
    pairs.push_back(convertPairToFP8(b, lo, hi, fp8Type, saturate));
  }
  int64_t count = f32Elements.size();
  Value packed = b.create<vector::FromElementsOp>(
      VectorType::get({count / 2}, b.getI16Type()), pairs);
  return b.create<vector::BitCastOp>(VectorType::get({count}, fp8Type),
                                     packed);
}

int64_t gpu_kernels::chooseVectorWidth(int64_t elementBytes,
                                       ArrayRef<int64_t> extents,
                                       int64_t maxBytes) {
  for (int64_t width : {16, 8, 4, 2}) {
    if (width * elementBytes > maxBytes)
      continue;
    if (llvm::all_of(extents, [&](int64_t e) { return e % width == 0; }))
      return width;
  }
  return 1;
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

GemmDims GemmDims::get(ScaledMatmulOp op) {
  // The verifier makes the batch dims of A, B and D equal.
  ArrayRef<int64_t> a = op.getA().getType().getShape();
  ArrayRef<int64_t> b = op.getB().getType().getShape();
  GemmDims dims;
  // The verifier keeps the element counts of A and B within int64.
  dims.batch = *checkedProduct(a.drop_back(2));
  dims.m = a[a.size() - 2];
  dims.k = a.back();
  dims.n = b[b.size() - 2];
  return dims;
}

LogicalResult gpu_kernels::checkGemmLayout(ScaledMatmulOp op,
                                           const ChipInfo &chip,
                                           StringRef kMajorWhy) {
  if (!op.getA().getType().hasStaticShape() ||
      !op.getB().getType().hasStaticShape())
    return op.emitOpError("has no GPU kernel for dynamic shapes; the GPU "
                          "lowering needs static shapes");
  if (!op.getTransposeB())
    return op.emitOpError("needs B K-major ([N, K], `transpose_b`) on ")
           << chip.getName() << ": " << kMajorWhy;
  return success();
}

FailureOr<GemmDims> gpu_kernels::getTmaGemmDims(ScaledMatmulOp op,
                                                const ChipInfo &chip) {
  GemmDims dims = GemmDims::get(op);
  if (dims.empty())
    return op.emitOpError("has no GPU kernel for empty operands");
  if (dims.k % 16 != 0)
    return op.emitOpError("needs K to be a multiple of 16 on ")
           << chip.getName()
           << " (TMA needs 16-byte row strides), got K = " << dims.k;
  // The TMA descriptors see A as [batch * M, K] and B as [batch * N, K].
  // Both products are element counts / K, within int64 by the verifier.
  for (auto [name, rows] : {std::make_pair("A", dims.batch * dims.m),
                            std::make_pair("B", dims.batch * dims.n)})
    if (rows > CudaLimits::kMaxTmaExtent)
      return op.emitOpError("needs ")
             << rows << " rows of " << name << " (batch dims folded in), "
             << "more than TMA's signed 32-bit coordinates reach (2^31)";
  if (dims.k > CudaLimits::kMaxTmaExtent)
    return op.emitOpError("needs K = ")
           << dims.k << ", more than TMA's signed 32-bit coordinates reach "
           << "(2^31)";
  return dims;
}

GemmArgs GemmArgs::unpack(ValueRange kernelArgs, bool hasBias,
                          bool hasOutScale, bool hasAmax) {
  GemmArgs args;
  unsigned next = 0;
  args.aMap = kernelArgs[next++];
  args.aScale = kernelArgs[next++];
  args.bMap = kernelArgs[next++];
  args.bScale = kernelArgs[next++];
  if (hasBias)
    args.bias = kernelArgs[next++];
  if (hasOutScale)
    args.outScale = kernelArgs[next++];
  args.out = kernelArgs[next++];
  if (hasAmax) {
    args.amax = kernelArgs[next++];
    args.partials = kernelArgs[next++];
  }
  return args;
}
