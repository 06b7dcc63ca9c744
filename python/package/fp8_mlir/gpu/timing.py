"""Timing kernels with CUDA events."""

from ._driver import check, driver
from .kernel import _as_stream

__all__ = ["time"]


def time(kernel, args=(), iters=20, warmup=3, stream=None, graph=False,
         **named):
    """Mean milliseconds of one launch of `kernel` over `iters` launches.

    The arguments are bound (copied to the device) once; `warmup` launches
    run first, then CUDA events bracket the `iters` timed ones. Outputs with
    `zero_init` are zeroed before every launch (a memset of a few bytes,
    inside the timed region, as a real step would do it). Device arguments
    (DeviceBuffer, CUDA torch tensors) keep the copies out of the loop
    entirely.

    With `graph`, the `iters` launches (and memsets) are first captured in
    a CUDA graph, and the events bracket one launch of the graph: no host
    launch cost between kernels, which matters for kernels of a few
    microseconds. GPUError when the driver cannot capture them.
    """
    cu = driver()
    bound = kernel.bind(*args, **named)
    start = check(cu.cuEventCreate(0), "cuEventCreate")
    end = check(cu.cuEventCreate(0), "cuEventCreate")
    own_stream = graph and stream is None
    cu_stream = (check(cu.cuStreamCreate(0), "cuStreamCreate") if own_stream
                 else _as_stream(stream))
    graph_exec = captured = None
    try:
        for _ in range(warmup):
            bound.zero_outputs(cu_stream)
            kernel.enqueue(bound, cu_stream)
        if graph:
            captured, graph_exec = _capture(cu, cu_stream, bound, kernel, iters)
        check(cu.cuEventRecord(start, cu_stream), "cuEventRecord")
        if graph_exec is not None:
            check(cu.cuGraphLaunch(graph_exec, cu_stream), "cuGraphLaunch")
        else:
            for _ in range(iters):
                bound.zero_outputs(cu_stream)
                kernel.enqueue(bound, cu_stream)
        check(cu.cuEventRecord(end, cu_stream), "cuEventRecord")
        check(cu.cuEventSynchronize(end), "cuEventSynchronize")
        milliseconds = check(cu.cuEventElapsedTime(start, end),
                             "cuEventElapsedTime")
    finally:
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
    memsets) captured on `stream`."""
    mode = cu.CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_THREAD_LOCAL
    check(cu.cuStreamBeginCapture(stream, mode), "cuStreamBeginCapture")
    try:
        for _ in range(iters):
            bound.zero_outputs(stream)
            kernel.enqueue(bound, stream)
    finally:
        # Ends the capture even when a launch failed, so the stream is usable.
        captured = check(cu.cuStreamEndCapture(stream), "cuStreamEndCapture")
    try:
        return captured, check(cu.cuGraphInstantiate(captured, 0),
                               "cuGraphInstantiate")
    except Exception:
        cu.cuGraphDestroy(captured)
        raise
