//===- QuantizeKernels.cpp - fp8.quantize / fp8.dequantize kernels --------===//
//
// Part of fp8-mlir. Elementwise cast kernels: each thread owns one chunk of
// up to 16 consecutive elements that share one scale, moved with 16-byte
// vector loads and stores, and converted two at a time with the paired
// FP8 cvt instructions of sm_89+ (FP4 / FP6 outputs: the sm_100a cvt's,
// stored in the GPU storage of docs/gpu-pipeline.md "FP4 and FP6";
// stochastically rounded FP4 four at a time with cvt.rs and SplitMix64 bits).
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include "fp8/Dialect/FP8/IR/FP8Types.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

namespace {

/// What specializes one quantize or dequantize kernel.
struct CastKernelShape {
  ArrayRef<int64_t> shape;
  int64_t numElements;
  ScaleLayout layout;
  int64_t scaleElements;
  /// Elements per thread chunk.
  int64_t chunk;
  /// Dynamic shapes: the rows are a kernel argument (numElements is then
  /// the element count of one row, scaleElements the scales of one row).
  bool runtimeRows = false;

  int64_t numChunks() const { return numElements / chunk; }
  std::array<int64_t, 3> grid() const {
    return {ceilDiv(numChunks(), kElementwiseBlockSize), 1, 1};
  }
  /// Runtime rows: the length of a buffer of `perRow` elements a row.
  std::optional<RuntimeExtent> runtimeLength(int64_t perRow) const {
    if (!runtimeRows)
      return std::nullopt;
    return RuntimeExtent{perRow, 1, 0};
  }
};

} // namespace

/// Checks what every cast kernel needs and fills in `shape`. FP4/FP6
/// `narrowType`s pass only where `subByteKernel` (the quantize kernel) and
/// the chip has their cvt instructions.
static LogicalResult checkCastOp(Operation *op, RankedTensorType data,
                                 RankedTensorType scale, ScalingAttr scaling,
                                 Type narrowType, const ChipInfo &chip,
                                 CastKernelShape &result,
                                 bool subByteKernel = false) {
  // A static tensor's scales are static too (their sizes are the data's).
  if (data.hasStaticShape() && !scale.hasStaticShape())
    return op->emitOpError("has no GPU kernel for dynamic shapes; the GPU "
                           "lowering needs static shapes");
  result.runtimeRows = !data.hasStaticShape();
  if (result.runtimeRows &&
      failed(checkRuntimeRowShape(op, data, scaling)))
    return failure();
  bool subByte = subByteKernel && isSubByteFormat(narrowType) &&
                 chip.hasFP4FP6Converts();
  if (subByte && result.runtimeRows)
    return op->emitOpError("has no GPU kernel for ")
           << narrowType << " with dynamic rows yet (FP4/FP6 kernels need "
           << "static shapes)";
  if (!subByte && failed(checkNarrowType(op, narrowType, chip)))
    return failure();
  // Dynamic rows: everything per row (the layout of one row stands for
  // every row, the groups being one row tall).
  SmallVector<int64_t, 2> rowShape = {1, data.getShape().back()};
  ArrayRef<int64_t> shape = result.runtimeRows ? ArrayRef(rowShape)
                                               : data.getShape();
  if (computeProduct(shape) == 0)
    return op->emitOpError("has no GPU kernel for empty tensors");
  result.shape = data.getShape();
  result.numElements = computeProduct(shape);
  result.layout = ScaleLayout::get(scaling, shape);
  result.scaleElements = result.runtimeRows && !scaling.isTensor()
                             ? result.layout.scaleCols
                             : scale.getNumElements();
  SmallVector<int64_t, 2> extents;
  if (scaling.isTensor()) {
    extents.push_back(result.numElements);
  } else {
    extents.push_back(result.layout.cols);
    extents.push_back(result.layout.groupCols);
  }
  result.chunk = chooseVectorWidth(/*elementBytes=*/1, extents);
  // The sub-byte cvt's convert pairs, and FP4 packs them along the row.
  if (subByte && (data.getRank() == 0 || data.getShape().back() % 2 != 0 ||
                  result.chunk % 2 != 0))
    return op->emitOpError("has no ")
           << chip.getName() << " kernel for " << narrowType
           << " rows of odd length or scale groups of odd width (FP4/FP6 "
              "convert pairs; FP4 packs two per byte along the row)";
  return success();
}

/// Emits the guard and the scale lookup shared by both kernels; calls
/// `emitChunk(offset, scale)` inside the guard.
/// `rows` is the runtime row count (null with static shapes).
static void emitChunkLoop(
    ImplicitLocOpBuilder &b, const CastKernelShape &shape, Value scales,
    Value rows,
    function_ref<void(ImplicitLocOpBuilder &, Value, Value)> emitChunk) {
  Value chunk = globalThreadIndex(b, kElementwiseBlockSize);
  Value numChunks = indexConst(b, shape.numChunks());
  if (rows)
    numChunks = b.create<arith::MulIOp>(rows, numChunks);
  Value inRange = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, chunk,
                                          numChunks);
  auto guard = b.create<scf::IfOp>(inRange, /*withElseRegion=*/false);
  b.setInsertionPointToStart(&guard.getThenRegion().front());
  Value offset = b.create<arith::MulIOp>(chunk, indexConst(b, shape.chunk));
  Value row, col;
  if (!shape.layout.scaling.isTensor()) {
    Value cols = indexConst(b, shape.layout.cols);
    row = b.create<arith::DivUIOp>(offset, cols);
    col = b.create<arith::RemUIOp>(offset, cols);
  }
  Value scale =
      loadScaleAsF32(b, scales, shape.layout.buildIndex(b, row, col));
  emitChunk(b, offset, scale);
  b.setInsertionPointAfter(guard);
  b.create<gpu::ReturnOp>();
}

/// Converts the chunk at `offset` of `input` into `output` with `scale`.
using CastChunkEmitter =
    std::function<void(ImplicitLocOpBuilder &b, Value input, Value output,
                       Value offset, Value scale)>;

/// The plan both cast kernels share: parameters input, scale and output, one
/// thread per chunk, and a body that runs `emitChunk` under emitChunkLoop.
/// Named `<prefix>_<in>_<out>_<scaling>_<shape>`, then `_<scale type>` when
/// the scales are not f32.
static KernelPlan planCastKernel(StringRef prefix, Type inType, Type outType,
                                 Type scaleElement, ScalingAttr scaling,
                                 const CastKernelShape &shape,
                                 CastChunkEmitter emitChunk) {
  KernelPlan plan;
  plan.name = prefix.str() + "_" + typeName(inType) + "_" + typeName(outType) +
              "_" + scalingName(scaling) + "_" + shapeName(shape.shape);
  if (!scaleElement.isF32())
    plan.name += "_" + typeName(scaleElement);
  // Tensor scales stay one f32 with runtime rows.
  std::optional<RuntimeExtent> scaleLength =
      scaling.isTensor() ? std::nullopt
                         : shape.runtimeLength(shape.scaleElements);
  std::optional<RuntimeExtent> dataLength =
      shape.runtimeLength(shape.numElements);
  plan.params = {
      {KernelParam::Kind::Input, "input", 0,
       kernelBufferType(shape.numElements, inType, dataLength)},
      {KernelParam::Kind::Input, "scale", 1,
       kernelBufferType(shape.scaleElements, scaleElement, scaleLength)},
      {KernelParam::Kind::Output, "output", 0,
       kernelBufferType(shape.numElements, outType, dataLength)},
  };
  plan.params[0].runtimeLength = dataLength;
  plan.params[1].runtimeLength = scaleLength;
  plan.params[2].runtimeLength = dataLength;
  plan.grid = shape.grid();
  plan.block = {kElementwiseBlockSize, 1, 1};
  if (shape.runtimeRows) {
    plan.runtimeRows = RuntimeRows{0, rowDims(cast<ShapedType>(
                                          RankedTensorType::get(shape.shape,
                                                                inType)))};
    addRuntimeRowsParam(plan, inType.getContext());
    plan.runtimeGrid[0] =
        RuntimeExtent{shape.numChunks(), kElementwiseBlockSize, 0};
  }
  plan.emitBody = [shape, emitChunk](ImplicitLocOpBuilder &b, ValueRange args) {
    Value input = args[0], scales = args[1], output = args[2];
    Value rows = shape.runtimeRows ? args[3] : Value();
    emitChunkLoop(b, shape, scales, rows,
                  [&](ImplicitLocOpBuilder &b, Value offset, Value scale) {
                    emitChunk(b, input, output, offset, scale);
                  });
  };
  return plan;
}

//===----------------------------------------------------------------------===//
// fp8.quantize
//===----------------------------------------------------------------------===//

/// q = cvt.rn.satfinite(x / scale), the division in f32.
static void emitQuantizeChunk(ImplicitLocOpBuilder &b, Value input,
                              Value output, Value offset, Value scale,
                              int64_t chunk, Type outType, bool saturate) {
  auto inputType = cast<MemRefType>(input.getType());
  Value x = loadAligned(b, input, offset,
                        VectorType::get({chunk}, inputType.getElementType()));
  auto scaled = [&](int64_t i) -> Value {
    if (i >= chunk)
      return f32Const(b, 0.0);
    Value element = b.create<vector::ExtractOp>(x, i);
    return b.create<arith::DivFOp>(extendToF32(b, element), scale);
  };
  SmallVector<Value> pairs;
  for (int64_t i = 0; i < chunk; i += 2)
    pairs.push_back(
        convertPairToFP8(b, scaled(i), scaled(i + 1), outType, saturate));

  Value packed;
  if (chunk == 1) {
    Value byte = b.create<arith::TruncIOp>(b.getI8Type(), pairs.front());
    packed = b.create<vector::FromElementsOp>(
        VectorType::get({1}, b.getI8Type()), byte);
  } else {
    packed = b.create<vector::FromElementsOp>(
        VectorType::get({chunk / 2}, b.getI16Type()), pairs);
  }
  Value q =
      b.create<vector::BitCastOp>(VectorType::get({chunk}, outType), packed);
  storeAligned(b, q, output, offset);
}

/// Stores the i8 vector `bytes` at byte `byteOffset` of the 1-D buffer
/// `buffer`, whatever its element type, aligned to its size (at most 16):
/// FP4/FP6 memrefs index whole bytes per element, their GPU storage does
/// not (FP4 is packed).
static void storeBytes(ImplicitLocOpBuilder &b, Value bytes, Value buffer,
                       Value byteOffset) {
  Value base = b.create<memref::ExtractAlignedPointerAsIndexOp>(buffer);
  Value address = b.create<arith::IndexCastOp>(
      b.getI64Type(), b.create<arith::AddIOp>(base, byteOffset));
  Value pointer = b.create<LLVM::IntToPtrOp>(
      LLVM::LLVMPointerType::get(b.getContext()), address);
  int64_t size = cast<VectorType>(bytes.getType()).getNumElements();
  b.create<LLVM::StoreOp>(bytes, pointer, std::min<int64_t>(size, 16));
}

/// The 16 bytes of a Padded16 unit of 16 FP4/FP6 `pairs` (the cvt
/// results: FP4 bytes of two nibbles, FP6 i16s of two 6-bit bytes): the
/// values bit-packed from bit 0 (element i at bits w*i, w = 4 or 6), then
/// zeros.
static Value packPadded16(ImplicitLocOpBuilder &b, ArrayRef<Value> pairs,
                          Type format) {
  int64_t width = isa<Float4E2M1FNType>(format) ? 4 : 6;
  SmallVector<Value> words(4, i32Const(b, 0));
  for (auto [p, pair] : llvm::enumerate(pairs)) {
    Value bits = b.create<arith::ExtUIOp>(b.getI32Type(), pair);
    // FP4: the cvt byte already holds elements 2p, 2p + 1 as 8 packed bits.
    // FP6: bytes 6-bit values 2p (low byte) and 2p + 1 (high byte).
    SmallVector<std::pair<Value, int64_t>> fields;
    if (width == 4) {
      fields.push_back({bits, 8});
    } else {
      fields.push_back({b.create<arith::AndIOp>(bits, i32Const(b, 0x3f)), 6});
      fields.push_back({b.create<arith::ShRUIOp>(bits, i32Const(b, 8)), 6});
    }
    int64_t position = static_cast<int64_t>(p) * 2 * width;
    for (auto [field, fieldWidth] : fields) {
      int64_t word = position / 32, shift = position % 32;
      words[word] = b.create<arith::OrIOp>(
          words[word], b.create<arith::ShLIOp>(field, i32Const(b, shift)));
      if (shift + fieldWidth > 32)
        words[word + 1] = b.create<arith::OrIOp>(
            words[word + 1],
            b.create<arith::ShRUIOp>(field, i32Const(b, 32 - shift)));
      position += fieldWidth;
    }
  }
  Value packed = b.create<vector::FromElementsOp>(
      VectorType::get({4}, b.getI32Type()), words);
  return b.create<vector::BitCastOp>(VectorType::get({16}, b.getI8Type()),
                                     packed);
}

/// The stochastic rounding of a quantize (`sr_seed`, `sr_offset`).
struct StochasticRounding {
  int64_t seed;
  int64_t offset;
};

/// An i64 constant (two's complement of `value`).
static Value i64Const(ImplicitLocOpBuilder &b, uint64_t value) {
  return b.create<arith::ConstantOp>(
      b.getI64IntegerAttr(static_cast<int64_t>(value)));
}

/// The 32 random bits of stochastic-rounding word `counter` (i64) under
/// `seed`, as an i32: the high half of the counter-th output (0-based) of
/// SplitMix64 seeded with `seed`, all arithmetic modulo 2^64 (the rule of
/// docs/numerics.md "Stochastic rounding", which the CPU lowering's
/// buildRandomBits computes too):
///   z = seed + (counter + 1) * 0x9E3779B97F4A7C15
///   z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
///   z = (z ^ (z >> 27)) * 0x94D049BB133111EB
///   bits = (z ^ (z >> 31)) >> 32
static Value buildSplitMix64HighBits(ImplicitLocOpBuilder &b, int64_t seed,
                                     Value counter) {
  auto xorShift = [&](Value z, int64_t shift) -> Value {
    return b.create<arith::XOrIOp>(
        z, b.create<arith::ShRUIOp>(z, i64Const(b, shift)));
  };
  Value z = b.create<arith::AddIOp>(
      i64Const(b, seed),
      b.create<arith::MulIOp>(b.create<arith::AddIOp>(counter, i64Const(b, 1)),
                              i64Const(b, 0x9E3779B97F4A7C15ull)));
  z = b.create<arith::MulIOp>(xorShift(z, 30),
                              i64Const(b, 0xBF58476D1CE4E5B9ull));
  z = b.create<arith::MulIOp>(xorShift(z, 27),
                              i64Const(b, 0x94D049BB133111EBull));
  z = xorShift(z, 31);
  return b.create<arith::TruncIOp>(
      b.getI32Type(), b.create<arith::ShRUIOp>(z, i64Const(b, 32)));
}

/// The FP4 bytes (two elements each, element 2p in the low nibble, as
/// convertPairToSubByte gives them) of the `chunk` f32 values `scaled(i)`
/// of the chunk at element `offset`, rounded stochastically: one cvt.rs per
/// four elements, with the bits of word `sr.offset + (offset + i) / 4`.
static SmallVector<Value>
convertChunkToFP4Stochastic(ImplicitLocOpBuilder &b,
                            function_ref<Value(int64_t)> scaled, Value offset,
                            int64_t chunk, const StochasticRounding &sr) {
  // The chunk starts on a word: chunk % 4 == 0 (planQuantizeSubByteKernel).
  Value firstWord = b.create<arith::AddIOp>(
      i64Const(b, sr.offset),
      b.create<arith::IndexCastOp>(
          b.getI64Type(), b.create<arith::DivUIOp>(offset, indexConst(b, 4))));
  SmallVector<Value> bytes;
  for (int64_t i = 0; i < chunk; i += 4) {
    Value bits = buildSplitMix64HighBits(
        b, sr.seed, b.create<arith::AddIOp>(firstWord, i64Const(b, i / 4)));
    Value quad = convertQuadToFP4Stochastic(
        b, {scaled(i), scaled(i + 1), scaled(i + 2), scaled(i + 3)}, bits);
    bytes.push_back(b.create<arith::TruncIOp>(b.getI8Type(), quad));
    bytes.push_back(b.create<arith::TruncIOp>(
        b.getI8Type(),
        b.create<arith::ShRUIOp>(
            quad, b.create<arith::ConstantIntOp>(b.getI16Type(), 8))));
  }
  return bytes;
}

/// q = cvt.rn.satfinite(x / scale) into FP4/FP6, or, with two-level
/// (NVFP4) scaling, cvt(x * ((1 / global) / scale)) as the CPU lowering
/// computes it, stored as `storage` says: Packed FP4 bytes (two elements
/// each) at byte `offset / 2`, a Padded16 unit (`chunk` = 16) at byte
/// `offset`. With `sr` (FP4 only) the cvt is cvt.rs, stochastic rounding.
static void emitQuantizeSubByteChunk(ImplicitLocOpBuilder &b, Value input,
                                     Value output, Value global, Value offset,
                                     Value scale, int64_t chunk, Type outType,
                                     SubByteStorage storage,
                                     std::optional<StochasticRounding> sr) {
  auto inputType = cast<MemRefType>(input.getType());
  Value x = loadAligned(b, input, offset,
                        VectorType::get({chunk}, inputType.getElementType()));
  Value inverse;
  if (global) {
    Value globalScale =
        b.create<memref::LoadOp>(global, ValueRange{indexConst(b, 0)});
    inverse = b.create<arith::DivFOp>(
        b.create<arith::DivFOp>(f32Const(b, 1.0), globalScale), scale);
  }
  auto scaled = [&](int64_t i) -> Value {
    Value element = extendToF32(b, b.create<vector::ExtractOp>(x, i));
    if (inverse)
      return b.create<arith::MulFOp>(element, inverse);
    return b.create<arith::DivFOp>(element, scale);
  };
  SmallVector<Value> pairs;
  if (sr) {
    pairs = convertChunkToFP4Stochastic(b, scaled, offset, chunk, *sr);
  } else {
    for (int64_t i = 0; i < chunk; i += 2)
      pairs.push_back(
          convertPairToSubByte(b, scaled(i), scaled(i + 1), outType));
  }
  if (storage == SubByteStorage::Padded16) {
    storeBytes(b, packPadded16(b, pairs, outType), output, offset);
    return;
  }
  Value bytes = b.create<vector::FromElementsOp>(
      VectorType::get({chunk / 2}, b.getI8Type()), pairs);
  storeBytes(b, bytes, output,
             b.create<arith::DivUIOp>(offset, indexConst(b, 2)));
}

/// The quantize kernel of FP4/FP6 outputs (sm_100a): the plain kernel's
/// chunks, the sub-byte cvt's and stores, and with two-level scaling the
/// per-tensor scale as a fourth parameter, `global`. Stochastic rounding
/// (`sr_seed`) is compiled in: seed and offset are in the kernel's name.
static FailureOr<KernelPlan> planQuantizeSubByteKernel(QuantizeOp op,
                                                       const ChipInfo &chip) {
  auto inputType = op.getInput().getType();
  auto scaleType = op.getScale().getType();
  Type outType = op.getResult().getType().getElementType();
  if (!op.getSaturate())
    return op.emitOpError("has no ")
           << chip.getName() << " kernel for " << outType
           << " with saturate = false (the FP4/FP6 cvt's saturate)";
  CastKernelShape shape;
  if (failed(checkCastOp(op, inputType, scaleType, op.getScaling(), outType,
                         chip, shape, /*subByteKernel=*/true)))
    return failure();
  Type inType = inputType.getElementType();
  Type scaleElement = scaleType.getElementType();
  // Decided by the readers of the result (MX FP4 feeding only .kind::mxf4
  // GEMMs is Packed).
  SubByteStorage storage = getSubByteStorage(op.getResult(), scaleElement);
  if (storage == SubByteStorage::Padded16 && shape.chunk != 16)
    return op.emitOpError("has no ")
           << chip.getName() << " kernel for " << outType
           << " rows or scale groups whose width is not a multiple of 16 "
              "(the MMA's 16-element containers)";
  std::optional<StochasticRounding> sr;
  if (op.getSrSeed()) {
    sr = StochasticRounding{static_cast<int64_t>(*op.getSrSeed()),
                            static_cast<int64_t>(op.getSrOffset().value_or(0))};
    if (shape.chunk % 4 != 0)
      return op.emitOpError("has no ")
             << chip.getName() << " kernel for stochastic rounding of rows "
             << "or scale groups whose width is not a multiple of 4 "
                "(cvt.rs.satfinite.e2m1x4 rounds four values with one "
                "random word)";
  }
  KernelPlan plan = planCastKernel(
      "fp8_quantize", inType, outType, scaleElement, op.getScaling(), shape,
      [=](ImplicitLocOpBuilder &b, Value input, Value output, Value offset,
          Value scale) {
        emitQuantizeSubByteChunk(b, input, output, /*global=*/Value(), offset,
                                 scale, shape.chunk, outType, storage, sr);
      });
  // Unsigned: a negative seed (two's complement, as SplitMix64 reads it)
  // must not put a '-' into the PTX entry name.
  if (sr)
    plan.name += "_sr" + std::to_string(static_cast<uint64_t>(sr->seed)) +
                 "_" + std::to_string(sr->offset);
  // MX FP4 is written either way: the name tells the kernels apart.
  if (storage == SubByteStorage::Packed && isa<Float8E8M0FNUType>(scaleElement))
    plan.name += "_packed";
  if (op.getGlobalScale()) {
    plan.name += "_global";
    plan.params.push_back({KernelParam::Kind::Input, "global", 2,
                           kernelBufferType(1, Float32Type::get(op.getContext()),
                                            /*runtimeLength=*/std::nullopt)});
    plan.emitBody = [shape, outType, storage, sr](ImplicitLocOpBuilder &b,
                                                  ValueRange args) {
      Value input = args[0], scales = args[1], output = args[2],
            global = args[3];
      // FP4/FP6 kernels have static rows (checkCastOp).
      emitChunkLoop(b, shape, scales, /*rows=*/Value(),
                    [&](ImplicitLocOpBuilder &b, Value offset, Value scale) {
                      emitQuantizeSubByteChunk(b, input, output, global,
                                               offset, scale, shape.chunk,
                                               outType, storage, sr);
                    });
    };
  }
  return plan;
}

FailureOr<KernelPlan> gpu_kernels::planQuantizeKernel(QuantizeOp op,
                                                      const ChipInfo &chip) {
  auto inputType = op.getInput().getType();
  auto scaleType = op.getScale().getType();
  Type outType = op.getResult().getType().getElementType();
  if (isSubByteFormat(outType) && chip.hasFP4FP6Converts())
    return planQuantizeSubByteKernel(op, chip);
  CastKernelShape shape;
  if (failed(checkCastOp(op, inputType, scaleType, op.getScaling(), outType,
                         chip, shape)))
    return failure();

  Type inType = inputType.getElementType();
  Type scaleElement = scaleType.getElementType();
  bool saturate = op.getSaturate();

  KernelPlan plan = planCastKernel(
      "fp8_quantize", inType, outType, scaleElement, op.getScaling(), shape,
      [=](ImplicitLocOpBuilder &b, Value input, Value output, Value offset,
          Value scale) {
        emitQuantizeChunk(b, input, output, offset, scale, shape.chunk, outType,
                          saturate);
      });
  if (!saturate)
    plan.name += "_nosat";
  return plan;
}

//===----------------------------------------------------------------------===//
// fp8.dequantize
//===----------------------------------------------------------------------===//

/// x = round(f32(q) * scale): q decoded exactly through f16 by
/// cvt.rn.f16x2.<fmt>x2, the product rounded once to the result type.
static void emitDequantizeChunk(ImplicitLocOpBuilder &b, Value input,
                                Value output, Value offset, Value scale,
                                int64_t chunk, Type inType, Type outType) {
  Value q = loadAligned(b, input, offset, VectorType::get({chunk}, inType));
  SmallVector<Value> pairs;
  if (chunk == 1) {
    Value bytes =
        b.create<vector::BitCastOp>(VectorType::get({1}, b.getI8Type()), q);
    Value byte = b.create<vector::ExtractOp>(bytes, 0);
    pairs.push_back(b.create<arith::ExtUIOp>(b.getI16Type(), byte));
  } else {
    Value halves = b.create<vector::BitCastOp>(
        VectorType::get({chunk / 2}, b.getI16Type()), q);
    for (int64_t i = 0; i < chunk / 2; ++i)
      pairs.push_back(b.create<vector::ExtractOp>(halves, i));
  }
  SmallVector<Value> results;
  auto finish = [&](Value value) {
    Value product = b.create<arith::MulFOp>(value, scale);
    if (!outType.isF32())
      product = b.create<arith::TruncFOp>(outType, product);
    results.push_back(product);
  };
  for (Value pair : pairs) {
    auto [first, second] = convertFP8PairToF32(b, pair, inType);
    finish(first);
    if (static_cast<int64_t>(results.size()) < chunk)
      finish(second);
  }
  Value x = b.create<vector::FromElementsOp>(
      VectorType::get({chunk}, outType), results);
  storeAligned(b, x, output, offset);
}

/// Loads `count` bytes (a vector of i8) at byte `byteOffset` of the 1-D
/// buffer `buffer`, whatever its element type, aligned to their size (at
/// most 16): the FP4/FP6 GPU storage is not one element per byte.
static Value loadBytes(ImplicitLocOpBuilder &b, Value buffer, Value byteOffset,
                       int64_t count) {
  Value base = b.create<memref::ExtractAlignedPointerAsIndexOp>(buffer);
  Value address = b.create<arith::IndexCastOp>(
      b.getI64Type(), b.create<arith::AddIOp>(base, byteOffset));
  Value pointer = b.create<LLVM::IntToPtrOp>(
      LLVM::LLVMPointerType::get(b.getContext()), address);
  return b.create<LLVM::LoadOp>(VectorType::get({count}, b.getI8Type()),
                                pointer, std::min<int64_t>(count, 16));
}

/// x = round((f32(q) * scale) [* global]) from FP4/FP6 `q` in its GPU
/// storage: Packed FP4 (NVFP4) reads `chunk / 2` bytes at byte
/// `offset / 2`, a Padded16 unit (MX, `chunk` = 16) 16 bytes at byte
/// `offset`. Pairs are decoded exactly by cvt.rn.f16x2.<fmt>x2; the
/// products are those of the CPU lowering, in its order (two-level:
/// `(q * scale) * global`), rounded once to the result type.
static void emitDequantizeSubByteChunk(ImplicitLocOpBuilder &b, Value input,
                                       Value output, Value global,
                                       Value offset, Value scale,
                                       int64_t chunk, Type inType,
                                       Type outType, SubByteStorage storage) {
  SmallVector<Value> pairs;
  if (storage == SubByteStorage::Padded16) {
    pairs = unpackPadded16Pairs(b, loadBytes(b, input, offset, 16), inType);
  } else {
    Value bytes =
        loadBytes(b, input, b.create<arith::DivUIOp>(offset, indexConst(b, 2)),
                  chunk / 2);
    for (int64_t i = 0; i < chunk / 2; ++i)
      pairs.push_back(b.create<vector::ExtractOp>(bytes, i));
  }
  Value globalScale;
  if (global)
    globalScale = b.create<memref::LoadOp>(global, ValueRange{indexConst(b, 0)});
  SmallVector<Value> results;
  auto finish = [&](Value value) {
    Value product = b.create<arith::MulFOp>(value, scale);
    if (globalScale)
      product = b.create<arith::MulFOp>(product, globalScale);
    if (!outType.isF32())
      product = b.create<arith::TruncFOp>(outType, product);
    results.push_back(product);
  };
  for (Value pair : pairs) {
    auto [first, second] = convertSubBytePairToF32(b, pair, inType);
    finish(first);
    finish(second);
  }
  Value x = b.create<vector::FromElementsOp>(
      VectorType::get({chunk}, outType), results);
  storeAligned(b, x, output, offset);
}

/// The dequantize kernel of FP4/FP6 inputs (sm_100a): the plain kernel's
/// chunks reading the GPU storage, and with two-level scaling the
/// per-tensor scale as a fourth parameter, `global`.
static FailureOr<KernelPlan> planDequantizeSubByteKernel(DequantizeOp op,
                                                         const ChipInfo &chip) {
  auto inputType = op.getInput().getType();
  auto scaleType = op.getScale().getType();
  Type inType = inputType.getElementType();
  CastKernelShape shape;
  if (failed(checkCastOp(op, inputType, scaleType, op.getScaling(), inType,
                         chip, shape, /*subByteKernel=*/true)))
    return failure();
  Type outType = op.getResult().getType().getElementType();
  Type scaleElement = scaleType.getElementType();
  SubByteStorage storage = getSubByteStorage(op.getInput(), scaleElement);
  if (storage == SubByteStorage::Padded16 && shape.chunk != 16)
    return op.emitOpError("has no ")
           << chip.getName() << " kernel for " << inType
           << " rows or scale groups whose width is not a multiple of 16 "
              "(the MMA's 16-element containers)";
  auto emit = [shape, inType, outType, storage](ImplicitLocOpBuilder &b,
                                                 ValueRange args) {
    Value input = args[0], scales = args[1], output = args[2];
    Value global = args.size() > 3 ? args[3] : Value();
    // FP4/FP6 kernels have static rows (checkCastOp).
    emitChunkLoop(b, shape, scales, /*rows=*/Value(),
                  [&](ImplicitLocOpBuilder &b, Value offset, Value scale) {
                    emitDequantizeSubByteChunk(b, input, output, global,
                                               offset, scale, shape.chunk,
                                               inType, outType, storage);
                  });
  };
  KernelPlan plan = planCastKernel(
      "fp8_dequantize", inType, outType, scaleElement, op.getScaling(), shape,
      /*emitChunk=*/nullptr);
  plan.emitBody = emit;
  if (op.getGlobalScale()) {
    plan.name += "_global";
    plan.params.push_back({KernelParam::Kind::Input, "global", 2,
                           kernelBufferType(1, Float32Type::get(op.getContext()),
                                            /*runtimeLength=*/std::nullopt)});
  }
  return plan;
}

FailureOr<KernelPlan>
gpu_kernels::planDequantizeKernel(DequantizeOp op, const ChipInfo &chip) {
  auto inputType = op.getInput().getType();
  auto scaleType = op.getScale().getType();
  Type inType = inputType.getElementType();
  if (isSubByteFormat(inType) && chip.hasFP4FP6Converts())
    return planDequantizeSubByteKernel(op, chip);
  CastKernelShape shape;
  if (failed(checkCastOp(op, inputType, scaleType, op.getScaling(), inType,
                         chip, shape)))
    return failure();

  Type outType = op.getResult().getType().getElementType();
  Type scaleElement = scaleType.getElementType();

  return planCastKernel("fp8_dequantize", inType, outType, scaleElement,
                        op.getScaling(), shape,
                        [=](ImplicitLocOpBuilder &b, Value input, Value output,
                            Value offset, Value scale) {
                          emitDequantizeChunk(b, input, output, offset, scale,
                                              shape.chunk, inType, outType);
                        });
}
