"""A linear layer on [B, S, K] activations (a contraction with two M dims)
is quantized as the matmul of the activations viewed as [B * S, K]: its
result equals, bit for bit, the quantized 2-D matmul of the reshaped
activations, for every recipe, on the CPU pipeline."""

import textwrap

import numpy as np
import pytest

fp8_mlir = pytest.importorskip(
    "fp8_mlir", reason="fp8_mlir is not built (PYTHONPATH=<build>/python_packages)")

LINEAR_3D = textwrap.dedent("""
    func.func @linear(%x: tensor<2x64x256xf32>, %w: tensor<256x128xf32>) -> tensor<2x64x128xf32> {
      %z = arith.constant 0.0 : f32
      %e = tensor.empty() : tensor<2x64x128xf32>
      %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x64x128xf32>) -> tensor<2x64x128xf32>
      %y = linalg.generic {
          indexing_maps = [affine_map<(b, s, n, k) -> (b, s, k)>,
                           affine_map<(b, s, n, k) -> (k, n)>,
                           affine_map<(b, s, n, k) -> (b, s, n)>],
          iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
          ins(%x, %w : tensor<2x64x256xf32>, tensor<256x128xf32>)
          outs(%f : tensor<2x64x128xf32>) {
      ^bb0(%p: f32, %q: f32, %r: f32):
        %m = arith.mulf %p, %q : f32
        %s = arith.addf %r, %m : f32
        linalg.yield %s : f32
      } -> tensor<2x64x128xf32>
      return %y : tensor<2x64x128xf32>
    }
""")

LINEAR_2D = textwrap.dedent("""
    func.func @linear(%x: tensor<128x256xf32>, %w: tensor<256x128xf32>) -> tensor<128x128xf32> {
      %z = arith.constant 0.0 : f32
      %e = tensor.empty() : tensor<128x128xf32>
      %f = linalg.fill ins(%z : f32) outs(%e : tensor<128x128xf32>) -> tensor<128x128xf32>
      %y = linalg.matmul ins(%x, %w : tensor<128x256xf32>, tensor<256x128xf32>)
          outs(%f : tensor<128x128xf32>) -> tensor<128x128xf32>
      return %y : tensor<128x128xf32>
    }
""")


@pytest.mark.parametrize("recipe", ["tensorwise", "rowwise", "blockwise",
                                    "mxfp8"])
def test_3d_linear_is_the_2d_matmul(recipe):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 64, 256)).astype(np.float32)
    x[1, 5] *= 1000.0  # an outlier token: per-token scales must not mix
    w = rng.standard_normal((256, 128)).astype(np.float32)
    pipeline = f"fp8-quantize-pipeline{{recipe={recipe}}}"
    quantized_3d = fp8_mlir.compile(LINEAR_3D, pipeline)
    assert "fp8.scaled_matmul" in quantized_3d
    assert "tensor.collapse_shape" in quantized_3d
    (d3,) = fp8_mlir.run(quantized_3d, "linear", x, w)
    (d2,) = fp8_mlir.run(fp8_mlir.compile(LINEAR_2D, pipeline), "linear",
                         x.reshape(128, 256), w)
    assert d3.shape == (2, 64, 128)
    np.testing.assert_array_equal(d3.reshape(128, 128), d2)
    # And it is the FP8 product, not the f32 one.
    exact = x.reshape(128, 256).astype(np.float64) @ w
    assert not np.array_equal(d2, exact.astype(np.float32))
