//===- CheckedShape.h - Shape arithmetic that cannot overflow ---*- C++ -*-===//
//
// Part of fp8-mlir. Element counts, byte sizes and ceil-divisions of tensor
// sizes. Static dims go up to INT64_MAX, so the naive forms wrap
// ((a + b - 1) / b, a * b): these report overflow instead, or saturate where
// a count is only compared with a small limit.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_SUPPORT_CHECKEDSHAPE_H
#define FP8_SUPPORT_CHECKEDSHAPE_H

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <limits>
#include <optional>

namespace mlir::fp8 {

/// ceil(size / divisor) for a size >= 0 and a divisor > 0. Unlike
/// (size + divisor - 1) / divisor it never overflows.
constexpr int64_t ceilDiv(int64_t size, int64_t divisor) {
  assert(size >= 0 && divisor > 0 && "ceilDiv of a size by a positive count");
  return size / divisor + (size % divisor != 0 ? 1 : 0);
}

/// The product of the static sizes in `sizes` (dynamic ones are skipped), or
/// std::nullopt when it overflows int64.
inline std::optional<int64_t> checkedProduct(ArrayRef<int64_t> sizes) {
  int64_t product = 1;
  for (int64_t size : sizes) {
    if (ShapedType::isDynamic(size))
      continue;
    std::optional<int64_t> next = llvm::checkedMul(product, size);
    if (!next)
      return std::nullopt;
    product = *next;
  }
  return product;
}

/// The product of `sizes` (each >= 0), saturated at INT64_MAX: for counts
/// that are only compared with a limit (the CTAs of a grid against the SMs).
inline int64_t saturatingProduct(ArrayRef<int64_t> sizes) {
  uint64_t product = 1;
  for (int64_t size : sizes) {
    assert(size >= 0 && "sizes are non-negative");
    product = llvm::SaturatingMultiply(product, static_cast<uint64_t>(size));
  }
  return static_cast<int64_t>(
      std::min<uint64_t>(product, std::numeric_limits<int64_t>::max()));
}

/// Bytes one element of `elementType` (an integer or float type) takes in a
/// buffer: whole bytes, so a 4- or 6-bit float takes one. (The CPU runner's
/// getStorageBytes, which rounds up to a power of two for the host ABI, is
/// a different rule.)
inline int64_t getElementBytes(Type elementType) {
  return static_cast<int64_t>(
      llvm::divideCeil(elementType.getIntOrFloatBitWidth(), 8));
}

/// The bytes of the static part of `type` (the product of its static dims
/// times getElementBytes), or std::nullopt when the element count or the
/// byte size overflows int64.
inline std::optional<int64_t> checkedByteSize(ShapedType type) {
  std::optional<int64_t> elements = checkedProduct(type.getShape());
  if (!elements)
    return std::nullopt;
  return llvm::checkedMul(*elements, getElementBytes(type.getElementType()));
}

} // namespace mlir::fp8

#endif // FP8_SUPPORT_CHECKEDSHAPE_H
