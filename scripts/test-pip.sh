#!/usr/bin/env bash
# `pip install .` into a fresh venv, then run the binding tests against the
# installed package instead of the build tree.
#
# The build reuses scripts/build.sh's objects: scikit-build-core builds in
# build-pip/ (pyproject.toml), a sibling of build/ at the same depth, with
# ccache as the compiler launcher and CCACHE_BASEDIR at the checkout, so every
# object has the same relative paths as in build/ and comes from the cache.
# The build runs without isolation, on the venv's pinned scikit-build-core and
# nanobind (python/requirements.txt), so nanobind's sources too keep one path.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$root/build}"
venv="$build/pip-venv"
req="$root/python/requirements.txt"

rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install -q -r "$req"
launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-C cmake.define.CMAKE_CXX_COMPILER_LAUNCHER=ccache
            -C cmake.define.CMAKE_C_COMPILER_LAUNCHER=ccache)
fi
(cd "$root" && CCACHE_BASEDIR="$root" "$venv/bin/pip" install -q \
   --no-build-isolation -c "$req" "${launcher[@]}" .)
cd "$root/python"
"$venv/bin/python" -c "import fp8_mlir, sys; print('installed:', fp8_mlir.__file__)"
"$venv/bin/python" -m pytest -q -p no:cacheprovider tests/test_bindings.py
