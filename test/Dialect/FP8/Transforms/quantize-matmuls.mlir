// fp8-quantize-matmuls, recipe=tensorwise: every matmul form it recognizes,
// K-major operands, accumulators and sharing of amax/quantize.
// RUN: fp8-opt %s -split-input-file --fp8-quantize-matmuls=recipe=tensorwise | FileCheck %s

// Y = X W^T written with the transposed indexing maps of linalg.matmul: both
// operands are already K-major, no transpose is needed.
// CHECK-LABEL: func.func @matmul_transpose_b_maps
// CHECK-SAME: (%[[X:.*]]: tensor<128x256xbf16>, %[[W:.*]]: tensor<64x256xbf16> {fp8.role = #fp8.role<weight>})
// CHECK-NOT: linalg.transpose
// CHECK: %[[AX:.*]] = fp8.amax %[[X]] {scaling = #fp8.scaling<tensor>} : tensor<128x256xbf16> -> tensor<f32>
// CHECK: %[[SX:.*]] = fp8.scale_from_amax %[[AX]] {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
// CHECK: %[[QX:.*]] = fp8.quantize %[[X]], %[[SX]] {scaling = #fp8.scaling<tensor>} : tensor<128x256xbf16>, tensor<f32> -> tensor<128x256xf8E4M3FN>
// CHECK: %[[AW:.*]] = fp8.amax %[[W]] {scaling = #fp8.scaling<tensor>}
// CHECK: %[[SW:.*]] = fp8.scale_from_amax %[[AW]] {format = f8E4M3FN}
// CHECK: %[[QW:.*]] = fp8.quantize %[[W]], %[[SW]] {scaling = #fp8.scaling<tensor>} : tensor<64x256xbf16>, tensor<f32> -> tensor<64x256xf8E4M3FN>
// CHECK-NOT: linalg.matmul
// CHECK: %[[Y:.*]] = fp8.scaled_matmul %[[QX]], %[[SX]], %[[QW]], %[[SW]] {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>, transpose_b} : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>, tensor<f32> -> tensor<128x64xf32>
// CHECK-NOT: linalg.add
// CHECK: return %[[Y]]
func.func @matmul_transpose_b_maps(
    %x: tensor<128x256xbf16>,
    %w: tensor<64x256xbf16> {fp8.role = #fp8.role<weight>}) -> tensor<128x64xf32> {
  %e = tensor.empty() : tensor<128x64xf32>
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                      affine_map<(m, n, k) -> (n, k)>,
                                      affine_map<(m, n, k) -> (m, n)>]
      ins(%x, %w : tensor<128x256xbf16>, tensor<64x256xbf16>)
      outs(%e : tensor<128x64xf32>) -> tensor<128x64xf32>
  return %y : tensor<128x64xf32>
}

// -----

// Plain linalg.matmul: B is [K, N], so a transpose to [N, K] is quantized.
// The per-tensor amax is taken on the untransposed B. A zero-filled init
// adds nothing; the result keeps its bf16 element type.
// CHECK-LABEL: func.func @matmul_plain
// CHECK-SAME: (%[[A:.*]]: tensor<32x64xf32>, %[[B:.*]]: tensor<64x16xf32>)
// CHECK-DAG: %[[AB:.*]] = fp8.amax %[[B]] {scaling = #fp8.scaling<tensor>} : tensor<64x16xf32> -> tensor<f32>
// CHECK-DAG: %[[SB:.*]] = fp8.scale_from_amax %[[AB]]
// CHECK-DAG: %[[BT:.*]] = linalg.transpose ins(%[[B]] : tensor<64x16xf32>) outs(%{{.*}} : tensor<16x64xf32>) permutation = [1, 0]
// CHECK-DAG: %[[QB:.*]] = fp8.quantize %[[BT]], %[[SB]] {scaling = #fp8.scaling<tensor>} : tensor<16x64xf32>, tensor<f32> -> tensor<16x64xf8E4M3FN>
// CHECK-DAG: %[[QA:.*]] = fp8.quantize %[[A]]
// CHECK: %[[Y:.*]] = fp8.scaled_matmul %[[QA]], %{{.*}}, %[[QB]], %[[SB]] {{.*}}transpose_b{{.*}} -> tensor<32x16xbf16>
// CHECK-NOT: linalg.add
// CHECK: return %[[Y]]
func.func @matmul_plain(%a: tensor<32x64xf32>, %b: tensor<64x16xf32>) -> tensor<32x16xbf16> {
  %zero = arith.constant 0.0 : bf16
  %e = tensor.empty() : tensor<32x16xbf16>
  %acc = linalg.fill ins(%zero : bf16) outs(%e : tensor<32x16xbf16>) -> tensor<32x16xbf16>
  %y = linalg.matmul ins(%a, %b : tensor<32x64xf32>, tensor<64x16xf32>)
      outs(%acc : tensor<32x16xbf16>) -> tensor<32x16xbf16>
  return %y : tensor<32x16xbf16>
}

// -----

// Transposed A ([K, M]) through indexing maps: A gets a transpose to [M, K],
// B ([K, N]) one to [N, K].
// CHECK-LABEL: func.func @matmul_transpose_a_maps
// CHECK-SAME: (%[[A:.*]]: tensor<64x32xf16>, %[[B:.*]]: tensor<64x16xf16>
// CHECK-DAG: linalg.transpose ins(%[[A]] : tensor<64x32xf16>) outs(%{{.*}} : tensor<32x64xf16>) permutation = [1, 0]
// CHECK-DAG: linalg.transpose ins(%[[B]] : tensor<64x16xf16>) outs(%{{.*}} : tensor<16x64xf16>) permutation = [1, 0]
// CHECK: fp8.scaled_matmul {{.*}} : tensor<32x64xf8E4M3FN>, tensor<f32>, tensor<16x64xf8E4M3FN>, tensor<f32> -> tensor<32x16xf16>
func.func @matmul_transpose_a_maps(%a: tensor<64x32xf16>, %b: tensor<64x16xf16>,
                                   %c: tensor<32x16xf16>) -> tensor<32x16xf16> {
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>,
                                      affine_map<(m, n, k) -> (k, n)>,
                                      affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : tensor<64x32xf16>, tensor<64x16xf16>)
      outs(%c : tensor<32x16xf16>) -> tensor<32x16xf16>
  return %y : tensor<32x16xf16>
}

// -----

// linalg.matmul whose B is a linalg.transpose of a [N, K] weight: the
// quantization reads the weight itself, which is already K-major. A
// non-zero accumulator is added back.
// CHECK-LABEL: func.func @matmul_of_transposed_weight
// CHECK-SAME: (%[[X:.*]]: tensor<16x128xf32>, %[[W:.*]]: tensor<64x128xf32> {fp8.role = #fp8.role<weight>}, %[[ACC:.*]]: tensor<16x64xf32>)
// CHECK: %[[QW:.*]] = fp8.quantize %[[W]], %{{.*}} : tensor<64x128xf32>, tensor<f32> -> tensor<64x128xf8E4M3FN>
// CHECK: %[[Y:.*]] = fp8.scaled_matmul %{{.*}}, %{{.*}}, %[[QW]], %{{.*}} {{.*}}transpose_b{{.*}} -> tensor<16x64xf32>
// CHECK: %[[SUM:.*]] = linalg.add ins(%[[Y]], %[[ACC]] : tensor<16x64xf32>, tensor<16x64xf32>) outs(%[[ACC]] : tensor<16x64xf32>)
// CHECK: return %[[SUM]]
func.func @matmul_of_transposed_weight(
    %x: tensor<16x128xf32>, %w: tensor<64x128xf32> {fp8.role = #fp8.role<weight>},
    %acc: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %e = tensor.empty() : tensor<128x64xf32>
  %wt = linalg.transpose ins(%w : tensor<64x128xf32>) outs(%e : tensor<128x64xf32>)
      permutation = [1, 0]
  %y = linalg.matmul ins(%x, %wt : tensor<16x128xf32>, tensor<128x64xf32>)
      outs(%acc : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}

// -----

// linalg.batch_matmul: Q K^T with K^T from a transpose reads K directly;
// P V needs V transposed to [b, N, K].
// CHECK-LABEL: func.func @batch_matmul
// CHECK-SAME: (%[[Q:.*]]: tensor<4x64x32xbf16>, %[[K:.*]]: tensor<4x64x32xbf16>, %[[V:.*]]: tensor<4x64x32xbf16>)
// CHECK-DAG: %[[QK:.*]] = fp8.quantize %[[K]], %{{.*}} {scaling = #fp8.scaling<tensor>} : tensor<4x64x32xbf16>, tensor<f32> -> tensor<4x64x32xf8E4M3FN>
// CHECK-DAG: %[[QQ:.*]] = fp8.quantize %[[Q]], %{{.*}} {scaling = #fp8.scaling<tensor>} : tensor<4x64x32xbf16>, tensor<f32> -> tensor<4x64x32xf8E4M3FN>
// CHECK-DAG: %[[VT:.*]] = linalg.transpose ins(%[[V]] : tensor<4x64x32xbf16>) outs(%{{.*}} : tensor<4x32x64xbf16>) permutation = [0, 2, 1]
// CHECK-DAG: %[[QV:.*]] = fp8.quantize %[[VT]], %{{.*}} -> tensor<4x32x64xf8E4M3FN>
// CHECK: %[[S:.*]] = fp8.scaled_matmul %[[QQ]], %{{.*}}, %[[QK]], %{{.*}} {{.*}}transpose_b{{.*}} -> tensor<4x64x64xf32>
// CHECK: %[[P:.*]] = arith.truncf %[[S]]
// CHECK: %[[QP:.*]] = fp8.quantize %[[P]], %{{.*}} -> tensor<4x64x64xf8E4M3FN>
// CHECK: fp8.scaled_matmul %[[QP]], %{{.*}}, %[[QV]], %{{.*}} {{.*}}transpose_b{{.*}} : tensor<4x64x64xf8E4M3FN>, tensor<f32>, tensor<4x32x64xf8E4M3FN>, tensor<f32> -> tensor<4x64x32xf32>
func.func @batch_matmul(%q: tensor<4x64x32xbf16>, %k: tensor<4x64x32xbf16>,
                        %v: tensor<4x64x32xbf16>) -> tensor<4x64x32xf32> {
  %et = tensor.empty() : tensor<4x32x64xbf16>
  %kt = linalg.transpose ins(%k : tensor<4x64x32xbf16>)
      outs(%et : tensor<4x32x64xbf16>) permutation = [0, 2, 1]
  %es = tensor.empty() : tensor<4x64x64xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<4x64x32xbf16>, tensor<4x32x64xbf16>)
      outs(%es : tensor<4x64x64xf32>) -> tensor<4x64x64xf32>
  %p = arith.truncf %s : tensor<4x64x64xf32> to tensor<4x64x64xbf16>
  %eo = tensor.empty() : tensor<4x64x32xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<4x64x64xbf16>, tensor<4x64x32xbf16>)
      outs(%eo : tensor<4x64x32xf32>) -> tensor<4x64x32xf32>
  return %o : tensor<4x64x32xf32>
}

// -----

// A contraction linalg.generic with batch dim in the middle and a result in
// [N, M] order: operands are permuted to [b, M, K] / [b, N, K] and the
// [b, M, N] result is transposed back to the init's layout.
#lhs = affine_map<(m, b, n, k) -> (m, b, k)>
#rhs = affine_map<(m, b, n, k) -> (b, k, n)>
#out = affine_map<(m, b, n, k) -> (b, n, m)>
// CHECK-LABEL: func.func @contraction_generic
// CHECK-SAME: (%[[A:.*]]: tensor<16x2x64xf32>, %[[B:.*]]: tensor<2x64x8xf32>)
// CHECK-DAG: linalg.transpose ins(%[[A]] : tensor<16x2x64xf32>) outs(%{{.*}} : tensor<2x16x64xf32>) permutation = [1, 0, 2]
// CHECK-DAG: linalg.transpose ins(%[[B]] : tensor<2x64x8xf32>) outs(%{{.*}} : tensor<2x8x64xf32>) permutation = [0, 2, 1]
// CHECK: %[[Y:.*]] = fp8.scaled_matmul {{.*}} : tensor<2x16x64xf8E4M3FN>, tensor<f32>, tensor<2x8x64xf8E4M3FN>, tensor<f32> -> tensor<2x16x8xf32>
// CHECK: %[[YT:.*]] = linalg.transpose ins(%[[Y]] : tensor<2x16x8xf32>) outs(%{{.*}} : tensor<2x8x16xf32>) permutation = [0, 2, 1]
// CHECK-NOT: linalg.add
// CHECK: return %[[YT]]
func.func @contraction_generic(%a: tensor<16x2x64xf32>, %b: tensor<2x64x8xf32>)
    -> tensor<2x8x16xf32> {
  %e = tensor.empty() : tensor<2x8x16xf32>
  %y = linalg.generic {indexing_maps = [#lhs, #rhs, #out],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<16x2x64xf32>, tensor<2x64x8xf32>)
      outs(%e : tensor<2x8x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x8x16xf32>
  return %y : tensor<2x8x16xf32>
}

// -----

// linalg.contract is a contraction too.
// CHECK-LABEL: func.func @contract
// CHECK: fp8.scaled_matmul {{.*}} -> tensor<8x16xf32>
// CHECK-NOT: linalg.contract
func.func @contract(%a: tensor<8x32xf32>, %b: tensor<16x32xf32>) -> tensor<8x16xf32> {
  %e = tensor.empty() : tensor<8x16xf32>
  %y = linalg.contract indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                        affine_map<(m, n, k) -> (n, k)>,
                                        affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : tensor<8x32xf32>, tensor<16x32xf32>)
      outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

// One amax, scale and quantize per value, however many matmuls read it: X
// feeds three projections, the weights are distinct.
// CHECK-LABEL: func.func @shared_operand
// CHECK-SAME: (%[[X:.*]]: tensor<32x64xf32>
// CHECK-COUNT-1: fp8.amax %[[X]]
// CHECK-NOT: fp8.amax %[[X]]
// CHECK-COUNT-3: fp8.scaled_matmul
// CHECK-NOT: fp8.scaled_matmul
func.func @shared_operand(%x: tensor<32x64xf32>,
                          %wq: tensor<64x64xf32> {fp8.role = #fp8.role<weight>},
                          %wk: tensor<64x64xf32> {fp8.role = #fp8.role<weight>},
                          %wv: tensor<64x64xf32> {fp8.role = #fp8.role<weight>})
    -> (tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>) {
  %e = tensor.empty() : tensor<32x64xf32>
  %q = linalg.matmul ins(%x, %wq : tensor<32x64xf32>, tensor<64x64xf32>)
      outs(%e : tensor<32x64xf32>) -> tensor<32x64xf32>
  %k = linalg.matmul ins(%x, %wk : tensor<32x64xf32>, tensor<64x64xf32>)
      outs(%e : tensor<32x64xf32>) -> tensor<32x64xf32>
  %v = linalg.matmul ins(%x, %wv : tensor<32x64xf32>, tensor<64x64xf32>)
      outs(%e : tensor<32x64xf32>) -> tensor<32x64xf32>
  return %q, %k, %v : tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>
}

// -----

// Hybrid formats: the gradient is E5M2, the weight and activation E4M3, in
// dgrad and wgrad alike; the result of one quantized matmul feeds the next.
// CHECK-LABEL: func.func @backward
// CHECK-SAME: (%[[DY:.*]]: tensor<32x16xf32> {fp8.role = #fp8.role<gradient>}, %[[W:.*]]: tensor<16x64xf32> {fp8.role = #fp8.role<weight>}, %[[X:.*]]: tensor<32x64xf32>)
// CHECK-DAG: %[[SDY:.*]] = fp8.scale_from_amax %{{.*}} {format = f8E5M2} : tensor<f32> -> tensor<f32>
// CHECK-DAG: %[[QDY:.*]] = fp8.quantize %[[DY]], %[[SDY]] {{.*}} -> tensor<32x16xf8E5M2>
// CHECK-DAG: %[[QW:.*]] = fp8.quantize %{{.*}} -> tensor<64x16xf8E4M3FN>
// CHECK-DAG: %[[QXT:.*]] = fp8.quantize %{{.*}} -> tensor<64x32xf8E4M3FN>
// CHECK: %[[DX:.*]] = fp8.scaled_matmul %[[QDY]], %[[SDY]], %[[QW]], %{{.*}} : tensor<32x16xf8E5M2>, tensor<f32>, tensor<64x16xf8E4M3FN>, tensor<f32> -> tensor<32x64xf32>
// CHECK-DAG: fp8.scale_from_amax %{{.*}} {format = f8E5M2}
// CHECK-DAG: fp8.quantize %[[DX]], {{.*}} -> tensor<32x64xf8E5M2>
// CHECK-DAG: %[[QDYT:.*]] = fp8.quantize %{{.*}}, %[[SDY]] {{.*}} -> tensor<16x32xf8E5M2>
// CHECK: %[[DW:.*]] = fp8.scaled_matmul %[[QDYT]], %[[SDY]], %[[QXT]], %{{.*}} : tensor<16x32xf8E5M2>, tensor<f32>, tensor<64x32xf8E4M3FN>, tensor<f32> -> tensor<16x64xf32>
// CHECK: fp8.scaled_matmul {{.*}} : tensor<32x64xf8E5M2>, tensor<f32>, tensor<64x64xf8E4M3FN>, tensor<f32> -> tensor<32x64xf32>
func.func @backward(%dy: tensor<32x16xf32> {fp8.role = #fp8.role<gradient>},
                    %w: tensor<16x64xf32> {fp8.role = #fp8.role<weight>},
                    %x: tensor<32x64xf32>)
    -> (tensor<16x64xf32>, tensor<32x64xf32>) {
  %e = tensor.empty() : tensor<32x64xf32>
  %dx = linalg.matmul ins(%dy, %w : tensor<32x16xf32>, tensor<16x64xf32>)
      outs(%e : tensor<32x64xf32>) -> tensor<32x64xf32>
  %et = tensor.empty() : tensor<16x32xf32>
  %dyt = linalg.transpose ins(%dy : tensor<32x16xf32>) outs(%et : tensor<16x32xf32>)
      permutation = [1, 0]
  %ew = tensor.empty() : tensor<16x64xf32>
  %dw = linalg.matmul ins(%dyt, %x : tensor<16x32xf32>, tensor<32x64xf32>)
      outs(%ew : tensor<16x64xf32>) -> tensor<16x64xf32>
  %c = arith.constant dense<1.0> : tensor<64x64xf32>
  %dxx = linalg.matmul ins(%dx, %c : tensor<32x64xf32>, tensor<64x64xf32>)
      outs(%e : tensor<32x64xf32>) -> tensor<32x64xf32>
  return %dw, %dxx : tensor<16x64xf32>, tensor<32x64xf32>
}

// -----

// Dynamic sizes are fine under tensor scaling: the scales are rank 0.
// CHECK-LABEL: func.func @dynamic_tensorwise
// CHECK-SAME: (%[[A:.*]]: tensor<?x32xf32>, %[[B:.*]]: tensor<?x32xf32>
// CHECK-DAG: fp8.quantize %[[A]], %{{.*}} : tensor<?x32xf32>, tensor<f32> -> tensor<?x32xf8E4M3FN>
// CHECK-DAG: fp8.quantize %[[B]], %{{.*}} : tensor<?x32xf32>, tensor<f32> -> tensor<?x32xf8E4M3FN>
// CHECK: fp8.scaled_matmul {{.*}} -> tensor<?x?xf32>
func.func @dynamic_tensorwise(%a: tensor<?x32xf32>, %b: tensor<?x32xf32>,
                              %c: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %y = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                      affine_map<(m, n, k) -> (n, k)>,
                                      affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : tensor<?x32xf32>, tensor<?x32xf32>)
      outs(%c : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// An init with dynamic dims over static operands: the scaled_matmul result
// is static (the operands fix M and N, as its verifier requires), cast back
// to the init's type.
// CHECK-LABEL: func.func @dynamic_init
// CHECK:         %[[R:.*]] = fp8.scaled_matmul {{.*}} -> tensor<64x32xf32>
// CHECK:         tensor.cast %[[R]] : tensor<64x32xf32> to tensor<?x?xf32>
func.func @dynamic_init(%a: tensor<64x128xf32>, %b: tensor<128x32xf32>,
                        %c: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %zero = arith.constant 0.0 : f32
  %z = linalg.fill ins(%zero : f32) outs(%c : tensor<?x?xf32>) -> tensor<?x?xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x32xf32>)
                     outs(%z : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}
