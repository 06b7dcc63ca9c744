//===- Reductions.h - Warp and CTA max reductions ---------------*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: the amax
// reductions over a warp and over a CTA, with integer shuffles on every
// chip and with float redux.sync where the chip has it.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_REDUCTIONS_H
#define FP8_LIB_CONVERSION_FP8TONVVM_REDUCTIONS_H

#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::fp8::gpu_kernels {

//===----------------------------------------------------------------------===//
// Integer max reductions (every chip)
//===----------------------------------------------------------------------===//

/// The f32 bit pattern of |x| as i32. For non-negative floats the integer
/// order is the float order, and every NaN sorts above +inf, so an unsigned
/// integer max of these patterns is a NaN-propagating float max.
Value absBits(ImplicitLocOpBuilder &b, Value f32Value);

/// Max over groups of `lanes` consecutive lanes (a power of two <= 32) of a
/// warp with `shfl.sync.bfly`; every lane of the group gets the result. All
/// 32 lanes must execute it.
Value warpMaxU32(ImplicitLocOpBuilder &b, Value value, int64_t lanes);

/// `atom.global.max.u32` on element `index` of a 1-D f32 buffer, whose bits
/// are read as unsigned integers (see absBits).
void atomicMaxBits(ImplicitLocOpBuilder &b, Value buffer, Value index,
                   Value bits);

/// The current thread's lane and warp, and whether it is lane 0.
struct WarpLane {
  Value lane, warp, isLane0;
};

/// The exchange step of the CTA reductions: lane 0 of each warp stores the
/// warp's `warpValue` at `partials[warp]` (shared memory), then the CTA
/// waits at a barrier. Every thread must execute it.
WarpLane storeWarpPartials(ImplicitLocOpBuilder &b, Value warpValue,
                           Value partials);

/// The max of `bits` over the CTA, atomically maxed into element 0 of the
/// f32 buffer `output` by thread 0 (one atomic per CTA). `partials` is a
/// shared memory buffer of `numWarps` i32. Every thread must execute it.
void atomicMaxOverBlock(ImplicitLocOpBuilder &b, Value bits, Value partials,
                        int64_t numWarps, Value output);

//===----------------------------------------------------------------------===//
// Float redux.sync building blocks (ChipInfo::hasReduxF32Max chips only)
//===----------------------------------------------------------------------===//

/// max |x| of an f32 over the 32 lanes of a warp with
/// `redux.sync.max.abs.NaN.f32` (NaN if any lane holds NaN); every lane
/// gets the result. All 32 lanes must execute it. Only for chips with
/// ChipInfo::hasReduxF32Max: LLVM aborts on it for the others.
Value warpMaxAbsRedux(ImplicitLocOpBuilder &b, Value f32Value);

/// max |x| of an f32 over the CTA: warpMaxAbsRedux, one partial per warp in
/// the shared memory buffer `partials` (`numWarps` f32), warp 0 reduces the
/// partials the same way, and thread 0 does one `atom.global.max.u32` of
/// the result's bits (see absBits) on element 0 of the f32 buffer `output`.
/// Every thread must execute it. ChipInfo::hasReduxF32Max chips only.
void atomicMaxAbsOverBlockRedux(ImplicitLocOpBuilder &b, Value f32Value,
                                Value partials, int64_t numWarps,
                                Value output);

} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_REDUCTIONS_H
