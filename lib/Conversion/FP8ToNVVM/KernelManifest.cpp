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
  // One byte per element, as buffers are allocated; FP4 data is packed two
  // per byte in the first half (docs/gpu-pipeline.md "FP4 and FP6").
  if (isa<Float4E2M1FNType>(type))
    return "float4_e2m1fn";
  if (isa<Float6E2M3FNType>(type))
    return "float6_e2m3fn";
  if (isa<Float6E3M2FNType>(type))
    return "float6_e3m2fn";
  if (type.isInteger(32))
    return "int32";
  return typeName(type);
}

/// The CUtensorMapDataType of a TMA-stored result element type: FP8 as
/// bytes (as the operand maps), the others as themselves.
static StringRef tensorMapDataType(Type type) {
  if (type.isF32())
    return "CU_TENSOR_MAP_DATA_TYPE_FLOAT32";
  if (type.isF16())
    return "CU_TENSOR_MAP_DATA_TYPE_FLOAT16";
  if (type.isBF16())
    return "CU_TENSOR_MAP_DATA_TYPE_BFLOAT16";
  return "CU_TENSOR_MAP_DATA_TYPE_UINT8";
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

/// A size computed at launch: `{"rows_mul": m, "rows_ceil_div": d,
/// "max": c}`, i.e. min(ceil(rows * m / d), c) (no `max`: no clamp).
static llvm::json::Object toJSON(const RuntimeExtent &extent) {
  llvm::json::Object object{{"rows_mul", extent.mul},
                            {"rows_ceil_div", extent.div}};
  if (extent.max != 0)
    object["max"] = extent.max;
  return object;
}

/// A grid: three integers, or formulas of the rows where computed at launch.
static llvm::json::Array describeGrid(const KernelPlan &plan) {
  llvm::json::Array grid;
  for (auto [size, extent] : llvm::zip_equal(plan.grid, plan.runtimeGrid)) {
    if (extent)
      grid.push_back(toJSON(*extent));
    else
      grid.push_back(size);
  }
  return grid;
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
    if (param.runtimeLength)
      object["shape"] = llvm::json::Array{toJSON(*param.runtimeLength)};
    else
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
    llvm::json::Value rows = tensor.hasStaticShape()
                                 ? llvm::json::Value(tensor.getNumElements() / cols)
                                 : llvm::json::Value(toJSON(RuntimeExtent{}));
    // Packed FP4: the first half of the buffer, two values a byte. Wider
    // elements (f32 scales): their bytes.
    if (param.packedFP4)
      cols /= 2;
    cols *= std::max<int64_t>(
        1, tensor.getElementType().getIntOrFloatBitWidth() / 8);
    object["kind"] = "tensor_map";
    object["packed_fp4"] = param.packedFP4;
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
  case KernelParam::Kind::OutputTensorMap: {
    // A result as 2-D (batch dims folded into the rows), over the memory
    // of the output parameter `of`; TMA clips the stores at its extents.
    auto tensor = cast<ShapedType>(op->getResult(param.index).getType());
    Type element = tensor.getElementType();
    int64_t cols = tensor.getShape().back();
    int64_t rows = tensor.getNumElements() / cols;
    int64_t bytes = element.getIntOrFloatBitWidth() / 8;
    object["kind"] = "tensor_map";
    // "d_map" describes "d".
    object["of"] = StringRef(param.name).rsplit('_').first.str();
    object["passed_as"] = "pointer to a 128-byte CUtensorMap in global memory";
    object["element_type"] = dtypeName(element);
    object["data_type"] = tensorMapDataType(element);
    object["rank"] = 2;
    object["global_dim"] = llvm::json::Array{cols, rows};
    object["global_strides_bytes"] = llvm::json::Array{cols * bytes};
    object["box_dim"] = llvm::json::Array{param.box[1], param.box[0]};
    object["element_strides"] = llvm::json::Array{1, 1};
    object["interleave"] = "CU_TENSOR_MAP_INTERLEAVE_NONE";
    object["swizzle"] = "CU_TENSOR_MAP_SWIZZLE_128B";
    object["l2_promotion"] = "CU_TENSOR_MAP_L2_PROMOTION_NONE";
    object["oob_fill"] = "CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE";
    break;
  }
  case KernelParam::Kind::RuntimeRows:
    object["kind"] = "rows";
    object["dtype"] = "int64";
    break;
  }
  return object;
}

llvm::json::Object gpu_kernels::describeKernel(const KernelPlan &plan,
                                               Operation *op) {
  llvm::json::Array params;
  for (const KernelParam &param : plan.params)
    params.push_back(describeParam(param, op));
  llvm::json::Object kernel{
      {"name", plan.name},
      {"module", plan.name},
      {"op", op->getName().getStringRef()},
      {"location", locationString(op->getLoc())},
      {"grid", describeGrid(plan)},
      {"block", toJSON(plan.block)},
      {"cluster", toJSON(plan.cluster)},
      {"dynamic_shared_memory", plan.dynamicSharedMemory},
      {"params", std::move(params)},
  };
  // Where the launcher takes the runtime rows from: the product of these
  // dims of this operand of the op (the input buffer of that name).
  // "param" is the input parameter of that operand, "row_length" its static
  // last dim: rows = its element count / row_length.
  if (plan.runtimeRows) {
    unsigned operand = plan.runtimeRows->operand;
    std::string source;
    for (const KernelParam &param : plan.params)
      if (param.kind != KernelParam::Kind::Output &&
          param.kind != KernelParam::Kind::RuntimeRows &&
          param.index == operand && source.empty())
        source = param.name;
    auto type = cast<ShapedType>(op->getOperand(operand).getType());
    kernel["rows"] = llvm::json::Object{
        {"param", source},
        {"row_length", type.getShape().back()},
        {"operand", operand},
        {"dims", toJSON(plan.runtimeRows->dims)}};
  }
  return kernel;
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
