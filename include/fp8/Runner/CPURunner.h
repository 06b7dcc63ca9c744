//===- CPURunner.h - Run tensor functions on the host -----------*- C++ -*-===//
//
// Part of fp8-mlir. Compiles a module with --fp8-cpu-pipeline, JIT-compiles it
// with MLIR's ExecutionEngine and calls one function on host buffers. Used by
// fp8-run, the C API and the Python bindings.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_RUNNER_CPURUNNER_H
#define FP8_RUNNER_CPURUNNER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Support/LLVM.h"
#include <memory>
#include <vector>

namespace mlir {
class ExecutionEngine;
namespace fp8 {

/// A dense row-major host array. Each element takes getStorageBytes(type)
/// bytes: narrow floats (FP8/FP6/FP4/E8M0) one byte holding the bit pattern
/// in its low bits, bf16/f16 two bytes of bits, f32/f64 and integers their
/// natural width, `index` eight bytes.
struct HostTensor {
  Type elementType;
  SmallVector<int64_t> shape;
  std::vector<uint8_t> data;

  int64_t getNumElements() const;
};

/// Packs an f4E2M1FN tensor two values per byte along its last dimension
/// (run-time I/O, docs/run-arguments.md "Packed FP4"): byte j holds element
/// 2j in its low nibble and 2j + 1 in its high nibble, and the shape ends
/// in K / 2. Fails, changing nothing, for another element type or an odd
/// (or absent) last dimension.
LogicalResult packFP4(HostTensor &tensor);

/// The inverse of packFP4: `tensor` holds packed f4E2M1FN bytes of shape
/// [..., K / 2] and becomes one value per byte, [..., K].
LogicalResult unpackFP4(HostTensor &tensor);

/// Bytes one element of `type` takes in a HostTensor (and in memory after
/// lowering to LLVM), or 0 when the type cannot be passed to the host.
unsigned getStorageBytes(Type type);

/// A function compiled for the host, ready to be called.
class CPUFunction {
public:
  /// Runs --fp8-cpu-pipeline on `module` (in place) and JIT-compiles
  /// function `entry`, whose arguments are ranked tensors or scalars and
  /// whose results are ranked tensors. Errors are reported as diagnostics on
  /// the module's context (with locations) and give failure.
  ///
  /// `cpu` names the CPU to generate code for (an LLVM CPU name of the host's
  /// architecture, e.g. `x86-64`, with only that CPU's own features); empty
  /// means the host CPU with every feature it has. The results do not depend
  /// on it: the pipeline leaves no operation whose lowering needs a CPU
  /// feature or a runtime library (test/Integration/CPU/generic-cpu.mlir).
  static FailureOr<std::unique_ptr<CPUFunction>>
  compile(ModuleOp module, StringRef entry, unsigned optLevel = 3,
          StringRef cpu = "");

  ~CPUFunction();

  ArrayRef<Type> getArgumentTypes() const { return argumentTypes; }
  ArrayRef<Type> getResultTypes() const { return resultTypes; }

  /// Calls the function. Inputs must match the argument types (element type
  /// and every static dim; dynamic dims take any size); mismatches are
  /// reported as diagnostics at the function's location.
  FailureOr<std::vector<HostTensor>> run(ArrayRef<HostTensor> inputs);

private:
  CPUFunction() = default;
  /// Frees the buffers the function allocated for its results (described in
  /// `resultStorage`), once they have been copied out; `arguments` are the
  /// argument buffers the call got, which results may alias.
  void freeResultBuffers(ArrayRef<int64_t> resultStorage,
                         ArrayRef<std::vector<uint8_t>> arguments) const;

  std::string entry;
  std::optional<Location> loc;
  SmallVector<Type> argumentTypes, resultTypes;
  std::unique_ptr<ExecutionEngine> engine;
};

} // namespace fp8
} // namespace mlir

#endif // FP8_RUNNER_CPURUNNER_H
