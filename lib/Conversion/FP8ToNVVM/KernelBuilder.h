//===- KernelBuilder.h - What the fp8 GPU kernel emitters share -*- C++ -*-===//
//
// Part of fp8-mlir. Internal to lib/Conversion/FP8ToNVVM: one include for
// everything the kernel emitters share, each concept in its own header.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_KERNELBUILDER_H
#define FP8_LIB_CONVERSION_FP8TONVVM_KERNELBUILDER_H

// KernelPlan, KernelParam, the per-op planners and kernel names.
#include "KernelPlan.h"
// Where the scale of an element lives.
#include "ScaleLayout.h"
// The CTA-per-group fused quantize kernel.
#include "FusedBlockQuantize.h"
// Constants, thread index, scale loads, whole-vector loads and stores.
#include "IRBuildingBlocks.h"
// Warp and CTA max reductions (shuffles and redux.sync).
#include "Reductions.h"
// f32 <-> FP8 pair conversions.
#include "FP8Converts.h"
// GemmDims, GemmArgs and the checks of the TMA GEMMs.
#include "GemmCommon.h"

#include "fp8/Support/CheckedShape.h"

#endif // FP8_LIB_CONVERSION_FP8TONVVM_KERNELBUILDER_H
