#!/usr/bin/env python3
"""Mutation fuzzer for fp8-opt over the project's own .mlir files.

Each run takes one seed (a `// -----` chunk of a .mlir file under test/ or
examples/), applies a few token-level mutations (shape dims, element types,
fp8 attributes, integer/float literals, line deletions and duplications,
splices from other seeds, operand swaps) and feeds the mutant through:

  verify           fp8-opt FILE                        (parse + verify)
  quantize-R       fp8-opt FILE --fp8-quantize-pipeline=recipe=R
                   for R in tensorwise, delayed, rowwise, blockwise, mxfp8
  cpu              fp8-opt FILE --fp8-cpu-pipeline
  gpu-sm_90a       fp8-opt FILE --fp8-gpu-pipeline="chip=sm_90a format=isa"
  gpu-sm_100a      fp8-opt FILE --fp8-gpu-pipeline="chip=sm_100a format=isa"
  quantize-R+cpu   quantize with a random recipe, then the CPU pipeline
  quantize-R+gpu-C quantize with a random recipe, then a GPU pipeline with
                   random GEMM options
  quantize-R>file  the same recipe, the output kept for fp8-run
  run, quantize-R+run
                   fp8-run (the JIT) on the mutant and on its quantized IR
                   with random .npy inputs, when the entry function takes
                   small static tensors; 1 in 10 gets a damaged .npy file

A mutant that fails to parse or verify (exit 1) stops after `verify`. Every
command runs with a CPU-time limit (RLIMIT_CPU, plus 3x that of wall clock)
and an address-space limit (RLIMIT_AS; with --sanitized, ASan's
hard_rss_limit_mb instead, since ASan reserves terabytes of shadow address
space).

A crash is: death by a signal, an exit status other than 0 and 1, an LLVM
stack dump / "PLEASE submit a bug report" / "LLVM ERROR", or a sanitizer
report. A hang is a timeout; the process gets SIGXCPU (SIGABRT past the
wall-clock limit) so that LLVM's handler prints where it was. Each unique
signature (kind + message + the top frames of the stack) gets one
reproducer directory under --out with the mutant (input.mlir, and the .npy inputs of an fp8-run step), the command
(cmd.sh, run in that directory), stderr and meta.json.

The mutants depend only on --seed and the run index (and, through the
verifier-guided repair, on what the tools print), so `--seed S --runs N` is
deterministic for a given checkout and build. The exit status is 1 when a crash or hang was found.

  scripts/fuzz.py --time 600                      # Release tools, build/bin
  scripts/fuzz.py --sanitized --time 300          # ASan/UBSan, build-asan/bin
  scripts/fuzz.py --minimize bench/fuzz/out/<id>  # shrink one reproducer

Uses the standard library only.
"""

import argparse
import hashlib
import json
import os
import random
import re
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LLVM_BIN = Path("/usr/lib/llvm-22/bin")

RECIPES = ["tensorwise", "delayed", "rowwise", "blockwise", "mxfp8"]
CHIPS = ["sm_90a", "sm_100a"]

# ---------------------------------------------------------------------------
# Seeds
# ---------------------------------------------------------------------------


def load_corpus(root):
    """Every `// -----` chunk of every .mlir file under test/ and examples/,
    without full-line comments (RUN/CHECK lines), in a fixed order."""
    seeds = []
    for sub in ("test", "examples"):
        for path in sorted((root / sub).rglob("*.mlir")):
            if any(part.startswith("build") for part in path.relative_to(root).parts):
                continue
            text = path.read_text(errors="replace")
            chunks = re.split(r"^// -----.*$", text, flags=re.M)
            for k, chunk in enumerate(chunks):
                lines = [l for l in chunk.splitlines()
                         if not l.lstrip().startswith("//")]
                while lines and not lines[0].strip():
                    lines.pop(0)
                if any(l.strip() for l in lines):
                    name = str(path.relative_to(root))
                    if len(chunks) > 1:
                        name += f"#{k}"
                    seeds.append((name, "\n".join(lines) + "\n"))
    return seeds


# ---------------------------------------------------------------------------
# Mutations
# ---------------------------------------------------------------------------

ELEMENT_TYPES = ["f32", "bf16", "f16", "f8E4M3FN", "f8E5M2", "f8E8M0FNU",
                 "f4E2M1FN", "f6E2M3FN", "f6E3M2FN", "i8"]
# Also recognised in the input (and occasionally produced).
EXTRA_TYPES = ["f64", "i32", "i1", "i64", "index", "f8E4M3FNUZ", "f8E5M2FNUZ",
               "f8E4M3", "f8E3M4", "f8E4M3B11FNUZ", "tf32"]
_ALL_TYPES = sorted(ELEMENT_TYPES + EXTRA_TYPES, key=len, reverse=True)
TYPE_TOKEN_RE = re.compile(
    r"(?:(?<=[0-9?\]]x)|(?<![\w.%#@$]))(" + "|".join(_ALL_TYPES) + r")(?![\w])")

HUGE_DIMS = ["2147483647", "2147483648", "4294967296", "4294967297",
             "4611686018427387904", "9223372036854775807", "1048576", "65536"]
SMALL_DIMS = ["0", "1", "2", "3", "4", "7", "8", "16", "31", "32", "33", "64",
              "127", "128", "129", "255", "256", "1000", "4096"]
DIM_VALUES = SMALL_DIMS + HUGE_DIMS + ["-1", "?"]
INT_VALUES = SMALL_DIMS + HUGE_DIMS + [
    "-1", "-2", "-128", "-300", "300", "-2147483648", "-9223372036854775808",
    "9223372036854775808", "18446744073709551616", "24", "200"]
FLOAT_VALUES = ["0.0", "-0.0", "1.0", "-1.0", "0.5", "2.0", "448.0",
                "57344.0", "65504.0", "3.40282347e+38", "1.0e+38", "1.0e+39",
                "1.0e-45", "1.0e-40", "1.0e-07", "1.0e+300", "0x7F800000",
                "0xFF800000", "0x7FC00000", "0x00000001"]

SCALINGS = ["tensor", "rowwise", "block [1, 32]", "block [1, 128]",
            "block [128, 128]", "block [32, 1]", "block [1, 16]",
            "block [2, 2]", "block [1, 1]", "block [3, 5]", "block [0, 128]",
            "block [1, 0]", "block [-1, 32]", "block [1, 2147483648]",
            "block [4611686018427387904, 1]", "block [1, 2, 3]", "block [7]",
            "block [128, 200]", "colwise"]
ROLES = ["activation", "weight", "gradient", "bias", "activation|weight"]
ALGOS = ["max", "most_recent", "mean"]
MX_SCALES = ["floor", "ceil", "even"]
RECIPE_ATTRS = [
    "tensorwise", "delayed", "rowwise", "blockwise", "mxfp8", "nvfp4",
    "tensorwise, margin = 300", "tensorwise, margin = -2147483648",
    "delayed, history = 0", "delayed, history = 2147483647",
    "delayed, history = 1, algo = most_recent", "rowwise, pow2 = false",
    "mxfp8, mx_scale = floor", "mxfp8, formats = \"e5m2-grad\"",
    "blockwise, formats = e4m3, margin = 1", "tensorwise, min_flops = -5",
    "tensorwise, min_flops = 9223372036854775807"]
ATTR_KINDS = {"scaling": SCALINGS, "role": ROLES, "algo": ALGOS,
              "mx_scale": MX_SCALES, "recipe": RECIPE_ATTRS}
ATTR_RE = re.compile(r"#fp8\.(scaling|role|algo|mx_scale|recipe)<([^<>]*)>")
FORMAT_RE = re.compile(r"(\bformat\s*=\s*)([\w]+)")
INT_RE = re.compile(r"(?<![\w%#@.$^\-])-?\d+(?![\w.])")
FLOAT_RE = re.compile(
    r"(?<![\w.])-?(?:\d+\.\d*(?:[eE][+-]?\d+)?|0x[0-9A-Fa-f]{4,16})(?![\w.])")
SHAPED_RE = re.compile(r"\b(?:tensor|memref|vector)<")
DIM_RE = re.compile(r"(-?\d+|\?|\[\d+\])x")
SSA_RE = re.compile(r"%[A-Za-z_0-9$.\-]+")
ATTR_DICT_RE = re.compile(r"\{([^{}\n]*=[^{}\n]*|[^{}\n]*transpose_[ab][^{}\n]*)\}")
CLAUSE_RE = re.compile(r"\s*\b(bias|out_scale)\([^()\n]*\)")


def _dims(text):
    """(start, end, value) of every static or dynamic dim of a shaped type."""
    out = []
    for m in SHAPED_RE.finditer(text):
        pos = m.end()
        while True:
            d = DIM_RE.match(text, pos)
            if not d:
                break
            out.append((d.start(1), d.end(1), d.group(1)))
            pos = d.end()
    return out


def _replace_spans(text, spans):
    """spans: (start, end, new) sorted or not; non-overlapping."""
    for s, e, new in sorted(spans, reverse=True):
        text = text[:s] + new + text[e:]
    return text


def _pick_dim(rng, old):
    r = rng.random()
    if r < 0.35 and old.isdigit() and int(old) > 0:
        n = int(old)
        return str(rng.choice([n * 2, n + 1, max(n - 1, 0), n // 2, n * 3, n * 128,
                               n * 1024 * 1024]))
    if r < 0.6:
        return rng.choice(SMALL_DIMS)
    return rng.choice(DIM_VALUES)


def m_dim_one(rng, text, corpus):
    dims = _dims(text)
    if not dims:
        return None
    s, e, old = rng.choice(dims)
    return _replace_spans(text, [(s, e, _pick_dim(rng, old))])


def m_dim_global(rng, text, corpus):
    """Replace one dim value everywhere it is a dim (keeps shapes consistent,
    so the mutant often still verifies)."""
    dims = _dims(text)
    if not dims:
        return None
    old = rng.choice(sorted({d[2] for d in dims}))
    new = _pick_dim(rng, old)
    return _replace_spans(text, [(s, e, new) for s, e, v in dims if v == old])


def m_rank(rng, text, corpus):
    """Add or drop a leading dim in every occurrence of one shaped type."""
    types = sorted(set(re.findall(r"\b(?:tensor|memref|vector)<[^<>]*>", text)))
    if not types:
        return None
    t = rng.choice(types)
    head, body = t.split("<", 1)
    if rng.random() < 0.5 and DIM_RE.match(body):
        new_body = body[DIM_RE.match(body).end():]
    else:
        new_body = rng.choice(["2x", "4x", "1x", "?x", "3x"]) + body
    return text.replace(t, head + "<" + new_body)


def m_dynamic(rng, text, corpus):
    """Make one static dim dynamic, in one type occurrence or in every
    occurrence of that type (verifiers accept ? against a static dim)."""
    types = [m for m in re.finditer(r"\b(?:tensor|memref)<[^<>]*>", text)
             if re.search(r"\d+x", m.group(0))]
    if not types:
        return None
    m = rng.choice(types)
    t = m.group(0)
    dims = [d for d in _dims(t) if d[2] != "?"]
    if not dims:
        return None
    s, e, _ = rng.choice(dims)
    new = t[:s] + "?" + t[e:]
    if rng.random() < 0.5:
        return text[:m.start()] + new + text[m.end():]
    return text.replace(t, new)


def m_dim_huge(rng, text, corpus):
    """Replace one dim value everywhere with a huge one."""
    dims = _dims(text)
    if not dims:
        return None
    old = rng.choice(sorted({d[2] for d in dims}))
    new = rng.choice(HUGE_DIMS)
    return _replace_spans(text, [(s, e, new) for s, e, v in dims if v == old])


def _types(text):
    return [(m.start(1), m.end(1), m.group(1)) for m in TYPE_TOKEN_RE.finditer(text)]


def _pick_type(rng):
    return rng.choice(ELEMENT_TYPES) if rng.random() < 0.9 else rng.choice(EXTRA_TYPES)


def m_type_one(rng, text, corpus):
    types = _types(text)
    if not types:
        return None
    s, e, _ = rng.choice(types)
    return _replace_spans(text, [(s, e, _pick_type(rng))])


def m_type_global(rng, text, corpus):
    types = _types(text)
    if not types:
        return None
    old = rng.choice(sorted({t[2] for t in types}))
    new = _pick_type(rng)
    return _replace_spans(text, [(s, e, new) for s, e, v in types if v == old])


def m_attr(rng, text, corpus):
    """Swap an fp8 attribute (scaling, role, algo, mx_scale, recipe) with
    another of its kind, from the corpus or from the lists above."""
    found = list(ATTR_RE.finditer(text))
    if not found:
        return None
    m = rng.choice(found)
    kind = m.group(1)
    pool = ATTR_KINDS[kind] + corpus.attrs.get(kind, [])
    new = rng.choice(pool)
    return text[:m.start(2)] + new + text[m.end(2):]


def m_format(rng, text, corpus):
    found = list(FORMAT_RE.finditer(text))
    if not found:
        return None
    m = rng.choice(found)
    return text[:m.start(2)] + _pick_type(rng) + text[m.end(2):]


def m_recipe_module(rng, text, corpus):
    """Put the whole input in a module carrying an fp8.recipe attribute."""
    recipe = rng.choice(RECIPE_ATTRS + corpus.attrs.get("recipe", []))
    return ("module attributes {fp8.recipe = #fp8.recipe<%s>} {\n%s}\n"
            % (recipe, text))


def m_int(rng, text, corpus):
    found = list(INT_RE.finditer(text))
    if not found:
        return None
    m = rng.choice(found)
    return text[:m.start()] + rng.choice(INT_VALUES) + text[m.end():]


def m_float(rng, text, corpus):
    found = list(FLOAT_RE.finditer(text))
    if not found:
        return None
    m = rng.choice(found)
    return text[:m.start()] + rng.choice(FLOAT_VALUES) + text[m.end():]


def _lines(text):
    return text.split("\n")


def m_del_line(rng, text, corpus):
    lines = _lines(text)
    if len(lines) < 2:
        return None
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def m_del_block(rng, text, corpus):
    lines = _lines(text)
    if len(lines) < 4:
        return None
    i = rng.randrange(len(lines))
    del lines[i:i + rng.randint(2, 6)]
    return "\n".join(lines)


def m_dup_line(rng, text, corpus):
    """Duplicate an op line, renaming its results so it still parses."""
    lines = _lines(text)
    ops = [i for i, l in enumerate(lines) if re.match(r"\s*%[\w$.\-]+(?:\s*,\s*%[\w$.\-]+)*\s*(?::\d+)?\s*=", l)]
    if not ops:
        return None
    i = rng.choice(ops)
    lhs, rhs = lines[i].split("=", 1)
    lhs = re.sub(r"(%[\w$.\-]+)", r"\1_dup%d" % i, lhs)
    lines.insert(i + 1, lhs + "=" + rhs)
    return "\n".join(lines)


def m_swap_lines(rng, text, corpus):
    lines = _lines(text)
    if len(lines) < 3:
        return None
    i = rng.randrange(len(lines) - 1)
    lines[i], lines[i + 1] = lines[i + 1], lines[i]
    return "\n".join(lines)


def _body_range(lines):
    starts = [i for i, l in enumerate(lines) if "func.func" in l or "gpu.func" in l]
    ends = [i for i, l in enumerate(lines) if re.search(r"\breturn\b", l)]
    lo = starts[0] + 1 if starts else 0
    hi = ends[-1] if ends and ends[-1] >= lo else len(lines)
    return lo, hi


def m_splice_lines(rng, text, corpus):
    """Insert a few op lines of another seed into this one's function body."""
    _, donor = rng.choice(corpus.seeds)
    dl = [l for l in _lines(donor) if l.strip()]
    if not dl:
        return None
    i = rng.randrange(len(dl))
    chunk = dl[i:i + rng.randint(1, 4)]
    lines = _lines(text)
    lo, hi = _body_range(lines)
    pos = rng.randint(lo, max(lo, hi))
    lines[pos:pos] = chunk
    return "\n".join(lines)


def m_splice_op(rng, text, corpus):
    """Insert an op of another seed, rebinding its operands to values of
    this input that have the same type where there are any."""
    if not corpus.op_lines:
        return None
    line = rng.choice(corpus.op_lines)
    defs = _ssa_defs(text)
    if not defs:
        return None
    lhs, rhs = line.split("=", 1)
    uses = sorted(set(SSA_RE.findall(rhs)))
    for u in uses:
        rhs = re.sub(re.escape(u) + r"(?![\w$.\-])", rng.choice(defs), rhs)
    lhs = re.sub(r"(%[\w$.\-]+)", r"\1_sp", lhs)
    lines = _lines(text)
    lo, hi = _body_range(lines)
    pos = rng.randint(lo, max(lo, hi))
    lines.insert(pos, lhs + "=" + rhs)
    return "\n".join(lines)


def m_splice_seed(rng, text, corpus):
    """Append another seed with its symbols and aliases renamed."""
    _, donor = rng.choice(corpus.seeds)
    donor = re.sub(r"@([A-Za-z_][\w$.]*)", r"@\1_s", donor)
    donor = re.sub(r"#([A-Za-z_][\w$]*)(?![\w.<$])", r"#\1_s", donor)
    donor = re.sub(r"!([A-Za-z_][\w$]*)(?![\w.<$])", r"!\1_s", donor)
    # Aliases must come before any op: hoist the donor's alias definitions.
    alias_re = re.compile(r"^\s*[#!][\w$]+\s*=.*$", re.M)
    aliases = alias_re.findall(donor)
    donor = alias_re.sub("", donor)
    return "\n".join(aliases) + "\n" + text + "\n" + donor


def _ssa_defs(text):
    defs = []
    for m in re.finditer(r"^\s*((?:%[\w$.\-]+(?::\d+)?\s*,\s*)*%[\w$.\-]+(?::\d+)?)\s*=", text, re.M):
        defs += re.findall(r"%[\w$.\-]+", m.group(1))
    defs += re.findall(r"(%[\w$.\-]+)\s*:", text)
    return sorted(set(defs))


def m_ssa_swap(rng, text, corpus):
    """Replace one operand with another SSA value of the input."""
    defs = _ssa_defs(text)
    uses = []
    for lm in re.finditer(r"^.*$", text, re.M):
        line = lm.group(0)
        eq = line.find("=")
        start = eq + 1 if eq >= 0 and line.lstrip().startswith("%") else 0
        for m in SSA_RE.finditer(line, start):
            uses.append((lm.start() + m.start(), lm.start() + m.end()))
    if len(defs) < 2 or not uses:
        return None
    s, e = rng.choice(uses)
    return text[:s] + rng.choice(defs) + text[e:]


def m_attr_del(rng, text, corpus):
    """Drop an attribute-dictionary entry, a bias/out_scale clause, or
    toggle transpose_a/transpose_b."""
    r = rng.random()
    clauses = list(CLAUSE_RE.finditer(text))
    if r < 0.25 and clauses:
        m = rng.choice(clauses)
        return text[:m.start()] + text[m.end():]
    dicts = list(ATTR_DICT_RE.finditer(text))
    if not dicts:
        return None
    m = rng.choice(dicts)
    entries, depth, cur = [], 0, ""
    for c in m.group(1):
        if c in "<[(":
            depth += 1
        elif c in ">])":
            depth -= 1
        if c == "," and depth == 0:
            entries.append(cur)
            cur = ""
        else:
            cur += c
    entries.append(cur)
    if r < 0.5:
        for t in ("transpose_a", "transpose_b"):
            if not any(e.strip() == t for e in entries):
                entries.append(" " + t)
                break
    else:
        del entries[rng.randrange(len(entries))]
    body = ",".join(entries).strip()
    new = "{" + body + "}" if body else ""
    return text[:m.start()] + new + text[m.end():]


MUTATIONS = [  # (weight, function)
    (5, m_dim_global), (2, m_dim_one), (2, m_rank), (3, m_dynamic),
    (2, m_dim_huge),
    (4, m_type_global), (2, m_type_one),
    (4, m_attr), (2, m_format), (1, m_recipe_module),
    (2, m_int), (2, m_float),
    (2, m_del_line), (1, m_del_block), (1, m_dup_line), (1, m_swap_lines),
    (1, m_splice_lines), (2, m_splice_op), (1, m_splice_seed),
    (2, m_ssa_swap), (2, m_attr_del),
]
_WEIGHTED = [f for w, f in MUTATIONS for _ in range(w)]


class Corpus:
    def __init__(self, seeds):
        self.seeds = seeds
        self.valid = []  # the seeds that fp8-opt verifies; see Campaign
        self.attrs = {}
        self.op_lines = []
        for _, text in seeds:
            for m in ATTR_RE.finditer(text):
                pool = self.attrs.setdefault(m.group(1), [])
                if m.group(2) not in pool:
                    pool.append(m.group(2))
            for line in text.split("\n"):
                if re.match(r"\s*%[\w$.\-]+(?:\s*,\s*%[\w$.\-]+)*\s*=\s*(fp8|linalg|arith|tensor)\.", line) \
                        and line.rstrip().endswith(("}", ">", ")")) and ":" in line:
                    self.op_lines.append(line)


def make_mutant(corpus, seed, index):
    """The mutant of run `index`: depends only on (seed, index)."""
    rng = random.Random(f"fp8-fuzz:{seed}:{index}")
    # Mostly seeds that verify as they are (the invalid-IR tests are kept
    # in the mix, and as splice donors).
    pool = corpus.valid if corpus.valid and rng.random() < 0.9 else corpus.seeds
    name, text = rng.choice(pool)
    applied = []
    count = 1
    while count < 6 and rng.random() < 0.5:
        count += 1
    for _ in range(count):
        for _attempt in range(5):
            f = rng.choice(_WEIGHTED)
            new = f(rng, text, corpus)
            if new is not None and new != text:
                text = new
                applied.append(f.__name__[2:])
                break
    return rng, name, applied, text


# Verifier-guided repair: a shape or type mutation usually breaks one use or
# one op's shape rule. Patching what the first diagnostic names gets more
# mutants past the verifier into the passes (several rounds fix cascades).
DIAG_RE = re.compile(r"^[^\n:]+:(\d+):(\d+): error: (.*)$", re.M)
DYN = "-9223372036854775808"


def _offset(text, line, col):
    lines = text.split("\n")
    if line < 1 or line > len(lines):
        return None
    return sum(len(l) + 1 for l in lines[:line - 1]) + max(col - 1, 0)


def _dims_prefix(dims):
    dims = [d.strip() for d in dims.split(",") if d.strip()]
    return "".join(("?" if d == DYN else d) + "x" for d in dims)


def repair(rng, text, stderr):
    m = DIAG_RE.search(stderr)
    if not m:
        return None
    pos = _offset(text, int(m.group(1)), int(m.group(2)))
    if pos is None:
        return None
    msg = m.group(3)
    u = re.match(r"use of value '[^']+' expects different type than prior "
                 r"uses: '(.+?)' vs '(.+?)'$", msg)
    if u:
        use, prior = u.groups()
        i = text.find(use, pos, pos + 2000)
        if i < 0:
            return None
        return text[:i] + prior + text[i + len(use):]
    r = re.match(r"type of return operand \d+ \('(.+?)'\) doesn't match "
                 r"function result type \('(.+?)'\)", msg)
    if r:
        have, want = r.groups()
        f = text.rfind("func.func", 0, pos)
        arrow = text.find("->", f, pos) if f >= 0 else -1
        if arrow < 0:
            return None
        i = text.find(want, arrow, pos)
        if i < 0:
            return None
        return text[:i] + have + text[i + len(want):]
    s = re.search(r"shape (?:\[[^\]]*\] = )?\[([^\]]*)\].*, found \[([^\]]*)\]", msg)
    if s and "expected" in msg:
        want, have = _dims_prefix(s.group(1)), _dims_prefix(s.group(2))
        end = text.find("\n  %", pos + 1)
        end = len(text) if end < 0 else end
        pat = re.compile(r"(?<=tensor<)" + re.escape(have) + r"(?=[A-Za-z])")
        cands = [c for c in pat.finditer(text, pos, end)]
        if not cands:
            return None
        c = rng.choice(cands)
        return text[:c.start()] + want + text[c.end():]
    return None


# ---------------------------------------------------------------------------
# fp8-run: the JIT path on random .npy inputs
# ---------------------------------------------------------------------------

# Element type -> .npy dtype, as fp8-run reads them (tools/fp8-run).
NPY_DTYPES = {"f64": ("<f8", 8), "f32": ("<f4", 4), "f16": ("<f2", 2),
              "bf16": ("<u2", 2), "i1": ("|b1", 1), "i8": ("|i1", 1),
              "i16": ("<i2", 2), "i32": ("<i4", 4), "i64": ("<i8", 8),
              "index": ("<i8", 8)}
MAX_RUN_ELEMENTS = 1 << 16


def _split_top(text, sep=","):
    parts, depth, cur = [], 0, ""
    for c in text:
        if c in "<([{":
            depth += 1
        elif c in ">)]}":
            depth -= 1
        if c == sep and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += c
    if cur.strip():
        parts.append(cur)
    return parts


def _arg_type(type_text):
    """(shape, element type) of a static tensor or scalar type, else None."""
    m = re.fullmatch(r"tensor<((?:\d+x)*)([\w]+)>", type_text)
    if m:
        shape = [int(d) for d in m.group(1).split("x") if d]
        elt = m.group(2)
    elif re.fullmatch(r"\w+", type_text):
        shape, elt = [], type_text
    else:
        return None
    if elt not in NPY_DTYPES and not re.fullmatch(r"f\d+E\d+M\d+\w*", elt):
        return None
    return shape, elt


def entry_function(text):
    """(name, [(shape, element type)]) of the first public func.func with a
    body whose arguments fp8-run can feed with small arrays, else None."""
    for m in re.finditer(r"^\s*func\.func\s+@([\w$.]+)\(", text, re.M):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        tail = text[i:i + 400].split("\n{")[0]
        if "{" not in tail.split("\n")[0] and not re.match(r"[^{]*\{", tail):
            continue  # a declaration
        args = []
        for part in _split_top(text[m.end():i - 1]):
            part = re.sub(r"\{.*\}\s*$", "", part.strip(), flags=re.S).strip()
            am = re.fullmatch(r"%[\w$.\-]+\s*:\s*(.+)", part, re.S)
            parsed = _arg_type(am.group(1).strip()) if am else None
            if parsed is None:
                break
            args.append(parsed)
        else:
            total = sum(max(1, _prod(a[0])) for a in args)
            if total <= MAX_RUN_ELEMENTS:
                return m.group(1), args
    return None


def _prod(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def npy_bytes(rng, shape, elt, corrupt=False):
    """A .npy file (format 1.0) of random data for an argument."""
    descr, size = NPY_DTYPES.get(elt, ("|u1", 1))
    count = _prod(shape)
    if elt in ("f32", "f64", "f16") and rng.random() < 0.7:
        fmt = {"f32": "f", "f64": "d", "f16": "e"}[elt]
        values = [rng.choice([0.0, -0.0, 1.0, 448.0, 1e-3, -57344.0])
                  if rng.random() < 0.1 else rng.uniform(-8, 8) for _ in range(count)]
        data = struct.pack("<%d%s" % (count, fmt), *values)
    else:
        data = rng.randbytes(count * size)
    shape_text = "(%s)" % "".join("%d, " % d for d in shape).rstrip(" ") \
        if len(shape) != 1 else "(%d,)" % shape[0]
    if corrupt:
        how = rng.randrange(6)
        if how == 0:
            shape_text = "(%d,)" % (count + 1)
        elif how == 1:
            shape_text = "(4611686018427387904, 4)"
        elif how == 2:
            descr = rng.choice(["<f8", ">f4", "<c8", "|O", "<U3", ""])
        elif how == 3:
            data = data[:len(data) // 2]
        elif how == 4:
            shape_text = "(-1, %d)" % count
        else:
            shape_text = "(%s" % shape_text
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape_text)
    pad = 64 - (10 + len(header) + 1) % 64
    header += " " * pad + "\n"
    blob = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data
    if corrupt and rng.random() < 0.2:
        cut = rng.randrange(len(blob))
        blob = blob[:cut]
    return blob


def commands(rng, tools):
    opt = str(tools / "fp8-opt")
    cmds = [("verify", [opt, "input.mlir", "-o", "/dev/null"])]
    for r in RECIPES:
        cmds.append((f"quantize-{r}", [opt, "input.mlir", "-o", "/dev/null",
                                       f"--fp8-quantize-pipeline=recipe={r}"]))
    cmds.append(("cpu", [opt, "input.mlir", "-o", "/dev/null", "--fp8-cpu-pipeline"]))
    for chip in CHIPS:
        cmds.append((f"gpu-{chip}", [opt, "input.mlir", "-o", "/dev/null",
                                     f"--fp8-gpu-pipeline=chip={chip} format=isa"]))
    r = rng.choice(RECIPES)
    quant = f"--fp8-quantize-pipeline=recipe={r}"
    extra = rng.choice(["", "", "", ",margin=1", ",pow2=false", ",formats=e4m3",
                        ",min-flops=0", ",margin=-3", ",margin=127",
                        ",min-flops=9223372036854775807", ",formats=e5m2-grad"])
    if r == "delayed" and rng.random() < 0.5:
        extra = ",history=" + rng.choice(["1", "2", "1024"])
    cmds.append((f"quantize-{r}+cpu", [opt, "input.mlir", "-o", "/dev/null",
                                       quant + extra, "--fp8-cpu-pipeline"]))
    # The quantized IR, kept for fp8-run (see Campaign.run_one).
    cmds.append((f"quantize-{r}>file", [opt, "input.mlir", "-o", "quantized.mlir",
                                        quant + extra]))
    chip = rng.choice(CHIPS)
    gemm = rng.choice(["", "", "", " gemm-tile=64x64", " gemm-tile=128x256",
                       " gemm-tile=1x1", " gemm-tile=0x128", " gemm-tile=256x256",
                       " gemm-tile=4294967296x64", " gemm-stages=1", " gemm-stages=7",
                       " gemm-stages=1000",
                       " gemm-warp-specialize=off", " gemm-warp-specialize=on",
                       " gemm-cluster=2x1", " gemm-cluster=1x2",
                       " gemm-accumulate=split", " gemm-accumulate=fast",
                       " gemm-persistent=on", " opt-level=0"])
    cmds.append((f"quantize-{r}+gpu-{chip}",
                 [opt, "input.mlir", "-o", "/dev/null", quant + extra,
                  f"--fp8-gpu-pipeline=chip={chip} format=isa{gemm}"]))
    return cmds


# ---------------------------------------------------------------------------
# Running one command and classifying the result
# ---------------------------------------------------------------------------


def tool_env(sanitized, mem_mb):
    env = dict(os.environ)
    env["LLVM_SYMBOLIZER_PATH"] = str(LLVM_BIN / "llvm-symbolizer")
    env["LLVM_DISABLE_CRASH_REPORT"] = "1"
    env.pop("LD_PRELOAD", None)
    if sanitized:
        env["ASAN_SYMBOLIZER_PATH"] = str(LLVM_BIN / "llvm-symbolizer")
        # As in scripts/sanitize.sh; a leak is a finding too.
        env["ASAN_OPTIONS"] = (
            "abort_on_error=1:halt_on_error=1:detect_leaks=1:allow_user_poisoning=0:"
            "allocator_may_return_null=0:"
            f"hard_rss_limit_mb={mem_mb}:malloc_limit_mb={mem_mb}:"
            "handle_abort=0:symbolize=1")
        env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1:abort_on_error=1"
    return env


def run_command(argv, timeout, env, mem_mb, sanitized, cwd=None):
    """run_command_once, waiting while the tool cannot be executed (it is
    being relinked by a build in the same tree)."""
    for _ in range(120):
        result = run_command_once(argv, timeout, env, mem_mb, sanitized, cwd)
        rc, err = result[0], result[1]
        if not (rc in (126, 127) and re.match(r"\S+: \d+: exec: ", err)):
            return result
        time.sleep(1)
    raise SystemExit(f"fuzz: cannot execute {argv[0]}: {err.strip()}")


def run_command_once(argv, timeout, env, mem_mb, sanitized, cwd=None):
    """Returns (returncode, stderr text, timed_out, seconds).

    The timeout is on CPU time (RLIMIT_CPU: SIGXCPU, on which LLVM's handler
    prints the stack), so that a loaded machine does not turn slow runs into
    hangs; a wall-clock limit of 3x catches processes that block."""
    limit = "" if sanitized else f"ulimit -v {mem_mb * 1024} 2>/dev/null; "
    cpu = max(int(timeout + 0.999), 1)
    # SIGXCPU at the soft limit; the hard one leaves time for the stack dump.
    limit += f"ulimit -H -t {cpu + 20} 2>/dev/null; ulimit -S -t {cpu} 2>/dev/null; "
    wrapper = ["/bin/sh", "-c", limit + 'ulimit -c 0; exec "$0" "$@"'] + argv
    t0 = time.monotonic()
    p = subprocess.Popen(wrapper, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         env=env, cwd=cwd, start_new_session=True)
    timed_out = False
    try:
        _, err = p.communicate(timeout=3 * timeout + 10)
        timed_out = p.returncode in (-signal.SIGXCPU, -signal.SIGKILL)
    except subprocess.TimeoutExpired:
        timed_out = True
        # LLVM's handler prints the stack on SIGABRT: where the hang is.
        try:
            os.kill(p.pid, signal.SIGABRT)
            _, err = p.communicate(timeout=20)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            err = b""
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if p.returncode is None:
            _, err2 = p.communicate()
            err = (err or b"") + (err2 or b"")
    return p.returncode, err.decode("utf-8", "replace"), timed_out, time.monotonic() - t0


FRAME_RE = re.compile(r"^\s*#(\d+)\s+0x[0-9a-fA-F]+\s+(?:in\s+)?(.*)$")
SKIP_FRAME_RE = re.compile(
    r"^(llvm::sys::|SignalHandler|PrintStackTraceSignalHandler|__restore_rt|"
    r"__pthread_kill|pthread_kill|raise|gsignal|abort|__assert_fail|"
    r"__GI_|__libc_|_start|__asan|__sanitizer|__ubsan|__interceptor|"
    r"___interceptor|llvm::report_fatal_error|llvm::report_bad_alloc_error|"
    r"llvm::llvm_unreachable_internal|llvm::safe_malloc|llvm::safe_calloc|"
    r"llvm::safe_realloc|llvm::allocate_buffer|operator new|malloc|calloc|"
    r"realloc|free|memcpy|memmove|memset|std::__throw|__cxa_|_Unwind|"
    r"out_of_memory_new_handler|std::terminate|std::__terminate|"
    r"__gnu_cxx::__verbose_terminate_handler|\?\?|<unknown>|"
    r"llvm::SmallVectorBase|llvm::SmallVectorTemplateBase)")
SIGNAL_NAMES = {int(s): s.name for s in signal.Signals}


def normalize_function(text):
    """`ns::f<T>(args) const (bin+0x12)` -> `ns::f`."""
    loc = ""
    m = re.search(r"\s+([\w./][^\s()]*\.\w+:\d+)(?::\d+)?$", text)
    if m:
        loc = m.group(1)
        text = text[:m.start()]
    text = re.sub(r"\s+\([^()]*\+0x[0-9a-fA-F]+\)$", "", text)
    text = re.sub(r"\s+\(BuildId: [0-9a-f]+\)$", "", text)
    text = text.replace("(anonymous namespace)", "anon")
    if text.startswith("("):
        return "", loc  # unsymbolized: (module+offset)
    depth = 0
    for i, c in enumerate(text):
        if c == "<":
            depth += 1
        elif c == ">":
            depth = max(depth - 1, 0)
        elif c == "(" and depth == 0 and not text[:i].endswith("operator"):
            text = text[:i]
            break
    prev = None
    while prev != text:
        prev = text
        text = re.sub(r"<[^<>]*>", "", text)
    return text.strip(), loc


def stack_frames(stderr):
    """Normalized (function, file:line) frames of the first stack trace."""
    frames, seen_zero = [], False
    for line in stderr.splitlines():
        m = FRAME_RE.match(line)
        if not m:
            continue
        if m.group(1) == "0":
            if seen_zero:
                break  # a second trace (e.g. ASan's allocation stack)
            seen_zero = True
        func, loc = normalize_function(m.group(2).strip())
        frames.append((func, loc))
    return frames


def _norm_msg(msg):
    msg = re.sub(r"0x[0-9a-fA-F]+", "0xN", msg)
    msg = re.sub(r"\d+", "N", msg)
    return msg.strip()[:160]


OUR_SOURCES = None


def _is_ours(frame):
    """A frame in fp8-mlir's code: a source path in this checkout, a source
    file name of lib/ or tools/, or an fp8 namespace."""
    global OUR_SOURCES
    if OUR_SOURCES is None:
        OUR_SOURCES = {p.name for d in ("lib", "tools", "include")
                       for p in (ROOT / d).rglob("*") if p.suffix in (".cpp", ".h")}
    func, loc = frame
    if str(ROOT) in loc or "fp8::" in func:
        return True
    return loc.split(":")[0].rsplit("/", 1)[-1] in OUR_SOURCES


def classify(rc, stderr, timed_out):
    """None for a clean run, else (kind, signature, location)."""
    asan = re.search(r"ERROR: (AddressSanitizer|LeakSanitizer): ([\w-]+)", stderr)
    ubsan = re.search(r"^(\S+?):(\d+):\d+: runtime error: (.*)$", stderr, re.M)
    fatal = re.search(r"LLVM ERROR: (.*)", stderr)
    assertion = re.search(r"Assertion `(.*)' failed", stderr)
    unreachable = re.search(r"UNREACHABLE executed at (\S+)", stderr)
    dumped = ("PLEASE submit a bug report" in stderr or "Stack dump:" in stderr)
    if timed_out:
        kind, msg = "hang", "timeout"
    elif asan:
        kind = "leak" if asan.group(1) == "LeakSanitizer" else "asan"
        msg = "" if kind == "leak" else asan.group(2)
    elif ubsan:
        kind = "ubsan"
        msg = "%s:%s: %s" % (os.path.basename(ubsan.group(1)), ubsan.group(2),
                             _norm_msg(ubsan.group(3)))
    elif assertion:
        kind, msg = "assert", _norm_msg(assertion.group(1))
    elif unreachable:
        kind, msg = "unreachable", unreachable.group(1)
    elif fatal:
        kind, msg = "fatal", _norm_msg(fatal.group(1))
    elif rc is not None and rc < 0:
        kind, msg = "signal", SIGNAL_NAMES.get(-rc, str(-rc))
    elif rc not in (0, 1):
        kind, msg = "exit", str(rc)
    elif dumped:
        kind, msg = "stackdump", ""
    else:
        return None
    frames = [f for f in stack_frames(stderr) if f[0] and not SKIP_FRAME_RE.match(f[0])]
    running = re.findall(r"^\d+\.\s+Running pass '([^']+)'", stderr, re.M)
    if kind == "hang":
        # Where it spins varies; the pass and our innermost frame do not.
        ours = [f for f in frames if _is_ours(f)]
        adaptor = [i for i, f in enumerate(frames) if "OpToOpPassAdaptor::run" in f[0]]
        passes = [f for f in frames[:adaptor[0]] if f[0]][-1:] if adaptor else []
        top = ([ours[0]] if ours else []) + [f for f in passes if f not in ours[:1]]
        if running:
            top.append(("LLVM pass '%s'" % running[-1], ""))
        if not top:
            top = frames[:2]
    else:
        # The top frames, and the innermost frame of ours (fp8-mlir code):
        # upstream frames alone would merge different callers.
        top = frames[:2]
        ours = [f for f in frames if _is_ours(f)]
        if ours and ours[0] not in top:
            top.append(ours[0])
    sig = kind + (": " + msg if msg else "")
    if top:
        sig += " | " + " < ".join(f[0] for f in top)
    ours = [f for f in frames if _is_ours(f)]
    location = ""
    if ubsan:
        location = "%s:%s" % (ubsan.group(1), ubsan.group(2))
    elif ours:
        location = (ours[0][1] + " " if ours[0][1] else "") + ours[0][0]
    elif frames:
        location = (frames[0][1] + " " if frames[0][1] else "") + frames[0][0]
    return kind, sig, location


def signature_id(sig):
    return hashlib.sha1(sig.encode()).hexdigest()[:10]


# ---------------------------------------------------------------------------
# The campaign
# ---------------------------------------------------------------------------


class Campaign:
    def __init__(self, args):
        self.args = args
        self.tools = Path(args.tools).resolve()
        self.out = Path(args.out).resolve()
        self.env = tool_env(args.sanitized, args.mem_mb)
        self.corpus = Corpus(load_corpus(ROOT))
        self.lock = threading.Lock()
        self.findings = {}  # sig -> dict
        self.stats = {"runs": 0, "valid": 0, "commands": 0, "jit_runs": 0,
                      "crashes": 0, "hangs": 0}
        self.workdir = Path(tempfile.mkdtemp(prefix="fp8-fuzz-"))

    def check_seeds(self):
        """Which seeds verify unchanged (make_mutant prefers those)."""
        def verifies(item):
            fd, path = tempfile.mkstemp(suffix=".mlir", dir=self.workdir)
            with os.fdopen(fd, "w") as f:
                f.write(item[1])
            rc, _, _, _ = run_command([str(self.tools / "fp8-opt"), path, "-o", "/dev/null"],
                                      self.args.timeout, self.env, self.args.mem_mb,
                                      self.args.sanitized)
            os.unlink(path)
            return rc == 0
        with ThreadPoolExecutor(max_workers=self.args.jobs) as pool:
            ok = list(pool.map(verifies, self.corpus.seeds))
        self.corpus.valid = [s for s, good in zip(self.corpus.seeds, ok) if good]

    def run_one(self, index):
        rng, seed_name, applied, text = make_mutant(self.corpus, self.args.seed, index)
        # Each run works in its own directory with relative file names, so a
        # reproducer is the same command line in a directory of the files.
        cwd = self.workdir / f"m{index}"
        cwd.mkdir()
        results = []
        a = self.args

        def run(name, argv, files):
            for fname, data in files.items():
                (cwd / fname).write_bytes(data)
            rc, err, timed_out, secs = run_command(argv, a.timeout, self.env,
                                                   a.mem_mb, a.sanitized, cwd=cwd)
            found = classify(rc, err, timed_out)
            results.append((name, argv, rc, err, found, secs, dict(files)))
            return rc, err, found

        cmds = commands(rng, self.tools)
        valid = False
        for attempt in range(a.repairs + 1):
            rc, err, found = run("verify", cmds[0][1], {"input.mlir": text.encode()})
            if found or rc == 0:
                valid = not found
                break
            fixed = repair(rng, text, err)
            if fixed is None or fixed == text:
                break
            text = fixed
            applied = applied + ["repair"]
        hangs = 0
        quantized = None
        if valid:
            for name, argv in cmds[1:]:
                rc, _, found = run(name, argv, {"input.mlir": text.encode()})
                if (name.endswith(">file") and rc == 0 and not found
                        and (cwd / "quantized.mlir").exists()):
                    quantized = (name[:-len(">file")], (cwd / "quantized.mlir").read_text())
                if found and found[0] == "hang":
                    hangs += 1
                    if hangs >= 2:
                        break
            if hangs < 2 and not a.no_run:
                self.run_jit(rng, run, "run", text)
                if quantized:
                    self.run_jit(rng, run, quantized[0] + "+run", quantized[1])
        shutil.rmtree(cwd, ignore_errors=True)
        return index, seed_name, applied, valid, results

    def run_jit(self, rng, run, name, text):
        """fp8-run on random inputs, when the entry function takes small
        static tensors (1 in 10 gets a damaged .npy file)."""
        entry = entry_function(text)
        if entry is None:
            return
        func, args = entry
        files = {"input.mlir": text.encode()}
        argv = [str(self.tools / "fp8-run"), "input.mlir", "--entry", func]
        bad = rng.randrange(len(args)) if args and rng.random() < 0.1 else -1
        for k, (shape, elt) in enumerate(args):
            files[f"in{k}.npy"] = npy_bytes(rng, shape, elt, corrupt=(k == bad))
            argv += ["--input", f"in{k}.npy"]
        argv += ["--output-dir", "out"]
        if rng.random() < 0.2:
            argv += ["-O", rng.choice(["0", "1"])]
        run(name, argv, files)

    def record(self, outcome):
        index, seed_name, applied, valid, results = outcome
        with self.lock:
            self.stats["runs"] += 1
            self.stats["valid"] += valid
            self.stats["commands"] += len(results)
            self.stats["jit_runs"] += sum(r[0].endswith("run") for r in results)
            for name, argv, rc, err, found, secs, files in results:
                if not found:
                    continue
                kind, sig, location = found
                self.stats["hangs" if kind == "hang" else "crashes"] += 1
                entry = self.findings.get(sig)
                if entry is None:
                    entry = {"id": signature_id(sig), "kind": kind, "signature": sig,
                             "location": location, "count": 0, "commands": [],
                             "run": index}
                    self.findings[sig] = entry
                    print(f"[run {index}] new {kind}: {sig}\n    at {location} "
                          f"({name}, {secs:.1f}s)", flush=True)
                elif index >= entry["run"]:
                    entry["count"] += 1
                    if name not in entry["commands"]:
                        entry["commands"].append(name)
                    continue
                # First occurrence, or an earlier run index (keeps the
                # reproducer independent of thread scheduling).
                entry["count"] += 1
                entry["run"] = index
                if name not in entry["commands"]:
                    entry["commands"].append(name)
                self.write_repro(entry, seed_name, applied, files, name, argv, rc, err)

    def write_repro(self, entry, seed_name, applied, files, name, argv, rc, err):
        d = self.out / entry["id"]
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
        for fname, data in files.items():
            (d / fname).write_bytes(data)
        cmd = list(argv)
        script = "#!/bin/sh\n# %s\ncd \"$(dirname \"$0\")\"\n%s%s\n" % (
            entry["signature"],
            "ASAN_OPTIONS=%s UBSAN_OPTIONS=%s " % (
                shlex.quote(self.env["ASAN_OPTIONS"]), shlex.quote(self.env["UBSAN_OPTIONS"]))
            if self.args.sanitized else "",
            " ".join(shlex.quote(a) for a in cmd))
        (d / "cmd.sh").write_text(script)
        os.chmod(d / "cmd.sh", 0o755)
        (d / "stderr.txt").write_text(err[-30000:])
        meta = dict(entry, seed=self.args.seed, seed_file=seed_name,
                    mutations=applied, command=name, argv=cmd, returncode=rc,
                    sanitized=self.args.sanitized, timeout=self.args.timeout,
                    mem_mb=self.args.mem_mb)
        (d / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")

    def run(self):
        a = self.args
        self.out.mkdir(parents=True, exist_ok=True)
        t0 = time.monotonic()
        self.check_seeds()
        print(f"fuzz: {len(self.corpus.seeds)} seeds ({len(self.corpus.valid)} verify), tools {self.tools}, "
              f"seed {a.seed}, jobs {a.jobs}, "
              + (f"runs {a.runs}" if a.runs else "") + (" " if a.runs and a.time else "")
              + (f"time {a.time}s" if a.time else ""), flush=True)
        deadline = t0 + a.time if a.time else None
        next_index, pending = 0, set()
        with ThreadPoolExecutor(max_workers=a.jobs) as pool:
            while True:
                while (len(pending) < a.jobs
                       and (a.runs is None or next_index < a.runs)
                       and (deadline is None or time.monotonic() < deadline)):
                    pending.add(pool.submit(self.run_one, next_index))
                    next_index += 1
                if not pending:
                    break
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in done:
                    self.record(f.result())
                if self.stats["runs"] % 100 == 0 and done:
                    self.progress(t0)
        shutil.rmtree(self.workdir, ignore_errors=True)
        return self.summary(time.monotonic() - t0)

    def progress(self, t0):
        s = self.stats
        print(f"  {s['runs']} runs ({s['valid']} valid), {s['commands']} commands, "
              f"{len(self.findings)} unique, {time.monotonic() - t0:.0f}s", flush=True)

    def summary(self, seconds):
        findings = sorted(self.findings.values(), key=lambda e: (e["kind"], e["run"]))
        print()
        print(f"{'id':10}  {'kind':11} {'count':>5} {'run':>6}  signature / location")
        for e in findings:
            print(f"{e['id']:10}  {e['kind']:11} {e['count']:5} {e['run']:6}  {e['signature']}")
            print(f"{'':36}at {e['location']}  [{', '.join(e['commands'])}]")
        result = dict(self.stats, unique=len(findings),
                      unique_crashes=sum(e["kind"] != "hang" for e in findings),
                      unique_hangs=sum(e["kind"] == "hang" for e in findings),
                      seconds=round(seconds, 1), seed=self.args.seed,
                      tools=str(self.tools), sanitized=self.args.sanitized,
                      out=str(self.out),
                      findings=[{k: e[k] for k in ("id", "kind", "signature", "location",
                                                   "count", "run", "commands")}
                                for e in findings])
        (self.out / "summary.json").write_text(json.dumps(result, indent=2) + "\n")
        short = {k: v for k, v in result.items() if k != "findings"}
        print("\n" + json.dumps(short))
        return 1 if findings else 0


# ---------------------------------------------------------------------------
# Minimizing a reproducer
# ---------------------------------------------------------------------------


def minimize(args):
    """Shrinks DIR/input.mlir line by line while its command still fails the
    same way. With --tools/--sanitized the command runs with those tools and
    the target signature is whatever they report on the whole input."""
    d = Path(args.minimize).resolve()
    meta = json.loads((d / "meta.json").read_text())
    sanitized = meta["sanitized"] or args.sanitized
    env = tool_env(sanitized, meta["mem_mb"])
    timeout = args.timeout_explicit or (30.0 if sanitized else meta["timeout"])
    tmp = Path(tempfile.mkdtemp(prefix="fp8-fuzz-min-"))
    argv_t = meta["argv"]
    if args.tools_explicit or args.sanitized:
        argv_t = [str(Path(args.tools).resolve() / Path(a).name)
                  if a.endswith(("fp8-opt", "fp8-run")) else a for a in argv_t]

    def key(sig):
        # Loose: the kind and message, and the top frame.
        head, _, frames = sig.partition(" | ")
        return head + " | " + frames.split(" < ")[0] if args.loose else sig

    calls = [0]

    for f in d.iterdir():
        if f.is_file() and f.name not in ("input.mlir", "cmd.sh", "meta.json") \
                and not f.name.endswith(".txt"):
            shutil.copy(f, tmp / f.name)

    def check(lines):
        calls[0] += 1
        (tmp / "input.mlir").write_text("\n".join(lines) + "\n")
        rc, err, timed_out, _ = run_command(argv_t, timeout, env, meta["mem_mb"],
                                            sanitized, cwd=tmp)
        return classify(rc, err, timed_out), err

    lines = (d / "input.mlir").read_text().split("\n")
    found, err = check(lines)
    if found is None:
        print("does not reproduce:", meta["signature"])
        return 2
    want = found[1]
    print("signature:", want)
    print("location: ", found[2])

    def still_fails(lines):
        found, _ = check(lines)
        return found is not None and key(found[1]) == key(want)

    if still_fails([l for l in lines if l.strip()]):
        lines = [l for l in lines if l.strip()]
    n = max(len(lines) // 2, 1)
    while True:  # ddmin over lines: chunks of n, then halve n
        i, changed = 0, False
        while i < len(lines):
            trial = lines[:i] + lines[i + n:]
            if trial and still_fails(trial):
                lines, changed = trial, True
            else:
                i += n
        if n == 1 and not changed:
            break
        n = max(n // 2, 1)
    out = d / ("min-sanitized.mlir" if sanitized and not meta["sanitized"] else "min.mlir")
    out.write_text("\n".join(lines) + "\n")
    found, err = check(lines)
    (out.with_suffix(".stderr.txt")).write_text(err[-30000:])
    print(f"{len(lines)} lines after {calls[0]} runs: {out}")
    print("command (in %s):" % d, " ".join(shlex.quote(a) for a in argv_t).replace(
        "input.mlir", out.name))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--time", type=float, help="stop starting runs after this many seconds")
    p.add_argument("--runs", type=int, help="number of mutants")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--tools", help="directory with fp8-opt (default build/bin, "
                   "or build-asan/bin with --sanitized)")
    p.add_argument("--sanitized", action="store_true",
                   help="the tools are built with ASan/UBSan (no RLIMIT_AS; ASan "
                   "memory limits and report options instead)")
    p.add_argument("--timeout", type=float, help="seconds per command "
                   "(default 10, 30 with --sanitized)")
    p.add_argument("--no-run", action="store_true",
                   help="skip the fp8-run (JIT on random .npy inputs) steps")
    p.add_argument("--repairs", type=int, default=6,
                   help="verifier-guided repair rounds per mutant")
    p.add_argument("--mem-mb", type=int, default=4096, help="memory limit per command")
    p.add_argument("--out", default=str(ROOT / "bench" / "fuzz" / "out"))
    p.add_argument("--minimize", metavar="DIR",
                   help="shrink DIR/input.mlir (a reproducer) to DIR/min.mlir")
    p.add_argument("--loose", action="store_true",
                   help="with --minimize: match only the kind, message and top frame")
    args = p.parse_args()
    args.timeout_explicit = args.timeout
    args.tools_explicit = args.tools
    if args.timeout is None:
        args.timeout = 30.0 if args.sanitized else 10.0
    if args.tools is None:
        args.tools = str(ROOT / ("build-asan" if args.sanitized else "build") / "bin")
    if args.minimize:
        return minimize(args)
    if args.runs is None and args.time is None:
        args.time = 60.0
    if not (Path(args.tools) / "fp8-opt").exists():
        print(f"fuzz: no fp8-opt in {args.tools}", file=sys.stderr)
        return 2
    return Campaign(args).run()


if __name__ == "__main__":
    sys.exit(main())
