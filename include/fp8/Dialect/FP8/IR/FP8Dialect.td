//===- FP8Dialect.td - The fp8 dialect ---------------------*- tablegen -*-===//
//
// Part of fp8-mlir. The `fp8` dialect: FP8 scaling, quantization and scaled
// matrix multiplication on tensors.
//
//===----------------------------------------------------------------------===//

#ifndef FP8_DIALECT_FP8_IR_FP8DIALECT_TD
#define FP8_DIALECT_FP8_IR_FP8DIALECT_TD

include "mlir/IR/OpBase.td"

def FP8_Dialect : Dialect {
  let name = "fp8";
  let cppNamespace = "::mlir::fp8";
  let summary = "FP8 scaling, quantization and scaled matmul";
  let description = [{
    The `fp8` dialect expresses FP8 training and inference with explicit
    scaling on tensors. Its element types are MLIR's builtin narrow floats:
    `f8E4M3FN` (E4M3, max 448, no inf), `f8E5M2` (E5M2, max 57344, IEEE
    inf/NaN), `f8E8M0FNU` (power-of-two scales), `f4E2M1FN`, `f6E2M3FN` and
    `f6E3M2FN`.

    Numeric conventions shared by every op:

    * A *scale* is always the **decode multiplier**: `value ~= q * scale`
      (OCP MX, cuBLASLt, `torch._scaled_mm`). Quantization computes
      `q = cast(x / scale)`.
    * Casts round to nearest even. With `saturate`, finite values beyond the
      format's max clamp to +-max, +-inf clamps to +-max and NaN stays NaN.
      Without it the cast equals `arith.truncf`.
    * A *scaling* (`#fp8.scaling`) says which elements share one scale:
      the whole tensor, one row, or an `r x c` block of the last two
      dimensions. Leading batch dimensions get one scale group each.
    * Scaled matmuls accumulate in f32: `D = (A * sA) x (B * sB) [+ bias]`,
      then cast to the result type.
  }];
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
  // Folds of fp8 ops to constants materialize as `arith.constant`.
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

#endif // FP8_DIALECT_FP8_IR_FP8DIALECT_TD
