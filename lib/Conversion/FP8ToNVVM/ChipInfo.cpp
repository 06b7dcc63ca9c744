//===- ChipInfo.cpp - The target GPUs of the fp8 GPU lowering -------------===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#include "fp8/Conversion/FP8ToNVVM/ChipInfo.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <array>

using namespace mlir;
using namespace mlir::fp8;

ArrayRef<ChipInfo> ChipInfo::getKnownChips() {
  static const std::array<ChipInfo, 2> chips = [] {
    // Hopper (H100, H200). The `a` suffix enables the architecture-specific
    // instructions: wgmma and setmaxnreg. PTX 8.0 has them and the FP8
    // converts.
    ChipInfo hopper;
    hopper.name = "sm_90a";
    hopper.architecture = "Hopper";
    hopper.ptxVersion = 80;
    hopper.wgmma = true;
    hopper.numSMs = 132;
    hopper.maxDynamicSharedMemory = 226 * 1024;

    // Blackwell datacenter parts (B200). No wgmma; tcgen05 and tensor
    // memory instead. PTX 8.8 has tcgen05's block32 scale vectors, the x4
    // converts and the float redux.sync.
    ChipInfo blackwell;
    blackwell.name = "sm_100a";
    blackwell.architecture = "Blackwell";
    blackwell.ptxVersion = 88;
    blackwell.tcgen05 = true;
    blackwell.tensorMemoryColumns = 512;
    blackwell.fp4fp6Converts = true;
    blackwell.reduxF32Max = true;
    blackwell.numSMs = 148;
    blackwell.maxDynamicSharedMemory = 226 * 1024;
    return std::array<ChipInfo, 2>{hopper, blackwell};
  }();
  return chips;
}

std::optional<ChipInfo> ChipInfo::lookup(StringRef name) {
  for (const ChipInfo &chip : getKnownChips())
    if (chip.getName() == name)
      return chip;
  return std::nullopt;
}

FailureOr<ChipInfo>
ChipInfo::parse(StringRef name, function_ref<InFlightDiagnostic()> emitError) {
  if (std::optional<ChipInfo> chip = lookup(name))
    return *chip;
  // "... targets sm_90a (Hopper) or sm_100a (Blackwell)".
  std::string known;
  llvm::raw_string_ostream os(known);
  ArrayRef<ChipInfo> chips = getKnownChips();
  for (auto [i, chip] : llvm::enumerate(chips)) {
    if (i != 0)
      os << (i + 1 == chips.size() ? " or " : ", ");
    os << chip.getName() << " (" << chip.getArchitectureName() << ")";
  }
  return emitError() << "unsupported chip '" << name
                     << "': the fp8 GPU lowering targets " << known;
}

std::string ChipInfo::getPtxFeatures() const {
  return "+ptx" + std::to_string(ptxVersion);
}
