/*===- fp8-c/FP8.h - C API of fp8-mlir ----------------------------*- C -*-===*\
|*                                                                            *|
|* Part of fp8-mlir. Works on the handles of MLIR's C API (mlir-c/IR.h):      *|
|* register the fp8 dialect and passes, run a pipeline on a module, read its *|
|* kernels, ask what a recipe means, and run a function on host buffers      *|
|* through the CPU pipeline.                                                 *|
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

/// Parses `source` as a module, as fp8-opt does: a lone top-level op other
/// than builtin.module is wrapped in one. Locations name `sourceName`.
/// Returns a null module after emitting diagnostics on `context`.
MLIR_CAPI_EXPORTED MlirModule fp8ParseModule(MlirContext context,
                                             MlirStringRef source,
                                             MlirStringRef sourceName);

/// Whether diagnostics emitted at an op carry a note printing the op (on by
/// default in MLIR; fp8-opt's tools and the Python package turn it off).
MLIR_CAPI_EXPORTED void fp8ContextSetPrintOpOnDiagnostic(MlirContext context,
                                                         bool enable);

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

/// Whether kernel object `index` is assembly (PTX text, `format=isa`) rather
/// than a binary (a cubin or fatbin).
MLIR_CAPI_EXPORTED bool fp8IsKernelAssembly(MlirModule module, intptr_t index);

/// The JSON kernel manifest (grid, block, cluster, dynamic shared memory,
/// parameters, TMA descriptor specs; see docs/gpu-pipeline.md), or an empty
/// string when the module has none.
MLIR_CAPI_EXPORTED MlirStringRef fp8GetKernelManifest(MlirModule module);

//===----------------------------------------------------------------------===//
// Recipes
//===----------------------------------------------------------------------===//

/// The number of recipe names that `recipe=` accepts.
MLIR_CAPI_EXPORTED intptr_t fp8RecipeGetNumNames(void);

/// Recipe name `index`, 0 <= index < fp8RecipeGetNumNames() (tensorwise,
/// delayed, rowwise, blockwise, mxfp8, ...).
MLIR_CAPI_EXPORTED MlirStringRef fp8RecipeGetName(intptr_t index);

/// The role of a tensor in training (`#fp8.role`).
typedef enum {
  Fp8RoleActivation = 0,
  Fp8RoleWeight = 1,
  Fp8RoleGradient = 2,
} Fp8Role;

/// The position of an operand in a matmul `D = A x B`.
typedef enum { Fp8MatmulOperandA = 0, Fp8MatmulOperandB = 1 } Fp8MatmulOperand;

/// The grouping of one scale (`#fp8.scaling`).
typedef enum {
  Fp8ScalingTensor = 0,
  Fp8ScalingRowwise = 1,
  Fp8ScalingBlock = 2,
} Fp8ScalingKind;

/// How a recipe quantizes one matmul operand. The scaling is relative to the
/// K-major layout of the operand: A as [M, K], B as [N, K].
typedef struct {
  MlirType format;           ///< f8E4M3FN or f8E5M2.
  Fp8ScalingKind scaling;
  int64_t blockRows;         ///< The [rows, cols] of a block scaling, else 0.
  int64_t blockCols;
  MlirType scaleElementType; ///< f32, or f8E8M0FNU for MX block scaling.
  int64_t margin;            ///< The scale is multiplied by 2^margin.
  bool pow2;                 ///< f32 scales rounded up to a power of two.
} Fp8OperandQuantization;

/// How `recipe` (the pass-option form: `blockwise`, `tensorwise,margin=1`)
/// quantizes `operand` of a matmul when it has `role`; the fp8-quantize-
/// matmuls pass asks the same question. Fails after emitting diagnostics on
/// `context` when `recipe` is malformed.
MLIR_CAPI_EXPORTED MlirLogicalResult fp8RecipeGetOperandQuantization(
    MlirContext context, MlirStringRef recipe, Fp8Role role,
    Fp8MatmulOperand operand, Fp8OperandQuantization *result);

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
/// emitting diagnostics on the module's context. Safe to call from several
/// threads at once on modules of different contexts.
MLIR_CAPI_EXPORTED Fp8ResultsRef fp8RunFunction(MlirModule module,
                                                MlirStringRef entry,
                                                intptr_t numInputs,
                                                const Fp8HostBuffer *inputs);

MLIR_CAPI_EXPORTED intptr_t fp8ResultsGetNum(Fp8ResultsRef results);
/// Result `index`; its pointers stay valid until fp8ResultsDestroy.
MLIR_CAPI_EXPORTED Fp8HostBuffer fp8ResultsGet(Fp8ResultsRef results,
                                               intptr_t index);
MLIR_CAPI_EXPORTED void fp8ResultsDestroy(Fp8ResultsRef results);

/// Packs every f4E2M1FN result two values per byte along its last dimension
/// (byte j: element 2j in the low nibble, 2j + 1 in the high nibble;
/// torchao's layout, docs/run-arguments.md "Packed FP4"); its buffer's shape
/// then ends in K / 2. Fails, changing nothing, where such a result's last
/// dimension is odd or absent.
MLIR_CAPI_EXPORTED MlirLogicalResult fp8ResultsPackFP4(Fp8ResultsRef results);

/// Unpacks `numBytes` packed FP4 bytes into `2 * numBytes` bytes of
/// `unpacked`, one value each (the input form of an f4E2M1FN argument).
MLIR_CAPI_EXPORTED void fp8UnpackFP4(const uint8_t *packed, intptr_t numBytes,
                                     uint8_t *unpacked);

/// Instruments function `entry` of a quantized `module` (the output of
/// --fp8-quantize-pipeline) with fp8-instrument-report, compiles and runs it
/// on `inputs` as fp8RunFunction does, and passes the numerics report
/// (JSON, docs/report.md) to `callback` in one or more pieces. Fails after
/// emitting diagnostics on the module's context (e.g. a program without
/// quantize ops).
MLIR_CAPI_EXPORTED MlirLogicalResult
fp8ReportFunction(MlirModule module, MlirStringRef entry, intptr_t numInputs,
                  const Fp8HostBuffer *inputs, MlirStringCallback callback,
                  void *userData);

#ifdef __cplusplus
}
#endif

#endif // FP8_C_FP8_H
