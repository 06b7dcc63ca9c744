// --fp8-cpu-pipeline frees the buffers a function allocates for its
// intermediate values (ownership-based buffer deallocation): a function run
// many times (fp8-run --repeat, fp8_mlir.run in a long-lived process) does
// not grow. The result buffer is the caller's (the runner frees it).
// RUN: fp8-opt %s --fp8-cpu-pipeline | FileCheck %s --check-prefix=IR
// IR-LABEL: llvm.func @f(
// IR-COUNT-2: llvm.call @malloc
// IR: llvm.call @free
// IR-NOT: llvm.call @free
// IR: llvm.return

// RUN: rm -rf %t && mkdir -p %t && cd %t
// RUN: %fp8_python -c "import numpy as np; np.save('x.npy', np.arange(64, dtype=np.float32) / 3)"
// RUN: fp8-run %s --entry f --input x.npy --output-dir out --repeat 5
// RUN: %fp8_python -c "import numpy as np; x = np.load('x.npy'); r = np.load('out/result0.npy'); assert (r == x.astype(np.float16).astype(np.float32)).all(), r; print('ok')" | FileCheck %s
// CHECK: ok

func.func @f(%x: tensor<64xf32>) -> tensor<64xf32> {
  %h = arith.truncf %x : tensor<64xf32> to tensor<64xf16>
  %e = tensor.empty() : tensor<64xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%h : tensor<64xf16>) outs(%e : tensor<64xf32>) {
  ^bb0(%a: f16, %o: f32):
    %w = arith.extf %a : f16 to f32
    linalg.yield %w : f32
  } -> tensor<64xf32>
  return %y : tensor<64xf32>
}
