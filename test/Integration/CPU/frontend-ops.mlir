// The ops torch-mlir emits for transformer blocks (its linalg-on-tensors
// output, cut down from python/tests/fixtures/linalg), compiled by
// fp8-run's JIT, which links no runtime library: copies into and out of
// subviews (concat, slices, pad) must be loops, not calls to memrefCopy.

// RUN: fp8-opt %s --fp8-cpu-pipeline | FileCheck %s --check-prefix=IR
// IR-NOT: memrefCopy
// IR-NOT: linalg.
// IR-NOT: unrealized_conversion_cast

// Nothing depends on the host CPU: the baseline x86-64 assembly calls no
// compiler-runtime routine (__powisf2 for math.fpowi, __truncsfbf2 for bf16).
// RUN: fp8-opt %s --fp8-cpu-pipeline | mlir-translate --mlir-to-llvmir \
// RUN: | llc -mtriple=x86_64-unknown-linux-gnu -mcpu=x86-64 -O2 -o - \
// RUN: | FileCheck %s --check-prefix=ASM --implicit-check-not=__
// ASM-DAG: {{^}}bmm_bf16:
// ASM-DAG: {{^}}rms_norm:

// RUN: rm -rf %t && mkdir -p %t && cd %t
// RUN: %fp8_python -c "import numpy as np, ml_dtypes; np.save('x8.npy', np.arange(8, dtype=np.float32).reshape(1, 8)); np.save('w.npy', np.arange(8, dtype=np.float32).reshape(4, 2)); np.save('ids.npy', np.array([3, 0, -1 + 3], np.int64)); np.save('bad_ids.npy', np.array([3, 4, 0], np.int64)); np.save('logits.npy', np.log(np.array([[1, 2, 5]], np.float32))); np.save('x12.npy', np.array([[1, 2]], np.float32)); np.save('cache.npy', np.zeros((3, 2), np.float32)); np.save('a.npy', np.array([[[1, 2], [3, 4]]], ml_dtypes.bfloat16).view(np.uint16)); np.save('rms.npy', np.array([[2, -2, 2, -2]], np.float32)); np.save('g.npy', np.array([-1, 0, 1, 2], np.float32)); np.save('row.npy', np.array([1, 2, 3], np.float32))"
// RUN: fp8-run %s --entry rotate_half --input x8.npy --output-dir rotate_half
// RUN: fp8-run %s --entry embedding --input w.npy --input ids.npy --output-dir embedding
// RUN: not fp8-run %s --entry embedding --input w.npy --input bad_ids.npy --output-dir bad 2>&1 | FileCheck %s --check-prefix=BOUNDS
// RUN: fp8-run %s --entry softmax --input logits.npy --output-dir softmax
// RUN: fp8-run %s --entry linalg_softmax --input logits.npy --output-dir linalg_softmax
// RUN: fp8-run %s --entry causal_mask --input cache.npy --output-dir causal_mask
// RUN: fp8-run %s --entry pad --input x12.npy --output-dir pad
// RUN: fp8-run %s --entry kv_update --input cache.npy --input x12.npy --output-dir kv_update
// RUN: fp8-run %s --entry bmm_bf16 --input a.npy --input a.npy --output-dir bmm_bf16
// RUN: fp8-run %s --entry rms_norm --input rms.npy --output-dir rms_norm
// RUN: fp8-run %s --entry gelu_silu --input g.npy --output-dir gelu_silu
// RUN: fp8-run %s --entry broadcast_transpose --input row.npy --output-dir broadcast_transpose
// RUN: fp8-run %s --entry positions --output-dir positions
// RUN: %fp8_python -c "import numpy as np, ml_dtypes; [print(d, np.round((np.load(d + '/result0.npy').view(ml_dtypes.bfloat16) if d == 'bmm_bf16' else np.load(d + '/result0.npy')).astype(np.float64), 4).tolist()) for d in ('rotate_half', 'embedding', 'softmax', 'linalg_softmax', 'causal_mask', 'pad', 'kv_update', 'bmm_bf16', 'rms_norm', 'gelu_silu', 'broadcast_transpose', 'positions')]" | FileCheck %s

#id1 = affine_map<(d0) -> (d0)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0, 0)>
#idx = affine_map<(d0, d1) -> (d0)>
#red = affine_map<(d0, d1) -> (d0)>

// rotate_half: cat(-x[:, 4:], x[:, :4]).
// CHECK: rotate_half {{\[}}[-4.0, -5.0, -6.0, -7.0, 0.0, 1.0, 2.0, 3.0]]
func.func @rotate_half(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %lo = tensor.extract_slice %x[0, 0] [1, 4] [1, 1] : tensor<1x8xf32> to tensor<1x4xf32>
  %hi = tensor.extract_slice %x[0, 4] [1, 4] [1, 1] : tensor<1x8xf32> to tensor<1x4xf32>
  %e = tensor.empty() : tensor<1x4xf32>
  %neg = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%hi : tensor<1x4xf32>) outs(%e : tensor<1x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<1x4xf32>
  %cat = tensor.concat dim(1) %neg, %lo : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x8xf32>
  return %cat : tensor<1x8xf32>
}

// aten.embedding: a gather through tensor.extract with i64 indices and
// torch-mlir's bounds checks.
// CHECK: embedding {{\[}}[6.0, 7.0], [0.0, 1.0], [4.0, 5.0]]
// BOUNDS: index must be smaller than dim size
func.func @embedding(%w: tensor<4x2xf32>, %ids: tensor<3xi64>) -> tensor<3x2xf32> {
  %c4 = arith.constant 4 : index
  %c0_i64 = arith.constant 0 : i64
  %e = tensor.empty() : tensor<3x2xf32>
  %r = linalg.generic {indexing_maps = [#idx, #id2], iterator_types = ["parallel", "parallel"]} ins(%ids : tensor<3xi64>) outs(%e : tensor<3x2xf32>) {
  ^bb0(%in: i64, %out: f32):
    %i = arith.index_cast %in : i64 to index
    %j = linalg.index 1 : index
    %lt = arith.cmpi slt, %i, %c4 : index
    cf.assert %lt, "index must be smaller than dim size"
    %ge = arith.cmpi sge, %in, %c0_i64 : i64
    cf.assert %ge, "index must be larger or equal to 0"
    %v = tensor.extract %w[%i, %j] : tensor<4x2xf32>
    linalg.yield %v : f32
  } -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// aten._softmax as torch-mlir decomposes it: max, subtract, exp, sum, divide.
// exp(log [1, 2, 5]) / 8.
// CHECK: softmax {{\[}}[0.125, 0.25, 0.625]]
func.func @softmax(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<1xf32>
  %m0 = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<1xf32>) -> tensor<1xf32>
  %max = linalg.generic {indexing_maps = [#id2, #red], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<1x3xf32>) outs(%m0 : tensor<1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %out : f32
    linalg.yield %m : f32
  } -> tensor<1xf32>
  %maxe = tensor.expand_shape %max [[0, 1]] output_shape [1, 1] : tensor<1xf32> into tensor<1x1xf32>
  %e = tensor.empty() : tensor<1x3xf32>
  %exp = linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]} ins(%x, %maxe : tensor<1x3xf32>, tensor<1x1xf32>) outs(%e : tensor<1x3xf32>) {
  ^bb0(%in: f32, %m: f32, %out: f32):
    %d = arith.subf %in, %m : f32
    %x2 = math.exp %d : f32
    linalg.yield %x2 : f32
  } -> tensor<1x3xf32>
  %e2 = tensor.empty() : tensor<1x1xf32>
  %s0 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x1xf32>) -> tensor<1x1xf32>
  %sum = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]} ins(%exp : tensor<1x3xf32>) outs(%s0 : tensor<1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<1x1xf32>
  %r = linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]} ins(%exp, %sum : tensor<1x3xf32>, tensor<1x1xf32>) outs(%e : tensor<1x3xf32>) {
  ^bb0(%in: f32, %s: f32, %out: f32):
    %q = arith.divf %in, %s : f32
    linalg.yield %q : f32
  } -> tensor<1x3xf32>
  return %r : tensor<1x3xf32>
}

// linalg.softmax, decomposed by the pipeline.
// CHECK: linalg_softmax {{\[}}[0.125, 0.25, 0.625]]
func.func @linalg_softmax(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %e = tensor.empty() : tensor<1x3xf32>
  %r = linalg.softmax dimension(1) ins(%x : tensor<1x3xf32>) outs(%e : tensor<1x3xf32>) -> tensor<1x3xf32>
  return %r : tensor<1x3xf32>
}

// The causal mask: arith.cmpi on linalg.index, arith.select.
// CHECK: causal_mask {{\[}}[0.0, -inf], [0.0, 0.0], [0.0, 0.0]]
func.func @causal_mask(%s: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<3x2xf32>
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%s : tensor<3x2xf32>) outs(%e : tensor<3x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %keep = arith.cmpi sge, %i, %j : index
    %v = arith.select %keep, %in, %ninf : f32
    linalg.yield %v : f32
  } -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// aten.constant_pad_nd: tensor.pad.
// CHECK: pad {{\[}}[1.5, 1.0, 2.0, 1.5], [1.5, 1.5, 1.5, 1.5]]
func.func @pad(%x: tensor<1x2xf32>) -> tensor<2x4xf32> {
  %v = arith.constant 1.5 : f32
  %r = tensor.pad %x low[0, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %v : f32
  } : tensor<1x2xf32> to tensor<2x4xf32>
  return %r : tensor<2x4xf32>
}

// aten.slice_scatter (a KV cache update): tensor.insert_slice.
// CHECK: kv_update {{\[}}[0.0, 0.0], [1.0, 2.0], [0.0, 0.0]]
func.func @kv_update(%cache: tensor<3x2xf32>, %new: tensor<1x2xf32>) -> tensor<3x2xf32> {
  %r = tensor.insert_slice %new into %cache[1, 0] [1, 2] [1, 1] : tensor<1x2xf32> into tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// aten.bmm in bf16: a bf16 x bf16 -> f32 linalg.batch_matmul, truncated.
// [[1, 2], [3, 4]]^2 = [[7, 10], [15, 22]].
// CHECK: bmm_bf16 {{\[}}{{\[}}[7.0, 10.0], [15.0, 22.0]]]
func.func @bmm_bf16(%a: tensor<1x2x2xbf16>, %b: tensor<1x2x2xbf16>) -> tensor<1x2x2xbf16> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  %p = linalg.batch_matmul ins(%a, %b : tensor<1x2x2xbf16>, tensor<1x2x2xbf16>) outs(%acc : tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  %eb = tensor.empty() : tensor<1x2x2xbf16>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%p : tensor<1x2x2xf32>) outs(%eb : tensor<1x2x2xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %t = arith.truncf %in : f32 to bf16
    linalg.yield %t : bf16
  } -> tensor<1x2x2xbf16>
  return %r : tensor<1x2x2xbf16>
}

// RMS norm: math.fpowi, a mean, math.rsqrt. mean([2, -2, 2, -2]^2) = 4.
// CHECK: rms_norm {{\[}}[1.0, -1.0, 1.0, -1.0]]
func.func @rms_norm(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %c2 = arith.constant 2 : i64
  %zero = arith.constant 0.0 : f32
  %n = arith.constant 4.0 : f32
  %e2 = tensor.empty() : tensor<1x1xf32>
  %s0 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x1xf32>) -> tensor<1x1xf32>
  %sum = linalg.generic {indexing_maps = [#id2, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<1x4xf32>) outs(%s0 : tensor<1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %sq = math.fpowi %in, %c2 : f32, i64
    %a = arith.addf %sq, %out : f32
    linalg.yield %a : f32
  } -> tensor<1x1xf32>
  %e = tensor.empty() : tensor<1x4xf32>
  %r = linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]} ins(%x, %sum : tensor<1x4xf32>, tensor<1x1xf32>) outs(%e : tensor<1x4xf32>) {
  ^bb0(%in: f32, %s: f32, %out: f32):
    %mean = arith.divf %s, %n : f32
    %rs = math.rsqrt %mean : f32
    %y = arith.mulf %in, %rs : f32
    linalg.yield %y : f32
  } -> tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}

// GELU (math.erf) plus SiLU (math.exp, arith.divf): gelu(x) + silu(x) at
// -1, 0, 1, 2 = [-0.1587 - 0.2689, 0, 0.8413 + 0.7311, 1.9545 + 1.7616].
// CHECK: gelu_silu [-0.4276, 0.0, 1.5724, 3.7161]
func.func @gelu_silu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %one = arith.constant 1.0 : f32
  %half = arith.constant 0.5 : f32
  %rsqrt2 = arith.constant 0.707106769 : f32
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]} ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.mulf %in, %rsqrt2 : f32
    %erf = math.erf %s : f32
    %p = arith.addf %erf, %one : f32
    %h = arith.mulf %p, %half : f32
    %gelu = arith.mulf %in, %h : f32
    %neg = arith.negf %in : f32
    %exp = math.exp %neg : f32
    %den = arith.addf %exp, %one : f32
    %silu = arith.divf %in, %den : f32
    %sum = arith.addf %gelu, %silu : f32
    linalg.yield %sum : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// linalg.broadcast, linalg.transpose, collapse_shape.
// CHECK: broadcast_transpose [1.0, 1.0, 2.0, 2.0, 3.0, 3.0]
func.func @broadcast_transpose(%x: tensor<3xf32>) -> tensor<6xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %b = linalg.broadcast ins(%x : tensor<3xf32>) outs(%e : tensor<2x3xf32>) dimensions = [0]
  %et = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%b : tensor<2x3xf32>) outs(%et : tensor<3x2xf32>) permutation = [1, 0]
  %r = tensor.collapse_shape %t [[0, 1]] : tensor<3x2xf32> into tensor<6xf32>
  return %r : tensor<6xf32>
}

// aten.arange (i64) to f32: linalg.index, arith.index_cast, arith.sitofp.
// CHECK: positions [0.0, 1.0, 2.0, 3.0]
func.func @positions() -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xi64>
  %ar = linalg.generic {indexing_maps = [#id1], iterator_types = ["parallel"]} outs(%e : tensor<4xi64>) {
  ^bb0(%out: i64):
    %i = linalg.index 0 : index
    %v = arith.index_cast %i : index to i64
    linalg.yield %v : i64
  } -> tensor<4xi64>
  %ef = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]} ins(%ar : tensor<4xi64>) outs(%ef : tensor<4xf32>) {
  ^bb0(%in: i64, %out: f32):
    %f = arith.sitofp %in : i64 to f32
    linalg.yield %f : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}
