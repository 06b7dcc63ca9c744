"""Launch parameters of the kernels compiled for dynamic shapes, without a
GPU: the manifest of a kernel with a dynamic token dim, specialized for M
rows by fp8_mlir.gpu.runtime_sizes, must give the grid and buffer sizes the
kernel compiled for the static shape [M, K] has (two independent paths of
the compiler), for M = 1, 7, 129, 300, on both chips."""

import numpy as np
import pytest

fp8_mlir = pytest.importorskip(
    "fp8_mlir", reason="fp8_mlir is not built (PYTHONPATH=<build>/python_packages)")
from fp8_mlir.gpu import GPUError  # noqa: E402
from fp8_mlir.gpu.runtime_sizes import (  # noqa: E402
    evaluate_extent, has_runtime_rows, rows_from_arrays, specialize)

needs_compiler = pytest.mark.skipif(
    not fp8_mlir.has_compiler(), reason="fp8_mlir's compiler is not built")

ROWS = [1, 7, 129, 300]
CHIPS = ["sm_90a", "sm_100a"]
K = 256

# (name, IR template of one op on x [M, K]; {m} is the token dim).
OPS = {
    "quantize_tensor": """
func.func @f(%x: tensor<{m}x256xf32>, %s: tensor<f32>) -> tensor<{m}x256xf8E4M3FN> {{
  %q = fp8.quantize %x, %s {{scaling = #fp8.scaling<tensor>}}
      : tensor<{m}x256xf32>, tensor<f32> -> tensor<{m}x256xf8E4M3FN>
  return %q : tensor<{m}x256xf8E4M3FN>
}}""",
    "quantize_rowwise": """
func.func @f(%x: tensor<{m}x256xbf16>, %s: tensor<{m}x1xf32>) -> tensor<{m}x256xf8E4M3FN> {{
  %q = fp8.quantize %x, %s {{scaling = #fp8.scaling<rowwise>}}
      : tensor<{m}x256xbf16>, tensor<{m}x1xf32> -> tensor<{m}x256xf8E4M3FN>
  return %q : tensor<{m}x256xf8E4M3FN>
}}""",
    "quantize_block1x128": """
func.func @f(%x: tensor<{m}x256xf32>, %s: tensor<{m}x2xf32>) -> tensor<{m}x256xf8E4M3FN> {{
  %q = fp8.quantize %x, %s {{scaling = #fp8.scaling<block [1, 128]>}}
      : tensor<{m}x256xf32>, tensor<{m}x2xf32> -> tensor<{m}x256xf8E4M3FN>
  return %q : tensor<{m}x256xf8E4M3FN>
}}""",
    "quantize_mxfp8": """
func.func @f(%x: tensor<{m}x256xf32>, %s: tensor<{m}x8xf8E8M0FNU>) -> tensor<{m}x256xf8E4M3FN> {{
  %q = fp8.quantize %x, %s {{scaling = #fp8.scaling<block [1, 32]>}}
      : tensor<{m}x256xf32>, tensor<{m}x8xf8E8M0FNU> -> tensor<{m}x256xf8E4M3FN>
  return %q : tensor<{m}x256xf8E4M3FN>
}}""",
    "dequantize_rowwise": """
func.func @f(%q: tensor<{m}x256xf8E4M3FN>, %s: tensor<{m}x1xf32>) -> tensor<{m}x256xf32> {{
  %x = fp8.dequantize %q, %s {{scaling = #fp8.scaling<rowwise>}}
      : tensor<{m}x256xf8E4M3FN>, tensor<{m}x1xf32> -> tensor<{m}x256xf32>
  return %x : tensor<{m}x256xf32>
}}""",
    "amax_tensor": """
func.func @f(%x: tensor<{m}x256xf32>) -> tensor<f32> {{
  %a = fp8.amax %x {{scaling = #fp8.scaling<tensor>}} : tensor<{m}x256xf32> -> tensor<f32>
  return %a : tensor<f32>
}}""",
    "amax_rowwise": """
func.func @f(%x: tensor<{m}x256xf32>) -> tensor<{m}x1xf32> {{
  %a = fp8.amax %x {{scaling = #fp8.scaling<rowwise>}} : tensor<{m}x256xf32> -> tensor<{m}x1xf32>
  return %a : tensor<{m}x1xf32>
}}""",
    "amax_block1x128": """
func.func @f(%x: tensor<{m}x256xf32>) -> tensor<{m}x2xf32> {{
  %a = fp8.amax %x {{scaling = #fp8.scaling<block [1, 128]>}} : tensor<{m}x256xf32> -> tensor<{m}x2xf32>
  return %a : tensor<{m}x2xf32>
}}""",
    "amax_mxfp8": """
func.func @f(%x: tensor<{m}x256xbf16>) -> tensor<{m}x8xf32> {{
  %a = fp8.amax %x {{scaling = #fp8.scaling<block [1, 32]>}} : tensor<{m}x256xbf16> -> tensor<{m}x8xf32>
  return %a : tensor<{m}x8xf32>
}}""",
}


def only_kernel(ir, chip):
    _, manifest = fp8_mlir.to_ptx(ir, chip=chip, recipe=None)
    (kernel,) = manifest["kernels"]
    return kernel


def launch_view(spec):
    """What the launcher uses: grid, block, and per parameter its kind and
    size (buffer element counts)."""
    params = []
    for param in spec["params"]:
        if param["kind"] == "buffer":
            params.append((param["name"], param["dtype"],
                           int(np.prod(param["shape"]))))
        elif param["kind"] == "tensor_map":
            params.append((param["name"], tuple(param["global_dim"])))
    return tuple(spec["grid"]), tuple(spec["block"]), params


@needs_compiler
@pytest.mark.parametrize("chip", CHIPS)
@pytest.mark.parametrize("op", sorted(OPS))
def test_dynamic_kernel_launches_like_the_static_one(op, chip):
    dynamic = only_kernel(OPS[op].format(m="?"), chip)
    assert has_runtime_rows(dynamic)
    assert dynamic["rows"]["row_length"] == K
    # The grid is computed at launch: a formula, not a number.
    assert isinstance(dynamic["grid"][0], dict)
    assert [p["kind"] for p in dynamic["params"]].count("rows") == 1
    for m in ROWS:
        static = only_kernel(OPS[op].format(m=m), chip)
        assert not has_runtime_rows(static)
        specialized = specialize(dynamic, m)
        assert launch_view(specialized) == launch_view(static), (op, m)
        (rows_param,) = [p for p in specialized["params"]
                         if p["kind"] == "rows"]
        assert rows_param["value"] == m


@needs_compiler
def test_one_kernel_serves_every_row_count():
    """Two ops on dynamic rows of the same row length share one kernel."""
    ir = """
func.func @f(%x: tensor<?x256xf32>, %y: tensor<?x256xf32>) -> (tensor<?x1xf32>, tensor<?x1xf32>) {
  %a = fp8.amax %x {scaling = #fp8.scaling<rowwise>} : tensor<?x256xf32> -> tensor<?x1xf32>
  %b = fp8.amax %y {scaling = #fp8.scaling<rowwise>} : tensor<?x256xf32> -> tensor<?x1xf32>
  return %a, %b : tensor<?x1xf32>, tensor<?x1xf32>
}"""
    _, manifest = fp8_mlir.to_ptx(ir, chip="sm_90a", recipe=None)
    assert len(manifest["kernels"]) == 1


@needs_compiler
def test_rows_come_from_the_named_input():
    spec = only_kernel(OPS["quantize_block1x128"].format(m="?"), "sm_90a")
    assert spec["rows"]["param"] == "input"
    for m in ROWS:
        x = np.zeros((m, K), np.float32)
        assert rows_from_arrays(spec, {"input": x}) == m
        # Batch dims fold into the rows; a flat array works too.
        assert rows_from_arrays(spec, {"input": x.reshape(-1)}) == m
    with pytest.raises(GPUError, match="not a whole number of rows"):
        rows_from_arrays(spec, {"input": np.zeros(K + 1, np.float32)})
    with pytest.raises(GPUError, match="no argument given"):
        rows_from_arrays(spec, {})


def test_extent_formulas():
    assert evaluate_extent(7, 300) == 7
    assert evaluate_extent({"rows_mul": 16, "rows_ceil_div": 256}, 17) == 2
    assert evaluate_extent({"rows_mul": 16, "rows_ceil_div": 256}, 16) == 1
    assert evaluate_extent(
        {"rows_mul": 64, "rows_ceil_div": 1024, "max": 264}, 10**6) == 264


def test_specialize_refuses_bad_rows_and_huge_grids():
    spec = {"name": "k", "rows": {"param": "input", "row_length": 16},
            "grid": [{"rows_mul": 1, "rows_ceil_div": 1}, 1, 1],
            "params": [{"name": "rows", "kind": "rows", "dtype": "int64"}]}
    with pytest.raises(GPUError, match="positive integer"):
        specialize(spec, 0)
    with pytest.raises(GPUError, match="CUDA launches at most"):
        specialize(spec, 2**31)
    assert specialize(spec, 5)["grid"] == [5, 1, 1]
    # The entry itself is left as it was.
    assert isinstance(spec["grid"][0], dict)


@needs_compiler
@pytest.mark.parametrize("chip", CHIPS)
def test_dynamic_gpu_cases_bind_at_every_row_count(chip):
    """The `dynamic_*` cases of gpu_cases.py (run on a GPU later): for each,
    the kernel of its IR takes the rows from the case's input, and the
    specialized parameters have exactly the element counts of the case's
    inputs and of its reference outputs."""
    import gpu_cases

    cases = gpu_cases.DYNAMIC_ROWS_CASES
    assert {int(c.name.rsplit("_m", 1)[1]) for c in cases} == set(ROWS)
    kernels = {}
    for case in cases:
        if case.ir not in kernels:
            kernels[case.ir] = only_kernel(case.ir, chip)
        spec = kernels[case.ir]
        inputs = case.inputs()
        rows = rows_from_arrays(spec, inputs)
        assert rows == next(iter(inputs.values())).shape[0], case.name
        specialized = specialize(spec, rows)
        sizes = {p["name"]: int(np.prod(p["shape"]))
                 for p in specialized["params"] if p["kind"] == "buffer"}
        expected = {**{name: np.size(value) for name, value in inputs.items()},
                    **{name: np.size(value)
                       for name, value in case.reference(inputs).items()}}
        assert sizes == expected, case.name
    # One kernel per op, shared by the four row counts.
    assert len(kernels) == len(cases) // len(ROWS)


# --- GEMMs with a runtime M ---------------------------------------------------
#
# fp8.scaled_matmul of A [M, 512] by a static B [384, 512]: the kernel of
# A [?, 512] takes M at launch. Specialized for M rows, its manifest entry
# must launch like the kernel compiled for the static M with the same tiling
# (the tile is pinned by options: for a static M the heuristic would pick
# it from M).

GEMM_SCALINGS = {
    # name: (A's scaling, its scale shape for M rows, B's scaling and scale
    # type, B's scale shape)
    "tensor": ("#fp8.scaling<tensor>", lambda m: "", "#fp8.scaling<tensor>",
               "f32", ""),
    "rowwise": ("#fp8.scaling<rowwise>", lambda m: f"{m}x1x",
                "#fp8.scaling<rowwise>", "f32", "384x1x"),
    "blockwise": ("#fp8.scaling<block [1, 128]>", lambda m: f"{m}x4x",
                  "#fp8.scaling<block [128, 128]>", "f32", "3x4x"),
    "mxfp8": ("#fp8.scaling<block [1, 32]>", lambda m: f"{m}x16x",
              "#fp8.scaling<block [1, 32]>", "f8E8M0FNU", "384x16x"),
}
# The tiling both compilations use, per chip.
GEMM_OPTIONS = {
    "sm_90a": {"gemm_tile": "128x128", "gemm_warp_specialize": "on",
               "gemm_cluster": "1x1"},
    "sm_100a": {"gemm_tile": "128x128"},
}


def gemm_ir(scaling, m):
    a_scaling, a_scale, b_scaling, scale_type, b_scale = GEMM_SCALINGS[scaling]
    sa = f"tensor<{a_scale(m)}{scale_type}>"
    sb = f"tensor<{b_scale}{scale_type}>"
    return f"""
func.func @f(%a: tensor<{m}x512xf8E4M3FN>, %sa: {sa}, %b: tensor<384x512xf8E4M3FN>,
             %sb: {sb}, %bias: tensor<384xbf16>) -> (tensor<{m}x384xbf16>, tensor<f32>) {{
  %d, %amax = fp8.scaled_matmul %a, %sa, %b, %sb bias(%bias : tensor<384xbf16>)
      {{a_scaling = {a_scaling}, b_scaling = {b_scaling}, transpose_b}}
      : tensor<{m}x512xf8E4M3FN>, {sa}, tensor<384x512xf8E4M3FN>, {sb}
      -> tensor<{m}x384xbf16>, tensor<f32>
  return %d, %amax : tensor<{m}x384xbf16>, tensor<f32>
}}"""


def gemm_kernel(ir, chip):
    _, manifest = fp8_mlir.to_ptx(ir, chip=chip, recipe=None,
                                  **GEMM_OPTIONS[chip])
    (kernel,) = manifest["kernels"]
    return kernel


@needs_compiler
@pytest.mark.parametrize("chip", CHIPS)
@pytest.mark.parametrize("scaling", sorted(GEMM_SCALINGS))
def test_runtime_m_gemm_launches_like_the_static_one(scaling, chip):
    if chip == "sm_100a" and scaling == "blockwise":
        pytest.skip("sm_100a has no [1, 128] x [128, 128] GEMM (static or not)")
    dynamic = gemm_kernel(gemm_ir(scaling, "?"), chip)
    assert has_runtime_rows(dynamic)
    assert dynamic["rows"]["param"] == "a"
    assert dynamic["rows"]["row_length"] == 512
    assert isinstance(dynamic["grid"][0], dict)
    assert "_dx384x512_" in dynamic["name"]
    # The rows parameter comes after every buffer and tensor map.
    assert dynamic["params"][-1]["kind"] == "rows"
    for m in ROWS:
        static = gemm_kernel(gemm_ir(scaling, m), chip)
        assert not has_runtime_rows(static)
        specialized = specialize(dynamic, m)
        assert launch_view(specialized) == launch_view(static), (scaling, m)
        for key in ("block", "cluster", "dynamic_shared_memory"):
            assert specialized[key] == static[key], (scaling, m, key)
        assert specialized["params"][-1]["value"] == m
        a = np.zeros((m, 512), np.uint8)
        assert rows_from_arrays(dynamic, {"a": a}) == m


@needs_compiler
def test_dynamic_gemm_gpu_cases_bind_at_every_row_count():
    """The `dynamic_gemm_*` cases of gpu_cases.py (sm_90a, run on the Hopper
    device later): one kernel per GEMM for the four row counts, taking its
    rows from A, with buffers of exactly the element counts of the case's
    inputs and reference outputs."""
    import gpu_cases

    chip = "sm_90a"

    cases = gpu_cases.DYNAMIC_GEMM_CASES
    assert {int(c.name.rsplit("_m", 1)[1]) for c in cases} == set(ROWS)
    kernels = {}
    for case in cases:
        assert case.chip == chip, case.name
        if case.ir not in kernels:
            _, manifest = fp8_mlir.to_ptx(case.ir, chip=chip, recipe=None)
            (kernels[case.ir],) = manifest["kernels"]
        spec = kernels[case.ir]
        inputs = case.inputs()
        rows = rows_from_arrays(spec, inputs)
        assert rows == inputs["a"].shape[0], case.name
        specialized = specialize(spec, rows)
        expected = case.reference(inputs)
        for param in specialized["params"]:
            if param["kind"] == "buffer":
                value = inputs.get(param["name"], expected.get(param["name"]))
                assert int(np.prod(param["shape"])) == np.size(value), \
                    (case.name, param["name"])
            elif param["kind"] == "tensor_map":
                assert param["global_dim"] == \
                    list(reversed(inputs[param["name"]].shape)), case.name
    # One kernel per GEMM, shared by the four row counts.
    for ir in kernels:
        assert sum(case.ir == ir for case in cases) == len(ROWS)
