"""Timing kernels with CUDA events."""

from ._driver import check, driver
from .kernel import _as_stream

__all__ = ["time"]


def time(kernel, args=(), iters=20, warmup=3, stream=None, **named):
    """Mean milliseconds of one launch of `kernel` over `iters` launches.

    The arguments are bound (copied to the device) once; `warmup` launches
    run first, then CUDA events bracket the `iters` timed ones. Outputs with
    `zero_init` are zeroed before every launch (a memset of a few bytes,
    inside the timed region, as a real step would do it). Device arguments
    (DeviceBuffer, CUDA torch tensors) keep the copies out of the loop
    entirely.
    """
    cu = driver()
    bound = kernel.bind(*args, **named)
    start = check(cu.cuEventCreate(0), "cuEventCreate")
    end = check(cu.cuEventCreate(0), "cuEventCreate")
    cu_stream = _as_stream(stream)
    try:
        for _ in range(warmup):
            bound.zero_outputs(cu_stream)
            kernel.enqueue(bound, cu_stream)
        check(cu.cuEventRecord(start, cu_stream), "cuEventRecord")
        for _ in range(iters):
            bound.zero_outputs(cu_stream)
            kernel.enqueue(bound, cu_stream)
        check(cu.cuEventRecord(end, cu_stream), "cuEventRecord")
        check(cu.cuEventSynchronize(end), "cuEventSynchronize")
        milliseconds = check(cu.cuEventElapsedTime(start, end),
                             "cuEventElapsedTime")
    finally:
        cu.cuStreamSynchronize(cu_stream)  # nothing may use freed buffers
        check(cu.cuEventDestroy(start), "cuEventDestroy")
        check(cu.cuEventDestroy(end), "cuEventDestroy")
        bound.free()
    return milliseconds / max(iters, 1)
