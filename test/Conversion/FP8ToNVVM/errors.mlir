// What convert-fp8-to-gpu cannot lower is reported at the op, and the pass
// fails without an LLVM abort.
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --convert-fp8-to-gpu="chip=sm_90a"

func.func @fp4_on_hopper(%x: tensor<16x32xf32>, %s: tensor<f32>) -> tensor<16x32xf4E2M1FN> {
  // expected-error @+1 {{'fp8.quantize' op converts 'f4E2M1FN', which sm_90a cannot do in hardware: the FP4/FP6 cvt instructions need sm_100a}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<16x32xf32>, tensor<f32> -> tensor<16x32xf4E2M1FN>
  return %q : tensor<16x32xf4E2M1FN>
}

// -----

func.func @fp6_dequantize(%q: tensor<16x32xf6E3M2FN>, %s: tensor<f32>) -> tensor<16x32xf32> {
  // expected-error @+1 {{'fp8.dequantize' op converts 'f6E3M2FN', which sm_90a cannot do in hardware}}
  %x = fp8.dequantize %q, %s {scaling = #fp8.scaling<tensor>}
      : tensor<16x32xf6E3M2FN>, tensor<f32> -> tensor<16x32xf32>
  return %x : tensor<16x32xf32>
}

// -----

// Dynamic leading dims are runtime rows (dynamic-rows.mlir); a dynamic last
// dim is not.
func.func @dynamic(%x: tensor<?x?xf32>, %s: tensor<f32>) -> tensor<?x?xf8E4M3FN> {
  // expected-error @+1 {{'fp8.quantize' op has no GPU kernel for 'tensor<?x?xf32>': the last dim must be static}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<?x?xf32>, tensor<f32> -> tensor<?x?xf8E4M3FN>
  return %q : tensor<?x?xf8E4M3FN>
}

// -----

func.func @amax_of_fp8(%x: tensor<16x32xf8E4M3FN>) -> tensor<f32> {
  // expected-error @+1 {{'fp8.amax' op has no GPU kernel for 'f8E4M3FN' input (f32, bf16 or f16)}}
  %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<16x32xf8E4M3FN> -> tensor<f32>
  return %a : tensor<f32>
}

// -----

// Every unsupported op is reported, not only the first.
func.func @two_errors(%x: tensor<32x?xf32>, %y: tensor<32x?xbf16>) -> (tensor<f32>, tensor<f32>) {
  // expected-error @+1 {{'fp8.amax' op has no GPU kernel for 'tensor<32x?xf32>': the last dim must be static}}
  %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<32x?xf32> -> tensor<f32>
  // expected-error @+1 {{'fp8.amax' op has no GPU kernel for 'tensor<32x?xbf16>': the last dim must be static}}
  %b = fp8.amax %y {scaling = #fp8.scaling<tensor>} : tensor<32x?xbf16> -> tensor<f32>
  return %a, %b : tensor<f32>, tensor<f32>
}

// -----

func.func @b_not_k_major(%a: tensor<128x256xf8E4M3FN>, %sa: tensor<f32>,
                         %b: tensor<256x64xf8E4M3FN>, %sb: tensor<f32>) -> tensor<128x64xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op needs B K-major ([N, K], `transpose_b`) on sm_90a: FP8 wgmma reads both operands K-major}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>}
      : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<256x64xf8E4M3FN>, tensor<f32>
        -> tensor<128x64xbf16>
  return %d : tensor<128x64xbf16>
}


// -----

func.func @k_not_16(%a: tensor<128x40xf8E4M3FN>, %sa: tensor<f32>,
                    %b: tensor<64x40xf8E4M3FN>, %sb: tensor<f32>) -> tensor<128x64xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op needs K to be a multiple of 16 on sm_90a (TMA needs 16-byte row strides), got K = 40}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x40xf8E4M3FN>, tensor<f32>, tensor<64x40xf8E4M3FN>, tensor<f32>
        -> tensor<128x64xbf16>
  return %d : tensor<128x64xbf16>
}

// -----

// One GEMM of a batched op per blockIdx.z: at most 65535.
func.func @batched(%a: tensor<2x32768x16x64xf8E4M3FN>, %sa: tensor<f32>,
                   %b: tensor<2x32768x16x64xf8E4M3FN>, %sb: tensor<f32>) -> tensor<2x32768x16x16xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op has 65536 GEMMs in its batch dims, more than the grid's z limit (65535)}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<2x32768x16x64xf8E4M3FN>, tensor<f32>, tensor<2x32768x16x64xf8E4M3FN>, tensor<f32>
        -> tensor<2x32768x16x16xbf16>
  return %d : tensor<2x32768x16x16xbf16>
}

// -----

// Float redux.sync is a Blackwell instruction; LLVM aborts on it for sm_90a
// ("Cannot select"), so the pass rejects it first.
gpu.module @user_kernels {
  gpu.func @k(%v: f32) kernel {
    %mask = arith.constant -1 : i32
    // expected-error @+1 {{'nvvm.redux.sync' op with a float kind needs sm_100a; on sm_90a reduce with shuffles or on integer bit patterns}}
    %r = nvvm.redux.sync fmax %v, %mask : f32 -> f32
    gpu.return
  }
}

// -----

// A kernel name that is already taken by something else.
func.func private @fp8_quantize_f32_f8E4M3FN_tensor_16x32()

func.func @name_taken(%x: tensor<16x32xf32>, %s: tensor<f32>) -> tensor<16x32xf8E4M3FN> {
  // expected-error @+1 {{'fp8.quantize' op needs the symbol @fp8_quantize_f32_f8E4M3FN_tensor_16x32 for its kernel, but the module already has one}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<16x32xf32>, tensor<f32> -> tensor<16x32xf8E4M3FN>
  return %q : tensor<16x32xf8E4M3FN>
}
