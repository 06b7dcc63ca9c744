// What stays static for the runtime-row kernels, on both chips: the last
// dim (the row length the kernels are specialized on), scale groups taller
// than one row, and the dims of a GEMM other than a runtime M (which one,
// and why).
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-gpu-pipeline="chip=sm_90a"
// RUN: fp8-opt %s -split-input-file -verify-diagnostics --fp8-gpu-pipeline="chip=sm_100a"

func.func @quantize_dynamic_row_length(%x: tensor<16x?xf32>, %s: tensor<f32>) -> tensor<16x?xf8E4M3FN> {
  // expected-error @+1 {{'fp8.quantize' op has no GPU kernel for 'tensor<16x?xf32>': the last dim must be static (the kernels take the leading dims, folded into the rows, at run time)}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
      : tensor<16x?xf32>, tensor<f32> -> tensor<16x?xf8E4M3FN>
  return %q : tensor<16x?xf8E4M3FN>
}

// -----

func.func @amax_dynamic_row_length(%x: tensor<?xf32>) -> tensor<f32> {
  // expected-error @+1 {{'fp8.amax' op has no GPU kernel for 'tensor<?xf32>': the last dim must be static}}
  %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<?xf32> -> tensor<f32>
  return %a : tensor<f32>
}

// -----

func.func @amax_tall_blocks(%x: tensor<?x256xf32>) -> tensor<?x2xf32> {
  // expected-error @+1 {{'fp8.amax' op has no GPU kernel for #fp8.scaling<block [128, 128]> of 'tensor<?x256xf32>' with dynamic rows: only scale groups one row tall (tensor, rowwise, [1, c]) take the rows at run time}}
  %a = fp8.amax %x {scaling = #fp8.scaling<block [128, 128]>} : tensor<?x256xf32> -> tensor<?x2xf32>
  return %a : tensor<?x2xf32>
}

// -----

func.func @quantize_tall_blocks(%x: tensor<?x256xf32>, %s: tensor<?x2xf32>) -> tensor<?x256xf8E4M3FN> {
  // expected-error @+1 {{'fp8.quantize' op has no GPU kernel for #fp8.scaling<block [128, 128]> of 'tensor<?x256xf32>' with dynamic rows}}
  %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [128, 128]>}
      : tensor<?x256xf32>, tensor<?x2xf32> -> tensor<?x256xf8E4M3FN>
  return %q : tensor<?x256xf8E4M3FN>
}

// -----

func.func @gemm_dynamic_batch(%a: tensor<2x?x64xf8E4M3FN>, %sa: tensor<f32>,
                              %b: tensor<2x32x64xf8E4M3FN>, %sb: tensor<f32>) -> tensor<2x?x32xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op has no GPU kernel for dynamic batch dims: the GEMM kernels take M (A's rows) at run time only without batch dims (A [?, K])}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<2x?x64xf8E4M3FN>, tensor<f32>, tensor<2x32x64xf8E4M3FN>, tensor<f32> -> tensor<2x?x32xbf16>
  return %d : tensor<2x?x32xbf16>
}

// -----

func.func @gemm_dynamic_n(%a: tensor<128x64xf8E4M3FN>, %sa: tensor<f32>,
                          %b: tensor<?x64xf8E4M3FN>, %sb: tensor<f32>) -> tensor<128x?xbf16> {
  // expected-error @+1 {{'fp8.scaled_matmul' op has no GPU kernel for a dynamic N: the GEMM kernels need N (B's rows, a weight's output features) static for the tile grid along N, the epilogue's column bounds and B's scales}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<128x64xf8E4M3FN>, tensor<f32>, tensor<?x64xf8E4M3FN>, tensor<f32> -> tensor<128x?xbf16>
  return %d : tensor<128x?xbf16>
}

// -----

// The wgrad GEMM of a training step contracts over the dynamic tokens.
func.func @gemm_dynamic_k(%a: tensor<64x?xf8E4M3FN>, %sa: tensor<f32>,
                          %b: tensor<32x?xf8E4M3FN>, %sb: tensor<f32>) -> tensor<64x32xf32> {
  // expected-error @+1 {{'fp8.scaled_matmul' op has no GPU kernel for a dynamic K (the contraction dim): the GEMM kernels compile the K loop, the TMA boxes along K and the scale groups along K for a static K}}
  %d = fp8.scaled_matmul %a, %sa, %b, %sb
      {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b}
      : tensor<64x?xf8E4M3FN>, tensor<f32>, tensor<32x?xf8E4M3FN>, tensor<f32> -> tensor<64x32xf32>
  return %d : tensor<64x32xf32>
}
