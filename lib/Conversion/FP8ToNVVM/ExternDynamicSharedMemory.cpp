//===- ExternDynamicSharedMemory.cpp - Dynamic shared memory as extern ----===//
//
// Part of fp8-mlir. The `fp8-extern-dynamic-shared-memory` pass: the
// dynamic shared memory of a kernel becomes an `.extern .shared` array, so
// ptxas places it after the static shared variables instead of among them.
//
//===----------------------------------------------------------------------===//

#include "fp8/Conversion/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"

namespace mlir::fp8 {
#define GEN_PASS_DEF_FP8EXTERNDYNAMICSHAREDMEMORY
#include "fp8/Conversion/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;

/// Alignment of the dynamic shared memory: the 128-byte swizzle pattern of
/// TMA and wgmma repeats every 1024 bytes.
static constexpr uint64_t kDynamicSharedAlignment = 1024;

namespace {

struct FP8ExternDynamicSharedMemoryPass
    : public fp8::impl::FP8ExternDynamicSharedMemoryBase<
          FP8ExternDynamicSharedMemoryPass> {
  void runOnOperation() override;
};

} // namespace

/// Whether `global` is what `gpu.dynamic_shared_memory` lowers to: a
/// zero-sized array in the shared address space.
static bool isDynamicSharedMemory(LLVM::GlobalOp global) {
  auto array = dyn_cast<LLVM::LLVMArrayType>(global.getGlobalType());
  return array && array.getNumElements() == 0 &&
         global.getAddrSpace() ==
             static_cast<unsigned>(NVVM::NVVMMemorySpace::Shared);
}

void FP8ExternDynamicSharedMemoryPass::runOnOperation() {
  getOperation().walk([](LLVM::GlobalOp global) {
    if (!isDynamicSharedMemory(global))
      return;
    global.setLinkage(LLVM::Linkage::External);
    global.removeValueAttr();
    global.setAlignment(kDynamicSharedAlignment);
  });
}
