//===- fp8-capi.c - Test of the fp8-mlir C API ----------------------------===//
// RUN: fp8-capi-test 2>&1 | FileCheck %s
//===----------------------------------------------------------------------===//

#include "fp8-c/FP8.h"
#include "mlir-c/BuiltinTypes.h"
#include "mlir-c/Diagnostics.h"
#include "mlir-c/IR.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static void printToStdout(MlirStringRef text, void *userData) {
  (void)userData;
  fwrite(text.data, 1, text.length, stdout);
}

static MlirLogicalResult printDiagnostic(MlirDiagnostic diagnostic, void *userData) {
  (void)userData;
  fprintf(stdout, "diagnostic: ");
  mlirDiagnosticPrint(diagnostic, printToStdout, NULL);
  fprintf(stdout, "\n");
  return mlirLogicalResultSuccess();
}

/* A 128x256 by 256x64 f32 matmul, as a frontend emits it. */
static const char *kMatmulIR =
    "func.func @mm(%a: tensor<128x256xf32>, %b: tensor<256x64xf32>) -> tensor<128x64xf32> {\n"
    "  %z = arith.constant 0.0 : f32\n"
    "  %e = tensor.empty() : tensor<128x64xf32>\n"
    "  %f = linalg.fill ins(%z : f32) outs(%e : tensor<128x64xf32>) -> tensor<128x64xf32>\n"
    "  %r = linalg.matmul ins(%a, %b : tensor<128x256xf32>, tensor<256x64xf32>)\n"
    "      outs(%f : tensor<128x64xf32>) -> tensor<128x64xf32>\n"
    "  return %r : tensor<128x64xf32>\n"
    "}\n";

static MlirContext createContext(void) {
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  fp8RegisterAllDialects(registry);
  MlirContext context = mlirContextCreateWithRegistry(registry, false);
  mlirDialectRegistryDestroy(registry);
  fp8RegisterAllPasses();
  mlirContextAttachDiagnosticHandler(context, printDiagnostic, NULL, NULL);
  return context;
}

/* Quantizes a matmul with the tensorwise recipe. */
static void testPipeline(void) {
  MlirContext context = createContext();
  const char *ir = kMatmulIR;
  MlirModule module =
      mlirModuleCreateParse(context, mlirStringRefCreateFromCString(ir));
  MlirLogicalResult result = fp8RunPipeline(
      module, mlirStringRefCreateFromCString("fp8-quantize-pipeline{recipe=tensorwise}"));
  fprintf(stdout, "pipeline: %s\n",
          mlirLogicalResultIsSuccess(result) ? "success" : "failure");
  mlirOperationPrint(mlirModuleGetOperation(module), printToStdout, NULL);
  mlirModuleDestroy(module);
  mlirContextDestroy(context);
}
// CHECK-LABEL: pipeline: success
// CHECK: fp8.quantize {{.*}} -> tensor<128x256xf8E4M3FN>
// CHECK: fp8.scaled_matmul

/* A bad pipeline string fails with a diagnostic. */
static void testBadPipeline(void) {
  MlirContext context = createContext();
  MlirModule module =
      mlirModuleCreateParse(context, mlirStringRefCreateFromCString("module {}"));
  MlirLogicalResult result = fp8RunPipeline(
      module, mlirStringRefCreateFromCString("no-such-pass"));
  fprintf(stdout, "bad pipeline: %s\n",
          mlirLogicalResultIsSuccess(result) ? "success" : "failure");
  mlirModuleDestroy(module);
  mlirContextDestroy(context);
}
// CHECK-LABEL: diagnostic: invalid pass pipeline 'builtin.module(no-such-pass)'
// CHECK: bad pipeline: failure

/* Lowers a quantized matmul to sm_90a PTX and reads the kernels back. */
static void testKernels(void) {
  MlirContext context = createContext();
  const char *ir = kMatmulIR;
  MlirModule module =
      mlirModuleCreateParse(context, mlirStringRefCreateFromCString(ir));
  MlirLogicalResult result = fp8RunPipeline(
      module, mlirStringRefCreateFromCString(
                  "fp8-quantize-pipeline{recipe=tensorwise},"
                  "fp8-gpu-pipeline{chip=sm_90a}"));
  fprintf(stdout, "gpu pipeline: %s\n",
          mlirLogicalResultIsSuccess(result) ? "success" : "failure");
  intptr_t numKernels = fp8GetNumKernels(module);
  int wgmma = 0, cvt = 0;
  for (intptr_t i = 0; i < numKernels; ++i) {
    MlirStringRef code = fp8GetKernelCode(module, i);
    for (size_t at = 0; at + 15 < code.length; ++at) {
      if (!strncmp(code.data + at, "wgmma.mma_async", 15))
        ++wgmma;
      if (!strncmp(code.data + at, "cvt.rn.satfinite", 16))
        ++cvt;
    }
  }
  MlirStringRef manifest = fp8GetKernelManifest(module);
  fprintf(stdout, "kernels: %d, with wgmma: %s, with cvt.satfinite: %s, "
                  "manifest starts with '{': %s\n",
          (int)numKernels, wgmma ? "yes" : "no", cvt ? "yes" : "no",
          manifest.length && manifest.data[0] == '{' ? "yes" : "no");
  fprintf(stdout, "first kernel: ");
  printToStdout(fp8GetKernelName(module, 0), NULL);
  fprintf(stdout, ", assembly: %s\n",
          fp8IsKernelAssembly(module, 0) ? "yes" : "no");
  mlirModuleDestroy(module);
  mlirContextDestroy(context);
}
// CHECK-LABEL: gpu pipeline: success
// CHECK: kernels: {{[1-9][0-9]*}}, with wgmma: yes, with cvt.satfinite: yes, manifest starts with '{': yes
// CHECK: first kernel: {{[a-zA-Z_0-9]+}}, assembly: yes

/* Parses with a source name; a bad module reports there. */
static void testParse(void) {
  MlirContext context = createContext();
  fp8ContextSetPrintOpOnDiagnostic(context, false);
  MlirModule module = fp8ParseModule(
      context, mlirStringRefCreateFromCString(kMatmulIR),
      mlirStringRefCreateFromCString("matmul.mlir"));
  fprintf(stdout, "parsed: %s\n", mlirModuleIsNull(module) ? "null" : "module");
  mlirModuleDestroy(module);
  MlirModule bad = fp8ParseModule(
      context, mlirStringRefCreateFromCString("func.func @f(%x: ) {}"),
      mlirStringRefCreateFromCString("bad.mlir"));
  fprintf(stdout, "bad: %s\n", mlirModuleIsNull(bad) ? "null" : "module");
  mlirContextDestroy(context);
}
// CHECK-LABEL: parsed: module
// CHECK: diagnostic: expected non-function type
// CHECK: bad: null

/* Every recipe name, and how two recipes quantize A and B. */
static void printQuantization(MlirContext context, const char *recipe,
                              Fp8Role role, Fp8MatmulOperand operand) {
  Fp8OperandQuantization q;
  MlirLogicalResult result = fp8RecipeGetOperandQuantization(
      context, mlirStringRefCreateFromCString(recipe), role, operand, &q);
  fprintf(stdout, "%s role %d operand %d: ", recipe, (int)role, (int)operand);
  if (mlirLogicalResultIsFailure(result)) {
    fprintf(stdout, "failure\n");
    return;
  }
  mlirTypePrint(q.format, printToStdout, NULL);
  fprintf(stdout, " scaling %d [%lld, %lld] scale ", (int)q.scaling,
          (long long)q.blockRows, (long long)q.blockCols);
  mlirTypePrint(q.scaleElementType, printToStdout, NULL);
  fprintf(stdout, " margin %lld pow2 %d\n", (long long)q.margin, (int)q.pow2);
}

static void testRecipes(void) {
  MlirContext context = createContext();
  fprintf(stdout, "recipes:");
  for (intptr_t i = 0; i < fp8RecipeGetNumNames(); ++i) {
    fprintf(stdout, " ");
    printToStdout(fp8RecipeGetName(i), NULL);
  }
  fprintf(stdout, "\n");
  printQuantization(context, "blockwise", Fp8RoleActivation, Fp8MatmulOperandA);
  printQuantization(context, "blockwise", Fp8RoleWeight, Fp8MatmulOperandB);
  printQuantization(context, "mxfp8", Fp8RoleWeight, Fp8MatmulOperandB);
  printQuantization(context, "tensorwise,margin=1", Fp8RoleGradient,
                    Fp8MatmulOperandA);
  printQuantization(context, "rowwise", Fp8RoleActivation, Fp8MatmulOperandA);
  printQuantization(context, "no-such-recipe", Fp8RoleActivation,
                    Fp8MatmulOperandA);
  mlirContextDestroy(context);
}
// CHECK-LABEL: recipes: tensorwise delayed rowwise blockwise mxfp8
// CHECK: blockwise role 0 operand 0: f8E4M3FN scaling 2 [1, 128] scale f32 margin 0 pow2 0
// CHECK: blockwise role 1 operand 1: f8E4M3FN scaling 2 [128, 128] scale f32 margin 0 pow2 0
// CHECK: mxfp8 role 1 operand 1: f8E4M3FN scaling 2 [1, 32] scale f8E8M0FNU margin 0 pow2 0
// CHECK: tensorwise,margin=1 role 2 operand 0: f8E5M2 scaling 0 [0, 0] scale f32 margin 1 pow2 0
// CHECK: rowwise role 0 operand 0: f8E4M3FN scaling 1 [0, 0] scale f32 margin 0 pow2 1
// CHECK: diagnostic: {{.*}}no-such-recipe
// CHECK: no-such-recipe role 0 operand 0: failure

/* Runs a saturating E4M3 quantization on host buffers. */
static void testRunFunction(void) {
  MlirContext context = createContext();
  const char *ir =
      "func.func @q(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf8E4M3FN> {\n"
      "  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}\n"
      "      : tensor<4xf32>, tensor<f32> -> tensor<4xf8E4M3FN>\n"
      "  return %q : tensor<4xf8E4M3FN>\n"
      "}\n";
  MlirModule module =
      mlirModuleCreateParse(context, mlirStringRefCreateFromCString(ir));
  float x[4] = {2.0f, 896.0f, 1000.0f, -0.5f};
  float scale = 2.0f;
  int64_t shape[1] = {4};
  Fp8HostBuffer inputs[2] = {
      {mlirF32TypeGet(context), 1, shape, x},
      {mlirF32TypeGet(context), 0, NULL, &scale}};
  Fp8ResultsRef results = fp8RunFunction(
      module, mlirStringRefCreateFromCString("q"), 2, inputs);
  if (!results) {
    fprintf(stdout, "run failed\n");
  } else {
    Fp8HostBuffer q = fp8ResultsGet(results, 0);
    const uint8_t *bits = (const uint8_t *)q.data;
    fprintf(stdout, "results: %d, shape [%lld], bits %02x %02x %02x %02x\n",
            (int)fp8ResultsGetNum(results), (long long)q.shape[0], bits[0],
            bits[1], bits[2], bits[3]);
    fp8ResultsDestroy(results);
  }
  mlirModuleDestroy(module);
  mlirContextDestroy(context);
}
// E4M3: 1.0 = 0x38, 448 = 0x7e (max), 500 saturates to 448 = 0x7e,
// -0.25 = 0xa8.
// CHECK-LABEL: results: 1, shape [4], bits 38 7e 7e a8

/* FP4 results packed two per byte, and unpacked back. */
static void testPackedFP4(void) {
  MlirContext context = createContext();
  const char *ir =
      "func.func @q(%x: tensor<1x4xf32>, %s: tensor<f32>) -> tensor<1x4xf4E2M1FN> {\n"
      "  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}\n"
      "      : tensor<1x4xf32>, tensor<f32> -> tensor<1x4xf4E2M1FN>\n"
      "  return %q : tensor<1x4xf4E2M1FN>\n"
      "}\n";
  MlirModule module =
      mlirModuleCreateParse(context, mlirStringRefCreateFromCString(ir));
  float x[4] = {1.0f, 6.0f, -0.5f, 3.0f};
  float scale = 1.0f;
  int64_t shape[2] = {1, 4};
  Fp8HostBuffer inputs[2] = {
      {mlirF32TypeGet(context), 2, shape, x},
      {mlirF32TypeGet(context), 0, NULL, &scale}};
  Fp8ResultsRef results = fp8RunFunction(
      module, mlirStringRefCreateFromCString("q"), 2, inputs);
  if (!results || mlirLogicalResultIsFailure(fp8ResultsPackFP4(results))) {
    fprintf(stdout, "packed run failed\n");
  } else {
    Fp8HostBuffer q = fp8ResultsGet(results, 0);
    const uint8_t *bytes = (const uint8_t *)q.data;
    uint8_t unpacked[4];
    fp8UnpackFP4(bytes, 2, unpacked);
    fprintf(stdout, "packed: shape [%lld, %lld], bytes %02x %02x, "
            "unpacked %x %x %x %x\n", (long long)q.shape[0],
            (long long)q.shape[1], bytes[0], bytes[1], unpacked[0],
            unpacked[1], unpacked[2], unpacked[3]);
    fp8ResultsDestroy(results);
  }
  mlirModuleDestroy(module);
  mlirContextDestroy(context);
}
// E2M1: 1.0 = 0x2, 6.0 = 0x7, -0.5 = 0x9, 3.0 = 0x5; byte j = e[2j] |
// e[2j + 1] << 4.
// CHECK-LABEL: packed: shape [1, 2], bytes 72 59, unpacked 2 7 9 5

int main(void) {
  testPipeline();
  testBadPipeline();
  testKernels();
  testParse();
  testRecipes();
  testRunFunction();
  testPackedFP4();
  return 0;
}
