//===- FP8Ops.cpp - fp8 dialect operations --------------------------------===//
//
// Part of fp8-mlir. Verifiers: every message says what was expected and what
// was found.
//
//===----------------------------------------------------------------------===//

#include "fp8/Dialect/FP8/IR/FP8Ops.h"
#include "fp8/Dialect/FP8/IR/FP8Types.h"
#include "fp8/Support/CheckedShape.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::fp8;

#define GET_OP_CLASSES
#include "fp8/Dialect/FP8/IR/FP8Ops.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

/// Formats a shape as `[2, ?, 4]`.
static std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "[";
  llvm::interleaveComma(shape, os, [&](int64_t dim) {
    if (ShapedType::isDynamic(dim))
      os << "?";
    else
      os << dim;
  });
  os << "]";
  return text;
}

/// True when two shapes have the same rank and agree wherever both are static.
static bool shapesCompatible(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs) {
  if (lhs.size() != rhs.size())
    return false;
  for (auto [l, r] : llvm::zip_equal(lhs, rhs))
    if (!ShapedType::isDynamic(l) && !ShapedType::isDynamic(r) && l != r)
      return false;
  return true;
}

/// True when `result`, the shape of an op result, is `expected` (what the
/// operands give) or refines it: the same rank, and every static dim of
/// `expected` static and equal in `result`. A result dim may be static where
/// the operands' is dynamic, never dynamic where the operands fix it (the
/// lowerings size results from the operands).
static bool resultShapeMatches(ArrayRef<int64_t> expected,
                               ArrayRef<int64_t> result) {
  if (expected.size() != result.size())
    return false;
  for (auto [e, r] : llvm::zip_equal(expected, result))
    if (!ShapedType::isDynamic(e) && e != r)
      return false;
  return true;
}

/// Checks that every tensor operand and result of `op` can be held in memory:
/// its element count and its byte size fit in int64 (counting static dims).
static LogicalResult verifyAddressable(Operation *op) {
  auto check = [&](Type type, StringRef kind,
                   unsigned number) -> LogicalResult {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || checkedByteSize(tensor))
      return success();
    InFlightDiagnostic diag = op->emitOpError()
                              << kind << " #" << number << " of type " << type;
    if (!checkedProduct(tensor.getShape()))
      return diag << " has more elements than int64 can count";
    return diag << " has more bytes ("
                << getElementBytes(tensor.getElementType())
                << " per element) than int64 can count";
  };
  for (auto [number, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(check(type, "operand", number)))
      return failure();
  for (auto [number, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(check(type, "result", number)))
      return failure();
  return success();
}

/// True when a size is static and different from `expected` (also static).
static bool staticMismatch(int64_t size, int64_t expected) {
  return !ShapedType::isDynamic(size) && !ShapedType::isDynamic(expected) &&
         size != expected;
}

/// Checks that `scaleType` (named `what` in messages) is the per-group tensor
/// of `dataType` under `scaling`: rank requirements of the scaling, the exact
/// scale shape (ceil-div for ragged edges) and, for E8M0 elements, MX
/// block scaling. A scale that is a result of `op` (`isResult`) must also
/// be static wherever the data fix its shape.
static LogicalResult verifyScaleOf(Operation *op, StringRef what,
                                   RankedTensorType dataType,
                                   RankedTensorType scaleType,
                                   ScalingAttr scaling, bool isResult = false) {
  if (!scaling.isTensor() && dataType.getRank() < 2)
    return op->emitOpError()
           << scaling << " needs data of rank >= 2 ([..., rows, cols]), found "
           << dataType;
  SmallVector<int64_t> expected = scaling.getScaleShape(dataType.getShape());
  if (isResult ? !resultShapeMatches(expected, scaleType.getShape())
               : !shapesCompatible(expected, scaleType.getShape()))
    return op->emitOpError()
           << "expected " << what << " of shape " << formatShape(expected)
           << " for data of shape " << formatShape(dataType.getShape())
           << " under " << scaling << ", found "
           << formatShape(scaleType.getShape());
  if (isa<Float8E8M0FNUType>(scaleType.getElementType())) {
    auto [rows, cols] = scaling.getGroupExtent(dataType.getShape());
    bool isMX = scaling.isBlock() &&
                ((rows == 1 && cols == 32) || (rows == 32 && cols == 1));
    if (!isMX)
      return op->emitOpError()
             << "f8E8M0FNU " << what
             << " needs MX block scaling #fp8.scaling<block [1, 32]> (or "
                "[32, 1]), found "
             << scaling;
  }
  return success();
}

/// Checks the `format` and `margin` shared by the scale-producing ops.
static LogicalResult verifyScaleRule(Operation *op, Type format,
                                     int64_t margin) {
  if (!isNarrowDataType(format))
    return op->emitOpError() << "format must be one of f8E4M3FN, f8E5M2, "
                                "f6E2M3FN, f6E3M2FN, f4E2M1FN; found "
                             << format;
  if (margin < -127 || margin > 127)
    return op->emitOpError()
           << "margin must be in [-127, 127], found " << margin;
  return success();
}

//===----------------------------------------------------------------------===//
// FP4/FP6 and two-level (NVFP4) scales
//===----------------------------------------------------------------------===//

/// True for an f8E4M3FN scale element: the block scales of two-level
/// (NVFP4) scaling, which decode relative to a per-tensor f32 scale.
static bool isTwoLevelScale(Type scaleElement) {
  return isa<Float8E4M3FNType>(scaleElement);
}

/// True for the 4- and 6-bit data formats.
static bool isFP4OrFP6(Type type) {
  return isa<Float4E2M1FNType, Float6E2M3FNType, Float6E3M2FNType>(type);
}

/// Checks the two-level (NVFP4) rules of one operand: f8E4M3FN block scales
/// group 16 elements along the last dim (`[1, 16]` or the weights' `[16, 16]`)
/// of f4E2M1FN data and come with a rank-0 f32 per-tensor scale
/// `globalScale` (named `globalName`); other scales come without one. The
/// shape of `scaleType` is verifyScaleOf's business.
static LogicalResult verifyTwoLevelScaling(Operation *op, StringRef what,
                                           Type dataElement,
                                           RankedTensorType scaleType,
                                           ScalingAttr scaling,
                                           Value globalScale,
                                           StringRef globalName) {
  if (!isTwoLevelScale(scaleType.getElementType())) {
    if (globalScale)
      return op->emitOpError()
             << "a " << globalName
             << " scale applies to f8E4M3FN (two-level, NVFP4) block scales "
                "only, found "
             << what << " element type " << scaleType.getElementType();
    return success();
  }
  if (!isa<Float4E2M1FNType>(dataElement))
    return op->emitOpError()
           << "f8E4M3FN " << what
           << " (two-level, NVFP4) needs f4E2M1FN data, found "
           << dataElement;
  ArrayRef<int64_t> block = scaling.getBlock();
  if (!scaling.isBlock() || block[1] != 16 ||
      (block[0] != 1 && block[0] != 16))
    return op->emitOpError()
           << "f8E4M3FN " << what
           << " (two-level, NVFP4) needs #fp8.scaling<block [1, 16]> or "
              "[16, 16], found "
           << scaling;
  if (!globalScale)
    return op->emitOpError()
           << "f8E4M3FN " << what
           << " (two-level, NVFP4) needs the per-tensor f32 scale "
           << globalName << "(%g : tensor<f32>)";
  auto globalType = cast<RankedTensorType>(globalScale.getType());
  if (globalType.getRank() != 0)
    return op->emitOpError() << "expected a rank-0 " << globalName
                             << " scale (tensor<f32>), found " << globalType;
  return success();
}

/// Checks that f8E4M3FN (two-level, NVFP4) scales come with f4E2M1FN data,
/// and points FP6 data to MX scales. (E8M0 scales need MX blocks, which
/// verifyScaleOf checks; f32 scales stay allowed for FP4/FP6 data outside a
/// matmul, for casts and tests; fp8.scaled_matmul rejects them.)
static LogicalResult verifyNarrowFormatScale(Operation *op, StringRef what,
                                             Type dataElement,
                                             Type scaleElement) {
  if (isTwoLevelScale(scaleElement) && !isa<Float4E2M1FNType>(dataElement))
    return op->emitOpError()
           << "f8E4M3FN " << what
           << " (two-level, NVFP4) needs f4E2M1FN data, found "
           << dataElement
           << (isFP4OrFP6(dataElement)
                   ? "; FP6 takes MX scales (f8E8M0FNU, block [1, 32])"
                   : "");
  return success();
}

//===----------------------------------------------------------------------===//
// AmaxOp
//===----------------------------------------------------------------------===//

LogicalResult AmaxOp::verify() {
  if (failed(verifyAddressable(*this)))
    return failure();
  return verifyScaleOf(*this, "amax result", getInput().getType(),
                       getResult().getType(), getScaling(),
                       /*isResult=*/true);
}

//===----------------------------------------------------------------------===//
// ScaleFromAmaxOp
//===----------------------------------------------------------------------===//

/// The two-level (NVFP4) rules of fp8.scale_from_amax: an f8E4M3FN block
/// scale needs the per-tensor scale `global`, and `block_scale_type` marks
/// the f32 per-tensor scale itself.
static LogicalResult verifyTwoLevelScaleRule(ScaleFromAmaxOp op) {
  Type scaleElement = op.getScale().getType().getElementType();
  Value global = op.getGlobalScale();
  if (!isTwoLevelScale(scaleElement)) {
    if (global)
      return op.emitOpError()
             << "a global scale applies to f8E4M3FN (two-level, NVFP4) "
                "block scales only, found scale element type "
             << scaleElement;
    std::optional<Type> blockScaleType = op.getBlockScaleType();
    if (!blockScaleType)
      return success();
    if (!isa<Float8E4M3FNType>(*blockScaleType))
      return op.emitOpError() << "block_scale_type must be f8E4M3FN (the "
                                 "NVFP4 block scales), found "
                              << *blockScaleType;
    if (!scaleElement.isF32() || op.getPow2())
      return op.emitOpError()
             << "the per-tensor scale of two-level scaling "
                "('block_scale_type') is a plain f32 scale (no pow2), found "
                "scale element type "
             << scaleElement << (op.getPow2() ? " with pow2" : "");
    return success();
  }
  if (!isa<Float4E2M1FNType>(op.getFormat()))
    return op.emitOpError() << "f8E4M3FN (two-level, NVFP4) block scales "
                               "need format f4E2M1FN, found "
                            << op.getFormat();
  if (op.getPow2())
    return op.emitOpError() << "'pow2' does not apply to f8E4M3FN "
                               "(two-level, NVFP4) block scales";
  if (op.getBlockScaleType())
    return op.emitOpError()
           << "'block_scale_type' marks an f32 per-tensor scale; an "
              "f8E4M3FN result is a block scale";
  if (!global)
    return op.emitOpError() << "f8E4M3FN (two-level, NVFP4) block scales "
                               "need the per-tensor f32 scale "
                               "global(%g : tensor<f32>)";
  auto globalType = cast<RankedTensorType>(global.getType());
  if (globalType.getRank() != 0)
    return op.emitOpError()
           << "expected a rank-0 global scale (tensor<f32>), found "
           << globalType;
  return success();
}

LogicalResult ScaleFromAmaxOp::verify() {
  if (failed(verifyAddressable(*this)) ||
      failed(verifyScaleRule(*this, getFormat(), getMargin())))
    return failure();
  RankedTensorType amaxType = getAmax().getType();
  RankedTensorType scaleType = getScale().getType();
  if (!resultShapeMatches(amaxType.getShape(), scaleType.getShape()))
    return emitOpError() << "expected scale of the amax shape "
                         << formatShape(amaxType.getShape()) << ", found "
                         << formatShape(scaleType.getShape());
  bool isE8M0 = isa<Float8E8M0FNUType>(scaleType.getElementType());
  if (isE8M0 && getPow2())
    return emitOpError()
           << "'pow2' is implied by f8E8M0FNU scales; drop the attribute";
  if (!isE8M0 && getMxScale())
    return emitOpError() << "'mx_scale' applies to f8E8M0FNU scales only, "
                            "found scale element type "
                         << scaleType.getElementType();
  return verifyTwoLevelScaleRule(*this);
}

//===----------------------------------------------------------------------===//
// QuantizeOp / DequantizeOp
//===----------------------------------------------------------------------===//

/// Shared by quantize and dequantize: the result keeps the input's shape and
/// the scale matches the input under `scaling`.
static LogicalResult verifyElementwiseScaling(Operation *op,
                                              RankedTensorType inputType,
                                              RankedTensorType scaleType,
                                              RankedTensorType resultType,
                                              ScalingAttr scaling) {
  if (failed(verifyAddressable(op)))
    return failure();
  if (!resultShapeMatches(inputType.getShape(), resultType.getShape()))
    return op->emitOpError()
           << "expected result of the input shape "
           << formatShape(inputType.getShape()) << ", found "
           << formatShape(resultType.getShape());
  return verifyScaleOf(op, "scale", inputType, scaleType, scaling);
}

/// Stochastic rounding (`sr_seed`, `sr_offset`) is defined for saturating
/// casts to FP4 E2M1 (PTX `cvt.rs.satfinite.e2m1x4.f32`); `sr_offset`
/// means nothing without a seed.
static LogicalResult verifyStochasticRounding(QuantizeOp op) {
  if (!op.getSrSeed()) {
    if (op.getSrOffset())
      return op.emitOpError("'sr_offset' needs 'sr_seed' (stochastic "
                            "rounding is on where a seed is given)");
    return success();
  }
  Type format = op.getType().getElementType();
  if (!isa<Float4E2M1FNType>(format))
    return op.emitOpError("stochastic rounding ('sr_seed') is defined for "
                          "f4E2M1FN results only, found ")
           << format;
  if (!op.getSaturate())
    return op.emitOpError("stochastic rounding ('sr_seed') saturates "
                          "(cvt.rs.satfinite); it cannot be combined with "
                          "'saturate = false'");
  if (std::optional<int64_t> offset = op.getSrOffset(); offset && *offset < 0)
    return op.emitOpError("'sr_offset' must be >= 0, found ") << *offset;
  return success();
}

LogicalResult QuantizeOp::verify() {
  RankedTensorType resultType = getResult().getType();
  if (failed(verifyElementwiseScaling(*this, getInput().getType(),
                                      getScale().getType(), resultType,
                                      getScaling())) ||
      failed(verifyNarrowFormatScale(*this, "scale",
                                     resultType.getElementType(),
                                     getScale().getType().getElementType())) ||
      failed(verifyStochasticRounding(*this)))
    return failure();
  return verifyTwoLevelScaling(*this, "scale", resultType.getElementType(),
                               getScale().getType(), getScaling(),
                               getGlobalScale(), "global");
}

LogicalResult DequantizeOp::verify() {
  RankedTensorType inputType = getInput().getType();
  if (failed(verifyElementwiseScaling(*this, inputType, getScale().getType(),
                                      getResult().getType(), getScaling())) ||
      failed(verifyNarrowFormatScale(*this, "scale",
                                     inputType.getElementType(),
                                     getScale().getType().getElementType())))
    return failure();
  return verifyTwoLevelScaling(*this, "scale", inputType.getElementType(),
                               getScale().getType(), getScaling(),
                               getGlobalScale(), "global");
}

//===----------------------------------------------------------------------===//
// HadamardOp
//===----------------------------------------------------------------------===//

LogicalResult HadamardOp::verify() {
  int64_t n = getSigns().size();
  if (n < 2 || !llvm::isPowerOf2_64(n))
    return emitOpError("'signs' gives the block size, a power of two >= 2 "
                       "(the order of a Sylvester Hadamard matrix); found ")
           << n << " signs";
  RankedTensorType inputType = getInput().getType();
  if (inputType.getRank() == 0)
    return emitOpError("transforms the last dimension; the input has rank 0");
  int64_t last = inputType.getShape().back();
  if (ShapedType::isDynamic(last))
    return emitOpError("the last (transformed) dimension must be static, "
                       "a multiple of the block size ")
           << n;
  if (last % n != 0)
    return emitOpError("the last (transformed) dimension, ")
           << last << ", is not a multiple of the block size " << n;
  return success();
}

//===----------------------------------------------------------------------===//
// ScaledMatmulOp
//===----------------------------------------------------------------------===//

int64_t ScaledMatmulOp::getM() {
  ArrayRef<int64_t> shape = getA().getType().getShape();
  return shape[shape.size() - 2];
}

int64_t ScaledMatmulOp::getK() { return getA().getType().getShape().back(); }

int64_t ScaledMatmulOp::getN() {
  ArrayRef<int64_t> shape = getB().getType().getShape();
  return getTransposeB() ? shape[shape.size() - 2] : shape.back();
}

/// The number of K elements that share one scale of an operand, or
/// std::nullopt when one scale covers all of K. `kDim` is the position of K
/// in the operand's last two dims (0: rows, 1: cols). A rowwise scale along
/// a dynamic K groups all of K, a size known only at run time: the result
/// is then ShapedType::kDynamic.
static std::optional<int64_t> getKGroup(ScalingAttr scaling, unsigned kDim,
                                        int64_t k) {
  if (scaling.isTensor())
    return std::nullopt;
  int64_t group =
      scaling.isRowwise() ? (kDim == 1 ? k : 1) : scaling.getBlock()[kDim];
  if (!ShapedType::isDynamic(k) && group >= k)
    return std::nullopt;
  return group;
}

/// Checks that the scales of A and B count the same number of groups along
/// a dynamic K where both count them statically. With a static K,
/// verifyScaleOf already ties each count to K; with a dynamic K each scale
/// agrees with its data on its own, and only this check ties them to each
/// other (the reference lowering would read the shorter one out of
/// bounds). Called once the groups along K are known to be equal blocks.
static LogicalResult verifyKGroupCounts(ScaledMatmulOp op, int64_t group) {
  ArrayRef<int64_t> aScale = op.getAScale().getType().getShape();
  ArrayRef<int64_t> bScale = op.getBScale().getType().getShape();
  int64_t aCount = aScale.back();
  int64_t bCount = bScale[bScale.size() - (op.getTransposeB() ? 1 : 2)];
  if (!staticMismatch(aCount, bCount))
    return success();
  return op.emitOpError()
         << "expected the A and B scales to count the same groups of " << group
         << " along K (ceil(K / " << group << ") each; K is dynamic), found "
         << aCount << " in A scale " << formatShape(aScale) << " and "
         << bCount << " in B scale " << formatShape(bScale);
}

/// The two-level (NVFP4) rules of fp8.scaled_matmul: f8E4M3FN scales on
/// both operands or neither, each operand as fp8.quantize takes it (f4E2M1FN
/// data, 16 elements along K, its per-tensor scale a_global / b_global), and
/// B blocked along K: `[1, 16]`/`[16, 16]` with transpose_b.
static LogicalResult verifyTwoLevelMatmul(ScaledMatmulOp op) {
  Type aScale = op.getAScale().getType().getElementType();
  Type bScale = op.getBScale().getType().getElementType();
  if (isTwoLevelScale(aScale) != isTwoLevelScale(bScale))
    return op.emitOpError()
           << "two-level (NVFP4, f8E4M3FN) scales must be given for both A "
              "and B or for neither, found "
           << aScale << " and " << bScale;
  if (isTwoLevelScale(bScale) && !op.getTransposeB())
    return op.emitOpError() << "two-level (NVFP4) scaling of B needs "
                               "transpose_b: its blocks run along K";
  if (failed(verifyTwoLevelScaling(op, "A scale",
                                   op.getA().getType().getElementType(),
                                   op.getAScale().getType(), op.getAScaling(),
                                   op.getAGlobal(), "a_global")))
    return failure();
  return verifyTwoLevelScaling(op, "B scale",
                               op.getB().getType().getElementType(),
                               op.getBScale().getType(), op.getBScaling(),
                               op.getBGlobal(), "b_global");
}

LogicalResult ScaledMatmulOp::verify() {
  if (failed(verifyAddressable(*this)))
    return failure();
  RankedTensorType aType = getA().getType(), bType = getB().getType();
  RankedTensorType resultType = getResult().getType();
  int64_t rank = aType.getRank();

  // Shapes.
  if (rank < 2)
    return emitOpError() << "expected A of rank >= 2 ([b..., M, K]), found "
                         << aType;
  if (bType.getRank() != rank || resultType.getRank() != rank)
    return emitOpError() << "expected A, B and the result to have the same "
                            "rank (same batch dims), found ranks "
                         << rank << ", " << bType.getRank() << " and "
                         << resultType.getRank();
  ArrayRef<int64_t> aShape = aType.getShape(), bShape = bType.getShape();
  ArrayRef<int64_t> resultShape = resultType.getShape();
  if (!shapesCompatible(aShape.drop_back(2), bShape.drop_back(2)) ||
      !shapesCompatible(aShape.drop_back(2), resultShape.drop_back(2)))
    return emitOpError() << "expected equal batch dims of A, B and the result, "
                            "found "
                         << formatShape(aShape.drop_back(2)) << ", "
                         << formatShape(bShape.drop_back(2)) << " and "
                         << formatShape(resultShape.drop_back(2));
  int64_t k = getK();
  int64_t bK = getTransposeB() ? bShape.back() : bShape[rank - 2];
  if (staticMismatch(bK, k))
    return emitOpError() << "expected B to have K = " << k << " (A is "
                         << formatShape(aShape) << "), found "
                         << formatShape(bShape)
                         << (getTransposeB() ? " with transpose_b ([N, K])"
                                             : " ([K, N])");
  if (staticMismatch(resultShape[rank - 2], getM()) ||
      staticMismatch(resultShape.back(), getN()))
    return emitOpError() << "expected result of shape [..., "
                         << formatShape({getM(), getN()}).substr(1)
                         << ", found " << formatShape(resultShape);
  // The result is static wherever A and B fix it.
  SmallVector<int64_t> expected;
  for (auto [aDim, bDim] : llvm::zip_equal(aShape.drop_back(2),
                                           bShape.drop_back(2)))
    expected.push_back(ShapedType::isDynamic(aDim) ? bDim : aDim);
  expected.append({getM(), getN()});
  if (!resultShapeMatches(expected, resultShape))
    return emitOpError() << "expected result of shape "
                         << formatShape(expected)
                         << " (static where A and B are), found "
                         << formatShape(resultShape);

  // Scales.
  if (failed(verifyScaleOf(*this, "A scale", aType, getAScale().getType(),
                           getAScaling())) ||
      failed(verifyScaleOf(*this, "B scale", bType, getBScale().getType(),
                           getBScaling())))
    return failure();
  bool aIsMX = isa<Float8E8M0FNUType>(getAScale().getType().getElementType());
  bool bIsMX = isa<Float8E8M0FNUType>(getBScale().getType().getElementType());
  if (aIsMX != bIsMX)
    return emitOpError() << "MX (f8E8M0FNU) scales must be given for both A "
                            "and B or for neither, found "
                         << getAScale().getType().getElementType() << " and "
                         << getBScale().getType().getElementType();
  if (failed(verifyTwoLevelMatmul(*this)))
    return failure();
  bool isTwoLevel = isTwoLevelScale(getAScale().getType().getElementType());
  for (auto [name, type, isMX] :
       {std::make_tuple("A", aType, aIsMX), std::make_tuple("B", bType, bIsMX)})
    if (!isMX && !isTwoLevel &&
        !isa<Float8E4M3FNType, Float8E5M2Type>(type.getElementType()))
      return emitOpError() << name << " element type "
                           << type.getElementType()
                           << " needs block scaling: MX (f8E8M0FNU scales, "
                              "block [1, 32]) or, for f4E2M1FN, two-level "
                              "NVFP4 (f8E4M3FN scales, block [1, 16]); only "
                              "f8E4M3FN and f8E5M2 take f32 scales";

  // Scale groups along K.
  if (getBScaling().isRowwise() && !getTransposeB())
    return emitOpError() << "rowwise scaling of B needs transpose_b: the rows "
                            "of a [K, N] operand run along K";
  if (aIsMX && (getAScaling().getBlock()[1] != 32 ||
                getBScaling().getBlock()[getTransposeB() ? 1 : 0] != 32))
    return emitOpError() << "MX scales must group 32 elements along K (A "
                            "block [1, 32]; B [1, 32] with transpose_b, else "
                            "[32, 1]), found "
                         << getAScaling() << " and " << getBScaling();
  std::optional<int64_t> aGroup = getKGroup(getAScaling(), 1, k);
  std::optional<int64_t> bGroup =
      getKGroup(getBScaling(), getTransposeB() ? 1 : 0, k);
  // A rowwise group along a dynamic K (all of K) matches a block of B only
  // when K is at most the block, which only the run time knows: accepted,
  // as every dynamic size is where it may be right (the reference lowering
  // computes the product for any K; the GPU path needs static shapes).
  bool groupIsDynamic = (aGroup && ShapedType::isDynamic(*aGroup)) ||
                        (bGroup && ShapedType::isDynamic(*bGroup));
  if (aGroup && bGroup && !groupIsDynamic && *aGroup != *bGroup)
    return emitOpError() << "mismatched scale groups along K: A groups "
                         << *aGroup << " elements of K, B groups " << *bGroup;
  if (aGroup && bGroup && !groupIsDynamic && ShapedType::isDynamic(k) &&
      failed(verifyKGroupCounts(*this, *aGroup)))
    return failure();

  // Epilogue.
  if (Value bias = getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getRank() != 1 || staticMismatch(biasType.getDimSize(0), getN()))
      return emitOpError() << "expected bias of shape [" << getN()
                           << "] (one value per output column), found "
                           << formatShape(biasType.getShape());
  }
  bool fp8Result = isNarrowDataType(resultType.getElementType());
  if (fp8Result && !getOutScale())
    return emitOpError() << "an FP8 result (" << resultType.getElementType()
                         << ") needs an out_scale";
  if (!fp8Result && getOutScale())
    return emitOpError() << "out_scale applies to FP8 results only, found "
                            "result element type "
                         << resultType.getElementType();
  if (Value outScale = getOutScale())
    if (cast<RankedTensorType>(outScale.getType()).getRank() != 0)
      return emitOpError() << "expected a rank-0 out_scale (tensor<f32>), "
                              "found "
                           << outScale.getType();
  if (Value amax = getAmax())
    if (cast<RankedTensorType>(amax.getType()).getRank() != 0)
      return emitOpError() << "expected a rank-0 amax result (tensor<f32>), "
                              "found "
                           << amax.getType();
  return success();
}

//===----------------------------------------------------------------------===//
// AmaxHistoryPushOp / ScaleFromHistoryOp
//===----------------------------------------------------------------------===//

/// Checks that `history` is `[L, groups...]` with L >= 1 and `groups` equal to
/// `groupShape`.
static LogicalResult verifyHistoryShape(Operation *op,
                                        RankedTensorType historyType,
                                        ArrayRef<int64_t> groupShape,
                                        StringRef groupName) {
  if (failed(verifyAddressable(op)))
    return failure();
  ArrayRef<int64_t> shape = historyType.getShape();
  if (shape.empty())
    return op->emitOpError()
           << "expected a history of shape [L, ...], found a rank-0 tensor";
  if (!ShapedType::isDynamic(shape[0]) && shape[0] < 1)
    return op->emitOpError() << "expected a history length L >= 1, found "
                             << shape[0];
  if (!shapesCompatible(shape.drop_front(), groupShape))
    return op->emitOpError()
           << "expected a history of shape [L, " << groupName << "...] = [L"
           << (groupShape.empty() ? "" : ", ")
           << formatShape(groupShape).substr(1) << ", found "
           << formatShape(shape);
  return success();
}

LogicalResult AmaxHistoryPushOp::verify() {
  return verifyHistoryShape(*this, getHistory().getType(),
                            getAmax().getType().getShape(), "amax shape");
}

LogicalResult ScaleFromHistoryOp::verify() {
  if (failed(verifyScaleRule(*this, getFormat(), getMargin())))
    return failure();
  ArrayRef<int64_t> historyShape = getHistory().getType().getShape();
  ArrayRef<int64_t> scaleShape = getScale().getType().getShape();
  if (failed(verifyHistoryShape(*this, getHistory().getType(), scaleShape,
                                "scale shape")))
    return failure();
  if (!resultShapeMatches(historyShape.drop_front(), scaleShape))
    return emitOpError() << "expected scale of shape "
                         << formatShape(historyShape.drop_front())
                         << " (the history " << formatShape(historyShape)
                         << " without its first dim), found "
                         << formatShape(scaleShape);
  return success();
}

//===----------------------------------------------------------------------===//
// Fused ops (formed by fp8-fuse-quantize)
//===----------------------------------------------------------------------===//

/// Checks the scale rounding attributes against the scale element type, as
/// fp8.scale_from_amax does.
static LogicalResult verifyScaleRounding(Operation *op, Type scaleElement,
                                         bool pow2, bool hasMXScale) {
  bool isE8M0 = isa<Float8E8M0FNUType>(scaleElement);
  if (isE8M0 && pow2)
    return op->emitOpError()
           << "'pow2' is implied by f8E8M0FNU scales; drop the attribute";
  if (!isE8M0 && hasMXScale)
    return op->emitOpError() << "'mx_scale' applies to f8E8M0FNU scales only, "
                                "found scale element type "
                             << scaleElement;
  return success();
}

/// The fused ops have no per-tensor operand: two-level (NVFP4) scales stay
/// with the unfused ops.
static LogicalResult verifyNoTwoLevelScale(Operation *op,
                                           RankedTensorType scaleType) {
  if (isTwoLevelScale(scaleType.getElementType()))
    return op->emitOpError()
           << "takes no two-level (NVFP4, f8E4M3FN) scales: it has no "
              "per-tensor scale operand; found scale type "
           << scaleType;
  return success();
}

LogicalResult QuantizeWithAmaxOp::verify() {
  if (failed(verifyAddressable(*this)) ||
      failed(verifyScaleRule(*this, getFormat(), getMargin())))
    return failure();
  RankedTensorType inputType = getInput().getType();
  if (!resultShapeMatches(inputType.getShape(),
                          getResult().getType().getShape()))
    return emitOpError() << "expected result of the input shape "
                         << formatShape(inputType.getShape()) << ", found "
                         << formatShape(getResult().getType().getShape());
  if (failed(verifyScaleOf(*this, "scale result", inputType,
                           getScale().getType(), getScaling(),
                           /*isResult=*/true)) ||
      failed(verifyNoTwoLevelScale(*this, getScale().getType())))
    return failure();
  return verifyScaleRounding(*this, getScale().getType().getElementType(),
                             getPow2(), getMxScale().has_value());
}

/// The shape of the transpose of the last two dims of `shape` (rank >= 2).
static SmallVector<int64_t> transposedShape(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> result(shape);
  std::swap(result[result.size() - 2], result.back());
  return result;
}

/// Checks that `input` of a transposing op has the rank it needs.
static LogicalResult verifyTransposable(Operation *op,
                                        RankedTensorType inputType) {
  if (inputType.getRank() < 2)
    return op->emitOpError()
           << "transposes the last two dimensions: expected an input of "
              "rank >= 2, found "
           << inputType;
  return success();
}

LogicalResult QuantizeTransposedOp::verify() {
  if (failed(verifyAddressable(*this)) ||
      failed(verifyTransposable(*this, getInput().getType())))
    return failure();
  SmallVector<int64_t> expected =
      transposedShape(getInput().getType().getShape());
  RankedTensorType resultType = getResult().getType();
  if (!resultShapeMatches(expected, resultType.getShape()))
    return emitOpError() << "expected result of the transposed input shape "
                         << formatShape(expected) << ", found "
                         << formatShape(resultType.getShape());
  if (failed(verifyNoTwoLevelScale(*this, getScale().getType())))
    return failure();
  return verifyScaleOf(*this, "scale", resultType, getScale().getType(),
                       getScaling());
}

LogicalResult AmaxTransposedOp::verify() {
  if (failed(verifyAddressable(*this)) ||
      failed(verifyTransposable(*this, getInput().getType())))
    return failure();
  RankedTensorType inputType = getInput().getType();
  auto transposedType = RankedTensorType::get(
      transposedShape(inputType.getShape()), inputType.getElementType());
  return verifyScaleOf(*this, "amax result", transposedType,
                       getResult().getType(), getScaling(),
                       /*isResult=*/true);
}
