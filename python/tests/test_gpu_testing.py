"""gpu_testing (what the GPU test files share) without a GPU: its device
check, and its launch + compare path run on real kernels of gpu_cases
(compiled now, or ahead of time) through fp8_mlir.gpu on the simulated
CUDA driver of test_gpu_harness.py, whose "launch" decodes what the harness
put in device memory for each parameter and answers with the case's CPU
reference.

So on this machine:

* the arguments gpu_testing packs for a kernel reach the parameters the
  manifest (and the PTX entry) declares: one slot per `.param`, every
  input under its own name, FP4/FP6 operands in the storage the kernel
  reads (Padded16, or two FP4 a byte for NVFP4), a TMA-store map over D;
* the comparisons accept the reference's answer and reject one wrong
  element (or a wrong amax, or an element outside a GEMM's bound), while
  ignoring the bytes of a packed FP4/FP6 output that hold no data.
"""

import re

import ml_dtypes
import numpy as np
import pytest

import fp8_mlir_ref as ref
import gpu_cases
import gpu_testing
from fp8_mlir import gpu
from fp8_mlir.gpu import _driver, device as device_module, manifest_dtype
from fp8_mlir.gpu.runtime_sizes import specialize
from test_gpu_harness import FakeB200, FakeDriver

#: Chips of the simulated drivers.
DRIVERS = {"sm_90a": FakeDriver, "sm_100a": FakeB200}


def _install(monkeypatch, driver):
    """Makes `driver` cuda-python's driver module for fp8_mlir.gpu."""
    monkeypatch.setattr(_driver, "_DRIVER", driver)
    monkeypatch.setattr(_driver, "_IMPORT_ERROR", None)
    monkeypatch.setattr(device_module, "_reason_cache", [])
    monkeypatch.setattr(device_module, "_default", [])
    return driver


def _case(name):
    for case in gpu_cases.ALL_CASES:
        if case.name == name:
            return case
    raise KeyError(name)


# --- the device check ---------------------------------------------------------------


def test_device_for_the_chip_of_the_gpu(monkeypatch):
    _install(monkeypatch, FakeDriver())
    device = gpu_testing.device_for("sm_90a")
    assert device.chip == "sm_90a" and device.name == "Simulated H200"


def test_device_for_another_chip_skips_saying_why(monkeypatch):
    _install(monkeypatch, FakeDriver())
    with pytest.raises(pytest.skip.Exception,
                       match=r"the FP4 kernels are compiled for sm_100a; "
                             r"Device\(0: Simulated H200, sm_90\) runs other "
                             r"code"):
        gpu_testing.device_for("sm_100a", "the FP4 kernels")
    _install(monkeypatch, FakeB200())
    assert gpu_testing.device_for("sm_100a").name == "Simulated B200"
    with pytest.raises(pytest.skip.Exception, match="Simulated B200"):
        gpu_testing.device_for("sm_90a")


def test_device_for_without_cuda_python_skips_saying_why(monkeypatch):
    monkeypatch.setattr(_driver, "_DRIVER", None)
    monkeypatch.setattr(_driver, "_IMPORT_ERROR", "cuda-python is not installed")
    monkeypatch.setattr(device_module, "_reason_cache", [])
    monkeypatch.setattr(device_module, "_default", [])
    with pytest.raises(pytest.skip.Exception,
                       match="no GPU: .*cuda-python is not installed"):
        gpu_testing.device_for("sm_90a")


# --- a kernel whose launch answers with the CPU reference ---------------------------


def _is_output(param):
    return param["kind"] == "buffer" and param["access"] == "write"


class ReferenceKernelRun:
    """The emulation of one case's kernel on the simulated driver: decodes
    every input parameter from device memory as the kernel would read it
    (`received`, by parameter name), and writes the reference's outputs in
    the kernel's storage, after `tamper(outputs)` when given."""

    def __init__(self, case, spec, tamper=None):
        self.case, self.spec, self.tamper = case, spec, tamper
        self.inputs = case.inputs()
        self.expected = case.reference(self.inputs)
        self.received = {}
        self.launches = 0

    def _logical(self, name):
        """dtype and shape of the case's input `name`."""
        value = np.asarray(self.inputs[name])
        return value.dtype, value.shape

    def _decode(self, fake, param, address):
        dtype, shape = self._logical(param["name"])
        size = int(np.prod(shape, dtype=np.int64))
        if param.get("packed_fp4"):  # two FP4 values a byte along the row
            raw = fake.read(address, np.uint8, size // 2)
            return ref.unpack_fp4(raw.reshape(shape[:-1] + (shape[-1] // 2,)))
        if np.dtype(dtype) in gpu_testing.SUB_BYTE_DTYPES:  # Padded16
            raw = fake.read(address, np.uint8, size)
            return gpu_cases.unpack_padded16(raw, dtype, shape)
        stored = manifest_dtype(param.get("element_type", param.get("dtype")))
        assert stored == dtype, (param["name"], stored, dtype)
        return fake.read(address, dtype, size).reshape(shape)

    def _encode(self, param):
        """The bytes the kernel writes for output `param`."""
        name = param["name"]
        value = self.expected.get(name)
        if value is None and name == "d":  # f32 D of the FP4/FP6 GEMMs
            value = self.expected["exact"]
        value = np.asarray(value)
        if np.dtype(value.dtype) in gpu_testing.SUB_BYTE_DTYPES:
            raw = np.zeros(value.size, np.uint8)
            if np.dtype(self.inputs["scale"].dtype) == np.dtype(
                    ml_dtypes.float8_e4m3fn):  # NVFP4: packed, first half
                packed = ref.pack_fp4(value).reshape(-1)
                raw[:packed.size] = packed
                raw[packed.size:] = 0xA5  # not data: must be ignored
            else:
                raw[:] = gpu_cases.pack_padded16(value).reshape(-1)
            return raw
        return value.astype(manifest_dtype(param["dtype"])).reshape(-1)

    def __call__(self, fake, name, pointers):
        self.launches += 1
        params = self.spec["params"]
        assert len(pointers) == len(params), (
            f"{name}: {len(pointers)} .param slots, {len(params)} in the "
            "manifest")
        by_name = dict(zip([p["name"] for p in params], pointers))
        rows = [by_name[p["name"]] for p in params if p["kind"] == "rows"]
        if rows:  # dynamic rows: the entry for the rows passed by value
            params = specialize(self.spec, rows[0])["params"]
        for param, pointer in zip(params, pointers):
            if param["kind"] == "rows" or _is_output(param):
                continue
            if param["kind"] == "tensor_map":
                encoded = fake.tensor_map(pointer)
                assert encoded["dims"] == param["global_dim"], param["name"]
                assert encoded["data_type"] == param["data_type"]
                if "of" in param:  # the TMA-store map over D's memory
                    assert encoded["address"] == by_name[param["of"]]
                    continue
                pointer = encoded["address"]
            self.received[param["name"]] = self._decode(fake, param, pointer)
        outputs = {p["name"]: self._encode(p) for p in params if _is_output(p)}
        if self.tamper:
            self.tamper(outputs)
        for param in params:
            if _is_output(param):
                fake.write(by_name[param["name"]], outputs[param["name"]])


def _simulated_kernel(monkeypatch, case, tamper=None):
    """(kernel, run): the case's real kernel loaded through gpu_testing on
    a simulated driver of its chip, `run` answering its launches."""
    binary, spec = gpu_testing.case_binary(case)
    run = ReferenceKernelRun(case, spec, tamper)
    fake = _install(monkeypatch, DRIVERS[case.chip]())
    fake.emulators[spec["name"].split("_")[1]] = run
    device = gpu_testing.device_for(case.chip)
    kernel = gpu_testing.load_case(case, device)
    ptx_params = re.search(r"\.entry\s+" + re.escape(spec["name"]) +
                           r"\((.*?)\)", binary, re.S)
    assert ptx_params, f"no .entry {spec['name']} in the PTX"
    assert len(re.findall(r"\.param\s", ptx_params.group(1))) == len(
        spec["params"]), "the manifest and the PTX entry disagree"
    return kernel, run, fake


def _assert_received_inputs(run):
    """Every input of the case reached the parameter of its name, decoded
    bit for bit as the case made it."""
    assert sorted(run.received) == sorted(run.inputs), (
        sorted(run.received), sorted(run.inputs))
    for name, value in run.inputs.items():
        value = np.asarray(value).reshape(-1)
        got = np.asarray(run.received[name]).reshape(-1)
        assert got.dtype == value.dtype, (name, got.dtype, value.dtype)
        np.testing.assert_array_equal(got.view(np.uint8), value.view(np.uint8),
                                      err_msg=name)


BIT_EXACT = [
    "quantize_f32_e4m3_tensor", "quantize_f16_e4m3_mx",
    "dequantize_e4m3_bf16_block1x128", "amax_f16_rowwise",
    "amax_f32_tensor_specials",
    "fused_quantize_f32_e4m3_mx",            # two outputs: data and scales
    "dynamic_quantize_bf16_e4m3_rowwise_m7",  # rows from the input
    "quantize_f32_e2m1_nvfp4_1x16",          # packed FP4 output
    "quantize_bf16_e2m3_mx", "quantize_f32_e2m1_mx",  # Padded16 outputs
]


@pytest.mark.parametrize("name", BIT_EXACT)
def test_check_bit_exact_on_simulated_kernels(monkeypatch, name):
    """The reference's answer passes, and the inputs arrived as declared."""
    case = _case(name)
    kernel, run, fake = _simulated_kernel(monkeypatch, case)
    gpu_testing.check_bit_exact(case, kernel)
    assert run.launches == 1
    _assert_received_inputs(run)
    assert fake.memory == {}, "device buffers leaked"


def _flip_one_element(outputs):
    """Flips the lowest bit of one element of the first output: element 0
    of FP4 / FP6 data (bit 0 of byte 0 in either storage), else the first
    element that is not a NaN (a NaN matches any NaN), or makes an
    all-NaN output's element 0 a number."""
    first = next(iter(outputs.values()))
    index = 0
    if first.dtype != np.uint8:  # not a packed sub-byte output
        nan = np.isnan(first.astype(np.float32))
        if nan.all():  # a NaN amax: a number instead differs too
            first[0] = 0
            return
        index = int(np.argmin(nan))
    first.view(np.uint8)[index * first.dtype.itemsize] ^= 1


@pytest.mark.parametrize("name", BIT_EXACT)
def test_check_bit_exact_rejects_one_wrong_element(monkeypatch, name):
    case = _case(name)
    kernel, _, _ = _simulated_kernel(monkeypatch, case, _flip_one_element)
    with pytest.raises(AssertionError, match=r": 1 of \d+ elements differ"):
        gpu_testing.check_bit_exact(case, kernel)


@pytest.mark.parametrize("name", ["quantize_f32_e2m1_nvfp4_1x16",
                                  "quantize_f32_e3m2_mx"])
def test_check_bit_exact_ignores_the_padding_of_packed_outputs(monkeypatch,
                                                                 name):
    """Bytes of the output buffer that hold no FP4/FP6 data (NVFP4: the
    second half; Padded16: the last 4 or 8 bytes of each 16) do not count."""
    def scribble_padding(outputs):
        raw = outputs["output"]
        if "nvfp4" in name:
            raw[raw.size // 2:] = 0xFF
        else:
            raw.reshape(-1, 16)[:, 12:] = 0xFF  # FP6: 12 data bytes per 16

    case = _case(name)
    kernel, _, _ = _simulated_kernel(monkeypatch, case, scribble_padding)
    gpu_testing.check_bit_exact(case, kernel)


GEMMS = [
    "gemm_e4m3_bf16_tensor_256x384x512",
    "gemm_e4m3_bf16_rowwise_batched_3x200x136x256",
    "gemm_e4m3_bf16_blockwise_batched_2x2x256x256x512",
    # bias, out_scale, E4M3 D, amax(D), D stored by TMA (a map over D)
    "gemm_rowwise_bias_e4m3out_amax_tmastore_1000x2064x1040",
    "dynamic_gemm_e4m3_bf16_rowwise_129x384x512_m129",
    # sm_100a: MX scales by TMA, batched
    "sm100_ws_tmascales_mx_bf16_batched_3x200x136x1024",
]


@pytest.mark.parametrize("name", GEMMS)
def test_check_gemm_on_simulated_kernels(monkeypatch, name):
    case = _case(name)
    kernel, run, _ = _simulated_kernel(monkeypatch, case)
    worst, frobenius = gpu_testing.check_gemm(case, kernel)
    assert 0 <= worst <= 1 and 0 <= frobenius
    _assert_received_inputs(run)


def _off_by(element_of_d):
    def tamper(outputs):
        d = outputs["d"]
        wide = d.astype(np.float64)
        wide[element_of_d] = 2 * wide[element_of_d] + 1.0
        d[element_of_d] = wide[element_of_d].astype(d.dtype)
    return tamper


@pytest.mark.parametrize("name", [GEMMS[0], GEMMS[3], GEMMS[5]])
def test_check_gemm_rejects_an_element_outside_the_bound(monkeypatch, name):
    case = _case(name)
    kernel, _, _ = _simulated_kernel(monkeypatch, case, _off_by(5))
    with pytest.raises(AssertionError, match="1 elements outside the bound"):
        gpu_testing.check_gemm(case, kernel)


def test_check_gemm_rejects_a_wrong_amax(monkeypatch):
    case = _case(GEMMS[3])

    def tamper(outputs):
        outputs["amax"] = outputs["amax"] * np.float32(2) + np.float32(1)

    kernel, _, _ = _simulated_kernel(monkeypatch, case, tamper)
    with pytest.raises(AssertionError, match="amax of D"):
        gpu_testing.check_gemm(case, kernel)


F32_ACCUMULATION_GEMMS = ["gemm_mxfp6_e2m3_e3m2", "gemm_mxfp8_x_mxfp4",
                          "gemm_mxfp4", "gemm_nvfp4_weight_blocks_tail"]


@pytest.mark.parametrize("name", F32_ACCUMULATION_GEMMS)
def test_check_f32_accumulation_gemm_on_simulated_kernels(monkeypatch, name):
    """The FP4/FP6 operands reach the kernel in its storage (Padded16, or
    packed for NVFP4), and the reference's D passes."""
    case = _case(name)
    kernel, run, _ = _simulated_kernel(monkeypatch, case)
    gpu_testing.check_f32_accumulation_gemm(case, kernel)
    _assert_received_inputs(run)


@pytest.mark.parametrize("name", F32_ACCUMULATION_GEMMS)
def test_check_f32_accumulation_gemm_rejects_a_wrong_element(monkeypatch,
                                                              name):
    case = _case(name)
    kernel, _, _ = _simulated_kernel(monkeypatch, case, _off_by(0))
    with pytest.raises(AssertionError, match="1 elements outside the bound"):
        gpu_testing.check_f32_accumulation_gemm(case, kernel)


@pytest.mark.parametrize("name,error", [
    ("gemm_mxfp6_e2m3_e3m2", AssertionError),   # decoded operands differ
    ("gemm_mxfp4", gpu.GPUError),                  # twice the bytes
    ("gemm_nvfp4_rowwise_blocks", gpu.GPUError)])
def test_operands_in_the_wrong_storage_are_caught(monkeypatch, name, error):
    """Without device_arguments' packing the kernel would get FP4 codes
    one a byte: for the MX FP6 GEMM they decode to other values than the
    case's (Padded16 takes as many bytes), for the packed FP4 GEMMs
    (NVFP4, `.kind::mxf4`) the harness refuses twice the bytes their A and
    B maps cover."""
    case = _case(name)
    monkeypatch.setattr(gpu_testing, "device_arguments",
                        lambda case, inputs: dict(inputs))
    kernel, run, _ = _simulated_kernel(monkeypatch, case)
    with pytest.raises(error):
        gpu_testing.launch_case(case, kernel)
        _assert_received_inputs(run)
