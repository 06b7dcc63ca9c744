#!/usr/bin/env bash
# Install what fp8-mlir needs on a fresh Debian 12 machine, idempotently:
# LLVM/MLIR 22 from Debian's packages, clang, ninja, ccache, and a Python venv
# under build/venv with the pinned packages of python/requirements.txt.
# Usage: scripts/setup.sh [--torch]
#   --torch  also install python/requirements-torch.txt (PyTorch, torchao,
#            torch-mlir; about 5 GB): the tests that compare against them or
#            export from PyTorch need it and report skipped without it.
set -euo pipefail
torch=0
for arg in "$@"; do
  case "$arg" in
    --torch) torch=1 ;;
    *) echo "usage: $0 [--torch]" >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${FP8_VENV:-$root/build/venv}"

packages=(llvm-22-dev libmlir-22-dev mlir-22-tools clang-22 ninja-build ccache
          cmake python3-venv)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi

# Python venv for the numerics tests, benchmarks and bindings.
python="${FP8_BASE_PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv"
fi
req="$root/python/requirements.txt"
stamp="$venv/.requirements.stamp"
if [ ! -f "$stamp" ] || ! cmp -s "$req" "$stamp"; then
  # Exactly the pinned versions (pip itself among them).
  "$venv/bin/pip" install -q -r "$req"
  cp "$req" "$stamp"
fi
if [ $torch -eq 1 ]; then
  treq="$root/python/requirements-torch.txt"
  tstamp="$venv/.requirements-torch.stamp"
  if [ ! -f "$tstamp" ] || ! cat "$req" "$treq" | cmp -s - "$tstamp"; then
    "$venv/bin/pip" install -q -r "$treq" -c "$req"
    cat "$req" "$treq" > "$tstamp"
  fi
fi
echo "setup: ok ($(/usr/lib/llvm-22/bin/mlir-opt --version | grep -o 'LLVM version [0-9.]*'))"
