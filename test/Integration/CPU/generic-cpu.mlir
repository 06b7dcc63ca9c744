// The CPU semantics do not depend on the host's features. --fp8-cpu-pipeline
// leaves no operation that LLVM lowers to a runtime-library call on a
// baseline x86-64 CPU (no F16C, no AVX512-BF16): f16/bf16 casts from and to
// f32/f64 are integer code like the FP8 casts. Without that, a JIT on such a
// host fails with "Symbols not found: [ __truncsfbf2 ]" for the whole module.

// Statically: the baseline-CPU assembly calls no library routine.
// RUN: fp8-opt %s --fp8-cpu-pipeline | mlir-translate --mlir-to-llvmir \
// RUN: | llc -mtriple=x86_64-unknown-linux-gnu -mcpu=x86-64 -O2 -o - \
// RUN: | FileCheck %s --check-prefix=ASM --implicit-check-not=__
// ASM-DAG: {{^}}f32_to_bf16:
// ASM-DAG: {{^}}f64_to_bf16:
// ASM-DAG: {{^}}f32_to_f16:
// ASM-DAG: {{^}}f64_to_f16:
// ASM-DAG: {{^}}f16_to_f32:
// ASM-DAG: {{^}}bf16_to_f64:
// ASM-DAG: {{^}}dequantize_bf16:
// ASM-DAG: {{^}}half_arith:

// And at run time, JIT-compiled for that CPU, every function gives the
// correctly rounded bits (those of numpy's and ml_dtypes' astype).
// RUN: rm -rf %t && mkdir -p %t && cd %t
// RUN: %fp8_python -c "import numpy as np; np.save('f32.npy', np.array([1.0, 1.00390625, 1.01171875, -2.5e-40, 3.4e38, float('nan'), 5.877473e-39], np.float32)); np.save('f64.npy', np.array([1.0039062500000002, 1e300, 65520.0, 2.0**-25, 2.0**-25 * 1.0000001], np.float64)); np.save('f16.npy', np.array([1.0, 6.1e-05, 5.96e-08, -65504.0], np.float16)); np.save('q.npy', np.array([[0x38, 0xB8]], np.uint8)); np.save('s.npy', np.array(1.0, np.float32))"
// RUN: fp8-run %s --mcpu=x86-64 --entry f32_to_bf16 --input f32.npy --output-dir bf16
// RUN: fp8-run %s --mcpu=x86-64 --entry f64_to_bf16 --input f64.npy --output-dir bf16_64
// RUN: fp8-run %s --mcpu=x86-64 --entry f32_to_f16 --input f32.npy --output-dir f16
// RUN: fp8-run %s --mcpu=x86-64 --entry f64_to_f16 --input f64.npy --output-dir f16_64
// RUN: fp8-run %s --mcpu=x86-64 --entry f16_to_f32 --input f16.npy --output-dir f32
// RUN: fp8-run %s --mcpu=x86-64 --entry bf16_to_f64 --input f64.npy --output-dir f64
// RUN: fp8-run %s --mcpu=x86-64 --entry dequantize_bf16 --input q.npy --input s.npy --output-dir deq
// RUN: fp8-run %s --mcpu=x86-64 --entry half_arith --input f32.npy --output-dir arith
// RUN: %fp8_python -c "import numpy as np; [print(d, [hex(v) for v in np.load(d + '/result0.npy').view(np.uint16 if d in ('bf16', 'bf16_64', 'f16', 'f16_64', 'deq', 'arith') else np.uint32 if d == 'f32' else np.uint64).ravel()]) for d in ('bf16', 'bf16_64', 'f16', 'f16_64', 'f32', 'f64', 'deq', 'arith')]" | FileCheck %s --check-prefix=OUT
// f32 -> bf16: 1.0; a tie to even (down); a tie to even (up); a subnormal;
// overflow to inf; NaN; the f32 subnormal just above 2^-127.
// OUT: bf16 ['0x3f80', '0x3f80', '0x3f82', '0x8003', '0x7f80', '0x7fc0', '0x40']
// f64 -> bf16 rounds once: just above a tie goes up (f32 first would tie
// down), 1e300 -> inf, 65520 -> 65536, tiny values are bf16 normals.
// OUT: bf16_64 ['0x3f81', '0x7f80', '0x4780', '0x3300', '0x3300']
// f32 -> f16: 1.0, 1.00390625 -> 1.00390625, 1.01171875, -2.5e-40 -> -0,
// 3.4e38 -> inf, NaN, tiny -> 0.
// OUT: f16 ['0x3c00', '0x3c04', '0x3c0c', '0x8000', '0x7c00', '0x7e00', '0x0']
// f64 -> f16: 1.0039062500000002 -> 1.00390625 (exact in f16 minus a hair),
// 1e300 -> inf, 65520 (a tie above max) -> inf, 2^-25 is half the smallest
// subnormal: a tie to even, 0; just above it rounds up to 2^-24.
// OUT: f16_64 ['0x3c04', '0x7c00', '0x7c00', '0x0', '0x1']
// f16 -> f32 is exact, subnormals included.
// OUT: f32 ['0x3f800000', '0x387fc000', '0x33800000', '0xc77fe000']
// bf16 -> f64 (through f64 -> bf16 -> f64): exact.
// OUT: f64 ['0x3ff0200000000000', '0x7ff0000000000000', '0x40f0000000000000', '0x3e60000000000000', '0x3e60000000000000']
// E4M3 0x38 = 1.0 and 0xB8 = -1.0, dequantized to bf16.
// OUT: deq ['0x3f80', '0xbf80']
// Arithmetic on bf16 runs in f32 and rounds back (no library call): the bf16
// values x + x, then max(x + x, -1), then times 0.5: x again, the NaN
// stays NaN, inf stays inf (all exact).
// OUT: arith ['0x3f80', '0x3f80', '0x3f82', '0x8003', '0x7f80', '0x7fc0', '0x40']

func.func @f32_to_bf16(%x: tensor<7xf32>) -> tensor<7xbf16> {
  %r = arith.truncf %x : tensor<7xf32> to tensor<7xbf16>
  return %r : tensor<7xbf16>
}
func.func @f64_to_bf16(%x: tensor<5xf64>) -> tensor<5xbf16> {
  %r = arith.truncf %x : tensor<5xf64> to tensor<5xbf16>
  return %r : tensor<5xbf16>
}
func.func @f32_to_f16(%x: tensor<7xf32>) -> tensor<7xf16> {
  %r = arith.truncf %x : tensor<7xf32> to tensor<7xf16>
  return %r : tensor<7xf16>
}
func.func @f64_to_f16(%x: tensor<5xf64>) -> tensor<5xf16> {
  %r = arith.truncf %x : tensor<5xf64> to tensor<5xf16>
  return %r : tensor<5xf16>
}
func.func @f16_to_f32(%x: tensor<4xf16>) -> tensor<4xf32> {
  %r = arith.extf %x : tensor<4xf16> to tensor<4xf32>
  return %r : tensor<4xf32>
}
func.func @bf16_to_f64(%x: tensor<5xf64>) -> tensor<5xf64> {
  %b = arith.truncf %x : tensor<5xf64> to tensor<5xbf16>
  %r = arith.extf %b : tensor<5xbf16> to tensor<5xf64>
  return %r : tensor<5xf64>
}
func.func @dequantize_bf16(%q: tensor<1x2xf8E4M3FN>, %s: tensor<f32>)
    -> tensor<1x2xbf16> {
  %r = fp8.dequantize %q, %s {scaling = #fp8.scaling<tensor>}
      : tensor<1x2xf8E4M3FN>, tensor<f32> -> tensor<1x2xbf16>
  return %r : tensor<1x2xbf16>
}
func.func @half_arith(%x: tensor<7xf32>) -> tensor<7xbf16> {
  %b = arith.truncf %x : tensor<7xf32> to tensor<7xbf16>
  %sum = arith.addf %b, %b : tensor<7xbf16>
  %lo = arith.constant dense<-1.0> : tensor<7xbf16>
  %clamped = arith.maximumf %sum, %lo : tensor<7xbf16>
  %half = arith.constant dense<0.5> : tensor<7xbf16>
  %r = arith.mulf %clamped, %half : tensor<7xbf16>
  return %r : tensor<7xbf16>
}
