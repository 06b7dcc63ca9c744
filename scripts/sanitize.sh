#!/usr/bin/env bash
# Build fp8-mlir with AddressSanitizer + UndefinedBehaviorSanitizer into
# build-asan/ and run the lit suite, then the pytest suite, with it.
#
# Usage: scripts/sanitize.sh [--lit-only] [--fuzz SECONDS]
#   --lit-only      skip pytest
#   --fuzz SECONDS  also run scripts/fuzz.py --sanitized for that long
# Env:   SANITIZE_BUILD_DIR (default: build-asan), FP8_VENV (default: build/venv)
#
# Only fp8-mlir's own code is instrumented (-DFP8_SANITIZE=address,undefined,
# handled in CMakeLists.txt); libMLIR.so and libLLVM.so are Debian's. Our
# tools link ASan's shared runtime; Python gets the same runtime through
# LD_PRELOAD, so the extension and the tools that pytest starts share it.
#
# Runtime options (exported; lit passes ASAN_OPTIONS/UBSAN_OPTIONS through):
#   halt_on_error=1, abort_on_error=1: the first report kills the process
#     with SIGABRT. With ASan's default exit code (1) a report would look like
#     an expected failure to `not fp8-opt ...` RUN lines; SIGABRT does not.
#   UBSan print_stacktrace=1: a stack with file:line for every report.
#   allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons fresh slabs
#     and unpoisons each allocation in inline header code. Our instrumented
#     code and the uninstrumented libMLIR.so share allocators (the context's
#     attribute and type storage), so a slab poisoned by our copy of the
#     inline code is handed out by libMLIR's copy without the unpoisoning,
#     and ASan reports use-after-poison on valid memory (seen on
#     #fp8.recipe storage). Real heap errors are still found: ASan's own
#     redzones and quarantine do not depend on this.
#   LeakSanitizer stays on for the tools: lit fails on a leak in our code
#     (LLVM and MLIR free what they allocate in these tools, so there is no
#     upstream noise). pytest runs with detect_leaks=0: CPython does not
#     free everything at exit, and LSan would report that in every run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SANITIZE_BUILD_DIR:-$root/build-asan}"
venv="${FP8_VENV:-$root/build/venv}"
llvm=/usr/lib/llvm-22

lit_only=0
fuzz_time=""
while [ $# -gt 0 ]; do
  case "$1" in
    --lit-only) lit_only=1 ;;
    --fuzz) fuzz_time="$2"; shift ;;
    *) echo "usage: $0 [--lit-only] [--fuzz SECONDS]" >&2; exit 2 ;;
  esac
  shift
done

sanitizers=address,undefined
# Configure (or turn the option on in an existing build dir), then build.
if [ -f "$build/CMakeCache.txt" ] &&
   ! grep -q "^FP8_SANITIZE:STRING=$sanitizers\$" "$build/CMakeCache.txt"; then
  cmake -B "$build" -DFP8_SANITIZE="$sanitizers"
fi
BUILD_DIR="$build" "$root/scripts/build.sh" -DFP8_SANITIZE="$sanitizers"

export ASAN_SYMBOLIZER_PATH="$llvm/bin/llvm-symbolizer"
export LLVM_SYMBOLIZER_PATH="$llvm/bin/llvm-symbolizer"
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:allow_user_poisoning=0:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:abort_on_error=1"

failed=()
step() {
  local name=$1
  shift
  echo "== $name"
  "$@" || failed+=("$name")
}

step "lit (ASan+UBSan): check-fp8" "$llvm/bin/lit" -sv "$build/test"

asan_rt="$("$llvm/bin/clang" -print-file-name=libclang_rt.asan-x86_64.so)"
run_pytest() (
  # CPython itself is not leak-clean: detect_leaks=0 (see the header).
  cd "$root/python" &&
    LD_PRELOAD="$asan_rt" ASAN_OPTIONS="${ASAN_OPTIONS/detect_leaks=1/detect_leaks=0}" \
    FP8_BUILD_DIR="$build" \
    PYTHONPATH="$build/python_packages" PYTHONMALLOC=malloc \
    "$venv/bin/python" -m pytest -q -ra -m "not slow" -p no:cacheprovider tests
)
if [ "$lit_only" = 0 ]; then
  step "pytest (ASan+UBSan extension and tools): python/tests" run_pytest
fi

if [ -n "$fuzz_time" ]; then
  step "fuzz (ASan+UBSan): scripts/fuzz.py --sanitized --time $fuzz_time" \
    nice -n 10 "$venv/bin/python" "$root/scripts/fuzz.py" --sanitized \
    --tools "$build/bin" --time "$fuzz_time"
fi

if [ ${#failed[@]} -ne 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "sanitizer steps passed"
