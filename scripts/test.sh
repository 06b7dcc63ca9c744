#!/usr/bin/env bash
# Set up, build and run every test tier of fp8-mlir:
#   lit (check-fp8): dialect and pass tests, CPU integration, PTX (ptxas),
#                    the C API
#   the installed CMake package with examples/downstream-opt
#   pip install . with the binding tests against the installed package
#   pytest: numerics against ml_dtypes/numpy, bindings, README example;
#           GPU tests skip without a GPU
# Usage: scripts/test.sh [--slow]   (--slow also runs tests marked slow)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
venv="${FP8_VENV:-$root/build/venv}"

"$root/scripts/setup.sh"
"$root/scripts/build.sh"

failed=()
step() {
  local name=$1
  shift
  echo "== $name"
  "$@" || failed+=("$name")
}

pytest_args=(-q -ra)
[ "${1:-}" = "--slow" ] || pytest_args+=(-m "not slow")
run_pytest() (
  cd "$root/python" && FP8_BUILD_DIR="$build" PYTHONPATH="$build/python_packages" \
    "$venv/bin/python" -m pytest "${pytest_args[@]}" tests
)

step "docs: docs/generated matches TableGen" "$root/scripts/gen-docs.sh" --check
step "lit: check-fp8" /usr/lib/llvm-22/bin/lit -sv "$build/test"
step "downstream: installed package + examples/downstream-opt" \
  "$root/scripts/test-downstream.sh"
step "pip: pip install . + binding tests" "$root/scripts/test-pip.sh"
step "pytest: python/tests" run_pytest

if [ ${#failed[@]} -ne 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "all test steps passed"
