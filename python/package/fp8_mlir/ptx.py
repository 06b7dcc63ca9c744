"""The kernels and their manifest, out of `--fp8-gpu-pipeline` output.

`fp8-opt --fp8-gpu-pipeline` prints MLIR in which every kernel is a
`gpu.binary` holding PTX (`format=isa`) or a cubin (`format=bin`), and the
module attribute `fp8.gpu_manifest` holds the JSON manifest that
`convert-fp8-to-gpu` recorded: per kernel its name, grid, block, cluster,
dynamic shared memory and parameters (see docs/gpu-pipeline.md).

    binaries, manifest = extract(gpu_ir)    # {module: PTX text}, dict
    write(gpu_ir, "out/")                   # out/<kernel>.ptx + manifest.json
    binaries, manifest = read("out/")       # and back (.ptx.gz too)
    text = join(binaries, manifest)         # all modules in one string
    select(text, kernel_name)               # the module of one kernel

Only the Python standard library is used, so that scripts/extract-ptx.py (a
thin command line over this module) and machines without the compiled
extension can use it.
"""

import gzip
import json
import os
import re

__all__ = ["MANIFEST_ATTR", "ExtractError", "extract", "find_binaries",
           "find_manifest", "join", "read", "select", "write"]

#: The module attribute convert-fp8-to-gpu records the manifest in.
MANIFEST_ATTR = "fp8.gpu_manifest"

#: The manifest format version this module reads.
MANIFEST_VERSION = 1


class ExtractError(ValueError):
    """The text holds no kernels or no manifest, or a file is missing."""


def read_string_literal(text, start):
    """Decodes the MLIR string literal whose opening quote is text[start].

    MLIR prints `\\` as `\\\\`, `"` and non-printable bytes as `\\XX` (two
    hex digits); everything else is literal. Returns (bytes, end) where end
    is the index after the closing quote.
    """
    if text[start] != '"':
        raise ValueError(f"no string literal at offset {start}")
    out = bytearray()
    i = start + 1
    escapes = {"n": b"\n", "t": b"\t", '"': b'"', "'": b"'", "\\": b"\\"}
    while True:
        c = text[i]
        if c == '"':
            return bytes(out), i + 1
        if c == "\\":
            nxt = text[i + 1]
            if nxt in escapes:
                out.extend(escapes[nxt])
                i += 2
            else:
                out.append(int(text[i + 1:i + 3], 16))
                i += 3
        else:
            out.extend(c.encode("utf-8"))
            i += 1


def find_binaries(text):
    """Yields (module name, kind, payload bytes) for every gpu.binary; kind
    is "assembly" (PTX) or "bin" (cubin)."""
    payload_start = re.compile(r'\b(assembly|bin)\s*=\s*"')
    for match in re.finditer(r"gpu\.binary\s+@([\w$.-]+)", text):
        found = payload_start.search(text, match.end())
        if not found:
            continue
        payload, _ = read_string_literal(text, found.end() - 1)
        yield match.group(1), found.group(1), payload


def find_manifest(text):
    """The manifest (a dict) recorded in the module, or None."""
    match = re.search(re.escape(MANIFEST_ATTR) + r'\s*=\s*"', text)
    if not match:
        return None
    payload, _ = read_string_literal(text, match.end() - 1)
    return json.loads(payload.decode("utf-8"))


def _file_name(module, kind):
    return module + (".ptx" if kind == "assembly" else ".cubin")


def _extract(text):
    """(binaries {module: (kind, payload bytes)}, manifest) of `text`; each
    manifest kernel gets the `file` name it is written to."""
    binaries = {name: (kind, payload)
                for name, kind, payload in find_binaries(text)}
    if not binaries:
        raise ExtractError("no gpu.binary in the input (run "
                           "--fp8-gpu-pipeline first)")
    manifest = find_manifest(text)
    if manifest is None:
        raise ExtractError(f"no {MANIFEST_ATTR} attribute in the input")
    for kernel in manifest["kernels"]:
        entry = binaries.get(kernel["module"])
        kernel["file"] = _file_name(kernel["module"], entry[0]) if entry else None
    return binaries, manifest


def extract(gpu_ir):
    """The kernels of `gpu_ir` (the output of --fp8-gpu-pipeline, as text).

    Returns ``(binaries, manifest)``: `binaries` maps each kernel's module
    name (the manifest's ``kernel["module"]``) to its PTX text (`str`) or, for
    `format=bin`, its cubin (`bytes`); `manifest` is the manifest dict, each
    kernel with the ``file`` name `write` gives it. Raises ExtractError when
    the text holds no kernel or no manifest.
    """
    binaries, manifest = _extract(gpu_ir)
    return ({name: payload.decode("utf-8") if kind == "assembly" else payload
             for name, (kind, payload) in binaries.items()}, manifest)


def write(gpu_ir, output_dir, compress=False):
    """Writes each kernel of `gpu_ir` to `output_dir`/<kernel>.ptx (or
    .cubin; `compress` gzips them to .ptx.gz / .cubin.gz) and the manifest to
    `output_dir`/manifest.json. Returns the paths written, manifest last."""
    binaries, manifest = _extract(gpu_ir)
    os.makedirs(output_dir, exist_ok=True)
    paths = []
    for name, (kind, payload) in binaries.items():
        path = os.path.join(output_dir, _file_name(name, kind))
        if compress:
            path += ".gz"
            # mtime=0: the same kernels give the same bytes.
            payload = gzip.compress(payload, mtime=0)
        with open(path, "wb") as f:
            f.write(payload)
        paths.append(path)
    if compress:
        for kernel in manifest["kernels"]:
            if kernel["file"]:
                kernel["file"] += ".gz"
    path = os.path.join(output_dir, "manifest.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    paths.append(path)
    return paths


def read(directory):
    """Reads back what `write` wrote: ``(binaries, manifest)`` as `extract`
    returns them, decompressing `.gz` files. Raises ExtractError when the
    manifest is missing or malformed or names a missing file."""
    path = os.path.join(directory, "manifest.json")
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as error:
        raise ExtractError(f"cannot read {path}: {error}") from error
    if manifest.get("version") != MANIFEST_VERSION:
        raise ExtractError(f"{path}: manifest version "
                           f"{manifest.get('version')!r}, expected "
                           f"{MANIFEST_VERSION}")
    binaries = {}
    for kernel in manifest.get("kernels", []):
        for key in ("name", "module", "grid", "block", "params", "file"):
            if key not in kernel:
                raise ExtractError(f"{path}: kernel {kernel.get('name')!r} "
                                   f"has no {key!r}")
        file_path = os.path.join(directory, kernel["file"])
        try:
            with open(file_path, "rb") as f:
                payload = f.read()
        except OSError as error:
            raise ExtractError(f"{path}: kernel {kernel['name']}: {error}") \
                from error
        name = kernel["file"]
        if name.endswith(".gz"):
            payload = gzip.decompress(payload)
            name = name[:-3]
        binaries[kernel["module"]] = (payload.decode("utf-8")
                                      if name.endswith(".ptx") else payload)
    return binaries, manifest


_LLVM_HEADER = re.compile(r"^//\n// Generated by LLVM NVPTX Back-End", re.M)
_VERSION = re.compile(r"^\.version\b", re.M)


def join(binaries, manifest):
    """The PTX modules of `binaries` in manifest order, one after another in
    one string (what fp8_mlir.to_ptx returns); `select` takes one back out."""
    modules = []
    for kernel in manifest["kernels"]:
        text = binaries[kernel["module"]]
        if not isinstance(text, str):
            raise ExtractError(f"{kernel['module']} is a cubin, not PTX")
        modules.append(text if text.endswith("\n") else text + "\n")
    return "".join(dict.fromkeys(modules))


def select(ptx_text, kernel_name):
    """The PTX module of `ptx_text` (one module, or several one after
    another as `join` writes them) that defines `.entry kernel_name`."""
    starts = [m.start() for m in _LLVM_HEADER.finditer(ptx_text)]
    if len(starts) <= 1:
        starts = [m.start() for m in _VERSION.finditer(ptx_text)]
    entry = re.compile(r"\.entry\s+" + re.escape(kernel_name) + r"\s*\(")
    if len(starts) <= 1:
        modules = [ptx_text]
    else:
        bounds = [0] + starts[1:] + [len(ptx_text)]
        modules = [ptx_text[a:b] for a, b in zip(bounds, bounds[1:])]
    found = [module for module in modules if entry.search(module)]
    if len(found) != 1:
        raise ExtractError(f"{len(found)} PTX modules define .entry "
                           f"{kernel_name} (expected 1)")
    return found[0]
