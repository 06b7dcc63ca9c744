#!/usr/bin/env python3
"""Write the kernels of an fp8-opt --fp8-gpu-pipeline output to files.

Reads the MLIR that `fp8-opt --fp8-gpu-pipeline="chip=sm_90a"` prints and
writes, into --output-dir:

  <kernel>.ptx     the PTX of each gpu.binary (format=isa), or
  <kernel>.cubin   its cubin (format=bin)
  manifest.json    the kernel manifest recorded by convert-fp8-to-gpu: per
                   kernel its name, grid, block, cluster, dynamic shared
                   memory and parameters (buffers, TMA descriptor specs),
                   plus the file holding its code.

Usage:
  fp8-opt in.mlir --fp8-gpu-pipeline="chip=sm_90a" | extract-ptx.py -o out/
  extract-ptx.py lowered.mlir -o out/

Only the Python standard library is needed.
"""

import argparse
import json
import os
import re
import sys

MANIFEST_ATTR = "fp8.gpu_manifest"


def read_string_literal(text, start):
    """Decodes the MLIR string literal whose opening quote is text[start].

    MLIR prints `\\` as `\\\\`, and `"` and non-printable bytes as `\\XX`
    (two hex digits); everything else is literal. Returns (bytes, end) where
    end is the index after the closing quote.
    """
    assert text[start] == '"'
    out = bytearray()
    i = start + 1
    while True:
        c = text[i]
        if c == '"':
            return bytes(out), i + 1
        if c == "\\":
            nxt = text[i + 1]
            if nxt == "\\":
                out.append(ord("\\"))
                i += 2
            elif nxt in "nt\"'":
                out.extend({"n": b"\n", "t": b"\t", '"': b'"', "'": b"'"}[nxt])
                i += 2
            else:
                out.append(int(text[i + 1:i + 3], 16))
                i += 3
        else:
            out.extend(c.encode("utf-8"))
            i += 1


def find_binaries(text):
    """Yields (module name, kind, payload bytes) for every gpu.binary."""
    for match in re.finditer(r"gpu\.binary\s+@([\w$.-]+)", text):
        name = match.group(1)
        found = re.compile(r'\b(assembly|bin)\s*=\s*"').search(
            text, match.end())
        if not found:
            continue
        kind = found.group(1)
        payload, _ = read_string_literal(text, found.end() - 1)
        yield name, kind, payload


def find_manifest(text):
    match = re.search(re.escape(MANIFEST_ATTR) + r'\s*=\s*"', text)
    if not match:
        return None
    payload, _ = read_string_literal(text, match.end() - 1)
    return json.loads(payload.decode("utf-8"))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", nargs="?", default="-",
                        help="fp8-opt output (default: stdin)")
    parser.add_argument("-o", "--output-dir", required=True)
    args = parser.parse_args(argv)

    text = (sys.stdin.read() if args.input == "-"
            else open(args.input, encoding="utf-8").read())
    os.makedirs(args.output_dir, exist_ok=True)

    files = {}
    for name, kind, payload in find_binaries(text):
        suffix = ".ptx" if kind == "assembly" else ".cubin"
        path = os.path.join(args.output_dir, name + suffix)
        with open(path, "wb") as f:
            f.write(payload)
        files[name] = os.path.basename(path)
        print(path)
    if not files:
        print("extract-ptx.py: no gpu.binary in the input (run "
              "--fp8-gpu-pipeline first)", file=sys.stderr)
        return 1

    manifest = find_manifest(text)
    if manifest is None:
        print("extract-ptx.py: no %s attribute in the input" % MANIFEST_ATTR,
              file=sys.stderr)
        return 1
    for kernel in manifest["kernels"]:
        kernel["file"] = files.get(kernel["module"])
    path = os.path.join(args.output_dir, "manifest.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
