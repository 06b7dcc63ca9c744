//===- Npy.h - Read and write NumPy .npy files ------------------*- C++ -*-===//
//
// Part of fp8-mlir. Just enough of the .npy format (versions 1-3, C order,
// little-endian or byte-order-free dtypes) for fp8-run.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_TOOLS_FP8RUN_NPY_H
#define FP8_TOOLS_FP8RUN_NPY_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace fp8run {

/// An array as stored in a .npy file: a dtype descriptor such as "<f4" or
/// "|u1", the shape and the raw little-endian element bytes.
struct NpyArray {
  std::string dtype;
  llvm::SmallVector<int64_t> shape;
  std::vector<uint8_t> data;
};

/// Reads `path`; errors name the file and what is wrong with it.
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);

/// Writes `array` to `path` (format version 1.0).
llvm::Error writeNpy(llvm::StringRef path, const NpyArray &array);

} // namespace fp8run

#endif // FP8_TOOLS_FP8RUN_NPY_H
