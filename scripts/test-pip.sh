#!/usr/bin/env bash
# `pip install .` into a fresh venv (scikit-build-core builds the fp8_mlir
# extension; ccache makes it reuse scripts/build.sh's objects), then run the
# binding tests against the installed package instead of the build tree.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
venv="$build/pip-venv"

rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q pytest
(cd "$root" && CCACHE_BASEDIR="$root" "$venv/bin/pip" install -q .)
cd "$root/python"
"$venv/bin/python" -c "import fp8_mlir, sys; print('installed:', fp8_mlir.__file__)"
"$venv/bin/python" -m pytest -q -p no:cacheprovider tests/test_bindings.py
