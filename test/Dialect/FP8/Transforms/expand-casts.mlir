// RUN: fp8-opt %s --fp8-expand-casts --split-input-file | FileCheck %s
// RUN: fp8-opt %s --fp8-expand-casts --split-input-file \
// RUN:   | FileCheck %s --check-prefix=GONE

// No truncf/extf with a narrow float type on either side survives.
// GONE-NOT: {{arith\.(truncf|extf) .*f(8|6|4)E}}
// Nor one with f16 on either side.
// GONE-NOT: {{arith\.(truncf|extf) .*[^b]f16}}

// The whole encode, op by op: an f32 subnormal is first made normal (times
// 2^24, exact) so that its true exponent is known; round to nearest even on
// the f32 bits, then E4M3FN's overflow (packed > 126 = 0x7E gives 127 = 0x7F, the NaN) and
// NaN (f32 magnitude > 0x7F800000) cases.
// CHECK-LABEL: func.func @truncf_f32_to_f8E4M3FN(
// CHECK-SAME:      %[[X:.*]]: f32) -> f8E4M3FN
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : i32
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : i32
// CHECK-DAG:     %[[CM1:.*]] = arith.constant -1 : i32
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : i32
// CHECK-DAG:     %[[C7:.*]] = arith.constant 7 : i32
// CHECK-DAG:     %[[C20:.*]] = arith.constant 20 : i32
// CHECK-DAG:     %[[C23:.*]] = arith.constant 23 : i32
// CHECK-DAG:     %[[C25:.*]] = arith.constant 25 : i32
// CHECK-DAG:     %[[C31:.*]] = arith.constant 31 : i32
// CHECK-DAG:     %[[REBIAS:.*]] = arith.constant -120 : i32
// CHECK-DAG:     %[[MAXFINITE:.*]] = arith.constant 126 : i32
// CHECK-DAG:     %[[NAN:.*]] = arith.constant 127 : i32
// CHECK-DAG:     %[[IMPLICIT:.*]] = arith.constant 8388608 : i32
// CHECK-DAG:     %[[FRACMASK:.*]] = arith.constant 8388607 : i32
// CHECK-DAG:     %[[F32INF:.*]] = arith.constant 2139095040 : i32
// CHECK-DAG:     %[[ABSMASK:.*]] = arith.constant 2147483647 : i32
// CHECK-DAG:     %[[CM24:.*]] = arith.constant -24 : i32
// CHECK-DAG:     %[[TWO24:.*]] = arith.constant 0x4B800000 : f32
// CHECK:         %[[BITS:.*]] = arith.bitcast %[[X]] : f32 to i32
// CHECK:         %[[MAG:.*]] = arith.andi %[[BITS]], %[[ABSMASK]] : i32
// CHECK:         %[[S:.*]] = arith.shrui %[[BITS]], %[[C31]] : i32
// CHECK:         %[[SIGN:.*]] = arith.shli %[[S]], %[[C7]] : i32
// CHECK:         %[[ISNAN:.*]] = arith.cmpi ugt, %[[MAG]], %[[F32INF]] : i32
// CHECK:         %[[EXP0:.*]] = arith.shrui %[[MAG]], %[[C23]] : i32
// CHECK:         %[[SUB:.*]] = arith.cmpi eq, %[[EXP0]], %[[C0]] : i32
// CHECK:         %[[MAGF:.*]] = arith.bitcast %[[MAG]] : i32 to f32
// CHECK:         %[[SCALEDF:.*]] = arith.mulf %[[MAGF]], %[[TWO24]] : f32
// CHECK:         %[[SCALEDB:.*]] = arith.bitcast %[[SCALEDF]] : f32 to i32
// CHECK:         %[[SCALED:.*]] = arith.andi %[[SCALEDB]], %[[ABSMASK]] : i32
// CHECK:         %[[SEXP:.*]] = arith.shrui %[[SCALED]], %[[C23]] : i32
// CHECK:         %[[SEXP24:.*]] = arith.addi %[[SEXP]], %[[CM24]] : i32
// CHECK:         %[[EXP:.*]] = arith.select %[[SUB]], %[[SEXP24]], %[[EXP0]] : i32
// CHECK:         %[[NMAG:.*]] = arith.select %[[SUB]], %[[SCALED]], %[[MAG]] : i32
// CHECK:         %[[FRAC:.*]] = arith.andi %[[NMAG]], %[[FRACMASK]] : i32
// CHECK:         %[[ZERO:.*]] = arith.cmpi eq, %[[MAG]], %[[C0]] : i32
// CHECK:         %[[WITHIMPL:.*]] = arith.ori %[[FRAC]], %[[IMPLICIT]] : i32
// CHECK:         %[[SIG:.*]] = arith.select %[[ZERO]], %[[C0]], %[[WITHIMPL]] : i32
// CHECK:         %[[NEXP:.*]] = arith.addi %[[EXP]], %[[REBIAS]] : i32
// CHECK:         %[[D:.*]] = arith.subi %[[C1]], %[[NEXP]] : i32
// CHECK:         %[[BELOW:.*]] = arith.maxsi %[[D]], %[[C0]] : i32
// CHECK:         %[[SH0:.*]] = arith.addi %[[BELOW]], %[[C20]] : i32
// CHECK:         %[[SHIFT:.*]] = arith.minsi %[[SH0]], %[[C25]] : i32
// CHECK:         %[[KEPT:.*]] = arith.shrui %[[SIG]], %[[SHIFT]] : i32
// CHECK:         %[[LSB:.*]] = arith.andi %[[KEPT]], %[[C1]] : i32
// CHECK:         %[[SHM1:.*]] = arith.addi %[[SHIFT]], %[[CM1]] : i32
// CHECK:         %[[HALF:.*]] = arith.shli %[[C1]], %[[SHM1]] : i32
// CHECK:         %[[UNDERHALF:.*]] = arith.subi %[[HALF]], %[[C1]] : i32
// CHECK:         %[[SUM0:.*]] = arith.addi %[[SIG]], %[[UNDERHALF]] : i32
// CHECK:         %[[SUM:.*]] = arith.addi %[[SUM0]], %[[LSB]] : i32
// CHECK:         %[[ROUNDED:.*]] = arith.shrui %[[SUM]], %[[SHIFT]] : i32
// CHECK:         %[[NE1:.*]] = arith.maxsi %[[NEXP]], %[[C1]] : i32
// CHECK:         %[[STORED:.*]] = arith.addi %[[NE1]], %[[CM1]] : i32
// CHECK:         %[[EFIELD:.*]] = arith.shli %[[STORED]], %[[C3]] : i32
// CHECK:         %[[PACKED:.*]] = arith.addi %[[EFIELD]], %[[ROUNDED]] : i32
// CHECK:         %[[OVER:.*]] = arith.cmpi ugt, %[[PACKED]], %[[MAXFINITE]] : i32
// CHECK:         %[[SAT:.*]] = arith.select %[[OVER]], %[[NAN]], %[[PACKED]] : i32
// CHECK:         %[[SIGNED:.*]] = arith.ori %[[SAT]], %[[SIGN]] : i32
// CHECK:         %[[SIGNEDNAN:.*]] = arith.ori %[[NAN]], %[[SIGN]] : i32
// CHECK:         %[[R:.*]] = arith.select %[[ISNAN]], %[[SIGNEDNAN]], %[[SIGNED]] : i32
// CHECK:         %[[T:.*]] = arith.trunci %[[R]] : i32 to i8
// CHECK:         %[[Q:.*]] = arith.bitcast %[[T]] : i8 to f8E4M3FN
// CHECK:         return %[[Q]] : f8E4M3FN
func.func @truncf_f32_to_f8E4M3FN(%x: f32) -> f8E4M3FN {
  %q = arith.truncf %x : f32 to f8E4M3FN
  return %q : f8E4M3FN
}

// -----

// The whole decode: rebias normals (exponent + 120, mantissa << 20), scale
// subnormals by 2^-9, 0x7F is NaN, then the sign.
// CHECK-LABEL: func.func @extf_f8E4M3FN_to_f32(
// CHECK-SAME:      %[[X:.*]]: f8E4M3FN) -> f32
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : i32
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : i32
// CHECK-DAG:     %[[C7:.*]] = arith.constant 7 : i32
// CHECK-DAG:     %[[C20:.*]] = arith.constant 20 : i32
// CHECK-DAG:     %[[C31:.*]] = arith.constant 31 : i32
// CHECK-DAG:     %[[MAGMASK:.*]] = arith.constant 127 : i32
// CHECK-DAG:     %[[REBIAS:.*]] = arith.constant 1006632960 : i32
// CHECK-DAG:     %[[QNAN:.*]] = arith.constant 2143289344 : i32
// CHECK-DAG:     %[[SUBSCALE:.*]] = arith.constant 0.001953125 : f32
// CHECK:         %[[B:.*]] = arith.bitcast %[[X]] : f8E4M3FN to i8
// CHECK:         %[[BITS:.*]] = arith.extui %[[B]] : i8 to i32
// CHECK:         %[[MAG:.*]] = arith.andi %[[BITS]], %[[MAGMASK]] : i32
// CHECK:         %[[EXP:.*]] = arith.shrui %[[MAG]], %[[C3]] : i32
// CHECK:         %[[FRAC:.*]] = arith.andi %[[MAG]], %[[C7]] : i32
// CHECK:         %[[WIDENED:.*]] = arith.shli %[[MAG]], %[[C20]] : i32
// CHECK:         %[[NORMAL:.*]] = arith.addi %[[WIDENED]], %[[REBIAS]] : i32
// CHECK:         %[[FRACF:.*]] = arith.uitofp %[[FRAC]] : i32 to f32
// CHECK:         %[[SUBF:.*]] = arith.mulf %[[FRACF]], %[[SUBSCALE]] : f32
// CHECK:         %[[ISSUB:.*]] = arith.cmpi eq, %[[EXP]], %[[C0]] : i32
// CHECK:         %[[SUBBITS:.*]] = arith.bitcast %[[SUBF]] : f32 to i32
// CHECK:         %[[FINITE:.*]] = arith.select %[[ISSUB]], %[[SUBBITS]], %[[NORMAL]] : i32
// CHECK:         %[[ISNAN:.*]] = arith.cmpi eq, %[[MAG]], %[[MAGMASK]] : i32
// CHECK:         %[[ABS:.*]] = arith.select %[[ISNAN]], %[[QNAN]], %[[FINITE]] : i32
// CHECK:         %[[S:.*]] = arith.shrui %[[BITS]], %[[C7]] : i32
// CHECK:         %[[SIGN:.*]] = arith.shli %[[S]], %[[C31]] : i32
// CHECK:         %[[R:.*]] = arith.ori %[[ABS]], %[[SIGN]] : i32
// CHECK:         %[[F:.*]] = arith.bitcast %[[R]] : i32 to f32
// CHECK:         return %[[F]] : f32
func.func @extf_f8E4M3FN_to_f32(%x: f8E4M3FN) -> f32 {
  %q = arith.extf %x : f8E4M3FN to f32
  return %q : f32
}

// -----

// E5M2: 2 mantissa bits (shift 21), bias 15 (-112), overflow to infinity
// (0x7C) past 0x7B, NaN 0x7E.
// CHECK-LABEL: func.func @truncf_f32_to_f8E5M2(
// CHECK-DAG:     arith.constant 21 : i32
// CHECK-DAG:     %[[REBIAS:.*]] = arith.constant -112 : i32
// CHECK-DAG:     %[[MAXFINITE:.*]] = arith.constant 123 : i32
// CHECK-DAG:     %[[INF:.*]] = arith.constant 124 : i32
// CHECK-DAG:     %[[QNAN:.*]] = arith.constant 126 : i32
// CHECK:         arith.addi %{{.*}}, %[[REBIAS]] : i32
// CHECK:         %[[OVER:.*]] = arith.cmpi ugt, %[[PACKED:.*]], %[[MAXFINITE]] : i32
// CHECK:         arith.select %[[OVER]], %[[INF]], %[[PACKED]] : i32
// CHECK:         arith.ori %[[QNAN]], %{{.*}} : i32
// CHECK:         arith.trunci %{{.*}} : i32 to i8
// CHECK:         arith.bitcast %{{.*}} : i8 to f8E5M2
func.func @truncf_f32_to_f8E5M2(%x: f32) -> f8E5M2 {
  %q = arith.truncf %x : f32 to f8E5M2
  return %q : f8E5M2
}

// -----

// E5M2 decode: infinity (0x7C) and NaN (above it) are told apart.
// CHECK-LABEL: func.func @extf_f8E5M2_to_f32(
// CHECK-DAG:     %[[INF:.*]] = arith.constant 124 : i32
// CHECK-DAG:     %[[F32INF:.*]] = arith.constant 2139095040 : i32
// CHECK-DAG:     %[[QNAN:.*]] = arith.constant 2143289344 : i32
// CHECK-DAG:     arith.constant 1.52587891E-5 : f32
// CHECK:         %[[ISINF:.*]] = arith.cmpi eq, %[[MAG:.*]], %[[INF]] : i32
// CHECK:         arith.select %[[ISINF]], %[[F32INF]], %{{.*}} : i32
// CHECK:         %[[ISNAN:.*]] = arith.cmpi ugt, %[[MAG]], %[[INF]] : i32
// CHECK:         arith.select %[[ISNAN]], %[[QNAN]], %{{.*}} : i32
func.func @extf_f8E5M2_to_f32(%x: f8E5M2) -> f32 {
  %q = arith.extf %x : f8E5M2 to f32
  return %q : f32
}

// -----

// E8M0: no mantissa bits (shift 23), the f32 bias (no rebias add), unsigned:
// negative nonzero inputs and zero give the NaN 0xFF.
// CHECK-LABEL: func.func @truncf_f32_to_f8E8M0FNU(
// CHECK-SAME:      %[[X:.*]]: f32)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : i32
// CHECK-DAG:     %[[MAXFINITE:.*]] = arith.constant 254 : i32
// CHECK-DAG:     %[[NAN:.*]] = arith.constant 255 : i32
// CHECK:         %[[BITS:.*]] = arith.bitcast %[[X]] : f32 to i32
// CHECK:         %[[NEG:.*]] = arith.cmpi slt, %[[BITS]], %[[C0]] : i32
// CHECK:         %[[OVER:.*]] = arith.cmpi ugt, %[[PACKED:.*]], %[[MAXFINITE]] : i32
// CHECK:         arith.select %[[OVER]], %[[NAN]], %[[PACKED]] : i32
// CHECK:         %[[NONZERO:.*]] = arith.cmpi ne, %[[MAG:.*]], %[[C0]] : i32
// CHECK:         %[[NEGNZ:.*]] = arith.andi %[[NEG]], %[[NONZERO]] : i1
// CHECK:         %[[BAD:.*]] = arith.ori %{{.*}}, %[[NEGNZ]] : i1
// CHECK:         %[[ZERO:.*]] = arith.cmpi eq, %[[MAG]], %[[C0]] : i32
// CHECK:         %[[TONAN:.*]] = arith.ori %[[BAD]], %[[ZERO]] : i1
// CHECK:         arith.select %[[TONAN]]
// CHECK:         arith.bitcast %{{.*}} : i8 to f8E8M0FNU
func.func @truncf_f32_to_f8E8M0FNU(%x: f32) -> f8E8M0FNU {
  %q = arith.truncf %x : f32 to f8E8M0FNU
  return %q : f8E8M0FNU
}

// -----

// E8M0 decode: 0x00 (2^-127) is below f32's normal range, so the significand
// is shifted into f32's subnormal encoding; 0xFF is NaN; no sign.
// CHECK-LABEL: func.func @extf_f8E8M0FNU_to_f32(
// CHECK-DAG:     %[[NAN:.*]] = arith.constant 255 : i32
// CHECK-DAG:     %[[QNAN:.*]] = arith.constant 2143289344 : i32
// CHECK:         %[[D:.*]] = arith.subi %[[C1:.*]], %{{.*}} : i32
// CHECK:         %[[BELOW:.*]] = arith.maxsi %[[D]], %{{.*}} : i32
// CHECK:         arith.shrui %{{.*}}, %[[BELOW]] : i32
// CHECK:         %[[ISNAN:.*]] = arith.cmpi eq, %{{.*}}, %[[NAN]] : i32
// CHECK:         %[[R:.*]] = arith.select %[[ISNAN]], %[[QNAN]], %{{.*}} : i32
// CHECK-NEXT:    arith.bitcast %[[R]] : i32 to f32
func.func @extf_f8E8M0FNU_to_f32(%x: f8E8M0FNU) -> f32 {
  %q = arith.extf %x : f8E8M0FNU to f32
  return %q : f32
}

// -----

// FP6/FP4 saturate (no infinity, no NaN): the overflow value is the largest
// finite one, and NaN gives the zero of the NaN's sign (as APFloat folds it):
// the sign bit alone.
// CHECK-LABEL: func.func @truncf_f32_to_f6E2M3FN(
// CHECK-DAG:     %[[MAX:.*]] = arith.constant 31 : i32
// CHECK-DAG:     %[[C5:.*]] = arith.constant 5 : i32
// CHECK-DAG:     arith.constant -126 : i32
// CHECK:         %[[S:.*]] = arith.shrui %{{.*}}, %{{.*}} : i32
// CHECK:         %[[SIGN:.*]] = arith.shli %[[S]], %[[C5]] : i32
// CHECK:         %[[ISNAN:.*]] = arith.cmpi ugt
// CHECK:         %[[OVER:.*]] = arith.cmpi ugt, %[[PACKED:.*]], %[[MAX]] : i32
// CHECK:         arith.select %[[OVER]], %[[MAX]], %[[PACKED]] : i32
// CHECK:         arith.select %[[ISNAN]], %[[SIGN]], %{{.*}} : i32
// CHECK:         arith.trunci %{{.*}} : i32 to i6
// CHECK:         arith.bitcast %{{.*}} : i6 to f6E2M3FN
func.func @truncf_f32_to_f6E2M3FN(%x: f32) -> f6E2M3FN {
  %q = arith.truncf %x : f32 to f6E2M3FN
  return %q : f6E2M3FN
}

// -----

// CHECK-LABEL: func.func @truncf_f32_to_f6E3M2FN(
// CHECK-DAG:     %[[MAX:.*]] = arith.constant 31 : i32
// CHECK-DAG:     arith.constant -124 : i32
// CHECK:         %[[OVER:.*]] = arith.cmpi ugt, %[[PACKED:.*]], %[[MAX]] : i32
// CHECK:         arith.select %[[OVER]], %[[MAX]], %[[PACKED]] : i32
// CHECK:         arith.bitcast %{{.*}} : i6 to f6E3M2FN
func.func @truncf_f32_to_f6E3M2FN(%x: f32) -> f6E3M2FN {
  %q = arith.truncf %x : f32 to f6E3M2FN
  return %q : f6E3M2FN
}

// -----

// CHECK-LABEL: func.func @truncf_f32_to_f4E2M1FN(
// CHECK-DAG:     %[[MAX:.*]] = arith.constant 7 : i32
// CHECK-DAG:     %[[C3:.*]] = arith.constant 3 : i32
// CHECK-DAG:     arith.constant 22 : i32
// CHECK:         %[[SIGN:.*]] = arith.shli %{{.*}}, %[[C3]] : i32
// CHECK:         %[[ISNAN:.*]] = arith.cmpi ugt
// CHECK:         %[[OVER:.*]] = arith.cmpi ugt, %[[PACKED:.*]], %[[MAX]] : i32
// CHECK:         arith.select %[[OVER]], %[[MAX]], %[[PACKED]] : i32
// CHECK:         arith.select %[[ISNAN]], %[[SIGN]], %{{.*}} : i32
// CHECK:         arith.trunci %{{.*}} : i32 to i4
// CHECK:         arith.bitcast %{{.*}} : i4 to f4E2M1FN
func.func @truncf_f32_to_f4E2M1FN(%x: f32) -> f4E2M1FN {
  %q = arith.truncf %x : f32 to f4E2M1FN
  return %q : f4E2M1FN
}

// -----

// FP6/FP4 decode: no NaN or infinity checks.
// CHECK-LABEL: func.func @extf_f6E3M2FN_to_f32(
// CHECK-NOT:     arith.constant 2143289344
// CHECK:         arith.bitcast %{{.*}} : f6E3M2FN to i6
// CHECK:         arith.extui %{{.*}} : i6 to i32
// CHECK:         arith.bitcast %{{.*}} : i32 to f32
// CHECK-NEXT:    return
func.func @extf_f6E3M2FN_to_f32(%x: f6E3M2FN) -> f32 {
  %q = arith.extf %x : f6E3M2FN to f32
  return %q : f32
}

// -----

// CHECK-LABEL: func.func @extf_f4E2M1FN_to_f32(
// CHECK-NOT:     arith.constant 2143289344
// CHECK:         %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-NOT:     arith.constant 2143289344
// CHECK:         arith.bitcast %{{.*}} : f4E2M1FN to i4
// CHECK:         arith.mulf %{{.*}}, %[[HALF]] : f32
// CHECK:         return
func.func @extf_f4E2M1FN_to_f32(%x: f4E2M1FN) -> f32 {
  %q = arith.extf %x : f4E2M1FN to f32
  return %q : f32
}

// -----

// f16 and bf16 sources are decoded to f32 by integer code (exact, and no
// native extension, which needs F16C or a library call), then rounded once.
// CHECK-LABEL: func.func @truncf_f16_to_f8E5M2(
// CHECK-SAME:      %[[X:.*]]: f16)
// CHECK-NOT:     arith.extf
// CHECK:         %[[B:.*]] = arith.bitcast %[[X]] : f16 to i16
// CHECK:         arith.extui %[[B]] : i16 to i32
// CHECK:         %[[W:.*]] = arith.bitcast %{{.*}} : i32 to f32
// CHECK:         arith.bitcast %[[W]] : f32 to i32
// CHECK:         arith.bitcast %{{.*}} : i8 to f8E5M2
func.func @truncf_f16_to_f8E5M2(%x: f16) -> f8E5M2 {
  %q = arith.truncf %x : f16 to f8E5M2
  return %q : f8E5M2
}

// -----

// CHECK-LABEL: func.func @truncf_bf16_to_f8E8M0FNU(
// CHECK-SAME:      %[[X:.*]]: bf16)
// CHECK-NOT:     arith.extf
// CHECK:         %[[B:.*]] = arith.bitcast %[[X]] : bf16 to i16
// CHECK:         arith.extui %[[B]] : i16 to i32
// CHECK:         arith.bitcast %{{.*}} : i8 to f8E8M0FNU
func.func @truncf_bf16_to_f8E8M0FNU(%x: bf16) -> f8E8M0FNU {
  %q = arith.truncf %x : bf16 to f8E8M0FNU
  return %q : f8E8M0FNU
}

// -----

// Narrow to f16/bf16: decode to f32, then one rounding to the f16 layout in
// integer code (f16: 10 mantissa bits, shift 13, max 0x7BFF, inf 0x7C00).
// CHECK-LABEL: func.func @extf_f8E8M0FNU_to_f16(
// CHECK-DAG:     arith.constant 13 : i32
// CHECK-DAG:     %[[MAX:.*]] = arith.constant 31743 : i32
// CHECK-DAG:     %[[INF:.*]] = arith.constant 31744 : i32
// CHECK:         %[[F:.*]] = arith.bitcast %{{.*}} : i32 to f32
// CHECK:         arith.bitcast %[[F]] : f32 to i32
// CHECK:         %[[OVER:.*]] = arith.cmpi ugt, %[[PACKED:.*]], %[[MAX]] : i32
// CHECK:         arith.select %[[OVER]], %[[INF]], %[[PACKED]] : i32
// CHECK:         arith.trunci %{{.*}} : i32 to i16
// CHECK:         arith.bitcast %{{.*}} : i16 to f16
func.func @extf_f8E8M0FNU_to_f16(%x: f8E8M0FNU) -> f16 {
  %q = arith.extf %x : f8E8M0FNU to f16
  return %q : f16
}

// -----

// CHECK-LABEL: func.func @extf_f8E4M3FN_to_bf16(
// CHECK-DAG:     arith.constant 16 : i32
// CHECK-DAG:     arith.constant 32639 : i32
// CHECK:         arith.bitcast %{{.*}} : f8E4M3FN to i8
// CHECK:         arith.trunci %{{.*}} : i32 to i16
// CHECK:         arith.bitcast %{{.*}} : i16 to bf16
func.func @extf_f8E4M3FN_to_bf16(%x: f8E4M3FN) -> bf16 {
  %q = arith.extf %x : f8E4M3FN to bf16
  return %q : bf16
}

// -----

// Narrow to narrow: decode, then encode.
// CHECK-LABEL: func.func @truncf_f8E5M2_to_f4E2M1FN(
// CHECK:         arith.bitcast %{{.*}} : f8E5M2 to i8
// CHECK:         arith.bitcast %{{.*}} : i32 to f32
// CHECK:         arith.bitcast %{{.*}} : f32 to i32
// CHECK:         arith.bitcast %{{.*}} : i4 to f4E2M1FN
func.func @truncf_f8E5M2_to_f4E2M1FN(%x: f8E5M2) -> f4E2M1FN {
  %q = arith.truncf %x : f8E5M2 to f4E2M1FN
  return %q : f4E2M1FN
}

// -----

// Vectors: the same ops on the same shape, with splat constants.
// CHECK-LABEL: func.func @truncf_vector_bf16_to_f4E2M1FN(
// CHECK-SAME:      %[[X:.*]]: vector<4x2xbf16>) -> vector<4x2xf4E2M1FN>
// CHECK-DAG:     arith.constant dense<7> : vector<4x2xi32>
// CHECK-DAG:     arith.constant dense<2139095040> : vector<4x2xi32>
// CHECK:         %[[B:.*]] = arith.bitcast %[[X]] : vector<4x2xbf16> to vector<4x2xi16>
// CHECK:         arith.extui %[[B]] : vector<4x2xi16> to vector<4x2xi32>
// CHECK:         arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<4x2xi1>, vector<4x2xi32>
// CHECK:         %[[T:.*]] = arith.trunci %{{.*}} : vector<4x2xi32> to vector<4x2xi4>
// CHECK:         %[[Q:.*]] = arith.bitcast %[[T]] : vector<4x2xi4> to vector<4x2xf4E2M1FN>
// CHECK:         return %[[Q]]
func.func @truncf_vector_bf16_to_f4E2M1FN(%x: vector<4x2xbf16>)
    -> vector<4x2xf4E2M1FN> {
  %q = arith.truncf %x : vector<4x2xbf16> to vector<4x2xf4E2M1FN>
  return %q : vector<4x2xf4E2M1FN>
}

// -----

// CHECK-LABEL: func.func @extf_vector_f8E8M0FNU_to_f32(
// CHECK:         arith.bitcast %{{.*}} : vector<8xf8E8M0FNU> to vector<8xi8>
// CHECK:         arith.extui %{{.*}} : vector<8xi8> to vector<8xi32>
// CHECK:         arith.bitcast %{{.*}} : vector<8xi32> to vector<8xf32>
func.func @extf_vector_f8E8M0FNU_to_f32(%x: vector<8xf8E8M0FNU>)
    -> vector<8xf32> {
  %q = arith.extf %x : vector<8xf8E8M0FNU> to vector<8xf32>
  return %q : vector<8xf32>
}

// -----

// Tensors (static or dynamic): one linalg.generic casting element by element,
// its body expanded like a scalar cast.
// CHECK-LABEL: func.func @truncf_tensor_f32_to_f8E4M3FN(
// CHECK-SAME:      %[[X:.*]]: tensor<?x16xf32>) -> tensor<?x16xf8E4M3FN>
// CHECK:         %[[C0:.*]] = arith.constant 0 : index
// CHECK:         %[[N:.*]] = tensor.dim %[[X]], %[[C0]] : tensor<?x16xf32>
// CHECK:         %[[INIT:.*]] = tensor.empty(%[[N]]) : tensor<?x16xf8E4M3FN>
// CHECK:         %[[R:.*]] = linalg.generic
// CHECK-SAME:        iterator_types = ["parallel", "parallel"]
// CHECK-SAME:        ins(%[[X]] : tensor<?x16xf32>) outs(%[[INIT]] : tensor<?x16xf8E4M3FN>)
// CHECK:         ^bb0(%[[IN:.*]]: f32, %{{.*}}: f8E4M3FN):
// CHECK:           arith.bitcast %[[IN]] : f32 to i32
// CHECK:           %[[E:.*]] = arith.bitcast %{{.*}} : i8 to f8E4M3FN
// CHECK:           linalg.yield %[[E]] : f8E4M3FN
// CHECK:         return %[[R]]
func.func @truncf_tensor_f32_to_f8E4M3FN(%x: tensor<?x16xf32>)
    -> tensor<?x16xf8E4M3FN> {
  %q = arith.truncf %x : tensor<?x16xf32> to tensor<?x16xf8E4M3FN>
  return %q : tensor<?x16xf8E4M3FN>
}

// -----

// CHECK-LABEL: func.func @extf_tensor_f4E2M1FN_to_f16(
// CHECK:         %[[INIT:.*]] = tensor.empty() : tensor<f16>
// CHECK:         linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = []}
// CHECK-SAME:        ins(%{{.*}} : tensor<f4E2M1FN>) outs(%[[INIT]] : tensor<f16>)
// CHECK:           arith.bitcast %{{.*}} : i16 to f16
func.func @extf_tensor_f4E2M1FN_to_f16(%x: tensor<f4E2M1FN>) -> tensor<f16> {
  %q = arith.extf %x : tensor<f4E2M1FN> to tensor<f16>
  return %q : tensor<f16>
}

// -----

// The saturating cast is a clamp then a plain truncf: the clamp stays, the
// truncf is expanded.
// CHECK-LABEL: func.func @saturating_truncf(
// CHECK-SAME:      %[[X:.*]]: f32)
// CHECK:         %[[LO:.*]] = arith.maximumf %[[X]], %{{.*}} : f32
// CHECK:         %[[C:.*]] = arith.minimumf %[[LO]], %{{.*}} : f32
// CHECK:         arith.bitcast %[[C]] : f32 to i32
// CHECK:         arith.bitcast %{{.*}} : i8 to f8E4M3FN
func.func @saturating_truncf(%x: f32) -> f8E4M3FN {
  %max = arith.constant 448.0 : f32
  %neg_max = arith.constant -448.0 : f32
  %lo = arith.maximumf %x, %neg_max : f32
  %c = arith.minimumf %lo, %max : f32
  %q = arith.truncf %c : f32 to f8E4M3FN
  return %q : f8E4M3FN
}

// -----

// An explicit to_nearest_even is the default, and is expanded.
// CHECK-LABEL: func.func @truncf_explicit_rne(
// CHECK:         arith.bitcast %{{.*}} : i8 to f8E5M2
func.func @truncf_explicit_rne(%x: f32) -> f8E5M2 {
  %q = arith.truncf %x to_nearest_even : f32 to f8E5M2
  return %q : f8E5M2
}

// -----

// Constant operands are not folded by the pass: the cast is expanded like any
// other (and gives what APFloat would fold it to, +0; see test_folding.py).
// CHECK-LABEL: func.func @constant_nan_to_f4E2M1FN(
// CHECK:         %[[NAN:.*]] = arith.constant 0x7FC00000 : f32
// CHECK:         arith.bitcast %[[NAN]] : f32 to i32
// CHECK:         arith.bitcast %{{.*}} : i4 to f4E2M1FN
func.func @constant_nan_to_f4E2M1FN() -> f4E2M1FN {
  %nan = arith.constant 0x7FC00000 : f32
  %q = arith.truncf %nan : f32 to f4E2M1FN
  return %q : f4E2M1FN
}

// -----

// f16 and bf16 casts from and to f32 are expanded too: LLVM lowers them to
// library calls on CPUs without F16C or AVX512-BF16, which a JIT cannot
// resolve. (test/Integration/CPU/generic-cpu.mlir runs them on such a CPU.)
// CHECK-LABEL: func.func @half_casts(
// CHECK-NOT:     arith.truncf
// CHECK-NOT:     arith.extf
// CHECK:         arith.bitcast %{{.*}} : i16 to bf16
// CHECK:         arith.bitcast %{{.*}} : f16 to i16
// CHECK:         return
func.func @half_casts(%x: f32, %y: f16) -> (bf16, f32) {
  %a = arith.truncf %x : f32 to bf16
  %b = arith.extf %y : f16 to f32
  return %a, %b : bf16, f32
}

// -----

// An f64 source is rounded to f32 with round-to-odd (one ulp back towards
// the value when the nearest rounding was inexact and gave an even last
// bit), so that the final rounding is the only one that counts.
// CHECK-LABEL: func.func @truncf_f64_to_bf16(
// CHECK-SAME:      %[[X:.*]]: f64)
// CHECK:         %[[N:.*]] = arith.truncf %[[X]] : f64 to f32
// CHECK:         %[[BACK:.*]] = arith.extf %[[N]] : f32 to f64
// CHECK:         %[[INEXACT:.*]] = arith.cmpf one, %[[BACK]], %[[X]] : f64
// CHECK:         arith.bitcast %[[N]] : f32 to i32
// CHECK:         arith.andi %[[INEXACT]], %{{.*}} : i1
// CHECK:         arith.bitcast %{{.*}} : i16 to bf16
func.func @truncf_f64_to_bf16(%x: f64) -> bf16 {
  %a = arith.truncf %x : f64 to bf16
  return %a : bf16
}

// -----

// Casts between f32 and f64, and to f16/bf16 with an explicit rounding mode
// other than to-nearest-even, are left to LLVM.
// CHECK-LABEL: func.func @casts_untouched(
// CHECK:         arith.truncf %{{.*}} : f64 to f32
// CHECK:         arith.extf %{{.*}} : f32 to f64
// CHECK:         arith.truncf %{{.*}} toward_zero : f32 to bf16
func.func @casts_untouched(%x: f64, %y: f32) -> (f32, f64, bf16) {
  %a = arith.truncf %x : f64 to f32
  %b = arith.extf %y : f32 to f64
  %c = arith.truncf %y toward_zero : f32 to bf16
  return %a, %b, %c : f32, f64, bf16
}
