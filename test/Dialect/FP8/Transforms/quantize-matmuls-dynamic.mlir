// fp8-quantize-matmuls on dynamic M, N and K under the recipes with scales
// finer than one per tensor: the scale tensors take their dynamic sizes from
// the data (rows for rowwise, ceil-div by the block for block and MX
// scaling), and the matmul is quantized as it is with static sizes.
// RUN: fp8-opt %s -split-input-file --fp8-quantize-matmuls=recipe=rowwise | FileCheck %s --check-prefix=ROW
// RUN: fp8-opt %s -split-input-file --fp8-quantize-matmuls=recipe=blockwise | FileCheck %s --check-prefix=BLOCK
// RUN: fp8-opt %s -split-input-file --fp8-quantize-matmuls=recipe=mxfp8 | FileCheck %s --check-prefix=MX

#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>

// Dynamic M (tokens) times a static weight: the activation's scales have a
// dynamic row count, the weight's are static.
// ROW-LABEL: func.func @dynamic_m
// ROW-SAME: (%[[X:[^:]*]]: tensor<?x256xf32>, %[[W:[^:]*]]: tensor<64x256xf32>
// ROW-DAG: %[[XA:.*]] = fp8.amax %[[X]] {scaling = #fp8.scaling<rowwise>} : tensor<?x256xf32> -> tensor<?x1xf32>
// ROW-DAG: %[[XS:.*]] = fp8.scale_from_amax %[[XA]] {format = f8E4M3FN, pow2} : tensor<?x1xf32> -> tensor<?x1xf32>
// ROW-DAG: %[[XQ:.*]] = fp8.quantize %[[X]], %[[XS]] {scaling = #fp8.scaling<rowwise>} : tensor<?x256xf32>, tensor<?x1xf32> -> tensor<?x256xf8E4M3FN>
// ROW-DAG: %[[WA:.*]] = fp8.amax %[[W]] {scaling = #fp8.scaling<rowwise>} : tensor<64x256xf32> -> tensor<64x1xf32>
// ROW: fp8.scaled_matmul %[[XQ]], %[[XS]], %{{.*}}, %{{.*}} {a_scaling = #fp8.scaling<rowwise>, b_scaling = #fp8.scaling<rowwise>, transpose_b} : tensor<?x256xf8E4M3FN>, tensor<?x1xf32>, tensor<64x256xf8E4M3FN>, tensor<64x1xf32> -> tensor<?x64xf32>
// BLOCK-LABEL: func.func @dynamic_m
// BLOCK-DAG: fp8.amax %{{.*}} {scaling = #fp8.scaling<block [1, 128]>} : tensor<?x256xf32> -> tensor<?x2xf32>
// BLOCK-DAG: fp8.amax %{{.*}} {scaling = #fp8.scaling<block [128, 128]>} : tensor<64x256xf32> -> tensor<1x2xf32>
// BLOCK: fp8.scaled_matmul {{.*}} : tensor<?x256xf8E4M3FN>, tensor<?x2xf32>, tensor<64x256xf8E4M3FN>, tensor<1x2xf32> -> tensor<?x64xf32>
// MX-LABEL: func.func @dynamic_m
// MX-DAG: fp8.scale_from_amax %{{.*}} {format = f8E4M3FN} : tensor<?x8xf32> -> tensor<?x8xf8E8M0FNU>
// MX-DAG: fp8.scale_from_amax %{{.*}} {format = f8E4M3FN} : tensor<64x8xf32> -> tensor<64x8xf8E8M0FNU>
// MX: fp8.scaled_matmul {{.*}} : tensor<?x256xf8E4M3FN>, tensor<?x8xf8E8M0FNU>, tensor<64x256xf8E4M3FN>, tensor<64x8xf8E8M0FNU> -> tensor<?x64xf32>
func.func @dynamic_m(%x: tensor<?x256xf32>,
                     %w: tensor<64x256xf32> {fp8.role = #fp8.role<weight>},
                     %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%x, %w : tensor<?x256xf32>, tensor<64x256xf32>)
      outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// -----

#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>

// Dynamic K: the groups along K are counted at run time (ceil-div, so a K
// that is not a multiple of the block ends in a ragged group, as a static
// one does); rowwise scales stay [rows, 1].
// ROW-LABEL: func.func @dynamic_k
// ROW: fp8.scaled_matmul {{.*}} : tensor<32x?xf8E4M3FN>, tensor<32x1xf32>, tensor<64x?xf8E4M3FN>, tensor<64x1xf32> -> tensor<32x64xf32>
// BLOCK-LABEL: func.func @dynamic_k
// BLOCK: fp8.scaled_matmul {{.*}} : tensor<32x?xf8E4M3FN>, tensor<32x?xf32>, tensor<64x?xf8E4M3FN>, tensor<1x?xf32> -> tensor<32x64xf32>
// MX-LABEL: func.func @dynamic_k
// MX: fp8.scaled_matmul {{.*}} : tensor<32x?xf8E4M3FN>, tensor<32x?xf8E8M0FNU>, tensor<64x?xf8E4M3FN>, tensor<64x?xf8E8M0FNU> -> tensor<32x64xf32>
func.func @dynamic_k(%x: tensor<32x?xf32>,
                     %w: tensor<64x?xf32> {fp8.role = #fp8.role<weight>},
                     %c: tensor<32x64xf32>) -> tensor<32x64xf32> {
  %y = linalg.matmul indexing_maps = [#mk, #nk, #mn]
      ins(%x, %w : tensor<32x?xf32>, tensor<64x?xf32>)
      outs(%c : tensor<32x64xf32>) -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}

// -----

// Everything dynamic, B stored [K, N]: B is transposed to K-major first
// (tensor.dim sizes), then measured and quantized like A.
// ROW-LABEL: func.func @dynamic_mnk
// ROW-SAME: (%[[A:[^:]*]]: tensor<?x?xf32>, %[[B:[^:]*]]: tensor<?x?xf32>
// ROW: %[[T:.*]] = linalg.transpose ins(%[[B]] : tensor<?x?xf32>)
// ROW: fp8.amax %[[T]] {scaling = #fp8.scaling<rowwise>} : tensor<?x?xf32> -> tensor<?x1xf32>
// ROW: fp8.scaled_matmul {{.*}} : tensor<?x?xf8E4M3FN>, tensor<?x1xf32>, tensor<?x?xf8E4M3FN>, tensor<?x1xf32> -> tensor<?x?xf32>
// BLOCK-LABEL: func.func @dynamic_mnk
// BLOCK: fp8.scaled_matmul {{.*}} {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [128, 128]>, transpose_b} : tensor<?x?xf8E4M3FN>, tensor<?x?xf32>, tensor<?x?xf8E4M3FN>, tensor<?x?xf32> -> tensor<?x?xf32>
// MX-LABEL: func.func @dynamic_mnk
// MX: fp8.scaled_matmul {{.*}} {a_scaling = #fp8.scaling<block [1, 32]>, b_scaling = #fp8.scaling<block [1, 32]>, transpose_b} : tensor<?x?xf8E4M3FN>, tensor<?x?xf8E8M0FNU>, tensor<?x?xf8E4M3FN>, tensor<?x?xf8E8M0FNU> -> tensor<?x?xf32>
func.func @dynamic_mnk(%a: tensor<?x?xf32>,
                       %b: tensor<?x?xf32> {fp8.role = #fp8.role<weight>},
                       %c: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %y = linalg.matmul ins(%a, %b : tensor<?x?xf32>, tensor<?x?xf32>)
      outs(%c : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// The weight gradient of a layer with dynamic M (tokens): dW = dY^T X
// contracts over M, so K is dynamic. Both operands are K-major views of the
// [M, *] tensors (a transpose of X); under blockwise, gradients and
// activations group [1, 128] along the dynamic K.
// ROW-LABEL: func.func @wgrad_dynamic_tokens
// ROW: fp8.scaled_matmul {{.*}} : tensor<16x?xf8E4M3FN>, tensor<16x1xf32>, tensor<32x?xf8E4M3FN>, tensor<32x1xf32> -> tensor<16x32xf32>
// BLOCK-LABEL: func.func @wgrad_dynamic_tokens
// BLOCK: fp8.scaled_matmul {{.*}} {a_scaling = #fp8.scaling<block [1, 128]>, b_scaling = #fp8.scaling<block [1, 128]>, transpose_b} : tensor<16x?xf8E4M3FN>, tensor<16x?xf32>, tensor<32x?xf8E4M3FN>, tensor<32x?xf32> -> tensor<16x32xf32>
// MX-LABEL: func.func @wgrad_dynamic_tokens
// MX: fp8.scaled_matmul {{.*}} : tensor<16x?xf8E4M3FN>, tensor<16x?xf8E8M0FNU>, tensor<32x?xf8E4M3FN>, tensor<32x?xf8E8M0FNU> -> tensor<16x32xf32>
func.func @wgrad_dynamic_tokens(%dy: tensor<?x16xf32> {fp8.role = #fp8.role<gradient>},
                                %x: tensor<?x32xf32>,
                                %c: tensor<16x32xf32>) -> tensor<16x32xf32> {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %dy, %c0 : tensor<?x16xf32>
  %e = tensor.empty(%m) : tensor<16x?xf32>
  %dyt = linalg.transpose ins(%dy : tensor<?x16xf32>)
      outs(%e : tensor<16x?xf32>) permutation = [1, 0]
  %dw = linalg.matmul ins(%dyt, %x : tensor<16x?xf32>, tensor<?x32xf32>)
      outs(%c : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %dw : tensor<16x32xf32>
}
