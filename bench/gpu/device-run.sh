#!/usr/bin/env bash
# The one command for a machine with an NVIDIA GPU and no fp8-mlir build
# (the kernels are compiled ahead of time by bench/gpu/prepare-device.sh
# where fp8-mlir is built, into python/tests/gpu_kernels, bench/gpu/kernels
# and bench/gpu/recipes.json, carried here with the source tree): the GPU
# tests against the CPU reference and
# torch._scaled_mm, then the benchmark. Everything lands in $OUT (default
# bench/gpu/results): gpu-tests.log, bench.log, <date>.json, <date>.png,
# nvidia-smi.txt and summary.txt.
#
#   OUT=/some/dir bench/gpu/device-run.sh
#
# Needs python3 with numpy, ml_dtypes, cuda-python (cuda.bindings), pytest;
# torch and matplotlib for the baselines and the plot. Each part has a time
# limit, 4 minutes by default (GPU_TESTS_LIMIT, BENCH_LIMIT: under the 10
# minutes of one device command with room to spare), a hung kernel is also
# caught by the harness's own timeouts, and the second part runs even when
# the first fails.
set -u
cd "$(dirname "$0")/../.."
OUT=${OUT:-bench/gpu/results}
mkdir -p "$OUT"
for prepared in python/tests/gpu_kernels bench/gpu/kernels bench/gpu/recipes.json; do
  if [ ! -e "$prepared" ]; then
    echo "no $prepared: run bench/gpu/prepare-device.sh where fp8-mlir is" \
         "built and carry its outputs here" | tee "$OUT/summary.txt"
    exit 2
  fi
done
export PYTHONUNBUFFERED=1

nvidia-smi > "$OUT/nvidia-smi.txt" 2>&1 || echo "no nvidia-smi" > "$OUT/nvidia-smi.txt"
python3 -c "import numpy, ml_dtypes, cuda.bindings.driver" 2>&1 | tee "$OUT/imports.log"

(cd python && PYTHONPATH=package timeout -k 10 "${GPU_TESTS_LIMIT:-240}" \
   python3 -m pytest -m gpu tests/test_gpu_kernels.py tests/test_gpu_kernels_fp4.py \
     tests/test_gpu_sm100.py -v -s \
     -p no:cacheprovider) \
  > "$OUT/gpu-tests.log" 2>&1
tests=$?
tail -n 5 "$OUT/gpu-tests.log"

# A kernel that hangs or faults ends run.py with exit 3 (its CUDA context is
# lost); run.py then resumes on the same results file in a new process,
# keeping the rows so far, recording the failed case and skipping the rest
# of a failed variant, while BENCH_LIMIT seconds last.
results="$OUT/$(date -u +%Y-%m-%d).json"
end=$((SECONDS + ${BENCH_LIMIT:-240}))
: > "$OUT/bench.log"
resume=""
for attempt in 1 2 3 4 5 6; do
  timeout -k 10 $((end - SECONDS)) python3 bench/gpu/run.py --out "$OUT" \
    --results "$results" $resume >> "$OUT/bench.log" 2>&1
  bench=$?
  resume="--resume"
  [ "$bench" -ne 3 ] || [ $((end - SECONDS)) -lt 30 ] && break
done
grep -E '^\||validated|no GPU|aborting|resuming' "$OUT/bench.log"

{
  echo "gpu tests: exit $tests; benchmark: exit $bench"
  if grep -q "^no GPU" "$OUT/bench.log"; then
    echo "no GPU was usable: nothing ran on a GPU"
  fi
} | tee "$OUT/summary.txt"
[ "$tests" -eq 0 ] && [ "$bench" -eq 0 ]
