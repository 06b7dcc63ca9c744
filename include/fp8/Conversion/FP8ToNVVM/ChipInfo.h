//===- ChipInfo.h - The target GPUs of the fp8 GPU lowering -----*- C++ -*-===//
//
// Part of fp8-mlir. The one description of each chip `convert-fp8-to-gpu`
// and `--fp8-gpu-pipeline` target: the instructions its kernels may use,
// the PTX ISA version those need, and the limits the heuristics size the
// kernels for. Kernel emitters ask for a capability (`hasTcgen05()`,
// `hasReduxF32Max()`), never for a chip name. The table is in ChipInfo.cpp;
// docs/architecture.md says how to add a chip.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_CONVERSION_FP8TONVVM_CHIPINFO_H
#define FP8_CONVERSION_FP8TONVVM_CHIPINFO_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir::fp8 {

/// One target GPU of the fp8 GPU lowering. A small value: kernel emitters
/// take it by reference and capture copies in their body builders.
class ChipInfo {
public:
  //===--------------------------------------------------------------------===//
  // Lookup
  //===--------------------------------------------------------------------===//

  /// Every chip the lowering targets, oldest first.
  static ArrayRef<ChipInfo> getKnownChips();

  /// The chip called `name` (e.g. `sm_90a`), or none.
  static std::optional<ChipInfo> lookup(StringRef name);

  /// The chip called `name`; an unknown name is reported through
  /// `emitError`, with the list of known chips.
  static FailureOr<ChipInfo>
  parse(StringRef name, function_ref<InFlightDiagnostic()> emitError);

  //===--------------------------------------------------------------------===//
  // Identity and PTX
  //===--------------------------------------------------------------------===//

  /// The name of the chip, as the NVVM target's `chip`, `ptxas -arch` and
  /// the manifest spell it: `sm_90a`.
  StringRef getName() const { return name; }

  /// The NVIDIA architecture, for diagnostics: `Hopper`.
  StringRef getArchitectureName() const { return architecture; }

  /// The PTX ISA version every kernel for this chip needs, times ten (80 is
  /// PTX 8.0). The upstream default (6.0) cannot express the instructions
  /// below.
  unsigned getPtxVersion() const { return ptxVersion; }

  /// The NVVM target `features` selecting getPtxVersion(): `+ptx80`.
  std::string getPtxFeatures() const;

  //===--------------------------------------------------------------------===//
  // Matrix multiply
  //===--------------------------------------------------------------------===//

  /// Warpgroup MMAs (`wgmma.mma_async`) with register accumulators: the
  /// sm_90a GEMM (GemmSM90*.cpp).
  bool hasWgmma() const { return wgmma; }

  /// The fifth-generation tensor core: `tcgen05.mma` (kinds f8f6f4 and
  /// mxf8f6f4 with block scales) accumulating in tensor memory, with
  /// `tcgen05.alloc/ld/cp/commit`: the sm_100a GEMM (GemmSM100.cpp).
  bool hasTcgen05() const { return tcgen05; }

  /// Tensor memory columns of one SM (128 lanes of 32 bits each); 0
  /// without tcgen05.
  int64_t getTensorMemoryColumns() const { return tensorMemoryColumns; }

  //===--------------------------------------------------------------------===//
  // Converts and reductions
  //===--------------------------------------------------------------------===//

  /// Paired converts from f32 to FP4/FP6 (`cvt.rn.satfinite.{e2m1x2,
  /// e2m3x2, e3m2x2}.f32`). Every chip has the FP8 pairs (`e4m3x2`,
  /// `e5m2x2`) in both directions.
  bool hasFP4FP6Converts() const { return fp4fp6Converts; }

  /// `redux.sync.max.abs.NaN.f32`: a float max over a warp in one
  /// instruction. Without it reductions shuffle integer bit patterns (LLVM
  /// aborts on a float `redux.sync` for chips without it).
  bool hasReduxF32Max() const { return reduxF32Max; }

  //===--------------------------------------------------------------------===//
  // Limits the heuristics size for
  //===--------------------------------------------------------------------===//

  /// SMs of the part the heuristics size grids for (H100/H200 SXM: 132,
  /// B200: 148); parts with fewer SMs run the same kernels.
  int64_t getNumSMs() const { return numSMs; }

  /// Largest dynamic shared memory one CTA may use: the 227 KiB opt-in
  /// limit covers static and dynamic shared memory together, and the
  /// static variables (reduction partials) take up to 1 KiB once the
  /// 1024-byte-aligned dynamic buffer follows them
  /// (fp8-extern-dynamic-shared-memory).
  int64_t getMaxDynamicSharedMemory() const { return maxDynamicSharedMemory; }

private:
  ChipInfo() = default;

  StringRef name;
  StringRef architecture;
  unsigned ptxVersion = 0;
  bool wgmma = false;
  bool tcgen05 = false;
  int64_t tensorMemoryColumns = 0;
  bool fp4fp6Converts = false;
  bool reduxF32Max = false;
  int64_t numSMs = 0;
  int64_t maxDynamicSharedMemory = 0;
};

} // namespace mlir::fp8

#endif // FP8_CONVERSION_FP8TONVVM_CHIPINFO_H
