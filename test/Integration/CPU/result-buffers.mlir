// The runner frees the buffers a function allocates for its results after
// copying them out, and only those: not a result that is the argument itself
// (the caller's data), a view of it, a constant global, or a buffer that two
// results share. Under the sanitizer job (scripts/sanitize.sh, leaks checked)
// a leak or a double free here fails the test.

// RUN: rm -rf %t && mkdir -p %t && cd %t
// RUN: %fp8_python -c "import numpy as np; np.save('x.npy', np.arange(6, dtype=np.float32).reshape(2, 3))"
// RUN: fp8-run %s --entry mixed --input x.npy --output-dir out --repeat 3
// RUN: %fp8_python -c "import numpy as np; [print(i, np.load(f'out/result{i}.npy').ravel().tolist()) for i in range(5)]" | FileCheck %s
// CHECK: 0 [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
// CHECK: 1 [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
// CHECK: 2 [3.0, 4.0, 5.0]
// CHECK: 3 [7.0, 7.0]
// CHECK: 4 [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]

func.func @mixed(%x: tensor<2x3xf32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x3xf32>, tensor<2xf32>,
        tensor<2x3xf32>) {
  %doubled = arith.addf %x, %x : tensor<2x3xf32>
  %row = tensor.extract_slice %x[1, 0] [1, 3] [1, 1]
      : tensor<2x3xf32> to tensor<1x3xf32>
  %sevens = arith.constant dense<7.0> : tensor<2xf32>
  return %doubled, %x, %row, %sevens, %doubled
      : tensor<2x3xf32>, tensor<2x3xf32>, tensor<1x3xf32>, tensor<2xf32>,
        tensor<2x3xf32>
}
