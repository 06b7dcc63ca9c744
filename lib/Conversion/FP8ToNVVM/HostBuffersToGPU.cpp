//===- HostBuffersToGPU.cpp - Host buffers as GPU managed memory ----------===//
//
// Part of fp8-mlir. The `fp8-host-buffers-to-gpu` pass: host allocations of
// the GPU pipeline become `gpu.alloc host_shared`, so kernels can read what
// the host computed and the host can read what kernels wrote.
//
//===----------------------------------------------------------------------===//

#include "fp8/Conversion/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::fp8 {
#define GEN_PASS_DEF_FP8HOSTBUFFERSTOGPU
#include "fp8/Conversion/Passes.h.inc"
} // namespace mlir::fp8

using namespace mlir;

namespace {

struct FP8HostBuffersToGPUPass
    : public fp8::impl::FP8HostBuffersToGPUBase<FP8HostBuffersToGPUPass> {
  void runOnOperation() override;
};

} // namespace

/// Whether `op` runs on the host, i.e. is not inside a gpu.module.
static bool isHostOp(Operation *op) {
  return !op->getParentOfType<gpu::GPUModuleOp>();
}

/// `memref.alloc` -> `gpu.alloc host_shared` (same sizes and symbols).
static void replaceAlloc(IRRewriter &rewriter, memref::AllocOp alloc) {
  rewriter.setInsertionPoint(alloc);
  auto managed = gpu::AllocOp::create(
      rewriter, alloc.getLoc(), alloc.getType(), /*asyncToken=*/Type(),
      /*asyncDependencies=*/ValueRange{}, alloc.getDynamicSizes(),
      alloc.getSymbolOperands(), /*hostShared=*/true);
  rewriter.replaceOp(alloc, managed.getMemref());
}

/// `memref.dealloc` of a managed buffer -> `gpu.dealloc` (async, the only
/// form gpu-to-llvm lowers, then waited for).
static void replaceDealloc(IRRewriter &rewriter, memref::DeallocOp dealloc) {
  rewriter.setInsertionPoint(dealloc);
  Location loc = dealloc.getLoc();
  auto tokenType = gpu::AsyncTokenType::get(rewriter.getContext());
  Value ready =
      gpu::WaitOp::create(rewriter, loc, tokenType, ValueRange{}).getAsyncToken();
  Value freed = gpu::DeallocOp::create(rewriter, loc, tokenType,
                                       ValueRange{ready}, dealloc.getMemref())
                    .getAsyncToken();
  gpu::WaitOp::create(rewriter, loc, Type(), ValueRange{freed});
  rewriter.eraseOp(dealloc);
}

void FP8HostBuffersToGPUPass::runOnOperation() {
  SmallVector<memref::AllocOp> allocs;
  SmallVector<memref::DeallocOp> deallocs;
  getOperation().walk([&](Operation *op) {
    if (!isHostOp(op))
      return;
    if (auto alloc = dyn_cast<memref::AllocOp>(op))
      allocs.push_back(alloc);
    else if (auto dealloc = dyn_cast<memref::DeallocOp>(op))
      deallocs.push_back(dealloc);
  });
  IRRewriter rewriter(&getContext());
  for (memref::DeallocOp dealloc : deallocs)
    if (dealloc.getMemref().getDefiningOp<memref::AllocOp>())
      replaceDealloc(rewriter, dealloc);
  for (memref::AllocOp alloc : allocs)
    replaceAlloc(rewriter, alloc);
}
