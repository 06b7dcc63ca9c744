// The options of --fp8-gpu-pipeline are those of convert-fp8-to-gpu
// (declared once, in Passes.td) plus the pipeline's own: the help lists the
// same options with the same descriptions, and the pipeline hands them on.

// RUN: fp8-opt --help | awk '/^      --convert-fp8-to-gpu /{s=1;next} /^      --/{s=0} s && /^        --/' > %t.pass
// RUN: fp8-opt --help | awk '/^      --fp8-gpu-pipeline /{s=1;next} /^      --/{s=0} s && /^        --/' > %t.pipeline
// RUN: FileCheck %s --check-prefix=PASS < %t.pass
// RUN: FileCheck %s --check-prefix=PIPELINE < %t.pipeline
// RUN: grep -v -e '--format=' -e '--opt-level=' %t.pipeline | diff %t.pass -
// RUN: not fp8-opt %s --fp8-gpu-pipeline="gemm-tile=96x128" 2>&1 | FileCheck %s --check-prefix=FORWARD

// PASS: --chip=<string>
// PASS: --gemm-raster-group=<uint> - Row tiles per strip of `gemm-raster=grouped`, 1 to 64
// PASS: --gemm-scale-load=<value>

// PIPELINE: --chip=<string>
// PIPELINE: --format=<value>
// PIPELINE: --gemm-raster-group=<uint> - Row tiles per strip of `gemm-raster=grouped`, 1 to 64
// PIPELINE: --gemm-scale-load=<value>
// PIPELINE: --opt-level=<uint>

// FORWARD: gpu-pipeline-options.mlir:[[@LINE+4]]:8: error: 'fp8.scaled_matmul' op cannot use the GEMM options: gemm-tile M must be 64 or 128 (m64 wgmma rows of one warpgroup), got 96

func.func @gemm(%a: tensor<128x256xf8E4M3FN>, %sa: tensor<f32>,
                %b: tensor<64x256xf8E4M3FN>, %sb: tensor<f32>) -> tensor<128x64xbf16> {
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>, tensor<f32>
        -> tensor<128x64xbf16>
  return %d : tensor<128x64xbf16>
}
