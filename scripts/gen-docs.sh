#!/usr/bin/env bash
# Regenerate the dialect and pass reference pages in docs/ from TableGen.
# Usage: scripts/gen-docs.sh [--check]   (--check: fail if docs/ is stale)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
cmake --build "$build" --target mlir-doc >/dev/null

status=0
for page in $(cd "$build/docs" && find . -name '*.md' | sort); do
  src="$build/docs/$page"
  dst="$root/docs/generated/$page"
  if [ "${1:-}" = "--check" ]; then
    if ! cmp -s "$src" "$dst"; then
      echo "docs/generated/${page#./} is stale: run scripts/gen-docs.sh"
      status=1
    fi
  else
    mkdir -p "$(dirname "$dst")"
    cp "$src" "$dst"
    echo "wrote docs/generated/${page#./}"
  fi
done
exit $status
