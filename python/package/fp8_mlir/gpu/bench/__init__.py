"""The GPU GEMM benchmark (bench/gpu): its cases (`cases`), compiling their
kernels ahead of time where fp8-opt is built (`prepare`), and validating and
measuring them on a GPU machine that has only the source tree and the
prepared kernels (`run`). bench/gpu/prepare.py and bench/gpu/run.py are the
command lines; bench/gpu/README.md the guide."""
