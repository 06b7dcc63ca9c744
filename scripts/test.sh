#!/usr/bin/env bash
# Set up, build and run every test tier of fp8-mlir:
#   1-2, 4. lit (check-fp8): dialect/pass tests, CPU integration, PTX (ptxas)
#   3, 5.   pytest: numerics against ml_dtypes/numpy; GPU tests skip without one
# Usage: scripts/test.sh [--slow]   (--slow also runs tests marked slow)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
venv="${FP8_VENV:-$root/build/venv}"

"$root/scripts/setup.sh"
"$root/scripts/build.sh"

echo "== docs: docs/generated matches the TableGen descriptions"
docs_status=0
"$root/scripts/gen-docs.sh" --check || docs_status=$?

echo "== lit: check-fp8"
lit_status=0
/usr/lib/llvm-22/bin/lit -sv "$build/test" || lit_status=$?

echo "== downstream: installed package + examples/downstream-opt"
downstream_status=0
"$root/scripts/test-downstream.sh" || downstream_status=$?

echo "== pytest: python/tests"
pytest_args=(-q -ra)
[ "${1:-}" = "--slow" ] || pytest_args+=(-m "not slow")
pytest_status=0
if compgen -G "$root/python/tests/test_*.py" >/dev/null; then
  (cd "$root/python" && FP8_BUILD_DIR="$build" PYTHONPATH="$build/python_packages" \
     "$venv/bin/python" -m pytest \
     "${pytest_args[@]}" tests) || pytest_status=$?
else
  echo "no pytest files"
fi

if [ "$lit_status" -ne 0 ] || [ "$pytest_status" -ne 0 ] || [ "$docs_status" -ne 0 ] || [ "$downstream_status" -ne 0 ]; then
  echo "FAILED: lit exit $lit_status, pytest exit $pytest_status, docs $docs_status, downstream $downstream_status"
  exit 1
fi
echo "all tests passed"
