//===- HadamardKernels.cpp - fp8.hadamard kernel --------------------------===//
//
// Part of fp8-mlir. The random Hadamard transform of NVFP4 training: one
// thread per block of n (<= 16) consecutive elements along the last
// dimension, loaded with 16-byte vector loads, transformed in registers
// with the CPU lowering's arithmetic (products and sums in f32, summed in
// order of r from +0), stored with 16-byte vector stores. Plain f32 math:
// the same kernel runs on sm_90a and sm_100a.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Format.h"

#include <cmath>

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

/// The largest block the kernel transforms: n^2 additions and 2n values in
/// registers per thread.
static constexpr int64_t kMaxHadamardBlock = 16;

/// Transforms the block of `signs.size()` elements at element `offset` of
/// `input` into `output`:
///   y[c] = sum_r x[r] * M[r][c],  M[r][c] = s[r] (-1)^popcount(r & c) / sqrt(n)
/// as the CPU lowering (LowerHadamardToLinalg.cpp) computes it: the sum
/// starts at +0 and adds the f32 products in order of r, rounding after
/// every step, then rounds once to the output type. x * (-m) is -(x * m)
/// exactly, and a + (-p) is a - p, so each product is formed once,
/// `q[r] = x[r] * (1 / sqrt(n))`, and added or subtracted (no FMA: the
/// backend keeps mul.rn / add.rn apart).
static void emitHadamardBlock(ImplicitLocOpBuilder &b, Value input,
                              Value output, Value offset,
                              ArrayRef<bool> signs) {
  int64_t n = signs.size();
  Type inType = cast<MemRefType>(input.getType()).getElementType();
  Type outType = cast<MemRefType>(output.getType()).getElementType();
  Value x = loadAligned(b, input, offset, VectorType::get({n}, inType));
  // The f32 the CPU lowering's matrix holds: 1 / sqrt(n) rounded to f32.
  Value norm = f32Const(b, 1.0f / std::sqrt(static_cast<float>(n)));
  SmallVector<Value> products;
  for (int64_t r = 0; r < n; ++r)
    products.push_back(b.create<arith::MulFOp>(
        extendToF32(b, b.create<vector::ExtractOp>(x, r)), norm));
  SmallVector<Value> results;
  for (int64_t c = 0; c < n; ++c) {
    Value sum = f32Const(b, 0.0);
    for (int64_t r = 0; r < n; ++r) {
      bool negative =
          (llvm::popcount(static_cast<uint64_t>(r & c)) % 2 == 1) != signs[r];
      if (negative)
        sum = b.create<arith::SubFOp>(sum, products[r]);
      else
        sum = b.create<arith::AddFOp>(sum, products[r]);
    }
    if (!outType.isF32())
      sum = b.create<arith::TruncFOp>(outType, sum);
    results.push_back(sum);
  }
  Value y =
      b.create<vector::FromElementsOp>(VectorType::get({n}, outType), results);
  storeAligned(b, y, output, offset);
}

/// `signs` as hex digits, bit r set where signs[r] (-1): the kernel name's
/// part that tells transforms apart.
static std::string signsName(ArrayRef<bool> signs) {
  uint64_t mask = 0;
  for (auto [r, negative] : llvm::enumerate(signs))
    if (negative)
      mask |= uint64_t(1) << r;
  std::string name;
  llvm::raw_string_ostream os(name);
  os << llvm::format_hex_no_prefix(mask, (signs.size() + 3) / 4);
  return name;
}

FailureOr<KernelPlan> gpu_kernels::planHadamardKernel(HadamardOp op,
                                                      const ChipInfo &chip) {
  (void)chip; // f32 math only: every chip.
  ArrayRef<bool> signs = op.getSigns();
  int64_t n = signs.size();
  if (n > kMaxHadamardBlock)
    return op.emitOpError("has no GPU kernel for blocks of ")
           << n << " elements (at most " << kMaxHadamardBlock
           << ", the NVFP4 recipe's 16)";
  RankedTensorType inputType = op.getInput().getType();
  int64_t numElements = computeProduct(inputType.getShape());
  if (numElements == 0)
    return op.emitOpError("has no GPU kernel for empty tensors");
  int64_t numBlocks = numElements / n;
  Type inType = inputType.getElementType();
  Type outType = op.getType().getElementType();

  KernelPlan plan;
  plan.name = "fp8_hadamard_" + typeName(inType) + "_" + typeName(outType) +
              "_" + std::to_string(n) + "_" + signsName(signs) + "_" +
              shapeName(inputType.getShape());
  plan.params = {
      {KernelParam::Kind::Input, "input", 0,
       kernelBufferType(numElements, inType, std::nullopt)},
      {KernelParam::Kind::Output, "output", 0,
       kernelBufferType(numElements, outType, std::nullopt)},
  };
  plan.grid = {ceilDiv(numBlocks, kElementwiseBlockSize), 1, 1};
  plan.block = {kElementwiseBlockSize, 1, 1};
  SmallVector<bool> signValues(signs);
  plan.emitBody = [numBlocks, n, signValues](ImplicitLocOpBuilder &b,
                                             ValueRange args) {
    Value input = args[0], output = args[1];
    Value block = globalThreadIndex(b, kElementwiseBlockSize);
    Value inRange = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, block,
                                            indexConst(b, numBlocks));
    auto guard = b.create<scf::IfOp>(inRange, /*withElseRegion=*/false);
    b.setInsertionPointToStart(&guard.getThenRegion().front());
    emitHadamardBlock(b, input, output,
                      b.create<arith::MulIOp>(block, indexConst(b, n)),
                      signValues);
    b.setInsertionPointAfter(guard);
    b.create<gpu::ReturnOp>();
  };
  return plan;
}
