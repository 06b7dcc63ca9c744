#!/usr/bin/env bash
# Set up, build and run every test tier of fp8-mlir:
#   lit (check-fp8): dialect and pass tests, CPU integration, PTX (ptxas),
#                    the C API
#   the installed CMake package with examples/downstream-opt
#   pip install . with the binding tests against the installed package
#   pytest: numerics against ml_dtypes/numpy, bindings, README example;
#           GPU tests skip without a GPU
#   device run, dry: bench/gpu/prepare-device.sh generates the kernels a GPU
#         machine gets, bench/gpu/device-run.sh validates them (and runs
#         them where a GPU is usable)
#   fuzz: a short seeded run of scripts/fuzz.py (0 crashes, 0 hangs)
# Usage: scripts/test.sh [--slow] [--sanitize]
#   --slow      also run the pytest tests marked slow
#   --sanitize  instead: build with ASan+UBSan (build-asan/) and run the lit
#               and pytest suites with it (scripts/sanitize.sh)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
venv="${FP8_VENV:-$root/build/venv}"

slow=0
sanitize=0
for arg in "$@"; do
  case "$arg" in
    --slow) slow=1 ;;
    --sanitize) sanitize=1 ;;
    *) echo "usage: $0 [--slow] [--sanitize]" >&2; exit 2 ;;
  esac
done

"$root/scripts/setup.sh" --torch
if [ $sanitize -eq 1 ]; then
  exec "$root/scripts/sanitize.sh"
fi
"$root/scripts/build.sh"

failed=()
step() {
  local name=$1
  shift
  echo "== $name"
  "$@" || failed+=("$name")
}

pytest_args=(-q -ra)
[ $slow -eq 1 ] || pytest_args+=(-m "not slow")
run_pytest() (
  cd "$root/python" && FP8_BUILD_DIR="$build" PYTHONPATH="$build/python_packages" \
    "$venv/bin/python" -m pytest "${pytest_args[@]}" tests
)

device_run() (
  out="$build/device-run-dry"
  rm -rf "$out"
  BUILD_DIR="$build" FP8_VENV="$venv" "$root/bench/gpu/prepare-device.sh" \
    > "$build/prepare-device.log"
  env -u PYTHONPATH PATH="$venv/bin:$PATH" OUT="$out" \
    "$root/bench/gpu/device-run.sh"
)

step "docs: docs/generated matches TableGen" "$root/scripts/gen-docs.sh" --check
step "lit: check-fp8" /usr/lib/llvm-22/bin/lit -sv "$build/test"
step "downstream: installed package + examples/downstream-opt" \
  "$root/scripts/test-downstream.sh"
step "pip: pip install . + binding tests" "$root/scripts/test-pip.sh"
step "pytest: python/tests" run_pytest
step "device run, dry: prepare-device.sh + device-run.sh" device_run
# 120 mutants of the project's own IR through every pipeline (about a
# minute); the 10-minute campaign is bench/fuzz/README.md's.
step "fuzz: 120 seeded mutants, 0 crashes and hangs" \
  "$venv/bin/python" "$root/scripts/fuzz.py" --seed 1 --runs 120 --jobs 2 \
  --tools "$build/bin" --out "$build/fuzz-ci"

if [ ${#failed[@]} -ne 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "all test steps passed"
