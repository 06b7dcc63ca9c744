// The MLP training step of python/tests/test_recipes.py (MODULE: forward
// H = X W1^T, tanh, Y = A W2^T; backward dA, dX and the weight gradients
// dW2 = dY^T A, dW1 = dH^T X) under the default recipe=nvfp4 (the random
// Hadamard transform on both operands of the two weight-gradient matmuls,
// stochastic rounding on the four gradient quantizes) lowers for sm_100a
// end to end: every kernel assembles with ptxas -arch=sm_100a without
// spills, the four GEMMs are tcgen05.mma.kind::mxf4nvf4 (scale_vec::4X),
// the gradient quantizes round with cvt.rs.satfinite.e2m1x4.f32 (four
// kernels: one seed, offsets 0, 2^40, 2^41, 3 * 2^40), the transform runs
// in its own kernel and the per-tensor amax reads its output, and the host
// code translates to LLVM IR.
// REQUIRES: ptxas
// RUN: rm -rf %t && mkdir -p %t
// RUN: fp8-opt %s --fp8-quantize-pipeline="recipe=nvfp4 static-ranges=off" | fp8-opt --fp8-gpu-pipeline="chip=sm_100a" -o %t/step.mlir
// RUN: FileCheck %s --check-prefix=HOST < %t/step.mlir
// RUN: %extract-ptx %t/step.mlir -o %t/ptx
// RUN: mlir-translate --mlir-to-llvmir %t/step.mlir -o /dev/null
// RUN: for f in %t/ptx/*.ptx; do %ptxas -arch=sm_100a -v $f -o $f.cubin 2>&1 | FileCheck %s --check-prefix=PTXAS || exit 1; done
// RUN: ls %t/ptx | FileCheck %s --check-prefix=KERNELS
// RUN: for f in %t/ptx/fp8_quantize_*_sr24301_*.ptx; do FileCheck %s --check-prefix=SR < $f || exit 1; done
// RUN: for f in %t/ptx/fp8_gemm_sm100_*.ptx; do FileCheck %s --check-prefix=NVGEMM < $f || exit 1; done
// RUN: FileCheck %s --check-prefix=RHT < %t/ptx/fp8_hadamard_f32_f32_16_d7e8_512x256.ptx

// PTXAS: Compiling entry function 'fp8_{{.*}}' for 'sm_100a'
// PTXAS: 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads

// The host launches the transform, then the per-tensor amax of its output
// (the global scale sees the transformed values, as on the CPU), and the
// stochastically rounded quantizes (no CPU fallback for either).
// HOST: gpu.launch_func  @fp8_hadamard_f32_f32_16_d7e8_256x256::
// HOST: gpu.launch_func  @fp8_amax_f32_tensor_256x256::
// HOST: gpu.launch_func  @fp8_quantize_f32_f4E2M1FN_block1x16_256x256_f8E4M3FN_sr24301_0_global::
// HOST: gpu.launch_func  @fp8_hadamard_f32_f32_16_d7e8_512x256::
// HOST: gpu.launch_func  @fp8_amax_f32_tensor_512x256::

// KERNELS-DAG: fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_block1x16_block16x16_256x512x256_tile128x64x128_s1.ptx
// KERNELS-DAG: fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_block1x16_block1x16_256x512x256_tile128x64x128_s1.ptx
// KERNELS-DAG: fp8_gemm_sm100_f4E2M1FN_f4E2M1FN_f32_block1x16_block1x16_512x256x256_tile128x64x128_s1.ptx
// KERNELS-DAG: fp8_hadamard_f32_f32_16_d7e8_256x256.ptx
// KERNELS-DAG: fp8_hadamard_f32_f32_16_d7e8_512x256.ptx
// KERNELS-DAG: fp8_amax_f32_tensor_512x256.ptx
// KERNELS-DAG: fp8_quantize_f32_f4E2M1FN_block1x16_256x256_f8E4M3FN_sr24301_0_global.ptx
// KERNELS-DAG: fp8_quantize_f32_f4E2M1FN_block1x16_256x512_f8E4M3FN_sr24301_1099511627776_global.ptx
// KERNELS-DAG: fp8_quantize_f32_f4E2M1FN_block1x16_256x256_f8E4M3FN_sr24301_2199023255552_global.ptx
// KERNELS-DAG: fp8_quantize_f32_f4E2M1FN_block1x16_512x256_f8E4M3FN_sr24301_3298534883328_global.ptx

// SR: prmt.b32 [[RB:%r[0-9]+]], %r{{[0-9]+}}, 0, 0x123U;
// SR-NEXT: cvt.rs.satfinite.e2m1x4.f32 %rs{{[0-9]+}}, {{.*}}, [[RB]];
// SR-NOT: cvt.rn.satfinite.e2m1x2.f32

// NVGEMM-COUNT-4: tcgen05.mma.cta_group::1.kind::mxf4nvf4.block_scale.block16
// NVGEMM-NOT:  kind::mxf8f6f4

// RHT: ld.global.v4.b32
// RHT: mul.rn.f32 {{.*}}, 0f3E800000;
// RHT: add.rn.f32 {{.*}}, 0f00000000;
// RHT-NOT: fma


#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
// Forward H = X W1^T, A = tanh(H), Y = A W2^T; backward from dY.
func.func @mlp(%x: tensor<256x256xf32>,
               %w1: tensor<512x256xf32> {fp8.role = #fp8.role<weight>},
               %w2: tensor<256x512xf32> {fp8.role = #fp8.role<weight>},
               %dy: tensor<256x256xf32> {fp8.role = #fp8.role<gradient>})
    -> (tensor<256x256xf32>, tensor<256x256xf32>, tensor<512x256xf32>,
        tensor<256x512xf32>) {
  %zero = arith.constant 0.0 : f32
  %ones = arith.constant dense<1.0> : tensor<256x512xf32>
  %eh = tensor.empty() : tensor<256x512xf32>
  %fh = linalg.fill ins(%zero : f32) outs(%eh : tensor<256x512xf32>) -> tensor<256x512xf32>
  %h = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%x, %w1 : tensor<256x256xf32>, tensor<512x256xf32>)
      outs(%fh : tensor<256x512xf32>) -> tensor<256x512xf32>
  %a = math.tanh %h : tensor<256x512xf32>
  %ey = tensor.empty() : tensor<256x256xf32>
  %fy = linalg.fill ins(%zero : f32) outs(%ey : tensor<256x256xf32>) -> tensor<256x256xf32>
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%a, %w2 : tensor<256x512xf32>, tensor<256x512xf32>)
      outs(%fy : tensor<256x256xf32>) -> tensor<256x256xf32>
  // dA = dY W2, dH = dA (1 - A^2), dX = dH W1.
  %da = linalg.matmul ins(%dy, %w2 : tensor<256x256xf32>, tensor<256x512xf32>)
      outs(%fh : tensor<256x512xf32>) -> tensor<256x512xf32>
  %a2 = arith.mulf %a, %a : tensor<256x512xf32>
  %dtanh = arith.subf %ones, %a2 : tensor<256x512xf32>
  %dh = arith.mulf %da, %dtanh : tensor<256x512xf32>
  %dx = linalg.matmul ins(%dh, %w1 : tensor<256x512xf32>, tensor<512x256xf32>)
      outs(%fy : tensor<256x256xf32>) -> tensor<256x256xf32>
  // dW2 = dY^T A, dW1 = dH^T X.
  %edyt = tensor.empty() : tensor<256x256xf32>
  %dyt = linalg.transpose ins(%dy : tensor<256x256xf32>)
      outs(%edyt : tensor<256x256xf32>) permutation = [1, 0]
  %ew2 = tensor.empty() : tensor<256x512xf32>
  %fw2 = linalg.fill ins(%zero : f32) outs(%ew2 : tensor<256x512xf32>) -> tensor<256x512xf32>
  %dw2 = linalg.matmul ins(%dyt, %a : tensor<256x256xf32>, tensor<256x512xf32>)
      outs(%fw2 : tensor<256x512xf32>) -> tensor<256x512xf32>
  %edht = tensor.empty() : tensor<512x256xf32>
  %dht = linalg.transpose ins(%dh : tensor<256x512xf32>)
      outs(%edht : tensor<512x256xf32>) permutation = [1, 0]
  %ew1 = tensor.empty() : tensor<512x256xf32>
  %fw1 = linalg.fill ins(%zero : f32) outs(%ew1 : tensor<512x256xf32>) -> tensor<512x256xf32>
  %dw1 = linalg.matmul ins(%dht, %x : tensor<512x256xf32>, tensor<256x256xf32>)
      outs(%fw1 : tensor<512x256xf32>) -> tensor<512x256xf32>
  return %y, %dx, %dw1, %dw2 : tensor<256x256xf32>, tensor<256x256xf32>,
      tensor<512x256xf32>, tensor<256x512xf32>
}
