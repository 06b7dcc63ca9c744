//===- KernelManifest.cpp - JSON description of the fp8 kernels -----------===//
//
// Part of fp8-mlir. The manifest lets any CUDA runtime (the Python harness,
// a C++ host) launch the kernels from their PTX alone.
//
//===----------------------------------------------------------------------===//

#include "KernelManifest.h"

#include "mlir/IR/Location.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::fp8;
using namespace mlir::fp8::gpu_kernels;

/// The numpy / ml_dtypes name of an element type (what the buffers hold).
static std::string dtypeName(Type type) {
  if (type.isF32())
    return "float32";
  if (type.isF16())
    return "float16";
  if (type.isBF16())
    return "bfloat16";
  if (isa<Float8E4M3FNType>(type))
    return "float8_e4m3fn";
  if (isa<Float8E5M2Type>(type))
    return "float8_e5m2";
  if (isa<Float8E8M0FNUType>(type))
    return "float8_e8m0fnu";
  if (type.isInteger(32))
    return "int32";
  return typeName(type);
}

static llvm::json::Array toJSON(ArrayRef<int64_t> values) {
  llvm::json::Array array;
  for (int64_t value : values)
    array.push_back(value);
  return array;
}

static std::string locationString(Location loc) {
  std::string text;
  llvm::raw_string_ostream os(text);
  loc.print(os);
  return text;
}

/// The manifest entry of one parameter of the kernel launched at `op`.
static llvm::json::Object describeParam(const KernelParam &param,
                                        Operation *op) {
  llvm::json::Object object{{"name", param.name}};
  switch (param.kind) {
  case KernelParam::Kind::Input:
  case KernelParam::Kind::Output: {
    auto type = cast<MemRefType>(param.kernelType);
    object["kind"] = "buffer";
    object["dtype"] = dtypeName(type.getElementType());
    object["shape"] = toJSON(type.getShape());
    object["access"] =
        param.kind == KernelParam::Kind::Input ? "read" : "write";
    object["zero_init"] = param.zeroInit;
    object["alignment"] = 16;
    break;
  }
  case KernelParam::Kind::TensorMap: {
    // The tensor as 2-D: batch dims fold into the rows.
    auto tensor = cast<ShapedType>(op->getOperand(param.index).getType());
    int64_t cols = tensor.getShape().back();
    int64_t rows = tensor.getNumElements() / cols;
    object["kind"] = "tensor_map";
    object["passed_as"] = "pointer to a 128-byte CUtensorMap in global memory";
    object["element_type"] = dtypeName(tensor.getElementType());
    // What to hand to cuTensorMapEncodeTiled (dims innermost first).
    object["data_type"] = "CU_TENSOR_MAP_DATA_TYPE_UINT8";
    object["rank"] = 2;
    object["global_dim"] = llvm::json::Array{cols, rows};
    object["global_strides_bytes"] = llvm::json::Array{cols};
    object["box_dim"] = llvm::json::Array{param.box[1], param.box[0]};
    object["element_strides"] = llvm::json::Array{1, 1};
    object["interleave"] = "CU_TENSOR_MAP_INTERLEAVE_NONE";
    object["swizzle"] = param.swizzle128B ? "CU_TENSOR_MAP_SWIZZLE_128B"
                                          : "CU_TENSOR_MAP_SWIZZLE_NONE";
    object["l2_promotion"] = stringifyGemmL2Promotion(param.l2Promotion);
    object["oob_fill"] = "CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE";
    break;
  }
  }
  return object;
}

llvm::json::Object gpu_kernels::describeKernel(const KernelPlan &plan,
                                               Operation *op) {
  llvm::json::Array params;
  for (const KernelParam &param : plan.params)
    params.push_back(describeParam(param, op));
  return llvm::json::Object{
      {"name", plan.name},
      {"module", plan.name},
      {"op", op->getName().getStringRef()},
      {"location", locationString(op->getLoc())},
      {"grid", toJSON(plan.grid)},
      {"block", toJSON(plan.block)},
      {"cluster", toJSON(plan.cluster)},
      {"dynamic_shared_memory", plan.dynamicSharedMemory},
      {"params", std::move(params)},
  };
}

std::string gpu_kernels::printManifest(StringRef chip,
                                       llvm::json::Array kernels) {
  llvm::json::Object manifest{{"version", 1},
                              {"chip", chip},
                              {"kernels", std::move(kernels)}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(std::move(manifest));
  return text;
}
