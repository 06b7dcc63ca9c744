// A chip the lowering does not target is reported at the module, by the
// pass and by the pipeline (before nvvm-attach-target would accept it).
// The names are ChipInfo's (lib/Conversion/FP8ToNVVM/ChipInfo.cpp): only the
// architecture-specific targets, whose `a` enables wgmma / tcgen05.
// RUN: fp8-opt %s -verify-diagnostics --convert-fp8-to-gpu="chip=sm_80"
// RUN: fp8-opt %s -verify-diagnostics --fp8-gpu-pipeline="chip=sm_80"
// RUN: not fp8-opt %s --convert-fp8-to-gpu="chip=sm_90" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-A
// RUN: not fp8-opt %s --fp8-gpu-pipeline="chip=sm_100" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NO-A-100
// RUN: not fp8-opt %s --convert-fp8-to-gpu="chip=" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=EMPTY

// Each known chip's PTX version reaches nvvm-attach-target.
// RUN: fp8-opt --fp8-gpu-pipeline="chip=sm_90a" --dump-pass-pipeline \
// RUN:   < /dev/null 2>&1 | FileCheck %s --check-prefix=PTX80
// RUN: fp8-opt --fp8-gpu-pipeline="chip=sm_100a" --dump-pass-pipeline \
// RUN:   < /dev/null 2>&1 | FileCheck %s --check-prefix=PTX88

// NO-A: error: unsupported chip 'sm_90': the fp8 GPU lowering targets sm_90a (Hopper) or sm_100a (Blackwell)
// NO-A-100: error: unsupported chip 'sm_100': the fp8 GPU lowering targets sm_90a (Hopper) or sm_100a (Blackwell)
// EMPTY: error: unsupported chip '': the fp8 GPU lowering targets sm_90a (Hopper) or sm_100a (Blackwell)
// PTX80: nvvm-attach-target{{.*}} chip=sm_90a {{.*}}features=+ptx80
// PTX88: nvvm-attach-target{{.*}} chip=sm_100a {{.*}}features=+ptx88

// expected-error @+1 {{unsupported chip 'sm_80': the fp8 GPU lowering targets sm_90a (Hopper) or sm_100a (Blackwell)}}
module {
  func.func @f(%x: tensor<16x32xf32>, %s: tensor<f32>) -> tensor<16x32xf8E4M3FN> {
    %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
        : tensor<16x32xf32>, tensor<f32> -> tensor<16x32xf8E4M3FN>
    return %q : tensor<16x32xf8E4M3FN>
  }
}
