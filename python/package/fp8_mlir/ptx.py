"""The kernels and their manifest, out of `--fp8-gpu-pipeline` output.

`fp8-opt --fp8-gpu-pipeline` makes MLIR in which every kernel is a
`gpu.binary` holding PTX (`format=isa`) or a cubin (`format=bin`), and the
module attribute `fp8.gpu_manifest` holds the JSON manifest that
`convert-fp8-to-gpu` recorded: per kernel its name, grid, block, cluster,
dynamic shared memory and parameters (see docs/gpu-pipeline.md). The
compiled extension reads both through the C API (`fp8GetKernelCode`,
`fp8GetKernelManifest`).

    binaries, manifest = extract(gpu_ir)    # {module: PTX text}, dict
    write(gpu_ir, "out/")                   # out/<kernel>.ptx + manifest.json
    binaries, manifest = read("out/")       # and back (.ptx.gz too)
    text = join(binaries, manifest)         # all modules in one string
    select(text, kernel_name)               # the module of one kernel

`extract` and `write` need the compiled extension; `read`, `join` and
`select` use only the Python standard library, so that a GPU machine
without the extension loads kernels compiled ahead of time.

As a command line (what scripts/extract-ptx.py and the lit tests run):

    fp8-opt in.mlir --fp8-gpu-pipeline="chip=sm_90a" | python -m fp8_mlir.ptx -o out/
    python -m fp8_mlir.ptx lowered.mlir -o out/ [--gzip]
"""

import argparse
import gzip
import json
import os
import sys

__all__ = ["ExtractError", "extract", "join", "read", "select", "write"]

#: The manifest format version this module reads.
MANIFEST_VERSION = 1


class ExtractError(ValueError):
    """The text holds no kernels or no manifest, or a file is missing."""


def _file_name(module, assembly):
    return module + (".ptx" if assembly else ".cubin")


def _kernels(ir, pipeline=""):
    """``(objects, manifest)`` of `ir` after `pipeline` (none when empty):
    `objects` maps each gpu.binary's name to (is PTX, code bytes), in
    order; `manifest` is the manifest dict or None."""
    import fp8_mlir

    found, manifest = fp8_mlir._extension().kernels(ir, pipeline)
    objects = {name: (assembly, code) for name, assembly, code in found}
    return objects, json.loads(manifest) if manifest else None


def _split_input(text):
    """The modules of `text`: fp8-opt -split-input-file prints them one
    after another, between `// -----` lines."""
    chunks, current = [], []
    for line in text.splitlines(keepends=True):
        if line.rstrip() == "// -----":
            chunks.append("".join(current))
            current = []
        else:
            current.append(line)
    chunks.append("".join(current))
    return [chunk for chunk in chunks if chunk.strip()] or [text]


def _read_kernels(gpu_ir):
    """`_kernels` of printed --fp8-gpu-pipeline output, one module or
    several (-split-input-file): their kernels, and one manifest listing
    the kernels of all."""
    objects, manifest = {}, None
    for chunk in _split_input(gpu_ir):
        chunk_objects, chunk_manifest = _kernels(chunk)
        objects.update(chunk_objects)
        if manifest is None:
            manifest = chunk_manifest
        elif chunk_manifest is not None:
            manifest["kernels"] += chunk_manifest["kernels"]
    return objects, manifest


def _with_files(objects, manifest):
    """Checks that there are kernels and a manifest; gives each manifest
    kernel the `file` name `write` writes it to."""
    if not objects:
        raise ExtractError("no gpu.binary in the input (run "
                           "--fp8-gpu-pipeline first)")
    if manifest is None:
        raise ExtractError("no fp8.gpu_manifest attribute in the input")
    for kernel in manifest["kernels"]:
        entry = objects.get(kernel["module"])
        kernel["file"] = _file_name(kernel["module"], entry[0]) if entry else None
    return objects, manifest


def _decoded(objects):
    return {name: code.decode("utf-8") if assembly else code
            for name, (assembly, code) in objects.items()}


def compile_kernels(ir, pipeline):
    """``(binaries, manifest)`` as `extract` returns them, of `ir` after
    `pipeline` (which ends in --fp8-gpu-pipeline), without printing the IR
    in between. No kernel gives ``({}, None)``."""
    objects, manifest = _kernels(ir, pipeline)
    if not objects:
        return {}, None
    objects, manifest = _with_files(objects, manifest)
    return _decoded(objects), manifest


def extract(gpu_ir):
    """The kernels of `gpu_ir` (the output of --fp8-gpu-pipeline, as text;
    with -split-input-file, the kernels of every module).

    Returns ``(binaries, manifest)``: `binaries` maps each kernel's module
    name (the manifest's ``kernel["module"]``) to its PTX text (`str`) or, for
    `format=bin`, its cubin (`bytes`); `manifest` is the manifest dict, each
    kernel with the ``file`` name `write` gives it. Raises ExtractError when
    the text holds no kernel or no manifest, MLIRError when it does not
    parse.
    """
    objects, manifest = _with_files(*_read_kernels(gpu_ir))
    return _decoded(objects), manifest


def write(gpu_ir, output_dir, compress=False):
    """Writes each kernel of `gpu_ir` to `output_dir`/<kernel>.ptx (or
    .cubin; `compress` gzips them to .ptx.gz / .cubin.gz) and the manifest to
    `output_dir`/manifest.json. Returns the paths written, manifest last."""
    objects, manifest = _with_files(*_read_kernels(gpu_ir))
    os.makedirs(output_dir, exist_ok=True)
    paths = []
    for name, (assembly, payload) in objects.items():
        path = os.path.join(output_dir, _file_name(name, assembly))
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


_LLVM_HEADER = "//\n// Generated by LLVM NVPTX Back-End"


def _line_starts(text, prefix):
    """Offsets of the lines of `text` that begin with `prefix`."""
    starts = [0] if text.startswith(prefix) else []
    at = text.find("\n" + prefix)
    while at != -1:
        starts.append(at + 1)
        at = text.find("\n" + prefix, at + 1)
    return starts


def _defines_entry(module, kernel_name):
    """Whether PTX `module` has `.entry kernel_name(`."""
    at = module.find(".entry")
    while at != -1:
        rest = module[at + len(".entry"):at + len(".entry") + 1024]
        if rest[:1].isspace():
            rest = rest.lstrip()
            if (rest.startswith(kernel_name)
                    and rest[len(kernel_name):].lstrip().startswith("(")):
                return True
        at = module.find(".entry", at + 1)
    return False


def select(ptx_text, kernel_name):
    """The PTX module of `ptx_text` (one module, or several one after
    another as `join` writes them) that defines `.entry kernel_name`."""
    starts = _line_starts(ptx_text, _LLVM_HEADER)
    if len(starts) <= 1:
        starts = _line_starts(ptx_text, ".version")
    if len(starts) <= 1:
        modules = [ptx_text]
    else:
        bounds = [0] + starts[1:] + [len(ptx_text)]
        modules = [ptx_text[a:b] for a, b in zip(bounds, bounds[1:])]
    found = [module for module in modules
             if _defines_entry(module, kernel_name)]
    if len(found) != 1:
        raise ExtractError(f"{len(found)} PTX modules define .entry "
                           f"{kernel_name} (expected 1)")
    return found[0]


def main(argv=None):
    """`python -m fp8_mlir.ptx [input] -o DIR [--gzip]`: writes the kernels
    of fp8-opt --fp8-gpu-pipeline output (a file, or stdin) into DIR and
    prints the paths written."""
    parser = argparse.ArgumentParser(
        prog="python -m fp8_mlir.ptx",
        description="Write the kernels of fp8-opt --fp8-gpu-pipeline output "
                    "(<kernel>.ptx or .cubin) and manifest.json to a folder.")
    parser.add_argument("input", nargs="?", default="-",
                        help="fp8-opt output (default: stdin)")
    parser.add_argument("-o", "--output-dir", required=True)
    parser.add_argument("--gzip", action="store_true",
                        help="write <kernel>.ptx.gz (the manifest names them)")
    args = parser.parse_args(argv)
    import fp8_mlir

    if args.input == "-":
        text = sys.stdin.read()
    else:
        with open(args.input, encoding="utf-8") as f:
            text = f.read()
    try:
        paths = write(text, args.output_dir, compress=args.gzip)
    except (ExtractError, fp8_mlir.MLIRError) as error:
        print(f"{parser.prog}: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
