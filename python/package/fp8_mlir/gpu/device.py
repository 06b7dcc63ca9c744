"""The GPU: driver initialisation and its primary context.

The harness uses the device's *primary* context, the one the CUDA runtime
(and so PyTorch, CuPy, ...) uses too, so device pointers can be shared with
those libraries in one process.
"""

from ._driver import GPUError, check, driver, import_error

__all__ = ["Device", "default_device", "is_available", "unavailable_reason"]

_reason_cache = []


def unavailable_reason():
    """Why no kernel can run here (no cuda-python, no driver, no GPU), or
    None when a GPU is usable. Computed once."""
    if not _reason_cache:
        _reason_cache.append(_probe())
    return _reason_cache[0]


def _probe():
    if import_error() is not None:
        return import_error()
    cu = driver()
    try:
        check(cu.cuInit(0), "cuInit")
        count = check(cu.cuDeviceGetCount(), "cuDeviceGetCount")
    except Exception as error:  # noqa: BLE001 - e.g. "Failed to dlopen libcuda.so.1"
        return f"no usable CUDA driver: {error}"
    if count == 0:
        return "the CUDA driver sees no GPU"
    return None


def is_available():
    """True when cuda-python, a CUDA driver and a GPU are all present."""
    return unavailable_reason() is None


class Device:
    """GPU `ordinal` with its primary context made current.

        device = Device()
        print(device.name, device.compute_capability)   # 'NVIDIA H200', (9, 0)
    """

    def __init__(self, ordinal=0):
        reason = unavailable_reason()
        if reason is not None:
            raise GPUError(reason)
        cu = driver()
        self.ordinal = ordinal
        self.handle = check(cu.cuDeviceGet(ordinal), "cuDeviceGet")
        self.context = check(cu.cuDevicePrimaryCtxRetain(self.handle),
                             "cuDevicePrimaryCtxRetain")
        self.make_current()
        name = check(cu.cuDeviceGetName(256, self.handle), "cuDeviceGetName")
        self.name = (name.split(b"\0", 1)[0].decode()
                     if isinstance(name, bytes) else str(name))
        attribute = cu.CUdevice_attribute
        self.compute_capability = (
            self.attribute(attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
            self.attribute(attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR))
        self.multiprocessors = self.attribute(
            attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT)
        self.max_shared_memory_per_block = self.attribute(
            attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN)

    def attribute(self, attribute):
        """cuDeviceGetAttribute(attribute) of this device."""
        return check(driver().cuDeviceGetAttribute(attribute, self.handle),
                     f"cuDeviceGetAttribute({attribute})")

    def make_current(self):
        check(driver().cuCtxSetCurrent(self.context), "cuCtxSetCurrent")

    def synchronize(self):
        check(driver().cuCtxSynchronize(), "cuCtxSynchronize")

    @property
    def chip(self):
        """The `chip=` of --fp8-gpu-pipeline whose kernels run here:
        'sm_90a' on Hopper, 'sm_100a' on Blackwell (B200), else None."""
        return {(9, 0): "sm_90a", (10, 0): "sm_100a"}.get(
            self.compute_capability)

    def __repr__(self):
        major, minor = self.compute_capability
        return f"Device({self.ordinal}: {self.name}, sm_{major}{minor})"


_default = []


def default_device():
    """Device(0), created on first use."""
    if not _default:
        _default.append(Device(0))
    _default[0].make_current()
    return _default[0]
