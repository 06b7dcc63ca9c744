//===- SmemDescriptorAddress.h - Address part of MMA descriptors -*- C++ -*-===//
//
// Part of fp8-mlir. Hopper's wgmma and Blackwell's tcgen05 shared-memory
// matrix descriptors (WgmmaDescriptors.h, Tcgen05Descriptors.h) differ in
// their fields but agree on the start address: bits 0-13 hold the shared
// memory address in 16-byte units. The run-time part of both lives here.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_LIB_CONVERSION_FP8TONVVM_SMEMDESCRIPTORADDRESS_H
#define FP8_LIB_CONVERSION_FP8TONVVM_SMEMDESCRIPTORADDRESS_H

#include "mlir/IR/ImplicitLocOpBuilder.h"
#include <cstdint>

namespace mlir::fp8::gpu_kernels {

/// The descriptor of the matrix at the shared memory address `address`
/// (i64, as `memref.extract_aligned_pointer_as_index` gives it for a
/// workgroup buffer): `((address & 0x3FFFF) >> 4) | fields`, where `fields`
/// is the compile-time encoding of every other field.
Value buildSmemDescriptorAt(ImplicitLocOpBuilder &b, Value address,
                            uint64_t fields);

/// Moves `descriptor` by `bytes` (a multiple of 16) inside its matrix: the
/// start address field counts 16-byte units.
Value advanceSmemDescriptor(ImplicitLocOpBuilder &b, Value descriptor,
                            int64_t bytes);

} // namespace mlir::fp8::gpu_kernels

#endif // FP8_LIB_CONVERSION_FP8TONVVM_SMEMDESCRIPTORADDRESS_H
