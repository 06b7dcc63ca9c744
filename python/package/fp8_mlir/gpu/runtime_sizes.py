"""Launch parameters of kernels compiled for dynamic shapes.

A kernel lowered from a tensor with dynamic leading dims takes its row
count (those dims multiplied) at launch. Its manifest entry then has

* `"rows": {"param": NAME, "row_length": L, "operand": i, "dims": [...]}`:
  the row count is the element count of the input parameter NAME divided
  by L (the static last dim), i.e. the product of its dynamic-capable dims;
* sizes given as formulas of the rows instead of integers, in the grid,
  in buffer shapes and in a TMA descriptor's `global_dim`:
  `{"rows_mul": m, "rows_ceil_div": d, "max": c}` is
  `min(ceil(rows * m / d), c)` (no `max`: no clamp);
* a parameter `{"kind": "rows", "dtype": "int64"}`: the row count itself,
  passed by value.

`specialize(spec, rows)` turns such an entry into the entry of a static
kernel (integers everywhere, the `rows` parameter carrying its `value`),
which is what the launcher binds. Pure Python: no driver, no GPU needed.
"""

import copy
import math

from ._driver import GPUError

__all__ = ["CUDA_MAX_GRID", "evaluate_extent", "has_runtime_rows",
           "rows_from_arrays", "specialize"]

#: CUDA's grid limits along x, y and z.
CUDA_MAX_GRID = (2**31 - 1, 65535, 65535)


def has_runtime_rows(spec):
    """Whether the kernel `spec` takes its rows at launch."""
    return "rows" in spec


def evaluate_extent(extent, rows):
    """An integer of the manifest as is; a formula of the rows evaluated
    for `rows` rows."""
    if isinstance(extent, int):
        return extent
    value = -(-rows * extent["rows_mul"] // extent["rows_ceil_div"])
    if "max" in extent:
        value = min(value, extent["max"])
    return value


def rows_from_arrays(spec, values):
    """The row count of `spec` from the bound arguments `values` (by
    parameter name): the element count of the input the manifest names
    divided by its row length."""
    source = spec["rows"]
    value = values.get(source["param"])
    if value is None:
        raise GPUError(f"{spec['name']} takes its rows from parameter "
                       f"{source['param']!r}; no argument given for it")
    size = math.prod(getattr(value, "shape", ()) or (len(value),))
    length = source["row_length"]
    if size % length:
        raise GPUError(f"{spec['name']}: parameter {source['param']!r} has "
                       f"{size} elements, not a whole number of rows of "
                       f"{length}")
    return size // length


def specialize(spec, rows):
    """The manifest entry `spec` for `rows` rows: every formula evaluated,
    the `rows` parameter given `value`. A static entry comes back as is."""
    if not has_runtime_rows(spec):
        return spec
    if not isinstance(rows, int) or rows < 1:
        raise GPUError(f"{spec['name']}: the row count must be a positive "
                       f"integer, got {rows!r}")
    result = copy.deepcopy(spec)
    result["grid"] = [evaluate_extent(size, rows) for size in spec["grid"]]
    for dim, (size, limit) in enumerate(zip(result["grid"], CUDA_MAX_GRID)):
        if size > limit:
            raise GPUError(f"{spec['name']}: {rows} rows need {size} CTAs "
                           f"along {'xyz'[dim]}; CUDA launches at most {limit}")
    for param in result["params"]:
        if param["kind"] == "buffer":
            param["shape"] = [evaluate_extent(s, rows) for s in param["shape"]]
        elif param["kind"] == "tensor_map":
            param["global_dim"] = [evaluate_extent(s, rows)
                                   for s in param["global_dim"]]
        elif param["kind"] == "rows":
            param["value"] = rows
    return result
