"""Timing kernels with CUDA events."""

from ._driver import check, driver
from .kernel import GPUTimeoutError, _as_stream, synchronize

__all__ = ["time"]


def time(kernel, args=(), iters=20, warmup=3, stream=None, graph=False,
         timeout=None, **named):
    """Mean milliseconds of one launch of `kernel` over `iters` launches.

    The arguments are bound (copied to the device) once; `warmup` launches
    run first, then CUDA events bracket the `iters` timed ones. Outputs with
    `zero_init` are zeroed before every launch (a memset of a few bytes,
    inside the timed region, as a real step would do it). Device arguments
    (DeviceBuffer, CUDA torch tensors) keep the copies out of the loop
    entirely.

    With `graph`, the `iters` launches (and memsets) are first captured in
    a CUDA graph, uploaded, and the events bracket one launch of the graph:
    no host launch cost between kernels, which matters for kernels of a few
    microseconds. GPUError when the driver cannot capture them.

    With `timeout` (seconds), waiting for the warm-up and for the timed
    launches raises GPUTimeoutError once that much time has passed, instead
    of blocking forever on a hung kernel; the arguments' device memory is
    then abandoned, not freed (the kernel may still use it).
    """
    cu = driver()
    bound = kernel.bind(*args, **named)
    start = check(cu.cuEventCreate(0), "cuEventCreate")
    end = check(cu.cuEventCreate(0), "cuEventCreate")
    own_stream = graph and stream is None
    cu_stream = (check(cu.cuStreamCreate(0), "cuStreamCreate") if own_stream
                 else _as_stream(stream))
    graph_exec = captured = None
    hung = False
    try:
        for _ in range(warmup):
            bound.zero_outputs(cu_stream)
            kernel.enqueue(bound, cu_stream)
        synchronize(cu_stream, timeout, f"the warm-up of {kernel.name}")
        if graph:
            captured, graph_exec = _capture(cu, cu_stream, bound, kernel, iters)
            # The first launch of a graph would include its upload.
            check(cu.cuGraphUpload(graph_exec, cu_stream), "cuGraphUpload")
        check(cu.cuEventRecord(start, cu_stream), "cuEventRecord")
        if graph_exec is not None:
            check(cu.cuGraphLaunch(graph_exec, cu_stream), "cuGraphLaunch")
        else:
            for _ in range(iters):
                bound.zero_outputs(cu_stream)
                kernel.enqueue(bound, cu_stream)
        check(cu.cuEventRecord(end, cu_stream), "cuEventRecord")
        synchronize(cu_stream, timeout, f"the timed launches of {kernel.name}")
        check(cu.cuEventSynchronize(end), "cuEventSynchronize")
        milliseconds = check(cu.cuEventElapsedTime(start, end),
                             "cuEventElapsedTime")
    except GPUTimeoutError:
        hung = True
        raise
    finally:
        if hung:
            bound.abandon()
        else:
            cu.cuStreamSynchronize(cu_stream)  # nothing may use freed buffers
            if graph_exec is not None:
                cu.cuGraphExecDestroy(graph_exec)
            if captured is not None:
                cu.cuGraphDestroy(captured)
            if own_stream:
                cu.cuStreamDestroy(cu_stream)
            check(cu.cuEventDestroy(start), "cuEventDestroy")
            check(cu.cuEventDestroy(end), "cuEventDestroy")
            bound.free()
    return milliseconds / max(iters, 1)


def _capture(cu, stream, bound, kernel, iters):
    """``(graph, executable graph)`` of `iters` launches (with their
    memsets) captured on `stream`. A launch that fails during the capture
    raises its own error; the capture is ended and its graph destroyed."""
    mode = cu.CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL
    check(cu.cuStreamBeginCapture(stream, mode), "cuStreamBeginCapture")
    try:
        for _ in range(iters):
            bound.zero_outputs(stream)
            kernel.enqueue(bound, stream)
    except Exception:
        result = cu.cuStreamEndCapture(stream)
        if result[0] == cu.CUresult.CUDA_SUCCESS and len(result) > 1:
            cu.cuGraphDestroy(result[1])
        raise
    captured = check(cu.cuStreamEndCapture(stream), "cuStreamEndCapture")
    try:
        return captured, check(cu.cuGraphInstantiate(captured, 0),
                               "cuGraphInstantiate")
    except Exception:
        cu.cuGraphDestroy(captured)
        raise
