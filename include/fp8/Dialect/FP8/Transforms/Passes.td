//===- Passes.td - fp8 dialect passes ----------------------*- tablegen -*-===//
//
// Part of fp8-mlir. Every pass documents what it does with a before/after
// example (StableHLO's Passes.td is the model).
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_TRANSFORMS_PASSES_TD
#define FP8_DIALECT_FP8_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// fp8-lower-to-linalg
//===----------------------------------------------------------------------===//

def FP8LowerToLinalg : Pass<"fp8-lower-to-linalg"> {
  let summary = "Lower every fp8 op to linalg/tensor/arith/math on tensors";
  let description = [{
    The reference lowering of the `fp8` dialect, and so its executable
    semantics (docs/numerics.md): every fp8 op becomes `linalg.generic`s
    (plus `tensor.empty`/`linalg.fill`/slices) whose bodies use `arith` and
    `math` only. Casts to and from the narrow types stay `arith.truncf` /
    `arith.extf`; `fp8-expand-casts` turns them into integer operations.
    Dynamic shapes are supported. Attributes whose values are fp8
    attributes (the module's `fp8.recipe`, `fp8.role` on ops and function
    arguments) are erased too, so that the output reads without the fp8
    dialect.

    * `fp8.amax`: a `max |x|` reduction (`arith.maximumf`, NaN propagates)
      into a zero-filled tensor of the scale shape. Each element reaches its
      group through the indexing map `(b.., i floordiv r, j floordiv c)`
      (`(b.., i, 0)` rowwise, `()` per tensor), so ragged last tiles and
      batch dims need no special case.
    * `fp8.scale_from_amax`, `fp8.scale_from_history`: per group,
      f32 `(amax / fmax) * 2^margin`; with `pow2`, or for E8M0 with
      `mx_scale = ceil`, `2^(ceil(log2(amax / fmax)) + margin)`; E8M0 floor
      `2^(floor(log2 amax) - emax + margin)`. The plain f32 rule rounds each
      step to f32; the logarithms are exact (integer operations on the bits
      of amax), and powers of two are built exactly (exponent clamped to
      [-127, 127] for E8M0, which is then produced by an exact
      `arith.truncf`). Where amax is not in (0, +inf) the scale is 1. The
      history is first reduced over its dim 0 (`max`, NaN propagating) or
      sliced at entry 0 (`most_recent`).
    * `fp8.quantize`: `cast(f32(x) / f32(scale))` with the scale of the
      element's group; `saturate` clamps to +-max(format) with
      `arith.maximumf`/`minimumf` (NaN stays NaN, inf clamps) before the
      `arith.truncf`.
    * `fp8.dequantize`: `f32(q) * f32(scale)`, then rounded to bf16/f16.
    * `fp8.scaled_matmul`: A and B are dequantized to f32 (B into
      `[b..., K, N]` order, also when stored `[b..., N, K]` with
      `transpose_b`), multiplied by a `linalg.generic` over loops
      `(b.., m, k, n)` with f32 accumulation (k is the reduction in the
      middle, so the innermost loop runs contiguously along N and
      vectorizes), then bias is added, the optional amax is `max |D|` and D
      is rounded to the result type, or saturate-cast after dividing by
      `out_scale` for an FP8 result.
    * `fp8.amax_history_push`: `tensor.extract_slice`/`insert_slice` into a
      new history (old entries move one up, the amax goes to entry 0).
    * `fp8.quantize_with_amax`, `fp8.quantize_transposed`,
      `fp8.amax_transposed` (formed by `fp8-fuse-quantize` for the GPU):
      the chains they stand for (amax, scale_from_amax and quantize; a
      `linalg.transpose` of the last two dims, then quantize or amax),
      lowered as above.

    Any fp8 op left is an error at its location.

    Before:

    ```mlir
    func.func @quantize(%x: tensor<4x64xbf16>, %s: tensor<4x2xf32>)
        -> tensor<4x64xf8E4M3FN> {
      %q = fp8.quantize %x, %s {scaling = #fp8.scaling<block [1, 32]>}
          : tensor<4x64xbf16>, tensor<4x2xf32> -> tensor<4x64xf8E4M3FN>
      return %q : tensor<4x64xf8E4M3FN>
    }
    ```

    After:

    ```mlir
    #id = affine_map<(d0, d1) -> (d0, d1)>
    #group = affine_map<(d0, d1) -> (d0, d1 floordiv 32)>
    func.func @quantize(%x: tensor<4x64xbf16>, %s: tensor<4x2xf32>)
        -> tensor<4x64xf8E4M3FN> {
      %e = tensor.empty() : tensor<4x64xf8E4M3FN>
      %q = linalg.generic {indexing_maps = [#id, #group, #id],
                           iterator_types = ["parallel", "parallel"]}
          ins(%x, %s : tensor<4x64xbf16>, tensor<4x2xf32>)
          outs(%e : tensor<4x64xf8E4M3FN>) {
      ^bb0(%xi: bf16, %si: f32, %out: f8E4M3FN):
        %wide = arith.extf %xi : bf16 to f32
        %div = arith.divf %wide, %si : f32
        %neg_max = arith.constant -4.480000e+02 : f32
        %lo = arith.maximumf %div, %neg_max : f32
        %max = arith.constant 4.480000e+02 : f32
        %hi = arith.minimumf %lo, %max : f32
        %c = arith.truncf %hi : f32 to f8E4M3FN
        linalg.yield %c : f8E4M3FN
      } -> tensor<4x64xf8E4M3FN>
      return %q : tensor<4x64xf8E4M3FN>
    }
    ```
  }];
  let dependentDialects = [
    "linalg::LinalgDialect",
    "tensor::TensorDialect",
    "arith::ArithDialect",
    "math::MathDialect"
  ];
}

//===----------------------------------------------------------------------===//
// fp8-assign-roles
//===----------------------------------------------------------------------===//

def FP8AssignRoles : Pass<"fp8-assign-roles", "::mlir::ModuleOp"> {
  let summary = "Give every matmul operand a training role";
  let description = [{
    Annotates every matmul-like linalg op (a `linalg::isaContractionOpInterface`
    op: `linalg.matmul`, `linalg.batch_matmul`, `linalg.contract`,
    contraction `linalg.generic`s) with the roles of its two inputs, A then
    B, as the op attribute

    ```mlir
    fp8.roles = [#fp8.role<activation>, #fp8.role<weight>]
    ```

    which `fp8-quantize-matmuls` reads to pick a format and scaling per
    operand. Roles propagate forward through the use-def graph of each
    function, in this order of precedence:

    1. An explicit `fp8.role = #fp8.role<...>` on a function argument or on
       the op that defines a value wins (an existing `fp8.roles` on a matmul
       is kept as it is).
    2. Values of constants and globals (`arith.constant` and other
       `ConstantLike` ops, `ml_program.global_load[_const]`,
       `memref.get_global`) are weights.
    3. A value computed from a gradient (through elementwise ops, broadcast,
       reshape, transpose, matmul, any op) is a gradient; one computed only
       from weights (a transposed or cast weight) is a weight; anything that
       mixes in an activation is an activation. A linalg op's init counts
       only where its body reads it (a `tensor.empty` or the init of a
       transpose says nothing).
    4. A function argument without `fp8.role` in a joint forward + backward
       graph gets the role its matmuls show, with a remark at the argument
       (docs/quantize-pipeline.md, "Inferred roles"): the B operand of one
       matmul through a transpose (`X W^T`) and of another as it is
       (`dY W`) is a weight; the A operand of that dgrad is a gradient; the
       B operand of a forward matmul is a weight when a result of its type
       is computed from a gradient. Explicit roles are never overridden.
    5. Everything else, including the remaining function arguments, is an
       activation.

    So for `Y = X W^T` (forward), `dX = dY W` (dgrad) and `dW = dY^T X`
    (wgrad), with `dY` marked a gradient and `W` a weight (by attribute or
    because it is loaded from a global), the roles come out as
    (activation, weight), (gradient, weight) and (gradient, activation).
    Roles do not cross function boundaries. A malformed `fp8.role` or
    `fp8.roles` is an error at its op.

    Before:

    ```mlir
    func.func @dgrad(%dy: tensor<128x64xf32> {fp8.role = #fp8.role<gradient>},
                     %w: tensor<64x256xf32> {fp8.role = #fp8.role<weight>})
        -> tensor<128x256xf32> {
      %zero = arith.constant 0.0 : f32
      %e = tensor.empty() : tensor<128x256xf32>
      %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<128x256xf32>)
          -> tensor<128x256xf32>
      %dx = linalg.matmul ins(%dy, %w : tensor<128x64xf32>, tensor<64x256xf32>)
          outs(%acc : tensor<128x256xf32>) -> tensor<128x256xf32>
      return %dx : tensor<128x256xf32>
    }
    ```

    After (only the matmul changes):

    ```mlir
      %dx = linalg.matmul {fp8.roles = [#fp8.role<gradient>, #fp8.role<weight>]}
          ins(%dy, %w : tensor<128x64xf32>, tensor<64x256xf32>)
          outs(%acc : tensor<128x256xf32>) -> tensor<128x256xf32>
    ```
  }];
  let dependentDialects = ["::mlir::fp8::FP8Dialect"];
}

//===----------------------------------------------------------------------===//
// fp8-quantize-matmuls
//===----------------------------------------------------------------------===//

def FP8QuantizeMatmuls : Pass<"fp8-quantize-matmuls", "::mlir::ModuleOp"> {
  let summary = "Rewrite high-precision matmuls into scaled FP8 matmuls";
  let description = [{
    Rewrites each matmul-like linalg op on tensors of f32/bf16/f16 into

    ```
    fp8.amax -> fp8.scale_from_amax -> fp8.quantize   (A and B)
      -> fp8.scaled_matmul {transpose_b}
    ```

    Recognized: `linalg.matmul` with any indexing maps (the transposed
    forms), `linalg.batch_matmul`, `linalg.contract`, and contraction
    `linalg.generic`s with one M, N and K dim and any number of batch dims
    (`linalg::inferContractionDims`). An operand produced by a
    `linalg.transpose` (e.g. `X W^T` written as a matmul with a transposed
    weight) is read through the transpose.

    **Recipe.** The `recipe` option (e.g. `recipe=blockwise`,
    `recipe=tensorwise,margin=1,pow2`, `recipe=mxfp8,mx-scale=floor`,
    `recipe=delayed,history=16,algo=most_recent`,
    `recipe=tensorwise,formats=e4m3`, `recipe=tensorwise,min-flops=1000000`)
    or else the module attribute `fp8.recipe = #fp8.recipe<...>` chooses
    formats and scalings per operand role (`fp8.roles`, see
    `fp8-assign-roles`; computed the same way where a matmul has none):

    The recipes and what each chooses are listed in docs/numerics.md
    ("Recipes"); `ResolvedRecipe` (Recipe.h) is that table's code.

    Overrides: `formats=hybrid|e5m2-grad` (gradients E5M2, the rest E4M3)
    or `formats=e4m3` (all E4M3), `margin=N`, `pow2`, `mx-scale=ceil|floor`,
    `min-flops=N`. The option text is the body of `#fp8.recipe<...>`, read
    by the attribute's own parser (one grammar; `-` and `_` are the same in
    field names). The pass records the recipe it ran with on the module as
    `fp8.recipe` (replacing one there), where the passes after it (e.g.
    `fp8-delayed-scaling` in `--fp8-quantize-pipeline`) read it. Without an
    option or attribute the pass fails with an error at the module, as it
    does for a malformed recipe.

    **Layout.** Operands are quantized K-major: A as `[b..., M, K]` and B as
    `[b..., N, K]` (`transpose_b`), which is what GPU tensor cores read.
    Where an operand is not stored that way, a `linalg.transpose` of the
    high-precision value is emitted and quantized (the GPU lowering fuses
    the transpose into the quantize kernel). Scalings are stated for this
    K-major layout. The result keeps the original result element type; a
    result layout other than `[b..., M, N]` gets a transpose, and an init
    that is not zero (`tensor.empty`, a zero `linalg.fill` or constant) is
    added back with `linalg.add`.

    **Bias.** A bias add that is the only user of a new scaled_matmul's
    result becomes its `bias` operand: a `linalg.generic` with maps
    `(.., n) -> (.., n)`, `(.., n) -> (n)` whose body begins with
    `arith.addf` of the two inputs (anything after the add, e.g. a GELU,
    stays in a new elementwise generic on the fused result), or a
    `linalg.add` with a `linalg.broadcast` of a 1-D `[N]` tensor. Only f32
    results with an f32 bias are fused, where it changes no bit; for bf16/f16
    results the IR rounds twice and the fused op would round once, so the add
    stays (with a remark).

    **Several M dims.** A contraction `linalg.generic` whose M dims are one
    run of static dims in the same order in A and in the result, e.g. a
    linear layer on `[B, S, K]` activations, is quantized as the matmul of
    A viewed as `[B * S, K]`: A and the accumulator are collapsed
    (`tensor.collapse_shape`) and the result expanded back, so a rowwise
    or `[1, c]` scale is a scale per token, as in Transformer Engine.

    **Sharing.** Each value gets one amax per scaling and one quantize per
    (scaling, format) in a function, however many matmuls read it; the ops
    are placed right after the value's definition. Per-tensor amaxes are
    taken on the untransposed value.

    **Left alone**, with an optimization remark saying why: integer
    matmuls, operands that are already FP8, other element types, matmuls
    on buffers, matmuls with several N or K dims, several M dims that are
    not such a run, or broadcast operands, dynamic shapes under
    row or block scaling (tensor scaling handles them), matmuls below
    `min-flops` (`2 * batch * M * N * K`; a dynamic shape with `min-flops`
    set), and, under hybrid formats, matmuls whose operands are both
    gradients: no scaled matmul pairs E5M2 with E5M2, and rather than
    silently degrade one gradient to E4M3 the matmul stays in high
    precision (`formats=e4m3` quantizes it). Ragged edges (sizes that are
    not a multiple of a block) are fine: the scale tensors ceil-divide.

    Before (`recipe=tensorwise`):

    ```mlir
    func.func @fwd(%x: tensor<128x256xbf16>,
                   %w: tensor<64x256xbf16> {fp8.role = #fp8.role<weight>})
        -> tensor<128x64xf32> {
      %e = tensor.empty() : tensor<128x64xf32>
      %y = linalg.matmul indexing_maps = [
               affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>,
               affine_map<(m, n, k) -> (m, n)>]
          ins(%x, %w : tensor<128x256xbf16>, tensor<64x256xbf16>)
          outs(%e : tensor<128x64xf32>) -> tensor<128x64xf32>
      return %y : tensor<128x64xf32>
    }
    ```

    After:

    ```mlir
    func.func @fwd(%x: tensor<128x256xbf16>,
                   %w: tensor<64x256xbf16> {fp8.role = #fp8.role<weight>})
        -> tensor<128x64xf32> {
      %aw = fp8.amax %w {scaling = #fp8.scaling<tensor>}
          : tensor<64x256xbf16> -> tensor<f32>
      %sw = fp8.scale_from_amax %aw {format = f8E4M3FN}
          : tensor<f32> -> tensor<f32>
      %qw = fp8.quantize %w, %sw {scaling = #fp8.scaling<tensor>}
          : tensor<64x256xbf16>, tensor<f32> -> tensor<64x256xf8E4M3FN>
      %ax = fp8.amax %x {scaling = #fp8.scaling<tensor>}
          : tensor<128x256xbf16> -> tensor<f32>
      %sx = fp8.scale_from_amax %ax {format = f8E4M3FN}
          : tensor<f32> -> tensor<f32>
      %qx = fp8.quantize %x, %sx {scaling = #fp8.scaling<tensor>}
          : tensor<128x256xbf16>, tensor<f32> -> tensor<128x256xf8E4M3FN>
      %y = fp8.scaled_matmul %qx, %sx, %qw, %sw
          {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>,
           transpose_b}
          : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>,
            tensor<f32> -> tensor<128x64xf32>
      return %y : tensor<128x64xf32>
    }
    ```
  }];
  let options = [
    Option<"recipe", "recipe", "std::string", /*default=*/"\"\"",
           "The recipe and its overrides, e.g. 'blockwise' or "
           "'tensorwise,margin=1,pow2' (default: the module's fp8.recipe "
           "attribute)">,
    Option<"staticRanges", "static-ranges", "std::string",
           /*default=*/"\"on\"",
           "on: replace each per-tensor amax whose input has a bound known "
           "at compile time (fp8-test-float-ranges shows them) by that "
           "bound; off: measure every amax at run time">
  ];
  let dependentDialects = [
    "::mlir::fp8::FP8Dialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

//===----------------------------------------------------------------------===//
// fp8-delayed-scaling
//===----------------------------------------------------------------------===//

def FP8DelayedScaling : Pass<"fp8-delayed-scaling", "::mlir::ModuleOp"> {
  let summary = "Take per-tensor scales from amax histories (delayed scaling)";
  let description = [{
    Turns each current per-tensor scale `fp8.scale_from_amax(fp8.amax(x))`
    (tensor scaling, f32 scale) of a public `func.func` into delayed scaling
    as Transformer Engine's DelayedScaling does:

    * the function takes one amax history `tensor<Lxf32>` per such scale as
      a new argument, and returns the history with this step's amax pushed
      (`fp8.amax_history_push`) as a new result;
    * the scale is `fp8.scale_from_history` of the incoming history (same
      format, margin and pow2), so quantization no longer waits on this
      step's amax reduction.

    New arguments and results are appended in the order the scales appear
    in the function: argument `n + i` and result `m + i` belong to the
    i-th scale. Both carry `fp8.amax_history = "<what>"`, naming the
    operands the scale serves, e.g. `"A of scaled_matmul 0, A of
    scaled_matmul 2"` (scaled_matmuls numbered from 0 in function order).
    The caller keeps the histories between steps, starting from zeros (an
    all-zero history gives scale 1).

    `history` (default: the recipe's if it sets one, else 1024) and `algo`
    (`max` or `most_recent`; default: the recipe's, else `max`) shape the
    history. The recipe is the `recipe` option (same syntax as
    `fp8-quantize-matmuls`, recorded on the module the same way), else the
    module's `fp8.recipe` attribute, if any. With `if-delayed` the pass
    does nothing unless that recipe is `delayed`: `--fp8-quantize-pipeline`
    runs it that way after every quantization, reading the recipe that
    `fp8-quantize-matmuls` recorded.

    Functions that are private, called inside the module, have more than
    one block or compute an amax in a nested region keep current scaling,
    with a remark.

    Before:

    ```mlir
    func.func @fwd(%x: tensor<128x256xf32>, %qw: tensor<64x256xf8E4M3FN>,
                   %sw: tensor<f32>) -> tensor<128x64xf32> {
      %a = fp8.amax %x {scaling = #fp8.scaling<tensor>}
          : tensor<128x256xf32> -> tensor<f32>
      %s = fp8.scale_from_amax %a {format = f8E4M3FN}
          : tensor<f32> -> tensor<f32>
      %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
          : tensor<128x256xf32>, tensor<f32> -> tensor<128x256xf8E4M3FN>
      %y = fp8.scaled_matmul %q, %s, %qw, %sw
          {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>,
           transpose_b}
          : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>,
            tensor<f32> -> tensor<128x64xf32>
      return %y : tensor<128x64xf32>
    }
    ```

    After (`history=16`):

    ```mlir
    func.func @fwd(%x: tensor<128x256xf32>, %qw: tensor<64x256xf8E4M3FN>,
                   %sw: tensor<f32>,
                   %h: tensor<16xf32> {fp8.amax_history = "A of scaled_matmul 0"})
        -> (tensor<128x64xf32>,
            tensor<16xf32> {fp8.amax_history = "A of scaled_matmul 0"}) {
      %a = fp8.amax %x {scaling = #fp8.scaling<tensor>}
          : tensor<128x256xf32> -> tensor<f32>
      %s = fp8.scale_from_history %h {algo = #fp8.algo<max>, format = f8E4M3FN}
          : tensor<16xf32> -> tensor<f32>
      %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
          : tensor<128x256xf32>, tensor<f32> -> tensor<128x256xf8E4M3FN>
      %y = fp8.scaled_matmul %q, %s, %qw, %sw
          {a_scaling = #fp8.scaling<tensor>, b_scaling = #fp8.scaling<tensor>,
           transpose_b}
          : tensor<128x256xf8E4M3FN>, tensor<f32>, tensor<64x256xf8E4M3FN>,
            tensor<f32> -> tensor<128x64xf32>
      %h1 = fp8.amax_history_push %h, %a : tensor<16xf32>, tensor<f32>
      return %y, %h1 : tensor<128x64xf32>, tensor<16xf32>
    }
    ```
  }];
  let options = [
    Option<"history", "history", "int64_t", /*default=*/"0",
           "Amax history length (0: the module recipe's, else 1024)">,
    Option<"algo", "algo", "std::string", /*default=*/"\"\"",
           "max or most_recent (default: the module recipe's, else max)">,
    Option<"recipe", "recipe", "std::string", /*default=*/"\"\"",
           "The recipe that gives the defaults of history and algo "
           "(default: the module's fp8.recipe attribute)">,
    Option<"ifDelayed", "if-delayed", "bool", /*default=*/"false",
           "Do nothing unless the recipe is the delayed recipe">
  ];
  let dependentDialects = ["::mlir::fp8::FP8Dialect"];
}

//===----------------------------------------------------------------------===//
// fp8-expand-casts
//===----------------------------------------------------------------------===//

def FP8ExpandCasts : Pass<"fp8-expand-casts"> {
  let summary = "Expand FP8/FP6/FP4/E8M0, f16 and bf16 casts into integer bit "
                "operations";
  let description = [{
    Rewrites every `arith.truncf` and `arith.extf` that has a float type of at
    most 8 bits on one side (`f8E4M3FN`, `f8E5M2`, `f8E8M0FNU`, `f6E2M3FN`,
    `f6E3M2FN`, `f4E2M1FN`; also the IEEE-style `f8E4M3` and `f8E3M4`), or
    `f16`/`bf16` on one side, and `f64`, `f32`, `f16`, `bf16` or another such
    type on the other, into integer operations on the `f32` bit pattern, so
    that any CPU target runs them without a runtime library and without a
    CPU feature: LLVM lowers native f16/bf16 casts to library calls
    (`__truncsfbf2`, `__extendhfsf2`) on CPUs without F16C or AVX512-BF16,
    which a JIT cannot resolve. The result is bit-exact with ml_dtypes'
    `astype` (but for the one documented NaN corner below):
    python/tests/test_casts.py compares every narrow encoding, every f16 and
    bf16 value, and 2^24 f32 values per format.
    test/Integration/CPU/generic-cpu.mlir checks that the CPU pipeline's
    output calls no library routine on a baseline x86-64 CPU. A truncation
    to f16/bf16 with an explicit rounding mode other than to-nearest-even is
    left to LLVM; to a narrow type it is an error.

    One generic routine serves every format: exponent and mantissa widths,
    bias, signedness, the existence of zero, and the non-finite encodings
    (IEEE inf/NaN, a single all-ones NaN, or none) are read off the type's
    APFloat semantics. There are no branches per element: every case is
    computed and picked with `arith.select`, so loops over the expansion
    vectorise. Scalars and vectors are expanded in place with ops of the
    same shape (constants are splats). A cast on a ranked tensor first
    becomes a `linalg.generic` casting one element at a time, whose body is
    then expanded: tensor-level arith ops do not bufferize, and a dynamic
    shape has no `arith.constant` splat.

    Every cast goes through `f32` with a single rounding: `f16`, `bf16` and
    narrow sources are decoded to `f32` (exact); an `f64` source is rounded
    to `f32` with round-to-odd, which keeps the final rounding correct (f32
    has more than twice the precision of every target); then the value is
    rounded once to the result type (an `f64` result is extended exactly).
    An `f32` subnormal is normalised first, so formats whose range reaches
    below f32's normal range (E8M0's 2^-127, bf16's subnormals) round it
    like any other value.

    `arith.truncf` rounds to nearest, ties to even, and does not saturate:
    | format      | beyond max, and +-inf | NaN                      | +-0  | < 0  |
    |-------------|-----------------------|--------------------------|------|------|
    | f8E4M3FN    | NaN (S.1111.111)      | NaN, sign kept           | +-0  |      |
    | f8E5M2      | +-inf                 | +-0x7E (payload dropped) | +-0  |      |
    | f8E8M0FNU   | 0xFF (NaN)            | 0xFF                     | 0xFF | 0xFF |
    | f6/f4 types | +-max (no inf)        | +-0, the NaN's sign      | +-0  |      |
    "Beyond max" means rounding past the largest finite value: for E4M3FN
    464 (half way to 480) -> 448 but 465 -> NaN; for E5M2 61439 -> 57344
    but 61440 -> inf. The NaN-less FP6/FP4 types turn NaN into the zero of
    the NaN's sign, which is what APFloat, i.e. the arith constant folder,
    gives: folded and unfolded programs agree (python/tests/test_folding.py).
    ml_dtypes gives the zero of the opposite sign (its quiet_NaN() is -0);
    that one corner is a documented difference. E8M0 (2^-127 .. 2^127,
    unsigned, no zero) rounds to nearest with ties up (3 -> 4, 6 -> 8,
    1.5 * 2^-127 -> 2^-126) and gives 0x00 (2^-127) for every positive value
    below 2^-127, as ml_dtypes 0.7 does. APFloat differs in other corners
    (it keeps E5M2 NaN payloads), so the pass does not fold constants.

    `arith.extf` is exact: NaN becomes the `f32` quiet NaN with the sign
    kept, E5M2 inf becomes inf, E8M0 0x00 becomes the f32 subnormal 2^-127.

    Saturating casts (`fp8.quantize {saturate}`) are written as a clamp
    followed by this non-saturating cast:
    ```mlir
    %lo = arith.maximumf %x, %neg_max : f32   // NaN propagates, -inf -> -max
    %c = arith.minimumf %lo, %max : f32       // +inf -> max
    %q = arith.truncf %c : f32 to f8E4M3FN
    ```
    Round-to-nearest-even of the clamped value equals a saturating RNE of
    the original: on [-max, max] the clamp is the identity, and max is
    representable, so values beyond it give +-max while NaN stays NaN.

    Example, scalar E4M3FN encode (abridged; about 40 ops per cast):
    ```mlir
    %q = arith.truncf %x : f32 to f8E4M3FN
    ```
    becomes
    ```mlir
    %bits = arith.bitcast %x : f32 to i32
    %mag = arith.andi %bits, %c2147483647_i32 : i32
    %nan = arith.cmpi ugt, %mag, %c2139095040_i32 : i32
    ...
    %keep = arith.andi %shifted, %c1_i32 : i32
    %rounded = arith.shrui %sum, %shift : i32
    ...
    %r = arith.select %nan, %qnan, %signed : i32
    %t = arith.trunci %r : i32 to i8
    %q = arith.bitcast %t : i8 to f8E4M3FN
    ```

    A cast this pass cannot implement exactly (a non-default rounding mode,
    `f64` on the other side, an FNUZ format) is reported as an error on the
    op, and the pass fails.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::tensor::TensorDialect",
  ];
  let options = [
    Option<"includeF16BF16", "include-f16-bf16", "bool", /*default=*/"true",
           "Also expand casts between f16/bf16 and f32/f64 (not only those "
           "with a narrow type); with false, f16/bf16 sources of narrow "
           "casts are extended natively. GPU kernels keep their native "
           "conversions: --fp8-gpu-pipeline expands half casts only in host "
           "functions.">
  ];
}

//===----------------------------------------------------------------------===//
// fp8-verify-llvm-types
//===----------------------------------------------------------------------===//

def FP8VerifyLLVMTypes : Pass<"fp8-verify-llvm-types"> {
  let summary = "Check that LLVM dialect ops have types LLVM IR can hold, "
                "and globals of a size it can build";
  let description = [{
    Reports, at the op, every LLVM dialect operation (and every
    `llvm.mlir.global` and `llvm.func`) whose types are not compatible with
    LLVM IR, e.g. `!llvm.array<4 x f8E4M3FN>`: the LLVM dialect accepts such
    a type, but the translation to LLVM IR crashes on it (a null element
    type). It also reports every `llvm.mlir.global` larger than
    `max-global-bytes`: the translation materializes a global's initializer
    element by element (a splat `dense<0.5> : tensor<2^62xbf16>` constant
    aborts with `std::length_error` after exhausting memory), and no target
    loads such a constant anyway. `--fp8-cpu-pipeline` runs this pass last
    and `--fp8-gpu-pipeline` runs it before `gpu-module-to-binary`, so that
    hand written LLVM dialect code and huge constants get a diagnostic
    instead of a crash.

    ```mlir
    // error: 'llvm.mlir.global' op has type '!llvm.array<0 x f8E4M3FN>',
    // which LLVM IR cannot represent (element type f8E4M3FN)
    llvm.mlir.global internal @g() : !llvm.array<0 x f8E4M3FN>
    ```
  }];
  let options = [
    Option<"maxGlobalBytes", "max-global-bytes", "int64_t",
           /*default=*/"int64_t(1) << 32",
           "The largest llvm.mlir.global, in bytes, that may be translated">
  ];
}

//===----------------------------------------------------------------------===//
// fp8-verify-vector-sizes
//===----------------------------------------------------------------------===//

def FP8VerifyVectorSizes : Pass<"fp8-verify-vector-sizes"> {
  let summary = "Reject vector types too large to lower in reasonable time";
  let description = [{
    Reports, at the op, every operand, result, block argument or function
    signature whose type is (or holds) a vector with more than
    `max-elements` elements. The lowering to LLVM unrolls vectors element by
    element or row by row (`vector<2147483648x2xbf16>` never finishes
    converting), so the CPU and GPU pipelines run this check first and
    answer such input with a diagnostic instead of a hang.

    ```mlir
    // error: 'arith.truncf' op has type 'vector<2147483648x2xbf16>' with
    // 4294967296 elements, more than the 65536 a vector may have here
    %q = arith.truncf %x : vector<2147483648x2xbf16> to vector<2147483648x2xf4E2M1FN>
    ```
  }];
  let options = [
    Option<"maxElements", "max-elements", "int64_t",
           /*default=*/"int64_t(1) << 16",
           "The most elements a vector type may have">
  ];
}

def FP8DecomposeAggregatedOps
    : Pass<"fp8-decompose-aggregated-ops", "func::FuncOp"> {
  let summary = "Decompose linalg ops that stand for several (linalg.softmax)";
  let description = [{
    Rewrites every op with `linalg::AggregatedOpInterface` (upstream:
    `linalg.softmax`) into the linalg ops that compute it, through the
    interface's `decomposeOperation`: for softmax, a max reduction, a
    subtract, `exp`, a sum and a divide as `linalg.generic`s.
    Bufferization and `convert-linalg-to-loops` do not handle such ops
    whole, so the CPU pipeline runs this first. An op that cannot be
    decomposed, or whose elements are not f16, bf16, f32 or f64 (upstream's
    decomposition needs their infinities), is an error at the op.

    ```mlir
    %y = linalg.softmax dimension(1) ins(%x : tensor<2x16xf32>)
        outs(%e : tensor<2x16xf32>) -> tensor<2x16xf32>
    // becomes linalg.generic ops: maxnumf, subf + exp, addf, divf
    ```
  }];
  let dependentDialects = ["linalg::LinalgDialect", "arith::ArithDialect",
                           "math::MathDialect", "tensor::TensorDialect"];
}

def FP8LowerStridedCopies : Pass<"fp8-lower-strided-copies", "func::FuncOp"> {
  let summary = "memref.copy between non-contiguous buffers -> linalg.copy";
  let description = [{
    Rewrites every `memref.copy` whose source or target is not contiguous
    (a subview, which `tensor.concat`, `tensor.insert_slice`, `tensor.pad`
    and `tensor.extract_slice` bufferize into) to `linalg.copy`, which the
    CPU pipeline lowers to loops. `finalize-memref-to-llvm` would otherwise
    call `memrefCopy` from libmlir_c_runner_utils, which a JIT without that
    library (fp8-run, `fp8_mlir.run`) cannot resolve. Copies between
    contiguous buffers stay `memref.copy` (an `llvm.memcpy`).

    ```mlir
    memref.copy %a, %sub : memref<4x8xf32> to memref<4x8xf32, strided<[16, 1]>>
    // becomes
    linalg.copy ins(%a : memref<4x8xf32>)
        outs(%sub : memref<4x8xf32, strided<[16, 1]>>)
    ```
  }];
  let dependentDialects = ["linalg::LinalgDialect"];
}

//===----------------------------------------------------------------------===//
// fp8-instrument-report
//===----------------------------------------------------------------------===//

def FP8InstrumentReport : Pass<"fp8-instrument-report", "::mlir::ModuleOp"> {
  let summary = "Return what the numerics report needs as extra results";
  let description = [{
    Prepares a quantized program (the output of `--fp8-quantize-pipeline`)
    for the numerics report (`fp8-run --report`, `fp8_mlir.report`,
    docs/report.md): every value the report reads becomes an extra result
    of the function, after its own results, and the function gets an
    `fp8.report` attribute (the manifest) saying which result is what.

    * Each `fp8.quantize` and `fp8.quantize_with_amax` adds its
      high-precision input, its scale and its narrow result, and a manifest
      entry with its location, the role of its input (the role analysis of
      `fp8-assign-roles`), format, scaling and the matmuls it feeds.
    * Each `fp8.scaled_matmul` adds its result (and its bias and output
      scale when it has them), and an entry naming the quantize entries of
      its operands, so the report can compare it with the matmul of the
      high-precision inputs.

    A value is returned once, however many entries name it. The program
    computes what it computed before; only its signature grows. A function
    without a quantize op is an error at the function (the report needs a
    quantized program); so are a function something calls (its results
    change), quantize ops in nested regions, and `fp8.quantize_transposed`
    and `fp8.amax_transposed`, which only the GPU pipeline forms.

    ```mlir
    func.func @f(%x: tensor<4x8xf32>) -> tensor<4x8xf8E4M3FN> {
      %a = fp8.amax %x {scaling = #fp8.scaling<tensor>} : tensor<4x8xf32> -> tensor<f32>
      %s = fp8.scale_from_amax %a {format = f8E4M3FN} : tensor<f32> -> tensor<f32>
      %q = fp8.quantize %x, %s {scaling = #fp8.scaling<tensor>}
          : tensor<4x8xf32>, tensor<f32> -> tensor<4x8xf8E4M3FN>
      return %q : tensor<4x8xf8E4M3FN>
    }
    // becomes
    func.func @f(%x: tensor<4x8xf32>)
        -> (tensor<4x8xf8E4M3FN>, tensor<4x8xf32>, tensor<f32>)
        attributes {fp8.report = {num_results = 1, entries = [
          {kind = "quantize", op = "fp8.quantize", loc = "f.mlir:4:12",
           role = "activation", input = 1, scale = 2, result = 0, ...} ]}} {
      ...
      return %q, %x, %s : ...
    }
    ```
  }];
  let options = [
    Option<"entry", "entry", "std::string", /*default=*/"\"\"",
           "the function to instrument (default: every function with a "
           "body)">,
  ];
  let dependentDialects = ["::mlir::fp8::FP8Dialect"];
}

//===----------------------------------------------------------------------===//
// fp8-high-precision-from-report
//===----------------------------------------------------------------------===//

def FP8HighPrecisionFromReport
    : Pass<"fp8-high-precision-from-report", "::mlir::ModuleOp"> {
  let summary = "Keep matmuls whose calibrated FP8 error is too large, or "
                "that a calibration keeps, in high precision";
  let description = [{
    Reads a numerics report of a calibration run (`fp8-run --report`,
    `fp8_mlir.report`; docs/report.md) and marks every matmul-like op whose
    FP8 `relative_error` there exceeds `max-error` with
    `fp8.high_precision`, so `fp8-quantize-matmuls` leaves it in high
    precision. Each marked op gets a remark with the measured error. Report
    matmuls and ops are matched by location (`file:line:col`, or the file's
    base name with line and column where the paths differ), so the report
    must come from this model quantized with its locations kept
    (`--mlir-print-debuginfo`, or `fp8_mlir.report(..., recipe=)`).
    `--fp8-quantize-pipeline="calibration-report=FILE max-matmul-error=E"`
    runs it before quantizing (the mode the issue calls `formats=auto`).

    A top-level `"keep": [{"loc": "model.mlir:12:8"}, ...]` list (written by
    `fp8_mlir.calibrate`, which measures each matmul's effect on the
    program's outputs) marks the matmuls it names whatever their error; a
    file may hold only `schema_version` and `keep`.

    A report that cannot be read, is not JSON, has another schema version,
    or whose `keep` is not a list of objects with a `loc` string is an
    error at the module; a report matmul that matches no op is a warning
    (the report is of another program).

    ```mlir
    // report.json: {"schema_version": 1, "matmuls": [
    //   {"loc": "model.mlir:12:8", "relative_error": 0.4, ...} ], ...}
    %d = linalg.matmul ins(%a, %b : ...) outs(%c : ...) -> ...   // model.mlir:12:8
    // becomes, with max-error=0.1 (remark: kept in high precision: ...)
    %d = linalg.matmul {fp8.high_precision} ins(%a, %b : ...) outs(%c : ...) -> ...
    ```
  }];
  let options = [
    Option<"report", "report", "std::string", /*default=*/"\"\"",
           "the numerics report (JSON) of a calibration run">,
    Option<"maxError", "max-error", "double", /*default=*/"0.1",
           "the largest FP8 relative error of a matmul that stays FP8">,
  ];
}

//===----------------------------------------------------------------------===//
// fp8-test-float-ranges
//===----------------------------------------------------------------------===//

def FP8TestFloatRanges : Pass<"fp8-test-float-ranges"> {
  let summary = "Annotate every float result with its proven element range";
  let description = [{
    A test pass of the float range analysis (`FloatRangeAnalysis.h`), the
    one `fp8-quantize-matmuls{static-ranges=on}` uses to replace runtime
    amaxes by compile-time bounds. Every op with an f32/bf16/f16 (scalar or
    tensor) result gets the attribute `float_range = "[lo, hi]"`, plus
    ` nan` where an element may be NaN: every non-NaN element is proven to
    lie in [lo, hi] in the program's own rounded arithmetic. Ops with several
    results get an array, with "" for the results that are not floats.

    Bounds come from constants, interval arithmetic through arith and math
    ops (on scalars and tensors alike), linalg bodies analysed elementwise
    from their operands' ranges (reductions included), tensor ops that move
    data, `linalg.softmax`, and three relational rules: `x - max(x)` is at
    most 0, `e / sum(e)` (e >= 0) is in [0, 1], and RMSNorm's
    `x * rsqrt(mean(x^2) + eps)` is at most sqrt(N) in magnitude, also for
    LayerNorm's centred value c = x - m when the c multiplied and the c
    squared are one value or two structurally identical elementwise ops.

    Before:

    ```mlir
    func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
      %t = math.tanh %x : tensor<4xf32>
      return %t : tensor<4xf32>
    }
    ```

    After:

    ```mlir
    func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
      %t = math.tanh %x {float_range = "[-1.000000e+00, 1.000000e+00] nan"}
          : tensor<4xf32>
      return %t : tensor<4xf32>
    }
    ```
  }];
}

#endif // FP8_DIALECT_FP8_TRANSFORMS_PASSES_TD
