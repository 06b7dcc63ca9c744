/*===- fp8-c/FP8.h - C API of fp8-mlir ----------------------------*- C -*-===*\
|*                                                                            *|
|* Part of fp8-mlir. Works on the handles of MLIR's C API (mlir-c/IR.h):      *|
|* register the fp8 dialect and passes, run a pipeline on a module, and run  *|
|* a function on host buffers through the CPU pipeline.                      *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef FP8_C_FP8_H
#define FP8_C_FP8_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Adds the fp8 dialect to `registry`.
MLIR_CAPI_EXPORTED void fp8RegisterDialect(MlirDialectRegistry registry);

/// Adds every upstream dialect and extension (what fp8-opt has) and the fp8
/// dialect to `registry`, so any pipeline of fp8-opt can run.
MLIR_CAPI_EXPORTED void fp8RegisterAllDialects(MlirDialectRegistry registry);

/// Registers every fp8 pass and pipeline and every upstream pass in the
/// global registry, so pipeline strings can name them. Idempotent.
MLIR_CAPI_EXPORTED void fp8RegisterAllPasses(void);

/// Runs `pipeline` (the text `mlir-opt --pass-pipeline` takes, with or
/// without the `builtin.module(...)` wrapper) on `module`. Diagnostics go to
/// the context's handlers.
MLIR_CAPI_EXPORTED MlirLogicalResult fp8RunPipeline(MlirModule module,
                                                    MlirStringRef pipeline);

//===----------------------------------------------------------------------===//
// Kernels of a --fp8-gpu-pipeline result
//===----------------------------------------------------------------------===//

/// The number of kernel objects (one per gpu.binary object) in a module that
/// went through --fp8-gpu-pipeline.
MLIR_CAPI_EXPORTED intptr_t fp8GetNumKernels(MlirModule module);

/// The gpu.binary symbol name of kernel object `index`.
MLIR_CAPI_EXPORTED MlirStringRef fp8GetKernelName(MlirModule module,
                                                  intptr_t index);

/// The code of kernel object `index`: PTX text for `format=isa`, a cubin for
/// `format=bin`. Valid while the module's context lives.
MLIR_CAPI_EXPORTED MlirStringRef fp8GetKernelCode(MlirModule module,
                                                  intptr_t index);

/// The JSON kernel manifest (grid, block, cluster, dynamic shared memory,
/// parameters, TMA descriptor specs; see docs/gpu-pipeline.md), or an empty
/// string when the module has none.
MLIR_CAPI_EXPORTED MlirStringRef fp8GetKernelManifest(MlirModule module);

//===----------------------------------------------------------------------===//
// Running functions on the host
//===----------------------------------------------------------------------===//

/// A dense row-major host array. `elementType` is the MLIR element type; each
/// element takes fp8StorageBytes(elementType) bytes (narrow floats one byte of
/// bits, bf16/f16 two bytes of bits).
typedef struct {
  MlirType elementType;
  intptr_t rank;
  const int64_t *shape;
  const void *data;
} Fp8HostBuffer;

/// Bytes one element of `type` takes in a host buffer, or 0 if it has none.
MLIR_CAPI_EXPORTED unsigned fp8StorageBytes(MlirType type);

/// The results of fp8RunFunction; free with fp8ResultsDestroy.
typedef struct Fp8Results *Fp8ResultsRef;

/// Compiles `module` with --fp8-cpu-pipeline (in place), runs function
/// `entry` on `inputs` and returns its (tensor) results, or NULL after
/// emitting diagnostics on the module's context.
MLIR_CAPI_EXPORTED Fp8ResultsRef fp8RunFunction(MlirModule module,
                                                MlirStringRef entry,
                                                intptr_t numInputs,
                                                const Fp8HostBuffer *inputs);

MLIR_CAPI_EXPORTED intptr_t fp8ResultsGetNum(Fp8ResultsRef results);
/// Result `index`; its pointers stay valid until fp8ResultsDestroy.
MLIR_CAPI_EXPORTED Fp8HostBuffer fp8ResultsGet(Fp8ResultsRef results,
                                               intptr_t index);
MLIR_CAPI_EXPORTED void fp8ResultsDestroy(Fp8ResultsRef results);

#ifdef __cplusplus
}
#endif

#endif // FP8_C_FP8_H
