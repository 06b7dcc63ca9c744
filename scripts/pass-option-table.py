#!/usr/bin/env python3
"""Writes the options of one pass as an X-macro table.

Usage: pass-option-table.py PASSES_H_INC PASS_NAME OUT

Reads the pass's base class that `mlir-tblgen -gen-pass-decls` wrote into
PASSES_H_INC and writes to OUT one line per option, in declaration order:

  FP8_PASS_OPTION(field, type, "flag", ::llvm::cl::desc(...),
                  ::llvm::cl::init(...)[, values])

so C++ can declare the same options again (a pipeline's PassPipelineOptions)
or copy them field by field, while Passes.td stays their one declaration.
OUT is rewritten only when it changes.
"""
import pathlib
import re
import sys

OPTION = re.compile(r"^  ::mlir::Pass::Option<(.+?)> (\w+)\{\*this, (.*)\};$",
                    re.M)


def main() -> int:
    src, pass_name, out = sys.argv[1:]
    text = pathlib.Path(src).read_text()
    start = text.find(f"class {pass_name}Base ")
    if start < 0:
        sys.exit(f"{src}: no base class of pass {pass_name}")
    end = text.index("\n};", start)
    body = text[start:end]
    if "::mlir::Pass::ListOption<" in body:
        sys.exit(f"{src}: {pass_name} has a ListOption, which the table "
                 "cannot express")
    rows = [f"FP8_PASS_OPTION({m[2]}, {m[1]}, {m[3]})"
            for m in OPTION.finditer(body)]
    if not rows:
        sys.exit(f"{src}: no options of pass {pass_name}")
    table = (f"// The options of {pass_name}, generated from {pathlib.Path(src).name} "
             "by scripts/pass-option-table.py.\n" + "\n".join(rows) + "\n")
    path = pathlib.Path(out)
    if not path.exists() or path.read_text() != table:
        path.write_text(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
