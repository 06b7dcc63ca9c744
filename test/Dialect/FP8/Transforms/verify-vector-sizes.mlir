// A vector type too large to lower in reasonable time is an error at the op,
// in the pass and first thing in the CPU and GPU pipelines (the lowering to
// LLVM unrolled vector<2147483648x2xbf16> without end).
// RUN: fp8-opt %s --split-input-file --fp8-verify-vector-sizes --verify-diagnostics
// RUN: not fp8-opt %s --split-input-file --fp8-cpu-pipeline 2>&1 | FileCheck %s
// RUN: not fp8-opt %s --split-input-file --fp8-gpu-pipeline="chip=sm_90a format=isa" 2>&1 | FileCheck %s
// RUN: not fp8-opt %s --split-input-file --fp8-cpu-pipeline="max-vector-elements=8" 2>&1 | FileCheck %s --check-prefix=LIMIT
// CHECK: error: 'func.func' op has type '(vector<2147483648x2xbf16>) -> vector<2147483648x2xf4E2M1FN>' with 4294967296 vector elements, more than the 65536 a vector may have here
// LIMIT: error: 'func.func' op has type '(vector<4x4xf32>) -> vector<4x4xbf16>' with 16 vector elements, more than the 8 a vector may have here

// expected-error @+1 {{'func.func' op has type '(vector<2147483648x2xbf16>) -> vector<2147483648x2xf4E2M1FN>' with 4294967296 vector elements, more than the 65536 a vector may have here (fp8-verify-vector-sizes{max-elements=N})}}
func.func @huge(%x: vector<2147483648x2xbf16>) -> vector<2147483648x2xf4E2M1FN> {
  // expected-error @+1 {{'arith.truncf' op has type 'vector<2147483648x2xbf16>' with 4294967296 vector elements}}
  %q = arith.truncf %x : vector<2147483648x2xbf16> to vector<2147483648x2xf4E2M1FN>
  // expected-error @+1 {{'func.return' op has type 'vector<2147483648x2xf4E2M1FN>' with 4294967296 vector elements}}
  return %q : vector<2147483648x2xf4E2M1FN>
}

// -----

// Within the default limit.
func.func @small(%x: vector<4x4xf32>) -> vector<4x4xbf16> {
  %q = arith.truncf %x : vector<4x4xf32> to vector<4x4xbf16>
  return %q : vector<4x4xbf16>
}
