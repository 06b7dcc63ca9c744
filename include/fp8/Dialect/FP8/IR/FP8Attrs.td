//===- FP8Attrs.td - fp8 dialect attributes ----------------*- tablegen -*-===//
//
// Part of fp8-mlir.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_IR_FP8ATTRS_TD
#define FP8_DIALECT_FP8_IR_FP8ATTRS_TD

include "fp8/Dialect/FP8/IR/FP8Dialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

class FP8_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<FP8_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def FP8_RoleEnum : I32EnumAttr<"Role", "role of a tensor in training", [
    I32EnumAttrCase<"activation", 0>,
    I32EnumAttrCase<"weight", 1>,
    I32EnumAttrCase<"gradient", 2>]> {
  let cppNamespace = "::mlir::fp8";
  let genSpecializedAttr = 0;
}

def FP8_ScalingKindEnum : I32EnumAttr<"ScalingKind", "grouping of one scale", [
    I32EnumAttrCase<"tensor", 0>,
    I32EnumAttrCase<"rowwise", 1>,
    I32EnumAttrCase<"block", 2>]> {
  let cppNamespace = "::mlir::fp8";
}

def FP8_RecipeKindEnum : I32EnumAttr<"RecipeKind", "named FP8 recipe", [
    I32EnumAttrCase<"tensorwise", 0>,
    I32EnumAttrCase<"delayed", 1>,
    I32EnumAttrCase<"rowwise", 2>,
    I32EnumAttrCase<"blockwise", 3>,
    I32EnumAttrCase<"mxfp8", 4>,
    I32EnumAttrCase<"mxfp4", 5>,
    I32EnumAttrCase<"mxfp6", 6>,
    I32EnumAttrCase<"nvfp4", 7>]> {
  let cppNamespace = "::mlir::fp8";
}

def FP8_FormatsEnum : I32EnumAttr<"Formats", "FP8 formats per role", [
    I32EnumAttrCase<"recipe_default", 0>,
    I32EnumAttrCase<"hybrid", 1, "hybrid">,
    I32EnumAttrCase<"e4m3", 2>,
    I32EnumAttrCase<"e5m2_grad", 3, "e5m2-grad">,
    I32EnumAttrCase<"e2m3", 4>,
    I32EnumAttrCase<"fp4_weights", 5, "fp4-weights">]> {
  let cppNamespace = "::mlir::fp8";
}

def FP8_HistoryAlgoEnum : I32EnumAttr<"HistoryAlgo",
    "how a scale is derived from an amax history", [
    I32EnumAttrCase<"max", 0>,
    I32EnumAttrCase<"most_recent", 1>]> {
  let cppNamespace = "::mlir::fp8";
  let genSpecializedAttr = 0;
}

def FP8_MXScaleRoundingEnum : I32EnumAttr<"MXScaleRounding",
    "rounding of E8M0 (MX) scales", [
    I32EnumAttrCase<"ceil", 0>,
    I32EnumAttrCase<"floor", 1>]> {
  let cppNamespace = "::mlir::fp8";
  let genSpecializedAttr = 0;
}

def FP8_WgradPrecisionEnum : I32EnumAttr<"WgradPrecision",
    "precision of weight-gradient matmuls", [
    I32EnumAttrCase<"fp8", 0>,
    I32EnumAttrCase<"bf16", 1>,
    I32EnumAttrCase<"f32", 2>]> {
  let cppNamespace = "::mlir::fp8";
  let genSpecializedAttr = 0;
}

//===----------------------------------------------------------------------===//
// #fp8.role
//===----------------------------------------------------------------------===//

def FP8_RoleAttr : EnumAttr<FP8_Dialect, FP8_RoleEnum, "role"> {
  let summary = "role of a tensor in training";
  let description = [{
    Says what a matmul operand is: a forward `activation`, a `weight`, or a
    `gradient` (backward pass). Recipes choose the FP8 format per role
    (E4M3 for activations and weights, E5M2 for gradients under `hybrid`).

    ```mlir
    func.func @f(%x: tensor<4x8xf32> {fp8.role = #fp8.role<activation>})
    ```
  }];
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// #fp8.scaling
//===----------------------------------------------------------------------===//

def FP8_ScalingAttr : FP8_Attr<"Scaling", "scaling"> {
  let summary = "which elements share one scale";
  let description = [{
    The grouping of one scale over the last two dimensions `[R, C]` of a
    tensor `[b..., R, C]`. Leading batch dimensions get one group each.

    * `tensor`: one scale for the whole tensor (batch included); the scale
      is a rank-0 tensor `tensor<f32>`.
    * `rowwise`: one scale per row; the scale has shape `[b..., R, 1]`.
    * `block [r, c]`: one scale per `r x c` tile; the scale has shape
      `[b..., ceildiv(R, r), ceildiv(C, c)]` (a ragged last tile is a group
      of its own). Common blocks: `[1, 128]`, `[128, 128]`, MX `[1, 32]`.

    ```mlir
    #fp8.scaling<tensor>
    #fp8.scaling<rowwise>
    #fp8.scaling<block [1, 128]>
    ```
  }];
  let parameters = (ins
    EnumParameter<FP8_ScalingKindEnum>:$kind,
    OptionalArrayRefParameter<"int64_t">:$block);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let builders = [
    AttrBuilder<(ins "ScalingKind":$kind), [{
      return $_get($_ctxt, kind, ArrayRef<int64_t>{});
    }]>
  ];
  let extraClassDeclaration = [{
    bool isTensor() const { return getKind() == ScalingKind::tensor; }
    bool isRowwise() const { return getKind() == ScalingKind::rowwise; }
    bool isBlock() const { return getKind() == ScalingKind::block; }

    /// The scale shape for a data shape (rank >= 2 unless tensor scaling).
    /// Dynamic data dims give dynamic scale dims.
    ::llvm::SmallVector<int64_t> getScaleShape(ArrayRef<int64_t> dataShape) const;

    /// Group extent along the last two dims [R, C] of `dataShape`
    /// (ShapedType::kDynamic where it covers a dynamic dim).
    std::pair<int64_t, int64_t> getGroupExtent(ArrayRef<int64_t> dataShape) const;
  }];
}

//===----------------------------------------------------------------------===//
// #fp8.recipe
//===----------------------------------------------------------------------===//

def FP8_RecipeAttr : FP8_Attr<"Recipe", "recipe"> {
  let summary = "a named FP8 recipe plus overrides";
  let description = [{
    A recipe decides formats and scaling per tensor role. The recipe names
    are the cases of `RecipeKind` (tensorwise, delayed, rowwise, blockwise,
    mxfp8, mxfp4, mxfp6, nvfp4); what each chooses is listed in docs/numerics.md
    ("Recipes").

    Overrides (all optional): `formats = hybrid | e4m3 | "e5m2-grad" |
    e2m3 | "fp4-weights"` (`e2m3`: E2M3 for every role, mxfp6 only;
    `fp4-weights`: mxfp4 only, E2M1 weights with MXFP8 (E4M3) activations
    and gradients; nvfp4 takes none),
    `margin = N` (scale multiplied by `2^margin`), `pow2 = true|false`,
    `history = N` (amax history length), `algo = max | most_recent`,
    `mx_scale = ceil | floor` (MX recipes: mxfp8, mxfp4, mxfp6),
    `min_flops = N` (matmuls with fewer
    `2*M*N*K` flops stay in high precision), `wgrad = fp8 | bf16 | f32`
    (weight-gradient matmuls, whose operands are an activation and a
    gradient, in FP8 or kept in that precision; torchao's
    `rowwise_with_gw_hp`), `keep_first = N` and `keep_last = N` (the first
    and last N layers of a function stay in high precision, forward and
    backward; docs/quantize-pipeline.md, "Kept layers"). NVFP4 training
    (nvfp4 only, both on by default as in Transformer Engine):
    `rht = on | off` (random Hadamard transform of both operands of
    weight-gradient matmuls, `fp8.hadamard`), `sr = on | off` (stochastic
    rounding of gradients, `fp8.quantize {sr_seed}`) and `sr_seed = N`
    (the seed recorded in the IR; default 0x5EED), and
    `weight_blocks = 16x16 | 1x16` (nvfp4 only: the E4M3 block of a weight
    scale; 16x16, the default, is Transformer Engine's 2-D weight block,
    1x16 gives weights the activations' 16 elements along K).

    This is the one recipe grammar: the `recipe=` text of pass options
    (`blockwise,margin=1`) is parsed as the body of this attribute, so the
    grammar also takes the spellings a command line favours: `-` for `_` in
    field names and values (`mx-scale`, `min-flops`, `most-recent`), a bare
    `pow2` for `pow2 = true`, and `e5m2-grad` unquoted. Every field but
    `pow2` needs `= value`; none may be given twice.

    ```mlir
    module attributes {fp8.recipe = #fp8.recipe<blockwise, margin = 1>} {}
    #fp8.recipe<delayed, history = 16, algo = most_recent>
    #fp8.recipe<mxfp8,mx-scale=floor>   // same as <mxfp8, mx_scale = floor>
    ```
  }];
  let parameters = (ins
    EnumParameter<FP8_RecipeKindEnum>:$kind,
    DefaultValuedParameter<"Formats", "Formats::recipe_default">:$formats,
    DefaultValuedParameter<"int64_t", "0">:$margin,
    OptionalParameter<"std::optional<bool>">:$pow2,
    DefaultValuedParameter<"int64_t", "0">:$history,
    OptionalParameter<"std::optional<HistoryAlgo>">:$algo,
    OptionalParameter<"std::optional<MXScaleRounding>">:$mxScale,
    DefaultValuedParameter<"int64_t", "0">:$minFlops,
    OptionalParameter<"std::optional<WgradPrecision>">:$wgrad,
    DefaultValuedParameter<"int64_t", "0">:$keepFirst,
    DefaultValuedParameter<"int64_t", "0">:$keepLast,
    OptionalParameter<"std::optional<bool>">:$rht,
    OptionalParameter<"std::optional<bool>">:$sr,
    OptionalParameter<"std::optional<int64_t>">:$srSeed,
    OptionalParameter<"std::optional<int64_t>">:$weightBlockRows);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let builders = [
    AttrBuilder<(ins "RecipeKind":$kind), [{
      return $_get($_ctxt, kind, Formats::recipe_default, 0, std::nullopt, 0,
                   std::nullopt, std::nullopt, 0, std::nullopt, 0, 0,
                   std::nullopt, std::nullopt, std::nullopt, std::nullopt);
    }]>
  ];
}

#endif // FP8_DIALECT_FP8_IR_FP8ATTRS_TD
