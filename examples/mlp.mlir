// A 2-layer MLP forward pass as torch-mlir and IREE emit it: linalg on f32
// tensors, weights stored [out, in] (PyTorch's nn.Linear layout) and
// transposed with linalg.transpose, bias add and tanh-GELU as linalg.generic.
//   h = gelu(x W1^T + b1);  y = h W2^T + b2
// This is the model IR the demo quantizes and compiles.
#map_row = affine_map<(d0, d1) -> (d0, d1)>
#map_bias = affine_map<(d0, d1) -> (d1)>

func.func @mlp(%x: tensor<256x512xf32>,
               %w1: tensor<2048x512xf32> {fp8.role = #fp8.role<weight>},
               %b1: tensor<2048xf32>,
               %w2: tensor<512x2048xf32> {fp8.role = #fp8.role<weight>},
               %b2: tensor<512xf32>) -> tensor<256x512xf32> {
  %zero = arith.constant 0.0 : f32

  // Layer 1: x W1^T + b1, then GELU.
  %w1t_init = tensor.empty() : tensor<512x2048xf32>
  %w1t = linalg.transpose ins(%w1 : tensor<2048x512xf32>)
      outs(%w1t_init : tensor<512x2048xf32>) permutation = [1, 0]
  %h_init = tensor.empty() : tensor<256x2048xf32>
  %h_zero = linalg.fill ins(%zero : f32) outs(%h_init : tensor<256x2048xf32>) -> tensor<256x2048xf32>
  %h_mm = linalg.matmul ins(%x, %w1t : tensor<256x512xf32>, tensor<512x2048xf32>)
      outs(%h_zero : tensor<256x2048xf32>) -> tensor<256x2048xf32>
  %h = linalg.generic {indexing_maps = [#map_row, #map_bias, #map_row],
                       iterator_types = ["parallel", "parallel"]}
      ins(%h_mm, %b1 : tensor<256x2048xf32>, tensor<2048xf32>)
      outs(%h_init : tensor<256x2048xf32>) {
  ^bb0(%v: f32, %b: f32, %out: f32):
    // gelu(z) = 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3)))
    %z = arith.addf %v, %b : f32
    %c0 = arith.constant 0.7978845608 : f32
    %c1 = arith.constant 0.044715 : f32
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %z2 = arith.mulf %z, %z : f32
    %z3 = arith.mulf %z2, %z : f32
    %t0 = arith.mulf %c1, %z3 : f32
    %t1 = arith.addf %z, %t0 : f32
    %t2 = arith.mulf %c0, %t1 : f32
    %t3 = math.tanh %t2 : f32
    %t4 = arith.addf %one, %t3 : f32
    %t5 = arith.mulf %half, %z : f32
    %g = arith.mulf %t5, %t4 : f32
    linalg.yield %g : f32
  } -> tensor<256x2048xf32>

  // Layer 2: h W2^T + b2.
  %w2t_init = tensor.empty() : tensor<2048x512xf32>
  %w2t = linalg.transpose ins(%w2 : tensor<512x2048xf32>)
      outs(%w2t_init : tensor<2048x512xf32>) permutation = [1, 0]
  %y_init = tensor.empty() : tensor<256x512xf32>
  %y_zero = linalg.fill ins(%zero : f32) outs(%y_init : tensor<256x512xf32>) -> tensor<256x512xf32>
  %y_mm = linalg.matmul ins(%h, %w2t : tensor<256x2048xf32>, tensor<2048x512xf32>)
      outs(%y_zero : tensor<256x512xf32>) -> tensor<256x512xf32>
  %y = linalg.generic {indexing_maps = [#map_row, #map_bias, #map_row],
                       iterator_types = ["parallel", "parallel"]}
      ins(%y_mm, %b2 : tensor<256x512xf32>, tensor<512xf32>)
      outs(%y_init : tensor<256x512xf32>) {
  ^bb0(%v: f32, %b: f32, %out: f32):
    %s = arith.addf %v, %b : f32
    linalg.yield %s : f32
  } -> tensor<256x512xf32>
  return %y : tensor<256x512xf32>
}
