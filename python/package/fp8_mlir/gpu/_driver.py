"""The CUDA driver API through cuda-python, and its error handling.

cuda-python spells the driver module `cuda.bindings.driver` (12.6 and later)
or `cuda.cuda` (older releases); both are accepted. Importing this module
never fails: `driver()` raises GPUError when cuda-python is missing.
"""

__all__ = ["GPUError", "GPUTimeoutError", "check", "driver", "import_error"]


class GPUError(RuntimeError):
    """A CUDA driver call failed, or no GPU/cuda-python is available."""


class GPUTimeoutError(GPUError):
    """Work on the GPU did not finish in time (a hung kernel, most likely:
    it keeps running, and the process should end)."""


def _import_driver():
    errors = []
    try:
        from cuda.bindings import driver as module
        return module, None
    except ImportError as error:
        errors.append(f"cuda.bindings.driver: {error}")
    try:
        from cuda import cuda as module
        return module, None
    except ImportError as error:
        errors.append(f"cuda.cuda: {error}")
    return None, ("cuda-python is not installed (" + "; ".join(errors) +
                  "); pip install cuda-python")


_DRIVER, _IMPORT_ERROR = _import_driver()


def import_error():
    """Why cuda-python could not be imported, or None."""
    return _IMPORT_ERROR


def driver():
    """The cuda-python driver module; GPUError when it is missing."""
    if _DRIVER is None:
        raise GPUError(_IMPORT_ERROR)
    return _DRIVER


def _error_text(result):
    cu = driver()
    try:
        err, name = cu.cuGetErrorName(result)
        if err == cu.CUresult.CUDA_SUCCESS and name:
            name = name.decode() if isinstance(name, bytes) else str(name)
            err, text = cu.cuGetErrorString(result)
            if err == cu.CUresult.CUDA_SUCCESS and text:
                text = text.decode() if isinstance(text, bytes) else str(text)
                return f"{name} ({text})"
            return name
    except Exception:  # noqa: BLE001 - only used to word an error
        pass
    return str(result)


def check(result, what):
    """Unpacks a cuda-python result tuple ``(CUresult, values...)``.

    Raises GPUError naming `what` (the call) when the result is not
    CUDA_SUCCESS; returns None, the single value, or the tuple of values.
    """
    cu = driver()
    if not isinstance(result, tuple):
        result = (result,)
    status, values = result[0], result[1:]
    if status != cu.CUresult.CUDA_SUCCESS:
        raise GPUError(f"{what} failed: {_error_text(status)}")
    if not values:
        return None
    return values[0] if len(values) == 1 else values
