// A chip the lowering does not target is reported at the module, by the
// pass and by the pipeline (before nvvm-attach-target would accept it).
// RUN: fp8-opt %s -verify-diagnostics --convert-fp8-to-gpu="chip=sm_80"
// RUN: fp8-opt %s -verify-diagnostics --fp8-gpu-pipeline="chip=sm_80"

// expected-error @+1 {{unsupported chip 'sm_80': the fp8 GPU lowering targets sm_90a (Hopper) or sm_100a (Blackwell)}}
module {
  func.func @f(%x: tensor<16x32xf32>, %s: tensor<f32>) -> tensor<16x32xf8E4M3FN> {
    %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
        : tensor<16x32xf32>, tensor<f32> -> tensor<16x32xf8E4M3FN>
    return %q : tensor<16x32xf8E4M3FN>
  }
}
