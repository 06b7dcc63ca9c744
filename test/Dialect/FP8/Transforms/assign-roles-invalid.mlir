// fp8-assign-roles rejects malformed explicit roles at their op.
// RUN: fp8-opt %s -split-input-file --fp8-assign-roles -verify-diagnostics

func.func @op_role(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{expected 'fp8.role' to be a #fp8.role<activation|weight|gradient>, found "weight"}}
  %y = arith.negf %x {fp8.role = "weight"} : tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}

// -----

// expected-error @+1 {{expected 'fp8.role' of argument 1 to be a #fp8.role<activation|weight|gradient>, found 1 : i32}}
func.func @arg_role(%x: tensor<4x4xf32>, %w: tensor<4x4xf32> {fp8.role = 1 : i32}) {
  return
}

// -----

func.func @matmul_roles(%x: tensor<4x4xf32>, %w: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{expected 'fp8.roles' to be an array of two #fp8.role (operands A and B), found [#fp8.role<weight>]}}
  %y = linalg.matmul {fp8.roles = [#fp8.role<weight>]}
      ins(%x, %w : tensor<4x4xf32>, tensor<4x4xf32>)
      outs(%x : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}
