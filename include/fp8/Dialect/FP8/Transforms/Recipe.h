//===- Recipe.h - Resolving FP8 recipes -------------------------*- C++ -*-===//
//
// Part of fp8-mlir. The one place that knows what a recipe means: which
// narrow format, scale grouping and scale rule each matmul operand gets,
// from a `#fp8.recipe<...>` attribute or from the `recipe=` string of a pass
// option. Every quantization pass reads recipes through this header.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_RECIPE_H
#define FP8_DIALECT_FP8_TRANSFORMS_RECIPE_H

#include "fp8/Dialect/FP8/IR/FP8Attrs.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Types.h"

#include <optional>

namespace mlir {
class ModuleOp;
namespace fp8 {

/// The name of the module attribute that gives the recipe when no pass
/// option does: `module attributes {fp8.recipe = #fp8.recipe<...>}`.
inline constexpr llvm::StringLiteral kRecipeAttrName = "fp8.recipe";

/// The position of an operand in a matmul `D = A x B`.
enum class MatmulOperand { A, B };

/// How one matmul operand is quantized. `scaling` is relative to the
/// K-major layout of the operand: A as `[b..., M, K]`, B as `[b..., N, K]`
/// (what `fp8.scaled_matmul` with `transpose_b` reads).
struct OperandQuantization {
  /// The narrow data format (f8E4M3FN, f8E5M2; f4E2M1FN, f6E2M3FN or
  /// f6E3M2FN for the FP4/FP6 recipes).
  Type format;
  /// The grouping of one scale.
  ScalingAttr scaling;
  /// The scale element type: f32, f8E8M0FNU for MX block scaling, or
  /// f8E4M3FN for two-level (NVFP4) block scales, which come with a
  /// per-tensor f32 scale (isTwoLevel()).
  Type scaleElementType;
  /// The scale is multiplied by 2^margin.
  int64_t margin = 0;
  /// Round f32 scales up to a power of two.
  bool pow2 = false;
  /// Rounding of E8M0 scales; set only where it departs from the default
  /// (`ceil`), so the emitted IR stays minimal.
  std::optional<MXScaleRounding> mxScale;

  /// Apply `fp8.hadamard` with these signs (Transformer Engine's fixed
  /// sign vector) along K before quantizing; empty for none.
  ArrayRef<bool> hadamardSigns;
  /// Stochastic rounding with this seed (`fp8.quantize {sr_seed}`).
  std::optional<int64_t> srSeed;

  /// True for two-level (NVFP4) scaling: E4M3 block scales relative to a
  /// per-tensor f32 scale.
  bool isTwoLevel() const { return isa<Float8E4M3FNType>(scaleElementType); }
};

/// A recipe with every default filled in. The table of what each recipe
/// means is in docs/numerics.md ("Recipes") and in the description of
/// `#fp8.recipe` (FP8Attrs.td); getScaling() and getOperandQuantization()
/// below are its code.
///
/// `formats = hybrid` and `formats = e5m2-grad` both mean "gradients in
/// E5M2, activations and weights in E4M3" (the second reads better on
/// recipes whose default is all-E4M3); `formats = e4m3` means E4M3 for all.
class ResolvedRecipe {
public:
  explicit ResolvedRecipe(RecipeAttr recipe);

  RecipeAttr getAttr() const { return recipe; }
  RecipeKind getKind() const { return recipe.getKind(); }

  /// True when gradients are E5M2 and activations/weights E4M3.
  bool isHybrid() const;

  /// True for the MX recipes (E8M0 scales over 1x32 blocks): mxfp8, mxfp4,
  /// mxfp6.
  bool isMX() const;

  /// The narrow data format of a tensor with `role`.
  Type getFormat(Role role) const;

  /// The scale grouping of the operand at `operand` with `role`, relative
  /// to its K-major layout.
  ScalingAttr getScaling(Role role, MatmulOperand operand) const;

  /// Everything needed to quantize one operand.
  OperandQuantization getOperandQuantization(Role role,
                                             MatmulOperand operand) const;

  /// Amax history length of the delayed recipe (default 1024).
  int64_t getHistoryLength() const;

  /// How a delayed scale is derived from its history (default `max`).
  HistoryAlgo getHistoryAlgo() const;

  /// Matmuls with fewer `2*M*N*K` flops (times the batch) stay in high
  /// precision; 0 quantizes everything.
  int64_t getMinFlops() const { return recipe.getMinFlops(); }

  /// The precision of weight-gradient matmuls (default `fp8`).
  WgradPrecision getWgrad() const {
    return recipe.getWgrad().value_or(WgradPrecision::fp8);
  }

  /// The first and last N layers stay in high precision (0: none).
  int64_t getKeepFirst() const { return recipe.getKeepFirst(); }
  int64_t getKeepLast() const { return recipe.getKeepLast(); }

  /// True when both operands of weight-gradient matmuls get the random
  /// Hadamard transform (nvfp4, `rht = on`, the default).
  bool useWgradHadamard() const {
    return getKind() == RecipeKind::nvfp4 && recipe.getRht().value_or(true);
  }

  /// The rows of an nvfp4 weight's E4M3 scale block, which is 16 elements
  /// along K: 16 (2-D 16x16 blocks, the default) or 1 (`weight_blocks =
  /// 1x16`).
  int64_t getNVFP4WeightBlockRows() const;

  /// The seed of stochastic rounding of gradients, or std::nullopt where
  /// gradients round to nearest (nvfp4 with `sr = on` is the default).
  std::optional<int64_t> getGradientSRSeed() const;

private:
  RecipeAttr recipe;
};

/// The default amax history length of the delayed recipe.
inline constexpr int64_t kDefaultHistoryLength = 1024;

/// The default seed of stochastic rounding (`sr_seed`).
inline constexpr int64_t kDefaultSRSeed = 0x5EED;

/// Transformer Engine's fixed random sign vector of the weight-gradient
/// random Hadamard transform (true: -1), block size 16.
inline constexpr bool kWgradHadamardSigns[16] = {
    false, false, false, true, false, true, true,  true,
    true,  true,  true,  false, true, false, true, true};

/// Parses the `recipe=` text of a pass option, e.g. `blockwise`,
/// `tensorwise,margin=1,pow2`, `mxfp8,mx-scale=floor`,
/// `delayed,history=16,algo=most_recent`, `tensorwise,min-flops=1000000`.
/// The text is the body of `#fp8.recipe<...>` and goes through the
/// attribute's own parser: one grammar for IR and options (`-` and `_` are
/// the same in field names, and `pow2` alone means `pow2 = true`). Reports
/// the first problem through `emitError` and returns failure.
FailureOr<RecipeAttr>
parseRecipeString(MLIRContext *context, StringRef text,
                  function_ref<InFlightDiagnostic()> emitError);

/// The recipe a pass runs with: the `recipe=` option text when it is not
/// empty, which is then recorded on the module as its `fp8.recipe`
/// attribute (so the passes after it, and whoever reads the IR, see the
/// recipe it was quantized with); else the module's `fp8.recipe`
/// attribute. Emits an error at the module (and fails) when the text is
/// malformed, the attribute has the wrong kind, or neither is given;
/// `passName` names the pass in it.
FailureOr<RecipeAttr> resolveModuleRecipe(ModuleOp module,
                                          StringRef optionText,
                                          StringRef passName);

} // namespace fp8
} // namespace mlir

#endif // FP8_DIALECT_FP8_TRANSFORMS_RECIPE_H
