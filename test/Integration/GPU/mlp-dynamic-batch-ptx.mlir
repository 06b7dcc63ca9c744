// The MLP of examples/mlp.mlir with a dynamic batch (x: tensor<?x512xf32>),
// as a model exported with a dynamic batch dim is: quantized by each of the
// five recipes, it lowers with --fp8-gpu-pipeline for both chips (blockwise:
// sm_90a only; sm_100a has no [1, 128] x [128, 128] GEMM, static or not,
// errors-dynamic-quantized.mlir), every
// GEMM takes its M at run time (`dx...` kernels with a rows parameter),
// and ptxas accepts every kernel without spills. The host code translates
// to LLVM IR.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=tensorwise" | fp8-opt --fp8-gpu-pipeline="chip=sm_90a" -o %t/tensorwise-sm_90a.mlir
// RUN: mlir-translate --mlir-to-llvmir %t/tensorwise-sm_90a.mlir -o /dev/null
// RUN: %extract-ptx %t/tensorwise-sm_90a.mlir -o %t/tensorwise-sm_90a
// RUN: FileCheck %s --check-prefix=GEMM90 < %t/tensorwise-sm_90a/manifest.json
// RUN: for f in %t/tensorwise-sm_90a/*.ptx; do %ptxas -arch=sm_90a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=tensorwise" | fp8-opt --fp8-gpu-pipeline="chip=sm_100a" -o %t/tensorwise-sm_100a.mlir
// RUN: mlir-translate --mlir-to-llvmir %t/tensorwise-sm_100a.mlir -o /dev/null
// RUN: %extract-ptx %t/tensorwise-sm_100a.mlir -o %t/tensorwise-sm_100a
// RUN: FileCheck %s --check-prefix=GEMM100 < %t/tensorwise-sm_100a/manifest.json
// RUN: for f in %t/tensorwise-sm_100a/*.ptx; do %ptxas -arch=sm_100a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=delayed" | fp8-opt --fp8-gpu-pipeline="chip=sm_90a" -o %t/delayed-sm_90a.mlir
// RUN: mlir-translate --mlir-to-llvmir %t/delayed-sm_90a.mlir -o /dev/null
// RUN: %extract-ptx %t/delayed-sm_90a.mlir -o %t/delayed-sm_90a
// RUN: FileCheck %s --check-prefix=GEMM90 < %t/delayed-sm_90a/manifest.json
// RUN: for f in %t/delayed-sm_90a/*.ptx; do %ptxas -arch=sm_90a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=delayed" | fp8-opt --fp8-gpu-pipeline="chip=sm_100a" -o %t/delayed-sm_100a.mlir
// RUN: mlir-translate --mlir-to-llvmir %t/delayed-sm_100a.mlir -o /dev/null
// RUN: %extract-ptx %t/delayed-sm_100a.mlir -o %t/delayed-sm_100a
// RUN: FileCheck %s --check-prefix=GEMM100 < %t/delayed-sm_100a/manifest.json
// RUN: for f in %t/delayed-sm_100a/*.ptx; do %ptxas -arch=sm_100a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=rowwise" | fp8-opt --fp8-gpu-pipeline="chip=sm_90a" -o %t/rowwise-sm_90a.mlir
// RUN: mlir-translate --mlir-to-llvmir %t/rowwise-sm_90a.mlir -o /dev/null
// RUN: %extract-ptx %t/rowwise-sm_90a.mlir -o %t/rowwise-sm_90a
// RUN: FileCheck %s --check-prefix=GEMM90 < %t/rowwise-sm_90a/manifest.json
// RUN: for f in %t/rowwise-sm_90a/*.ptx; do %ptxas -arch=sm_90a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=rowwise" | fp8-opt --fp8-gpu-pipeline="chip=sm_100a" -o %t/rowwise-sm_100a.mlir
// RUN: mlir-translate --mlir-to-llvmir %t/rowwise-sm_100a.mlir -o /dev/null
// RUN: %extract-ptx %t/rowwise-sm_100a.mlir -o %t/rowwise-sm_100a
// RUN: FileCheck %s --check-prefix=GEMM100 < %t/rowwise-sm_100a/manifest.json
// RUN: for f in %t/rowwise-sm_100a/*.ptx; do %ptxas -arch=sm_100a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=blockwise" | fp8-opt --fp8-gpu-pipeline="chip=sm_90a" -o %t/blockwise-sm_90a.mlir
// RUN: mlir-translate --mlir-to-llvmir %t/blockwise-sm_90a.mlir -o /dev/null
// RUN: %extract-ptx %t/blockwise-sm_90a.mlir -o %t/blockwise-sm_90a
// RUN: FileCheck %s --check-prefix=GEMM90 < %t/blockwise-sm_90a/manifest.json
// RUN: for f in %t/blockwise-sm_90a/*.ptx; do %ptxas -arch=sm_90a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=mxfp8" | fp8-opt --fp8-gpu-pipeline="chip=sm_90a" -o %t/mxfp8-sm_90a.mlir
// RUN: mlir-translate --mlir-to-llvmir %t/mxfp8-sm_90a.mlir -o /dev/null
// RUN: %extract-ptx %t/mxfp8-sm_90a.mlir -o %t/mxfp8-sm_90a
// RUN: FileCheck %s --check-prefix=GEMM90 < %t/mxfp8-sm_90a/manifest.json
// RUN: for f in %t/mxfp8-sm_90a/*.ptx; do %ptxas -arch=sm_90a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=mxfp8" | fp8-opt --fp8-gpu-pipeline="chip=sm_100a" -o %t/mxfp8-sm_100a.mlir
// RUN: mlir-translate --mlir-to-llvmir %t/mxfp8-sm_100a.mlir -o /dev/null
// RUN: %extract-ptx %t/mxfp8-sm_100a.mlir -o %t/mxfp8-sm_100a
// RUN: FileCheck %s --check-prefix=GEMM100 < %t/mxfp8-sm_100a/manifest.json
// RUN: for f in %t/mxfp8-sm_100a/*.ptx; do %ptxas -arch=sm_100a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done

// PTXAS: Compiling entry function 'fp8_{{.*}}' for 'sm_{{90|100}}a'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
// PTXAS-NOT: error

// Both GEMMs (x W1^T: N = 2048, K = 512; h W2^T: N = 512, K = 2048) take
// M at run time, from A's rows (the rows parameter comes last).
// GEMM90: "name": "fp8_gemm_sm90_{{.*}}_dx2048x512_tile
// GEMM90: "kind": "rows",
// GEMM90: "param": "a",
// GEMM90-NEXT: "row_length": 512
// GEMM90: "name": "fp8_gemm_sm90_{{.*}}_dx512x2048_tile
// GEMM90: "kind": "rows",
// GEMM90: "param": "a",
// GEMM90-NEXT: "row_length": 2048
// GEMM100: "name": "fp8_gemm_sm100_{{.*}}_dx2048x512_tile
// GEMM100: "kind": "rows",
// GEMM100: "param": "a",
// GEMM100-NEXT: "row_length": 512
// GEMM100: "name": "fp8_gemm_sm100_{{.*}}_dx512x2048_tile
// GEMM100: "kind": "rows",
// GEMM100: "param": "a",
// GEMM100-NEXT: "row_length": 2048

#map_row = affine_map<(d0, d1) -> (d0, d1)>
#map_bias = affine_map<(d0, d1) -> (d1)>

func.func @mlp(%x: tensor<?x512xf32>,
               %w1: tensor<2048x512xf32> {fp8.role = #fp8.role<weight>},
               %b1: tensor<2048xf32>,
               %w2: tensor<512x2048xf32> {fp8.role = #fp8.role<weight>},
               %b2: tensor<512xf32>) -> tensor<?x512xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<?x512xf32>

  // Layer 1: x W1^T + b1, then GELU.
  %w1t_init = tensor.empty() : tensor<512x2048xf32>
  %w1t = linalg.transpose ins(%w1 : tensor<2048x512xf32>)
      outs(%w1t_init : tensor<512x2048xf32>) permutation = [1, 0]
  %h_init = tensor.empty(%m) : tensor<?x2048xf32>
  %h_zero = linalg.fill ins(%zero : f32) outs(%h_init : tensor<?x2048xf32>) -> tensor<?x2048xf32>
  %h_mm = linalg.matmul ins(%x, %w1t : tensor<?x512xf32>, tensor<512x2048xf32>)
      outs(%h_zero : tensor<?x2048xf32>) -> tensor<?x2048xf32>
  %h = linalg.generic {indexing_maps = [#map_row, #map_bias, #map_row],
                       iterator_types = ["parallel", "parallel"]}
      ins(%h_mm, %b1 : tensor<?x2048xf32>, tensor<2048xf32>)
      outs(%h_init : tensor<?x2048xf32>) {
  ^bb0(%v: f32, %b: f32, %out: f32):
    // gelu(z) = 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))
    %z = arith.addf %v, %b : f32
    %k0 = arith.constant 0.7978845608 : f32
    %c1 = arith.constant 0.044715 : f32
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %z2 = arith.mulf %z, %z : f32
    %z3 = arith.mulf %z2, %z : f32
    %t0 = arith.mulf %c1, %z3 : f32
    %t1 = arith.addf %z, %t0 : f32
    %t2 = arith.mulf %k0, %t1 : f32
    %t3 = math.tanh %t2 : f32
    %t4 = arith.addf %one, %t3 : f32
    %t5 = arith.mulf %half, %z : f32
    %g = arith.mulf %t5, %t4 : f32
    linalg.yield %g : f32
  } -> tensor<?x2048xf32>

  // Layer 2: h W2^T + b2.
  %w2t_init = tensor.empty() : tensor<2048x512xf32>
  %w2t = linalg.transpose ins(%w2 : tensor<512x2048xf32>)
      outs(%w2t_init : tensor<2048x512xf32>) permutation = [1, 0]
  %y_init = tensor.empty(%m) : tensor<?x512xf32>
  %y_zero = linalg.fill ins(%zero : f32) outs(%y_init : tensor<?x512xf32>) -> tensor<?x512xf32>
  %y_mm = linalg.matmul ins(%h, %w2t : tensor<?x2048xf32>, tensor<2048x512xf32>)
      outs(%y_zero : tensor<?x512xf32>) -> tensor<?x512xf32>
  %y = linalg.generic {indexing_maps = [#map_row, #map_bias, #map_row],
                       iterator_types = ["parallel", "parallel"]}
      ins(%y_mm, %b2 : tensor<?x512xf32>, tensor<512xf32>)
      outs(%y_init : tensor<?x512xf32>) {
  ^bb0(%v: f32, %b: f32, %out: f32):
    %s = arith.addf %v, %b : f32
    linalg.yield %s : f32
  } -> tensor<?x512xf32>
  return %y : tensor<?x512xf32>
}
