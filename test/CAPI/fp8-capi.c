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
  fprintf(stdout, "\n");
  mlirModuleDestroy(module);
  mlirContextDestroy(context);
}
// CHECK-LABEL: gpu pipeline: success
// CHECK: kernels: {{[1-9][0-9]*}}, with wgmma: yes, with cvt.satfinite: yes, manifest starts with '{': yes
// CHECK: first kernel: {{[a-z_0-9]+}}

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

int main(void) {
  testPipeline();
  testBadPipeline();
  testKernels();
  testRunFunction();
  return 0;
}
